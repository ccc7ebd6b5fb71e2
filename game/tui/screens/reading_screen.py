"""A page of Markdown with a title and a way back: the base of glossary, people, timeline, history."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from game.model import Story
from game.runtime import Run
from game.tui.game_app import GameApp
from game.tui.widgets.footer import GameFooter
from game.tui.widgets.reading import ReadingPane


class ReadingScreen(Screen[None]):
    """Subclasses set TITLE_TEXT and write `markdown()`."""

    app = getters.app(GameApp)

    TITLE_TEXT = ""
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="page-back")]

    @property
    def story(self) -> Story:
        return self.app.story

    @property
    def run(self) -> Run | None:
        return self.app.current_run

    def markdown(self) -> str:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield Static(self.TITLE_TEXT, classes="screen-title")
        yield ReadingPane(self.markdown(), id="page")
        yield GameFooter()

    def on_mount(self) -> None:
        self.query_one(ReadingPane).focus()
