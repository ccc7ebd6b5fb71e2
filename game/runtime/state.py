"""The one mutable thing in a run: where the player is and what they have done."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any


def once_mark(scene_id: str, index: int) -> str:
    """How `State.taken` remembers a once-only choice taken: "scene#index"."""
    return f"{scene_id}#{index}"


@dataclass
class State:
    """Variables, visit counts, notes unlocked and once-only choices taken, at one moment.

    `step` counts scenes entered; with `seed` it fixes what `roll(n)` gives, so that the
    same seed and choices always give the same run, and undo or replay gives the same rolls.
    """

    scene: str
    vars: dict[str, Any]
    visits: dict[str, int] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    taken: set[str] = field(default_factory=set)  # "scene#index" of once-only choices taken
    seed: int = 0
    step: int = 0
    _draws: int = 0

    def roll(self, sides: int) -> int:
        """A whole number from 1 to `sides`, fixed by the seed, the step and the draw."""
        if sides < 1:
            return 1
        self._draws += 1
        return random.Random(self.seed * 1_000_003 + self.step * 7_919 + self._draws).randint(1, sides)

    def copy(self) -> State:
        return State(self.scene, dict(self.vars), dict(self.visits), set(self.seen), set(self.taken), self.seed, self.step)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scene": self.scene,
            "vars": dict(self.vars),
            "visits": dict(self.visits),
            "seen": sorted(self.seen),
            "taken": sorted(self.taken),
            "step": self.step,
        }
