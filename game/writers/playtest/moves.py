"""The moves out of a state, by the engine's own rules, with every outcome of every roll.

The explorer steps through `Run`, the API every front end plays through, so that what it proves
is what a player meets: `Run.choices` says which choices are open, `Run.take` applies one (its
once-only mark, its effects, its routes) and enters the scene it leads to (a visit, the rolls
drawn, the notes found).

A run draws each roll from its seed; the explorer wants every number instead. So once `Run`
has entered a scene with rolls, the state is copied once for each combination of the rolls'
numbers (each roll from 1 to its sides, read as the scene was entered, as state.draw does):
one number of each class of numbers the story can tell apart (values.py), for each roll that
decides something; a roll that decides nothing keeps the number Run drew. A roll only one
choice's effects and routes read (liveness.deferred) is tried instead as that choice is taken:
the state is given each number before Run takes the choice.
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
from game.writers.playtest.projection import Layout
from game.writers.playtest.values import Classes

MAX_OUTCOMES = 100_000  # combinations of a scene's rolls: more cannot be tried one by one


class TooManyOutcomes(Exception):
    """A scene's rolls have more combinations than can be tried (the search cannot finish)."""


def _no_clock() -> float:
    return 0.0  # the explorer keeps no log worth a time


class Move(NamedTuple):
    """A choice open in a state: the choice, its text as shown, and the states it may lead to
    (one for each outcome of the rolls it reads and of those drawn where it leads), each with
    the numbers of the rolls tried as it was taken (none for most)."""

    choice: Choice
    text: str
    states: list[State]
    rolls: list[tuple[tuple[str, int], ...]]


class Mover:
    """Moves for one perspective (or none: the story's own start)."""

    def __init__(self, story: Story, perspective: str | None, layouts: dict[str, Layout]):
        self.story = story
        self.perspective = perspective or ""
        self.layouts = layouts  # by scene, the rolls whose numbers are tried (one of each class), and when
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
        deferred = self.layouts[state.scene].deferred
        for view in run.choices:
            if not view.enabled or view.choice is None:
                continue
            move = Move(view.choice, view.text, [], [])
            for numbers in self._numbers(deferred.get(view.choice.index, ()), state):
                taking = state.copy()
                taking.rolls.update(numbers)
                branch = self.run(taking)
                branch.take(view)
                entered = self.outcomes(branch.scene, state.seen, branch.state)
                move.states.extend(entered)
                move.rolls.extend([numbers] * len(entered))
            found.append(move)
        return found

    def _numbers(self, rolled: tuple[tuple[str, Classes], ...], state: State) -> list[tuple[tuple[str, int], ...]]:
        """Each combination of numbers to try for these rolls of the scene in `state` (one of
        each class, each up to its sides as read on entering; a single empty one for none)."""
        if not rolled:
            return [()]
        scene = self.story.scenes[state.scene]
        # The sides are read as rules.enter read them: after the visit is counted; they cannot
        # read a note (an int expression holds no condition), so the notes found do not matter.
        sides = {roll.site: roll.sides.evaluate(state) for roll in scene.rolls}
        numbers_of = [classes.outcomes(sides[site]) for site, classes in rolled]
        count = prod(len(numbers) for numbers in numbers_of)
        if count > MAX_OUTCOMES:
            raise TooManyOutcomes(f"the rolls of {scene.id} have {count:,} outcomes here, too many to try each")
        sites = [site for site, _ in rolled]
        return [tuple(zip(sites, numbers)) for numbers in product(*numbers_of)]

    def outcomes(self, scene: Scene, seen_before: set[str], entered: State) -> list[State]:
        """`entered`, as Run left it on entering `scene`, once for each outcome of its rolls."""
        rolled = self.layouts[scene.id].entered
        if not rolled:
            return [entered]
        states = []
        for numbers in self._numbers(rolled, entered):
            state = entered.copy()
            state.rolls = {**entered.rolls, **dict(numbers)}
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
