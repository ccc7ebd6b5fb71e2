"""Unexpected errors: the traceback goes to a log file, the player gets one readable line.

A player should never see a traceback, and a developer should never lose one. Each error is
written, with its traceback and the run's position, to `<save folder>/meta/logs/`, and the
message names that file so it can be sent with a bug report.
"""

from __future__ import annotations

import re
import time
import traceback
from pathlib import Path

KEPT_LOGS = 20


def write_crash_log(folder: Path, error: BaseException, context: str = "") -> Path | None:
    """Write `error`'s traceback to a new file in `folder`; return its path (None if it failed)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = folder / f"error-{stamp}-{time.monotonic_ns() % 1_000_000:06d}.log"
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        path.write_text(f"{context}\n\n{text}" if context else text, encoding="utf-8")
        for old in sorted(folder.glob("error-*.log"))[:-KEPT_LOGS]:
            old.unlink(missing_ok=True)
        return path
    except OSError:
        return None


def one_line(error: BaseException, log: Path | None, in_browser: bool = False) -> str:
    """What the player reads. In a browser the log is on the server: its folder means nothing
    to the student, its name lets the teacher find it."""
    if log is None:
        where = ""
    elif in_browser:
        where = f" The details are kept on the server for your teacher ({log.name})."
    else:
        where = f" Details were written to {log}."
    return f"Something went wrong ({type(error).__name__}); your game is saved.{where}"


# The folders of an absolute path (POSIX: kengir serve runs on a server), up to its file name.
_FOLDERS = re.compile(r"(?<![\w.~-])/(?:[^/\s'\":]+/)+")


def without_folders(message: str) -> str:
    """`message` with each absolute path cut to its file name: what a student in a browser
    should read of a save or settings error ("autosave-3.json: could not save: ..."), since
    a folder on the server means nothing to them and is not theirs to know."""
    return _FOLDERS.sub("", message)
