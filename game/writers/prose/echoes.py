"""What the reference's sentence count cannot see: text reworded just enough to be a new sentence,
and the phrases an editor watches. Two scenes of different perspectives that share runs of six
words or more (a paragraph of one lightly edited into the other) are an echo; so is a turn of
phrase a draft leans on ("the way a man…", "He does not need to.").

An echo is advice, as every finding of the prose report: one event seen from two sides may share
its words on purpose (a broadcast both hear). The figures name the pairs; the writer judges."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass

from game.writers.prose.counts import WORD, Place, SceneText
from game.writers.prose.source import ProseSource

RUN_WORDS = 6  # the shortest run of words two scenes must share to count
ECHO_WORDS = 18  # the words two scenes must share, in runs, to be reported: three runs, or one long
_COMMON = 12  # a run found in more places than this is a stock phrase of the story, not an echo


@dataclass
class Echo:
    """Two scenes of perspectives that have nothing in common, sharing runs of words."""

    first: Place  # where the longest run starts, in each scene
    second: Place
    words: int  # words in all the runs they share
    runs: int
    longest: str  # the longest run, as written in the first scene


@dataclass
class Watched:
    """A phrase the editor watches, with its limit: in the whole story, or in any one scene."""

    name: str
    pattern: re.Pattern[str]
    limit: int
    per_scene: bool  # the limit counts in each scene, not in the story

    def describe(self) -> str:
        return f"at most {self.limit} in a scene" if self.per_scene else f"at most {self.limit} in the story"


# The second draft's tics after "nobody" and "as if" (the editor's review, December 2026).
WATCHED = (
    # "the way a man watches…", "the way you hold…": a manner compared; not "the way out", "the way back"
    Watched(
        '"the way …" simile',
        re.compile(r"\bthe way (?!(?:out|to|back|there|home|in|up|down|through|of|from|across|along|into)\b)\w", re.IGNORECASE),
        1,
        per_scene=True,
    ),
    Watched('"…does not need to."', re.compile(r"\b(?:does|do|did) not (?:need|have) to[.!]", re.IGNORECASE), 2, per_scene=False),
)


def echoes(source: ProseSource, texts: dict[str, SceneText]) -> list[Echo]:
    """Every pair of scenes with no perspective in common that share ECHO_WORDS words or more in
    runs of RUN_WORDS, longest first."""
    words: dict[str, list[re.Match[str]]] = {sid: list(WORD.finditer(t.text)) for sid, t in texts.items()}
    found: defaultdict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    for sid, matches in words.items():
        lower = [m.group(0).lower() for m in matches]
        for i in range(len(lower) - RUN_WORDS + 1):
            found[tuple(lower[i : i + RUN_WORDS])].append((sid, i))
    starts: defaultdict[tuple[str, str], set[tuple[int, int]]] = defaultdict(set)
    for places in found.values():
        if len(places) < 2 or len(places) > _COMMON:
            continue
        for (a, i), (b, j) in itertools.combinations(sorted(places), 2):
            if a != b and source.scenes[a].perspectives.isdisjoint(source.scenes[b].perspectives):
                starts[(a, b)].add((i, j))
    result = []
    for (a, b), pairs in starts.items():
        runs: list[list[int]] = []  # [start in a, start in b, words]
        for i, j in sorted(pairs):
            last = runs[-1] if runs else None
            if last and i == last[0] + last[2] - RUN_WORDS + 1 and j == last[1] + last[2] - RUN_WORDS + 1:
                last[2] += 1  # the run goes on by one word in both scenes
            else:
                runs.append([i, j, RUN_WORDS])
        shared = sum(n for _, _, n in runs)
        if shared < ECHO_WORDS:
            continue
        i, j, n = max(runs, key=lambda r: r[2])
        first, second = words[a], words[b]
        text = texts[a].text[first[i].start() : first[i + n - 1].end()]
        result.append(Echo(texts[a].place(first[i].start()), texts[b].place(second[j].start()), shared, len(runs), " ".join(text.split())))
    return sorted(result, key=lambda e: (-e.words, e.first.scene, e.second.scene))


def watched(texts: dict[str, SceneText]) -> dict[str, list[Place]]:
    """Each watched phrase's places, in scene order."""
    return {w.name: [t.place(m.start()) for t in texts.values() for m in w.pattern.finditer(t.text)] for w in WATCHED}


def over_limit(name: str, places: list[Place]) -> list[Place]:
    """The places of a watched phrase a writer should look at: all of them once the story is
    over its limit, or those of the scenes that are over theirs."""
    rule = next(w for w in WATCHED if w.name == name)
    if not rule.per_scene:
        return places if len(places) > rule.limit else []
    per_scene: defaultdict[str, list[Place]] = defaultdict(list)
    for place in places:
        per_scene[place.scene].append(place)
    return [p for scene in per_scene.values() if len(scene) > rule.limit for p in scene]
