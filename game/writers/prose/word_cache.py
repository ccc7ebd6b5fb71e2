"""What the dictionary and the baseline said of each word, kept between runs of `kengir prose`.

Loading pyspellchecker's dictionary and importing wordfreq are most of a report's time (about
0.15 s and 0.1 s of 0.5 s on the shipped story), and a writer who runs the report on every save
asks them about the same few thousand words each time. Their answers are kept in the story
cache folder, keyed on both libraries' versions and on the rules used here: a run whose words
were all seen before loads neither library. Like the story cache, an entry holds a checksum,
checked before it is read: a damaged entry is deleted and rebuilt, never trusted.

The story's own words (its glossary, people, words.txt) are not kept here: they are checked
first, on every run, so that an edited word list counts at once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from game.format.cache import discard, prune, used, write_cache_file

MAGIC = b"KENGIR-WORDS-1\n"  # raise it when the British spellings or the suggestions change
SUFFIX = ".words"
KEEP = 2


class MissingLibrary(Exception):
    """A library the report needs for an answer is not installed."""


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "none"


class WordFacts:
    """A word's verdict from the dictionary, its suggestion, and its frequency in common English:
    from the cache when known, else asked of `ask_*` (which load their library when first called)."""

    def __init__(self, cache_dir: Path | None):
        self.path = None
        if cache_dir is not None:
            key = MAGIC + f"{_version('pyspellchecker')}|{_version('wordfreq')}".encode()
            self.path = cache_dir / f"{hashlib.sha256(key).hexdigest()[:40]}{SUFFIX}"
        self.facts: dict[str, dict[str, Any]] = {"known": {}, "suggest": {}, "frequency": {}}
        self.changed = False
        if self.path is not None:
            self._fetch(self.path)

    def get(self, kind: str, word: str, ask: Callable[[str], Any]) -> Any:
        """The fact `kind` of `word`, asked with `ask(word)` the first time."""
        known = self.facts[kind]
        if word in known:
            return known[word]
        value = known[word] = ask(word)
        self.changed = True
        return value

    def save(self) -> None:
        """Keep what was learnt, if anything was (a cache that cannot be written is not used)."""
        if self.path is None or not self.changed:
            return
        payload = json.dumps(self.facts, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            write_cache_file(self.path, lambda handle: handle.write(MAGIC + hashlib.sha256(payload).digest() + payload))
        except OSError:
            return
        prune(self.path.parent, SUFFIX, keep=KEEP, written=self.path)
        self.changed = False

    def _fetch(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            return
        head = len(MAGIC)
        payload = data[head + 32 :]
        if data[:head] == MAGIC and hashlib.sha256(payload).digest() == data[head : head + 32]:
            try:
                facts = json.loads(payload)
            except ValueError:
                facts = None
            if isinstance(facts, dict) and all(isinstance(facts.get(kind), dict) for kind in self.facts):
                self.facts = facts
                used(path)
                return
        discard(path)
