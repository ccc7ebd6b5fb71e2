"""A state as the explorer keeps it: a flat tuple of what can still be read, and back.

`Projection.reduced(story)` keeps, in a state at scene S, only the slots live at S
(liveness.live_slots) with each visit count capped where its reads allow (liveness.visit_caps),
and the rolls drawn as S was entered. Two states with the same key give the same answers to
every expression the rest of the story can evaluate, so they have the same futures: the
explorer visits one of them. `Projection.plain(story)` keeps everything (every variable, visit
count, note, once-only mark and roll): the reference the reduced exploration is tested against.

A key is `(scene, value, value, ...)`, the values in the order of the scene's `Layout`.
`state(key)` builds a State back from it: what the key does not hold is left at its default
(a variable's declared default, no visit, no note, no mark), which nothing will read before it
is overwritten; a capped count is kept at its cap, which every read answers as the true count.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from game.model import Story
from game.runtime import State
from game.writers.playtest.liveness import Liveness

Key = tuple[Any, ...]


class Layout(NamedTuple):
    """What a key holds at one scene, in order."""

    variables: tuple[str, ...]
    visits: tuple[tuple[str, int | None], ...]  # (scene, cap: None keeps every count)
    notes: tuple[str, ...]
    marks: tuple[str, ...]  # once-only choices, "scene#index"
    sites: tuple[str, ...]  # the scene's rolls that matter once it is entered
    rolled: tuple[str, ...]  # the scene's rolls whose every number must be tried (these, and any a noted block reads)


class Projection:
    """Keys for states, scene by scene (see the module)."""

    def __init__(self, story: Story, layouts: dict[str, Layout], kind: str):
        self.story = story
        self.layouts = layouts
        self.kind = kind  # "reduced" or "plain"
        self.defaults = {v.id: v.default for v in story.variables.values()}

    @classmethod
    def reduced(cls, story: Story) -> Projection:
        liveness = Liveness(story)
        layouts = {}
        for sid, scene in story.scenes.items():
            slots = sorted(liveness.live[sid])
            layouts[sid] = Layout(
                tuple(s[2:] for s in slots if s.startswith("v:")),
                tuple((s[2:], liveness.caps.get(s[2:])) for s in slots if s.startswith("n:")),
                tuple(s[2:] for s in slots if s.startswith("s:")),
                tuple(s[2:] for s in slots if s.startswith("t:")),
                tuple(r.site for r in scene.rolls if f"r:{r.site}" in liveness.live[sid]),
                liveness.rolled[sid],
            )
        return cls(story, layouts, "reduced")

    @classmethod
    def plain(cls, story: Story) -> Projection:
        variables = tuple(sorted(story.variables))
        visits = tuple((sid, None) for sid in sorted(story.scenes))
        notes = tuple(sorted(story.notes))
        marks = tuple(sorted(f"{s.id}#{c.index}" for s in story.scenes.values() for c in s.choices if c.once))
        layouts = {}
        for sid, scene in story.scenes.items():
            sites = tuple(r.site for r in scene.rolls)
            layouts[sid] = Layout(variables, visits, notes, marks, sites, sites)
        return cls(story, layouts, "plain")

    def key(self, state: State) -> Key:
        layout = self.layouts[state.scene]
        values, visits, seen, taken, rolls = state.vars, state.visits, state.seen, state.taken, state.rolls
        key: list[Any] = [state.scene]
        key += [values[name] for name in layout.variables]
        for sid, cap in layout.visits:
            count = visits.get(sid, 0)
            key.append(count if cap is None or count < cap else cap)
        key += [note in seen for note in layout.notes]
        key += [mark in taken for mark in layout.marks]
        key += [rolls[site] for site in layout.sites]
        return tuple(key)

    def state(self, key: Key) -> State:
        scene = key[0]
        layout = self.layouts[scene]
        at = 1
        values = dict(self.defaults)
        for name in layout.variables:
            values[name] = key[at]
            at += 1
        visits = {}
        for sid, _ in layout.visits:
            if key[at]:
                visits[sid] = key[at]
            at += 1
        seen = {note for i, note in enumerate(layout.notes) if key[at + i]}
        at += len(layout.notes)
        taken = {mark for i, mark in enumerate(layout.marks) if key[at + i]}
        at += len(layout.marks)
        # Every roll of the scene has a number (its text may show one); those that matter, theirs.
        rolls = {roll.site: 1 for roll in self.story.scenes[scene].rolls}
        rolls.update(zip(layout.sites, key[at:]))
        return State(scene, values, visits, seen, taken, rolls=rolls)

    def rolls(self, key: Key) -> dict[str, int]:
        """The rolls of the scene in a key (to show with a path)."""
        sites = self.layouts[key[0]].sites
        return dict(zip(sites, key[len(key) - len(sites) :])) if sites else {}
