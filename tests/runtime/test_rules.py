"""The rules added for the story's second draft: rolls drawn once as a scene is entered, routes
decided by the state after a choice's effects, and notes found with the text block they explain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.classroom import build_record, verify_record
from game.format import load_assignment, load_story
from game.model import Story
from game.runtime import Run
from game.saves import restore

STORY = """\
story:
  title: Rolls
  start: s.street
  acts: {one: {title: One}}
  places: {yard: The yard}
  endings:
    lived: {title: Lived, debrief: You lived.}
    died: {title: Died, debrief: People died wherever they were.}
  variables:
    danger: {type: int, default: 2, min: 1, max: 12}
    hid: {type: bool, default: false}
notes:
  n_street: {title: Street, kind: fact, body: B., sources: [s1]}
  n_roof: {title: Roof, kind: fact, body: B., sources: [s1]}
  n_hid: {title: Hid, kind: fact, body: B., sources: [s1]}
sources:
  s1: {title: S}
scenes:
  s.street:
    act: one
    date: 1954-06-26
    place: yard
    title: The street
    text:
      - text: "The tank turns into the street. You count {roll(6)} soldiers at the gate."
        notes: [n_street]
      - if: danger > 5
        text: You are on the roof.
        notes: [n_roof]
    choices:
      - text: Lie down in the ditch
        set: {hid: true}
        goto:
          - if: "roll(20) <= danger"
            to: s.fall
          - if: hid
            to: s.after
          - to: s.fall
      - text: Throw a stone
        if: roll(2) == 1
        set: {danger: danger + 4}
        goto:
          - if: "roll(20) <= danger"
            to: s.fall
          - to: s.after
      - text: Keep still
        goto: s.after
  s.after:
    act: one
    date: 1954-06-26
    place: yard
    title: After
    text:
      - if: hid
        text: You lay in the ditch.
        notes: [n_hid]
    ending: lived
  s.fall:
    act: one
    date: 1954-06-26
    place: yard
    title: The fall
    text: It is over.
    ending: died
"""


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    root = tmp_path_factory.mktemp("rolls")
    (root / "story.yaml").write_text(STORY, encoding="utf-8")
    return load_story(root)


def test_each_roll_has_its_place_and_is_drawn_as_the_scene_is_entered(story: Story) -> None:
    scene = story.scenes["s.street"]
    assert [r.site for r in scene.rolls] == ["s.street#0", "s.street#1", "s.street#2", "s.street#3"]
    run = Run.start(story, seed=5)
    assert set(run.state.rolls) == {r.site for r in scene.rolls}
    assert 1 <= run.state.rolls["s.street#0"] <= 6 and 1 <= run.state.rolls["s.street#1"] <= 20


def test_a_roll_reads_the_same_however_often_it_is_read(story: Story) -> None:
    for seed in range(40):
        run = Run.start(story, seed=seed)
        texts = {run.text for _ in range(10)}
        shown = {tuple(v.text for v in run.choices if v.enabled) for _ in range(10)}
        assert len(texts) == 1 and len(shown) == 1, "a repaint, a resize or a tester reads it again"


def test_rolls_differ_from_seed_to_seed_and_stay_with_the_seed(story: Story) -> None:
    drawn = {Run.start(story, seed=seed).state.rolls["s.street#0"] for seed in range(60)}
    assert drawn == {1, 2, 3, 4, 5, 6}, "every face comes up across seeds"
    assert Run.start(story, seed=7).state.rolls == Run.start(story, seed=7).state.rolls


def test_a_saved_or_undone_run_keeps_its_rolls(story: Story) -> None:
    for seed in range(30):
        run = Run.start(story, seed=seed)
        before = dict(run.state.rolls)
        run.choose(len(run.choices) - 1)  # keep still
        run.undo()
        assert run.state.rolls == before
        run.choose(0)
        again = restore(story, json.loads(json.dumps(run.to_dict())))
        assert again.scene.id == run.scene.id and again.state.to_dict() == run.state.to_dict()
        assert again.log[0].rolls == run.log[0].rolls == tuple(before.items())


def test_routes_are_decided_on_the_state_after_the_effects(story: Story) -> None:
    """Lying down sets `hid`: the second route reads it, so only the roll can send you to the fall."""
    outcomes = set()
    for seed in range(200):
        run = Run.start(story, seed=seed)
        fate = run.state.rolls["s.street#1"] <= run.state.vars["danger"]
        run.choose(0)
        assert run.scene.id == ("s.fall" if fate else "s.after"), seed
        outcomes.add(run.scene.id)
    assert outcomes == {"s.fall", "s.after"}, "the same act has both outcomes across seeds"


def test_notes_are_found_with_the_block_that_is_shown(story: Story) -> None:
    run = Run.start(story, seed=1)
    assert run.new_notes == ("n_street",), "the roof block is not shown, so its note is not found"
    run.choose(len(run.choices) - 1)  # keep still: `hid` stays false
    assert run.scene.id == "s.after" and run.new_notes == () and "n_hid" not in run.state.seen
    run = Run.start(story, seed=1, variables={"danger": 9})
    assert run.new_notes == ("n_street", "n_roof")


def test_a_record_with_rolls_verifies_and_an_edited_roll_does_not(story: Story, tmp_path: Path) -> None:
    assignment_file = tmp_path / "a.yaml"
    assignment_file.write_text("assignment:\n  id: rolls\n  title: Rolls\n", encoding="utf-8")
    run = Run.start(story, seed=3, assignment=load_assignment(assignment_file, story), student="Ana")
    run.choose(0)
    record = json.loads(json.dumps(build_record(run, run.started_at + 60)))
    assert verify_record(story, record) == []
    site = next(iter(record["run"]["log"][0]["rolls"]))
    record["run"]["log"][0]["rolls"][site] += 1
    from game.classroom.record import _digest

    record["digest"] = _digest(record)
    assert "the rolls in its log are not what the run's seed gives" in verify_record(story, record)
