"""Data-driven loader and checker tests (Black's style): each file in tests/stories/ is a story
that must produce exactly the problems its `# expect:` line lists, at those lines and columns."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from game.writers.check import check_story

CASES = Path(__file__).parent / "stories"
_EXPECT = re.compile(rb"^# expect: (.*)$", re.MULTILINE)


def _expected(case: Path) -> list[str]:
    raw = (case / "expect.txt").read_bytes() if case.is_dir() else case.read_bytes()
    match = _EXPECT.search(raw if not case.is_dir() else b"# " + raw)
    assert match, f"{case.name} has no '# expect:' line"
    text = match.group(1).decode().strip()
    return [] if text == "nothing" else [item.strip() for item in text.split(",")]


@pytest.mark.parametrize("case", sorted(CASES.iterdir()), ids=lambda p: p.stem)
def test_story_problems(case: Path, tmp_path: Path) -> None:
    story_dir = tmp_path / "story"
    if case.is_dir():
        shutil.copytree(case, story_dir, ignore=shutil.ignore_patterns("expect.txt"))
    else:
        story_dir.mkdir()
        shutil.copy(case, story_dir / "story.yaml")
    _, problems = check_story(story_dir)
    found = [
        f"{p.severity}[{p.code}] {Path(p.pos.file).name + ':' if case.is_dir() else ''}{p.pos.line}:{p.pos.column}"
        for p in problems.sorted()
    ]
    assert found == _expected(case)
    for problem in problems.items:
        assert problem.message and "\n" not in str(problem), "one readable line per problem"
