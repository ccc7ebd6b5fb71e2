"""Every command that prints story text, names or answers prints whatever its output can carry:
in cp1252 (Windows when output is piped or redirected) and in ASCII, letters the output lacks
are spelled readably, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.session.console import carries_everything, readable
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
LETTERS = FIXTURES / "letters"
ASSIGNMENT = FIXTURES / "letters_assignment.yaml"
ENCODINGS = ("cp1252", "ascii")


def kengir(encoding: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run(
        [sys.executable, "-m", "game", *args], input=stdin.encode(encoding, "replace"), capture_output=True, env=env, cwd=ROOT, timeout=120
    )


def output(result: subprocess.CompletedProcess[bytes], encoding: str) -> str:
    assert b"Traceback" not in result.stderr and b"UnicodeEncodeError" not in result.stderr, result.stderr.decode(encoding)
    return result.stdout.decode(encoding)  # decodes: nothing the encoding lacks was written


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A record of the letters story, with a Lithuanian name and answers (written as UTF-8)."""
    folder = tmp_path_factory.mktemp("records")
    played = subprocess.run(
        [
            sys.executable,
            "-m",
            "game",
            "play",
            "--plain",
            "--story",
            str(LETTERS),
            "--saves",
            str(folder / "saves"),
            "--records",
            str(folder),
            "--assignment",
            str(ASSIGNMENT),
            "--seed",
            "2",
        ],
        input="1\nOna Žukauskaitė\n1\n1\nKad dar gyva — ačiū.\n\nLaiškas — tai viltis.\n\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        cwd=ROOT,
        timeout=120,
    )
    assert played.returncode == 0, played.stderr
    [path] = folder.glob("*.json")
    assert json.loads(path.read_text(encoding="utf-8"))["student"] == "Ona Žukauskaitė", "records are UTF-8"
    return path


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_plain_player(encoding: str, tmp_path: Path) -> None:
    result = kengir(
        encoding,
        "play",
        "--plain",
        "--story",
        str(LETTERS),
        "--saves",
        str(tmp_path),
        "--seed",
        "1",
        "--intensity",
        "full",
        stdin="1\nnote laiskai\n",
    )
    text = output(result, encoding)
    assert result.returncode == 0
    assert readable("Kėdainiai", encoding) in text
    assert readable("«Кузнецов»", encoding) in text and "Kuznetsov" in text, "Cyrillic is transliterated"
    assert readable("Letters (laiškai)", encoding) in text
    assert readable("Go home to Šiauliai", encoding) in text
    saved = sorted(tmp_path.glob("autosave-*.json"))[-1].read_text(encoding="utf-8")
    assert "Keep the letter — „for later“" in saved, "saves stay UTF-8 whatever the output"


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_check(encoding: str) -> None:
    result = kengir(encoding, "check", str(LETTERS))
    assert result.returncode == 0
    assert readable("Laiškai — Листи", encoding) in output(result, encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_report_class_summary_and_verify(encoding: str, record: Path) -> None:
    report = kengir(encoding, "report", str(record), "--story", str(LETTERS))
    assert report.returncode == 0 and readable("Laiškas — tai viltis.", encoding) in output(report, encoding)
    summary = kengir(encoding, "class-summary", str(record), "--names")
    assert summary.returncode == 0 and readable("Ona Žukauskaitė", encoding) in output(summary, encoding)
    verified = kengir(encoding, "verify", str(record), "--story", str(LETTERS))
    assert verified.returncode == 0 and "VERIFIED" in output(verified, encoding)


def test_a_report_written_to_a_file_is_utf8_whatever_the_output(record: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    assert kengir("ascii", "report", str(record), "--story", str(LETTERS), "-o", str(target)).returncode == 0
    assert "Laiškas — tai viltis." in target.read_text(encoding="utf-8")


def test_letters_are_spelled_readably() -> None:
    assert readable("Panevėžys — «Кузнецов» said… № 3", "ascii") == 'Panevezys -- "Kuznetsov" said... No. 3'
    assert readable("Panevėžys — Щука", "cp1252") == "Panevežys — Shchuka", "cp1252 keeps what it has"
    assert readable("中", "ascii") == "?"
    assert carries_everything("utf-8") and carries_everything("UTF8") and not carries_everything("cp1252")
