"""The lints say "never" only of what never happens. Random stories with every feature of the
format (routes, rolls, fallbacks, once-only choices, notes in text blocks), the shipped story and
the fixtures are played by the game's own engine, choice by random choice: every value a run
holds as it enters a scene is one values.py allows there, and no choice the lints call never
shown (or a fallback never shown) is ever open."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.format import load_story
from game.model import Problems, Story, StoryError
from game.runtime import Assignment, AssignmentError, Run
from game.writers.lints import lint_story
from game.writers.values import ANY, Reach
from tests.conftest import MINI
from tests.writers.test_compiled_playtest import stories

ROOT = Path(__file__).resolve().parents[2]


def play_within(story: Story, reach: Reach, seeds: range, perspective: str | None = None, act: str = "", steps: int = 80) -> int:
    """Play a run per seed (from the first scene of `act`, as an assignment begins there),
    checking each scene entered against `reach`; the scenes entered."""
    entered = 0
    for seed in seeds:
        assignment = Assignment(id="a", title="A", start=act) if act else None
        run = Run.start(story, seed=seed, perspective=perspective, assignment=assignment)
        pick = random.Random(seed)
        for _ in range(steps):
            scene, state = run.scene, run.state
            env = reach.entered.get(scene.id)
            assert env is not None, f"seed {seed}: {scene.id} was entered, but no path reaches it"
            entered += 1
            for name, value in state.vars.items():
                held = env[name]
                assert held is ANY or value in held, f"seed {seed}: {name} = {value!r} in {scene.id}, outside {sorted(held, key=repr)}"
            for key in reach.tracked:
                held = env[key]
                actual = state.visits.get(key[1], 0) if key[0] == "visits" else key[1] in state.seen
                assert held is ANY or actual in held, f"seed {seed}: {key} = {actual} in {scene.id}, outside {held}"
            views = run.choices
            for view in views:
                choice = view.choice
                assert choice is not None
                if choice.fallback:
                    assert reach.taken(scene, choice, env) is not None, f"seed {seed}: fallback of {scene.id} shown"
                elif view.enabled and choice.condition is not None:
                    assert reach.can_be(choice.condition, env, True), f"seed {seed}: choice {choice.index + 1} of {scene.id} open"
            open_views = [view for view in views if view.enabled]
            if run.ended or not open_views:
                break
            run.take(pick.choice(open_views))
    return entered


@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=stories(), first_seed=st.integers(0, 10_000))
def test_random_stories_stay_within_what_the_lints_reason_from(
    tmp_path_factory: pytest.TempPathFactory, text: str, first_seed: int
) -> None:
    root = tmp_path_factory.mktemp("story")
    (root / "story.yaml").write_text(text, encoding="utf-8")
    try:
        story = load_story(root)
    except StoryError:
        return
    lint_story(story, Problems())  # runs on every generated story without failing
    reach = Reach(story)
    assert play_within(story, reach, range(first_seed, first_seed + 30)) > 0


@pytest.mark.parametrize("folder", [ROOT / "story", MINI, ROOT / "tests" / "fixtures" / "letters"], ids=lambda p: p.name)
def test_project_stories_stay_within_what_the_lints_reason_from(folder: Path) -> None:
    story = load_story(folder)
    reach = Reach(story)
    for perspective in [None, *story.perspectives]:
        assert play_within(story, reach, range(150), perspective) > 0
        for act in story.acts:  # where an assignment with `from: ACT` begins, every variable at its default
            try:
                play_within(story, reach, range(20), perspective, act)
            except AssignmentError:  # the act is not on this perspective's path
                continue


def test_an_act_begun_by_an_assignment_is_a_path_of_its_own(tmp_path: Path) -> None:
    """In choice_maybe_shown.yaml only an assignment from act two reaches a.gate with fled false."""
    (tmp_path / "story.yaml").write_text((ROOT / "tests" / "stories" / "choice_maybe_shown.yaml").read_text())
    story = load_story(tmp_path)
    reach = Reach(story)
    assert reach.entered["a.gate"]["fled"] == {False, True}
    assert play_within(story, reach, range(30), act="two") > 0
