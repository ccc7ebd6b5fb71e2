"""The explorer's remembered moves (steps.py) against asking the engine for every state.

`Steps` asks `Run` once per scene and touched values and copies what the moves carry. Here the
same searches run both ways must find the same graph, state for state and move for move, in
the same order: on random stories of both generators, the shipped story and the mini story.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from game.format import load_story
from game.model import Story, StoryError
from game.writers.playtest import explore as explore_module
from game.writers.playtest.explore import search
from game.writers.playtest.steps import Steps
from tests.conftest import MINI
from tests.writers.test_compiled_playtest import stories
from tests.writers.test_explore_values import stat_stories

ROOT = Path(__file__).resolve().parents[2]


class AskEveryTime(Steps):
    """Steps that remember nothing: the engine is asked for every state."""

    def of(self, key):  # type: ignore[no-untyped-def]
        return self.ask(key)


def assert_same_graph(story: Story, monkeypatch: pytest.MonkeyPatch, perspective: str | None = None, limit: int = 3000) -> None:
    remembered, graph = search(story, perspective, limit)
    with monkeypatch.context() as patch:
        patch.setattr(explore_module, "Steps", AskEveryTime)
        asked, asked_graph = search(story, perspective, limit)
    assert graph.keys == asked_graph.keys
    assert list(graph.targets) == list(asked_graph.targets) and list(graph.first) == list(asked_graph.first)
    assert graph.groups == asked_graph.groups
    for name in ("complete", "scenes", "choices", "endings", "doomed", "stuck", "failures"):
        assert getattr(remembered, name) == getattr(asked, name), name


def _load(tmp_path_factory, text: str) -> Story | None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("story")
    (root / "story.yaml").write_text(text)
    try:
        return load_story(root)
    except StoryError:
        return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=stories())
def test_random_stories_remembered_moves_are_the_engines(tmp_path_factory, monkeypatch, text: str) -> None:  # type: ignore[no-untyped-def]
    story = _load(tmp_path_factory, text)
    if story is not None:
        assert_same_graph(story, monkeypatch)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=stat_stories())
def test_stat_stories_remembered_moves_are_the_engines(tmp_path_factory, monkeypatch, text: str) -> None:  # type: ignore[no-untyped-def]
    story = _load(tmp_path_factory, text)
    if story is not None:
        assert_same_graph(story, monkeypatch)


def test_shipped_and_mini_stories_remembered_moves_are_the_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = load_story(ROOT / "story")
    for perspective in shipped.perspectives:
        # The first 40,000 states of each search, in the order both explore them: asking the
        # engine for every state of the whole story (a million) takes minutes
        assert_same_graph(shipped, monkeypatch, perspective, limit=40_000)
    mini = load_story(MINI)
    for perspective in (None, *mini.perspectives):
        assert_same_graph(mini, monkeypatch, perspective)


CARRIED = """\
story:
  title: Carried
  start: s.0
  acts: {one: {title: One}}
  places: {yard: Y}
  endings: {one: {title: One, debrief: D.}, two: {title: Two, debrief: D.}}
  variables: {a: {type: int, default: 1, min: 0, max: 5}, b: {type: int, default: 0, min: 0, max: 3}}
scenes:
  s.0:
    act: one
    date: 1954-05-16
    place: yard
    title: A
    text: Start.
    choices:
      - {text: Raise, goto: s.0, set: {a: a + 1, b: b + 1}, if: visits(s.0) < 4}
      - {text: Go on, goto: s.m}
  s.m: {act: one, date: 1954-05-16, place: yard, title: M, text: On., choices: [{text: Go, goto: s.1}]}
  s.1:
    act: one
    date: 1954-05-16
    place: yard
    title: B
    text: Then.
    choices:
      - {text: High, goto: e.1, if: roll(a + 1) > 2 and b < 3}
      - {text: Low, goto: e.2, fallback: true}
  e.1: {act: one, date: 1954-05-16, place: yard, title: E, text: One., ending: one}
  e.2: {act: one, date: 1954-05-16, place: yard, title: E, text: Two., ending: two}
"""


def test_values_a_scene_only_carries_into_the_sides_of_a_roll_are_touched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In s.m nothing reads `a` but the sides of the roll drawn as s.1 is entered: two keys at
    s.m that differ in `a` must not share their moves (a = 1 rolls 1 or 2; a = 2 can roll 3)."""
    (tmp_path / "story.yaml").write_text(CARRIED)
    story = load_story(tmp_path)
    assert_same_graph(story, monkeypatch)
    assert search(story)[0].choices >= {("s.1", 0), ("s.1", 1)}
