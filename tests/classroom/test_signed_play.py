"""`kengir play --sign-key FILE`: how `kengir serve` has its games sign their records.

The game reads the server's key at start and signs each record of an assigned session with it;
without the option the record is unsigned. A bad key file stops the game with one line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from game.classroom.record import verify_record
from game.classroom.signature import check_signature, load_key, load_or_create_key
from game.format import load_story

ROOT = Path(__file__).resolve().parents[2]
LOOP_STORY = ROOT / "tests" / "bench" / "loop_story"
ASSIGNMENT = ROOT / "tests" / "web" / "loop_assignment.yaml"


def play_plain(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "game", "play", "--plain", "--story", str(LOOP_STORY), "--assignment", str(ASSIGNMENT)]
    argv += ["--saves", str(tmp_path / "saves"), "--records", str(tmp_path / "records"), *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KENGIR_CACHE": "off"}
    # The content note, the name, Leave, the answer.
    return subprocess.run(argv, input="1\nAda\n2\nA stove.\n", capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)


def test_a_record_played_with_the_servers_key_is_signed_and_still_verifies(tmp_path: Path) -> None:
    key_file = tmp_path / "lab.key"
    key = load_or_create_key(key_file)
    result = play_plain(tmp_path, "--sign-key", str(key_file))
    assert result.returncode == 0, result.stderr
    [path] = (tmp_path / "records").glob("*.json")
    record = json.loads(path.read_text())
    assert check_signature(record, key)[0]
    assert verify_record(load_story(LOOP_STORY), record) == [], "the signature leaves the digest and the replay as they were"
    record["reflections"][0]["answer"] = "A tank."
    assert not check_signature(record, load_key(key_file))[0]


def test_without_the_key_the_record_is_unsigned(tmp_path: Path) -> None:
    assert play_plain(tmp_path).returncode == 0
    [path] = (tmp_path / "records").glob("*.json")
    assert "signature" not in json.loads(path.read_text())


def test_a_key_file_that_is_not_a_key_stops_the_game_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "lab.key"
    bad.write_text("not a key\n")
    result = play_plain(tmp_path, "--sign-key", str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith(f"kengir: {bad}: not a Kengir key file") and result.stderr.count("\n") == 1
    assert not (tmp_path / "records").exists()
