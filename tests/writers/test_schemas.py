"""The JSON Schemas editors check files against while a writer or a teacher types."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from game.writers.schema import build_schema


def story_errors(document: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(build_schema())
    return [error.message for error in validator.iter_errors(document)]


NOTE = {"title": "N", "kind": "fact", "body": "B"}
EVENT = {"date": "1954-05-16", "title": "The strike begins"}


@pytest.mark.parametrize(
    "document",
    [
        {"notes": {"n1": {**NOTE, "sources": []}}},
        {"notes": {"n1": NOTE}},
        {"events": {"e1": {**EVENT, "sources": []}}},
        {"people": {"p1": {"name": "P", "kind": "historical", "sources": []}}},
        {"people": {"p1": {"name": "P", "kind": "historical"}}},
    ],
    ids=["note-empty", "note-missing", "event-empty", "historical-empty", "historical-missing"],
)
def test_the_story_schema_refuses_an_entry_that_cites_nothing(document: dict[str, Any]) -> None:
    assert story_errors(document)


@pytest.mark.parametrize(
    "document",
    [
        {"notes": {"n1": {**NOTE, "sources": ["s1"]}}},
        {"notes": {"n1": {**NOTE, "sources": "s1"}}},
        {"events": {"e1": {**EVENT, "sources": ["s1", "s2"]}}},
        {"people": {"p1": {"name": "P", "kind": "composite"}}},
        {"people": {"p1": {"name": "P", "kind": "historical", "sources": ["s1"]}}},
        {"terms": {"t1": {"term": "t", "definition": "d", "sources": []}}},  # a term need not cite
    ],
)
def test_the_story_schema_accepts_what_cites_its_sources(document: dict[str, Any]) -> None:
    assert story_errors(document) == []
