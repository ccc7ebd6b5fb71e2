"""Save and load: named slots, the list with scene, date and perspective, load, delete with
confirmation; and the launcher's refusal of a broken story."""

from __future__ import annotations

import argparse

import pytest
from textual.widgets import Input, OptionList

from game.saves import SaveStore
from game.tui import launch as launch_module
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.saves import SavesScreen
from game.tui.screens.title import TitleScreen
from tests.tui.helpers import new_game, press


async def test_save_under_a_name_then_load_it(make_app, story, saves):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await press(pilot, "1", "s")
        assert isinstance(app.screen, SavesScreen)
        assert app.screen.query_one(Input).has_focus
        await press(pilot, *"before yard", "enter")
        assert SaveStore(saves).load("before yard", story).scene.id == "intro.listen"
        menu = app.screen.query_one(OptionList)
        listed = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        named = next(line for line in listed if line.startswith("before yard"))
        assert "The whisper" in named and "16 May 1954" in named and "The woman of lagpunkt 1" in named
        # Play on past the save; leaving the yard, the act's question (escape: later).
        await press(pilot, "escape", "2", "2", "escape")
        assert app.current_run.scene.id == "strike.days"
        await press(pilot, "l")
        assert isinstance(app.screen, SavesScreen)
        menu = app.screen.query_one(OptionList)
        menu.highlighted = menu.get_option_index("before yard")
        await press(pilot, "enter")
        assert isinstance(app.screen, PlayScreen)
        assert app.current_run.scene.id == "intro.listen" and len(app.current_run.log) == 1
        assert len(app.screen_stack) == 2  # title, play: nothing left over


async def test_a_bad_name_is_refused_in_one_line(make_app, saves):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await press(pilot, "s", *"con", "enter")
        assert isinstance(app.screen, SavesScreen)
        assert any("reserved name" in n.message for n in app._notifications)
        assert not (saves / "con.json").exists()


async def test_delete_asks_first(make_app, story, saves):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        SaveStore(saves).save(app.current_run, "keep me")
        await press(pilot, "s", "tab")
        menu = app.screen.query_one(OptionList)
        assert menu.has_focus
        menu.highlighted = menu.get_option_index("keep me")
        await press(pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert "keep me" in [i.slot for i in SaveStore(saves).list()]
        await press(pilot, "d", "y")
        assert isinstance(app.screen, SavesScreen)
        assert "keep me" not in [i.slot for i in SaveStore(saves).list()]


async def test_load_from_the_title(make_app, story, saves):
    first = make_app()
    async with first.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await press(pilot, "3")
        SaveStore(saves).save(first.current_run, "slot1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "l")
        assert isinstance(app.screen, SavesScreen) and not app.screen.query(Input)
        menu = app.screen.query_one(OptionList)
        menu.highlighted = menu.get_option_index("slot1")
        await press(pilot, "enter")
        assert isinstance(app.screen, PlayScreen) and app.current_run.scene.id == "strike.yard"
        await press(pilot, "escape")
        assert isinstance(app.screen, TitleScreen)


def test_launch_refuses_a_broken_story(tmp_path, capsys):
    (tmp_path / "story.yaml").write_text("story:\n  title: x\n  start: nowhere\n", encoding="utf-8")
    args = argparse.Namespace(story=str(tmp_path), saves=str(tmp_path / "saves"), seed=None, perspective=None, intensity=None, resume=False)
    with pytest.raises(launch_module.LaunchError) as caught:
        launch_module.story_loader(args)()  # what the app calls once its title is painted
    assert caught.value.code == 1 and "nothing was played" in caught.value.message


def test_launch_builds_the_app_from_the_arguments(tmp_path, monkeypatch):
    from game.tui.app import KengirApp

    built = []
    monkeypatch.setattr(KengirApp, "run", lambda self: built.append(self))  # never a real terminal here
    args = argparse.Namespace(
        story="tests/tui/fixture_story", saves=str(tmp_path / "saves"), seed=3, perspective="woman", intensity="summary", resume=True
    )
    assert launch_module.launch(args) == 0
    app = built[0]
    assert (app.seed, app.perspective_arg, app.intensity_arg, app.resume) == (3, "woman", "summary", True)
    assert app.settings_path == tmp_path / "saves" / "meta" / "settings.json"
