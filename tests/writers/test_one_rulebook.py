"""One definition of the rules of play: the game's `Run` and the play-tester's compiled walker
play every story the project has, seed by seed, and give the same runs; and while they do,
every branch of the rules (game/runtime/rules.py, and the evaluation of expressions, text
holes, clamping and rolls) is taken by some story both engines play.

So a rule added to the runtime fails here until the compiled walker
(game/writers/playtest/compiled.py) does the same, and until a story here exercises it: the
coverage is measured, not assumed (coverage.py, with branches)."""

from __future__ import annotations

import ast
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import coverage
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import game.model.expressions
import game.model.story
import game.runtime.rules
import game.runtime.state
from game.format import load_story
from game.model import Story, StoryError
from tests.writers.test_compiled_playtest import assert_same, stories

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
# The rules, by file and by the functions that hold them (None: the whole file).
RULES: dict[Path, set[str] | None] = {
    Path(game.runtime.rules.__file__): None,
    Path(game.model.expressions.__file__): {"compile_node", "div_or_zero", "mod_or_zero"},
    Path(game.model.story.__file__): {"render", "clamp"},
    Path(game.runtime.state.__file__): {"draw"},
}


def project_stories() -> Iterator[tuple[str, Story]]:
    """Every story folder in the project that loads: the shipped story and every test fixture."""
    folders = [ROOT / "story", *sorted(p.parent for p in TESTS.rglob("story.yaml"))]
    for folder in folders:
        try:
            yield str(folder.relative_to(ROOT)), load_story(folder)
        except StoryError:
            continue  # the loader's own fixtures of broken stories


@settings(max_examples=80, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=stories(), first_seed=st.integers(0, 10_000))
def _generated_stories_play_the_same(folder: Path, text: str, first_seed: int) -> None:
    """Random stories with every feature of the format (see stories() in test_compiled_playtest)."""
    root = Path(tempfile.mkdtemp(dir=folder))
    (root / "story.yaml").write_text(text, encoding="utf-8")
    try:
        story = load_story(root)
    except StoryError:
        return
    assert_same(story, range(first_seed, first_seed + 10))
    assert_same(story, range(first_seed, first_seed + 10), intensity="summary")


def _rule_lines(path: Path, functions: set[str] | None) -> set[int]:
    """The lines of the bodies of `functions` in `path` (of every function for None)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and (functions is None or node.name in functions):
            lines |= set(range(node.body[0].lineno, (node.end_lineno or node.lineno) + 1))
    assert lines, f"{path.name}: none of {functions} found"
    return lines


def test_every_branch_of_the_rules_is_played_by_both_engines(tmp_path: Path) -> None:
    measured = coverage.Coverage(branch=True, data_file=None, include=[str(p) for p in RULES])
    measured.start()
    try:
        played = []
        for name, story in project_stories():
            assert_same(story, range(150))
            if any(scene.summarised for scene in story.scenes.values()):
                assert_same(story, range(150), intensity="summary")
            for perspective in story.perspectives:
                assert_same(story, range(500, 560), perspective)
            played.append(name)
        _generated_stories_play_the_same(tmp_path)
    finally:
        measured.stop()
    assert "story" in played and len(played) >= 5, played
    report = tmp_path / "coverage.json"
    measured.json_report(outfile=str(report))
    files = json.loads(report.read_text(encoding="utf-8"))["files"]
    missing = []
    for path, functions in RULES.items():
        entry = next(v for k, v in files.items() if Path(k).resolve() == path.resolve())
        lines = _rule_lines(path, functions)
        missing += [f"{path.name}:{line} never runs" for line in entry["missing_lines"] if line in lines]
        missing += [f"{path.name}:{a}->{b} never taken" for a, b in entry["missing_branches"] if a in lines]
    assert missing == [], f"rules no story plays through both engines (add one to a fixture or to stories()): {missing}"


@pytest.mark.parametrize("functions", [{"nothing_like_this"}])
def test_the_rule_lines_are_found_by_name(functions: set[str]) -> None:
    with pytest.raises(AssertionError):
        _rule_lines(Path(game.runtime.state.__file__), functions)
    assert _rule_lines(Path(game.runtime.state.__file__), {"draw"})
