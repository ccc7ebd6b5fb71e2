"""Which values of one slot (a variable, a visit count, a roll) the rest of a story can tell apart.

A *partition* of a slot's values says which of them the control expressions still to come may
answer differently (liveness.py works it out, scene by scene):

    ALL              every value may matter (the slot is read in arithmetic, against a variable...)
    Cuts({2, 4})     an int read only against constants: values below 2, from 2 to 3, and from 4
                     on are alike (a cut at c separates the values below c from c and above)
    Marks({"tech"})  a text read only against constants: "tech", and every other value, alike

A slot no expression will read is not in the map at all (dead). A partition only ever gets finer
as more reads are found (`join`); one with more than MAX_CUTS cuts is taken as ALL, which keeps
the analysis finite where a loop would push cuts down a wide range one by one.

`representative(value)` is the one value the explorer keeps for the value's class: the lowest
of an int class (the smallest value of the slot's domain for the lowest class), a text itself
if it is marked, else one fixed text that no read names. Every value of a class gives the same
answers to every read to come, so the representative stands for them all.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from typing import Any, NamedTuple

from game.model import INT_LIMIT, Variable

MAX_CUTS = 48


class Cuts(NamedTuple):
    at: frozenset[int]


class Marks(NamedTuple):
    values: frozenset[str]


class _All:
    def __repr__(self) -> str:
        return "ALL"


ALL = _All()
Partition = Cuts | Marks | _All


class Domain(NamedTuple):
    """The values a slot can hold: ints from `low` to `high`, texts, or true/false."""

    kind: str  # "int", "str" or "bool"
    low: int = -INT_LIMIT
    high: int = INT_LIMIT
    values: tuple[str, ...] = ()  # a text's declared values (none: any text)
    default: Any = None

    @classmethod
    def of(cls, variable: Variable) -> Domain:
        if variable.type == "int":
            low = variable.minimum if variable.minimum is not None else -INT_LIMIT
            high = variable.maximum if variable.maximum is not None else INT_LIMIT
            return cls("int", low, high, default=variable.default)
        return cls(variable.type, values=variable.values, default=variable.default)


COUNT = Domain("int", 0, INT_LIMIT)  # a visit count: nought and up, never clamped
ROLL = Domain("int", 1, INT_LIMIT)  # a roll: 1 and up (to its sides, read as it is drawn)
FLAG = Domain("bool")  # a note found, a once-only choice taken


def cuts(domain: Domain, at: Iterable[int]) -> Partition | None:
    """The partition cutting `domain` at these points (those inside it); None if none is."""
    inside = frozenset(c for c in at if domain.low < c <= domain.high)
    if not inside:
        return None
    return ALL if len(inside) > MAX_CUTS else Cuts(inside)


def marks(domain: Domain, values: Iterable[str]) -> Partition | None:
    """The partition marking these texts (those the domain can hold); None if none is."""
    kept = frozenset(v for v in values if not domain.values or v in domain.values)
    if not kept:
        return None
    if domain.values and len(domain.values) - len(kept) <= 1:
        return ALL  # at most one value left unmarked: every value is its own class
    return Marks(kept)


def join(a: Partition | None, b: Partition | None) -> Partition | None:
    """The coarsest partition finer than both (None: a dead slot)."""
    if a is None or a is b:
        return b
    if b is None:
        return a
    if a is ALL or b is ALL:
        return ALL
    if isinstance(a, Cuts) and isinstance(b, Cuts):
        union = a.at | b.at
        return ALL if len(union) > MAX_CUTS else Cuts(union)
    if isinstance(a, Marks) and isinstance(b, Marks):
        return Marks(a.values | b.values)
    return ALL  # pragma: no cover - a slot holds one kind of value


def shifted(after: Partition | None, by: int, source: Domain, target: Domain) -> Partition | None:
    """The partition of `source` values v such that `clamp(v + by)` into `target` falls in the
    classes of `after` (an effect `y: x + by`, or a visit counted: `by` 1, no clamp needed)."""
    if after is None or after is ALL:
        return after
    assert isinstance(after, Cuts)
    # Above the target's lowest value, clamp(v + by) >= d exactly when v >= d - by.
    return cuts(source, (d - by for d in after.at if target.low < d <= target.high))


def copied(after: Partition | None, source: Domain) -> Partition | None:
    """The partition of `source` values copied unchanged into a slot partitioned by `after`."""
    if isinstance(after, Cuts):
        return shifted(after, 0, source, source)
    if isinstance(after, Marks):
        return marks(source, after.values)
    return after


class Classes:
    """A slot's values reduced to one per class, for keys; built once per slot and scene."""

    def __init__(self, partition: Partition, domain: Domain):
        self.partition = partition
        self.domain = domain
        self.points = sorted(partition.at) if isinstance(partition, Cuts) else []
        self.other: Any = None
        if isinstance(partition, Marks):
            # One text no read names (it stands for them all): the default, else a declared value.
            names = partition.values
            candidates = [domain.default, *domain.values, "", "…"]
            self.other = next(v for v in candidates if isinstance(v, str) and v not in names)

    def representative(self, value: Any) -> Any:
        if self.points:
            at = bisect_right(self.points, value)
            return self.points[at - 1] if at else self.domain.low
        if self.other is not None:
            return value if value in self.partition.values else self.other  # type: ignore[union-attr]
        return value

    def outcomes(self, sides: int) -> list[int]:
        """One number of each class a roll with `sides` sides can give (all of them for ALL)."""
        if self.partition is ALL:
            return list(range(1, sides + 1)) if sides > 1 else [1]
        return [1, *(c for c in self.points if c <= sides)]
