"""The story on disk no longer loads: its problems at file:line:col, the run left as it was."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from game.tui.widgets.footer import GameFooter

SHOWN = 30  # more than a screenful helps nobody; `kengir check` lists them all


class StoryErrorsScreen(ModalScreen[None]):
    """Shown by live reload; closes by itself once the files load again (or with escape)."""

    BINDINGS = [Binding("escape,enter", "app.pop_screen", "Keep playing", id="errors-close")]

    def __init__(self, problems: Sequence[object], root: str):
        super().__init__()
        self.problems = [str(p) for p in problems]
        self.root = root

    def listing(self) -> str:
        lines = self.problems[:SHOWN]
        if len(self.problems) > SHOWN:
            lines.append(f"... and {len(self.problems) - SHOWN} more: run `kengir check {self.root}`")
        return "\n".join(lines)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("The edited story does not load", classes="dialog-title")
            yield Static("Your game goes on with the story as it was. Fix these and save; the game reloads by itself.", id="question")
            with VerticalScroll(id="dialog-text"):
                yield Static(self.listing(), id="story-errors", markup=False)
        yield GameFooter()

    def show(self, problems: Sequence[object]) -> None:
        """Replace the list (the writer saved again, still broken)."""
        self.problems = [str(p) for p in problems]
        self.query_one("#story-errors", Static).update(self.listing())
