"""The lints of `kengir check` that need what the story can do, not only what it says.

- a choice whose condition cannot hold on any path into its scene (never shown, or always
  shown disabled), and a fallback that another choice, always open, keeps from being shown;
- `visited(X)` or `visits(X)` of a scene whose choices do different things: true whichever was
  taken, where the writer most likely meant one of them;
- a `set` of a constant outside the variable's range, or not one of its values.

"Never" is said only when values.py proves it over every path (see WRITING.md, "What
`kengir check` finds"). They run once the story has no errors: what they reason from must be
the story as it will be played.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from game.format import ScenePlaces
from game.model import Choice, Problems, Scene, Story, Template, Variable, did_you_mean
from game.model import expressions as ex
from game.writers.values import ANY, Env, Reach, reads_of

SHORT = 32  # characters of a choice's text quoted in a message


def lint_story(story: Story, problems: Problems) -> None:
    """Add the lints' warnings and errors about `story` (loaded without errors) to `problems`."""
    reach = Reach(story)
    places = ScenePlaces()
    differing: dict[str, str] = {}  # scene -> how its choices differ ("" when they do not)
    for scene in story.scenes.values():
        _out_of_range(story, scene, reach, places, problems)
        env = reach.entered.get(scene.id)
        if env is not None:
            _never_shown(scene, env, reach, places, problems)
            _fallbacks_never_shown(scene, env, reach, places, problems)
        _visited_of_differing_choices(story, scene, reach, places, problems, differing)


def _quoted(choice: Choice) -> str:
    text = _source(choice.text)
    return f'choice {choice.index + 1} ("{text if len(text) <= SHORT else text[: SHORT - 3] + "..."}")'


def _source(template: Template) -> str:
    """A text as written, its `{holes}` included."""
    return "".join(part if isinstance(part, str) else "{" + part.source + "}" for part in template.parts)


def _values(values: Any) -> str:
    shown = [repr(v) if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v) for v in sorted(values, key=repr)]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def _why(reach: Reach, condition: ex.Expr, env: Env) -> str:
    """What the condition reads may hold here, as a writer would say it."""
    said = []
    for key in reads_of(reach.tree(condition)):
        held = env.get(key, ANY) if not isinstance(key, ex.Call) else ANY
        if held is ANY:
            continue
        name = key if isinstance(key, str) else f"{'seen' if key[0] == 'seen' else 'visits'}({key[1]})"
        said.append(f"{name} can only be {_values(held)}")
    return f" ({'; '.join(said)})" if said else ""


def _never_shown(scene: Scene, env: Env, reach: Reach, places: ScenePlaces, problems: Problems) -> None:
    for choice in scene.choices:
        if choice.condition is None or choice.fallback or reach.can_be(choice.condition, env, True):
            continue
        constant = not reads_of(reach.tree(choice.condition))
        problems.warning(
            places.at(scene, ("choices", choice.index, "if"), default=choice.pos),
            "choice-never-shown",
            f"{_quoted(choice)} of scene '{scene.id}' is {'always shown disabled' if choice.reason else 'never shown'}: "
            f"`{choice.condition.source}` {'is always false' if constant else 'cannot hold on any path here'}"
            f"{_why(reach, choice.condition, env)}",
            "remove the choice, or its `if`" if constant else "change the condition, or set what it tests on a path that leads here",
        )


def _fallbacks_never_shown(scene: Scene, env: Env, reach: Reach, places: ScenePlaces, problems: Problems) -> None:
    fallbacks = [choice for choice in scene.choices if choice.fallback]
    if not fallbacks:
        return
    open_always = next(
        (c for c in scene.choices if not c.fallback and not c.once and (c.condition is None or not reach.can_be(c.condition, env, False))),
        None,
    )
    if open_always is not None:
        why = f"{_quoted(open_always)} is always open" + (
            "" if open_always.condition is None else f" (`{open_always.condition.source}` always holds here)"
        )
        hint = f"a fallback is shown only when no other choice can be taken: remove it, or give choice {open_always.index + 1} an `if`"
    elif reach.taken(scene, fallbacks[0], env) is None:
        numbers = ", ".join(str(c.index + 1) for c in scene.choices if not c.fallback and not c.once)
        why = f"one of choices {numbers} is always open"
        hint = "a fallback is shown only when no other choice can be taken: remove it, or change those conditions"
    else:
        return
    for fallback in fallbacks:
        problems.warning(
            fallback.pos, "fallback-never-shown", f"the fallback {_quoted(fallback)} of scene '{scene.id}' is never shown: {why}", hint
        )


def _range(var: Variable) -> str:
    if var.minimum is not None and var.maximum is not None:
        return f"its range {var.minimum}..{var.maximum}"
    return f"its range (at least {var.minimum})" if var.minimum is not None else f"its range (at most {var.maximum})"


def _out_of_range(story: Story, scene: Scene, reach: Reach, places: ScenePlaces, problems: Problems) -> None:
    """A constant set outside what its variable declares (the game would clamp an int)."""
    for choice in scene.choices:
        for effect in choice.effects:
            var = story.variables[effect.variable]
            node = reach.tree(effect.value)
            if reads_of(node) or not (var.values or var.minimum is not None or var.maximum is not None):
                continue
            [value] = reach.possible(node, {}) or (None,)
            where = places.at(scene, ("choices", choice.index, "set", var.id), default=choice.pos)
            what = f"{_quoted(choice)} of scene '{scene.id}' sets '{var.id}' to"
            if var.type == ex.INT and var.clamp(value) != value:
                problems.error(
                    where,
                    "value-out-of-range",
                    f"{what} {value}, outside {_range(var)}",
                    f"the game would keep {var.clamp(value)}; write a value in range",
                )
            elif var.type == ex.STR and var.values and value not in var.values:
                problems.error(
                    where,
                    "value-out-of-range",
                    f"{what} '{value}', which is not one of its values",
                    did_you_mean(str(value), var.values) or f"values: {', '.join(v for v in var.values if v)}",
                )


def _expressions(scene: Scene) -> Iterator[tuple[tuple[str | int, ...], ex.Expr, str]]:
    """Each expression of a scene, where it is written (a path for ScenePlaces) and, for a
    `{hole}` in a text, the hole as written."""
    for number, block in enumerate(scene.text):
        if block.condition is not None:
            yield ("text", number, "if"), block.condition, ""
        for key, template in (("text", block.text), ("else", block.otherwise), ("summary", block.summary)):
            for part in template.parts if template is not None and template.fixed is None else ():
                if isinstance(part, ex.Expr):
                    yield ("text", number, key), part, "{" + part.source + "}"
    for choice in scene.choices:
        if choice.condition is not None:
            yield ("choices", choice.index, "if"), choice.condition, ""
        for part in choice.text.parts if choice.text.fixed is None else ():
            if isinstance(part, ex.Expr):
                yield ("choices", choice.index, "text"), part, "{" + part.source + "}"
        for effect in choice.effects:
            yield ("choices", choice.index, "set", effect.variable), effect.value, ""
        for number, route in enumerate(choice.routes):
            yield ("choices", choice.index, "goto", number, "if"), route.condition, ""


def _differences(scene: Scene) -> str:
    """How the choices of `scene` differ in their effects ("" when they do not)."""
    effects = [tuple((e.variable, e.value.source) for e in choice.effects) for choice in scene.choices]
    if len(set(effects)) < 2:
        return ""
    return "; ".join(
        f"{_quoted(choice)} " + (f"sets {', '.join(f'{name} = {source}' for name, source in done)}" if done else "sets nothing")
        for choice, done in zip(scene.choices, effects)
    )


def _visited_of_differing_choices(
    story: Story, scene: Scene, reach: Reach, places: ScenePlaces, problems: Problems, differing: dict[str, str]
) -> None:
    for path, expr, hole in _expressions(scene):
        if "visit" not in expr.source:
            continue
        for call in _visit_calls(reach.tree(expr)):
            target = story.scenes.get(str(call.argument))
            if target is None or target.id == scene.id:  # a scene counting its own visits asks no "which"
                continue
            if target.id not in differing:
                differing[target.id] = _differences(target)
            if not differing[target.id]:
                continue
            asked = "is true" if call.function == "visited" else "counts each visit"
            problems.warning(
                places.at(scene, path, (1 if hole else 0) + call.offset, hole),
                "visited-choices-differ",
                f"`{call.function}({target.id})` {asked} whichever choice was taken there, and they differ: {differing[target.id]}",
                "test the flag of the choice you mean (a variable it sets), or visited() of the scene it leads to",
            )


def _visit_calls(node: ex.Node) -> Iterator[ex.Call]:
    if isinstance(node, ex.Call) and node.function in ("visited", "visits"):
        yield node
    elif isinstance(node, ex.Unary):
        yield from _visit_calls(node.operand)
    elif isinstance(node, ex.Binary):
        yield from _visit_calls(node.left)
        yield from _visit_calls(node.right)
