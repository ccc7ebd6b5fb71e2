"""A save made on the story's first draft (tests/data/saves/first_draft_woman.json: the woman, six
choices in, written by `kengir play --plain` on the story as it stood before the second draft)
continues on the shipped story where it stood, and the plain player's --continue shows that
scene."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from game.format import load_story
from game.saves import restore
from game.session.paths import CHECKOUT
from tests.cli.test_cli import run_cli

SAVE = Path(__file__).parents[1] / "data" / "saves" / "first_draft_woman.json"


def test_a_first_draft_save_replays_on_the_second_draft_to_where_it_stood() -> None:
    data = json.loads(SAVE.read_text(encoding="utf-8"))
    run = restore(load_story(CHECKOUT / "story"), data["run"])
    assert run.state.scene == data["summary"]["scene"] == "strike.woman_night_out"
    assert [entry.text for entry in run.log] == [entry["text"] for entry in data["run"]["log"]]


def test_continue_resumes_a_first_draft_save(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    saves.mkdir()
    shutil.copy(SAVE, saves / "autosave-000007.json")
    code, out = run_cli("play", "--plain", "--continue", "--saves", str(saves), "--no-wrap", stdin="quit\n")
    assert code == 0 and "== Four languages ==" in out
