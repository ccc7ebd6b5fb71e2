"""Helpers for `kengir serve` tests and the load test: a server on a free loopback port, and a
websocket client that speaks textual-serve's protocol as the page's script does.

Everything here talks to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
LOOP_STORY = ROOT / "tests" / "bench" / "loop_story"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """`python -m game serve` on a free loopback port, in its own process group."""

    def __init__(
        self,
        work: Path,
        *extra: str,
        story: Path | None = None,
        env: dict[str, str] | None = None,
        program: Sequence[str] = ("-m", "game", "serve"),
    ):
        self.work = work
        self.port = free_port()
        self.saves = work / "browsers"
        self.records = work / "records"
        self.key = work / "lab.key"  # never the tester's own data folder
        self.url = f"http://127.0.0.1:{self.port}/"
        argv = [sys.executable, *program, "--port", str(self.port), "--saves", str(self.saves), "--records", str(self.records)]
        if tuple(program) == ("-m", "game", "serve"):
            argv += ["--key", str(self.key)]
        argv += extra
        if story is not None:
            argv += ["--story", str(story)]
        full_env = {**os.environ, "PYTHONPATH": str(ROOT), "KENGIR_CACHE": str(work / "cache"), **(env or {})}
        full_env.pop("KENGIR_SAVES", None)
        self.log_path = work / "server.log"
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            argv, cwd=ROOT, env=full_env, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
        self.wait_ready()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"kengir serve exited with {self.process.returncode}:\n{self.output()}")
            if self.url in self.output():
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        return
                except OSError:
                    pass
            time.sleep(0.05)
        raise TimeoutError(f"kengir serve did not start within {timeout} s:\n{self.output()}")

    def game_pids(self) -> list[int]:
        """The processes started for the browsers (the shells and the games under them)."""
        return descendants(self.process.pid)

    def stop(self) -> None:
        """Ctrl+C, as a teacher stops it; the process group is killed if it has not gone in 10 s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        self.log.close()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            children = [int(c) for c in Path(f"/proc/{parent}/task/{parent}/children").read_text(encoding="utf-8").split()]
        except OSError:
            continue
        found += children
        todo += children
    return found


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in kB; PSS shares each shared page among the processes using it."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="utf-8").splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class GameClient:
    """One browser, as textual.js is one: GET the page (for its cookie), then play over /ws."""

    def __init__(self, url: str, width: int = 120, height: int = 36):
        self.url = url
        self.width, self.height = width, height
        self.output = bytearray()
        self.meta: list[str] = []
        self.closed = asyncio.Event()
        self._changed = asyncio.Event()
        self.page_status = 0
        self.page_text = ""

    async def open(self, session: object | None = None) -> GameClient:
        import aiohttp

        self.session = session or aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.own_session = session is None
        async with self.session.get(self.url) as response:  # type: ignore[attr-defined]
            self.page_status = response.status
            self.page_text = await response.text()
        if self.page_status != 200:
            return self
        ws_url = self.url.replace("http://", "ws://") + f"ws?width={self.width}&height={self.height}"
        self.ws = await self.session.ws_connect(ws_url)  # type: ignore[attr-defined]
        await self.ws.send_json(["resize", {"width": self.width, "height": self.height}])
        self.reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        import aiohttp

        try:
            async for message in self.ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    self.output += message.data
                elif message.type == aiohttp.WSMsgType.TEXT:
                    self.meta.append(message.data)
                self._changed.set()
        finally:
            self.closed.set()
            self._changed.set()

    async def expect(self, text: bytes | Sequence[bytes], since: int = 0, timeout: float = 20.0) -> float:
        """perf_counter() when the first of `text` appeared in the output after `since`."""
        texts = [text] if isinstance(text, bytes) else list(text)
        deadline = time.perf_counter() + timeout
        while True:
            if any(t in self.output[since:] for t in texts):
                return time.perf_counter()
            if self.closed.is_set():
                raise ConnectionError(f"the game closed before showing {texts!r}")
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{texts!r} did not appear within {timeout} s")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except TimeoutError:
                pass

    async def drain(self, quiet: float = 0.05, timeout: float = 2.0) -> None:
        """Wait until nothing has arrived for `quiet` seconds (a frame being painted is done)."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            size = len(self.output)
            await asyncio.sleep(quiet)
            if len(self.output) == size:
                return

    async def press(self, key: str) -> float:
        await self.ws.send_json(["stdin", key])
        return time.perf_counter()

    async def close(self) -> None:
        if hasattr(self, "ws"):
            await self.ws.close()
            with_reader = getattr(self, "reader", None)
            if with_reader is not None:
                await asyncio.wait([with_reader], timeout=5)
        if self.own_session:
            await self.session.close()  # type: ignore[attr-defined]


async def start_loop_game(client: GameClient) -> None:
    """From the title of the loop story to its first room (through the content note if shown)."""
    await client.expect(b"New game", timeout=60)
    await client.drain(0.1)
    since = len(client.output)
    await client.press("n")
    await client.expect((b"Alpha room", b"Full scenes"), since, timeout=30)
    if b"Alpha room" not in client.output[since:]:
        await client.drain(0.05)
        since = len(client.output)
        await client.press("1")
        await client.expect(b"Alpha room", since, timeout=30)


LOOP_SCENES = ((b"Omega room", b"second of two rooms"), (b"Alpha room", b"first of two rooms"))


async def loop_choices(client: GameClient, count: int, think: tuple[float, float] = (0.0, 0.0), rng: object | None = None) -> list[float]:
    """Press 1 `count` times in the loop story; the milliseconds from each key to its scene on screen."""
    import random

    rng = rng or random.Random(0)
    samples = []
    for i in range(count):
        await client.drain(0.03, 1.0)
        if think[1] > 0:
            await asyncio.sleep(rng.uniform(*think))  # type: ignore[attr-defined]
        since = len(client.output)
        pressed = await client.press("1")
        shown = max([await client.expect(text, since) for text in LOOP_SCENES[i % 2]])
        samples.append((shown - pressed) * 1000)
    return samples
