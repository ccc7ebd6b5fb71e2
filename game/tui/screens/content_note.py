"""The content note before a first new game, with the choice of intensity."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Markdown

NOTE = """\
**Before you begin.** This game is set in the **Kengir uprising** of 1954, when the prisoners of a Soviet Gulag camp
in Kazakhstan took over their zone for forty days.

It depicts imprisonment, **shootings** of unarmed prisoners, and the **tank assault** that
ended the uprising, in which many people died.

The events are **real** and the historical notes cite their sources. The people you play are
**composites**, built from many prisoners' accounts; they are not real individuals.

You can read violent scenes in full, or as short summaries. You can change this later in
Settings.
"""


class ContentNoteScreen(ModalScreen[str | None]):
    """Dismisses with 'full', 'summary', or None (escape: back to the title)."""

    BINDINGS = [
        Binding("1,f", "pick('full')", "Full scenes", id="note-full"),
        Binding("2,s", "pick('summary')", "Summaries", id="note-summary"),
        Binding("escape", "pick('')", "Back", id="note-back"),
    ]

    def __init__(self, intensity: str = "full"):
        super().__init__()
        self.intensity = intensity

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            with VerticalScroll(id="dialog-text"):
                yield Markdown(NOTE, open_links=False)
            with Horizontal(id="dialog-buttons"):
                yield Button("1 Full scenes", id="full", variant="primary")
                yield Button("2 Summaries of violence", id="summary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#{self.intensity}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_pick(self, intensity: str) -> None:
        self.dismiss(intensity or None)
