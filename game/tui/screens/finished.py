"""The end of an assigned part that is not one of the story's endings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...engine import Run
from ..session import progress_line
from ..widgets.reading import ReadingPane


def finished_markdown(run: Run) -> str:
    parts = []
    arrived = not run.log or run.log[-1].scene != run.scene.id  # stopped on a new scene: show it
    if arrived:
        parts += [f"## {run.scene.title}", run.text]
    parts.append("## This is the end of the assigned part")
    parts.append(f"You made {len(run.log)} choices and answered {len(run.answers)} "
                 f"question{'s' if len(run.answers) != 1 else ''}.")
    parts.append("*r: read or revise your reflections (the record is written again). "
                 "Enter: back to the title.*")
    return "\n\n".join(parts)


class FinishedScreen(Screen[None]):
    BINDINGS = [
        Binding("enter,escape", "title", "Back to title", id="finished-title"),
        Binding("r", "app.reflections", "Reflections", id="finished-reflections"),
        Binding("a", "app.notes", "Notes", id="finished-notes"),
        Binding("h", "app.history", "History", id="finished-history"),
        Binding("pageup", "scroll_text(-1)", "Scroll up", show=False, priority=True, id="finished-up"),
        Binding("pagedown", "scroll_text(1)", "Scroll down", show=False, priority=True, id="finished-down"),
    ]

    def compose(self) -> ComposeResult:
        run: Run = self.app.current_run  # type: ignore[attr-defined]
        yield Static(progress_line(run) or "The end of the assigned part", classes="screen-title")
        yield ReadingPane(finished_markdown(run), id="ending-text")
        yield Static(id="record-line", classes="-empty")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(ReadingPane).focus()
        self.app.show_record_line(self)  # type: ignore[attr-defined]

    def record_written(self) -> None:
        """The last answers came after this page was built: count them again."""
        self.query_one(ReadingPane).show(finished_markdown(self.app.current_run))  # type: ignore[attr-defined]

    def action_scroll_text(self, direction: int) -> None:
        pane = self.query_one(ReadingPane)
        (pane.scroll_page_down if direction > 0 else pane.scroll_page_up)(animate=False)

    def action_title(self) -> None:
        self.app.current_run = None  # type: ignore[attr-defined]
        while len(self.app.screen_stack) > 1:
            self.app.pop_screen()
