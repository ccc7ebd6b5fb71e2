"""Data read from YAML, with positions: mappings and lists that remember where each value was.

Kept apart from the YAML reader itself so that code which only handles this data (the story
readers, a cached story) never has to import the YAML library.
"""

from __future__ import annotations

from array import array
from functools import partial
from typing import Any

from game.model import Pos

MAX_FILE_BYTES = 32 * 1024 * 1024


# Copied for each new mapping or list: quicker than array("q"), which parses its arguments.
_NO_POSITIONS = array("q")


# Pos((file, line, column)) made by tuple.__new__ itself: a named tuple's own constructor is a
# Python function, and a load unpacks thousands of positions (every entry, choice and id).
make_pos = partial(tuple.__new__, Pos)


def _unpack(name: str, packed: int) -> Pos:
    return make_pos((name, packed >> 20, packed & 0xFFFFF))


class _PosView:
    """Read-only `key -> Pos` (or `index -> Pos`) over packed positions.

    A map keeps its positions in one array, two per key in insertion order (where the key is,
    where its value is): two dicts of int objects per mapping once took half the memory of a
    large load."""

    __slots__ = ("_name", "_keys", "_packed", "_offset")

    def __init__(self, name: str, keys: Any, packed: Any, offset: int):
        self._name = name
        self._keys = keys  # the mapping (its keys in order), or None for a list's items
        self._packed = packed
        self._offset = offset  # 0: where keys are; 1: where values are

    def _index(self, key: Any) -> int:
        if self._keys is None:
            return int(key)
        place: int = self._keys.index_of(key)
        return 2 * place + self._offset

    def __getitem__(self, key: Any) -> Pos:
        return _unpack(self._name, self._packed[self._index(key)])

    def get(self, key: Any, default: Pos) -> Pos:
        return self[key] if key in self else default

    def __contains__(self, key: Any) -> bool:
        if self._keys is None:
            return isinstance(key, int) and -len(self._packed) <= key < len(self._packed)
        return key in self._keys

    def __iter__(self) -> Any:
        if self._keys is None:
            return (_unpack(self._name, p) for p in self._packed)
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys) if self._keys is not None else len(self._packed)


class YMap(dict):  # type: ignore[type-arg]
    """A mapping read from YAML: `pos` is where it starts, `key_pos[k]` where key k is,
    `value_pos[k]` where its value is."""

    __slots__ = ("name", "start", "at", "_order")

    def __init__(self, name: str = "", start: int = 0):
        # (dict.__init__ is not called: with no arguments it does nothing. The YAML reader makes
        # one of these per mapping of every file.)
        self.name = name
        self.start = start
        self.at = _NO_POSITIONS.__copy__()  # per key, in order: where the key is, where its value is (packed)
        self._order: dict[Any, int] | None = None  # key -> its place, built for large maps only

    def index_of(self, key: Any) -> int:
        """The place of `key` in the mapping (KeyError if absent)."""
        if len(self) <= 16:  # most mappings: a scan is quicker than an index
            for i, k in enumerate(self):
                if k == key:
                    return i
            raise KeyError(key)
        if self._order is None or len(self._order) != len(self):
            self._order = {k: i for i, k in enumerate(self)}
        return self._order[key]

    def items_with_pos(self) -> Any:
        """(key, value, where the key is) for every key, in order."""
        name, at = self.name, self.at
        return ((k, v, _unpack(name, at[2 * i])) for i, (k, v) in enumerate(self.items()))

    def put(self, key: Any, value: Any, key_at: int, value_at: int) -> None:
        """Add a key with its value and their positions (the YAML reader builds maps with this)."""
        self[key] = value
        self.at.append(key_at)
        self.at.append(value_at)

    @property
    def pos(self) -> Pos:
        return _unpack(self.name, self.start)

    @property
    def key_pos(self) -> _PosView:
        return _PosView(self.name, self, self.at, 0)

    @property
    def value_pos(self) -> _PosView:
        return _PosView(self.name, self, self.at, 1)


class YList(list):  # type: ignore[type-arg]
    """A sequence read from YAML: `pos` is where it starts, `item_pos[i]` where item i is."""

    __slots__ = ("name", "start", "items_at")

    def __init__(self, name: str = "", start: int = 0):
        self.name = name
        self.start = start
        self.items_at = _NO_POSITIONS.__copy__()

    @property
    def pos(self) -> Pos:
        return _unpack(self.name, self.start)

    @property
    def item_pos(self) -> _PosView:
        return _PosView(self.name, None, self.items_at, 0)


def empty_map(pos: Pos) -> YMap:
    """A YMap with nothing in it, standing at `pos` (for a value that was not a mapping)."""
    return YMap(pos.file, (pos.line << 20) | pos.column)
