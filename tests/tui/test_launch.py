"""The launcher paints the title first and loads the story behind it (tests/bench measures why)."""

from __future__ import annotations

import argparse
import subprocess
import sys

from textual.widgets import Static

from game.session.player_files import Settings
from game.tui import launch as launch_module
from game.tui.app import KengirApp
from game.tui.screens.play import PlayScreen
from tests.tui.conftest import FIXTURE_STORY
from tests.tui.helpers import press


def _args(story, saves, **kwargs) -> argparse.Namespace:
    values = {"story": str(story), "saves": str(saves), "seed": 7, "perspective": None, "intensity": None, "resume": False}
    return argparse.Namespace(**{**values, **kwargs})


def _app(args: argparse.Namespace) -> KengirApp:
    settings = launch_module.story_settings_path(args)
    Settings(content_note_seen=True).save(settings)
    return KengirApp(None, None, settings, seed=args.seed, perspective=args.perspective, loader=launch_module.story_loader(args))


async def test_the_story_is_loaded_after_the_title_and_then_played(tmp_path):
    app = _app(_args(FIXTURE_STORY, tmp_path / "saves"))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.story is not None and app.store is not None
        assert str(app.screen.query_one("#game-title", Static).render()) == "Fixture: Three Days"
        await press(pilot, "n", "1")
        assert isinstance(app.screen, PlayScreen)


async def test_a_broken_story_ends_the_app_with_its_problems(tmp_path):
    (tmp_path / "story.yaml").write_text("story:\n  title: x\n  start: nowhere\n", encoding="utf-8")
    app = _app(_args(tmp_path, tmp_path / "saves"))
    async with app.run_test() as pilot:
        await pilot.pause()
    assert app.return_code == 1
    assert app.launch_error is not None and "nothing was played" in app.launch_error.message


async def test_an_unknown_perspective_ends_the_app(tmp_path):
    app = _app(_args(FIXTURE_STORY, tmp_path / "saves", perspective="nobody"))
    async with app.run_test() as pilot:
        await pilot.pause()
    assert app.return_code == 2 and "no perspective 'nobody'" in app.launch_error.message


def test_the_title_is_painted_before_the_engine_is_imported():
    code = (
        "import sys, game.cli, game.tui.launch, game.tui.app, game.tui.screens.title; "
        "ENGINE = [['game', 'model'], ['game', 'format'], ['game', 'runtime'], ['game', 'saves']]; "
        "print(sorted(m for m in sys.modules if m.split('.')[:2] in ENGINE or m == 'yaml'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
