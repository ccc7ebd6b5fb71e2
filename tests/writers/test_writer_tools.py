"""The story map, the JSON Schema, scene stubs and jumping in with a chosen state."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from game.format import load_story, story_files
from game.format.yaml_reader import read_yaml
from game.model import Problems
from game.runtime import Run
from game.session.paths import CHECKOUT
from game.writers.graph import to_dot, to_mermaid
from game.writers.schema import build_schema
from tests.cli.test_cli import run_cli
from tests.conftest import MINI


def test_dot_map_has_act_clusters_endings_and_conditions() -> None:
    dot = to_dot(load_story(MINI))
    assert "subgraph cluster_one" in dot and 'label="Two"' in dot
    assert '"c.good" [label="Good\\nc.good\\nENDING: A good end", shape=doubleoctagon]' in dot
    assert '"a.start" -> "a.start" [label="Marry\\nif trust >= 2 and not married", style=dashed]' in dot
    assert dot.count("->") == 7


def test_perspective_filter_leaves_out_other_perspectives_scenes() -> None:
    story = load_story(MINI)
    assert "t.start" in to_mermaid(story) and "t__start" not in to_mermaid(story, "woman")
    code, out = run_cli("graph", str(MINI), "--format", "mermaid", "--perspective", "thief")
    assert code == 0 and out.startswith("flowchart LR") and "s_t__start" in out


def test_schema_accepts_the_shipped_story_and_rejects_a_misspelt_key() -> None:
    schema = build_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in story_files(CHECKOUT / "story"):
        data = read_yaml(path, path.name, Problems())
        assert data is not None
        errors = list(validator.iter_errors(json.loads(json.dumps(data))))
        assert errors == [], f"{path}: {errors[0].message if errors else ''}"
    bad = {"scenes": {"a.b": {"act": "x", "date": "1954", "place": "p", "title": "t", "text": "x", "titel": "oops"}}}
    assert any("titel" in e.message for e in validator.iter_errors(bad))


def test_schema_command_prints_json() -> None:
    code, out = run_cli("schema")
    assert code == 0 and json.loads(out)["title"].startswith("Kengir")


def _split_story(tmp_path: Path) -> Path:
    """The mini story laid out as writers do: the frame in story.yaml, scenes in scenes/."""
    text = (MINI / "story.yaml").read_text()
    head, rest = text.split("\nscenes:\n", 1)
    scenes, tail = rest.split("\nnotes:\n", 1)
    story = tmp_path / "story"
    (story / "scenes").mkdir(parents=True)
    (story / "story.yaml").write_text(head + "\nnotes:\n" + tail)
    (story / "scenes" / "a.yaml").write_text("scenes:\n" + scenes)
    return story


def test_new_scene_appends_a_valid_stub_beside_its_neighbours(tmp_path: Path) -> None:
    story = _split_story(tmp_path)
    before = {p: p.read_text() for p in story.rglob("*.yaml")}
    code, out = run_cli("new", "scene", "a.gate", "--story", str(story))
    assert code == 0 and "a.gate" in out
    changed = [p for p in story.rglob("*.yaml") if p.read_text() != before[p]]
    assert changed == [story / "scenes" / "a.yaml"] and changed[0].read_text().startswith(before[changed[0]])  # appended only
    loaded = load_story(story)
    assert loaded.scenes["a.gate"].date == loaded.scenes["a.start"].date
    code, _ = run_cli("new", "scene", "a.gate", "--story", str(story))
    assert code == 1  # already there
    code, _ = run_cli("new", "scene", "one.first", "--story", str(story))
    assert code == 0 and load_story(story).scenes["one.first"].act == "one"  # a new file, named for the act
    assert (story / "scenes" / "one.yaml").is_file()


def test_new_scene_leaves_one_blank_line_before_the_stub_however_the_file_ended(tmp_path: Path) -> None:
    for ending in ("", "\n", "\n\n\n"):
        story = _split_story(tmp_path / f"ends{len(ending)}")
        scenes = story / "scenes" / "a.yaml"
        body = scenes.read_text().rstrip("\n")
        scenes.write_text(body + ending)
        assert run_cli("new", "scene", "a.gate", "--story", str(story))[0] == 0
        assert scenes.read_text().startswith(body + "\n\n  a.gate:\n")
        assert "a.gate" in load_story(story).scenes


def test_new_scene_refuses_a_bad_id(tmp_path: Path) -> None:
    code, _ = run_cli("new", "scene", "Bad-Id", "--story", str(MINI))
    assert code == 1


def test_play_from_a_scene_with_variables_set(tmp_path: Path) -> None:
    code, out = run_cli(
        "play",
        "--plain",
        "--story",
        str(MINI),
        "--saves",
        str(tmp_path),
        "--from",
        "b.mid",
        "--set",
        "dept=tech",
        "--set",
        "trust=2",
        "--seed",
        "1",
        stdin="quit\n",
    )
    assert code == 0 and "== Middle ==" in out and "Dept tech" in out
    run = Run.start(load_story(MINI), start="b.mid", variables={"dept": "tech"})
    assert [c.text for c in run.choices] == ["Fall"]  # visited(a.start) is still false


@pytest.mark.parametrize("bad", ["nope=1", "trust=lots", "married=yes", "trust"])
def test_play_set_rejects_bad_assignments(tmp_path: Path, bad: str) -> None:
    code, _ = run_cli("play", "--plain", "--story", str(MINI), "--saves", str(tmp_path), "--set", bad)
    assert code == 2


def test_the_schema_copy_in_docs_is_current() -> None:
    kept = json.loads((CHECKOUT / "docs" / "story.schema.json").read_text())
    assert kept == build_schema(), "run: kengir schema > docs/story.schema.json"
