"""`kengir serve` against what a school network throws at it: another site's page opening a
websocket, cookies a script could read or another site could send, a flood of new games, and
the teacher's token in a log line."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

import aiohttp
import pytest

from game.web.hardening import Redacted, StartPace, redact_logs, same_origin
from tests.web.serving import LOOP_STORY, GameClient, ServerProcess

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kengir serve is tested on Linux (the lab server's system)"),
]


def ws_url(server: ServerProcess) -> str:
    return server.url.replace("http://", "ws://") + "ws?width=80&height=24"


# ------------------------------------------------------------------ origin


def test_same_origin_compares_host_and_port() -> None:
    assert same_origin(None, "127.0.0.1:8000")  # not a browser: browsers always send one
    assert same_origin("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert same_origin("https://Lab.School.example", "lab.school.example")  # behind a TLS proxy
    assert not same_origin("http://127.0.0.1:8001", "127.0.0.1:8000")
    assert not same_origin("http://evil.example", "127.0.0.1:8000")
    assert not same_origin("null", "127.0.0.1:8000")
    assert not same_origin("http://127.0.0.1:8000.evil.example", "127.0.0.1:8000")
    assert not same_origin("http://127.0.0.1:8000", None)


def test_a_websocket_from_another_sites_page_is_refused_and_starts_nothing(tmp_path: Path) -> None:
    async def scenario(server: ServerProcess) -> None:
        before = server.game_pids()  # (a fork server, where the games are forked from one)
        async with aiohttp.ClientSession() as http:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(ws_url(server), headers={"Origin": "http://evil.example"})
            assert refused.value.status == 403
            await asyncio.sleep(0.5)
            assert server.game_pids() == before, "no game was started for it"
            own = await http.ws_connect(ws_url(server), headers={"Origin": server.url.rstrip("/")})
            said = b""
            while b"New game" not in said:
                said += (await asyncio.wait_for(own.receive(), 30)).data or b""
            await own.close()

    with ServerProcess(tmp_path, story=LOOP_STORY) as server:
        asyncio.run(scenario(server))
        assert "refused a websocket from another site's page" in server.output()


# ------------------------------------------------------------------ cookies


def test_session_cookies_are_httponly_and_samesite(tmp_path: Path) -> None:
    async def scenario(server: ServerProcess) -> None:
        async with aiohttp.ClientSession() as http:
            for path in ("", "new"):
                async with http.get(server.url + path, allow_redirects=False) as response:
                    header = response.headers["Set-Cookie"]
                    morsel = SimpleCookie(header)["kengir_session"]
                    assert morsel["httponly"] is True, header
                    assert morsel["samesite"] == "Lax", header  # Strict would lose the game on a link from the school's site
                    assert morsel["path"] == "/"

    with ServerProcess(tmp_path, story=LOOP_STORY) as server:
        asyncio.run(scenario(server))


# ------------------------------------------------------------------ pace


def test_start_pace_lets_a_second_through_and_spaces_the_rest() -> None:
    pace = StartPace(per_second=4, max_wait=1.0)
    waits = [pace.delay(now=100.0) for _ in range(8)]
    assert waits[:4] == [0.0, 0.0, 0.0, 0.0]
    assert waits[4:] == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert pace.delay(now=100.0) is None  # would wait more than max_wait: refused, and takes no place
    assert pace.delay(now=100.0) is None
    assert pace.delay(now=103.0) == 0.0  # the bucket refills with time


def test_new_games_are_spaced_when_they_come_faster_than_allowed(tmp_path: Path) -> None:
    """Three browsers at once with --starts-per-second 1: the third game starts about 2 s
    after the first (no per-address limit: all three come from 127.0.0.1)."""

    async def scenario(server: ServerProcess) -> list[float]:
        begun = time.perf_counter()
        clients = [GameClient(server.url) for _ in range(3)]
        await asyncio.gather(*(client.open() for client in clients))
        ready = await asyncio.gather(*(client.expect(b"New game", timeout=60) for client in clients))
        for client in clients:
            await client.close()
        return sorted(t - begun for t in ready)

    with ServerProcess(tmp_path, "--starts-per-second", "1", story=LOOP_STORY) as server:
        ready = asyncio.run(scenario(server))
    assert ready[2] - ready[0] >= 1.5, ready


def test_starts_per_second_is_checked(tmp_path: Path) -> None:
    import subprocess

    from tests.web.serving import ROOT

    result = subprocess.run(
        [sys.executable, "-m", "game", "serve", "--starts-per-second", "0", "--key", str(tmp_path / "k")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr == "kengir serve: --starts-per-second must be more than 0 and at most 1000\n"


# ------------------------------------------------------------------ logs


def test_the_teachers_token_is_redacted_from_log_lines(caplog: pytest.LogCaptureFixture) -> None:
    """aiohttp's access log writes the request line, query and all; the filter keeps the token out."""
    redact_logs("kengir.test.access")
    logger = logging.getLogger("kengir.test.access")
    assert any(isinstance(f, Redacted) for f in logger.filters)
    with caplog.at_level(logging.INFO, logger="kengir.test.access"):
        logger.info('%s "%s" %s', "127.0.0.1", "GET /teacher?token=0123456789abcdef0123456789abcdef HTTP/1.1", 303)
        logger.info("GET /teacher?x=1&TOKEN=secret&y=2")
    assert "0123456789abcdef" not in caplog.text and "secret" not in caplog.text
    assert 'GET /teacher?token=… HTTP/1.1" 303' in caplog.text
    assert "x=1&TOKEN=…&y=2" in caplog.text
