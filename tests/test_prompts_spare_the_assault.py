"""No reflection question interrupts the assault: from the warning to the steppe, nothing is asked.

Act II's questions are put on the last scenes of act II (and the walk-out's), so they are asked
before the warning; act III's come due on the steppe. A question asked between the warning and
the tanks would stop the player in the middle of the climax (review of the second draft, M5).
"""

from __future__ import annotations

import random

from game.format import load_story
from game.runtime import Run
from game.session.paths import CHECKOUT

STORY = CHECKOUT / "story"
RUNS_PER_PERSPECTIVE = 400


def test_no_question_is_asked_between_the_first_and_the_last_scene_of_the_assault() -> None:
    story = load_story(STORY)
    assault_runs = 0
    for perspective in story.perspectives:
        for seed in range(RUNS_PER_PERSPECTIVE):
            rng = random.Random(seed)
            run = Run.start(story, seed=seed, perspective=perspective, allow_undo=False)
            went_in = False
            for _ in range(500):
                if run.ended:
                    break
                scene = run.scene
                went_in = went_in or scene.act == "assault"
                asked = run.prompts_now
                if scene.act == "assault" and not scene.ending:
                    assert asked == [], f"{perspective} seed {seed}: {[p.id for p in asked]} asked on leaving {scene.id}"
                for prompt in asked:  # as a front end does: put the question, then take the choice
                    run.ask(prompt.id)
                open_choices = [c.index for c in run.choices if c.enabled]
                run.choose(rng.choice(open_choices))
            assert run.ended, f"{perspective} seed {seed}: no ending"
            assault_runs += went_in
    # the walk-outs skip act III; most runs must still have gone through it for the test to mean anything
    assert assault_runs > RUNS_PER_PERSPECTIVE


def test_act_two_questions_are_asked_before_the_warning() -> None:
    """The questions moved off the assault are still asked: on the last scene of act II."""
    story = load_story(STORY)
    for perspective, warning in (("woman", "assault.warning"), ("political", "political.warning"), ("thief", "thief.warning")):
        for seed in range(60):
            rng = random.Random(seed)
            run = Run.start(story, seed=seed, perspective=perspective, allow_undo=False)
            asked_before: set[str] = set()
            for _ in range(500):
                if run.ended or run.scene.id == warning:
                    break
                for prompt in run.prompts_now:
                    run.ask(prompt.id)
                    asked_before.add(prompt.id)
                run.choose(rng.choice([c.index for c in run.choices if c.enabled]))
            if run.scene.id != warning:
                continue  # walked out
            act_two = {
                p.id for p in story.prompts.values() if p.act == "forty_days" and (not p.perspectives or perspective in p.perspectives)
            }
            assert act_two <= asked_before, f"{perspective} seed {seed}: {sorted(act_two - asked_before)} not asked before the warning"
