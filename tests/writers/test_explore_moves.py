"""The explorer's moves against `Run`: whatever a seeded run does, the explorer tried too.

The explorer steps through Run, then tries every number of every roll where Run drew one, and
finds again, per number, the notes of a block whose condition reads its own scene's roll
(moves.py). Here random runs go through Run, and at each step the explorer, given the same
state, must offer exactly the choices Run offers, in its order, and list among the states a
choice leads to the very state Run reached (the numbers Run drew being one of the outcomes).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from game.format import load_story
from game.model import Story, StoryError
from game.runtime import Run, State
from game.writers.playtest.moves import MAX_OUTCOMES, Mover, TooManyOutcomes
from game.writers.playtest.projection import Projection
from tests.conftest import MINI
from tests.writers.test_compiled_playtest import stories

ROOT = Path(__file__).resolve().parents[2]


def facts(state: State) -> tuple[Any, ...]:
    """All a state holds but the seed and the step (which only fix the draws, tried one by one here)."""
    return (state.scene, state.vars, state.visits, state.seen, state.taken, state.rolls)


def assert_moves_agree(story: Story, seeds: range, perspective: str | None = None, steps: int = 60) -> None:
    plain, reduced = Projection.plain(story), Projection.reduced(story)
    every_roll = Mover(story, perspective, plain.layouts)
    rolls_that_matter = Mover(story, perspective, reduced.layouts)
    for seed in seeds:
        pick = random.Random(seed)
        run = Run.start(story, seed=seed, perspective=perspective, allow_undo=False)
        assert facts(run.state) in [facts(s) for s in every_roll.start()], seed
        assert reduced.key(run.state) in {reduced.key(s) for s in rolls_that_matter.start()}, seed
        for _ in range(steps):
            if run.scene.ending:
                break
            open_views = [view for view in run.choices if view.enabled]
            moves = every_roll.moves(run.state.copy())
            assert [m.choice for m in moves] == [v.choice for v in open_views], seed
            assert [m.text for m in moves] == [v.text for v in open_views], seed
            if not open_views:
                break
            number = pick.randrange(len(open_views))
            reduced_moves = rolls_that_matter.moves(run.state.copy())
            run.take(open_views[number])
            assert facts(run.state) in [facts(s) for s in moves[number].states], (seed, run.state.scene)
            # With one number of each class tried for the rolls that matter (some as the choice is
            # taken), and the others left as drawn: the key of Run's state is among the successors.
            assert reduced.key(run.state) in {reduced.key(s) for s in reduced_moves[number].states}, seed


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=stories())
def test_random_stories_moves_agree_with_run(tmp_path_factory, text: str) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("story")
    (root / "story.yaml").write_text(text)
    try:
        story = load_story(root)
    except StoryError as error:
        assert all(p.code in {"dead-end", "unreachable", "no-ending"} for p in error.problems), error
        return
    try:
        assert_moves_agree(story, range(8), steps=40)
    except TooManyOutcomes:  # a roll of a number grown huge: the explorer says so (see its test)
        pass


def test_shipped_and_mini_stories_moves_agree_with_run() -> None:
    story = load_story(ROOT / "story")
    assert_moves_agree(story, range(30), steps=200)
    for perspective in story.perspectives:
        assert_moves_agree(story, range(20), perspective, steps=200)
    assert_moves_agree(load_story(MINI), range(40))
    assert_moves_agree(load_story(MINI), range(10), "thief")


ROLLED_NOTES = """\
story:
  title: Rolled notes
  start: s.0
  acts: {one: {title: One}}
  places: {yard: Y}
  endings: {end: {title: E, debrief: D.}}
  variables: {a: {type: int, default: 2, min: 0, max: 9}}
scenes:
  s.0:
    act: one
    date: 1954-05-16
    place: yard
    title: A
    text:
      - Start.
      - text: The searchlight finds you.
        if: roll(a + 2) > 2
        notes: [n1]
    choices:
      - {text: Again, goto: s.0, set: {a: a + 1}, once: true}
      - {text: Go on, goto: s.1, if: 'seen(n1) or roll(3) == 1'}
      - {text: Wait, goto: s.1, fallback: true}
  s.1: {act: one, date: 1954-05-16, place: yard, title: B, text: 'End {roll(6)}.', ending: end}
notes:
  n1: {title: One, kind: fact, body: B., sources: [s1]}
sources:
  s1: {title: S}
"""


def test_notes_of_a_block_that_reads_a_roll_are_found_per_number(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text(ROLLED_NOTES)
    story = load_story(tmp_path)
    assert_moves_agree(story, range(200))
    reduced = Projection.reduced(story)
    # Both rolls of s.0 decide something (the note, and the choice "Go on"), one number of each
    # class: roll(a + 2) > 2 tells 1-2 from 3 and up, roll(3) == 1 tells 1 from 2-3. The roll in
    # s.1's text decides nothing.
    entered = reduced.layouts["s.0"].entered
    assert [(site, classes.outcomes(4)) for site, classes in entered] == [("s.0#0", [1, 3]), ("s.0#1", [1, 2])]
    assert reduced.layouts["s.1"].entered == ()
    first = Mover(story, None, reduced.layouts).start()
    assert len(first) == 2 * 2
    assert {("n1" in s.seen, s.rolls["s.0#0"] > 2) for s in first} == {(True, True), (False, False)}


def test_rolls_with_too_many_outcomes_are_refused_not_tried(tmp_path: Path) -> None:
    # Compared with a variable, every number of the roll is its own class.
    (tmp_path / "story.yaml").write_text(ROLLED_NOTES.replace("roll(a + 2) > 2", f"roll(a + {MAX_OUTCOMES}) > a"))
    story = load_story(tmp_path)
    mover = Mover(story, None, Projection.reduced(story).layouts)
    try:
        mover.start()
    except TooManyOutcomes as exc:
        assert "s.0" in str(exc)
    else:
        raise AssertionError("2 x 100,002 outcomes were tried one by one")
