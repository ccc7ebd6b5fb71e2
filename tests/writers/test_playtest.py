"""`kengir test`: random play-testing and exhaustive exploration, on stories built to fail."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from game.format import load_story
from game.writers.playtest import runs as playtest
from game.writers.playtest.explore import explore
from game.writers.playtest.runs import random_test, report
from tests.cli.test_cli import run_cli
from tests.conftest import MINI


def test_random_mode_reports_coverage_and_endings() -> None:
    story = load_story(MINI)
    tally = random_test(story, runs=300, seed=5, jobs=1)
    doc = report(story, tally, 5, 1.0)
    assert doc["runs"] == 300 and doc["failures"] == []
    # Without a perspective the mini story starts at a.start: t.start and c.bad are never reached
    # (the fallback is hidden once "Join tech" makes the good end open).
    assert {s["id"] for s in doc["scenes"]["never"]} == {"t.start", "c.bad"}
    assert doc["endings"] == {"good": 300}
    assert doc["endings_never"] == ["bad"]
    never = {(c["scene"], c["choice"]) for c in doc["choices"]["never"]}
    assert ("b.mid", 2) in never and all(c["line"] > 0 for c in doc["choices"]["never"])


def test_perspective_runs_count_per_perspective() -> None:
    story = load_story(MINI)
    doc = report(story, random_test(story, runs=50, seed=0, jobs=1, perspective="thief"), 0, 1.0)
    assert doc["perspectives"]["thief"]["runs"] == 50
    assert doc["endings"] == {"bad": 50}


@pytest.mark.parametrize("way", ["forked", "spawned pool", "no room for the tickets"])
def test_parallel_runs_give_the_same_counts_as_one_process(way: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    story = load_story(MINI)
    one = report(story, random_test(story, runs=400, seed=9, jobs=1), 9, 1.0)
    shared = playtest.share_out
    shared_out = []

    def share_out(*args):
        shared_out.append(1)
        if way == "no room for the tickets":
            raise playtest.NoRoom("as in a pipe of one page")
        return shared(*args)

    if way == "spawned pool":  # as on a system without fork
        monkeypatch.setattr(playtest, "can_fork", lambda: False)
    else:
        assert playtest.can_fork(), "a test left a thread running: the play-tester would not fork"
    monkeypatch.setattr(playtest, "share_out", share_out)
    two = report(story, random_test(story, runs=400, seed=9, jobs=2, cache_dir=tmp_path / "cache"), 9, 1.0)
    assert bool(shared_out) == (way != "spawned pool")
    for key in ("runs", "endings", "scenes", "choices", "notes", "words", "median_choices", "perspectives"):
        assert one[key] == two[key], key


def _broken_copy(tmp_path: Path) -> Path:
    story = tmp_path / "story"
    shutil.copytree(MINI, story)
    path = story / "story.yaml"
    # "Fall" loses its fallback flag and gets an impossible condition: a real dead end at b.mid
    # for any run that did not join tech. The checker cannot see it; the tester must.
    path.write_text(path.read_text().replace("        fallback: true\n        goto: c.bad", "        if: trust > 9\n        goto: c.bad"))
    return story


def test_stuck_runs_are_failures_with_seed_and_path(tmp_path: Path) -> None:
    story = load_story(_broken_copy(tmp_path))
    doc = report(story, random_test(story, runs=200, seed=0, jobs=1, perspective="thief"), 0, 1.0)
    assert doc["failures"], "the thief always reaches b.mid without tech"
    failure = doc["failures"][0]
    assert failure["scene"] == "b.mid" and "no choice can be taken" in failure["message"]
    assert failure["path"][-2:] == ["t.start", "b.mid"]
    # The same failures, in seed order, when the runs are shared out over processes.
    shared = report(story, random_test(story, runs=200, seed=0, jobs=3, perspective="thief"), 0, 1.0)
    assert shared["failures"] == doc["failures"]


def test_cli_json_has_the_documented_keys_and_exits_one_on_failure(tmp_path: Path) -> None:
    code, out = run_cli("test", str(MINI), "--runs", "100", "--jobs", "1", "--json")
    doc = json.loads(out)
    assert code == 0
    assert set(doc) >= {
        "runs",
        "seed",
        "seconds",
        "playthroughs_per_second",
        "scenes",
        "choices",
        "endings",
        "notes",
        "perspectives",
        "failures",
    }
    assert set(doc["scenes"]) >= {"total", "visited", "never"} and set(doc["notes"]) >= {"total", "seen", "never"}
    code, out = run_cli("test", str(_broken_copy(tmp_path)), "--runs", "50", "--jobs", "1", "--perspective", "thief")
    assert code == 1 and "FAILED seed" in out and "replay: kengir play --plain --seed" in out


def test_cli_reports_a_worker_process_that_died_and_no_partial_report(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    parent, play_batches = os.getpid(), playtest._play_batches

    def dies_in_a_child(*args, **kwargs):
        if os.getpid() != parent:
            os._exit(3)  # as a worker killed by the system, whether or not it took a batch
        return play_batches(*args, **kwargs)

    monkeypatch.setattr(playtest, "_play_batches", dies_in_a_child)
    code, out = run_cli("test", str(MINI), "--runs", "400", "--jobs", "2")
    assert code == 1 and "runs from seed" not in out
    assert "kengir test: a worker process ended without its result (exit code 3)" in capsys.readouterr().err


def test_exhaustive_mode_proves_every_state_ends() -> None:
    result = explore(load_story(MINI))
    assert result.complete and result.failures == []
    assert result.endings == {"good"}  # the bad end needs the thief's start
    assert explore(load_story(MINI), "thief").endings == {"bad"}


def test_exhaustive_mode_finds_the_dead_end_and_the_path(tmp_path: Path) -> None:
    result = explore(load_story(_broken_copy(tmp_path)), "thief")
    assert [f["scene"] for f in result.failures] == ["b.mid"]
    assert result.failures[0]["path"] == ["t.start: Go"]


def test_exhaustive_mode_stops_at_the_limit() -> None:
    result = explore(load_story(MINI), limit=3)
    assert not result.complete
    code, out = run_cli("test", str(MINI), "--exhaustive", "--limit", "3")
    assert code == 1 and "STOPPED at the limit of 3 states" in out
