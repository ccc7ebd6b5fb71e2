"""What the ending and the end of an assigned part share: a heading, the page, the line that says
where the record went, and the way back to the title."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from game.runtime import Run
from game.tui.game_app import GameApp
from game.tui.widgets.footer import GameFooter
from game.tui.widgets.reading import ReadingPane


class EndPage(Screen[None]):
    app = getters.app(GameApp)

    heading_id: str | None = None

    def heading(self, run: Run) -> str:
        raise NotImplementedError

    def page(self, run: Run) -> str:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        run = self.app.in_play
        yield Static(self.heading(run), classes="screen-title", id=self.heading_id)
        yield ReadingPane(self.page(run), id="ending-text")
        yield Static(id="record-line", classes="-empty")
        yield GameFooter()

    def on_mount(self) -> None:
        self.query_one(ReadingPane).focus()
        self.app.show_record_line(self)

    def action_scroll_text(self, direction: int) -> None:
        pane = self.query_one(ReadingPane)
        (pane.scroll_page_down if direction > 0 else pane.scroll_page_up)(animate=False)

    def action_title(self) -> None:
        self.app.current_run = None
        while len(self.app.screen_stack) > 1:
            self.app.pop_screen()
