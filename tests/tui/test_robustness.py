"""Unexpected errors become one line and a log; thousands of random keys, clicks and resizes never
crash the game, and the run and its saves stay consistent (issue 10)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from game.format import load_story
from game.saves import SaveStore, restore
from game.tui.app import KengirApp

FIXTURE = Path(__file__).parent / "fixture_story"

KEYS = [
    "1",
    "2",
    "3",
    "4",
    "9",
    "up",
    "down",
    "enter",
    "escape",
    "n",
    "a",
    "h",
    "s",
    "l",
    "u",
    "r",
    "c",
    "g",
    "p",
    "t",
    "question_mark",
    "f2",
    "tab",
    "shift+tab",
    "pageup",
    "pagedown",
    "home",
    "end",
    "space",
    "x",
    "backspace",
    "ctrl+p",
    "left",
    "right",
]


def make_app(tmp_path: Path) -> KengirApp:
    story = load_story(FIXTURE)
    return KengirApp(story, SaveStore(tmp_path / "saves"), tmp_path / "saves" / "meta" / "settings.json", seed=3)


async def test_an_unexpected_error_is_one_line_with_a_log_and_the_game_is_saved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        for key in ("1", "1"):
            await pilot.press(key)
            await pilot.pause()
        assert app.current_run is not None
        scene = app.current_run.scene.id
        try:
            raise ZeroDivisionError("a bug in the game")
        except ZeroDivisionError as error:
            app._handle_exception(error)  # as Textual does for an error no handler caught
        await pilot.pause()
    assert app.return_code == 1
    [log] = (tmp_path / "saves" / "meta" / "logs").glob("error-*.log")
    text = log.read_text()
    assert "ZeroDivisionError: a bug in the game" in text and "Traceback" in text and f"scene {scene}" in text
    shown = capsys.readouterr().err
    assert "Traceback" not in shown
    message = " ".join(shown.split())  # the terminal wraps the line; the message itself is one sentence
    assert message.startswith("Something went wrong (ZeroDivisionError); your game is saved.")
    assert str(log).replace("\n", "") in shown.replace("\n", "")
    resumed = SaveStore(tmp_path / "saves").latest(load_story(FIXTURE))
    assert resumed is not None and resumed.scene.id == scene


async def _monkey(app: KengirApp, rng: random.Random, steps: int) -> int:
    """Send `steps` random inputs to `app`; return how many were sent before the player quit."""
    sizes = [(80, 24), (60, 20), (120, 40), (100, 30), (200, 60)]
    async with app.run_test(size=(80, 24)) as pilot:
        for step in range(steps):
            if not app._running:  # the monkey chose Quit: a real player would start the game again
                return step
            roll = rng.random()
            if roll < 0.05:
                await pilot.resize_terminal(*rng.choice(sizes))
            elif roll < 0.12:
                width, height = app.size
                try:
                    await pilot.click(offset=(rng.randrange(width), rng.randrange(height)))
                except Exception:  # a click outside what is on screen: Pilot refuses it, the game is not involved
                    pass
            else:
                await pilot.press(rng.choice(KEYS))
            if step % 50 == 0 and app._running:
                await pilot.pause()
                run = app.current_run
                if run is not None:  # the run stays consistent: replaying its log gives the same state
                    assert restore(run.story, run.to_dict()).state.to_dict() == run.state.to_dict()
        return steps


# One run of 1,000 keys, clicks and resizes (about 100 s, mostly waiting for frames; the suite
# runs it beside the others). Why that many: with seeds 1, 2 and 3 the monkey first reached the
# play screen after 576, 494 and 323 keys, and by 1,000 keys had visited 11, 11 and 9 of the
# game's screens and pressed 212, 219 and 175 distinct keys on them; at 500 keys two of the
# three had not yet played a scene. A second seed doubled the time and found nothing new.
KEY_BUDGET = 1000


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1])
async def test_random_keys_clicks_and_resizes_never_crash_the_game(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    sent, sessions = 0, 0
    while sent < KEY_BUDGET:
        app = make_app(tmp_path)
        sent += max(1, await _monkey(app, rng, KEY_BUDGET - sent))
        sessions += 1
        assert app.return_code in (None, 0), "the game crashed"
    assert not list((tmp_path / "saves" / "meta" / "logs").glob("*.log")), "an error was logged"
    store = SaveStore(tmp_path / "saves")
    for info in store.list():
        store.load(info.slot, load_story(FIXTURE))  # every save the monkey made still loads


def test_in_a_browser_the_error_line_names_the_log_but_no_server_folder(tmp_path: Path) -> None:
    from game.tui.crash import one_line

    log = tmp_path / "saves" / "meta" / "logs" / "error-20261126-101010-000001.log"
    terminal, browser = one_line(ValueError("x"), log), one_line(ValueError("x"), log, in_browser=True)
    assert str(log) in terminal
    assert log.name in browser and str(log.parent) not in browser and "teacher" in browser
    assert one_line(ValueError("x"), None, in_browser=True) == "Something went wrong (ValueError); your game is saved."


async def test_in_a_browser_a_save_error_names_the_file_but_no_server_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(tmp_path)
    broken = tmp_path / "saves" / "broken.json"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("{not json")
    async with app.run_test(size=(80, 24)) as pilot:
        app.load_slot("broken")  # in a terminal, the whole path: it is the player's own folder
        await pilot.pause()
        monkeypatch.setattr(type(app), "is_web", property(lambda self: True))
        app.load_slot("broken")
        await pilot.pause()
        terminal, browser = [n.message for n in app._notifications][-2:]
        assert str(broken) in terminal
        assert browser.startswith("broken.json") and str(broken.parent) not in browser
