"""The one rule for reflection questions, which every front end follows through Run.prompts_now:
due on reaching a scene or at the end of an act, asked as the player leaves a scene, at most two
at a time (the rest at the next scene), and every one still waiting at an ending."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.format import load_story
from game.model import Story
from game.runtime import Run
from game.runtime.run import PROMPTS_AT_ONCE

STORY = """\
story:
  title: Questions
  start: a.one
  acts: {a: {title: A}, b: {title: B}}
  places: {yard: The yard}
  endings:
    end: {title: The end, debrief: What really happened.}
  prompts:
    q.act_a: {act: a, text: Act A's question?}
    q.one: {text: First?}
    q.two: {text: Second?}
    q.three: {text: Third?}
    q.last: {text: At the end?}
scenes:
  a.one:
    act: a
    date: 1954-05-16
    place: yard
    title: One
    prompts: [q.one, q.two, q.three]
    text: Three questions come due here.
    choices:
      - {text: Go on, goto: b.two}
  b.two:
    act: b
    date: 1954-05-17
    place: yard
    title: Two
    text: The act has changed.
    choices:
      - {text: Go on, goto: b.three}
  b.three:
    act: b
    date: 1954-05-18
    place: yard
    title: Three
    text: Nearly there.
    choices:
      - {text: Go on, goto: b.end}
  b.end:
    act: b
    date: 1954-05-19
    place: yard
    title: End
    prompts: [q.last]
    ending: end
    text: The end.
"""


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    root = tmp_path_factory.mktemp("questions")
    (root / "story.yaml").write_text(STORY, encoding="utf-8")
    return load_story(root)


def ask_all(run: Run) -> list[str]:
    """Put every question due now to the player, as a front end does; their ids."""
    asked = [p.id for p in run.prompts_now]
    for prompt_id in asked:
        run.ask(prompt_id)
    return asked


def test_questions_are_asked_as_a_scene_is_left_two_at_a_time(story: Story) -> None:
    run = Run.start(story, seed=1)
    assert [p.id for p in run.prompts_waiting] == ["q.one", "q.two", "q.three"], "due on reaching the scene"
    assert ask_all(run) == ["q.one", "q.two"], f"at most {PROMPTS_AT_ONCE}, as the player leaves"
    run.choose(0)
    # Leaving act A makes its question due too: the one left over comes first, then the act's.
    assert [p.id for p in run.prompts_waiting] == ["q.three", "q.act_a"]
    assert ask_all(run) == ["q.three", "q.act_a"]
    run.choose(0)
    assert run.prompts_now == [], "nothing waits: nothing asked"


def test_at_an_ending_every_question_still_waiting_is_asked_before_the_debrief(story: Story) -> None:
    run = Run.start(story, seed=1)
    for _ in range(3):  # a player who skips nothing but is never asked (a front end that waits)
        run.choose(0)
    assert run.ended is not None
    waiting = [p.id for p in run.prompts_waiting]
    assert waiting == ["q.one", "q.two", "q.three", "q.act_a", "q.last"]
    assert [p.id for p in run.prompts_now] == waiting, "all of them, at the ending"


def test_a_question_skipped_is_not_asked_again_but_stays_unanswered(story: Story) -> None:
    run = Run.start(story, seed=1)
    ask_all(run)
    run.answer("q.one", "An answer.")
    run.choose(0)
    assert "q.two" not in [p.id for p in run.prompts_waiting], "asked once: skipped, not asked again"
    assert [p.id for p in run.unanswered] == ["q.two"]


def test_the_queue_survives_a_save(story: Story, tmp_path: Path) -> None:
    from game.saves import SaveStore

    run = Run.start(story, seed=1)
    ask_all(run)
    store = SaveStore(tmp_path)
    store.autosave(run)
    loaded = store.latest(story)
    assert loaded is not None
    assert [p.id for p in loaded.prompts_waiting] == ["q.three"]
