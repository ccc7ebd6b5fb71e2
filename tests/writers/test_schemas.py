"""The JSON Schemas editors check files against while a writer or a teacher types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from game.format import AssignmentError, load_assignment, load_story
from game.format.yaml_reader import read_yaml
from game.model import Problems
from game.session.paths import CHECKOUT
from game.writers.schema import build_assignment_schema, build_schema
from tests.cli.test_cli import run_cli


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


# ------------------------------------------------------------------ assignment files

ASSIGNMENTS = sorted((CHECKOUT / "docs" / "assignments").glob("*.yaml")) + sorted((CHECKOUT / "tests").rglob("*assignment.yaml"))


def assignment_errors(document: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(build_assignment_schema())
    return [error.message for error in validator.iter_errors(document)]


def test_the_assignment_schema_is_a_schema_and_its_copy_in_docs_is_current() -> None:
    jsonschema.Draft202012Validator.check_schema(build_assignment_schema())
    kept = json.loads((CHECKOUT / "docs" / "assignment.schema.json").read_text())
    assert kept == build_assignment_schema(), "run: kengir schema --assignment > docs/assignment.schema.json"
    code, out = run_cli("schema", "--assignment")
    assert code == 0 and json.loads(out) == kept


@pytest.mark.parametrize("path", ASSIGNMENTS, ids=lambda p: p.name)
def test_the_assignment_files_we_ship_and_test_with_pass_it(path: Path) -> None:
    assert len(ASSIGNMENTS) >= 5
    data = read_yaml(path, path.name, Problems())
    assert data is not None and assignment_errors(json.loads(json.dumps(data))) == []


GOOD = {"id": "strike_only", "title": "The strike", "from": "strike", "until": "forty_days"}


@pytest.mark.parametrize(
    "change",
    [
        {"untill": "forty_days"},
        {"intensity": "loud"},
        {"undo": "yes"},
        {"id": "Strike Only"},
        {"prompts": [{"at": "strike.yard", "after": "strike", "text": "Why?"}]},
        {"prompts": [{"at": "strike.yard"}]},
        {"prompts": [{"text": "Why?"}]},
        {"prompts": [{"story": "strike.trust", "after": "strike", "text": "Why?"}]},
        {"prompts": [{"after": "strike", "text": "Why?", "when": "now"}]},
    ],
    ids=repr,
)
def test_an_assignment_the_game_would_refuse_is_refused_by_the_schema_too(tmp_path: Path, change: dict[str, Any]) -> None:
    document = {"assignment": {**GOOD, **change}}
    assert assignment_errors(document)
    path = tmp_path / "assignment.yaml"
    path.write_text(json.dumps(document))  # JSON is YAML
    with pytest.raises(AssignmentError):
        load_assignment(path, load_story(CHECKOUT / "story"))


def test_a_whole_assignment_passes(tmp_path: Path) -> None:
    prompts = [{"story": "strike.trust"}, {"id": "why", "after": "strike", "text": "Why?"}, {"at": "strike.yard", "text": "And here?"}]
    document = {"assignment": {**GOOD, "perspectives": ["woman"], "undo": False, "intensity": "summary", "prompts": prompts}}
    assert assignment_errors(document) == []
    assert assignment_errors({"assignment": GOOD, "extra": 1}) and assignment_errors({"assignment": {"title": "No id"}})
