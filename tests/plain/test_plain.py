"""The plain player: a scripted session reaches an ending and matches its expected transcript."""

from __future__ import annotations

import io
from pathlib import Path

from game.model import Story
from game.plain import PlainPlayer
from game.runtime import Run
from game.saves import SaveStore
from game.session.texts import plain_text, pretty_date
from tests.conftest import FixedClock

HERE = Path(__file__).parent


def session(story: Story, tmp_path: Path, script: str, **start) -> tuple[int, str, SaveStore]:
    store = SaveStore(tmp_path, clock=FixedClock())
    out = io.StringIO()
    code = PlainPlayer(story, Run.start(story, seed=1, **start), store, io.StringIO(script), out).play()
    return code, out.getvalue(), store


def test_scripted_session_matches_the_expected_transcript(mini: Story, tmp_path: Path) -> None:
    # ... then the ending: two reflection questions as the middle scene is left (one answered,
    # one not), the debrief, a note read after the end, the answers, and quitting.
    script = (
        "help\n3\n1\nnotes\nnote n1\nhistory\nundo\n9\nhello\nsave first try\nsaves\n2\n1\nA thought of mine.\n\n\nnote n2\nanswers\nquit\n"
    )
    code, transcript, store = session(mini, tmp_path, script)
    expected = (HERE / "mini_transcript.txt").read_text()
    assert code == 0
    assert transcript.replace(str(tmp_path), "<saves>") == expected
    assert "first try" in [s.slot for s in store.list()]


def test_end_of_input_saves_and_continue_resumes(mini: Story, tmp_path: Path) -> None:
    code, transcript, store = session(mini, tmp_path, "1\n")
    assert code == 0 and "Your game is saved" in transcript
    resumed = store.latest(mini)
    assert resumed is not None and resumed.state.visits["a.start"] == 2


def test_quit_saves(mini: Story, tmp_path: Path) -> None:
    code, transcript, store = session(mini, tmp_path, "2\nquit\n1\n")
    assert code == 0 and "Goodbye." in transcript
    latest = store.latest(mini)
    assert latest is not None and latest.scene.id == "b.mid"


def test_load_of_a_missing_save_says_so(mini: Story, tmp_path: Path) -> None:
    _, transcript, _ = session(mini, tmp_path, "load nothing\nsave ../x\n")
    assert "there is no such save" in transcript
    assert "cannot be a save name" in transcript


def test_summary_intensity(mini: Story, tmp_path: Path) -> None:
    _, transcript, _ = session(mini, tmp_path, "2\n", intensity="summary")
    assert "Something violent happens." in transcript and "Dept tech" not in transcript


def test_plain_text_removes_markup() -> None:
    assert plain_text("# Title\nA *quiet* and **loud** _word_.") == "Title\nA quiet and loud word."
    assert pretty_date("1954-05-17") == "17 May 1954" and pretty_date("1954-04") == "April 1954"
