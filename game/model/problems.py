"""Problems found in a story, each at file:line:col, and the error that carries them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

ERROR = "error"
WARNING = "warning"


class Pos(NamedTuple):
    """A place in a story file; line and column count from 1. (A named tuple: cheap to make,
    and sorting problems by position is sorting tuples.)"""

    file: str = ""
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"

    def shifted(self, offset: int) -> Pos:
        """The position `offset` characters further along the same line."""
        return Pos(self.file, self.line, self.column + offset)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in a story, as a writer should read it."""

    pos: Pos
    code: str
    message: str
    hint: str = ""
    severity: str = ERROR
    # What the problem is about, when a later check must know (a variable whose `set` failed
    # is still set, for "never set"); not shown.
    subject: str = ""

    def __str__(self) -> str:
        text = f"{self.pos}: {self.severity}[{self.code}] {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.pos.file,
            "line": self.pos.line,
            "column": self.pos.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class Problems:
    """Collects problems so that a writer sees all of them at once, not the first only."""

    items: list[Problem] = field(default_factory=list)

    def error(self, pos: Pos, code: str, message: str, hint: str = "", subject: str = "") -> None:
        self.items.append(Problem(pos, code, message, hint, ERROR, subject))

    def warning(self, pos: Pos, code: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(pos, code, message, hint, WARNING))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (p.pos, p.code))


class StoryError(Exception):
    """Raised when a story cannot be loaded; carries every error found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0] if problems else None
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}" if first else "the story could not be loaded")


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or an empty string."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""
