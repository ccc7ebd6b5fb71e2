"""An assignment that starts mid-story starts from a state play reaches, drawn by the run's
seed: the story stays open (every perspective reaches at least 4 endings from the assault),
and a record of it replays and verifies like any other."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from game.classroom import build_record, check_record
from game.cli import main
from game.format import load_assignment, load_story
from game.runtime import Run
from game.saves import restore
from tests.conftest import FixedClock

ROOT = Path(__file__).resolve().parents[2]
ASSAULT = """\
assignment:
  id: assault_and_after
  title: "The assault and after"
  from: assault
  ask_name: true
"""


@pytest.fixture(scope="module")
def story():
    return load_story(ROOT / "story")


@pytest.fixture
def assault(tmp_path: Path) -> Path:
    path = tmp_path / "assault.yaml"
    path.write_text(ASSAULT)
    return path


def test_each_perspective_reaches_at_least_four_endings_from_the_assault(assault: Path) -> None:
    out = io.StringIO()
    assert main(["test", "--assignment", str(assault), "--runs", "200", "--json"], stdout=out) == 0
    doc = json.loads(out.getvalue())
    assert set(doc["perspectives"]) == {"woman", "political", "thief"}
    for perspective in doc["perspectives"].values():
        assert perspective["endings_reached"] >= 4, perspective
        assert perspective["drawn_start"] == 200 and perspective["stuck"] == 0


def test_the_drawn_state_is_the_seeds_and_a_record_of_it_verifies(story, assault: Path) -> None:
    assignment = load_assignment(assault, story)
    runs = [Run.start(story, seed=seed, perspective="woman", assignment=assignment, clock=FixedClock()) for seed in range(12)]
    assert all(run.scene.act == "assault" and run.caught_up for run in runs)
    assert len({json.dumps(run.state.vars, sort_keys=True) for run in runs}) > 1  # a class starts from different states
    again = Run.start(story, seed=5, perspective="woman", assignment=assignment, clock=FixedClock())
    assert again.state.to_dict() == runs[5].state.to_dict() and again.caught_up == runs[5].caught_up
    run = runs[5]
    run.choose(0)
    restored = restore(story, json.loads(json.dumps(run.to_dict())))
    assert restored.state.to_dict() == run.state.to_dict()
    record = json.loads(json.dumps(build_record(run, 2e9)))
    assert record["catch_up"] and record["catch_up"][0] == {"scene": run.caught_up[0][0], "choice": run.caught_up[0][1]}
    assert check_record(story, record).verified
    forged = dict(record, catch_up=record["catch_up"][:-1])
    from game.classroom.record import _digest

    forged["digest"] = _digest(forged)
    assert "earlier choices drawn for the start in the record: not what replaying its log gives" in check_record(story, forged).problems


def test_a_save_from_before_the_drawn_start_still_replays_from_the_defaults(story, assault: Path) -> None:
    assignment = load_assignment(assault, story)
    old = Run.start(story, seed=3, perspective="thief", assignment=assignment, catch_up=False, clock=FixedClock())
    old.choose(0)
    data = json.loads(json.dumps(old.to_dict()))
    del data["catch_up"]  # as saves were written before
    assert restore(story, data).state.to_dict() == old.state.to_dict()


def test_a_writers_start_scene_is_not_replaced(story, assault: Path) -> None:
    assignment = load_assignment(assault, story)
    first = assignment.first_scene(story, "woman")
    run = Run.start(story, seed=1, perspective="woman", assignment=assignment, start=first)
    assert run.caught_up is None and run.scene.id == first


def test_kengir_test_with_a_broken_assignment_says_so_in_one_line(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("assignment:\n  id: x\n  title: X\n  from: asault\n")
    assert main(["test", "--assignment", str(bad), "--runs", "3"], stdout=io.StringIO()) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:4:9: error[unknown-scene] 'asault' is neither a scene nor an act" in err
    assert err.endswith("The assignment has errors; nothing was played.\n")
    assert main(["test", "--assignment", str(bad), "--exhaustive"], stdout=io.StringIO()) == 2
