"""The rules of play, in one place: what a scene says for a state, which of its choices are
open, what entering a scene does, and what taking a choice does.

`Run` (run.py) plays by these for every front end. The play-tester does not call them: for
speed it plays over code generated from the story (game/writers/playtest/compiled.py), which
must do exactly what these functions do. tests/writers/test_one_rulebook.py plays both, seed
by seed, over every story the project has, and measures branch coverage of this module (and of
the expressions' evaluation) while it does: a branch here that no story both engines play
reaches fails that test. So a rule added here fails until compiled.py follows it.

The play-tester's reference runs call `open_choices` millions of times: plain loops, no helpers.
"""

from __future__ import annotations

from typing import NamedTuple

from game.model import Choice, Scene, Variable
from game.runtime.state import State, draw, once_mark


class ChoiceView(NamedTuple):
    """A choice as the player sees it now. `index` is its place in `run.choices`.

    (A named tuple rather than a dataclass: one is built for every choice shown, and the
    play-tester shows millions.)"""

    index: int  # type: ignore[assignment]  # shadows tuple.index, which nobody calls on a view
    text: str
    enabled: bool
    reason: str = ""
    choice: Choice | None = None


def scene_text(scene: Scene, state: State, summary: bool = False) -> str:
    """The scene's Markdown for `state`: each block shown or its `else`, holes filled. With
    `summary` (the summary intensity), a block with a summary shows it in place of its text."""
    paragraphs = []
    for block in scene.text:
        if block.condition is None or block.condition.evaluate(state):
            shown = block.summary if summary and block.summary is not None else block.text
            text = shown.render(state).strip()
        elif block.otherwise is not None:
            text = block.otherwise.render(state).strip()
        else:
            continue
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def open_choices(scene: Scene, state: State) -> list[ChoiceView]:
    """The choices to show: enabled ones, disabled ones that have a reason, or, when none is
    enabled, the fallbacks. A once-only choice already taken is gone."""
    taken = state.taken
    scene_id = state.scene
    views: list[ChoiceView] = []
    fallbacks: list[Choice] = []
    any_enabled = False
    for choice in scene.choices:
        if choice.once and once_mark(scene_id, choice.index) in taken:
            continue
        if choice.fallback:
            fallbacks.append(choice)
            continue
        condition = choice.condition
        enabled = condition is None or bool(condition.evaluate(state))
        if enabled or choice.reason:
            template = choice.text
            text = template.fixed if template.fixed is not None else template.render(state)
            if enabled:
                any_enabled = True
                views.append(ChoiceView(len(views), text, True, "", choice))
            else:
                views.append(ChoiceView(len(views), text, False, choice.reason, choice))
    if not any_enabled and fallbacks:
        views = [ChoiceView(i, c.text.render(state), True, "", c) for i, c in enumerate(fallbacks)]
    return views


def enter(scene: Scene, state: State) -> tuple[str, ...]:
    """Enter `scene`: a step further, one more visit, its rolls drawn (kept until it is left),
    and its notes found: its own, and those of each text block shown now. Returns the notes
    found here for the first time."""
    state.scene = scene.id
    state.step += 1
    visits = state.visits
    visits[scene.id] = visits.get(scene.id, 0) + 1
    if scene.rolls:
        seed, step = state.seed, state.step
        state.rolls = {site: draw(seed, step, site, sides.evaluate(state)) for site, sides in scene.rolls}
    elif state.rolls:
        state.rolls = {}
    if not scene.notes and not scene.block_notes:
        return ()
    found = list(scene.notes)
    if scene.block_notes:
        for block in scene.text:
            if block.notes and (block.condition is None or block.condition.evaluate(state)):
                found += block.notes
    seen = state.seen
    new = tuple(dict.fromkeys(n for n in found if n not in seen))
    seen.update(new)
    return new


def take(choice: Choice, state: State, variables: dict[str, Variable]) -> str:
    """Take `choice`: a once-only choice is marked taken, its effects are applied in order, each
    value clamped to its variable's range, and then where it leads is decided on the new state:
    the first of its routes whose condition holds, else its goto. Returns that scene (entered
    with `enter`)."""
    if choice.once:
        state.taken.add(once_mark(state.scene, choice.index))
    for effect in choice.effects:
        state.vars[effect.variable] = variables[effect.variable].clamp(effect.value.evaluate(state))
    for route in choice.routes:
        if route.condition.evaluate(state):
            return route.target
    return choice.goto
