"""The play screen: where and when, choices (digits, arrows, mouse), disabled ones, new notes,
stats, reflection, undo, autosave, scrolling, sizes."""

from __future__ import annotations

from textual.widgets import Static

from game.saves import SaveStore
from game.tui.screens.notes import NotesScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.choices import ChoiceList
from game.tui.widgets.reading import ReadingPane
from tests.tui.helpers import new_game, press


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_header_scene_text_and_choices(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        screen = app.screen
        assert text_of(screen, "#where") == "Prologue · 15 May 1954 · Barracks 4"
        assert text_of(screen, "#scene-title") == "Evening in the barracks"
        assert "whispering about the **yard**" in screen.query_one(ReadingPane).source
        choices = screen.query_one(ChoiceList)
        assert choices.option_count == 3 and choices.highlighted == 0 and choices.has_focus
        closed = choices.get_option_at_index(1)
        assert closed.disabled and "You are not ready for that yet." in str(closed.prompt)


async def test_a_disabled_choice_explains_itself_and_changes_nothing(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await press(pilot, "2")
        assert app.current_run.scene.id == "intro.woman" and not app.current_run.log
        assert isinstance(app.screen, PlayScreen)
        await press(pilot, "9")  # no such choice: nothing happens
        assert app.current_run.scene.id == "intro.woman"


async def test_mouse_click_picks_a_choice(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        choices = app.screen.query_one(ChoiceList)
        await pilot.click(ChoiceList, offset=(4, 3))  # the border, then options 1, 2, 3
        await pilot.pause()
        assert app.current_run.log and app.current_run.log[0].text == "Go to sleep", choices


async def test_new_note_line_and_n_opens_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        line = app.screen.query_one("#new-note", Static)
        assert line.display and "New note: Steplag's third division. Press n" in str(line.render())
        source = app.screen.query_one(ReadingPane).source
        assert "◆ *New note (n):* **Steplag's third division**" in source, "named beside its paragraph"
        await press(pilot, "n")
        assert isinstance(app.screen, NotesScreen) and app.screen.note_id == "kengir_camp"
        await press(pilot, "escape")
        assert not line.display, "a note read leaves the new-notes line"
        assert "◇ *Note, read:* Steplag's third division" in app.screen.query_one(ReadingPane).source
        await press(pilot, "1")  # the next scene unlocks nothing
        assert app.current_run.scene.id == "intro.listen" and not app.current_run.new_notes
        await pilot.pause()
        assert not app.screen.query_one("#new-note", Static).display
        await press(pilot, "n")
        assert isinstance(app.screen, PlayScreen)


async def test_stats_panel_shows_on_wide_terminals_only(make_app):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await new_game(pilot)
        stats = app.screen.query_one("#stats")
        assert stats.display and "Resolve" in str(stats.render()) and "1 / 5" in str(stats.render())
        await press(pilot, "1")
        assert "2 / 5" in str(stats.render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not stats.display
        assert app.current_run.scene.id == "intro.listen"  # resizing never loses the place
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert stats.display


async def test_a_reflection_question_is_asked_as_the_player_leaves_the_scene(make_app):
    """Never between a scene's text and its choices: the act's question comes due in the yard,
    and is asked when the player has chosen there, before the choice takes them on."""
    from game.tui.screens.reflection import ReflectionScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await press(pilot, "3")  # Go to sleep: the prologue ends, its question comes due
        assert app.current_run.scene.id == "strike.yard" and isinstance(app.screen, PlayScreen)
        assert "Whom did you trust" not in app.screen.query_one(ReadingPane).source
        await press(pilot, "1")
        assert isinstance(app.screen, ReflectionScreen) and "Whom did you trust on the first night" in app.screen.question
        assert app.current_run.scene.id == "strike.yard", "the choice waits for the question"
        await press(pilot, *"Olena.", "ctrl+s")
        assert app.current_run.scene.id != "strike.yard" and app.current_run.answers["intro.trust"].text == "Olena."


async def test_undo_and_autosave(make_app, story, saves):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        run = app.current_run
        assert not run.can_undo and app.screen.check_action("undo", ()) is None  # dimmed in the Footer
        await press(pilot, "1")
        assert run.scene.id == "intro.listen"
        app.flush_saves()  # (written on a thread once the frame is drawn: wait for it, as quitting does)
        assert SaveStore(saves).latest(story).scene.id == "intro.listen"
        await press(pilot, "u")
        assert run.scene.id == "intro.woman" and not run.log
        app.flush_saves()
        assert SaveStore(saves).latest(story).scene.id == "intro.woman"
        await press(pilot, "u")  # nothing left to undo: no crash
        assert run.scene.id == "intro.woman" and isinstance(app.screen, PlayScreen)


async def test_a_choice_autosaved_just_before_quitting_is_on_disk(make_app, story, saves, monkeypatch):
    """The autosave is handed to its writer thread once the frame is drawn; quitting before
    that frame comes (a choice and ctrl+q in one breath, a screen closed before it repaints)
    still writes it."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        monkeypatch.setattr(app, "call_after_refresh", lambda *args, **kwargs: True)  # the frame never comes
        app.choose(0)
        scene = app.current_run.scene.id
        app.exit()
    assert scene == "intro.listen"
    assert SaveStore(saves).latest(story).scene.id == scene


async def test_page_keys_scroll_the_text_while_choices_keep_focus(make_app, story):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await new_game(pilot)
        pane = app.screen.query_one(ReadingPane)
        pane.show("\n\n".join(f"Paragraph {i}." for i in range(60)))
        await pilot.pause()
        await press(pilot, "pagedown")
        assert pane.scroll_y > 0
        assert app.screen.query_one(ChoiceList).has_focus


async def test_escape_goes_to_the_title_and_continue_returns(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await press(pilot, "1", "escape")
        assert isinstance(app.screen, TitleScreen)
        await press(pilot, "c")
        assert isinstance(app.screen, PlayScreen) and app.current_run.scene.id == "intro.listen"


async def test_everything_needed_fits_at_60_by_20(make_app):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await new_game(pilot)
        screen = app.screen
        for selector in ("#where", "#scene-title", "#new-note", "#choices", "Footer"):
            region = screen.query_one(selector).region
            assert region.height > 0 and region.bottom <= 20 and region.right <= 60, selector
        choices = screen.query_one(ChoiceList)
        assert choices.region.height >= choices.option_count + 2  # every choice visible, with its border


async def test_an_unexpected_error_is_one_line_and_the_run_is_kept(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        run = app.current_run

        def broken(*args, **kwargs):
            raise KeyError("missing_note")

        monkeypatch.setattr(type(run), "take", broken)
        await press(pilot, "1")
        assert app.current_run is run and isinstance(app.screen, PlayScreen)
        assert any("Something went wrong" in n.message for n in app._notifications)


QUIT_WHILE_A_SAVE_FAILS = """
import asyncio, sys
from pathlib import Path
from textual import messages
from game.format import load_story
from game.saves import SaveStore
from game.session.player_files import Settings
from game.tui.app import KengirApp
from tests.tui.helpers import new_game

work = Path(sys.argv[1])
blocker = work / "not-a-folder"
blocker.write_text("a file where the save folder should be", encoding="utf-8")
settings = work / "meta" / "settings.json"
Settings(content_note_seen=True).save(settings)
app = KengirApp(load_story(Path(sys.argv[2])), SaveStore(blocker / "saves"), settings, seed=7, perspective="woman")

async def play_then_quit():
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        app.call_after_refresh = lambda *args, **kwargs: True  # the frame never comes
        app.choose(0)  # its autosave waits until the app closes, and then fails
        app.post_message(messages.ExitApp())
        await pilot.pause()

asyncio.run(play_then_quit())
print("closed")
"""


def test_quitting_while_an_autosave_fails_does_not_hang(tmp_path):
    """A save that cannot be written (a full disk, a folder gone) is reported from the writer
    thread without waiting on the event loop, which may itself be waiting for that thread as
    the app closes (the browser's quit message, SIGTERM). In a process of its own: a hang
    fails the test instead of stopping the suite."""
    import subprocess
    import sys
    from pathlib import Path

    from tests.tui.conftest import FIXTURE_STORY

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", QUIT_WHILE_A_SAVE_FAILS, str(tmp_path), str(FIXTURE_STORY)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "closed" in result.stdout, result.stdout + result.stderr
