"""The content note before a first new game, with the choice of intensity."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from game.session.texts import CONTENT_NOTE
from game.tui.screens.styled_once import StyledOnce
from game.tui.widgets.footer import GameFooter
from game.tui.widgets.reading import parsed_markdown

NOTE = CONTENT_NOTE + " You can change this later in Settings (F2)."


FIXED = {
    "full": "For this assignment your teacher has chosen to show violent scenes **in full**.",
    "summary": "For this assignment your teacher has chosen to show violent scenes **as short summaries**.",
}


class ContentNoteScreen(StyledOnce, ModalScreen[str | None]):
    """Dismisses with 'full', 'summary', or None (escape: back to the title). With `fixed`
    (an assignment sets the intensity) it only informs: Enter dismisses with `intensity`."""

    BINDINGS = [
        Binding("1,f", "pick('full')", "Full scenes", id="note-full"),
        Binding("2,s", "pick('summary')", "Summaries", id="note-summary"),
        Binding("escape", "pick('')", "Back", id="note-back"),
    ]

    def __init__(self, intensity: str = "full", *, fixed: bool = False):
        super().__init__()
        self.intensity = intensity
        self.fixed = fixed

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            with VerticalScroll(id="dialog-text"):
                # Drawn as the scenes are (one Static of Rich's Markdown): Textual's Markdown widget
                # mounts a widget per paragraph, a tenth of a lab game's start on this one screen.
                text = NOTE.rsplit("\n\n", 1)[0] + "\n\n" + FIXED[self.intensity] if self.fixed else NOTE
                yield Static(parsed_markdown(text), id="content-note-text")
            with Horizontal(id="dialog-buttons"):
                if self.fixed:
                    yield Button("Continue", id=self.intensity, variant="primary")
                else:
                    yield Button("1 Full scenes", id="full", variant="primary")
                    yield Button("2 Summaries of violence", id="summary")
        yield GameFooter()

    def on_mount(self) -> None:
        self.query_one(f"#{self.intensity}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick" and self.fixed and parameters and parameters[0]:
            return False  # the teacher chose: no 1/2 keys
        return True

    def action_pick(self, intensity: str) -> None:
        self.dismiss(intensity or None)
