"""An assigned session in the terminal game, keyboard only: the name, the questions in a text
area, undo switched off, the header's progress, the record at the end (and that it verifies),
revising an answer, Continue skipping a finished run; and --from/--set for writers."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea

from game.classroom import verify_record
from game.format import load_assignment
from game.saves import restore
from game.tui.launch import LaunchError, session_options
from game.tui.screens.finished import FinishedScreen
from game.tui.screens.name import NameScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.reflection import ReflectionScreen, ReflectionsScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.reading import ReadingPane
from tests.tui.conftest import FIXTURE_STORY
from tests.tui.helpers import press

ASSIGNMENT = Path(__file__).parent / "fixture_assignment.yaml"


def keys(text: str) -> list[str]:
    """Pilot key names for typing `text` (a space is the key 'space')."""
    return ["space" if c == " " else c for c in text]


@pytest.fixture
def assignment(story):
    return load_assignment(ASSIGNMENT, story)


async def type_name(pilot, name: str) -> None:
    assert isinstance(pilot.app.screen, NameScreen), pilot.app.screen
    await pilot.press(*keys(name))
    await press(pilot, "enter")


async def answer(pilot, text: str) -> None:
    assert isinstance(pilot.app.screen, ReflectionScreen), pilot.app.screen
    assert pilot.app.screen.query_one(TextArea).has_focus
    await pilot.press(*keys(text))  # typing needs no pause between keys
    await press(pilot, "ctrl+s")


async def play_to_the_end(pilot) -> None:
    """Title → name → first question → a choice → the two questions of the act's end."""
    app = pilot.app
    await press(pilot, "n")
    assert isinstance(app.screen, NameScreen)  # one perspective allowed: not asked
    assert app.screen.query_one(Input).has_focus
    await type_name(pilot, "Ada Marx")
    assert app.current_run.student == "Ada Marx" and app.current_run.perspective == "woman"
    assert isinstance(app.screen, PlayScreen)  # the scene is read first; its question comes with the choice
    await press(pilot, "3")  # Go to sleep
    assert str(app.screen.query_one("#question", Static).render()) == "What do you notice first in the barracks?"
    await answer(pilot, "The whisper")
    assert app.current_run.finished  # the choice was taken after the answer: the prologue is over
    await answer(pilot, "Nobody")
    await answer(pilot, "Everything")
    assert isinstance(app.screen, FinishedScreen), app.screen


async def test_an_assigned_session_from_the_title_to_its_record(make_app, assignment, story, tmp_path):
    records = tmp_path / "records"
    app = make_app(assignment=assignment, records=records)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "n")
        await type_name(pilot, "Ada Marx")
        run = app.current_run
        assert run.intensity == "summary"  # fixed by the teacher
        header = str(app.screen.query_one("#assignment", Static).render())
        assert header == "Assignment: The first night — act 1 of 1 · Ada Marx"
        # undo: false: no key, no palette entry, and u does nothing
        assert app.screen.check_action("undo", ()) is False
        await press(pilot, "1")
        await answer(pilot, "The whisper")
        assert run.scene.id == "intro.listen"
        assert app.screen.check_action("undo", ()) is False
        await press(pilot, "u")
        assert run.scene.id == "intro.listen"
        assert "Undo" not in [c.title for c in app.get_system_commands(app.screen)]
        await press(pilot, "2")  # Stay inside: the prologue ends
        await answer(pilot, "Nobody")
        await answer(pilot, "Everything")
        assert isinstance(app.screen, FinishedScreen)
        [path] = records.glob("*.json")
        assert app.record_path == path
        assert str(path) in str(app.screen.query_one("#record-line", Static).render())
        assert "You made 2 choices and answered 3 questions." in app.screen.query_one(ReadingPane).source
        record = json.loads(path.read_text(encoding="utf-8"))
        assert record["student"] == "Ada Marx" and record["assignment"]["id"] == "fixture_prologue"
        assert [r["answer"] for r in record["reflections"]] == ["The whisper", "Nobody", "Everything"]
        assert verify_record(story, record) == []


async def test_revising_an_answer_rewrites_the_same_record_and_continue_skips_it(make_app, assignment, story, tmp_path):
    records = tmp_path / "records"
    app = make_app(assignment=assignment, records=records)
    async with app.run_test(size=(80, 24)) as pilot:
        await play_to_the_end(pilot)
        await press(pilot, "r")
        assert isinstance(app.screen, ReflectionsScreen)
        await press(pilot, "enter")  # the first question
        assert app.screen.query_one(TextArea).text == "The whisper"
        await pilot.press("end", *keys(" of the yard"))
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ReflectionsScreen)
        assert app.current_run.answers["assignment.1"].text == "The whisper of the yard"
        [path] = records.glob("*.json")
        record = json.loads(path.read_text(encoding="utf-8"))
        answers = {r["prompt"]: r["answer"] for r in record["reflections"]}
        assert answers["assignment.1"] == "The whisper of the yard" and len(answers) == 3
        assert verify_record(story, record) == []
        # The session is over: the title's Continue skips it (SaveInfo cannot tell; the run can).
        await press(pilot, "escape", "enter")
        assert isinstance(app.screen, TitleScreen) and app.continuable_run() is None
        await press(pilot, "c")
        assert isinstance(app.screen, TitleScreen)


async def test_a_skipped_question_waits_in_reflections(make_app, assignment):
    app = make_app(assignment=assignment)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "n")
        await type_name(pilot, "Ada")
        await press(pilot, "1", "escape")  # the question of the first scene, skipped
        assert isinstance(app.screen, PlayScreen) and not app.current_run.answers
        assert app.current_run.scene.id == "intro.listen"  # the choice was still taken
        await press(pilot, "r", "enter")
        await answer(pilot, "Later")
        assert app.current_run.answers["assignment.1"].text == "Later"


async def test_a_skipped_question_is_still_in_reflections_after_continue(make_app, assignment, story):
    """The run keeps which questions were asked: a run rebuilt from its save (as Continue
    does) still offers the skipped one in Reflections."""
    app = make_app(assignment=assignment)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "n")
        await type_name(pilot, "Ada")
        await press(pilot, "1", "escape")  # the question of the first scene, skipped
        app.show_run(restore(story, json.loads(json.dumps(app.current_run.to_dict()))))
        await pilot.pause()
        assert "assignment.1" in [p.id for p in app.reflection_prompts()]
        assert [p.id for p in app.current_run.unanswered] == ["assignment.1"]
        await press(pilot, "r", "enter")
        await answer(pilot, "Later")
        assert app.current_run.answers["assignment.1"].text == "Later" and not app.current_run.unanswered


async def test_the_record_is_offered_as_a_download_in_a_browser(make_app, assignment, tmp_path, monkeypatch):
    delivered = []
    app = make_app(assignment=assignment, records=tmp_path / "records")
    monkeypatch.setattr(type(app), "is_web", property(lambda self: True))
    monkeypatch.setattr(app, "deliver_text", lambda file, **kw: delivered.append((file.read(), kw)))
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "n")
        await type_name(pilot, "Ada")
        await app.run_action("write_record")
        await pilot.pause()
        [(text, kw)] = delivered
        assert kw["save_filename"] == app.record_path.name and json.loads(text)["student"] == "Ada"


async def test_in_a_browser_the_end_screen_names_the_download_not_the_servers_path(make_app, assignment, tmp_path, monkeypatch):
    app = make_app(assignment=assignment, records=tmp_path / "records")
    monkeypatch.setattr(type(app), "is_web", property(lambda self: True))
    monkeypatch.setattr(app, "deliver_text", lambda file, **kw: None)
    async with app.run_test(size=(80, 24)) as pilot:
        await play_to_the_end(pilot)
        said = str(app.screen.query_one("#record-line", Static).render())
        assert app.record_path.name in said and "downloaded by your browser" in said
        assert str(app.record_path.parent) not in said  # a folder on the server means nothing to the student


async def test_from_and_set_start_a_writer_at_a_scene(make_app):
    app = make_app(start="strike.days", variables={"resolve": 4})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        run = app.current_run
        assert run.scene.id == "strike.days" and run.state.vars["resolve"] == 4


def launch_args(tmp_path, **over) -> argparse.Namespace:
    values = dict(
        story=str(FIXTURE_STORY),
        saves=str(tmp_path / "saves"),
        assignment=None,
        name=None,
        records=None,
        start=None,
        assign=[],
        perspective=None,
    )
    values.update(over)
    return argparse.Namespace(**values)


def test_the_launcher_reads_the_assignment_and_the_writers_options(story, tmp_path, monkeypatch):
    monkeypatch.delenv("KENGIR_RECORDS", raising=False)
    monkeypatch.delenv("KENGIR_RELOAD", raising=False)
    options = session_options(
        launch_args(tmp_path, assignment=str(ASSIGNMENT), name="Ada", start="strike.days", assign=["resolve=4", "brave=true"])
    )(story)
    assert options["assignment"].id == "fixture_prologue" and options["student"] == "Ada"
    assert options["variables"] == {"resolve": 4, "brave": True} and options["start"] == "strike.days"
    assert options["records"] == tmp_path / "saves" / "records" and options["watch"] == FIXTURE_STORY
    monkeypatch.setenv("KENGIR_RELOAD", "off")
    assert session_options(launch_args(tmp_path))(story)["watch"] is None


@pytest.mark.parametrize(
    ("over", "code", "says"),
    [
        ({"assign": ["resolve=lots"]}, 2, "resolve is a whole number"),
        ({"start": "strike.nowhere"}, 2, "no scene 'strike.nowhere'"),
        ({"assignment": "BAD"}, 1, "bad.yaml:4:"),
    ],
)
def test_the_launcher_refuses_bad_options_in_one_line(story, tmp_path, over, code, says):
    if over.get("assignment") == "BAD":
        bad = tmp_path / "bad.yaml"
        bad.write_text("assignment:\n  id: x\n  title: X\n  until: nowhere\n", encoding="utf-8")
        over = {"assignment": str(bad)}
    with pytest.raises(LaunchError) as caught:
        session_options(launch_args(tmp_path, **over))(story)
    assert caught.value.code == code and says in caught.value.message
