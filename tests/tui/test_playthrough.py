"""Whole games with the keyboard only: to an ending, and quitting mid-run then Continue."""

from __future__ import annotations

from game.saves import SaveStore
from game.tui.screens.content_note import ContentNoteScreen
from game.tui.screens.ending import EndingScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.reflection import ReflectionScreen
from game.tui.screens.title import TitleScreen
from tests.tui.helpers import new_game, press


async def test_keyboard_playthrough_to_an_ending(make_app, saves):
    app = make_app(noted=False, perspective=None)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        await press(pilot, "enter")  # New game is highlighted when there is nothing to continue
        assert isinstance(app.screen, ContentNoteScreen)
        await press(pilot, "2")  # summaries of violent scenes
        assert isinstance(app.screen, PlayScreen), "the story's opening scene, where the player chooses whom to follow"
        run = app.current_run
        assert run.scene.id == "intro.choose" and run.intensity == "summary"
        await press(pilot, "enter")  # the woman
        assert run.scene.id == "intro.woman"
        await press(pilot, "1")  # listen: digits pick directly
        await press(pilot, "down", "enter")  # arrows and Enter: "Stay inside"
        assert run.scene.id == "strike.yard"
        assert "Soldiers fire into the yard" in app.screen.query_one("#scene-text").source  # the summary
        await press(pilot, "2")  # leaving the yard: the prologue's question first
        assert isinstance(app.screen, ReflectionScreen)
        await press(pilot, "escape", "2")  # later, then: slip out with the transfer column
        assert isinstance(app.screen, EndingScreen)
        assert run.ended is not None and run.ended.id == "transferred"
        assert [e.scene for e in run.log] == ["intro.choose", "intro.woman", "intro.listen", "strike.yard", "strike.days"]
        assert [e.text for e in run.log][2] == "Stay inside"
        text = app.screen.query_one("#ending-text").source
        assert "What really happened" in text and "Choices made: **5**" in text
        assert "Endings found on this machine: **1 of 2**" in text
        await press(pilot, "enter")
        assert isinstance(app.screen, TitleScreen)
    assert app.settings.content_note_seen and app.settings.intensity == "summary"
    assert (saves / "meta" / "endings.json").read_text(encoding="utf-8") == '["transferred"]'


async def test_the_content_note_is_shown_only_before_the_first_game(make_app):
    app = make_app(noted=False, perspective=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "n")
        assert isinstance(app.screen, ContentNoteScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, TitleScreen) and app.current_run is None
        await press(pilot, "n", "1", "escape")  # read it, then back from the opening scene to the title
        assert isinstance(app.screen, TitleScreen)
        await press(pilot, "n")
        assert isinstance(app.screen, PlayScreen) and app.current_run.scene.id == "intro.choose"


async def test_an_assignment_that_starts_later_skips_the_opening_scene(make_app, tmp_path):
    from game.format import load_assignment

    path = tmp_path / "a.yaml"
    path.write_text("assignment:\n  id: part\n  title: Part\n  from: strike\n", encoding="utf-8")
    app = make_app(perspective=None)
    async with app.run_test(size=(80, 24)) as pilot:
        app.assignment = load_assignment(path, app.story)
        await press(pilot, "n")  # the story's one perspective: nothing to ask
        assert isinstance(app.screen, PlayScreen) and app.current_run.scene.id == "strike.yard"
        assert app.current_run.caught_up is not None  # the opening's choice drawn, and the student told
        assert [n.title for n in app._notifications] == ["Starting later in the story"]


async def test_quit_mid_run_then_continue_resumes_the_same_scene(make_app, story, saves):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await press(pilot, "1", "1")
        scene, log = app.current_run.scene.id, len(app.current_run.log)
        await press(pilot, "ctrl+q")
    assert scene == "strike.yard"
    assert SaveStore(saves).latest(story).scene.id == scene

    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        assert isinstance(again.screen, TitleScreen)
        await press(pilot, "enter")  # Continue is highlighted when there is an autosave
        assert isinstance(again.screen, PlayScreen)
        assert again.current_run.scene.id == scene and len(again.current_run.log) == log


async def test_continue_flag_resumes_at_once(make_app):
    first = make_app()
    async with first.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await press(pilot, "3")
    app = make_app(resume=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.current_run.scene.id == "strike.yard"


async def test_perspective_flag_skips_the_choice(make_app):
    app = make_app(perspective="woman")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "n")
        assert isinstance(app.screen, PlayScreen) and app.current_run.perspective == "woman"
