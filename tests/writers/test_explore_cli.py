"""`kengir test --exhaustive` as a writer runs it: what it proves, what it lists, what it never claims."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from game.format import load_story
from game.writers.playtest.explore import explore
from game.writers.playtest.projection import Projection
from game.writers.playtest.proof import NONE, prove, starts
from game.writers.playtest.workers import can_fork
from tests.cli.test_cli import run_cli
from tests.conftest import MINI

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "story"


def _broken_copy(tmp_path: Path) -> Path:
    """The mini story with a real dead end at b.mid for the thief (as in test_playtest.py)."""
    story = tmp_path / "story"
    shutil.copytree(MINI, story)
    path = story / "story.yaml"
    path.write_text(path.read_text().replace("        fallback: true\n        goto: c.bad", "        if: trust > 9\n        goto: c.bad"))
    return story


def test_every_start_a_player_can_have_is_searched_once() -> None:
    mini = load_story(MINI)
    # The mini story starts where the woman does, and nothing reads `perspective`: the same states.
    assert [s.perspective for s in starts(mini, None, Projection.reduced(mini))] == ["woman", "thief"]
    shipped = load_story(SHIPPED)
    found = starts(shipped, None, Projection.reduced(shipped))
    assert [(s.perspective, s.scene) for s in found][-1] == (None, shipped.start)
    assert {s.perspective for s in found} == {*shipped.perspectives, None}
    # Each scene is answered for by the search of its perspective (the start scene by the story's own).
    for scene in shipped.scenes.values():
        assert [s.perspective for s in found if s.owns(scene)] == list(scene.perspectives or [None])


def test_json_report_per_perspective_with_file_and_line_of_what_is_never_reached() -> None:
    code, out = run_cli("test", str(MINI), "--exhaustive", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["proved"] and doc["complete"] and doc["failures"] == []
    assert {"states", "transitions", "seconds", "peak_mb", "scenes", "choices", "endings", "perspectives"} <= set(doc)
    assert set(doc["perspectives"]) == {"woman", "thief"}
    woman = doc["perspectives"]["woman"]
    assert {"start", "complete", "states", "transitions", "seconds", "peak_mb", "scenes", "choices", "endings", "failures"} <= set(woman)
    assert woman["start"] == "a.start" and woman["states"] > 0 and woman["transitions"] > 0
    # "Locked" needs trust > 5 (at most 3), and the fallback "Fall" is never offered with tech joined.
    assert [(c["scene"], c["choice"], c["text"]) for c in woman["choices"]["never"]] == [("a.start", 4, "Locked"), ("b.mid", 2, "Fall")]
    assert all(c["file"].endswith("story.yaml") and c["line"] > 0 for c in woman["choices"]["never"])
    assert [s["id"] for s in woman["scenes"]["never"]] == ["c.bad"] and [e["id"] for e in woman["endings"]["never"]] == ["bad"]
    # From some start, everything but "Locked" is reached.
    assert doc["scenes"]["never"] == [] and doc["endings"]["never"] == []
    assert [(c["scene"], c["choice"]) for c in doc["choices"]["never"]] == [("a.start", 4)]
    if can_fork():  # each search in a process of its own: its peak memory is its own
        assert woman["peak_of_this_search"] is True and woman["peak_mb"] > 0


def test_a_search_cut_short_says_what_it_covered_and_claims_nothing_unreachable() -> None:
    code, out = run_cli("test", str(MINI), "--exhaustive", "--limit", "3")
    assert code == 1
    woman = next(line for line in out.splitlines() if line.startswith("perspective woman"))
    assert "STOPPED at the limit of 3 states: 3 states" in woman
    assert "reached so far: scenes 2/4" in out and "not proved: that every state leads to an ending" in out
    stopped = out.split("perspective woman")[1].split("perspective thief")[0]
    assert "never" not in stopped and "none" not in stopped
    assert (
        "so far" in out.splitlines()[-2] and out.splitlines()[-1] == "NOT PROVED: a search stopped before it could prove anything (woman)"
    )
    doc = json.loads(run_cli("test", str(MINI), "--exhaustive", "--limit", "3", "--json")[1])
    assert not doc["proved"] and not doc["complete"]
    for part in (doc, doc["perspectives"]["woman"]):
        assert part["scenes"]["never"] is None and part["choices"]["never"] is None and part["endings"]["never"] is None
    assert doc["perspectives"]["woman"]["stopped"] == "limit"


def test_a_dead_end_is_a_failure_with_its_path_and_exit_one(tmp_path: Path) -> None:
    code, out = run_cli("test", str(_broken_copy(tmp_path)), "--exhaustive")
    assert code == 1
    lines = out.splitlines()
    at = lines.index("FAILED (thief) in b.mid: no choice can be taken")
    assert lines[at + 1] == "  path: t.start: Go"
    assert lines[-1] == "1 failure: not every reachable state leads to an ending"
    doc = json.loads(run_cli("test", str(_broken_copy(tmp_path / "again")), "--exhaustive", "--json")[1])
    assert [(f["perspective"], f["scene"], f["path"]) for f in doc["failures"]] == [("thief", "b.mid", ["t.start: Go"])]


def test_one_perspective_and_an_unknown_one(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = run_cli("test", str(MINI), "--exhaustive", "--perspective", "thief")
    assert code == 0 and "perspective thief (from t.start)" in out and "perspective woman" not in out
    assert "whole story" not in out  # one search: its own figures are the whole report
    code, _ = run_cli("test", str(MINI), "--exhaustive", "--perspective", "thiefs")
    assert code == 2 and "there is no perspective 'thiefs'" in capsys.readouterr().err


def test_the_shipped_story_is_proved_and_every_scene_reached_from_some_start() -> None:
    doc = prove(load_story(SHIPPED))
    assert doc["proved"], doc["failures"][:3]
    assert doc["scenes"]["reached"] == doc["scenes"]["total"] and doc["endings"]["never"] == []
    assert set(doc["perspectives"]) == {"woman", "political", "thief", NONE}


JOINS = """\
story:
  title: Joins
  start: s.choose
  acts: {one: {title: One}}
  places: {yard: Y}
  perspectives:
    a: {title: A, start: a.0}
    b: {title: B, start: b.0}
    c: {title: C, start: c.0}
  endings: {one: {title: One, debrief: D.}, two: {title: Two, debrief: D.}}
  variables:
    flag: {type: bool, default: false}
    shown: {type: int, default: 0}
scenes:
  s.choose:
    act: one
    date: 1954-05-16
    place: yard
    title: Choose
    text: Whom?
    choices:
      - {text: Be A, goto: a.0, set: {perspective: a, shown: 3}}
      - {text: Be B, goto: b.0, set: {perspective: b, flag: true}}
      - {text: Be C, goto: c.0, set: {perspective: c}}
  a.0: {act: one, date: 1954-05-16, place: yard, title: A, perspectives: [a], text: 'A {shown}.', choices: [{text: End, goto: e.1}]}
  b.0:
    act: one
    date: 1954-05-16
    place: yard
    title: B
    perspectives: [b]
    text: B.
    choices:
      - {text: Flagged, goto: e.2, if: flag}
      - {text: Plain, goto: e.1, fallback: true}
  c.0: {act: one, date: 1954-05-16, place: yard, title: C, perspectives: [c], text: C., choices: [{text: Stuck, goto: e.1, if: flag}]}
  e.1: {act: one, date: 1954-05-16, place: yard, title: E, text: One., ending: one}
  e.2: {act: one, date: 1954-05-16, place: yard, title: E, text: Two., ending: two}
"""


def test_the_story_start_joins_a_proved_perspective_only_where_its_states_are_the_same(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text(JOINS)
    story = load_story(tmp_path)
    doc = prove(story)
    start = doc["perspectives"][NONE]
    # a.0 from the start differs only in what text reads: proved by a's search. b.0 comes with the
    # flag set (not a's state: explored, and only so is "Flagged" taken); c's search failed.
    assert start["joins"] == ["a"]
    assert doc["perspectives"]["b"]["choices"]["never"][0]["text"] == "Flagged"
    assert [c["scene"] for c in doc["choices"]["never"]] == ["c.0"]  # the flag is never set on the way to c.0
    assert [(f["perspective"], f["scene"]) for f in doc["failures"]] == [("c", "c.0"), (NONE, "c.0")]
    alone = explore(story, None)  # the story's start explored in full: the same finds
    assert alone.joined == set() and [f["scene"] for f in alone.failures] == ["c.0"]
    assert start["scenes"]["reached"] == start["scenes"]["total"] == 3 and len(alone.scenes) == 6 and alone.endings == {"one", "two"}


def test_rolls_too_many_to_try_stop_the_search_which_says_so(tmp_path: Path) -> None:
    from tests.writers.test_explore_moves import ROLLED_NOTES

    # Compared with a variable, each of 100,002 numbers is its own class: too many to try.
    (tmp_path / "story.yaml").write_text(ROLLED_NOTES.replace("roll(a + 2) > 2", "roll(a + 100000) > a"))
    code, out = run_cli("test", str(tmp_path), "--exhaustive")
    assert code == 1 and "STOPPED (the rolls of s.0 have" in out and "too many to try each" in out
    assert "never" not in out and out.splitlines()[-1].startswith("NOT PROVED")


def test_a_search_whose_process_dies_is_reported_without_a_partial_report(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    if not can_fork():
        pytest.skip("each search runs in a process of its own only where it can fork")
    from game.writers.playtest import proof

    monkeypatch.setattr(proof, "explore", lambda *args: os._exit(9))  # as a process the system killed
    code, out = run_cli("test", str(MINI), "--exhaustive")
    assert code == 1 and out == ""
    err = capsys.readouterr().err
    assert "the search's process ended without its result (exit code 9)" in err and "lower --limit" in err
