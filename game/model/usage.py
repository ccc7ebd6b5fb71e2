"""Which variables a part of the story uses: for the checker (declared but never used) and for
the stats panel (a perspective's player sees only the stats their own scenes touch)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from game.model.expressions import Expr
from game.model.story import Scene, Story, Template


def scene_templates(scene: Scene) -> Iterator[Template]:
    """Every piece of text in a scene that may hold `{expressions}`."""
    for block in scene.text:
        yield block.text
        if block.otherwise is not None:
            yield block.otherwise
        if block.summary is not None:
            yield block.summary
    for choice in scene.choices:
        yield choice.text


def choice_expressions(scene: Scene) -> Iterator[Expr]:
    """The expressions of a scene's choices and rolls: conditions, effects, routes, the sides of
    its rolls (what decides where a run goes from the scene)."""
    for choice in scene.choices:
        if choice.condition is not None:
            yield choice.condition
        for effect in choice.effects:
            yield effect.value
        for route in choice.routes:
            yield route.condition
    for roll in scene.rolls:
        yield roll.sides


def scene_expressions(scene: Scene) -> Iterator[Expr]:
    """Every expression a scene evaluates: conditions, effects, routes, the sides of its rolls,
    and those inside its text."""
    for block in scene.text:
        if block.condition is not None:
            yield block.condition
    yield from choice_expressions(scene)
    for template in scene_templates(scene):
        if template.fixed is None:  # most text has no {holes}
            yield from (p for p in template.parts if isinstance(p, Expr))


def variables_used(scenes: Iterable[Scene]) -> set[str]:
    """Variables read or set anywhere in `scenes`."""
    used: set[str] = set()
    for scene in scenes:
        for expr in scene_expressions(scene):
            used |= expr.reads
        used.update(e.variable for c in scene.choices for e in c.effects)
    return used


def variables_of(story: Story, perspective: str) -> set[str]:
    """Variables used by the scenes this perspective can see (all scenes when it is empty)."""
    return variables_used(s for s in story.scenes.values() if not perspective or not s.perspectives or perspective in s.perspectives)
