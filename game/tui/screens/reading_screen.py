"""A page of Markdown with a title and a way back: the base of glossary, people, timeline, history."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from ...engine import Run, Story
from ..widgets.footer import GameFooter
from ..widgets.reading import ReadingPane


class ReadingScreen(Screen[None]):
    """Subclasses set TITLE_TEXT and write `markdown()`."""

    TITLE_TEXT = ""
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="page-back")]

    @property
    def story(self) -> Story:
        return self.app.story  # type: ignore[attr-defined,no-any-return]

    @property
    def run(self) -> Run | None:
        return self.app.current_run  # type: ignore[attr-defined,no-any-return]

    def markdown(self) -> str:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield Static(self.TITLE_TEXT, classes="screen-title")
        yield ReadingPane(self.markdown(), id="page")
        yield GameFooter()

    def on_mount(self) -> None:
        self.query_one(ReadingPane).focus()
