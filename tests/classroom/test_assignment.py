"""Assignments: read strictly, checked against the story, and obeyed by the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.format import AssignmentError, load_assignment
from game.model import Story
from game.runtime import Run, RunError
from tests.conftest import FIXTURES

ASSIGNMENT = FIXTURES / "mini_assignment.yaml"


def test_the_assignment_sets_undo_intensity_and_perspectives(mini: Story) -> None:
    assignment = load_assignment(ASSIGNMENT, mini)
    run = Run.start(mini, perspective="woman", assignment=assignment, intensity="full")
    assert run.intensity == "summary" and not run.allow_undo
    run.choose(0)
    with pytest.raises(RunError, match="switched off"):
        run.undo()
    with pytest.raises(RunError, match="played as woman"):
        Run.start(mini, perspective="thief", assignment=assignment)


def test_play_stops_when_the_act_after_ends(mini: Story) -> None:
    run = Run.start(mini, perspective="woman", assignment=load_assignment(ASSIGNMENT, mini))
    assert [p.text for p in run.prompts_due] == ["Why did you choose as you did?"]
    run.choose([c.text for c in run.choices].index("Join tech"))
    assert run.finished and run.choices == [] and run.ended is None
    assert run.scene.id == "a.start"  # act two's scene is never entered
    assert "n2" not in run.state.seen
    assert [p.text for p in run.prompts_due] == ["What did you leave behind?", "What changed in act one?"]


def test_answers_are_kept_and_revised(mini: Story) -> None:
    run = Run.start(mini, perspective="woman", assignment=load_assignment(ASSIGNMENT, mini))
    run.answer("assignment.1", "first thoughts")
    run.answer("assignment.1", "  second thoughts \n")
    assert run.answers["assignment.1"].text == "second thoughts"
    assert [e["text"] for e in run.events if e["type"] == "answer"] == ["first thoughts", "second thoughts"]
    with pytest.raises(RunError):
        run.answer("nope", "x")


@pytest.mark.parametrize(
    "text, code, line",
    [
        ("assignment:\n  id: x\n  title: T\n  until: thre\n", "unknown-scene", 4),
        ("assignment:\n  id: x\n  title: T\n  undo: no\n", "implicit-bool", 4),
        ("assignment:\n  id: x\n  titel: T\n", "unknown-key", 3),
        ("assignment:\n  id: x\n  title: T\n  perspectives: [guard]\n", "unknown-perspective", 4),
        ("assignment:\n  id: x\n  title: T\n  prompts:\n    - at: a.start\n", "missing-key", 5),
        ("assignment:\n  id: x\n  title: T\n  intensity: mild\n", "bad-kind", 4),
        ("just: text\n", "missing-key", 1),
        ("assignment:\n  id: x\n\ttitle: T\n", "tab", 3),
    ],
)
def test_a_malformed_assignment_is_one_line_with_its_position(mini: Story, tmp_path: Path, text: str, code: str, line: int) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(text)
    with pytest.raises(AssignmentError) as info:
        load_assignment(path, mini)
    [found] = [p for p in info.value.problems if p.code == code]
    assert found.pos.line == line and str(path) in found.pos.file
    assert all("\n" not in str(p) for p in info.value.problems)


def test_an_ending_past_the_stop_is_still_shown(tmp_path: Path) -> None:
    import shutil

    from game.format import load_story
    from tests.conftest import MINI

    story_dir = tmp_path / "story"
    shutil.copytree(MINI, story_dir)
    path = story_dir / "story.yaml"
    path.write_text(
        path.read_text().replace("      - text: Join tech\n", "      - text: Give up\n        goto: c.bad\n      - text: Join tech\n", 1)
    )
    story = load_story(story_dir)
    run = Run.start(story, perspective="woman", assignment=load_assignment(ASSIGNMENT, story))
    run.choose([c.text for c in run.choices].index("Give up"))
    assert run.finished and run.ended is not None and run.scene.id == "c.bad"
