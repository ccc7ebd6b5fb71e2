"""Typed reads from YAML mappings, each mistake reported where it is with what was expected."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from game.format.yaml_data import YList, YMap, make_pos
from game.model import Pos, Problems, did_you_mean

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$")
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

# A position, or a way to find it when it is needed: building one for every value of a large
# story costs more than the rest of reading it, and it is only needed for a problem.
Where = Pos | Callable[[], Pos]


def at(where: Where) -> Pos:
    return where if isinstance(where, Pos) else where()


def text_position(base: Pos, text: str, offset: int) -> Pos:
    """Where character `offset` of a text value is: exact on its first line, by line after."""
    newlines = text.count("\n", 0, offset)
    if not newlines:
        return base.shifted(offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return Pos(base.file, base.line + newlines, base.column + offset - line_start)


_TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false", YMap: "a mapping", YList: "a list"}


def describe(value: Any) -> str:
    """How a writer would name the kind of value found."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, str):
        short = value if len(value) <= 30 else value[:27] + "..."
        return f"the text '{short}'"
    if isinstance(value, YMap):
        return "a mapping"
    if isinstance(value, YList):
        return "a list"
    return type(value).__name__


# The keys of each kind of mapping, as sets: (required, optional) -> (every key allowed, the keys required).
_KEY_SETS: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[frozenset[str], frozenset[str]]] = {}


class Fields:
    """Reads the keys of one YAML mapping, checking names, presence and types."""

    def __init__(self, m: YMap, what: str, problems: Problems, required: tuple[str, ...], optional: tuple[str, ...]):
        self.m = m
        self.what = what
        self.problems = problems
        sets = _KEY_SETS.get((required, optional))
        if sets is None:
            sets = _KEY_SETS[(required, optional)] = (frozenset(required + optional), frozenset(required))
        allowed, needed = sets
        # Set comparisons first (in C): a mapping as it should be, the usual case, is never looped over.
        if not m.keys() <= allowed:
            for key in m:
                if key not in allowed:
                    self.problems.error(
                        m.key_pos[key],
                        "unknown-key",
                        f"{what} has no key '{key}'",
                        did_you_mean(str(key), [*required, *optional]) or f"allowed keys: {', '.join(required + optional)}",
                    )
        if not m.keys() >= needed:
            for key in required:
                if key not in m:
                    self.problems.error(m.pos, "missing-key", f"{what} needs a '{key}'")

    def pos(self, key: str) -> Pos:
        return self.m.value_pos.get(key, self.m.pos)

    def where(self, key: str) -> Callable[[], Pos]:
        return lambda: self.pos(key)

    def _typed(self, key: str, kinds: tuple[type, ...], default: Any) -> Any:
        value = self.m.get(key, _MISSING)
        if value is _MISSING or value is None and default is not None:
            return default
        if isinstance(value, bool) and bool not in kinds:
            ok = False
        else:
            ok = isinstance(value, kinds)
        if not ok:
            wanted = " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)
            hint = "put the text in quotes" if str in kinds else ""
            self.problems.error(self.pos(key), "wrong-type", f"'{key}' of {self.what} must be {wanted}, found {describe(value)}", hint)
            return default
        return value

    def text(self, key: str, default: str = "") -> str:
        value = self.m.get(key)
        if value.__class__ is str:  # the usual case, at once (a story's scenes read thousands)
            return value
        value = self._typed(key, (str, int), default)
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    def integer(self, key: str, default: int | None = None) -> int | None:
        return self._typed(key, (int,), default)  # type: ignore[no-any-return]

    def flag(self, key: str, default: bool = False) -> bool:
        if key not in self.m:  # the usual case: a flag left out
            return default
        return self._typed(key, (bool,), default)  # type: ignore[no-any-return]

    def mapping(self, key: str) -> YMap | None:
        return self._typed(key, (YMap,), None)  # type: ignore[no-any-return]

    def ids(self, key: str) -> list[tuple[str, Pos]]:
        """A list of ids (a single id is accepted too), each with its position."""
        value = self.m.get(key, _MISSING)
        if value is _MISSING:
            return []
        if isinstance(value, str):
            items: Iterable[tuple[Any, Pos]] = [(value, self.pos(key))]
        elif isinstance(value, YList):
            name = value.name  # positions unpacked here, without a view per list (a scene has five such lists)
            items = [(item, make_pos((name, packed >> 20, packed & 0xFFFFF))) for item, packed in zip(value, value.items_at)]
        else:
            self.problems.error(self.pos(key), "wrong-type", f"'{key}' of {self.what} must be a list of ids, found {describe(value)}")
            return []
        out = []
        match = ID_PATTERN.match
        for item, pos in items:
            if not isinstance(item, str) or not match(item):
                self.problems.error(pos, "bad-id", f"'{item}' is not an id", "ids are lower_case words joined by dots")
                continue
            out.append((item, pos))
        return out


_MISSING = object()


def check_id(value: Any, pos: Pos, problems: Problems, what: str) -> bool:
    """Report (and return False) unless `value` is a well-formed id."""
    if isinstance(value, str) and ID_PATTERN.match(value):
        return True
    hint = "ids are lower case letters, digits and _, in parts joined by dots"
    if isinstance(value, str) and "-" in value:
        hint = f"use _ instead of -: '{value.replace('-', '_')}'"
    elif isinstance(value, str) and value.lower() != value:
        hint = f"ids are lower case: '{value.lower()}'"
    problems.error(pos, "bad-id", f"'{value}' is not a valid {what} id", hint)
    return False


def check_date(value: str, pos: Pos, problems: Problems) -> bool:
    """Report (and return False) unless `value` is YYYY, YYYY-MM or YYYY-MM-DD with real numbers."""
    m = DATE_PATTERN.match(value)
    if m and (not m.group(2) or 1 <= int(m.group(2)) <= 12) and (not m.group(3) or 1 <= int(m.group(3)) <= 31):
        return True
    problems.error(pos, "bad-date", f"'{value}' is not a date", "write YYYY-MM-DD, YYYY-MM or YYYY, e.g. 1954-05-17")
    return False
