"""The moves out of a state, by the engine's own rules, with every outcome of every roll.

The explorer steps through `Run`, the API every front end plays through, so that what it proves
is what a player meets: `Run.choices` says which choices are open, `Run.take` applies one (its
once-only mark, its effects, its routes) and enters the scene it leads to (a visit, the rolls
drawn, the notes found).

A run draws each roll from its seed; the explorer wants every number instead. So once `Run`
has entered a scene with rolls, the state is copied once for each combination of the rolls'
numbers (each roll from 1 to its sides, read as the scene was entered, as state.draw does).
One thing `rules.enter` decided with the drawn numbers is done again for each combination: the
notes of a text block whose condition reads a roll of its own scene. tests/writers/
test_explore_moves.py checks, seed by seed, that the state `Run` gives is always one of these.
"""

from __future__ import annotations

from itertools import product
from math import prod
from typing import NamedTuple

from game.model import Choice, Scene, Story
from game.runtime import Run, State

MAX_OUTCOMES = 100_000  # combinations of a scene's rolls: more cannot be tried one by one


class TooManyOutcomes(Exception):
    """A scene's rolls have more combinations than can be tried (the search cannot finish)."""


def _no_clock() -> float:
    return 0.0  # the explorer keeps no log worth a time


class Move(NamedTuple):
    """A choice open in a state: the choice, its text as shown, and the states it may lead to
    (one for each outcome of the rolls drawn where it leads)."""

    choice: Choice
    text: str
    states: list[State]


class Mover:
    """Moves for one perspective (or none: the story's own start)."""

    def __init__(self, story: Story, perspective: str | None, rolled: dict[str, tuple[str, ...]]):
        self.story = story
        self.perspective = perspective or ""
        self.rolled = rolled  # the rolls whose every number is tried, by scene (the others keep theirs)
        # Scenes whose notes depend on their own rolls: their notes are found again per outcome.
        self.rolled_notes = {
            sid for sid, scene in story.scenes.items() if any(b.notes and b.condition is not None and b.condition.sites for b in scene.text)
        }

    def start(self) -> list[State]:
        """The states a run can begin in (more than one when the first scene rolls)."""
        run = Run.start(self.story, perspective=self.perspective or None, allow_undo=False, clock=_no_clock)
        return self.outcomes(run.scene, set(), run.state)

    def run(self, state: State) -> Run:
        """A run standing in `state` (which it will change if a choice is taken)."""
        return Run(self.story, state, perspective=self.perspective, allow_undo=False, clock=_no_clock)

    def moves(self, state: State) -> list[Move]:
        """The choices open in `state` and where each leads. None open at an ending, and none
        where the story is stuck."""
        run = self.run(state)
        if run.scene.ending:
            return []
        found = []
        for view in run.choices:
            if not view.enabled or view.choice is None:
                continue
            branch = self.run(state.copy())
            branch.take(view)
            found.append(Move(view.choice, view.text, self.outcomes(branch.scene, state.seen, branch.state)))
        return found

    def outcomes(self, scene: Scene, seen_before: set[str], entered: State) -> list[State]:
        """`entered`, as Run left it on entering `scene`, once for each outcome of its rolls."""
        sites = self.rolled[scene.id]
        if not sites:
            return [entered]
        # The sides are read as rules.enter read them: after the visit is counted; they cannot
        # read a note (an int expression holds no condition), so the notes found do not matter.
        sides = [roll.sides.evaluate(entered) for roll in scene.rolls if roll.site in sites]
        count = prod(max(1, n) for n in sides)
        if count > MAX_OUTCOMES:
            raise TooManyOutcomes(f"the rolls of {scene.id} have {count:,} outcomes here, too many to try each")
        states = []
        for numbers in product(*(range(1, n + 1) if n > 1 else (1,) for n in sides)):
            state = entered.copy()
            state.rolls = {**entered.rolls, **dict(zip(sites, numbers))}
            if scene.id in self.rolled_notes:
                state.seen = self._seen(scene, seen_before, state)
            states.append(state)
        return states

    @staticmethod
    def _seen(scene: Scene, seen_before: set[str], state: State) -> set[str]:
        """The notes found on entering with these rolls, as rules.enter finds them."""
        found = set(seen_before) | set(scene.notes)
        for block in scene.text:
            if block.notes and (block.condition is None or block.condition.evaluate(state)):
                found.update(block.notes)
        return found
