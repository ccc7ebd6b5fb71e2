"""What the story readers share: the gathered entries, and helpers that report problems.

The builder reads a story in three parts, one module each: the frame (frame_reader), the
scenes (scene_reader) and the reference material (reference_reader). Each is a mixin over
`ReaderBase`, and `builder.Builder` joins them.
"""

from __future__ import annotations

from typing import Any

from game.format.fields import check_id, describe
from game.format.gather import FRAME_SECTIONS, Gathered
from game.format.yaml_data import YMap
from game.model import Pos, Problems, did_you_mean
from game.model import expressions as ex

# Where a writer defines each kind of thing, for a reference to one that no name resembles.
_DEFINED_IN = {
    "scene": "add it with `kengir new scene ID`, or under `scenes:`",
    "note": "define it under `notes:`",
    "source": "define it under `sources:`",
    "term": "define it under `terms:`",
    "person": "define it under `people:`",
    "act": "define it under `story: acts:`",
    "place": "define it under `story: places:`",
    "ending": "define it under `story: endings:`",
    "prompt": "define it under `story: prompts:`",
    "perspective": "define it under `story: perspectives:`",
}


def where_defined(kind: str) -> str:
    return _DEFINED_IN.get(kind, "")


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
