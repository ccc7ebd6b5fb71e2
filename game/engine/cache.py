"""A cache of loaded stories, so that a story whose files have not changed loads at once.

Each entry is keyed on the hash of every story file's place and bytes and on the program's
version, so an edited file or a new version simply misses. The file holds a checksum of its
payload, checked before anything is unpickled: a damaged or truncated entry is never trusted,
only deleted and rebuilt. Deleting the whole folder at any time is safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

from .. import __version__
from .model import Story
from .problems import Problem, Problems

MAGIC = b"KENGIR-STORY-CACHE-1\n"
_VERSION = f"{__version__}|{sys.version_info[:2]}|{pickle.HIGHEST_PROTOCOL}"


def _path(cache_dir: Path, key: str) -> Path:
    name = hashlib.sha256(f"{_VERSION}|{key}".encode()).hexdigest()[:40]
    return cache_dir / f"{name}.story"


def fetch(cache_dir: Path, key: str) -> tuple[Story, Problems] | None:
    """The cached (story, problems) for `key`, or None (a miss, or a damaged entry, removed)."""
    path = _path(cache_dir, key)
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    checksum, payload = blob[len(MAGIC):len(MAGIC) + 32], blob[len(MAGIC) + 32:]
    if not blob.startswith(MAGIC) or hashlib.sha256(payload).digest() != checksum:
        _discard(path)
        return None
    try:
        story, items = pickle.loads(payload)
    except Exception:  # written by us and checksummed, but never trusted: rebuild instead
        _discard(path)
        return None
    if not isinstance(story, Story) or not all(isinstance(p, Problem) for p in items):
        _discard(path)
        return None
    return story, Problems(list(items))


def store(cache_dir: Path, key: str, story: Story, problems: Problems) -> None:
    """Keep `story` for next time; a cache that cannot be written is simply not used."""
    from .saves import write_atomic  # the same crash-safe write as the saves

    try:
        payload = pickle.dumps((story, problems.items), protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(_path(cache_dir, key), MAGIC + hashlib.sha256(payload).digest() + payload)
    except (OSError, pickle.PicklingError, RecursionError):
        pass


def _discard(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
