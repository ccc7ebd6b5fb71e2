"""Builds a `Story` from gathered entries: the frame, scenes and reference readers joined."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import NamedTuple, TypeVar

from game.format.fields import Fields
from game.format.gather import Entry
from game.format.readers.frame_reader import FrameReader
from game.format.readers.reference_reader import ReferenceReader
from game.format.readers.scene_reader import SceneReader
from game.format.vocabulary import STORY_KEYS
from game.model import Act, EndingKind, Perspective, Pos, Prompt, Scene, Source, Story, Variable
from game.model import expressions as ex

R = TypeVar("R")


def consume(build: Callable[[Entry], R], entry: Entry) -> R:
    """Build a record and let go of its YAML data, so that a large story's data and its model
    never live side by side in full (a 10,000-scene story's data is about 80 MB)."""
    record = build(entry)
    entry.data = None
    return record


class Builder(FrameReader, SceneReader, ReferenceReader):
    """Builds model records from gathered entries, checking every reference."""

    def build(self, root: Path, fingerprint: str) -> Story | None:
        if not self.build_frame():
            return None
        sources = self.build_sources()
        scenes = self.build_scenes(self.scene_ids.values())
        return self.finish(root, fingerprint, sources, scenes)

    def build_frame(self) -> bool:
        """Read the story section: acts, places, variables, endings, perspectives, prompts.
        False when there is no story section at all."""
        meta = self.g.story
        if meta is None:
            if self.g.files and not self.problems.errors:
                self.problems.error(
                    Pos(self.g.files[0]),
                    "missing-key",
                    "no file has a 'story' section",
                    "add story.yaml with `story:` (see docs/WRITING.md)",
                )
            return False
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
        self.scope = self.make_scope()
        self.title, self.start = f.text("title"), f.text("start")
        if self.start and self.start not in self.scene_ids:
            self.unknown(f.pos("start"), "scene", self.start, self.scene_ids)
        return True

    def frame(self) -> Frame:
        """What reading a scene needs of the frame (for a helper process building scenes)."""
        return Frame(self.acts, self.places, self.variables, self.endings, self.perspectives, self.prompts)

    def adopt_frame(self, frame: Frame, scene_ids: Mapping[str, object], note_ids: Mapping[str, object]) -> None:
        """Take the frame another process read, and the ids of the whole story, to build scenes."""
        self.acts, self.places, self.variables = frame.acts, frame.places, frame.variables
        self.endings, self.perspectives, self.prompts = frame.endings, frame.perspectives, frame.prompts
        self.scene_ids, self.note_ids = scene_ids, note_ids  # type: ignore[assignment]
        self.scope = self.make_scope()

    def make_scope(self) -> ex.Scope:
        """What an expression may name: the variables' types, and the scene and note ids."""
        return ex.Scope({v.id: v.type for v in self.variables.values()}, self.scene_ids, self.note_ids)

    def build_sources(self) -> dict[str, Source]:
        sources = {e.id: consume(self.build_source, e) for e in self.g.sections["sources"].values()}
        self.source_ids = sources
        return sources

    def build_scenes(self, entries: Iterable[Entry]) -> dict[str, Scene]:
        return {e.id: consume(self.build_scene, e) for e in entries}

    def finish(self, root: Path, fingerprint: str, sources: dict[str, Source], scenes: dict[str, Scene]) -> Story:
        """The story of the frame, `scenes`, and the reference material; references checked."""
        story = Story(
            title=self.title,
            start=self.start,
            scenes=scenes,
            variables=self.variables,
            acts=self.acts,
            places=self.places,
            perspectives=self.perspectives,
            endings=self.endings,
            prompts=self.prompts,
            notes={e.id: consume(self.build_note, e) for e in self.note_ids.values()},
            sources=sources,
            terms={e.id: consume(self.build_term, e) for e in self.g.sections["terms"].values()},
            people={e.id: consume(self.build_person, e) for e in self.g.sections["people"].values()},
            events={e.id: consume(self.build_event, e) for e in self.g.sections["events"].values()},
            fingerprint=fingerprint[:16],
            root=str(root),
            files=tuple(self.g.files),
        )
        self.check_references(story)
        return story


class Frame(NamedTuple):  # (not a dataclass: defining one costs half a millisecond of every cold load)
    acts: dict[str, Act]
    places: dict[str, str]
    variables: dict[str, Variable]
    endings: dict[str, EndingKind]
    perspectives: dict[str, Perspective]
    prompts: dict[str, Prompt]
