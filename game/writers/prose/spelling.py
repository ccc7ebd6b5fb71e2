"""Spelling: every word a player reads, checked against pyspellchecker's English dictionary and
the words the story supplies, each unknown word at file:line:col with a hint.

The story supplies its glossary terms, people, places, perspectives and the authors it cites,
and the accepted words of `words.txt` in the story folder: the writers' own list (the loader
reads only `*.yaml`, so it never becomes part of the story), one or more words a line, `#`
starting a comment, case not mattering.

pyspellchecker is pure Python with its dictionary inside the package: `pip install` is all it
takes on Windows, macOS and Linux, where Hunspell through pyenchant needs a system library and
dictionaries that a clean install and CI do not have. Its English list is American, and the
story is written in British English: a word it does not know is accepted when the regular
American spelling of it is known (colour, metre, recognise, defence, travelled, programme)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.model import Pos
from game.writers.prose.source import Located, SceneProse, texts
from game.writers.prose.word_cache import MissingLibrary, WordFacts

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


_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")  # XX Congress, Part II
# What is not prose inside text: {expression} holes (not {{ }}), web addresses, Markdown link targets.
_NOT_PROSE = re.compile(r"\{\{|\}\}|\{[^{}]*\}|https?://\S+|\]\([^)]*\)")

# British spellings whose American form the dictionary knows: (ending or part, its American form).
_BRITISH = (
    (re.compile(r"our(s|ed|ing|ite|ites|able|ful|less|er|ers)?$"), r"or\1"),  # colour, honours, favourite
    (re.compile(r"our(?=\w)"), "or"),  # neighbourhood, behaviour's
    (re.compile(r"([^aeiou])re([sd]?)$"), r"\1er\2"),  # metre, centres, centred
    (re.compile(r"is(e|es|ed|ing|er|ers|ation|ations)$"), r"iz\1"),  # recognise, organising
    (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),  # analyse, paralysed
    (re.compile(r"ence(s?)$"), r"ense\1"),  # defence, licences
    (re.compile(r"([aeiou])ll(ed|ing|er|ers|or|ors)$"), r"\1l\2"),  # travelled, counsellor
    (re.compile(r"amme(s?)$"), r"am\1"),  # programme
    (re.compile(r"ogue(s?)$"), r"og\1"),  # catalogue
    (re.compile(r"ae"), "e"),  # anaemia
    (re.compile(r"oe(?!s?$)"), "e"),  # manoeuvre (not shoe, toes)
)


@dataclass
class Misspelling:
    word: str
    pos: Pos
    where: str  # what the text is: "scene strike.yard", "choice 2 of strike.yard", "note yard_shooting"
    hint: str


class Speller:
    """Decides whether a word is known, and what it might have meant: the story's own words
    first, then the dictionary, asked through `facts` (loaded only for words not seen before)."""

    def __init__(self, vocabulary: StoryWords, facts: WordFacts):
        self.vocabulary = vocabulary
        self.facts = facts
        self._dictionary: Any = None
        self._known: dict[str, bool] = {}

    @property
    def dictionary(self) -> Any:
        if self._dictionary is None:
            try:
                from spellchecker import SpellChecker  # a tenth of a second or more to load its dictionary
            except ImportError:
                raise MissingLibrary(
                    "spelling needs pyspellchecker, which is not installed: pip install -e '.[writers]' (the writers' extra)"
                ) from None
            self._dictionary = SpellChecker(language="en", distance=1)
        return self._dictionary

    def known(self, word: str) -> bool:
        if len(word) > 1 and word.isupper() and _ROMAN.fullmatch(word):
            return True
        w = normal(word)
        found = self._known.get(w)
        if found is None:
            found = self._known[w] = self._decide(w)
        return found

    def _decide(self, w: str) -> bool:
        forms = [w, w[:-2]] if w.endswith("'s") else [w]  # possessives: Olena's, the camp's
        for form in forms:
            if form in self.vocabulary:
                return True
            # The plural of a word the story supplies (zeks, lagpunkts).
            if form.endswith("s") and (form[:-1] in self.vocabulary or (form.endswith("es") and form[:-2] in self.vocabulary)):
                return True
        return any(self.facts.get("known", form, self._in_dictionary) for form in forms)

    def _in_dictionary(self, w: str) -> bool:
        dictionary = self.dictionary
        return w in dictionary or any(american != w and american in dictionary for american in _american(w))

    def hint(self, word: str) -> str:
        """ "did you mean ...?" and where to accept the word."""
        guess = self.suggest(word)
        add = f"if it is right, add it to {self.vocabulary.accepted_name}, the glossary or the people"
        return f"did you mean '{guess}'? {add}" if guess else add

    def suggest(self, word: str) -> str:
        w = normal(word)
        if w.endswith("'s"):
            return self.suggest(word[:-2]) if len(w) > 3 else ""
        # A name or term of the story first: it is what a writer most often mistypes.
        close = difflib.get_close_matches(w, self.vocabulary.words | self.vocabulary.accepted, n=1, cutoff=0.8)
        if close:
            return _like(word, close[0])
        # A capitalised word the story does not know is mostly a new name: English words that
        # look like it (Alla, "All"; Rimsky, "Risky") would only mislead.
        if len(w) > 2 and not word[:1].isupper():
            return _like(word, self.facts.get("suggest", w, self._dictionary_suggestion))
        return ""

    def _dictionary_suggestion(self, w: str) -> str:
        dictionary = self.dictionary
        candidates = dictionary.candidates(w) or ()
        best: str = max(candidates, key=lambda c: (dictionary.word_frequency[c], c), default="")
        return best if best != w else ""


def _american(word: str) -> Iterator[str]:
    changed = word
    for pattern, replacement in _BRITISH:
        one = pattern.sub(replacement, word)
        if one != word:
            yield one
        changed = pattern.sub(replacement, changed)
    yield changed  # all at once: manoeuvres -> maneuvers


def _like(original: str, suggestion: str) -> str:
    """The suggestion with the original's capital, if it had one."""
    if not suggestion:
        return ""
    return suggestion[:1].upper() + suggestion[1:] if original[:1].isupper() else suggestion


def prose_of(scene: SceneProse) -> Iterator[tuple[str, Located]]:
    """(what it is, text) for every text of a scene a player reads."""
    data = scene.data
    sid = str(scene.id)
    for key in ("title", "summary", "debrief"):
        if isinstance(data.get(key), Located):
            yield f"the {key} of scene {sid}", data[key]
    for text in scene.texts:
        yield f"scene {sid}", text
    blocks = data.get("text")
    for block in blocks if isinstance(blocks, list) else ():
        if isinstance(block, dict) and isinstance(block.get("summary"), Located):
            yield f"a block's summary in scene {sid}", block["summary"]
    choices = data.get("choices")
    for n, choice in enumerate(choices if isinstance(choices, list) else (), start=1):
        if isinstance(choice, dict):
            for part in texts(choice.get("text")):
                if isinstance(part, Located):
                    yield f"choice {n} of {sid}", part
            if isinstance(choice.get("else"), Located):
                yield f"the reason of choice {n} of {sid}", choice["else"]


# What the rest of the story shows a player, by section: (the kind of entry, its fields).
_SHOWN = {
    "notes": ("note", ("title", "body")),
    "terms": ("term", ("definition",)),
    "people": ("person", ("role", "bio")),
    "events": ("event", ("title", "text")),
}
_FRAME = {
    "endings": ("ending", ("title", "debrief")),
    "prompts": ("prompt", ("text",)),
    "perspectives": ("perspective", ("title", "blurb")),
}


def story_prose(sections: Iterable[tuple[str, dict[str, Any]]]) -> Iterator[tuple[str, Located]]:
    """(what it is, text) for what a player reads outside the scenes: the notes, the glossary,
    the people and the timeline, and the endings, prompts and perspectives of the frame."""
    for name, section in sections:
        if name == "story":
            groups = [(kind, fields, section.get(key)) for key, (kind, fields) in _FRAME.items()]
        elif name in _SHOWN:
            groups = [(*_SHOWN[name], section)]
        else:
            continue
        for kind, fields, entries in groups:
            for eid, entry in entries.items() if isinstance(entries, dict) else ():
                for key in fields:
                    if isinstance(entry, dict) and isinstance(entry.get(key), Located):
                        yield f"the {key} of {kind} {eid}", entry[key]


def check_spelling(speller: Speller, prose: Iterable[tuple[str, Located]]) -> list[Misspelling]:
    """Every unknown word of `prose`, at its place."""
    found = []
    for where, text in prose:
        if not isinstance(text, Located):
            continue
        skip = [(m.start(), m.end()) for m in _NOT_PROSE.finditer(text)] if ("{" in text or "](" in text or "://" in text) else []
        for m in SPELLING_WORD.finditer(text):
            if skip and any(a <= m.start() < b for a, b in skip):
                continue
            if not speller.known(m.group()):
                found.append(Misspelling(m.group(), text.pos(m.start()), where, ""))
    hints: dict[str, str] = {}
    for miss in found:
        if miss.word not in hints:
            hints[miss.word] = speller.hint(miss.word)
        miss.hint = hints[miss.word]
    return found
