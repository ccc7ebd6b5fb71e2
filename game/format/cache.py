"""A cache of loaded stories, so that a story whose files have not changed loads at once.

Each entry is keyed on the hash of every story file's place and bytes and on the program's
version, so an edited file or a new version simply misses. The file holds a checksum of its
payload, checked before anything is unpickled: a damaged or truncated entry is never trusted,
only deleted and rebuilt. Deleting the whole folder at any time is safe.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from game import __version__
from game.model import Problem, Problems, Scene, Story

MAGIC = b"KENGIR-STORY-CACHE-4\n"  # 3: routes, block notes and roll sites; 4: blocks' violence and summaries
_VERSION = f"{__version__}|{sys.version_info[:2]}|{pickle.HIGHEST_PROTOCOL}"


def _path(cache_dir: Path, key: str) -> Path:
    name = hashlib.sha256(f"{_VERSION}|{key}".encode()).hexdigest()[:40]
    return cache_dir / f"{name}.story"


_CHUNK = 1 << 20


def fetch(cache_dir: Path, key: str) -> tuple[Story, Problems] | None:
    """The cached (story, problems) for `key`, or None (a miss, or a damaged entry, removed).

    The file is checked and then unpickled from the same open file, piece by piece: a large
    story's entry is never held in memory whole beside the story it holds."""
    path = _path(cache_dir, key)
    try:
        with open(path, "rb") as handle:
            if handle.read(len(MAGIC)) != MAGIC:
                raise _Damaged
            checksum = handle.read(32)
            digest = hashlib.sha256()
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                digest.update(chunk)
            if digest.digest() != checksum:
                raise _Damaged
            handle.seek(len(MAGIC) + 32)
            try:
                story, items = _load(handle)
            except Exception:  # written by us and checksummed, but never trusted: rebuild instead
                raise _Damaged from None
    except FileNotFoundError:
        return None
    except (OSError, _Damaged):
        discard(path)
        return None
    if not isinstance(story, Story) or not all(isinstance(p, Problem) for p in items):
        discard(path)
        return None
    used(path)
    return story, Problems(list(items))


class _Damaged(Exception):
    pass


# Scenes per pickle. Each pickle remembers every object it holds until it is done (to share
# them), which for 10,000 scenes in one pickle was a third of `kengir check`'s peak memory;
# in pieces of 500 it is a twentieth of that. Expressions shared across pieces are stored once
# per piece.
SCENES_PER_PICKLE = 500


# The last scenes of a story, already pickled in pieces (lists of scenes): how many, and the pieces.
Pickled = tuple[int, list[bytes]]


def _dump(story: Story, problems: Problems, writer: Any, pickled: Pickled = (0, [])) -> None:
    """The story without its scenes, then its scenes piece by piece (the last ones as pickled)."""
    scenes = list(story.scenes.values())
    frame = dataclasses.replace(story, scenes={})
    pickle.dump((frame, problems.items, len(scenes)), writer, protocol=pickle.HIGHEST_PROTOCOL)
    count, pieces = pickled
    for start in range(0, len(scenes) - count, SCENES_PER_PICKLE):
        pickle.dump(scenes[start : min(start + SCENES_PER_PICKLE, len(scenes) - count)], writer, protocol=pickle.HIGHEST_PROTOCOL)
    for piece in pieces:
        writer.write(piece)


def _load(handle: BinaryIO) -> tuple[Story, list[Any]]:
    frame, items, count = pickle.load(handle)
    scenes: dict[str, Scene] = {}
    while len(scenes) < count:
        piece = pickle.load(handle)
        if not piece or not all(isinstance(scene, Scene) for scene in piece):
            raise _Damaged
        scenes.update((scene.id, scene) for scene in piece)
    if not isinstance(frame, Story):
        raise _Damaged
    return dataclasses.replace(frame, scenes=scenes), items


class _HashingWriter:
    """A file that also hashes what is written to it."""

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.handle.write(data)


def store(cache_dir: Path, key: str, story: Story, problems: Problems, pickled: Pickled = (0, [])) -> None:
    """Keep `story` for next time; a cache that cannot be written is simply not used.

    Pickled straight into the file (the checksum is filled in at the end), not into one
    large bytes object first. `pickled`: the story's last scenes, already pickled in pieces
    (by the helper process of a load on two cores), written as they are."""

    def fill(handle: BinaryIO) -> None:
        handle.write(MAGIC + bytes(32))
        writer = _HashingWriter(handle)
        _dump(story, problems, writer, pickled)
        handle.seek(len(MAGIC))
        handle.write(writer.digest.digest())

    path = _path(cache_dir, key)
    try:
        write_cache_file(path, fill)
    except (OSError, pickle.PicklingError, RecursionError):
        return
    prune(cache_dir, ".story", written=path)


def write_cache_file(path: Path, fill: Callable[[BinaryIO], object]) -> None:
    """Write a cache entry whole or not at all, as a save is written (saves.write_atomic_with).

    Unlike a save, not forced to the disk (no fsync, which can cost more than the rest on a
    laptop's disk): an entry lost or torn by a crash fails its checksum and is built again.
    A new cache folder is private to the user: its entries are loaded as the program's own."""
    from game.atomic import write_atomic_with

    write_atomic_with(path, fill, durable=False, folder_mode=0o700)


def used(path: Path) -> None:
    """Mark an entry as just used, so that pruning keeps what is played rather than what was
    written last (a read-only folder keeps its dates)."""
    try:
        os.utime(path)
    except OSError:
        pass


# Entries of each kind kept: every edit of a story makes a new entry, and without a limit a
# writer's cache grew by the whole story at every save (tens of MB for 10,000 scenes).
KEEP = 16
# What the cache's own files are called: entries (40 hex digits and a suffix), and the temporary
# files they are written under, which a process killed while writing leaves behind. Nothing
# else in the folder is ever deleted (KENGIR_CACHE may name a folder that holds other files).
ENTRY = re.compile(r"[0-9a-f]{40}\.[a-z]+")
_TEMPORARY_NAME = re.compile(r"\.[0-9a-f]{40}\.[a-z]+\..+\.tmp")  # as write_atomic_with names them
STALE_AFTER = 3600  # seconds: a temporary file this old is not being written any more


def prune(cache_dir: Path, suffix: str, keep: int = KEEP, written: Path | None = None) -> None:
    """Delete all but the `keep` most recently used entries whose names end in `suffix` (never
    `written`, the one just written), and temporary files left behind by a killed process."""
    try:
        with os.scandir(cache_dir) as found:
            listed = list(found)
    except OSError:
        return
    entries = []
    now = time.time()
    for entry in listed:
        try:
            if ENTRY.fullmatch(entry.name) and entry.name.endswith(suffix):
                if written is None or entry.name != written.name:
                    entries.append((entry.stat().st_mtime_ns, entry.path))
            elif _TEMPORARY_NAME.fullmatch(entry.name) and now - entry.stat().st_mtime > STALE_AFTER:
                discard(Path(entry.path))
        except OSError:  # removed meanwhile by another process
            continue
    entries.sort(reverse=True)
    for _, path in entries[keep - (written is not None) :]:
        discard(Path(path))


def discard(path: Path) -> None:
    """Delete a cache entry, if it can be."""
    try:
        os.unlink(path)
    except OSError:
        pass
