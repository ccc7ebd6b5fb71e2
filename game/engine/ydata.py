"""Data read from YAML, with positions: mappings and lists that remember where each value was.

Kept apart from the YAML reader itself so that code which only handles this data (the story
readers, a cached story) never has to import the YAML library.
"""

from __future__ import annotations

from typing import Any

from .problems import Pos

MAX_FILE_BYTES = 32 * 1024 * 1024


def _unpack(name: str, packed: int) -> Pos:
    return Pos(name, packed >> 20, packed & 0xFFFFF)


class _PosView:
    """Read-only `key -> Pos` (or `index -> Pos`) over packed positions."""

    __slots__ = ("_name", "_packed")

    def __init__(self, name: str, packed: Any):
        self._name = name
        self._packed = packed

    def __getitem__(self, key: Any) -> Pos:
        return _unpack(self._name, self._packed[key])

    def get(self, key: Any, default: Pos) -> Pos:
        packed = self._packed.get(key)
        return default if packed is None else _unpack(self._name, packed)

    def __contains__(self, key: Any) -> bool:
        return key in self._packed

    def __iter__(self) -> Any:
        if isinstance(self._packed, list):
            return (_unpack(self._name, p) for p in self._packed)
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


class YMap(dict):  # type: ignore[type-arg]
    """A mapping read from YAML: `pos` is where it starts, `key_pos[k]` where key k is,
    `value_pos[k]` where its value is."""

    __slots__ = ("name", "start", "keys_at", "values_at")

    def __init__(self, name: str = "", start: int = 0):
        super().__init__()
        self.name = name
        self.start = start
        self.keys_at: dict[Any, int] = {}
        self.values_at: dict[Any, int] = {}

    @property
    def pos(self) -> Pos:
        return _unpack(self.name, self.start)

    @property
    def key_pos(self) -> _PosView:
        return _PosView(self.name, self.keys_at)

    @property
    def value_pos(self) -> _PosView:
        return _PosView(self.name, self.values_at)


class YList(list):  # type: ignore[type-arg]
    """A sequence read from YAML: `pos` is where it starts, `item_pos[i]` where item i is."""

    __slots__ = ("name", "start", "items_at")

    def __init__(self, name: str = "", start: int = 0):
        super().__init__()
        self.name = name
        self.start = start
        self.items_at: list[int] = []

    @property
    def pos(self) -> Pos:
        return _unpack(self.name, self.start)

    @property
    def item_pos(self) -> _PosView:
        return _PosView(self.name, self.items_at)


def empty_map(pos: Pos) -> YMap:
    """A YMap with nothing in it, standing at `pos` (for a value that was not a mapping)."""
    return YMap(pos.file, (pos.line << 20) | pos.column)
