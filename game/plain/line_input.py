"""Reading the player's lines: plain `readline()` from a stream, or, on a terminal, with line
editing and history.

On a terminal, Python's `input()` edits the line as it is typed when the standard library's
`readline` module is there (Linux and macOS): arrows move the cursor, up and down recall earlier
lines, ctrl+L clears the screen. Without it, an arrow key would arrive as the escape code
`^[[D` inside the command, and a screen reader would read that back. Windows' Python has no
`readline`, but its console edits lines itself (arrows, F7 for history) before Python sees them,
so `input()` is right there too. From a pipe or a test's StringIO, lines are read as they come.
"""

from __future__ import annotations

import sys
from typing import TextIO


def line_editing_available() -> bool:
    """Whether `input()` edits lines here: readline imported, or Windows' console doing it."""
    if sys.platform == "win32":
        return True
    try:
        import readline  # noqa: F401  (importing it is what turns editing on for input())
    except ImportError:
        return False
    return True


class LineInput:
    """Lines typed by the player, from `stdin`, prompted on `stdout`."""

    def __init__(self, stdin: TextIO, stdout: TextIO):
        self.stdin = stdin
        self.stdout = stdout
        # input() edits lines only on the process's own terminal, and only through sys.stdin/stdout.
        self.editing = (
            stdin is sys.stdin and stdout is sys.stdout and _is_terminal(stdin) and _is_terminal(stdout) and line_editing_available()
        )

    def read(self, prompt: str = "") -> str:
        """The next line, with its newline; "" at the end of input."""
        if self.editing:
            try:
                return input(prompt) + "\n"
            except EOFError:
                return ""
        if prompt:
            self.stdout.write(prompt)
            self.stdout.flush()
        return self.stdin.readline()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
