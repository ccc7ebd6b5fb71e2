"""Writing a file so that a crash at any moment leaves the old file or the new one, whole.

Used by everything that writes the player's, the teacher's or the writer's files (saves,
records, settings, a new scene) and by the caches. It imports nothing of the game.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: Path, text: str | bytes) -> None:
    """Replace `path` with `text` so that a crash leaves the old file or the new one, whole."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    write_atomic_with(path, lambda handle: handle.write(data))


def write_atomic_with(path: Path, fill: Callable[[BinaryIO], object], durable: bool = True, folder_mode: int = 0o777) -> None:
    """Replace `path` with what `fill` writes to the open file, as safely as `write_atomic`
    (for content written piece by piece rather than held in memory whole).

    `durable`: forced to the disk (fsync) before and after the rename; a cache, whose entries
    are checksummed and rebuilt when torn, need not pay for it. `folder_mode`: for a folder made
    here."""
    path.parent.mkdir(mode=folder_mode, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w+b") as handle:
            fill(handle)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if not durable:
        return
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
