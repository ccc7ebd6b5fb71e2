"""Key sequences the tests share."""

from __future__ import annotations

from textual.pilot import Pilot

from game.tui.screens.play import PlayScreen


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys one by one, letting the app settle after each."""
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


async def new_game(pilot: Pilot) -> None:
    """From the title: New game (the app's perspective is given: no choice of whom to follow);
    ends on the play screen, at the perspective's first scene."""
    await press(pilot, "n")
    assert isinstance(pilot.app.screen, PlayScreen), pilot.app.screen
