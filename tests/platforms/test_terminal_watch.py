"""The terminal game's hang-up watch on each system, driven through Pilot with a real
pseudo-terminal standing in for the player's terminal."""

from __future__ import annotations

import asyncio
import os
import sys
import tty
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from game.tui import hangup
from game.tui.app import KengirApp
from tests.platforms.simulate import simulate
from tests.tui.helpers import new_game

# The simulation takes Linux's standard library and removes what the other systems lack; on a
# real macOS or Windows (the CI workflow's runners) the real thing runs instead.
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="simulates other systems on Linux")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """A pseudo-terminal whose player side the game takes for its own; yields its other end."""
    master, slave = os.openpty()
    tty.setraw(slave)
    monkeypatch.setattr(hangup, "terminal_fd", lambda: slave)
    ends = {"master": master, "slave": slave}
    yield ends
    os.close(slave)
    if ends["master"] != -1:
        os.close(ends["master"])


async def _plays_on(app: KengirApp, seconds: float) -> bool:
    """Whether the app is still running after `seconds` (more than two checks of the watch)."""
    await asyncio.sleep(seconds)
    return app.is_running and app.return_code is None


@pytest.mark.parametrize("platform", ["linux", "darwin"])
async def test_the_watch_keeps_a_live_terminal_and_leaves_a_hung_up_one(
    platform: str,
    terminal: dict[str, int],
    make_app: Callable[..., KengirApp],
    monkeypatch: pytest.MonkeyPatch,
    saves: Path,
) -> None:
    if platform == "darwin":  # poll() answers POLLNVAL for a terminal there: the watch must not use it
        simulate("darwin", monkeypatch)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        os.write(terminal["master"], b"x")  # a key waiting: not a hang-up
        assert await _plays_on(app, 2.5 * hangup.CHECK_EVERY), f"{platform}: the game left a live terminal"
        assert os.read(terminal["slave"], 1) == b"x", "the watch took no key (Textual reads them)"
        os.close(terminal["master"])
        terminal["master"] = -1
        for _ in range(50):
            if not app.is_running:
                break
            await asyncio.sleep(0.1)
        assert not app.is_running, f"{platform}: the game stayed on a terminal that hung up"
    assert app.return_code == 0, "it left as if the player had quit"
    assert list(saves.glob("autosave-*.json")), "with its run saved"


async def test_on_windows_there_is_no_watch_and_the_game_plays_on(
    terminal: dict[str, int], make_app: Callable[..., KengirApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    simulate("win32", monkeypatch)
    assert hangup.watch_method() == ""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        assert not any(timer.name == "hangup-watch" for timer in app._timers)
        assert await _plays_on(app, 1.5 * hangup.CHECK_EVERY)


@pytest.mark.parametrize("platform, method", [("linux", "poll"), ("darwin", "select"), ("win32", "")])
def test_each_system_watches_in_its_own_way(platform: str, method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if platform != "linux":
        simulate(platform, monkeypatch)
    assert hangup.watch_method() == method


def test_the_select_watch_believes_a_hang_up_only_when_two_checks_see_it() -> None:
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        check = hangup.hang_up_check(slave, "select")
        assert check is not None
        os.write(master, b"x")  # a key waiting is not a hang-up
        assert not check() and not check()
        assert os.read(slave, 1) == b"x", "the watch took no key"
        os.close(master)
        master = -1
        assert not check(), "one sighting is not enough (a key read by Textual meanwhile looks the same)"
        assert check(), "the second one is"
    finally:
        os.close(slave)
        if master != -1:
            os.close(master)
