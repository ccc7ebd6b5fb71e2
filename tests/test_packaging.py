"""The wheel carries the story, and an installed game finds it and saves in the user's data folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = work.glob("kengir-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "game/story/story.yaml" in names and any(n.startswith("game/story/scenes/") for n in names)
    target = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True, capture_output=True
    )
    return target


def run_installed(target: Path, tmp_path: Path, args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KENGIR_")}
    env["PYTHONPATH"] = str(target)  # the installed copy first; its dependencies come from this environment
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    return subprocess.run(
        [sys.executable, "-m", "game", *args],
        cwd=tmp_path,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_installed_game_finds_its_story(installed: Path, tmp_path: Path) -> None:
    result = run_installed(installed, tmp_path, ["check"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert str(installed / "game" / "story") in result.stdout


def test_installed_game_saves_under_user_data(installed: Path, tmp_path: Path) -> None:
    result = run_installed(
        installed, tmp_path, ["play", "--plain", "--seed", "1"], stdin="1\nquit\n"
    )  # 1: full scenes, at the content note
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "data" / "kengir" / "saves").glob("autosave-*.json"))
    assert not (tmp_path / "saves").exists()
