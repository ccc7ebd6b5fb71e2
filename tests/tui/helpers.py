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
    """From the title: New game, then the first perspective; ends on the play screen."""
    await press(pilot, "n", "1")
    assert isinstance(pilot.app.screen, PlayScreen), pilot.app.screen
