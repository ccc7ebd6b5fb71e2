"""The example assignments in docs/assignments load against the shipped story, and the teacher
guide (docs/TEACHING.md) names each one and shows it exactly as it is on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.format import load_assignment, load_story

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "TEACHING.md"
ASSIGNMENTS = sorted((ROOT / "docs" / "assignments").glob("*.yaml"))


@pytest.fixture(scope="module")
def story():
    return load_story(ROOT / "story")


def test_the_three_examples_are_there() -> None:
    assert {p.name for p in ASSIGNMENTS} >= {"strike.yaml", "forty_days.yaml", "whole_game.yaml"}


@pytest.mark.parametrize("path", ASSIGNMENTS, ids=lambda p: p.name)
def test_assignment_loads_against_the_shipped_story(path: Path, story) -> None:
    assignment = load_assignment(path, story)
    assert assignment.id and assignment.title
    for perspective in story.perspectives:
        if assignment.allows(perspective):
            first = assignment.first_scene(story, perspective)
            assert first is None or first in story.scenes


@pytest.mark.parametrize("path", ASSIGNMENTS, ids=lambda p: p.name)
def test_guide_names_and_shows_each_assignment(path: Path) -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    assert f"docs/assignments/{path.name}" in guide
    assert path.read_text(encoding="utf-8").strip() in guide, f"the copy of {path.name} in TEACHING.md differs from the file"
