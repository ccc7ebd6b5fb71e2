"""`kengir serve`'s fork server: each browser's game forked from a process that is ready to play.

Why
---
Started as `python -m game play`, each browser's game spends about 190 ms of a core importing
Textual and the game and reading the story, and holds some 35 MB of its own: a class of 30
opening the page together waits up to 6 s on two cores. Here one process, the fork server (a
"zygote", as Android calls it; gunicorn's `--preload` is the same idea), does that work once
when `kengir serve` starts; every game is a `fork()` of it. A forked game starts with the
modules, the story and the collector's frozen objects already in memory, on pages it shares
with the fork server until either writes to them (copy on write), and paints its title at once.

How a forked game talks to the server
-------------------------------------
Exactly as a spawned one does: textual-serve's pipe protocol on its stdin and stdout (Textual's
WebDriver, chosen by TEXTUAL_DRIVER), its stderr read by the server. The server makes the three
pipes, keeps its ends, and hands the game's ends to the fork server over a Unix socket
(SCM_RIGHTS); the child moves them to descriptors 0, 1 and 2, takes the session's environment
(the terminal's size, as textual-serve sets it) and runs `kengir play` with the session's
arguments (`--saves` its own folder, `--records`, `--assignment`...). The fork server reaps its
children and tells the server how each ended; a game ends when the fork server does.

Where it is used
----------------
Only on Linux, where `fork` without `exec` is the system's own way (macOS and Windows start
processes with `spawn`; there, and whenever the fork server cannot start or answer, `kengir
serve` starts `python -m game play` as before; `--start spawn` asks for that anywhere).
The fork server is single-threaded when it forks (a thread in a forked child would be a copy
without its thread), imports nothing of aiohttp, and ends when the server closes its socket.

Memory
------
`gc.disable()` from the start and `gc.freeze()` before each fork, as the `gc` module's
documentation advises: the collector then never visits (and so never writes to) the objects
the child inherited, and allocations leave no holes in shared pages. The child turns the
collector back on for its own objects.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

MESSAGE_BYTES = 64 * 1024  # a request: the arguments and environment of one game

log = logging.getLogger("kengir.serve")
FLAG = "--fork-server"  # `python -m game --fork-server ...` starts one (game/__main__.py)


def fork_available() -> bool:
    """True where games may be forked: Linux (fork is the default there), with SCM_RIGHTS."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and hasattr(socket, "send_fds")


# ------------------------------------------------------------------ the fork server's side


def preload(story: str | None) -> bool:
    """Import what a game imports and load the story; False (problems on stderr) if it fails."""
    import importlib
    import pkgutil

    import textual.app  # noqa: F401
    import textual.drivers.web_driver  # noqa: F401  (TEXTUAL_DRIVER names it)

    import game.tui
    from game.session.story import preload_story

    share_parsed_css()

    # Every module of the terminal game, screens included: a game imports some only when a
    # screen opens, and a module imported in the fork server is shared, one imported later not.
    for package in (game.tui,):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    return preload_story(story, sys.stderr) is not None


_PARSE_RULES_PARAMETERS = ["self", "css", "read_from", "is_default_rules", "tie_breaker", "scope"]


def share_parsed_css() -> bool:
    """Let every Textual app of this process, and of its forks, share parsed CSS.

    Textual parses the same CSS (every widget's DEFAULT_CSS, the app's own) again for each
    app, in a cache of that app's stylesheet. Here the cache is one for the process, keyed as
    Textual keys it plus the CSS variables (the theme) the rules were parsed with: the warm-up
    fills it, and a forked game finds its rules parsed, on shared pages (measured: 12 % less
    processor time to a game's first scene, 0.4 MB less memory of its own). Only for the
    version of `Stylesheet._parse_rules` this was written against; with another, nothing is
    changed (False)."""
    import inspect

    from textual.css.stylesheet import Stylesheet

    original = Stylesheet._parse_rules
    if getattr(original, "shared", False):
        return True
    if list(inspect.signature(original).parameters) != _PARSE_RULES_PARAMETERS:
        return False
    parsed: dict[tuple[Any, ...], Any] = {}

    def parse_rules(self: Any, css: str, read_from: Any, is_default_rules: bool = False, tie_breaker: int = 0, scope: str = "") -> Any:
        variables = getattr(self, "_variables", None)
        if not isinstance(variables, dict):
            return original(self, css, read_from, is_default_rules, tie_breaker, scope)
        seen = getattr(self, "_kengir_variables", None)
        if seen is None or seen[0] is not variables:  # set_variables() gives the stylesheet a new dict
            seen = (variables, frozenset(variables.items()))
            self._kengir_variables = seen
        key = (css, read_from, is_default_rules, tie_breaker, scope, seen[1])
        rules = parsed.get(key)
        if rules is None:
            rules = parsed[key] = original(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    parse_rules.shared = True  # type: ignore[attr-defined]
    Stylesheet._parse_rules = parse_rules  # type: ignore[method-assign]
    return True


Play = Callable[[list[str]], int]  # `kengir ARGS` (game.cli.main), which this layer may not import
Parse = Callable[[list[str]], argparse.Namespace]  # its parser


def warm_up(story: str | None, parse: Parse, keys: Sequence[str] = ("n", "1", "1", "1", "1", "1", "1")) -> None:
    """Play a few keys of the game once, headless, in a folder thrown away after.

    What a game does first (compose the title and play screens, parse their styles, lay out
    and paint) it then finds done: modules imported on first use, caches filled, and Python's
    own rewriting of each function's byte code as it runs (3.11's specializing interpreter)
    happen here, once, on pages every game shares, instead of in each game's own memory."""
    import asyncio
    import shutil
    import tempfile

    from game.tui.app import KengirApp
    from game.tui.launch import session_options, story_loader, story_settings_path

    folder = tempfile.mkdtemp(prefix="kengir-warm-up-")
    try:
        argv = ["play", "--saves", folder] + (["--story", story] if story else [])
        args = parse(argv)
        app = KengirApp(None, None, story_settings_path(args), loader=story_loader(args), configure=session_options(args), seed=1)

        async def play() -> None:
            async with app.run_test(size=(120, 36)) as pilot:
                for key in keys:
                    await pilot.pause()
                    await pilot.press(key)
                await pilot.pause()
                app.exit()

        asyncio.run(play())
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def serve_forks(control: socket.socket, play: Play) -> None:
    """Answer the server's requests until it closes the socket: fork a game for each."""
    import selectors
    import threading

    wake_read, wake_write = socket.socketpair()
    wake_read.setblocking(False)
    wake_write.setblocking(False)
    signal.set_wakeup_fd(wake_write.fileno(), warn_on_full_buffer=False)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the select below through the wakeup fd
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    closing = (control, wake_read, wake_write)
    _prctl()  # (on pages the games share)

    while True:
        for key, _ in selector.select():
            if key.fileobj is wake_read:
                while True:
                    try:
                        if not wake_read.recv(512):
                            break
                    except BlockingIOError:
                        break
                continue
            try:
                data, fds, _, _ = socket.recv_fds(control, MESSAGE_BYTES, 3)
            except ConnectionError:
                data, fds = b"", []
            if not data:  # the server has gone: so does the fork server, and its games with it (_end_with_parent)
                return
            request = json.loads(data)
            request["parent"] = os.getpid()
            try:
                if threading.active_count() != 1:
                    raise RuntimeError("the fork server has a thread; it will not fork")
                gc.freeze()
                pid = os.fork()
            except Exception as error:  # (OSError: out of processes or memory) the server spawns instead
                _send(control, {"id": request["id"], "error": str(error)})
                pid = -1
            if pid == 0:
                _child(request, fds, closing, selector, play)  # never returns
            for fd in fds:
                os.close(fd)
            if pid > 0:
                _send(control, {"id": request["id"], "pid": pid})
        _reap(control)


def _reap(control: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _send(control, {"exited": pid, "code": os.waitstatus_to_exitcode(status)})


def _send(control: socket.socket, message: dict[str, Any]) -> None:
    try:
        control.send(json.dumps(message).encode())
    except OSError:  # the server has gone; the next receive says so
        pass


def _child(request: dict[str, Any], fds: list[int], closing: Sequence[socket.socket], selector: Any, play: Play) -> None:
    """The forked game: the server's pipes as 0, 1 and 2, the session's environment, then
    `kengir play`. It stays in the server's process group, as a spawned game does (Ctrl+C in
    the server's terminal reaches it), and ends when the fork server does (see _end_with_parent)."""
    code = 1
    try:
        _end_with_parent(request["parent"])
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as in any Python process
        selector.close()
        for sock in closing:
            sock.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = ["kengir", *request["argv"]]
        gc.enable()
        code = play(request["argv"])
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        _exit(code)


def _prctl() -> Callable[..., int] | None:
    """The C library's prctl. Looked up in the fork server before its first fork (serve_forks):
    done in each game, loading ctypes and libffi cost it 180 kB of memory of its own."""
    global _PRCTL
    if _PRCTL is None:
        import ctypes

        try:
            _PRCTL = ctypes.CDLL(None, use_errno=True).prctl
        except (OSError, AttributeError):
            return None
    return _PRCTL


_PRCTL: Callable[..., int] | None = None


def _end_with_parent(parent: int) -> None:
    """SIGTERM to this game when the fork server ends (Linux's PR_SET_PDEATHSIG). The fork server
    ends when the server does, even killed: a game never outlives its server. Its web driver
    takes SIGTERM as a quit: the autosave is flushed first."""
    PR_SET_PDEATHSIG = 1
    prctl = _prctl()
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the fork server ended before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


def _exit(code: int) -> None:
    """End the child as an interpreter would (its threads joined, its output flushed), but
    without the fork server's exit handlers."""
    import threading

    try:
        for thread in threading.enumerate():
            if thread is not threading.main_thread() and not thread.daemon:
                thread.join(5)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def main(argv: Sequence[str], play: Play, parse: Parse) -> int:
    """`python -m game --fork-server --control FD [--story DIR]` (game/__main__.py), run by
    `kengir serve` only: `play` runs a game (`kengir play ...`), `parse` reads its arguments."""
    gc.disable()  # until the first fork: no holes left in pages the games will share
    parser = argparse.ArgumentParser(prog="python -m game --fork-server")
    parser.add_argument("--control", type=int, required=True)
    parser.add_argument("--story")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the server, which closes our socket
    control = socket.socket(fileno=args.control)
    ok = preload(args.story)
    if ok:
        try:
            warm_up(args.story, parse)
        except Exception as error:  # the games start all the same, a little slower
            sys.stderr.write(f"kengir serve: the fork server's warm-up failed ({error!r}); games start without it\n")
        gc.collect()
    gc.freeze()
    sys.stdout.flush()
    sys.stderr.flush()
    _send(control, {"ready": ok})
    if not ok:
        return 1
    serve_forks(control, play)
    return 0


# ------------------------------------------------------------------ the server's side


class ForkedProcess:
    """A forked game as textual-serve's AppService uses a process: pid, stdin, stdout, stderr,
    returncode. It is the fork server's child, not the server's: its end is reported."""

    def __init__(self, pid: int, stdin: Any, stdout: Any, stderr: Any):
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.returncode: int | None = None

    def kill(self) -> None:
        """SIGKILL to the game, unless it has been reaped (its number may be another's by then)."""
        if self.returncode is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def close(self) -> None:
        self.stdin.close()


class ForkServer:
    """The server's handle on the fork server process."""

    def __init__(self, python: str, story: Path | None, env: dict[str, str]):
        self.python = python
        self.story = story
        self.env = env
        self.process: Any = None
        self.control: socket.socket | None = None
        self.waiting: dict[int, Any] = {}  # request id -> future of its pid
        self.games: dict[int, ForkedProcess] = {}  # pid -> the game, until it is reaped
        self.next_id = 0
        self.reader: Any = None
        self.closing = False

    @property
    def alive(self) -> bool:
        return self.control is not None and self.process is not None and self.process.returncode is None

    async def start(self, timeout: float = 60.0) -> bool:
        """Start the fork server and wait until it has loaded the story; False if it could not."""
        import asyncio

        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        argv = [self.python, "-m", "game", FLAG, "--control", str(theirs.fileno())]
        if self.story is not None:
            argv += ["--story", str(self.story)]
        try:
            self.process = await asyncio.create_subprocess_exec(
                *argv, stdin=asyncio.subprocess.DEVNULL, env=self.env, pass_fds=[theirs.fileno()]
            )
        finally:
            theirs.close()
        ours.setblocking(False)
        loop = asyncio.get_running_loop()
        try:
            ready = json.loads(await asyncio.wait_for(loop.sock_recv(ours, MESSAGE_BYTES), timeout) or b"{}")
        except (TimeoutError, OSError, ValueError):
            ready = {}
        if not ready.get("ready"):
            ours.close()
            await self._end_process()
            return False
        self.control = ours
        self.reader = asyncio.create_task(self._read())
        return True

    async def _read(self) -> None:
        import asyncio

        assert self.control is not None
        loop = asyncio.get_running_loop()
        try:
            while True:
                data = await loop.sock_recv(self.control, MESSAGE_BYTES)
                if not data:
                    break
                message = json.loads(data)
                if "exited" in message:
                    game = self.games.pop(message["exited"], None)
                    if game is not None:
                        game.returncode = message["code"]
                elif (future := self.waiting.pop(message.get("id"), None)) is not None and not future.done():
                    future.set_result(message)
        except (OSError, ValueError):
            pass
        finally:  # the fork server has gone: nobody will answer these
            if not self.closing:
                log.warning("the fork server has ended: each new game starts as a new process (python -m game play)")
            for future in self.waiting.values():
                if not future.done():
                    future.set_result({"error": "the fork server has ended"})
            self.waiting.clear()
            if self.control is not None:
                self.control.close()
                self.control = None

    async def fork(self, argv: Sequence[str], env: dict[str, str], timeout: float = 10.0) -> ForkedProcess:
        """A new game running `kengir play ARGV` in `env`; OSError if the fork server cannot make one."""
        import asyncio

        if not self.alive or self.control is None:
            raise OSError("the fork server is not running")
        loop = asyncio.get_running_loop()
        pipes = [os.pipe() for _ in range(3)]  # stdin, stdout, stderr: (read end, write end)
        theirs = [pipes[0][0], pipes[1][1], pipes[2][1]]
        ours = [pipes[0][1], pipes[1][0], pipes[2][0]]
        self.next_id += 1
        request_id = self.next_id
        future = loop.create_future()
        self.waiting[request_id] = future
        try:
            message = json.dumps({"id": request_id, "argv": list(argv), "env": env}).encode()
            socket.send_fds(self.control, [message], theirs)
        except OSError:
            self.waiting.pop(request_id, None)
            for fd in ours:
                os.close(fd)
            raise
        finally:  # the fork server has its own copies now (or none, if sending failed)
            for fd in theirs:
                os.close(fd)
        try:
            answer = await asyncio.wait_for(future, timeout)
        except TimeoutError:
            answer = {"error": "the fork server did not answer"}
        if "pid" not in answer:
            for fd in ours:
                os.close(fd)
            raise OSError(answer.get("error", "the fork server refused"))
        pid = int(answer["pid"])
        stdin = await _writer(loop, ours[0])
        stdout = await _reader(loop, ours[1])
        stderr = await _reader(loop, ours[2])
        game = ForkedProcess(pid, stdin, stdout, stderr)
        self.games[pid] = game
        return game

    async def close(self) -> None:
        """Close the socket: the fork server ends, and any game still running with it."""
        self.closing = True
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.reader is not None:
            self.reader.cancel()
        await self._end_process()

    async def _end_process(self) -> None:
        import asyncio

        if self.process is None or self.process.returncode is not None:
            return
        try:
            await asyncio.wait_for(self.process.wait(), 5)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


async def _reader(loop: Any, fd: int) -> Any:
    import asyncio

    reader = asyncio.StreamReader(limit=2**20, loop=loop)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader, loop=loop), os.fdopen(fd, "rb", 0))
    return reader


async def _writer(loop: Any, fd: int) -> Any:
    import asyncio
    from asyncio.streams import FlowControlMixin

    transport, protocol = await loop.connect_write_pipe(lambda: FlowControlMixin(loop=loop), os.fdopen(fd, "wb", 0))
    return asyncio.StreamWriter(transport, protocol, None, loop)
