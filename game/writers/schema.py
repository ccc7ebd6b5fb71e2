"""`kengir schema`: a JSON Schema of the story files (and with --assignment, of a teacher's
assignment file), for editors' YAML language servers.

It is built from the loader's own lists of keys, so the schema and the loader cannot drift
apart on what a scene or a choice may hold. The loader stays the judge (references, types of
expressions, positions); the schema gives writers completion and early squiggles while typing.
"""

from __future__ import annotations

from typing import Any

from game.format import ASSIGNMENT_KEYS, ASSIGNMENT_PROMPT_KEYS, BLOCK_KEYS, CHOICE_KEYS, ROUTE_KEYS, SCENE_KEYS
from game.model import NOTE_KINDS, PERSON_KINDS, RELIABILITY
from game.runtime import INTENSITY_CHOICES

ID = "^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$"
DATE = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


def _text(description: str) -> dict[str, Any]:
    return {"type": ["string", "integer"], "description": description}


def _ids(description: str, at_least: int = 0) -> dict[str, Any]:
    """One id, or a list of ids (of at least `at_least`)."""
    many: dict[str, Any] = {"type": "array", "items": {"type": "string", "pattern": ID}}
    if at_least:
        many["minItems"] = at_least
    return {"oneOf": [{"type": "string", "pattern": ID}, many], "description": description}


def _map_of(item: dict[str, Any], description: str) -> dict[str, Any]:
    return {"type": "object", "description": description, "propertyNames": {"pattern": ID}, "additionalProperties": item}


def _record(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def build_schema() -> dict[str, Any]:
    expression = {"type": ["string", "integer", "boolean"], "description": "an expression (see docs/WRITING.md)"}
    block_props = {
        "text": {"type": "string"},
        "if": {"type": "string", "description": "shown only when this holds"},
        "else": {"type": "string", "description": "shown instead when it does not"},
        "notes": _ids("notes found when this block is shown"),
        "violence": {"type": "boolean", "description": "this block depicts violence: it needs a summary"},
        "summary": {"type": "string", "description": "shown in place of this block's text under the summary intensity"},
    }
    assert set(block_props) == set(BLOCK_KEYS), "the schema must follow the loader's text block keys"
    text_block = {"oneOf": [{"type": "string"}, _record(block_props, ["text"])]}
    route_props = {
        "if": {"type": "string", "description": "taken when this holds (the last route has no if)"},
        "to": {"type": "string", "pattern": ID, "description": "the scene"},
    }
    assert set(route_props) == set(ROUTE_KEYS), "the schema must follow the loader's route keys"
    goto = {
        "oneOf": [
            {"type": "string", "pattern": ID, "description": "the scene it leads to"},
            {
                "type": "array",
                "minItems": 1,
                "items": _record(route_props, ["to"]),
                "description": "routes tried in order after the effects; the last, without if, when none holds",
            },
        ]
    }
    choice_props = {
        "text": _text("what the player reads"),
        "goto": goto,
        "if": {"type": "string", "description": "hidden (or disabled, with else) unless this holds"},
        "else": {"type": "string", "description": "the reason shown with a disabled choice"},
        "set": {"type": "object", "additionalProperties": expression, "description": "variable: expression"},
        "once": {"type": "boolean", "description": "disappears once taken"},
        "fallback": {"type": "boolean", "description": "shown only when nothing else can be taken"},
    }
    assert set(choice_props) == set(CHOICE_KEYS), "the schema must follow the loader's choice keys"
    scene_props = {
        "act": {"type": "string", "pattern": ID},
        "date": {"type": ["string", "integer"], "pattern": DATE},
        "place": {"type": "string", "pattern": ID},
        "title": _text("the scene's title"),
        "text": {"oneOf": [{"type": "string"}, {"type": "array", "items": text_block}]},
        "summary": {
            "type": "string",
            "description": "plain summary of the whole scene for the summary intensity (or give summaries to its violent blocks)",
        },
        "violence": {"type": "boolean", "description": "the whole scene depicts violence: it needs a summary"},
        "notes": _ids("notes unlocked here"),
        "terms": _ids("glossary terms used"),
        "people": _ids("people introduced"),
        "prompts": _ids("reflection prompts asked here"),
        "perspectives": _ids("perspectives that can see this scene"),
        "choices": {"type": "array", "items": _record(choice_props, ["text", "goto"])},
        "ending": {"type": "string", "pattern": ID},
        "debrief": {"type": "string"},
    }
    assert set(scene_props) == set(SCENE_KEYS), "the schema must follow the loader's scene keys"
    variable = _record(
        {
            "type": {"enum": ["int", "bool", "str"]},
            "default": {"type": ["integer", "boolean", "string"]},
            "min": {"type": "integer"},
            "max": {"type": "integer"},
            "values": {"type": "array", "items": {"type": "string"}},
            "label": {"type": "string"},
            "shown": {"type": "boolean"},
            "description": {"type": "string"},
        },
        ["type", "default"],
    )
    prompt = _record(
        {"text": {"type": "string"}, "act": {"type": "string", "pattern": ID}, "perspectives": _ids("asked only of these")}, ["text"]
    )
    story = _record(
        {
            "title": _text("the game's title"),
            "start": {"type": "string", "pattern": ID},
            "acts": _map_of(_record({"title": {"type": "string"}}, ["title"]), "acts, in order"),
            "places": _map_of({"type": "string"}, "place id: name"),
            "perspectives": _map_of(
                _record(
                    {"title": {"type": "string"}, "start": {"type": "string", "pattern": ID}, "blurb": {"type": "string"}},
                    ["title", "start"],
                ),
                "who the player can be",
            ),
            "endings": _map_of(_record({"title": {"type": "string"}, "debrief": {"type": "string"}}, ["title", "debrief"]), "ending kinds"),
            "prompts": _map_of(prompt, "reflection prompts"),
            "variables": _map_of(variable, "declared variables"),
        },
        ["title", "start", "acts", "places"],
    )
    sources_ref = _ids("source ids")
    cited = _ids("the works it rests on: at least one source id", at_least=1)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://kengir.invalid/story.schema.json",
        "title": "Kengir: Forty Days story file",
        "description": "One YAML file of a story folder: a mapping of sections. See docs/WRITING.md.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "story": story,
            "scenes": _map_of(_record(scene_props, ["act", "date", "place", "title", "text"]), "scenes"),
            "notes": _map_of(
                _record(
                    {
                        "title": _text("title"),
                        "kind": {"enum": list(NOTE_KINDS)},
                        "body": {"type": "string"},
                        "sources": cited,
                        "topic": {"type": "string"},
                    },
                    ["title", "kind", "body", "sources"],
                ),
                "notes",
            ),
            "sources": _map_of(
                _record(
                    {
                        "title": _text("title"),
                        "author": {"type": "string"},
                        "year": _text("year"),
                        "published": {"type": "string"},
                        "reliability": {"enum": list(RELIABILITY)},
                        "url": {"type": "string"},
                    },
                    ["title"],
                ),
                "sources",
            ),
            "terms": _map_of(
                _record({"term": {"type": "string"}, "definition": {"type": "string"}, "sources": sources_ref}, ["term", "definition"]),
                "glossary",
            ),
            "people": _map_of(
                {
                    **_record(
                        {
                            "name": {"type": "string"},
                            "kind": {"enum": list(PERSON_KINDS)},
                            "role": {"type": "string"},
                            "bio": {"type": "string"},
                            "sources": sources_ref,
                        },
                        ["name", "kind"],
                    ),
                    # A historical person cites a source, as a note does.
                    "if": {"properties": {"kind": {"const": "historical"}}, "required": ["kind"]},
                    "then": {"properties": {"sources": cited}, "required": ["sources"]},
                },
                "people",
            ),
            "events": _map_of(
                _record(
                    {
                        "date": {"type": ["string", "integer"], "pattern": DATE},
                        "title": _text("title"),
                        "text": {"type": "string"},
                        "sources": cited,
                    },
                    ["date", "title", "sources"],
                ),
                "timeline",
            ),
            "variables": _map_of(variable, "declared variables"),
            "prompts": _map_of(prompt, "reflection prompts"),
            "places": _map_of({"type": "string"}, "place id: name"),
        },
    }


def build_assignment_schema() -> dict[str, Any]:
    """The JSON Schema of an assignment file (docs/TEACHING.md, "Writing an assignment file"),
    from the assignment reader's own keys. Whether its scenes, acts and prompts exist in the
    story is the game's to say, when it reads the file."""
    either = {"type": "string", "pattern": ID, "description": "an act of the story, or a scene"}

    def alone(key: str, *needed: str) -> dict[str, Any]:
        others = [k for k in ("story", "at", "after") if k != key]
        return {"required": [key, *needed], "not": {"anyOf": [{"required": [k]} for k in others]}}

    prompt_props = {
        "id": {"type": "string", "pattern": ID, "description": "names the answer in records (default: its number)"},
        "story": {"type": "string", "pattern": ID, "description": "one of the story's own prompts, asked where the story asks it"},
        "at": {"type": "string", "pattern": ID, "description": "your question is asked when the student reaches this scene"},
        "after": {"type": "string", "pattern": ID, "description": "your question is asked when this act ends"},
        "text": {"type": "string", "description": "your question"},
    }
    assert set(prompt_props) == set(ASSIGNMENT_PROMPT_KEYS), "the schema must follow the assignment reader's prompt keys"
    prompt = {
        "type": "object",
        "properties": prompt_props,
        "additionalProperties": False,
        "oneOf": [alone("story"), alone("at", "text"), alone("after", "text")],
        "description": "`story: ID`, or `at: SCENE` or `after: ACT` with `text:`",
    }
    properties = {
        "id": {"type": "string", "pattern": ID, "description": "a short name with no spaces (used in record file names)"},
        "title": {"type": ["string", "integer"], "description": "what the student sees at the top"},
        "from": {**either, "description": "where play starts: an act (its first scene on the student's path) or a scene"},
        "until": {**either, "description": "play stops when this act begins, or on reaching this scene"},
        "perspectives": _ids("which perspectives the student may choose (default: all)"),
        "undo": {"type": "boolean", "description": "may the student take a choice back? (default: true)"},
        "intensity": {"enum": list(INTENSITY_CHOICES), "description": "full, summary, or student: the student chooses (default)"},
        "ask_name": {"type": "boolean", "description": "ask the student's name for the record (default: false)"},
        "story_prompts": {"type": "boolean", "description": "also ask the story's own reflection prompts (default: true)"},
        "prompts": {"type": "array", "items": prompt, "description": "questions to ask, and where"},
    }
    assert set(properties) == set(ASSIGNMENT_KEYS), "the schema must follow the assignment reader's keys"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://kengir.invalid/assignment.schema.json",
        "title": "Kengir: Forty Days assignment file",
        "description": "A teacher's assignment: which part of the story a student plays and what they are asked. See docs/TEACHING.md.",
        "type": "object",
        "additionalProperties": False,
        "required": ["assignment"],
        "properties": {"assignment": _record(properties, ["id", "title"])},
    }
