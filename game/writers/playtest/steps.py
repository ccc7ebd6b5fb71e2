"""The moves out of a key, worked out once for all the keys that differ only in what they carry.

At a scene, most of a state is carried through its moves untouched: `bond` rides through a
scene whose choices neither read nor set it. Two keys at the scene that agree on every slot the
moves *touch* (read by a condition, an effect, a route or a roll's sides; written by an effect,
a once-only mark; counted, found or drawn as a scene they lead to is entered) have the same
moves, and the same successors but for the carried slots, which keep their values. So `Steps`
asks the engine (moves.py, through `Run`) once per scene and touched values, keeps what it
found, and for the next key with those values copies its carried values into the successors.

tests/writers/test_explore_steps.py checks that the graph found this way is, state for state,
the one found by asking the engine for every key.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from game.model import Scene, Story
from game.writers.playtest.liveness import Reads
from game.writers.playtest.moves import Mover
from game.writers.playtest.projection import Key, Projection
from game.writers.playtest.values import Classes

MAX_REMEMBERED = 200_000  # moves kept: past this the memory is cleared
# A scene whose keys seldom share touched values (most of what it holds, its moves touch) would
# only fill the memory: after this many askings there with fewer uses, it is no longer remembered.
TRIAL = 2_000


class Step(NamedTuple):
    """One way out of a key: the choice (its index in the scene), the numbers of the rolls tried
    as it was taken, and the key it leads to."""

    choice: int
    numbers: tuple[tuple[str, int], ...]
    key: Key


def slots_of(projection: Projection, scene: str) -> list[str]:
    """The slot at each place of a key at `scene` (place 0 is the scene itself)."""
    layout = projection.layouts[scene]
    return [
        "",
        *(f"v:{name}" for name, _ in layout.variables),
        *(f"n:{sid}" for sid, _ in layout.visits),
        *(f"s:{note}" for note in layout.notes),
        *(f"t:{mark}" for mark in layout.marks),
        *(f"r:{site}" for site, _ in layout.sites),
    ]


def classes_of(projection: Projection, scene: str) -> list[Classes | None]:
    """The classes of the values at each place of a key at `scene` (None: a flag)."""
    layout = projection.layouts[scene]
    flags: list[Classes | None] = [None] * (len(layout.notes) + len(layout.marks))
    return [None, *(c for _, c in layout.variables), *(c for _, c in layout.visits), *flags, *(c for _, c in layout.sites)]


def touched(scene: Scene, story: Story, reads: Reads) -> set[str]:
    """Every slot the moves out of `scene` may read or write (see the module)."""
    found: set[str] = set()

    def read(exprs: Iterator[Any]) -> None:
        found.update(reads.of_all(exprs))

    read(c.condition for c in scene.choices if c.condition is not None)
    read(r.sides for r in scene.rolls)
    found.update(f"r:{r.site}" for r in scene.rolls)
    for choice in scene.choices:
        read(e.value for e in choice.effects)
        read(r.condition for r in choice.routes)
        found.update(f"v:{e.variable}" for e in choice.effects)
        found.add(f"t:{scene.id}#{choice.index}")
        for target_id in choice.targets:
            target = story.scenes[target_id]
            found.add(f"n:{target_id}")
            found.update(f"s:{note}" for note in target.all_notes)
            read(b.condition for b in target.text if b.notes and b.condition is not None)
            read(r.sides for r in target.rolls)
            found.update(f"r:{r.site}" for r in target.rolls)
    return found


class Steps:
    """The moves out of keys, for one perspective's search (see the module)."""

    def __init__(self, projection: Projection, mover: Mover):
        self.projection = projection
        self.mover = mover
        self.remembered: dict[tuple[Any, ...], list[Step]] = {}
        self.uses: dict[str, list[int]] = {}  # scene -> [times asked, times remembered moves were used]
        self._touched: dict[str, tuple[int, ...]] = {}
        self._carried: dict[tuple[str, str], list[tuple[int, int, Classes | None]]] = {}
        self._reads = Reads(projection.story)

    def of(self, key: Key) -> list[Step]:
        """The ways out of the state with `key`, in the order the engine gives them."""
        scene = key[0]
        places = self._touched.get(scene)
        if places is None:
            places = self._places(scene)
        memo = (scene, *(key[i] for i in places))
        uses = self.uses.setdefault(scene, [0, 0])
        found = self.remembered.get(memo)
        if found is not None:
            uses[1] += 1
            return [self._carry(key, step) for step in found]
        found = self.ask(key)
        uses[0] += 1
        if uses[0] < TRIAL or uses[1] >= uses[0]:
            if len(self.remembered) >= MAX_REMEMBERED:
                self.remembered.clear()
            self.remembered[memo] = found
        return found

    def ask(self, key: Key) -> list[Step]:
        """The ways out of the state with `key`, asked of the engine."""
        projection = self.projection
        found = []
        for move in self.mover.moves(projection.state(key)):
            for state, numbers in zip(move.states, move.rolls):
                found.append(Step(move.choice.index, numbers, projection.key(state)))
        return found

    def _places(self, scene: str) -> tuple[int, ...]:
        story = self.projection.story
        slots = touched(story.scenes[scene], story, self._reads)
        places = self._touched[scene] = tuple(i for i, slot in enumerate(slots_of(self.projection, scene)) if i and slot in slots)
        return places

    def _carry(self, key: Key, step: Step) -> Step:
        """`step` as found for another key with the same touched values: the carried values are `key`'s."""
        target = step.key[0]
        carried = self._carried.get((key[0], target))
        if carried is None:
            carried = self._carried[(key[0], target)] = self._carried_places(key[0], target)
        if not carried:
            return step
        values = list(step.key)
        for there, here, classes in carried:
            values[there] = key[here] if classes is None else classes.representative(key[here])
        return Step(step.choice, step.numbers, tuple(values))

    def _carried_places(self, scene: str, target: str) -> list[tuple[int, int, Classes | None]]:
        """For each place of a key at `target` holding a slot the moves from `scene` do not
        touch: where that slot is in a key at `scene`, and the classes to bring it into."""
        story = self.projection.story
        slots = touched(story.scenes[scene], story, self._reads)
        here = {slot: i for i, slot in enumerate(slots_of(self.projection, scene)) if i}
        there_classes = classes_of(self.projection, target)
        here_classes = classes_of(self.projection, scene)
        carried = []
        for there, slot in enumerate(slots_of(self.projection, target)):
            if there and slot not in slots:
                at = here[slot]  # liveness: a slot live after a move and not written by it was live before
                classes = there_classes[there]
                same = classes is None or (here_classes[at] is not None and here_classes[at].partition == classes.partition)  # type: ignore[union-attr]
                carried.append((there, at, None if same else classes))
        return carried
