"""`kengir serve`'s fork server (game/web/forkserver.py): games forked from a process that has
loaded the game and the story, and the plain spawn where that is not possible.

The servers are real subprocesses on free loopback ports, their processes read from /proc.
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from game.cli import build_parser
from game.web.server import config_from_args, serve
from tests.bench.serve_load import sort_processes
from tests.web.serving import LOOP_STORY, GameClient, ServerProcess, command_line, start_loop_game

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kengir serve is tested on Linux (the lab server's system)"),
]


def jar() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


def environment(pid: int) -> dict[str, str]:
    pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(p.decode(errors="replace").partition("=")[::2] for p in pairs if p)


async def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.05)


# ------------------------------------------------------------------ which way games start


def test_games_are_forked_on_linux_and_spawned_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    args = build_parser().parse_args(["serve"])
    assert config_from_args(args).fork
    assert not config_from_args(build_parser().parse_args(["serve", "--start", "spawn"])).fork
    for platform in ("darwin", "win32"):
        monkeypatch.setattr(sys, "platform", platform)
        assert not config_from_args(args).fork, f"{platform}: spawn is the default"
        err = io.StringIO()
        assert serve(build_parser().parse_args(["serve", "--start", "fork"]), err) == 2
        assert err.getvalue() == f"kengir serve: --start fork works on Linux only; on {platform} each game is started as a new process\n"


# ------------------------------------------------------------------ forked games


def test_each_game_is_forked_with_its_own_pipes_size_and_folder(tmp_path: Path) -> None:
    async def scenario(server: ServerProcess) -> None:
        server_fds = len(os.listdir(f"/proc/{server.process.pid}/fd"))
        async with jar() as first_jar, jar() as second_jar:
            wide = await GameClient(server.url, width=132, height=40).open(first_jar)
            narrow = await GameClient(server.url, width=90, height=30).open(second_jar)
            await start_loop_game(wide)
            await start_loop_game(narrow)
            games, [forkserver], others = sort_processes(server)
            assert len(games) == 2 and not others, "no shell, no `python -m game play`: two forks"
            assert " -m game --fork-server " in command_line(forkserver)
            # Textual reads its settings once, on import: the fork server imported it with textual-serve's
            # (/proc shows the environment a process was started with: the fork server's, in a fork).
            assert environment(forkserver)["TEXTUAL_DRIVER"] == "textual.drivers.web_driver:WebDriver"
            for pid in games:
                for fd in (0, 1, 2):
                    assert os.readlink(f"/proc/{pid}/fd/{fd}").startswith("pipe:")
            # The fork server never loads the web server's libraries (aiohttp's C parts).
            assert "aiohttp" not in Path(f"/proc/{forkserver}/maps").read_text(encoding="utf-8", errors="replace")
            since = len(wide.output)
            await wide.press("1")
            await wide.expect(b"Omega room", since)
            folders = [p for p in server.saves.iterdir()]
            assert len(folders) == 2
            await wait_for(lambda: all(any(f.rglob("autosave-*")) for f in folders))  # each game saves in its own
            await wide.close()
            await narrow.close()
            await wait_for(lambda: not sort_processes(server)[0])  # both games ended and were reaped
            # The server closed its ends of the games' pipes (its listening socket and the
            # fork server's stay; the clients' connections have closed).
            await wait_for(lambda: len(os.listdir(f"/proc/{server.process.pid}/fd")) <= server_fds)

    with ServerProcess(tmp_path, story=LOOP_STORY) as server:
        asyncio.run(scenario(server))
        seen = server.game_pids()
    time.sleep(0.5)
    assert not [pid for pid in seen if Path(f"/proc/{pid}").exists()], "the fork server ends with the server"


def test_a_story_edited_while_serving_is_read_again(tmp_path: Path) -> None:
    story = tmp_path / "story"
    shutil.copytree(LOOP_STORY, story)

    async def scenario(server: ServerProcess) -> None:
        scenes = story / "scenes" / "loop.yaml"
        scenes.write_text(scenes.read_text(encoding="utf-8").replace("title: Alpha room", "title: Alpha hall"), encoding="utf-8")
        async with jar() as session:
            client = await GameClient(server.url).open(session)
            await client.expect(b"New game")
            await client.drain(0.1)
            since = len(client.output)
            await client.press("n")
            await client.expect((b"Alpha hall", b"Full scenes"), since)
            if b"Full scenes" in client.output[since:]:
                await client.drain(0.05)
                since = len(client.output)
                await client.press("1")
                await client.expect(b"Alpha hall", since)
            await client.close()

    with ServerProcess(tmp_path, story=story) as server:
        asyncio.run(scenario(server))


def test_a_killed_server_takes_its_games_with_it(tmp_path: Path) -> None:
    async def scenario(server: ServerProcess) -> list[int]:
        async with jar() as session:
            client = await GameClient(server.url).open(session)
            await start_loop_game(client)
            pids = server.game_pids()
            assert len(sort_processes(server)[0]) == 1
            os.kill(server.process.pid, signal.SIGKILL)  # no clean shutdown at all
            server.process.wait(10)
            await client.close()
            return pids

    with ServerProcess(tmp_path, story=LOOP_STORY) as server:
        pids = asyncio.run(scenario(server))
        deadline = time.monotonic() + 10
        while [pid for pid in pids if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in pids if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


# ------------------------------------------------------------------ spawned games


def test_with_start_spawn_each_game_is_a_new_python_process(tmp_path: Path) -> None:
    """The path of macOS and Windows (and of --start spawn): a shell runs `python -m game play`."""

    async def scenario(server: ServerProcess) -> None:
        async with jar() as session:
            client = await GameClient(server.url).open(session)
            await start_loop_game(client)
            games, forkservers, shells = sort_processes(server)
            assert not forkservers and len(games) == 1 and len(shells) == 1
            assert " -m game play --saves " in command_line(games[0])
            since = len(client.output)
            await client.press("1")
            await client.expect(b"Omega room", since)
            await client.close()

    with ServerProcess(tmp_path, "--start", "spawn", story=LOOP_STORY) as server:
        asyncio.run(scenario(server))


def test_when_the_fork_server_is_gone_games_are_spawned(tmp_path: Path) -> None:
    async def scenario(server: ServerProcess) -> None:
        [forkserver] = sort_processes(server)[1]
        os.kill(forkserver, signal.SIGKILL)
        await wait_for(lambda: not Path(f"/proc/{forkserver}").exists() or _state(forkserver) == "Z")
        await asyncio.sleep(0.2)
        async with jar() as session:
            client = await GameClient(server.url).open(session)
            await start_loop_game(client)
            games, forkservers, _ = sort_processes(server)
            assert not forkservers and len(games) == 1
            assert " -m game play --saves " in command_line(games[0])
            await client.close()

    with ServerProcess(tmp_path, story=LOOP_STORY) as server:
        asyncio.run(scenario(server))
        assert "the fork server has ended" in server.output()


def test_parsed_css_is_shared_by_apps_with_the_same_theme() -> None:
    """The fork server's shared CSS cache: the same rules for the same CSS and variables, parsed
    again for other variables (another theme). Run in its own process: it changes Textual there."""
    import subprocess

    code = """
from game.web.forkserver import share_parsed_css
from textual.css.stylesheet import Stylesheet
assert share_parsed_css(), "written for this Textual's Stylesheet._parse_rules"
css, where = "Static { color: $x; }", ("test.tcss", "")
red, red_again, blue = (Stylesheet(variables={"x": c})._parse_rules(css, where) for c in ("red", "red", "blue"))
assert red is red_again and blue is not red
assert str(red[0].styles.color) == "Color(255, 0, 0)" and str(blue[0].styles.color) == "Color(0, 0, 255)"
print("shared")
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "shared", result.stderr
