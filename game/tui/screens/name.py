"""Asking the student's name for the teacher's record, before an assigned session begins."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from game.tui.game_app import GameApp
from game.tui.widgets.footer import GameFooter


class NameScreen(ModalScreen[str | None]):
    """Dismisses with the name typed (Enter), or None (escape: back to the title)."""

    app = getters.app(GameApp)

    BINDINGS = [Binding("escape", "back", "Back", id="name-back")]

    def __init__(self, assignment_title: str):
        super().__init__()
        self.assignment_title = assignment_title

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(f"Assignment: {self.assignment_title}", classes="dialog-title")
            yield Static("Your name, for your teacher's record. Press Enter when it is right.", id="question")
            yield Input(placeholder="Your name", max_length=80, id="student-name")
        yield GameFooter()

    def on_mount(self) -> None:
        name = self.query_one(Input)
        name.cursor_blink = not self.app.is_headless  # a steady cursor keeps tests and snapshots stable
        name.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            self.notify("Type your name first (your teacher needs it to know whose record it is).", timeout=5)
            return
        self.dismiss(name)

    def action_back(self) -> None:
        self.dismiss(None)
