"""Running the game here as it would run on Windows or macOS, as far as the game's own code sees.

    python tests/platforms/simulate.py win32 -- play --plain --seed 1
    python tests/platforms/simulate.py darwin -- test story --runs 200

What each system lacks is taken away before the game is imported:

- win32: no `fcntl`, `termios`, `tty`, `pty`, `readline`, `resource`, `grp` or `pwd` (importing
  them fails), no `select.poll`, no `os.fork`, no `signal.pthread_sigmask`, no SIGHUP or SIGKILL;
  `sys.platform` is "win32".
- darwin: `select.poll` exists but, as Darwin's poll(2) says, "does not support devices": it
  answers POLLNVAL for every descriptor; `sys.platform` is "darwin".

The standard library's own platform code stays Linux's: `multiprocessing`, `tempfile` and
their friends are imported before `sys.platform` changes, so that they keep working here (on
the real systems they have their own); so does platformdirs, whose Windows module calls the
Windows API (the CI workflow's runners check the user folders on each system). Textual's drivers are not simulated: Pilot runs the
game headless, and Textual's Windows driver itself is tested only by the CI workflow's
Windows runner.
"""

from __future__ import annotations

import functools
import os
import select
import signal
import sys
from collections.abc import Callable

PLATFORMS = ("win32", "darwin")
POSIX_ONLY = ("fcntl", "termios", "tty", "pty", "readline", "resource", "grp", "pwd")


class _DevicesUnsupportedPoll:
    """Darwin's poll(): any descriptor registered comes back as POLLNVAL."""

    def __init__(self) -> None:
        self.fds: list[int] = []

    def register(self, fd: int, eventmask: int = 0) -> None:
        self.fds.append(fd)

    def poll(self, timeout: float | None = None) -> list[tuple[int, int]]:
        return [(fd, select.POLLNVAL) for fd in self.fds]


def _prepare_stdlib() -> None:
    """Import the standard library's platform-specific modules while they still see Linux."""
    import multiprocessing.connection  # noqa: F401
    import multiprocessing.context  # noqa: F401
    import multiprocessing.pool  # noqa: F401
    import multiprocessing.popen_spawn_posix  # noqa: F401
    import multiprocessing.spawn  # noqa: F401
    import multiprocessing.util  # noqa: F401
    import subprocess  # noqa: F401
    import tempfile  # noqa: F401

    import platformdirs  # noqa: F401  (its Windows module calls the Windows API, which is not here)


def _with_real_platform(method: Callable[..., object]) -> Callable[..., object]:
    """`method` (the standard library's own) run with the real sys.platform: it branches on it
    at call time (multiprocessing's spawn builds a Windows command line under "win32", and its
    queues and semaphores pass Windows handles)."""
    real = sys.platform

    @functools.wraps(method)
    def call(*args: object, **kwargs: object) -> object:
        simulated_platform = sys.platform
        sys.platform = real
        try:
            return method(*args, **kwargs)
        finally:
            sys.platform = simulated_platform

    return call


def simulate(platform: str, patch: object | None = None) -> None:
    """From now on the game sees `platform`'s standard library. `patch` is pytest's monkeypatch
    (undone after the test); without it, the changes are for the whole process."""
    assert platform in PLATFORMS, platform
    _prepare_stdlib()

    def setattr_(target: object, name: str, value: object) -> None:
        if patch is not None:
            patch.setattr(target, name, value)  # type: ignore[attr-defined]
        else:
            setattr(target, name, value)

    def delattr_(target: object, name: str) -> None:
        if not hasattr(target, name):
            return
        if patch is not None:
            patch.delattr(target, name)  # type: ignore[attr-defined]
        else:
            delattr(target, name)

    if platform == "win32":
        for name in POSIX_ONLY:
            if patch is not None:
                patch.setitem(sys.modules, name, None)  # type: ignore[attr-defined]
            else:
                sys.modules[name] = None  # type: ignore[assignment]  # `import name` now raises ImportError
        delattr_(select, "poll")
        delattr_(os, "fork")
        delattr_(signal, "pthread_sigmask")
        delattr_(signal, "SIGHUP")
        delattr_(signal, "SIGKILL")
    else:
        setattr_(select, "poll", _DevicesUnsupportedPoll)
    import multiprocessing.pool

    # A pool's queues, locks and workers are all made in its __init__ (the game's pool of
    # spawned workers is made where forking is not offered: here, under the simulation).
    setattr_(multiprocessing.pool.Pool, "__init__", _with_real_platform(multiprocessing.pool.Pool.__init__))
    setattr_(sys, "platform", platform)


def main(argv: list[str]) -> int:
    platform, rest = argv[0], argv[1:]
    if rest[:1] == ["--"]:
        rest = rest[1:]
    simulate(platform)
    from game.cli import main as kengir

    return kengir(rest)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    sys.exit(main(sys.argv[1:]))
