"""Load test of `kengir serve`: N browsers at once, each making choices; memory and key to screen.

    python tests/bench/serve_load.py                 # a class: 30 sessions, 8 choices each, 5-15 s reading
    python tests/bench/serve_load.py --think 0.5 3 --choices 20   # a stress: keys 5x faster than reading
    python tests/bench/serve_load.py --sessions 3 --choices 5 --json /tmp/x.json
    python tests/bench/serve_load.py --start spawn   # each game a new process, as before the fork server
    python tests/bench/serve_load.py --story shipped --choices 20   # the shipped story: start-up and memory

Loopback only, bounded: at most --sessions clients (100 at most), --choices keys each, and the
whole run is abandoned after --timeout seconds. Each client is what a browser tab is to the
server: it loads the page (for its cookie), opens /ws and speaks textual-serve's protocol
(`["stdin", key]` in, terminal bytes out). It plays the loop story (tests/bench/loop_story),
whose two rooms alternate on key 1, so "on screen" is exact: the key's scene title and text
have both arrived. A student reads between choices: each client waits --think seconds (drawn
uniformly from the range) before each key, so the keys of a class arrive spread out. One key
costs the game process about 55 ms of CPU (Textual laying out and painting the new scene),
the server about 1 ms; so the pace decides the latency: two cores serve some 30 keys a second.
The figures go to serve_load.json beside this file (or --json), with the machine's load average
before and after, since other work on the machine shows in every figure.

Memory is read from /proc for every process the server started: the games, the shells that
start them (`--start spawn`) or the fork server they are forked from (the default on Linux):
RSS, and PSS, which splits shared pages among their users and so is what one more session
costs the machine. `pss_all_per_session` is every one of those processes' PSS (the fork
server's included) divided by the sessions: what a session owns however it is started.

`--story shipped` plays the game's own story instead: a session is ready when the content note
(its first question) is on the screen, then presses 1 --choices times (full scenes, the first
perspective, then the first choice of each scene), each once the screen has settled. Its keys are not timed (the screen that
follows a key is not known in advance); its ready time and memory are the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.web.serving import (  # noqa: E402
    LOOP_STORY,
    GameClient,
    ServerProcess,
    command_line,
    loop_choices,
    memory_kb,
    start_loop_game,
)

RESULTS = HERE / "serve_load.json"


def percentile(samples: Sequence[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


async def start_shipped_game(client: GameClient) -> None:
    """From the title of the shipped story to its first question (the content note), as the
    loop story's start goes from the title to its first room: the title, then one key."""
    await client.expect(b"New game", timeout=60)
    await client.drain(0.1)
    since = len(client.output)
    await client.press("n")
    await client.expect(b"Full scenes", since, timeout=30)


async def shipped_choices(client: GameClient, count: int, think: tuple[float, float], rng: random.Random) -> list[float]:
    for _ in range(count):
        await client.drain(0.1, 5)
        if think[1] > 0:
            await asyncio.sleep(rng.uniform(*think))
        await client.press("1")
    await client.drain(0.2, 10)
    return []


async def one_session(
    url: str, index: int, choices: int, think: tuple[float, float], stagger: float, shipped: bool = False
) -> dict[str, Any]:
    await asyncio.sleep(index * stagger)
    client = GameClient(url)
    started = time.perf_counter()
    await client.open()
    if client.page_status != 200:
        raise RuntimeError(f"session {index}: the page answered {client.page_status}")
    await (start_shipped_game if shipped else start_loop_game)(client)
    ready = time.perf_counter() - started
    samples = await (shipped_choices if shipped else loop_choices)(client, choices, think, random.Random(index))
    return {"client": client, "ready_s": ready, "latency_ms": samples, "index": index}


def parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def cpu_seconds(pid: int) -> float:
    """User and system processor time of a process so far (Linux's /proc/PID/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


async def start_cost(server: ServerProcess, shipped: bool) -> float:
    """Processor seconds one more game takes to be ready (its own, and the fork server's or
    shell's share), measured once the class is in and quiet: one more browser, alone."""
    games, forkservers, shells = sort_processes(server)
    before = {pid: cpu_seconds(pid) for pid in forkservers}
    client = GameClient(server.url)
    await client.open()
    await (start_shipped_game if shipped else start_loop_game)(client)
    await client.drain(0.2)
    new_games, forkservers, new_shells = sort_processes(server)
    spent = sum(cpu_seconds(pid) for pid in set(new_games) - set(games))
    spent += sum(cpu_seconds(pid) for pid in set(new_shells) - set(shells))
    spent += sum(cpu_seconds(pid) - before.get(pid, 0.0) for pid in forkservers)
    await client.close()
    return spent


def sort_processes(server: ServerProcess) -> tuple[list[int], list[int], list[int]]:
    """The server's descendants: (games, fork servers, shells and anything else)."""
    pids = server.game_pids()
    forkservers = [pid for pid in pids if " -m game --fork-server " in command_line(pid) and parent(pid) == server.process.pid]
    games = [
        pid
        for pid in pids
        if parent(pid) in forkservers or (" -m game play " in command_line(pid) and not command_line(pid).startswith("/bin/sh"))
    ]
    others = [pid for pid in pids if pid not in games and pid not in forkservers]
    return games, forkservers, others


async def run_load(
    server: ServerProcess, sessions: int, choices: int, think: tuple[float, float], stagger: float, shipped: bool = False
) -> dict[str, Any]:
    server_cpu_before = cpu_seconds(server.process.pid)
    results = await asyncio.gather(*(one_session(server.url, i, choices, think, stagger, shipped) for i in range(sessions)))
    # Every session is still open: measure the processes the server started for them.
    games, forkservers, shells = sort_processes(server)
    game_cpu = sum(cpu_seconds(pid) for pid in games + shells)
    server_cpu = cpu_seconds(server.process.pid) - server_cpu_before
    game_mem = [memory_kb(pid) for pid in games]
    shell_mem = [memory_kb(pid) for pid in shells]
    forkserver_mem = [memory_kb(pid) for pid in forkservers]
    server_mem = memory_kb(server.process.pid)
    start_cpu = await start_cost(server, shipped)
    for result in results:
        await result.pop("client").close()
    latencies = [ms for result in results for ms in result["latency_ms"]] or [0.0]
    ready = [r["ready_s"] for r in results]
    per_session_rss = [rss / 1024 for rss, _ in game_mem]
    per_session_pss = [pss / 1024 for _, pss in game_mem]
    shell_rss = sum(rss for rss, _ in shell_mem) / 1024 / max(1, len(games))
    shell_pss = sum(pss for _, pss in shell_mem) / 1024 / max(1, len(games))
    forkserver_pss = sum(pss for _, pss in forkserver_mem) / 1024
    all_pss = sum(per_session_pss) + shell_pss * max(1, len(games)) + forkserver_pss
    return {
        "sessions": sessions,
        "choices_per_session": choices,
        "think_s": list(think),
        "keys": len(latencies),
        "game_processes": len(games),
        "extra_processes": len(shells),
        "fork_servers": len(forkservers),
        "story": "shipped" if shipped else "loop",
        "latency_ms": {
            "p50": round(percentile(latencies, 50), 1),
            "p90": round(percentile(latencies, 90), 1),
            "p99": round(percentile(latencies, 99), 1),
            "max": round(max(latencies), 1),
            "mean": round(statistics.fmean(latencies), 1),
        },
        "memory_mb_per_session": {
            "rss_mean": round(statistics.fmean(per_session_rss), 1) if per_session_rss else None,
            "rss_max": round(max(per_session_rss), 1) if per_session_rss else None,
            "pss_mean": round(statistics.fmean(per_session_pss), 1) if per_session_pss else None,
            "shell_rss_mean": round(shell_rss, 1),
            "shell_pss_mean": round(shell_pss, 1),
            "fork_server_pss": round(forkserver_pss, 1),
            "pss_all_per_session": round(all_pss / max(1, len(games)), 1),
        },
        "cpu_ms": {
            # One game's start (measured alone after the class), and one key: the games' processor
            # time over the run, less their starts, over the keys (idle ticking included).
            "start": round(start_cpu * 1000, 1),
            "per_key_games": round((game_cpu - len(games) * start_cpu) * 1000 / max(1, len(latencies)), 1) if not shipped else None,
            "per_key_server": round(server_cpu * 1000 / max(1, sessions * choices), 2),
        },
        "server_mb": {"rss": round(server_mem[0] / 1024, 1), "pss": round(server_mem[1] / 1024, 1)},
        "ready_s": {
            "median": round(statistics.median(ready), 2),
            "p90": round(percentile(ready, 90), 2),
            "max": round(max(ready), 2),
        },
        "goal": {"ready_p90_s": 1.5, "pss_all_per_session_mb": 20, "p90_ms_reading": 20, "p99_ms_stress": 50},
    }


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=30, help="browsers at once (default 30, at most 100)")
    parser.add_argument("--choices", type=int, default=8, help="keys each session presses (default 8)")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(5.0, 15.0),
        metavar=("MIN", "MAX"),
        help="seconds a student reads before each key, drawn uniformly (default 5 15)",
    )
    parser.add_argument("--stagger", type=float, default=0.1, help="seconds between sessions connecting (default 0.1)")
    parser.add_argument("--timeout", type=float, default=300, help="abandon the run after this many seconds (default 300)")
    parser.add_argument("--story", choices=("loop", "shipped"), default="loop", help="the loop story (keys timed) or the shipped one")
    parser.add_argument("--start", choices=("fork", "spawn"), help="how the server starts games (default: its own default)")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to write the figures (default {RESULTS.name})")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 100 or not 1 <= args.choices <= 1000:
        parser.error("--sessions is 1 to 100, --choices 1 to 1000")
    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="kengir-serve-load-") as tmp:
        shipped = args.story == "shipped"
        extra = ("--start", args.start) if args.start else ()
        with ServerProcess(Path(tmp), *extra, story=None if shipped else LOOP_STORY) as server:
            print(f"{args.sessions} sessions x {args.choices} choices against {server.url} ({args.story} story)", flush=True)
            doc = asyncio.run(
                asyncio.wait_for(run_load(server, args.sessions, args.choices, tuple(args.think), args.stagger, shipped), args.timeout)
            )
    doc["machine"] = {**machine(), "load_average_before": load_before}
    doc["command"] = "python tests/bench/serve_load.py " + " ".join(sys.argv[1:] if argv is None else argv)
    args.json.write_text(json.dumps(doc, indent=2) + "\n")
    print(json.dumps({k: doc[k] for k in ("latency_ms", "memory_mb_per_session", "cpu_ms", "server_mb", "ready_s")}, indent=2))
    print(f"written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
