"""docs/assignments/whole_game.yaml played to an ending in the plain player: every question,
the teacher's last one included, is asked before the ending's "What really happened"."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

from game.cli import main
from game.format import load_assignment, load_story
from game.runtime import Run
from tests.plain.student import Student

ROOT = Path(__file__).resolve().parents[2]
WHOLE_GAME = ROOT / "docs" / "assignments" / "whole_game.yaml"
LAST_QUESTION = "Reflect: Your character is invented; the people it was built from were not."


@pytest.mark.parametrize("perspective, seed", [("woman", 3), ("political", 4), ("thief", 5)])
def test_the_last_questions_come_before_the_debrief(tmp_path: Path, perspective: str, seed: int) -> None:
    screen = io.StringIO()
    args = ["play", "--plain", "--assignment", str(WHOLE_GAME), "--perspective", perspective, "--intensity", "summary"]
    args += ["--saves", str(tmp_path / "saves"), "--records", str(tmp_path / "records"), "--seed", str(seed)]
    assert main(args, stdin=Student(screen, seed), stdout=screen) == 0
    lines = screen.getvalue().splitlines()
    debrief = lines.index("What really happened:")
    asked = [i for i, line in enumerate(lines) if line.startswith("Reflect: ")]
    last_scene = max(i for i, line in enumerate(lines) if line.startswith("== "))
    assert asked and max(asked) < debrief, "a question came after the debrief"
    assert any(lines[i].startswith(LAST_QUESTION) for i in asked if last_scene < i < debrief)
    [record] = (tmp_path / "records").glob("*.json")
    answered = [r["prompt"] for r in json.loads(record.read_text())["reflections"]]
    assert "assignment.1" in answered and len(answered) == len(asked)


def test_an_ending_in_the_assault_still_asks_the_questions_set_for_the_end() -> None:
    """Killed in the assault: the epilogue never comes, but its questions (the story's and the
    teacher's `after: epilogue`) are asked at the ending, before its debrief."""
    story = load_story(ROOT / "story")
    assignment = load_assignment(WHOLE_GAME, story)
    for seed in range(400):
        run = Run.start(story, seed=seed, perspective="thief", assignment=assignment, allow_undo=False)
        rng = random.Random(seed)
        while not (run.ended or run.finished):
            for prompt in run.prompts_now:
                run.ask(prompt.id)
            run.take(rng.choice([v for v in run.choices if v.enabled]))
        if run.ended and run.scene.act == "assault":
            break
    else:
        pytest.fail("no run of 400 ended in the assault")
    due = [p.id for p in run.prompts_now]
    assert "assignment.1" in due and "epilogue.memory" in due


def test_a_student_starting_at_the_assault_is_told_where_they_begin(tmp_path: Path) -> None:
    from game.session.texts import STARTS_LATER

    screen = io.StringIO()
    args = ["play", "--plain", "--assignment", str(ROOT / "docs/assignments/assault.yaml"), "--perspective", "woman"]
    args += ["--intensity", "summary", "--saves", str(tmp_path / "saves"), "--records", str(tmp_path / "records"), "--seed", "2"]
    assert main(args, stdin=Student(screen, 2), stdout=screen) == 0
    lines = screen.getvalue().splitlines()
    at = lines.index("Assignment: The assault and after, 26 June 1954 - 1960")
    assert lines[at + 1] == STARTS_LATER
    [record] = (tmp_path / "records").glob("*.json")
    assert json.loads(record.read_text())["catch_up"]
