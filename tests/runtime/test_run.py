"""Run, the API front ends step through: conditions, effects, text, once-only / sticky / fallback choices, visits, undo."""

from __future__ import annotations

import pytest

from game.model import Story
from game.runtime import Run, RunError


def texts(run: Run) -> list[tuple[str, bool]]:
    return [(c.text, c.enabled) for c in run.choices]


def pick(run: Run, text: str) -> None:
    """Take the choice with this text, as a player reading the screen would."""
    run.choose([c.text for c in run.choices].index(text))


def test_start_renders_interpolation_and_conditional_text(mini: Story) -> None:
    run = Run.start(mini, seed=1)
    assert run.scene.id == "a.start"
    assert run.text == "Trust is 1; married: false.\n\nNobody knows you."


def test_hidden_and_disabled_choices(mini: Story) -> None:
    run = Run.start(mini)
    # "Marry" is hidden (no else); "Locked" is shown disabled with its reason.
    assert texts(run) == [("Gain trust", True), ("Join tech", True), ("Locked", False)]
    assert run.choices[2].reason == "Not enough trust"
    with pytest.raises(RunError, match="not open"):
        run.choose(2)


def test_effects_clamp_to_the_declared_range(mini: Story) -> None:
    run = Run.start(mini)
    run.choose(0)  # trust + 5, clamped to max 3
    assert run.state.vars["trust"] == 3
    assert "You are trusted." in run.text


def test_once_only_choice_disappears_and_sticky_stays(mini: Story) -> None:
    run = Run.start(mini)
    run.choose(0)
    assert "Gain trust" not in [c.text for c in run.choices]
    run.choose([c.text for c in run.choices].index("Marry"))
    assert run.state.vars["married"] is True
    assert "Marry" not in [c.text for c in run.choices]  # its condition is false now
    assert "Join tech" in [c.text for c in run.choices]  # sticky


def test_fallback_shows_only_when_nothing_else_can_be_taken(mini: Story) -> None:
    run = Run.start(mini, perspective="thief")
    run.choose(0)  # to b.mid with dept == none: the good end is hidden
    assert texts(run) == [("Fall", True)]
    run.choose(0)
    assert run.ended and run.ended.id == "bad"

    run = Run.start(mini)
    run.choose(1)  # join tech
    assert texts(run) == [("Good end", True)]  # the fallback is not offered


def test_visits_and_seen_notes(mini: Story) -> None:
    run = Run.start(mini)
    assert run.new_notes == ("n1",)
    pick(run, "Gain trust")  # back to a.start
    assert run.state.visits["a.start"] == 2
    assert run.new_notes == ()  # already found
    pick(run, "Join tech")
    assert run.new_notes == ("n2",)
    assert "visits 2" in run.text


def test_prompts_due_at_scene_and_when_an_act_ends(mini: Story) -> None:
    run = Run.start(mini)
    assert run.prompts_due == ()
    run.choose(1)  # act one -> act two, into a scene that asks at_mid
    assert [p.id for p in run.prompts_due] == ["at_mid", "leave_one"]


def test_perspective_start_and_variable(mini: Story) -> None:
    run = Run.start(mini, perspective="thief")
    assert run.scene.id == "t.start"
    assert run.perspective == "thief"
    with pytest.raises(RunError, match="no perspective"):
        Run.start(mini, perspective="guard")


def test_summary_intensity_replaces_violent_text(mini: Story) -> None:
    run = Run.start(mini, intensity="summary")
    run.choose(1)
    assert run.text == "Something violent happens."
    full = Run.start(mini)
    full.choose(1)
    assert full.text.startswith("Dept tech")


def test_undo_restores_everything(mini: Story) -> None:
    run = Run.start(mini, seed=3)
    before = run.state.to_dict()
    pick(run, "Gain trust")
    pick(run, "Join tech")
    assert run.scene.id == "b.mid"
    run.undo()
    run.undo()
    assert run.state.to_dict() == before
    assert run.log == []
    assert texts(run)[0] == ("Gain trust", True)  # the once-only choice is back
    with pytest.raises(RunError, match="nothing to undo"):
        run.undo()


def test_undo_can_be_forbidden(mini: Story) -> None:
    run = Run.start(mini, allow_undo=False)
    run.choose(0)
    assert not run.can_undo
    with pytest.raises(RunError, match="switched off"):
        run.undo()


def test_ending_carries_its_debrief_and_the_scenes(mini: Story) -> None:
    run = Run.start(mini)
    run.choose(1)
    run.choose(0)
    assert run.ended is not None
    assert run.ended.title == "A good end"
    assert run.ended.debrief == "It ended.\n\nAnd you lived."
    assert run.choices == []


def test_jump_in_with_variables(mini: Story) -> None:
    run = Run.start(mini, start="b.mid", variables={"dept": "tech"})
    assert run.scene.id == "b.mid"
    assert texts(run) == [("Fall", True)]  # visited(a.start) is false: the good end is hidden
    with pytest.raises(RunError):
        Run.start(mini, variables={"trust": "high"})
    with pytest.raises(RunError):
        Run.start(mini, variables={"nope": 1})


def test_same_seed_and_choices_give_the_same_run(mini: Story) -> None:
    def play(seed: int) -> dict:
        run = Run.start(mini, seed=seed)
        pick(run, "Gain trust")
        pick(run, "Join tech")
        return run.state.to_dict()

    assert play(7) == play(7)
    rolls = {play(seed)["vars"]["dice"] for seed in range(40)}
    assert rolls <= set(range(1, 7)) and len(rolls) > 1  # the seed really matters


def test_roll_is_the_same_after_undo(mini: Story) -> None:
    run = Run.start(mini, seed=11)
    run.choose(1)
    first = run.state.vars["dice"]
    run.undo()
    run.choose(1)
    assert run.state.vars["dice"] == first


def test_undeclared_int_range_is_bounded_so_saves_stay_writable(mini: Story) -> None:
    from game.model.story import INT_LIMIT

    assert mini.variables["dice"].clamp(10**40) == INT_LIMIT and mini.variables["dice"].clamp(-(10**40)) == -INT_LIMIT
