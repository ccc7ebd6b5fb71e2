"""Builds a `Story` from gathered entries: the frame, scenes and reference readers joined."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from . import expressions as ex
from .fields import Fields
from .frame_reader import FrameReader
from .model import Story, Variable
from .problems import Pos
from .reading import Entry
from .reference_reader import ReferenceReader
from .scene_reader import SceneReader

R = TypeVar("R")


def _consume(build: Callable[[Entry], R], entry: Entry) -> R:
    """Build a record and let go of its YAML data, so that a large story's data and its model
    never live side by side in full (a 10,000-scene story's data is about 80 MB)."""
    record = build(entry)
    entry.data = None
    return record


STORY_KEYS = ("title", "start", "acts", "places", "perspectives", "endings", "prompts", "variables")


class Builder(FrameReader, SceneReader, ReferenceReader):
    """Builds model records from gathered entries, checking every reference."""

    def build(self, root: Path, fingerprint: str) -> Story | None:
        meta = self.g.story
        if meta is None:
            if self.g.files and not self.problems.errors:
                self.problems.error(Pos(self.g.files[0]), "missing-key", "no file has a 'story' section", "add story.yaml with `story:` (see docs/WRITING.md)")
            return None
        f = Fields(meta, "the story", self.problems, ("title", "start", "acts", "places"), STORY_KEYS[4:])
        self.acts = self.build_acts(meta)
        self.places = self.build_places(meta)
        self.variables = self.build_variables(meta)
        self.endings = self.build_endings(meta)
        self.perspectives = self.build_perspectives(meta)
        if self.perspectives:
            values = ("", *self.perspectives)
            self.variables.setdefault("perspective", Variable("perspective", "str", "", values=values, label="Perspective"))
        self.prompts = self.build_prompts(meta)
        self.scope = ex.Scope({v.id: v.type for v in self.variables.values()}, self.scene_ids, self.note_ids)
        start = f.text("start")
        if start and start not in self.scene_ids:
            self.unknown(f.pos("start"), "scene", start, self.scene_ids)
        sources = {e.id: _consume(self.build_source, e) for e in self.g.sections["sources"].values()}
        self.source_ids = sources
        story = Story(
            title=f.text("title"),
            start=start,
            scenes={e.id: _consume(self.build_scene, e) for e in self.scene_ids.values()},
            variables=self.variables,
            acts=self.acts,
            places=self.places,
            perspectives=self.perspectives,
            endings=self.endings,
            prompts=self.prompts,
            notes={e.id: _consume(self.build_note, e) for e in self.note_ids.values()},
            sources=sources,
            terms={e.id: _consume(self.build_term, e) for e in self.g.sections["terms"].values()},
            people={e.id: _consume(self.build_person, e) for e in self.g.sections["people"].values()},
            events={e.id: _consume(self.build_event, e) for e in self.g.sections["events"].values()},
            fingerprint=fingerprint[:16],
            root=str(root),
            files=tuple(self.g.files),
        )
        self.check_references(story)
        return story
