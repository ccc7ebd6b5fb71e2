"""`kengir test --exhaustive`: every state of the story that can matter, visited once.

A breadth-first search from where a run begins, over the moves `Run` allows (moves.py, every
roll's every outcome), in which a state is known by its key (projection.py: the scene and only
what the rest of the story can still read). Then, backwards from the endings over the graph it
found: a state that cannot reach an ending is a dead end (no choice can be taken) or inside a
loop with no way out, reported with the shortest path that leads there.

The graph is kept compactly: states are numbered as found (the search takes them in that
order, so the queue is a number), and the moves out of state i are `targets[first[i]:first[i+1]]`.

A search may be given the first states of searches already proved (`known`): a state found
with one of their keys has the same future as that search's start, so it is not explored
again; it counts as leading to an ending, and what that search reached is reached here too.
(The story's own start usually leads, in one choice, to each perspective's start.)

A search stopped by its limit proves nothing about what it did not reach: it reports what it
covered, and the dead ends it found (those are real), never a scene as unreachable.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from game.model import Choice, Story
from game.writers.playtest.moves import Mover, TooManyOutcomes
from game.writers.playtest.projection import Key, Projection
from game.writers.playtest.steps import Steps

DEFAULT_LIMIT = 2_500_000  # states in one search: about 1 GB (some 400 bytes each)
ENDING, KNOWN = 1, 2
MAX_FAILURES = 20  # failures reported per search: the first ones are what to fix


@dataclass
class Exploration:
    """What one search found, from one perspective's start (or the story's, `perspective` None)."""

    perspective: str | None = None
    projection: str = "reduced"
    limit: int = DEFAULT_LIMIT
    states: int = 0
    edges: int = 0
    complete: bool = True
    stopped: str = ""  # why a search that is not complete stopped: "limit", or what could not be tried
    scenes: set[str] = field(default_factory=set)
    choices: set[tuple[str, int]] = field(default_factory=set)  # (scene, index in the story file)
    endings: set[str] = field(default_factory=set)
    # Scenes of the states that cannot reach an ending, and of those where nothing can be taken.
    doomed: set[str] = field(default_factory=set)
    stuck: set[str] = field(default_factory=set)
    failures: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    starts: list[Key] = field(default_factory=list)  # the keys of the states it began in
    joined: set[str] = field(default_factory=set)  # perspectives of the proved searches it met


class StateGraph:
    """The states found so far, numbered, with how each was first reached and where it leads."""

    def __init__(self, projection: Projection):
        self.projection = projection
        self.keys: list[Key] = []
        self.number: dict[Key, int] = {}
        self.parent = array("l")  # the state it was first reached from (-1: a start)
        self.via = array("l")  # the choice taken then, numbered in `choices` (-1: a start)
        self.first = array("q")  # where its moves start in `targets`
        self.targets = array("l")
        self.choices: list[tuple[str, int]] = []
        self.choice_number: dict[tuple[str, int], int] = {}
        # The numbers of the rolls tried as that choice was taken, numbered in `numbers` (-1: none).
        self.rolled = array("l")
        self.numbers: list[tuple[tuple[str, int], ...]] = []
        self.numbers_number: dict[tuple[tuple[str, int], ...], int] = {}
        self.ends = bytearray()  # ENDING for a state at an ending, KNOWN for one proved by another search
        # For a state whose choices try rolls as they are taken (moves.py): for each choice, for
        # each combination of its rolls' numbers, the states it leads to (see _can_end).
        self.groups: dict[int, list[list[list[int]]]] = {}
        self.expanded = 0

    def reach(self, key: Key, parent: int, via: int, limit: int, numbers: tuple[tuple[str, int], ...] = ()) -> int:
        """The number of the state with `key`, found now (from `parent` by choice `via`, with
        these rolls' `numbers`) if new."""
        number = self.number.get(key)
        if number is None:
            if len(self.keys) >= limit:
                raise _Stopped("limit")
            number = self.number[key] = len(self.keys)
            self.keys.append(key)
            self.parent.append(parent)
            self.via.append(via)
            rolled = -1
            if numbers:
                rolled = self.numbers_number.get(numbers, -1)
                if rolled < 0:
                    rolled = self.numbers_number[numbers] = len(self.numbers)
                    self.numbers.append(numbers)
            self.rolled.append(rolled)
        return number

    def moves_of(self, number: int) -> array[int]:
        return self.targets[self.first[number] : self.first[number + 1]]


def explore(
    story: Story,
    perspective: str | None = None,
    limit: int = DEFAULT_LIMIT,
    projection: Projection | None = None,
    known: Mapping[Key, Exploration] | None = None,
) -> Exploration:
    """Explore every state a run from `perspective`'s start (the story's start when None) can
    reach, up to `limit` states; see the module."""
    return search(story, perspective, limit, projection, known)[0]


def search(
    story: Story,
    perspective: str | None = None,
    limit: int = DEFAULT_LIMIT,
    projection: Projection | None = None,
    known: Mapping[Key, Exploration] | None = None,
) -> tuple[Exploration, StateGraph]:
    """`explore`, with the graph of states it found (for tests that check it state by state);
    `known`: the first states of searches proved already (see the module)."""
    started = time.perf_counter()
    projection = projection or Projection.reduced(story)
    result = Exploration(perspective, projection.kind, limit)
    graph = StateGraph(projection)
    mover = Mover(story, perspective, projection.layouts)
    steps = Steps(projection, mover)
    stuck: list[int] = []
    known = known or {}
    try:
        for state in mover.start():
            graph.reach(projection.key(state), -1, -1, limit)
        result.starts = list(graph.keys)
        while graph.expanded < len(graph.keys):
            if not _expand(graph, steps, limit, result, known):
                stuck.append(graph.expanded - 1)
    except _Stopped as stop:
        result.complete, result.stopped = False, stop.reason
    except TooManyOutcomes as exc:  # the first scene's rolls (later ones stop in _expand)
        result.complete, result.stopped = False, str(exc)
    graph.first.append(len(graph.targets))
    keys, scenes = graph.keys, story.scenes
    result.states = len(keys)
    result.edges = len(graph.targets)
    result.scenes = {key[0] for key in keys}
    result.choices = set(graph.choices)
    result.endings = {scenes[key[0]].ending for key in keys if scenes[key[0]].ending}
    result.stuck = {keys[i][0] for i in stuck}
    for i in range(graph.expanded):
        if graph.ends[i] == KNOWN:
            proved = known[keys[i]]
            result.scenes |= proved.scenes
            result.choices |= proved.choices
            result.endings |= proved.endings
            result.joined.add(proved.perspective or "")
    result.failures += [_failure(graph, i, "no choice can be taken") for i in stuck if not _reported(result, keys[i][0])]
    if result.complete:
        _find_loops(graph, result)
    del result.failures[MAX_FAILURES:]
    result.seconds = time.perf_counter() - started
    return result, graph


class _Stopped(Exception):
    """The search cannot go on: the limit is reached, or a scene's rolls are too many to try."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _expand(graph: StateGraph, steps: Steps, limit: int, result: Exploration, known: Mapping[Key, Exploration]) -> bool:
    """Find the moves out of the next state to expand, and the states they lead to; False if
    it is a dead end. The state counts as expanded only once all its moves are in the graph."""
    at = graph.expanded
    key = graph.keys[at]
    scene = graph.projection.story.scenes[key[0]]
    leads: dict[int, None] = {}  # in the order found, each once
    end = ENDING if scene.ending else KNOWN if key in known else 0
    if not end:
        try:
            found = steps.of(key)
        except TooManyOutcomes as exc:
            raise _Stopped(str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - a story that crashes the engine is what we report
            found = []
            result.failures.append(_failure(graph, at, f"the engine failed here: {type(exc).__name__}: {exc}"))
        groups: dict[int, dict[tuple[tuple[str, int], ...], list[int]]] = {}
        for step in found:
            choice = (scene.id, step.choice)
            via = graph.choice_number.get(choice)
            if via is None:
                via = graph.choice_number[choice] = len(graph.choices)
                graph.choices.append(choice)
            target = graph.reach(step.key, at, via, limit, step.numbers)
            leads[target] = None
            groups.setdefault(step.choice, {}).setdefault(step.numbers, []).append(target)
        if any(step.numbers for step in found):
            graph.groups[at] = [list(by_numbers.values()) for by_numbers in groups.values()]
    graph.first.append(len(graph.targets))
    graph.ends.append(end)
    graph.targets.extend(leads)
    graph.expanded += 1
    return bool(leads) or bool(end)


def _reported(result: Exploration, scene: str) -> bool:
    return any(f["scene"] == scene for f in result.failures)


def _find_loops(graph: StateGraph, result: Exploration) -> None:
    """Backwards from the endings (and the states proved by other searches): the states that
    cannot reach one. Those that can reach a dead end are its consequences (reported already);
    each loop with no way out is reported once, at the first of its states the search found."""
    count = len(graph.keys)
    reverse_first, reverse = _reversed(graph)
    good = _can_end(graph, reverse_first, reverse)
    dead = _backwards(
        [i for i in range(count) if not graph.ends[i] and graph.first[i] == graph.first[i + 1]], reverse_first, reverse, count
    )
    result.doomed = {graph.keys[i][0] for i in range(count) if not good[i]}
    covered = bytearray(count)
    for i in range(count):
        if good[i] or dead[i] or covered[i]:
            continue
        # Everything reachable from here that cannot end is trapped too: one report for the loop.
        pending = [i]
        covered[i] = 1
        while pending:
            for j in graph.moves_of(pending.pop()):
                if not covered[j] and not good[j]:
                    covered[j] = 1
                    pending.append(j)
        message = "every path from here loops without reaching an ending"
        if i in graph.groups:
            message = "with some numbers of the rolls here, every path from here loops without reaching an ending"
        result.failures.append(_failure(graph, i, message))


def _can_end(graph: StateGraph, first: array[int], reverse: array[int]) -> bytearray:
    """The states from which some path reaches an ending (or a state another search proved).

    A state stands for every number of the rolls it leaves to its choices (moves.py: each read
    by one choice alone), and each of those real states must be able to end: so such a state
    can end when one of its choices can, for every number of its own rolls, lead somewhere that
    can. Any other state can end when one of its moves leads somewhere that can."""
    count = len(graph.keys)
    good = bytearray(count)
    pending = [i for i in range(count) if graph.ends[i]]
    for i in pending:
        good[i] = 1
    groups = graph.groups
    while pending:
        j = pending.pop()
        for i in reverse[first[j] : first[j + 1]]:
            if good[i]:
                continue
            ways = groups.get(i)
            if ways is None or any(all(any(good[t] for t in leads) for leads in by_numbers) for by_numbers in ways):
                good[i] = 1
                pending.append(i)
    return good


def _reversed(graph: StateGraph) -> tuple[array[int], array[int]]:
    """The moves turned round: the states leading into state j are `reverse[first[j]:first[j+1]]`."""
    count = len(graph.keys)
    first = array("q", bytes(8 * (count + 1)))
    for j in graph.targets:
        first[j + 1] += 1
    for j in range(count):
        first[j + 1] += first[j]
    fill = array("q", first)
    reverse = array("l", bytes(8 * len(graph.targets)))
    for i in range(count):
        for j in graph.moves_of(i):
            reverse[fill[j]] = i
            fill[j] += 1
    return first, reverse


def _backwards(starts: list[int], first: array[int], reverse: array[int], count: int) -> bytearray:
    """The states from which one of `starts` can be reached."""
    reached = bytearray(count)
    for i in starts:
        reached[i] = 1
    pending = list(starts)
    while pending:
        j = pending.pop()
        for i in reverse[first[j] : first[j + 1]]:
            if not reached[i]:
                reached[i] = 1
                pending.append(i)
    return reached


def _failure(graph: StateGraph, number: int, message: str) -> dict[str, Any]:
    key = graph.keys[number]
    failure: dict[str, Any] = {"scene": key[0], "message": message, "path": _path(graph, number)}
    rolls = graph.projection.rolls(key)
    if rolls:
        failure["rolls"] = rolls
    return failure


def _path(graph: StateGraph, number: int) -> list[str]:
    """The choices that first led to a state (a shortest path), as "scene: choice text"."""
    steps = []
    projection, scenes = graph.projection, graph.projection.story.scenes
    while graph.parent[number] >= 0:
        parent = graph.parent[number]
        scene, index = graph.choices[graph.via[number]]
        text = choice_text(scenes[scene].choices[index])
        taken = graph.numbers[graph.rolled[number]] if graph.rolled[number] >= 0 else ()  # tried as the choice was taken
        rolls = [*projection.rolls(graph.keys[parent]).values(), *(n for _, n in taken)]
        where = f"{scene} (rolled {', '.join(str(n) for n in rolls)})" if rolls else scene
        steps.append(f"{where}: {text}")
        number = parent
    return steps[::-1]


def choice_text(choice: Choice) -> str:
    """A choice's text as written, its {holes} as their expressions: the explorer's states do
    not keep what only text reads, so it cannot fill them as a player would see them."""
    return "".join(p if isinstance(p, str) else "{" + p.source + "}" for p in choice.text.parts)
