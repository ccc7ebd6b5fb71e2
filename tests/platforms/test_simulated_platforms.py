"""The game as Windows and macOS would run it, simulated here (see simulate.py): the plain
player, `kengir check`, `kengir test`, saves and records, and the terminal game's hang-up watch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.platforms.simulate import PLATFORMS, simulate

# The simulation takes Linux's standard library and removes what the other systems lack; on a
# real macOS or Windows (the CI workflow's runners) the real thing runs instead.
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="simulates other systems on Linux")


ROOT = Path(__file__).resolve().parents[2]
SIMULATE = Path(__file__).with_name("simulate.py")
LETTERS = FIXTURES / "letters"
ASSIGNMENT = FIXTURES / "letters_assignment.yaml"


def kengir_as(platform: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`kengir ARGS` in a fresh Python that sees `platform`'s standard library. A text file opened
    without its encoding named fails the command (EncodingWarning as an error): on Windows it
    would be read or written in the ANSI code page."""
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    strict = ["-X", "warn_default_encoding", "-W", "error::EncodingWarning"]
    return subprocess.run(
        [sys.executable, *strict, str(SIMULATE), platform, "--", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        cwd=ROOT,
        timeout=120,
    )


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Error" not in result.stderr, result.stderr


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_plain_player_saves_after_a_choice_and_continues(platform: str, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    first = kengir_as(
        platform, "play", "--plain", "--story", str(LETTERS), "--saves", str(saves), "--seed", "4", "--intensity", "full", stdin="1\n"
    )
    assert first.returncode == 0 and "Your game is saved" in first.stdout
    assert_clean(first)
    autosaves = sorted(saves.glob("autosave-*.json"))
    assert autosaves, "an autosave was written"
    assert json.loads(autosaves[-1].read_text(encoding="utf-8"))["run"]["log"][0]["text"] == "Keep the letter — „for later“"
    second = kengir_as(platform, "play", "--plain", "--continue", "--story", str(LETTERS), "--saves", str(saves), stdin="1\n")
    assert second.returncode == 0, second.stderr
    assert "You have 1 letters" in second.stdout and "Ending: Namo" in second.stdout


@pytest.mark.parametrize("platform", PLATFORMS)
def test_check_and_the_play_tester_work_without_fork(platform: str) -> None:
    check = kengir_as(platform, "check", str(LETTERS))
    assert check.returncode == 0 and "0 errors, 0 warnings" in check.stdout
    # Two jobs: the forked workers need Linux, so a pool of spawned workers plays the runs.
    tested = kengir_as(platform, "test", str(LETTERS), "--runs", "200", "--jobs", "2", "--json")
    assert tested.returncode == 0, tested.stderr
    report = json.loads(tested.stdout)
    assert report["runs"] == 200 and report["endings"] == {"home": 200}


def test_the_forked_workers_are_used_only_on_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    from game.writers.playtest import workers

    assert workers.can_fork(), "here, on Linux, the forked workers share the runs"
    for platform in PLATFORMS:
        with monkeypatch.context() as patch:
            simulate(platform, patch)
            assert not workers.can_fork()


@pytest.mark.parametrize("platform", PLATFORMS)
def test_an_assigned_session_writes_a_record_that_verifies_and_reports(platform: str, tmp_path: Path) -> None:
    saves, records = tmp_path / "saves", tmp_path / "records"
    played = kengir_as(
        platform,
        "play",
        "--plain",
        "--story",
        str(LETTERS),
        "--saves",
        str(saves),
        "--records",
        str(records),
        "--assignment",
        str(ASSIGNMENT),
        "--seed",
        "2",
        stdin="1\nOna Žukauskaitė\n1\n1\nKad dar gyva.\n\nLaiškas — tai viltis.\n\n",
    )
    assert played.returncode == 0, played.stderr
    [record] = records.glob("*.json")
    assert "Ona-Zukauskaite" in record.name, "the name is spelled in letters every system's files accept"
    verified = kengir_as(platform, "verify", str(record), "--story", str(LETTERS))
    assert verified.returncode == 0 and "VERIFIED" in verified.stdout, verified.stdout + verified.stderr
    report = kengir_as(platform, "report", str(record), "--story", str(LETTERS))
    assert report.returncode == 0 and "Laiškas — tai viltis." in report.stdout
    summary = kengir_as(platform, "class-summary", str(record), "--names")
    assert summary.returncode == 0 and "Ona Žukauskaitė" in summary.stdout
    for result in (played, verified, report, summary):
        assert_clean(result)


def test_the_user_folder_is_the_systems_own() -> None:
    """Installed (not from a checkout), saves go where this system keeps an application's data
    (platformdirs; the CI workflow runs this on Linux, macOS and Windows)."""
    from game.session.paths import _user_data

    folder = _user_data()
    assert folder.is_absolute() and folder.name == "kengir" and folder.parent.name != "kengir"
