"""`kengir serve` without a browser: folders per browser, Continue, the session limit, the load test.

The servers run as subprocesses on free loopback ports; the clients speak textual-serve's
protocol (tests/web/serving.py). The story is the two-room loop story, quick to start.
"""

from __future__ import annotations

import asyncio
import shlex
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from game.web.server import FOLDER, Places, ServeConfig, folder_name, new_token, valid_token
from tests.bench.serve_load import run_load, sort_processes
from tests.web.serving import LOOP_STORY, ROOT, GameClient, ServerProcess, start_loop_game

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    # The tests count and measure the server's processes through Linux's /proc.
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kengir serve is tested on Linux (the lab server's system)"),
]


# ------------------------------------------------------------------ pure parts


def test_without_the_web_extra_it_says_how_to_install_it() -> None:
    code = (
        "import sys; sys.modules['textual_serve'] = None; sys.modules['textual_serve.server'] = None\n"
        "from game.cli import main; sys.exit(main(['serve']))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "pip install -e '.[web]'" in result.stderr
    assert "pip install 'kengir[web]'" in result.stderr


def test_session_ids_are_checked_and_folders_are_hashes() -> None:
    token = new_token()
    assert valid_token(token) == token
    for bad in (None, "", "../../etc", token.upper(), token + "0", token[:-1] + "/", "a" * 31):
        assert valid_token(bad) is None
    name = folder_name(token)
    assert FOLDER.fullmatch(name) and token not in name
    assert folder_name(token) == name != folder_name(new_token())
    with pytest.raises(ValueError):
        folder_name("../x")


def test_places_count_running_games_and_fresh_pages() -> None:
    places = Places(limit=2)
    assert places.reserve("a" * 32, now=0) and places.reserve("b" * 32, now=0)
    assert not places.reserve("c" * 32, now=1)  # full
    assert places.reserve("a" * 32, now=1)  # a browser holding a place is never refused
    assert not places.admit("c" * 32, now=1)
    assert places.admit("c" * 32, now=100)  # reservations lapse when no websocket came
    places.running["a" * 32] = object()
    assert places.taken(now=100) == 1
    assert Places(limit=None).reserve("d" * 32)


def test_the_game_command_is_quoted() -> None:
    config = ServeConfig(records=Path("/tmp/re cords;rm -rf x"), assignment=Path("/tmp/a $(x).yaml"), python="/usr/bin/python3")
    argv = shlex.split(config.command(Path("/srv/s-0123")))
    assert argv == [
        "/usr/bin/python3",
        "-m",
        "game",
        "play",
        "--saves",
        "/srv/s-0123",
        "--records",
        "/tmp/re cords;rm -rf x",
        "--assignment",
        "/tmp/a $(x).yaml",
    ]


# ------------------------------------------------------------------ a server


@pytest.fixture
def server(tmp_path: Path):
    with ServerProcess(tmp_path, story=LOOP_STORY) as running:
        yield running


def new_jar() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


def games(server: ServerProcess) -> list[int]:
    """The game processes (forked by the fork server, or spawned under a shell)."""
    return sort_processes(server)[0]


async def wait_for(condition, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("condition not met")


async def test_each_browser_has_its_own_folder_and_a_returning_browser_continues(server: ServerProcess) -> None:
    async with new_jar() as alice_jar, new_jar() as bob_jar:
        alice = await GameClient(server.url).open(alice_jar)
        await start_loop_game(alice)
        since = len(alice.output)
        await alice.press("1")
        await alice.expect(b"Omega room", since)
        bob = await GameClient(server.url).open(bob_jar)
        await bob.expect(b"New game")
        folders = sorted(p.name for p in server.saves.iterdir())
        assert len(folders) == 2 and all(FOLDER.fullmatch(name) for name in folders)
        cookies = {c.value for jar in (alice_jar, bob_jar) for c in jar.cookie_jar}
        assert not any(token in name for token in cookies for name in folders)
        alice_folder = server.saves / folder_name(next(c.value for c in alice_jar.cookie_jar))
        await wait_for(lambda: any(alice_folder.rglob("auto*")))
        bob_folder = next(server.saves / name for name in folders if server.saves / name != alice_folder)
        assert not any(bob_folder.rglob("auto*")), "Alice's autosave is in Alice's folder only"
        await alice.close()
        await wait_for(lambda: len(games(server)) == 1)

        # Alice comes back in the same browser (a reload): Continue takes her to the Omega room.
        alice = await GameClient(server.url).open(alice_jar)
        await alice.expect(b"New game")
        await alice.drain(0.1)
        since = len(alice.output)
        await alice.press("c")
        await alice.expect(b"Omega room", since)
        await alice.close()
        await bob.close()


async def test_a_forged_cookie_gets_a_fresh_id_not_a_path(server: ServerProcess) -> None:
    forged = {"Cookie": "kengir_session=../../../../tmp/evil"}
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        async with http.get(server.url, headers=forged) as response:
            assert response.status == 200
            assert valid_token(response.cookies["kengir_session"].value)
        ws = await http.ws_connect(server.url.replace("http", "ws") + "ws?width=80&height=24", headers=forged)
        said = b""
        while b"New game" not in said:
            said += (await asyncio.wait_for(ws.receive(), 20)).data or b""
        await ws.close()
    [folder] = server.saves.iterdir()
    assert FOLDER.fullmatch(folder.name)
    assert not (server.saves.parent / "evil").exists() and not Path("/tmp/evil").exists()


async def test_a_second_tab_of_the_same_browser_takes_the_game_over(server: ServerProcess) -> None:
    async with new_jar() as jar:
        first = await GameClient(server.url).open(jar)
        await first.expect(b"New game")
        second = await GameClient(server.url).open(jar)
        await second.expect(b"New game")
        await asyncio.wait_for(first.closed.wait(), 10)
        assert len(games(server)) == 1
        await second.close()
        await first.close()


def test_max_sessions_refuses_the_next_browser_with_a_page(tmp_path: Path) -> None:
    async def scenario(server: ServerProcess) -> None:
        async with new_jar() as alice_jar, new_jar() as bob_jar:
            alice = await GameClient(server.url).open(alice_jar)
            await alice.expect(b"New game")
            bob = await GameClient(server.url).open(bob_jar)
            assert bob.page_status == 503
            assert "<h1>The class is full</h1>" in bob.page_text
            # A websocket that skipped the page is told on its terminal, and no game starts for it.
            ws = await bob_jar.ws_connect(server.url.replace("http", "ws") + "ws?width=80&height=24")
            said = b""
            async for message in ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    said += message.data
            assert b"The class is full" in said
            assert len(games(server)) == 1
            # Alice reloading keeps her place; when she leaves, Bob gets in.
            again = await GameClient(server.url).open(alice_jar)
            assert again.page_status == 200
            await again.expect(b"New game")
            await again.close()
            await alice.close()
            await wait_for(lambda: not games(server))
            bob = await GameClient(server.url).open(bob_jar)
            assert bob.page_status == 200
            await bob.expect(b"New game")
            await bob.close()

    with ServerProcess(tmp_path, "--max-sessions", "1", story=LOOP_STORY) as server:
        asyncio.run(scenario(server))
        assert "refused" in server.output()


def test_three_sessions_play_at_once_and_are_measured(tmp_path: Path) -> None:
    """The load test of tests/bench/serve_load.py, small: it works; its timings are not judged here."""
    with ServerProcess(tmp_path, story=LOOP_STORY) as server:
        doc = asyncio.run(asyncio.wait_for(run_load(server, 3, 4, (0.0, 0.0), 0.0), 90))
    assert doc["keys"] == 12 and doc["game_processes"] == 3
    assert doc["latency_ms"]["p50"] > 0 and doc["memory_mb_per_session"]["rss_mean"] > 5
    assert doc["cpu_ms"]["start"] > 0 and doc["cpu_ms"]["per_key_games"] > 0
    assert len(list((tmp_path / "browsers").iterdir())) == 4  # and one more browser, for a start's processor time


async def test_a_first_visit_gets_its_cookie_before_its_page(server: ServerProcess) -> None:
    """So that a proxy routing by the cookie (docs/DEPLOY.md) serves the page from the game's instance."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        async with http.get(server.url + "?fontsize=20", allow_redirects=False) as response:
            assert response.status == 302
            assert response.headers["Location"] == "/?fontsize=20&session=1"
            token = valid_token(response.cookies["kengir_session"].value)
            assert token is not None
        async with http.get(server.url + "?fontsize=20&session=1", headers={"Cookie": f"kengir_session={token}"}) as response:
            assert response.status == 200 and 'data-font-size="20"' in await response.text()
            assert "kengir_session" in response.cookies
        # A browser that keeps no cookies is not sent round in circles: it gets the page.
        async with http.get(server.url + "?session=1", allow_redirects=False) as response:
            assert response.status == 200 and "textual-terminal" in await response.text()
