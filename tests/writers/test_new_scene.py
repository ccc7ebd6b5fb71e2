"""`kengir new scene ID` puts the stub beside its neighbours, in their file and their act, or asks
when they are in several places; it never guesses an act from the wrong file."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from game.format import load_story
from game.session.paths import CHECKOUT
from tests.cli.test_cli import run_cli

FRAME = """\
story:
  title: Neighbours
  start: a.start
  acts:
    one: {title: One}
    two: {title: Two}
  places:
    yard: The yard
    roof: The roof
  endings:
    end: {title: The end, debrief: Done.}
"""


def scene(scene_id: str, act: str, place: str = "yard", date: str = "1954-05-16", goto: str = "a.end") -> str:
    return f"  {scene_id}:\n    act: {act}\n    date: {date}\n    place: {place}\n    title: T\n    text: T.\n    choices:\n      - text: Go\n        goto: {goto}\n"


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """thief.* scenes in two files and two acts (thief.end_* all in the second), a.* in one."""
    root = tmp_path / "story"
    (root / "thief").mkdir(parents=True)
    (root / "story.yaml").write_text(
        FRAME + "scenes:\n" + scene("a.start", "one", goto="thief.yard") + "  a.end:\n    act: two\n    date: 1954-06-26\n"
        "    place: yard\n    title: End\n    text: End.\n    ending: end\n"
    )
    (root / "thief" / "one.yaml").write_text(
        "scenes:\n" + scene("thief.yard", "one", goto="thief.roof") + scene("thief.store_night", "one", goto="thief.roof")
    )
    (root / "thief" / "two.yaml").write_text(
        "scenes:\n"
        + scene("thief.roof", "two", "roof", "1954-06-25", "thief.end_free")
        + scene("thief.end_free", "two", "roof", "1954-06-26")
    )
    assert load_story(root)
    return root


class Terminal(io.StringIO):
    """Standard input as a terminal: `kengir new` asks there."""

    def isatty(self) -> bool:
        return True


def files(root: Path) -> dict[Path, str]:
    return {path: path.read_text() for path in sorted(root.rglob("*.yaml"))}


def test_the_closest_neighbours_choose_the_file_and_the_act(story: Path) -> None:
    code, out = run_cli("new", "scene", "thief.end_caught", "--story", str(story))
    assert code == 0 and "thief/two.yaml, in act two" in out
    made = load_story(story).scenes["thief.end_caught"]
    assert (made.act, made.place, made.date) == ("two", "roof", "1954-06-26")  # from the neighbour
    assert Path(made.pos.file).name == "two.yaml"


def test_neighbours_in_several_places_are_listed_and_nothing_is_written(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = files(story)
    code, _ = run_cli("new", "scene", "thief.x", "--story", str(story))
    said = capsys.readouterr().err
    assert code == 1 and files(story) == before
    assert "the scenes whose ids start 'thief.' are in 2 places" in said and "--act" in said
    assert said.index("act one, in ") < said.index("act two, in ")  # in the order of the acts


def test_the_act_says_which_place(story: Path) -> None:
    code, _ = run_cli("new", "scene", "thief.x", "--act", "two", "--story", str(story))
    assert code == 0
    made = load_story(story).scenes["thief.x"]
    assert made.act == "two" and Path(made.pos.file).name == "two.yaml"
    code, _ = run_cli("new", "scene", "thief.end_y", "--act", "one", "--story", str(story))  # no thief.end_ in act one
    assert code == 0 and Path(load_story(story).scenes["thief.end_y"].pos.file).name == "one.yaml"


def test_the_file_says_which_place(story: Path) -> None:
    code, _ = run_cli("new", "scene", "thief.x", "--file", "thief/one.yaml", "--story", str(story))
    assert code == 0 and load_story(story).scenes["thief.x"].act == "one"


def test_at_a_terminal_the_writer_is_asked(story: Path) -> None:
    out = io.StringIO()
    from game.cli import main

    code = main(["new", "scene", "thief.x", "--story", str(story)], stdin=Terminal("3\nsecond\n2\n"), stdout=out)
    assert code == 0
    assert "1. act one, in " in out.getvalue() and "Which? (1-2)" in out.getvalue()
    assert load_story(story).scenes["thief.x"].act == "two"  # the second, once asked well


def test_an_id_like_no_other_asks_for_its_act(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run_cli("new", "scene", "kite.first", "--story", str(story))
    assert code == 1 and "no scene id is like 'kite.first'" in capsys.readouterr().err
    assert not (story / "scenes").exists()
    code, _ = run_cli("new", "scene", "kite.first", "--act", "two", "--story", str(story))
    assert code == 0 and load_story(story).scenes["kite.first"].act == "two"
    assert (story / "scenes" / "kite.yaml").is_file()


def test_an_act_that_does_not_exist_is_refused(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run_cli("new", "scene", "thief.x", "--act", "tow", "--story", str(story))
    assert code == 1 and "did you mean 'two'?" in capsys.readouterr().err


def test_a_thief_scene_in_the_shipped_story_is_not_guessed_into_the_assault_file(tmp_path: Path) -> None:
    copy = tmp_path / "story"
    shutil.copytree(CHECKOUT / "story", copy)
    before = files(copy)
    assert run_cli("new", "scene", "thief.x", "--story", str(copy))[0] == 1 and files(copy) == before
    # the thief's act III spans two files (the assault, and the killed ending): the act alone
    # does not say which, and the tool asks rather than guess
    assert run_cli("new", "scene", "thief.x", "--act", "assault", "--story", str(copy))[0] == 1 and files(copy) == before
    assert run_cli("new", "scene", "thief.x", "--act", "assault", "--file", "thief/assault_thief.yaml", "--story", str(copy))[0] == 0
    made = load_story(copy).scenes["thief.x"]
    assert made.act == "assault" and Path(made.pos.file).name == "assault_thief.yaml"
