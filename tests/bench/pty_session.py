"""A program run in a pseudo-terminal of a fixed size, with its output read as it comes.

The benchmark's only way of seeing the TUI as a player does: bytes on a terminal. `expect`
returns the moment a text first appears in the output after a given point.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence

COLUMNS, LINES = 80, 24


class PtySession:
    """One child process on a pseudo-terminal of COLUMNS x LINES, TERM=xterm-256color."""

    def __init__(self, argv: Sequence[str], env: dict[str, str] | None = None, cwd: str | None = None):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        full_env = {**os.environ, **(env or {}), "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)}
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, env=full_env, cwd=cwd, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _pump(self, timeout: float) -> bool:
        """Read what is waiting (up to `timeout` s); False once the child has closed the terminal."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        self.output += chunk
        return True

    def expect(self, text: bytes, since: int = 0, timeout: float = 10.0) -> float:
        """perf_counter() when `text` appeared in the output at or after offset `since`."""
        deadline = time.perf_counter() + timeout
        while True:
            # Look back a little: the text may straddle two reads.
            if self.output.find(text, max(0, since)) >= 0:
                return time.perf_counter()
            left = deadline - time.perf_counter()
            if left <= 0:
                tail = bytes(self.output[-400:])
                raise TimeoutError(f"{text!r} did not appear within {timeout} s; output ends {tail!r}")
            if not self._pump(min(left, 0.05)):
                if self.output.find(text, max(0, since)) >= 0:
                    return time.perf_counter()
                raise EOFError(f"the program ended before {text!r} appeared; output ends {bytes(self.output[-400:])!r}")

    def drain(self, quiet: float = 0.05, timeout: float = 2.0) -> None:
        """Read until nothing has come for `quiet` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            before = len(self.output)
            if not self._pump(quiet) or len(self.output) == before:
                return

    def send(self, data: bytes) -> float:
        """Write keys; return perf_counter() just after."""
        os.write(self.master, data)
        return time.perf_counter()

    def peak_memory_kb(self) -> int:
        """VmHWM of the child: its peak resident memory so far, in KiB."""
        with open(f"/proc/{self.pid}/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmHWM in /proc status")

    def close(self, keys: bytes = b"\x11", timeout: float = 3.0) -> None:
        """Send the quit keys, then end the child if it does not leave by itself."""
        try:
            if self.process.poll() is None and keys:
                self.send(keys)
            deadline = time.perf_counter() + timeout
            while self.process.poll() is None and time.perf_counter() < deadline:
                self._pump(0.05)
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(2)
        except (OSError, subprocess.TimeoutExpired):
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        finally:
            os.close(self.master)
