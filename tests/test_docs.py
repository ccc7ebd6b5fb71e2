"""The complete example in docs/WRITING.md loads and checks clean, so writers can copy it."""

from __future__ import annotations

import re
from pathlib import Path

from game.writers.check import check_story

DOC = Path(__file__).resolve().parent.parent / "docs" / "WRITING.md"


def test_complete_example_checks_clean(tmp_path: Path) -> None:
    section = DOC.read_text().split("## A complete example to copy", 1)[1]
    example = re.search(r"```yaml\n(.+?)```", section, re.DOTALL)
    assert example
    (tmp_path / "story").mkdir()
    (tmp_path / "story" / "story.yaml").write_text(example.group(1))
    story, problems = check_story(tmp_path / "story")
    assert story is not None and [str(p) for p in problems.items] == []
    assert len(story.scenes) == 3
