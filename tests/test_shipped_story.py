"""The story we ship loads, checks clean, and plays to endings."""

from __future__ import annotations

import random

from game.engine import Run, load_story
from game.locations import CHECKOUT
from game.tools.check import check_story

STORY = CHECKOUT / "story"


def test_shipped_story_has_no_errors() -> None:
    story, problems = check_story(STORY)
    assert story is not None
    assert [str(p) for p in problems.errors] == []


def test_random_runs_reach_an_ending_and_several_endings_exist() -> None:
    story = load_story(STORY)
    endings = set()
    for seed in range(300):
        rng = random.Random(seed)
        run = Run.start(story, seed=seed)
        for _ in range(500):
            if run.ended:
                break
            open_choices = [c.index for c in run.choices if c.enabled]
            assert open_choices, f"seed {seed}: stuck in {run.scene.id}"
            run.choose(rng.choice(open_choices))
        assert run.ended, f"seed {seed}: no ending after 500 choices"
        endings.add(run.ended.id)
    assert len(endings) >= 2
