"""Gathering a story's files: each parsed, its sections' entries collected by id across files.

A duplicate id is refused here, with both places; the entries are built into the model later
(game/format/readers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from game.format.fields import check_id, describe
from game.format.files import StoryFile
from game.format.yaml_data import YMap
from game.model import Pos, Problems, did_you_mean

SECTIONS = ("story", "scenes", "notes", "sources", "terms", "people", "events", "variables", "prompts", "places")
# Parts of the story frame that may also stand as sections of their own, so that a folder of
# scenes (one perspective, say) can bring its own variables, prompts and places.
FRAME_SECTIONS = ("variables", "prompts", "places")


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


def gather(files: list[StoryFile], problems: Problems, gathered: Gathered | None = None) -> Gathered:
    """Parse `files` and gather their sections' entries by id (into `gathered`, if given)."""
    from game.format.yaml_reader import read_yaml_bytes  # only a cache miss needs PyYAML

    gathered = gathered or Gathered()
    for file in files:
        name = file.name
        gathered.files.append(name)
        if file.raw is None:
            continue
        data = read_yaml_bytes(file.raw, name, problems)
        file.raw = None  # parsed: its bytes are no longer needed
        if data is None:
            continue
        for section, value in data.items():
            key_pos = data.key_pos[section]
            if section not in SECTIONS:
                problems.error(
                    key_pos,
                    "unknown-section",
                    f"'{section}' is not a section",
                    did_you_mean(str(section), SECTIONS) or f"sections are: {', '.join(SECTIONS)}",
                )
                continue
            if not isinstance(value, YMap):
                if value is None:
                    continue  # an empty section while a writer drafts is harmless
                problems.error(data.value_pos[section], "wrong-type", f"'{section}' must be a mapping of ids, found {describe(value)}")
                continue
            if section == "story":
                add_story(gathered, value, key_pos, problems)
                continue
            for entry_id, entry, pos in value.items_with_pos():
                if check_id(entry_id, pos, problems, section.rstrip("s") if section != "people" else "person"):
                    add_entry(gathered, section, Entry(entry_id, entry, pos), problems)
    return gathered


def add_story(gathered: Gathered, story: YMap, key_pos: Pos, problems: Problems) -> None:
    """Take a `story` section found at `key_pos`, unless one came before it."""
    if gathered.story is not None:
        problems.error(key_pos, "duplicate-id", "a second 'story' section", f"the first is at {gathered.story.pos}")
    else:
        gathered.story, gathered.story_at = story, key_pos


def add_entry(gathered: Gathered, section: str, entry: Entry, problems: Problems) -> bool:
    """Take `entry` into its section, unless an entry of that id came before it."""
    entries = gathered.sections[section]
    first = entries.get(entry.id)
    if first is not None:
        problems.error(entry.pos, "duplicate-id", f"'{entry.id}' is defined twice in {section}", f"the first is at {first.pos}")
        return False
    entries[entry.id] = entry
    return True


def worth_building(problems: Problems) -> bool:
    """Whether to build the story after reading its files gave `problems`.

    Not when a file could not be read, or part of it was refused (a YAML mistake, a section
    misnamed, a bad or doubled id): every reference into what is missing would be reported
    too, and the checker would call half the story unused (a writer who dropped one colon saw
    ten lines for one mistake). Those mistakes come first, alone; the rest once they are fixed."""
    return not problems.errors
