"""A state as the explorer keeps it: a flat tuple of what can still be read, and back.

`Projection.reduced(story)` keeps, in a state at scene S, only the slots live at S (liveness.py),
each value replaced by the representative of its class (values.py: `bond` 5 becomes 4 where
nothing will tell 4 from 5), and the rolls drawn as S was entered that still decide something.
Two states with the same key give the same answers to every control expression the rest of the
story can evaluate, so they have the same futures: the explorer visits one of them.
`Projection.plain(story)` keeps everything (every variable, visit count, note, once-only mark
and roll, as they are): the reference the reduced exploration is tested against.

A key is `(scene, value, value, ...)`, the values in the order of the scene's `Layout`.
`state(key)` builds a State back from it: what the key does not hold is left at its default
(a variable's declared default, no visit, no note, no mark, a roll of 1), which nothing will read
before it is overwritten; a representative gives every read the answers its class gives.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from game.model import Story
from game.runtime import State
from game.writers.playtest.liveness import Liveness, Reads
from game.writers.playtest.values import ALL, Classes, Domain, Partition

Key = tuple[Any, ...]


class Layout(NamedTuple):
    """What a key holds at one scene, in order: each slot with the classes of its values."""

    variables: tuple[tuple[str, Classes], ...]
    visits: tuple[tuple[str, Classes], ...]
    notes: tuple[str, ...]
    marks: tuple[str, ...]  # once-only choices, "scene#index"
    sites: tuple[tuple[str, Classes], ...]  # the scene's rolls kept in the state (liveness.keyed)
    # The rolls whose numbers are tried (one of each class) as the scene is entered, and for
    # each choice as it is taken (liveness.entered, liveness.deferred).
    entered: tuple[tuple[str, Classes], ...]
    deferred: dict[int, tuple[tuple[str, Classes], ...]]


def _rolls(sites: list[str], partitions: dict[str, Partition], roll: Domain) -> tuple[tuple[str, Classes], ...]:
    """These rolls of a scene, in the order written, with the classes of their numbers."""
    return tuple((site, Classes(partitions[site], roll)) for site in sites if site in partitions)


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
        reads = liveness.reads
        roll = reads.domain("r:")
        layouts = {}
        for sid, scene in story.scenes.items():
            live = liveness.live[sid]
            slots = sorted(live.items())
            sites = [r.site for r in scene.rolls]
            layouts[sid] = Layout(
                tuple((slot[2:], Classes(p, reads.domain(slot))) for slot, p in slots if slot[0] == "v"),
                tuple((slot[2:], Classes(p, reads.domain(slot))) for slot, p in slots if slot[0] == "n"),
                tuple(slot[2:] for slot, _ in slots if slot[0] == "s"),
                tuple(slot[2:] for slot, _ in slots if slot[0] == "t"),
                _rolls(sites, liveness.keyed[sid], roll),
                _rolls(sites, liveness.entered[sid], roll),
                {index: _rolls(sites, late, roll) for index, late in liveness.deferred[sid].items()},
            )
        return cls(story, layouts, "reduced")

    @classmethod
    def plain(cls, story: Story) -> Projection:
        reads = Reads(story)
        variables = tuple((v, Classes(ALL, reads.domain(f"v:{v}"))) for v in sorted(story.variables))
        visits = tuple((sid, Classes(ALL, reads.domain("n:"))) for sid in sorted(story.scenes))
        notes = tuple(sorted(story.notes))
        marks = tuple(sorted(f"{s.id}#{c.index}" for s in story.scenes.values() for c in s.choices if c.once))
        layouts = {}
        for sid, scene in story.scenes.items():
            sites = tuple((r.site, Classes(ALL, reads.domain("r:"))) for r in scene.rolls)
            layouts[sid] = Layout(variables, visits, notes, marks, sites, sites, {})
        return cls(story, layouts, "plain")

    def key(self, state: State) -> Key:
        layout = self.layouts[state.scene]
        values, visits, seen, taken, rolls = state.vars, state.visits, state.seen, state.taken, state.rolls
        key: list[Any] = [state.scene]
        key += [classes.representative(values[name]) for name, classes in layout.variables]
        key += [classes.representative(visits.get(sid, 0)) for sid, classes in layout.visits]
        key += [note in seen for note in layout.notes]
        key += [mark in taken for mark in layout.marks]
        key += [classes.representative(rolls[site]) for site, classes in layout.sites]
        return tuple(key)

    def state(self, key: Key) -> State:
        scene = key[0]
        layout = self.layouts[scene]
        at = 1
        values = dict(self.defaults)
        for name, _ in layout.variables:
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
        rolls.update(zip((site for site, _ in layout.sites), key[at:]))
        return State(scene, values, visits, seen, taken, rolls=rolls)

    def rolls(self, key: Key) -> dict[str, int]:
        """The rolls of the scene in a key (to show with a path)."""
        sites = self.layouts[key[0]].sites
        return dict(zip((site for site, _ in sites), key[len(key) - len(sites) :])) if sites else {}
