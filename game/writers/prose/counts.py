"""The prose figures, counted exactly as `../shared/tools/prose_stats.py` counts them: words per
scene, act and perspective; sentences of seven words or more that scenes repeat, and those that
scenes of different perspectives share; historians and later counts named in scene prose; and
the tics per 1,000 words. Each count keeps the places it found, at file:line:col.

The patterns and the way text is cut into sentences are the reference's, character for
character: the second draft's targets are stated in its numbers (tests/writers compares)."""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from game.model import Pos
from game.writers.prose.source import Located, ProseSource, SceneProse

WORD = re.compile(r"[\w'’-]+")
HISTORIANS = re.compile(
    r"\b(Solzhenitsyn|Formozov|Applebaum|Barnes|Craveri|Kokurin|Petrov|Tamarina|Bershadskaya will|historians?)\b"
    r"|will (later )?(count|write|say|date|put)\b"
)
# The tics the second draft counts, and its targets per 1,000 words of scene text.
TICS = {"nobody": (re.compile(r"\bnobody\b"), 1.5), "as if": (re.compile(r"\bas if\b"), 1.0)}
SENTENCE_WORDS = 7
_LINE_IN_PARAGRAPH = re.compile(r"(?<!\n)\n(?!\n)")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n")


@dataclass
class Place:
    """Where something was found: the scene, and the file:line:col."""

    scene: str
    pos: Pos


class SceneText:
    """A scene's texts joined as the reference joins them, able to say where an offset is."""

    def __init__(self, scene: SceneProse):
        self.scene = scene
        self.text = "\n".join(scene.texts)
        self._starts: list[int] = []
        at = 0
        for part in scene.texts:
            self._starts.append(at)
            at += len(part) + 1

    def pos(self, offset: int) -> Pos:
        if not self.scene.texts:
            return self.scene.pos
        i = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        part: Located = self.scene.texts[i]
        return part.pos(min(offset - self._starts[i], max(len(part) - 1, 0)))

    def place(self, offset: int) -> Place:
        return Place(str(self.scene.id), self.pos(offset))

    def sentences(self) -> Iterator[tuple[str, str, int]]:
        """(the sentence as its words in lower case, as written, where its first word is) for
        each sentence of seven words or more."""
        flat = _LINE_IN_PARAGRAPH.sub(" ", self.text)  # the same length: offsets hold
        start = 0
        for piece_end, next_start in [*((m.start(), m.end()) for m in _SENTENCE_BREAK.finditer(flat)), (len(flat), len(flat))]:
            piece = flat[start:piece_end]
            words = WORD.findall(piece.lower())
            if len(words) >= SENTENCE_WORDS:
                first = WORD.search(piece)
                yield " ".join(words), piece.strip(), start + (first.start() if first else 0)
            start = next_start


@dataclass
class Repeat:
    """A sentence of seven words or more found in more than one scene."""

    key: str  # its words in lower case: what makes two sentences the same
    text: str  # as written where it is first found
    places: list[Place]  # the first place in each scene
    across: bool  # in scenes of different perspectives (the reference's count)


@dataclass
class Tic:
    word: str
    count: int
    per_1000: float
    target: float
    places: list[Place]


@dataclass
class Figures:
    """The reference's figures, with the places behind them."""

    scenes: int
    words: int
    words_per_scene: dict[str, int]
    scenes_per_perspective_act: dict[str, dict[str, int]]
    words_per_perspective_act: dict[str, dict[str, int]]
    repeats: list[Repeat]
    historians: list[tuple[Place, str]]
    tics: dict[str, Tic]
    texts: dict[str, SceneText] = field(repr=False, default_factory=dict)

    @property
    def shared(self) -> list[Repeat]:
        return [r for r in self.repeats if r.across]


def count(source: ProseSource) -> Figures:
    """Every figure of the reference, over the scenes of `source`."""
    scene_texts = {sid: SceneText(scene) for sid, scene in source.scenes.items()}
    words = {sid: len(WORD.findall(t.text)) for sid, t in scene_texts.items()}
    total = sum(words.values())
    per: defaultdict[str, Counter[str]] = defaultdict(Counter)
    per_words: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for sid, scene in source.scenes.items():
        for p in scene.perspectives:
            per[p][scene.act] += 1
            per_words[p][scene.act] += words[sid]
    historians = [(t.place(m.start()), m.group(0)) for t in scene_texts.values() for m in HISTORIANS.finditer(t.text)]
    return Figures(
        scenes=len(source.scenes),
        words=total,
        words_per_scene=words,
        scenes_per_perspective_act={p: dict(c) for p, c in sorted(per.items())},
        words_per_perspective_act={p: dict(c) for p, c in sorted(per_words.items())},
        repeats=_repeats(source, scene_texts),
        historians=historians,
        tics=_tics(scene_texts, total),
        texts=scene_texts,
    )


def _repeats(source: ProseSource, scene_texts: dict[str, SceneText]) -> list[Repeat]:
    found: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)  # sentence -> scene -> (as written, offset)
    for sid, text in scene_texts.items():
        for key, written, offset in text.sentences():
            found[key].setdefault(sid, (written, offset))
    repeats = []
    for key, where in found.items():
        if len(where) < 2:
            continue
        sets = [source.scenes[sid].perspectives for sid in where]
        # As the reference decides: some two of the scenes (or one, with no perspective at all)
        # have no perspective in common.
        across = any(a.isdisjoint(b) for a in sets for b in sets)
        first = next(iter(where.values()))[0]
        places = [scene_texts[sid].place(offset) for sid, (_, offset) in where.items()]
        repeats.append(Repeat(key, first, places, across))
    return repeats


def _tics(scene_texts: dict[str, SceneText], total: int) -> dict[str, Tic]:
    # The story's rate from all its scene text in one piece, as the reference takes it.
    everything = " ".join(t.text for t in scene_texts.values()).lower()
    tics = {}
    for word, (pattern, target) in TICS.items():
        n = len(pattern.findall(everything))
        places = [t.place(m.start()) for t in scene_texts.values() for m in pattern.finditer(t.text.lower())]
        tics[word] = Tic(word, n, round(1000 * n / max(total, 1), 2), target, places)
    return tics
