"""The one mutable thing in a run: where the player is and what they have done."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from typing import Any


def once_mark(scene_id: str, index: int) -> str:
    """How `State.taken` remembers a once-only choice taken: "scene#index"."""
    return f"{scene_id}#{index}"


def new_seed() -> int:
    """A seed for a new run: from the system's randomness, 0 to 2**32 - 1 (a record shows it)."""
    return int.from_bytes(os.urandom(4), "big")


def draw(seed: int, step: int, site: str, sides: int) -> int:
    """The number a roll(sides) at `site` gives when its scene is entered at `step` of the run
    with `seed`: a whole number from 1 to `sides` (1 for fewer sides). The same arguments give
    the same number on every machine and in every Python (a string seeds `random` by its
    SHA-512, not by `hash()`), so a run, its replay and `kengir verify` all agree."""
    if sides <= 1:
        return 1
    return random.Random(f"{seed}/{step}/{site}").randint(1, sides)


@dataclass
class State:
    """Variables, visit counts, notes unlocked, once-only choices taken and the rolls of the
    scene in play, at one moment.

    `step` counts scenes entered; with `seed` it fixes what each roll gives, so that the same
    seed and choices always give the same run, and undo or replay gives the same rolls.
    """

    scene: str
    vars: dict[str, Any]
    visits: dict[str, int] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    taken: set[str] = field(default_factory=set)  # "scene#index" of once-only choices taken
    seed: int = 0
    step: int = 0
    rolls: dict[str, int] = field(default_factory=dict)  # site -> number, for the scene in play

    def copy(self) -> State:
        return State(
            self.scene, dict(self.vars), dict(self.visits), set(self.seen), set(self.taken), self.seed, self.step, dict(self.rolls)
        )

    def to_dict(self) -> dict[str, Any]:
        data = {
            "scene": self.scene,
            "vars": dict(self.vars),
            "visits": dict(self.visits),
            "seen": sorted(self.seen),
            "taken": sorted(self.taken),
            "step": self.step,
        }
        if self.rolls:
            data["rolls"] = dict(self.rolls)
        return data
