"""Byte code kept between runs of `kengir test`, as Python keeps `.pyc` files for modules.

The play-tester turns every scene into generated Python (compiled.compile_scenes). Python's
`compile()` of that module is most of the tester's setting up: about 30 ms of 40 for the shipped
story, paid again on every `kengir test`, and on two cores before the workers can start.
Loading the same code with `marshal` takes half a millisecond.

An entry is keyed on the generated source itself and on Python's byte-code magic number, so a
changed story, a changed generator or another Python simply misses. Like the story cache, an
entry holds a checksum of its code, checked before `marshal` reads it: a damaged entry is
deleted and compiled again, never trusted. The folder may be deleted at any time, and keeps
the entries used last only (cache.KEEP).
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
from pathlib import Path
from types import CodeType

from game.format.cache import discard, prune, used, write_cache_file

MAGIC = b"KENGIR-CODE-CACHE-1\n"
SUFFIX = ".code"


def entry_path(cache_dir: Path, source: str, filename: str) -> Path:
    digest = hashlib.sha256(importlib.util.MAGIC_NUMBER + filename.encode() + b"\0" + source.encode())
    return cache_dir / f"{digest.hexdigest()[:40]}{SUFFIX}"


def compile_cached(source: str, filename: str, cache_dir: Path | None) -> CodeType:
    """`compile(source, filename, "exec")`, from the cache when this very source was compiled
    before. Errors from compiling (SyntaxError and the like) reach the caller as they would."""
    if cache_dir is None:
        return compile(source, filename, "exec")
    path = entry_path(cache_dir, source, filename)
    code = _fetch(path)
    if code is None:
        code = compile(source, filename, "exec")
        payload = marshal.dumps(code)
        try:
            write_cache_file(path, lambda handle: handle.write(MAGIC + hashlib.sha256(payload).digest() + payload))
        except OSError:
            return code  # a cache that cannot be written is simply not used
        prune(cache_dir, SUFFIX, written=path)
    return code


def _fetch(path: Path) -> CodeType | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC)
    payload = data[head + 32 :]
    if data[:head] == MAGIC and hashlib.sha256(payload).digest() == data[head : head + 32]:
        try:
            code = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            code = None
        if isinstance(code, CodeType):
            used(path)
            return code
    discard(path)
    return None
