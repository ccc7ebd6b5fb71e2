"""Starting an assignment mid-story with a state a player could have reached.

A student who begins at a later act (`from: assault`) has not made the earlier choices that
decide what is open there: whom they married, whether they joined a department, whom they
trusted. Starting from the declared defaults would lock choices (and endings) that every real
player can reach. Instead the run's seed draws a state that play reaches: the earlier part is
played out by seeded random choices, by the same rules as play, up to the first choice that
leads into the assigned act (or to the assigned scene), and the student starts there with that
state. Across a class (a seed each) the states, and so the endings open, vary as they would in
real play; the same seed always gives the same state, so a save or a record replays exactly and
`kengir verify` needs nothing new to trust it.

Why drawn rather than asked: a catch-up screen asking the decisive earlier choices would need
the writer to name those choices for every act and perspective, and would be wrong as soon as
the story changed; a drawn state follows the story as written, and the record lists the choices
it stands for, so the teacher (and the student, in their record) can see where they began.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from game.model import Story
from game.runtime.rules import enter, open_choices, take
from game.runtime.state import State

ATTEMPTS = 200  # walks tried before giving up (one that ends before the act is thrown away)
LONGEST = 2000  # choices in one walk before it is thrown away (a loop in the story)


class CatchUp(NamedTuple):
    """Where a drawn walk entered the assigned part, the state it had just before entering it,
    and the choices it took on the way (scene title and choice text, for the record)."""

    scene: str
    state: State
    choices: tuple[tuple[str, str], ...]


def catch_up(story: Story, seed: int, perspective: str, target: str) -> CatchUp | None:
    """The state the run with `seed` starts from when its assignment begins at `target` (an act
    or a scene) as `perspective`; None when no walk reaches it (the story's defaults are used).
    `perspective` must be one of the story's."""
    begin = story.perspectives[perspective].start
    if target in story.acts:
        order = story.acts[target].order
        if story.acts[story.scenes[begin].act].order >= order:
            return None  # the perspective begins in or after the act: nothing to catch up

        def where(scene_id: str) -> int:
            """-1: before the part, 0: in it (arrived), 1: past it (this walk skipped it)."""
            act_order = story.acts[story.scenes[scene_id].act].order
            return (act_order > order) - (act_order < order)
    else:
        if target == begin:
            return None

        def where(scene_id: str) -> int:
            return 0 if scene_id == target else -1

    defaults = {v.id: v.default for v in story.variables.values()}
    defaults["perspective"] = perspective
    for attempt in range(ATTEMPTS):
        rng = random.Random(f"catch-up/{seed}/{attempt}")
        state = State(begin, dict(defaults), seed=seed)
        enter(story.scenes[begin], state)
        taken: list[tuple[str, str]] = []
        for _ in range(LONGEST):
            scene = story.scenes[state.scene]
            if scene.ending:
                break
            views = [v for v in open_choices(scene, state) if v.enabled and v.choice is not None]
            if not views:
                break
            view = rng.choice(views)
            assert view.choice is not None
            taken.append((scene.title, view.text))
            target_id = take(view.choice, state, story.variables)
            place = where(target_id)
            if place == 0:
                return CatchUp(target_id, state, tuple(taken))
            if place > 0:
                break  # past the part (a walk-out at the Magadan order leads to the epilogue): try again
            enter(story.scenes[target_id], state)
    return None
