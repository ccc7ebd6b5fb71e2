"""The words a story supplies for its spelling: its glossary terms, people, places, perspectives
and the authors it cites, and the accepted words of `words.txt` in the story folder.

`words.txt` is the writers' own list (the loader reads only `*.yaml`, so it never becomes part
of the story): one or more words a line, `#` starts a comment, case does not matter."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WORDS_FILE = "words.txt"
# A word for spelling: letters, with apostrophes inside (don't, Ona's); hyphens and digits part words.
SPELLING_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@dataclass(frozen=True)
class StoryWords:
    """The words a story vouches for, in lower case, and where they came from."""

    words: frozenset[str]
    accepted: frozenset[str]  # from words.txt
    accepted_name: str  # words.txt as the report names it
    error: str = ""  # why words.txt could not be read

    def __contains__(self, word: object) -> bool:
        return word in self.words or word in self.accepted


def normal(word: str) -> str:
    """A word as the lists keep it: lower case, with a straight apostrophe."""
    return word.replace("’", "'").lower()


def split_words(text: str) -> Iterator[str]:
    for m in SPELLING_WORD.finditer(text):
        yield m.group()


def story_words(sections: Iterable[tuple[str, dict[str, Any]]], root: Path, shown_as: str) -> StoryWords:
    """The words of the story's glossary, people, places, perspectives and cited authors (from
    `sections`, each file's sections as read), and of `root`/words.txt (`shown_as` in messages)."""
    found: set[str] = set()

    def take(value: Any) -> None:
        if isinstance(value, str):
            found.update(normal(w) for w in split_words(value))

    for name, section in sections:
        entries = [e for e in section.values() if isinstance(e, dict)]
        if name == "terms":
            for entry in entries:
                take(entry.get("term"))
        elif name == "people":
            for entry in entries:
                take(entry.get("name"))
        elif name == "sources":
            for entry in entries:
                take(entry.get("author"))
        elif name == "places":
            for title in section.values():
                take(title)
        elif name == "story":
            take(section.get("title"))
            places = section.get("places")
            for title in places.values() if isinstance(places, dict) else ():
                take(title)
            perspectives = section.get("perspectives")
            for pid, perspective in perspectives.items() if isinstance(perspectives, dict) else ():
                take(pid)
                take(perspective.get("title") if isinstance(perspective, dict) else None)
    try:
        accepted = read_accepted(root / WORDS_FILE)
    except (OSError, UnicodeDecodeError) as exc:
        return StoryWords(frozenset(found), frozenset(), shown_as, f"{shown_as}: cannot be read ({exc}); no accepted words")
    return StoryWords(frozenset(found), frozenset(accepted), shown_as)


def read_accepted(path: Path) -> set[str]:
    """The words of an accepted-words file (none if there is no such file)."""
    if not path.is_file():
        return set()
    text = path.read_text(encoding="utf-8")
    return {normal(w) for line in text.splitlines() for w in split_words(line.split("#", 1)[0])}
