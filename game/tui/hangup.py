"""Noticing that the terminal has gone, so that the game saves and ends instead of spinning.

When an ssh connection drops, the terminal normally sends SIGHUP, which ends the game (every
choice is autosaved as it is made). But a game with no controlling terminal (started by
`setsid`, some process supervisors, or an ssh session that dies without the signal) gets no
SIGHUP: its terminal just reads as ended, and Textual 8.2.8's input thread then loops on the
empty reads at 100 % of a core for ever (Textualize/textual pull request 6690, open). Measured
here: 96 % of a core, still running 5 s after its pseudo-terminal was closed.

The app asks every second whether the terminal has hung up, without reading from it (no key
is taken from Textual), and leaves as if the player had quit. How it asks depends on the system:

- Linux: poll() reports POLLHUP for a terminal whose other end is gone.
- macOS and the BSDs: poll() does not support terminal devices there (Darwin's poll(2): "poll()
  does not support devices"); it answers POLLNVAL for a working terminal, which would read as a
  hang-up. select() does support them: a hung-up terminal reads as ready with nothing waiting
  (the FIONREAD ioctl says 0 bytes, or fails). A key that Textual reads between our select()
  and our ioctl looks the same for that instant, so a hang-up is believed only when two checks
  in a row see it; a real one never goes away.
- Windows: no watch. Closing the console window ends the process (CTRL_CLOSE_EVENT), and there
  is no terminal device to hang up; `watch_method` says so.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

CHECK_EVERY = 1.0  # seconds: a hang-up is noticed within about this (two checks on macOS)


def terminal_fd() -> int | None:
    """The terminal the game reads its keys from, if it reads them from a terminal."""
    stdin = sys.__stdin__
    try:
        fd = stdin.fileno() if stdin is not None else -1
    except (OSError, ValueError):  # closed, or not a real file
        return None
    return fd if fd >= 0 and os.isatty(fd) else None


def watch_method() -> str:
    """How this system can notice a hang-up: "poll", "select", or "" (not at all)."""
    import select

    if sys.platform.startswith("linux") and hasattr(select, "poll"):
        return "poll"
    if sys.platform == "win32":
        return ""
    try:  # macOS and the BSDs: select() and the FIONREAD ioctl
        import fcntl  # noqa: F401  (POSIX only)
        import termios

        termios.FIONREAD  # noqa: B018  (present where the ioctl is)
    except (ImportError, AttributeError):
        return ""
    return "select"


def hang_up_check(fd: int, method: str | None = None) -> Callable[[], bool] | None:
    """A function telling whether the terminal `fd` has hung up, or None where nothing can tell."""
    method = watch_method() if method is None else method
    if method == "poll":
        return lambda: _poll_says_hung_up(fd)
    if method == "select":
        seen = [False]  # the last check saw it too

        def check() -> bool:
            now = _select_says_hung_up(fd)
            confirmed = now and seen[0]
            seen[0] = now
            return confirmed

        return check
    return None


def _poll_says_hung_up(fd: int) -> bool:
    """Linux: POLLHUP, POLLERR or POLLNVAL (the descriptor is no longer valid)."""
    import select

    poller = select.poll()
    poller.register(fd, 0)  # no events asked for: hang-ups and errors are always reported
    return any(events & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, events in poller.poll(0))


def _select_says_hung_up(fd: int) -> bool:
    """macOS and the BSDs: ready to read, with nothing waiting to be read (or no terminal left)."""
    import array
    import fcntl
    import select
    import termios

    try:
        ready, _, _ = select.select([fd], [], [], 0)
    except (OSError, ValueError):  # the descriptor is closed or no longer valid
        return True
    if not ready:
        return False
    waiting = array.array("i", [0])
    try:
        fcntl.ioctl(fd, termios.FIONREAD, waiting, True)
    except OSError:  # EIO: the terminal is gone
        return True
    return waiting[0] == 0
