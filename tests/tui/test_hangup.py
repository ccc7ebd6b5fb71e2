"""A terminal that hangs up without SIGHUP: the game leaves, its run saved, instead of spinning."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
import tty
from pathlib import Path

import pytest

from game.tui.hangup import hang_up_check, watch_method

ROOT = Path(__file__).resolve().parents[2]
STORY = Path(__file__).parent / "fixture_story"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals: Linux and macOS (the CI workflow runs it on both)")


def test_hung_up_is_seen_without_reading_the_terminal() -> None:
    """With this system's own method (poll on Linux, select on macOS: two sightings)."""
    master, slave = os.openpty()
    tty.setraw(slave)  # keys one by one, as the game reads them
    try:
        hung_up = hang_up_check(slave, watch_method())
        assert hung_up is not None
        os.write(master, b"x")  # a key waiting: the check must not take it
        assert not hung_up() and not hung_up()
        assert os.read(slave, 1) == b"x", "the waiting key was left where it was"
        os.close(master)
        assert hung_up() or hung_up()
    finally:
        os.close(slave)


def _read_until(master: int, text: bytes, output: bytearray, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while text not in output:
        assert time.monotonic() < deadline, f"{text!r} never appeared; the screen ends {bytes(output[-300:])!r}"
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            output += os.read(master, 65536)


def test_the_game_saves_and_leaves_when_its_terminal_goes_away(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    master, slave = os.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "KENGIR_CACHE": "off", "PYTHONPATH": str(ROOT)}
    # A new session and no controlling terminal: closing the terminal sends no SIGHUP.
    game = subprocess.Popen(
        [sys.executable, "-m", "game", "--story", str(STORY), "--saves", str(saves)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=str(ROOT),
        start_new_session=True,
    )
    os.close(slave)
    output = bytearray()
    try:
        for wait_for, key in ((b"New game", b"n"), (b"Before you begin", b"1"), (b"Who are you?", b"1")):
            _read_until(master, wait_for, output)  # the title, the content note, the opening scene
            time.sleep(0.3)
            os.write(master, key)
        _read_until(master, b"Undo", output)  # the play screen's keys
        time.sleep(0.5)
        os.write(master, b"1")  # a second choice (the opening scene's was the first), autosaved
        deadline = time.monotonic() + 20
        while _autosaved_choices(saves) < 2:
            assert time.monotonic() < deadline, "the choice was never autosaved"
            time.sleep(0.2)
        os.close(master)  # the terminal goes away
        master = -1
        assert game.wait(timeout=20) == 0, "the game left as if the player had quit"
        assert _autosaved_choices(saves) == 2, "and its run is kept"
    finally:
        if master != -1:
            os.close(master)
        if game.poll() is None:
            game.kill()
            game.wait()


def _autosaved_choices(saves: Path) -> int:
    autosaves = sorted(saves.glob("autosave-*.json"))
    if not autosaves:
        return 0
    return len(json.loads(autosaves[-1].read_text())["run"]["log"])
