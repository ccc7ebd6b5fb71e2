"""Load test of `kengir serve`: N browsers at once, each making choices; memory and key to screen.

    python tests/bench/serve_load.py                 # a class: 30 sessions, 8 choices each, 5-15 s reading
    python tests/bench/serve_load.py --think 0.5 3 --choices 20   # a stress: keys 5x faster than reading
    python tests/bench/serve_load.py --sessions 3 --choices 5 --json /tmp/x.json

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

Memory is read from /proc for every process the server started (the shell textual-serve runs
and the game under it): RSS, and PSS, which splits shared pages among their users and so is
what one more session costs the machine.
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


async def one_session(url: str, index: int, choices: int, think: tuple[float, float], stagger: float) -> dict[str, Any]:
    await asyncio.sleep(index * stagger)
    client = GameClient(url)
    started = time.perf_counter()
    await client.open()
    if client.page_status != 200:
        raise RuntimeError(f"session {index}: the page answered {client.page_status}")
    await start_loop_game(client)
    ready = time.perf_counter() - started
    samples = await loop_choices(client, choices, think, random.Random(index))
    return {"client": client, "ready_s": ready, "latency_ms": samples, "index": index}


async def run_load(server: ServerProcess, sessions: int, choices: int, think: tuple[float, float], stagger: float) -> dict[str, Any]:
    results = await asyncio.gather(*(one_session(server.url, i, choices, think, stagger) for i in range(sessions)))
    # Every session is still open: measure the processes the server started for them.
    pids = server.game_pids()
    games = [pid for pid in pids if " -m game play " in command_line(pid) and not command_line(pid).startswith("/bin/sh")]
    shells = [pid for pid in pids if pid not in games]
    game_mem = [memory_kb(pid) for pid in games]
    shell_mem = [memory_kb(pid) for pid in shells]
    server_mem = memory_kb(server.process.pid)
    for result in results:
        await result.pop("client").close()
    latencies = [ms for result in results for ms in result["latency_ms"]]
    per_session_rss = [rss / 1024 for rss, _ in game_mem]
    per_session_pss = [pss / 1024 for _, pss in game_mem]
    shell_rss = sum(rss for rss, _ in shell_mem) / 1024 / max(1, len(games))
    shell_pss = sum(pss for _, pss in shell_mem) / 1024 / max(1, len(games))
    return {
        "sessions": sessions,
        "choices_per_session": choices,
        "think_s": list(think),
        "keys": len(latencies),
        "game_processes": len(games),
        "extra_processes": len(shells),
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
        },
        "server_mb": {"rss": round(server_mem[0] / 1024, 1), "pss": round(server_mem[1] / 1024, 1)},
        "ready_s": {
            "median": round(statistics.median(r["ready_s"] for r in results), 2),
            "max": round(max(r["ready_s"] for r in results), 2),
        },
        "goal": {"p90_ms": 150, "mb_per_session": 60},
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
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to write the figures (default {RESULTS.name})")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 100 or not 1 <= args.choices <= 1000:
        parser.error("--sessions is 1 to 100, --choices 1 to 1000")
    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="kengir-serve-load-") as tmp:
        with ServerProcess(Path(tmp), story=LOOP_STORY) as server:
            print(f"{args.sessions} sessions x {args.choices} choices against {server.url}", flush=True)
            doc = asyncio.run(
                asyncio.wait_for(run_load(server, args.sessions, args.choices, tuple(args.think), args.stagger), args.timeout)
            )
    doc["machine"] = {**machine(), "load_average_before": load_before}
    doc["command"] = "python tests/bench/serve_load.py " + " ".join(sys.argv[1:] if argv is None else argv)
    args.json.write_text(json.dumps(doc, indent=2) + "\n")
    print(json.dumps({k: doc[k] for k in ("latency_ms", "memory_mb_per_session", "server_mb", "ready_s")}, indent=2))
    print(f"written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
