"""Noticing that the terminal has gone, so that the game saves and ends instead of spinning.

When an ssh connection drops, the terminal normally sends SIGHUP, which ends the game (every
choice is autosaved as it is made). But a game with no controlling terminal (started by
`setsid`, some process supervisors, or an ssh session that dies without the signal) gets no
SIGHUP: its terminal just reads as ended, and Textual 8.2.8's input thread then loops on the
empty reads at 100 % of a core for ever (Textualize/textual pull request 6690, open). Measured
here: 96 % of a core, still running 5 s after its pseudo-terminal was closed.

The app polls the terminal for a hang-up (poll() reports POLLHUP without reading anything, so
no key is taken from Textual) and leaves as if the player had quit.
"""

from __future__ import annotations

import os
import select
import sys

CHECK_EVERY = 1.0  # seconds: a hang-up is noticed within about this


def terminal_fd() -> int | None:
    """The terminal the game reads its keys from, if it reads them from a terminal."""
    stdin = sys.__stdin__
    try:
        fd = stdin.fileno() if stdin is not None else -1
    except (OSError, ValueError):  # closed, or not a real file
        return None
    return fd if fd >= 0 and os.isatty(fd) else None


def hung_up(fd: int) -> bool:
    """True once the other end of the terminal is gone (or the descriptor is no longer valid)."""
    poller = select.poll()
    poller.register(fd, 0)  # no events asked for: hang-ups and errors are always reported
    return any(events & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, events in poller.poll(0))
