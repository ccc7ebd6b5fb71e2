"""The title screen: New game, Continue, Load, Settings, Quit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.session.console import visible
from game.tui.game_app import GameApp
from game.tui.screens.styled_once import StyledOnce

if TYPE_CHECKING:  # the engine is imported after the title is painted
    from game.model import Story

MENU = (
    ("new", "New game"),
    ("continue", "Continue"),
    ("load", "Load a saved game"),
    ("settings", "Settings"),
    ("quit", "Quit"),
)


class TitleScreen(StyledOnce, Screen[None]):
    """The first thing a player sees; the bottom of the screen stack."""

    app = getters.app(GameApp)

    BINDINGS = [
        Binding("n", "app.new_game", "New game", id="title-new"),
        Binding("c", "app.continue", "Continue", id="title-continue"),
        Binding("l", "app.load", "Load", id="title-load"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            story: Story | None = self.app.story  # None until loaded behind this screen
            yield Static(visible(story.title) if story is not None else self.app.TITLE or "", id="game-title")
            yield Static("A story of the Kengir uprising, May–June 1954", id="game-subtitle")
            yield Static(id="title-assignment", classes="-empty")
            with Center():
                yield OptionList(*(Option(label, id=key) for key, label in MENU), id="title-menu")
        if self.app.is_web:  # (see on_mount)
            from game.tui.widgets.footer import GameFooter

            yield GameFooter()

    def on_mount(self) -> None:
        self.refresh_menu()
        # In a terminal the line of keys comes in the frame after the title and its menu: its
        # widgets, their styles and its module took about 5 ms of a 200 ms start. In a browser,
        # where the page's loading hides that, the title is composed with it: mounted later, it
        # cost a second layout of the screen as a lab's games started together.
        if not self.app.is_web:
            self.call_after_refresh(self._add_footer)

    def _add_footer(self) -> None:
        from game.tui.widgets.footer import GameFooter

        if self.is_attached:  # (not when the game ended at once: a story that would not load)
            self.mount(GameFooter())

    def on_screen_resume(self, _event: events.ScreenResume) -> None:  # (and StyledOnce's: Textual calls each class's)
        self.refresh_menu()

    def story_loaded(self) -> None:
        """The story and saves are loaded (just after this screen was first painted)."""
        self.query_one("#game-title", Static).update(visible(self.app.story.title))
        self.refresh_menu()

    def show_assignment(self) -> None:
        assignment = self.app.assignment
        line = self.query_one("#title-assignment", Static)
        line.update(visible(f"Assignment: {assignment.title}") if assignment else "")
        line.set_class(assignment is None, "-empty")

    def refresh_menu(self) -> None:
        """Continue is open only when there is a game in progress (not over) to continue."""
        self.show_assignment()
        menu = self.query_one("#title-menu", OptionList)
        has_autosave = self.app.continuable_run() is not None
        (menu.enable_option if has_autosave else menu.disable_option)("continue")
        menu.highlighted = 1 if has_autosave else 0
        menu.focus()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        action = {"new": "new_game", "continue": "continue", "load": "load", "settings": "settings", "quit": "quit"}[
            event.option.id or "new"
        ]
        await self.run_action(f"app.{action}")
