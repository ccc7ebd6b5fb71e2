"""The story as data: frozen records built once by the loader and trusted afterwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, NamedTuple

from game.model.expressions import Expr
from game.model.problems import Pos

INT_LIMIT = 1_000_000_000
NOTE_KINDS = ("fact", "contested", "composite", "invented")
PERSON_KINDS = ("historical", "composite")
RELIABILITY = ("scholarly", "archival", "memoir", "researcher", "solzhenitsyn", "popular", "hostile")


def _reduce_by_fields(cls: Any) -> Callable[[Any], tuple[Any, ...]]:
    """How to pickle a frozen slotted record: as a call of its constructor with every field.

    The default for such dataclasses calls dataclasses.fields() for each object: 0.65 s of a
    0.9 s cached load of a 10,000-scene story went there. The fields are read by one
    attrgetter (in C): a loop over them was half the time of pickling a large story."""
    fields = attrgetter(*cls.__slots__)  # every record has two fields or more: a tuple

    def reduce(self: Any) -> tuple[Any, ...]:
        return (cls, fields(self))

    return reduce


@dataclass(frozen=True, slots=True)
class Template:
    """A piece of text with `{expression}` holes: literal parts and expressions, alternating."""

    parts: tuple[str | Expr, ...]
    # The text itself when there is nothing to fill in (most choices and paragraphs).
    fixed: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # Given when unpickled (see _reduce_by_fields): not worked out again on a cached load.
        if self.fixed is None and all(isinstance(p, str) for p in self.parts):
            object.__setattr__(self, "fixed", "".join(p for p in self.parts if isinstance(p, str)))

    def render(self, state: Any) -> str:
        if self.fixed is not None:
            return self.fixed
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            else:
                value = part.evaluate(state)
                out.append(("true" if value else "false") if isinstance(value, bool) else str(value))
        return "".join(out)


class TextBlock(NamedTuple):
    """A paragraph group of a scene: always shown, or shown under a condition (with an else).
    `notes` are found when the block is shown (its condition holds as the scene is entered).

    A block that depicts violence (`violence`) has a `summary`, shown in place of its text
    under the summary intensity; the other blocks of its scene are shown in full."""

    text: Template
    condition: Expr | None = None
    otherwise: Template | None = None
    notes: tuple[str, ...] = ()
    violence: bool = False
    summary: Template | None = None


class Route(NamedTuple):
    """A conditional destination of a choice: taken when `condition` holds (see Choice.routes)."""

    condition: Expr
    target: str
    pos: Pos = Pos()


class RollSite(NamedTuple):
    """One place in a scene where roll(n) is written: drawn once as the scene is entered, with
    `sides` read then, and kept in the state until the scene is left. `site` is "scene#n"."""

    site: str
    sides: Expr


class Effect(NamedTuple):
    variable: str
    value: Expr


@dataclass(frozen=True, eq=False, slots=True)
class Choice:
    """One way out of a scene. `index` is its place in the scene's list, stable across saves."""

    index: int
    text: Template
    goto: str  # where it leads; with routes, where it leads when none of them holds
    condition: Expr | None = None
    reason: str = ""  # shown with a disabled choice; empty means "hide it"
    effects: tuple[Effect, ...] = ()
    once: bool = False
    fallback: bool = False
    pos: Pos = Pos()
    # Destinations decided by the state once the effects are applied: the first that holds.
    routes: tuple[Route, ...] = ()

    @property
    def targets(self) -> tuple[str, ...]:
        """Every scene the choice may lead to, in the order they are tried."""
        return (*(route.target for route in self.routes), self.goto) if self.routes else (self.goto,)


@dataclass(frozen=True, eq=False, slots=True)
class Scene:
    id: str
    act: str
    date: str
    place: str
    title: str
    text: tuple[TextBlock, ...]
    choices: tuple[Choice, ...] = ()
    summary: str = ""
    violence: bool = False
    notes: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    prompts: tuple[str, ...] = ()
    perspectives: tuple[str, ...] = ()
    ending: str = ""
    debrief: str = ""
    rolls: tuple[RollSite, ...] = ()
    pos: Pos = Pos()
    # The text when no block has a condition or an expression: computed once, shown many times.
    fixed_text: str | None = field(default=None, compare=False)

    @property
    def block_notes(self) -> bool:
        """Whether any text block has notes of its own (found when it is shown)."""
        return any(block.notes for block in self.text)

    def __post_init__(self) -> None:
        if self.fixed_text is None and all(b.condition is None and all(isinstance(p, str) for p in b.text.parts) for b in self.text):
            text = "\n\n".join(p for p in (str(b.text.parts[0]).strip() for b in self.text) if p)
            object.__setattr__(self, "fixed_text", text)

    @property
    def violent(self) -> bool:
        """Whether the scene depicts violence: as a whole (`violence`) or in any of its blocks."""
        return self.violence or any(block.violence for block in self.text)

    @property
    def summarised(self) -> bool:
        """Whether the summary intensity changes what the scene shows."""
        return bool(self.summary) or any(block.summary is not None for block in self.text)

    @property
    def all_notes(self) -> tuple[str, ...]:
        """The notes the scene can unlock: its own (on entry) and its blocks' (when shown)."""
        if not any(block.notes for block in self.text):
            return self.notes
        return (*self.notes, *(n for block in self.text for n in block.notes))

    @property
    def is_ending(self) -> bool:
        return bool(self.ending)


class Variable(NamedTuple):
    id: str
    type: str
    default: Any
    minimum: int | None = None
    maximum: int | None = None
    values: tuple[str, ...] = ()
    label: str = ""
    shown: bool = False
    description: str = ""
    pos: Pos = Pos()

    def clamp(self, value: Any) -> Any:
        """Keep an int inside its declared range (or, undeclared, inside +-10^9, so that a
        story that multiplies in a loop cannot grow numbers too large to save); other types pass."""
        if self.type == "int":
            low = self.minimum if self.minimum is not None else -INT_LIMIT
            high = self.maximum if self.maximum is not None else INT_LIMIT
            return low if value < low else high if value > high else value
        return value


class Act(NamedTuple):
    id: str
    title: str
    order: int
    pos: Pos = Pos()


class Perspective(NamedTuple):
    id: str
    title: str
    start: str
    blurb: str = ""
    pos: Pos = Pos()


class EndingKind(NamedTuple):
    id: str
    title: str
    debrief: str
    pos: Pos = Pos()


class Prompt(NamedTuple):
    """A reflection question: asked at a scene that lists it, or when its act ends."""

    id: str
    text: str
    act: str = ""
    perspectives: tuple[str, ...] = ()  # asked only of these perspectives (default: all)
    pos: Pos = Pos()


class Note(NamedTuple):
    id: str
    title: str
    kind: str
    body: str
    sources: tuple[str, ...]
    topic: str = ""
    pos: Pos = Pos()


class Source(NamedTuple):
    id: str
    title: str
    author: str = ""
    year: str = ""
    published: str = ""
    reliability: str = ""
    url: str = ""
    pos: Pos = Pos()

    def citation(self) -> str:
        """A short reference: author, title, year."""
        parts = [p for p in (self.author, f"*{self.title}*", self.published, self.year) if p]
        return ", ".join(parts)


class Term(NamedTuple):
    id: str
    term: str
    definition: str
    sources: tuple[str, ...] = ()
    pos: Pos = Pos()


class Person(NamedTuple):
    id: str
    name: str
    kind: str
    role: str = ""
    bio: str = ""
    sources: tuple[str, ...] = ()
    pos: Pos = Pos()


class Event(NamedTuple):
    id: str
    date: str
    title: str
    text: str = ""
    sources: tuple[str, ...] = ()
    pos: Pos = Pos()


@dataclass(frozen=True, slots=True)
class Story:
    """Everything a run needs, keyed by id. `fingerprint` identifies the exact files loaded."""

    title: str
    start: str
    scenes: dict[str, Scene]
    variables: dict[str, Variable]
    acts: dict[str, Act]
    places: dict[str, str]
    perspectives: dict[str, Perspective]
    endings: dict[str, EndingKind]
    prompts: dict[str, Prompt]
    notes: dict[str, Note]
    sources: dict[str, Source]
    terms: dict[str, Term]
    people: dict[str, Person]
    events: dict[str, Event]
    fingerprint: str = ""
    root: str = ""
    files: tuple[str, ...] = field(default=())

    def act_of(self, scene_id: str) -> Act:
        return self.acts[self.scenes[scene_id].act]


# After the classes: their __slots__ list every field in order.
for _record in (Template, Choice, Scene, Story):
    _record.__reduce__ = _reduce_by_fields(_record)  # type: ignore[method-assign, assignment]
