"""What the story readers share: the gathered entries, and helpers that report problems.

The loader reads a story in three parts, one module each: the frame (frame_reader), the
scenes (scene_reader) and the reference material (reference_reader). Each is a mixin over
`ReaderBase`, and `loader._Builder` joins them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import expressions as ex
from .fields import check_id, describe
from .problems import Pos, Problems, did_you_mean
from .ydata import YMap

SECTIONS = ("story", "scenes", "notes", "sources", "terms", "people", "events", "variables", "prompts", "places")
# Parts of the story frame that may also stand as sections of their own, so that a folder of
# scenes (one perspective, say) can bring its own variables, prompts and places.
FRAME_SECTIONS = ("variables", "prompts", "places")


# Where a writer defines each kind of thing, for a reference to one that no name resembles.
_DEFINED_IN = {
    "scene": "add it with `kengir new scene ID`, or under `scenes:`", "note": "define it under `notes:`",
    "source": "define it under `sources:`", "term": "define it under `terms:`", "person": "define it under `people:`",
    "act": "define it under `story: acts:`", "place": "define it under `story: places:`",
    "ending": "define it under `story: endings:`", "prompt": "define it under `story: prompts:`",
    "perspective": "define it under `story: perspectives:`",
}


def where_defined(kind: str) -> str:
    return _DEFINED_IN.get(kind, "")


@dataclass
class Entry:
    """One id'd entry of a section, before it is built."""

    id: str
    data: Any
    pos: Pos


@dataclass
class Gathered:
    sections: dict[str, dict[str, Entry]] = field(default_factory=lambda: {s: {} for s in SECTIONS if s != "story"})
    story: YMap | None = None
    story_at: Pos | None = None  # where its `story:` key is
    files: list[str] = field(default_factory=list)


class ReaderBase:
    """State and helpers shared by the readers of the frame, the scenes and the references."""

    def __init__(self, gathered: Gathered, problems: Problems):
        self.g = gathered
        self.problems = problems
        self.scene_ids = gathered.sections["scenes"]
        self.note_ids = gathered.sections["notes"]
        self.pending: list[tuple[str, str, Pos]] = []  # (section, id, where): references checked once all is built
        self._expressions: dict[tuple[str, str | None], ex.Expr] = {}

    # Set by the frame reader before scenes are read.
    acts: dict[str, Any]
    places: dict[str, str]
    variables: dict[str, Any]
    endings: dict[str, Any]
    perspectives: dict[str, Any]
    prompts: dict[str, Any]
    scope: ex.Scope

    def unknown(self, pos: Pos, kind: str, value: str, known: Any) -> None:
        self.problems.error(pos, f"unknown-{kind}", f"'{value}' is not a known {kind}", did_you_mean(value, known) or where_defined(kind))

    def entries(self, meta: YMap, key: str) -> list[tuple[str, Any, Pos]]:
        """The id'd entries of a mapping inside the story section, and of a section of that name."""
        value = meta.get(key)
        out = []
        if value is not None and not isinstance(value, YMap):
            self.problems.error(meta.value_pos[key], "wrong-type", f"'{key}' must be a mapping of ids, found {describe(value)}")
        elif value is not None:
            for entry_id, entry, pos in value.items_with_pos():
                if check_id(entry_id, pos, self.problems, key.rstrip("s")):
                    out.append((entry_id, entry, pos))
        if key in FRAME_SECTIONS:
            first = {entry_id: pos for entry_id, _, pos in out}
            for e in self.g.sections[key].values():
                if e.id in first:
                    self.problems.error(e.pos, "duplicate-id", f"'{e.id}' is defined twice in {key}", f"the first is at {first[e.id]}")
                else:
                    out.append((e.id, e.data, e.pos))
        return out

    def mapping(self, value: Any, pos: Pos, what: str) -> YMap | None:
        if isinstance(value, YMap):
            return value
        self.problems.error(pos, "wrong-type", f"{what} must be a mapping of keys, found {describe(value)}")
        return None
