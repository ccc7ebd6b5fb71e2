"""What each page of the story map holds, one act as one perspective sees it, and in what order.

A page holds the act's scenes that the perspective can see, in the order the story files give
them; every arrow of their choices (one per route); the scenes outside the page those arrows
lead to (drawn as stubs at the arrow's end); and the scenes outside the page whose choices lead
into it (drawn as stubs at the start of an arrow). Nothing here draws: map_dot.py does.

Story order: a scene's column is the length of the longest chain of choices leading to it from
where the act begins (arrows that lead back, found by a depth-first walk in the order the files
give the scenes, are left out, so that loops do not push scenes on). The columns are then cut
into rows that fit a screen, so that a long act reads like lines of text, not one wide strip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from game.model import Act, Choice, Perspective, Scene, Story


@dataclass(frozen=True)
class Arrow:
    """One place a choice may lead. `route` is the route's index when the choice has routes
    (the last route, taken when no condition holds, is its `goto`), else None."""

    source: str
    choice: Choice
    route: int | None
    target: str

    @property
    def port(self) -> str:
        """The row of the source scene's box the arrow leaves from."""
        return f"c{self.choice.index}" if self.route is None else f"c{self.choice.index}r{self.route}"

    @property
    def dashed(self) -> bool:
        """Whether the state decides if this arrow is followed: a condition, a fallback or a route."""
        return self.choice.condition is not None or self.choice.fallback or self.route is not None


@dataclass(frozen=True)
class Page:
    """One act (as one perspective sees it, or as everyone does when `perspective` is None)."""

    act: Act
    perspective: Perspective | None
    scenes: tuple[Scene, ...]
    arrows: tuple[Arrow, ...]  # every arrow leaving a scene of the page, to it or elsewhere
    entries: tuple[tuple[str, str], ...]  # (scene elsewhere, scene here) for arrows coming in

    @property
    def name(self) -> str:
        """The page's file name without its extension: `woman-strike`, or `strike` alone."""
        return self.act.id if self.perspective is None else f"{self.perspective.id}-{self.act.id}"

    @property
    def scene_ids(self) -> frozenset[str]:
        return frozenset(scene.id for scene in self.scenes)

    @property
    def exits(self) -> tuple[str, ...]:
        """The scenes elsewhere that arrows of this page lead to, in the order first met."""
        here = self.scene_ids
        return tuple(dict.fromkeys(a.target for a in self.arrows if a.target not in here))

    @property
    def endings(self) -> tuple[Scene, ...]:
        return tuple(scene for scene in self.scenes if scene.ending)


def visible(scene: Scene, perspective: Perspective | None) -> bool:
    """Whether a perspective can see a scene (every scene, when no perspective is chosen)."""
    return perspective is None or not scene.perspectives or perspective.id in scene.perspectives


def arrows_of(scene: Scene) -> list[Arrow]:
    """Every arrow of a scene's choices, in the order its choices and their routes are tried."""
    arrows: list[Arrow] = []
    for choice in scene.choices:
        if choice.routes:
            arrows.extend(Arrow(scene.id, choice, i, target) for i, target in enumerate(choice.targets))
        else:
            arrows.append(Arrow(scene.id, choice, None, choice.goto))
    return arrows


def _page(story: Story, act: Act, perspective: Perspective | None) -> Page:
    scenes = tuple(s for s in story.scenes.values() if s.act == act.id and visible(s, perspective))
    here = {scene.id for scene in scenes}
    arrows = tuple(arrow for scene in scenes for arrow in arrows_of(scene))
    entries: dict[tuple[str, str], None] = {}
    for scene in story.scenes.values():
        if scene.id not in here and visible(scene, perspective):
            for arrow in arrows_of(scene):
                if arrow.target in here:
                    entries[(scene.id, arrow.target)] = None
    return Page(act, perspective, scenes, arrows, tuple(entries))


def map_pages(story: Story, perspective: str | None = None) -> list[Page]:
    """The map's pages: for each perspective (or only `perspective`), each act it has scenes
    in, in story order. A story without perspectives has one page per act."""
    if perspective is not None:
        seers: list[Perspective | None] = [story.perspectives[perspective]]
    elif story.perspectives:
        seers = list(story.perspectives.values())
    else:
        seers = [None]
    pages = []
    for seer in seers:
        for act in sorted(story.acts.values(), key=lambda a: a.order):
            page = _page(story, act, seer)
            if page.scenes:
                pages.append(page)
    return pages


def page_of(pages: list[Page], scene: Scene, seer: Perspective | None) -> Page | None:
    """The page a stub naming `scene` links to: the page of `scene`'s act for `seer` when it
    can see the scene, else the first page of that act that can (None when none is written)."""
    holding = [page for page in pages if page.act.id == scene.act and visible(scene, page.perspective)]
    return next((page for page in holding if page.perspective == seer), holding[0] if holding else None)


def columns(page: Page) -> dict[str, int]:
    """Each scene's column in story order: 0 for where the act begins."""
    here = [scene.id for scene in page.scenes]
    successors: dict[str, list[str]] = {scene: [] for scene in here}
    for arrow in page.arrows:
        if arrow.target in successors and arrow.target != arrow.source:
            successors[arrow.source].append(arrow.target)
    entered = {target for _, target in page.entries}
    has_predecessor = {t for targets in successors.values() for t in targets}
    roots = [s for s in here if s in entered] + [s for s in here if s not in entered and s not in has_predecessor]
    order: list[str] = []  # depth-first finishing order: reversed, a topological order of forward arrows
    forward: dict[str, list[str]] = {scene: [] for scene in here}
    state: dict[str, int] = {}  # 1 while on the walk's path, 2 when finished
    for root in [*roots, *here]:
        if root in state:
            continue
        stack = [(root, iter(successors[root]))]
        state[root] = 1
        while stack:
            node, rest = stack[-1]
            target = next(rest, None)
            if target is None:
                stack.pop()
                state[node] = 2
                order.append(node)
            elif target not in state:
                forward[node].append(target)
                state[target] = 1
                stack.append((target, iter(successors[target])))
            elif state[target] == 2:
                forward[node].append(target)  # a cross or forward arrow; one to the path leads back
    column = dict.fromkeys(here, 0)
    for node in reversed(order):
        for target in forward[node]:
            column[target] = max(column[target], column[node] + 1)
    return column


@dataclass(frozen=True)
class Measures:
    """How wide the drawing of a row's parts will be, in CSS pixels, to cut rows that fit."""

    box: Callable[[Scene], float]  # a scene's box
    stub: Callable[[str], float]  # a stub naming the scene of this id
    gap: float  # between two columns
    margin: float  # around a row, both sides together


class _Spans:
    """How wide a row holding columns start..end-1 would be: its boxes, the gaps between
    them, and a column of stubs at each end if arrows come in or go out."""

    def __init__(self, page: Page, groups: list[list[Scene]], measures: Measures) -> None:
        self.groups = groups
        self.measures = measures
        self.boxes = [max(measures.box(scene) for scene in group) for group in groups]
        self.into: dict[str, list[str]] = {scene.id: [] for scene in page.scenes}
        self.out_of: dict[str, list[str]] = {scene.id: [] for scene in page.scenes}
        for arrow in page.arrows:
            self.out_of[arrow.source].append(arrow.target)
            if arrow.target in self.into:
                self.into[arrow.target].append(arrow.source)
        for source, target in page.entries:
            self.into[target].append(source)

    def _stubs(self, inside: set[str], ends: dict[str, list[str]]) -> float:
        named = [other for scene in inside for other in ends[scene] if other not in inside]
        return max(self.measures.stub(other) for other in named) + self.measures.gap if named else 0.0

    def width(self, start: int, end: int) -> float:
        inside = {scene.id for group in self.groups[start:end] for scene in group}
        boxes = sum(self.boxes[start:end]) + self.measures.gap * (end - start - 1) + self.measures.margin
        return boxes + self._stubs(inside, self.into) + self._stubs(inside, self.out_of)


def _starts(spans: _Spans, crossing: list[int], budget: float) -> list[int]:
    """The columns that begin a row: as few rows as fit in `budget`, then as few arrows cut as
    can be (`crossing[k]`: the arrows crossing from before column k to it or after), then the
    widest row as narrow as can be."""
    # best[end]: (rows, arrows cut, widest row, where the last row starts) for columns before `end`
    best: list[tuple[int, int, float, int]] = [(0, 0, 0.0, 0)]
    for end in range(1, len(spans.boxes) + 1):
        options = []
        for start in range(end - 1, -1, -1):
            width = spans.width(start, end)
            if start < end - 1 and width > budget:
                break  # a row cannot start further back: it would only be wider
            options.append((best[start][0] + 1, best[start][1] + (crossing[start] if start else 0), max(best[start][2], width), start))
        best.append(min(options))
    starts, end = [], len(spans.boxes)
    while end > 0:
        end = best[end][3]
        starts.append(end)
    return starts[::-1]


def rows(page: Page, measures: Measures, budget: float) -> list[list[Scene]]:
    """The page's scenes cut into rows of whole columns in story order, each at most `budget`
    wide (unless one column alone is wider): as few rows as fit, cut where the fewest arrows
    cross, then as even in width as they can be."""
    column = columns(page)
    by_column: dict[int, list[Scene]] = {}
    for scene in page.scenes:
        by_column.setdefault(column[scene.id], []).append(scene)
    groups = [by_column[c] for c in sorted(by_column)]  # every column from 0 holds a scene
    crossing = [0] * (len(groups) + 1)
    for arrow in page.arrows:
        if arrow.target in column:
            low, high = sorted((column[arrow.source], column[arrow.target]))
            for k in range(low + 1, high + 1):
                crossing[k] += 1
    starts = _starts(_Spans(page, groups, measures), crossing, budget)
    return [[scene for group in groups[a:b] for scene in group] for a, b in zip(starts, [*starts[1:], len(groups)])]
