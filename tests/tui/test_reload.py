"""Live reload: an edited story file is reloaded while the game runs; a broken one shows its
errors at file:line:col and leaves the run where it was."""

from __future__ import annotations

import shutil

import pytest
from textual.widgets import Static

from game.format import load_story
from game.saves import SaveStore
from game.session.player_files import Settings
from game.tui.app import KengirApp
from game.tui.screens.play import PlayScreen
from game.tui.screens.story_errors import StoryErrorsScreen
from game.tui.widgets.reading import ReadingPane
from tests.tui.conftest import FIXTURE_STORY
from tests.tui.helpers import new_game


@pytest.fixture
def writer_app(tmp_path):
    """An app over a copy of the fixture story that a test may edit, polled every 0.1 s."""
    root = tmp_path / "story"
    shutil.copytree(FIXTURE_STORY, root)
    settings = tmp_path / "saves" / "meta" / "settings.json"
    Settings(content_note_seen=True).save(settings)
    app = KengirApp(load_story(root), SaveStore(tmp_path / "saves"), settings, seed=7, perspective="woman", watch=root, reload_interval=0.1)
    return app, root / "scenes" / "intro.yaml"


async def wait_for(pilot, condition, seconds: float = 3.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition()


async def test_an_edited_scene_shows_its_new_text_where_the_run_is(writer_app):
    app, intro = writer_app
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await pilot.press("1")  # the whisper
        await pilot.pause()
        intro.write_text(
            intro.read_text(encoding="utf-8").replace("They say the thieves", "They say tonight the thieves"), encoding="utf-8"
        )
        await wait_for(pilot, lambda: "They say tonight" in app.screen.query_one(ReadingPane).source)
        run = app.current_run
        assert run.scene.id == "intro.listen" and len(run.log) == 1 and run.story is app.story
        assert isinstance(app.screen, PlayScreen)


async def test_a_broken_file_shows_its_errors_and_the_run_stays(writer_app):
    app, intro = writer_app
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        run, story = app.current_run, app.story
        good = intro.read_text(encoding="utf-8")
        intro.write_text(good.replace("goto: intro.listen", "goto: intro.nowhere"), encoding="utf-8")
        await wait_for(pilot, lambda: isinstance(app.screen, StoryErrorsScreen) and app.screen.query("#story-errors"))
        errors = str(app.screen.query_one("#story-errors", Static).render())
        line = next(n for n, text in enumerate(good.splitlines(), 1) if "goto: intro.listen" in text)
        assert f"intro.yaml:{line}:" in errors and "intro.nowhere" in errors
        assert app.current_run is run and app.story is story and run.scene.id == "intro.woman"
        intro.write_text(good.replace("The lights go out at ten.", "The lights go out at eleven."), encoding="utf-8")
        await wait_for(pilot, lambda: isinstance(app.screen, PlayScreen))
        await wait_for(pilot, lambda: "at eleven" in app.screen.query_one(ReadingPane).source)


async def test_a_run_that_no_longer_fits_is_kept_and_says_where(writer_app):
    app, intro = writer_app
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await pilot.press("1")
        await pilot.pause()
        run = app.current_run
        intro.write_text(
            intro.read_text(encoding="utf-8").replace("Listen to the whispering", "Ask what the whispering is"), encoding="utf-8"
        )
        await wait_for(pilot, lambda: any("no longer offers" in n.message for n in app._notifications))
        assert app.current_run is run and run.scene.id == "intro.listen"
