"""The end of an assigned part that is not one of the story's endings."""

from __future__ import annotations

from textual import getters
from textual.binding import Binding

from game.classroom import progress_line
from game.runtime import Run
from game.tui.game_app import GameApp
from game.tui.screens.end_page import EndPage
from game.tui.widgets.reading import ReadingPane


def finished_markdown(run: Run) -> str:
    parts = []
    arrived = not run.log or run.log[-1].scene != run.scene.id  # stopped on a new scene: show it
    if arrived:
        parts += [f"## {run.scene.title}", run.text]
    parts.append("## This is the end of the assigned part")
    parts.append(f"You made {len(run.log)} choices and answered {len(run.answers)} question{'s' if len(run.answers) != 1 else ''}.")
    parts.append("*r: read or revise your reflections (the record is written again). Enter: back to the title.*")
    return "\n\n".join(parts)


class FinishedScreen(EndPage):
    app = getters.app(GameApp)

    BINDINGS = [
        Binding("enter,escape", "title", "Back to title", id="finished-title"),
        Binding("r", "app.reflections", "Reflections", id="finished-reflections"),
        Binding("a", "app.notes", "Notes", id="finished-notes"),
        Binding("h", "app.history", "History", id="finished-history"),
        Binding("pageup", "scroll_text(-1)", "Scroll up", show=False, priority=True, id="finished-up"),
        Binding("pagedown", "scroll_text(1)", "Scroll down", show=False, priority=True, id="finished-down"),
    ]

    def heading(self, run: Run) -> str:
        return progress_line(run) or "The end of the assigned part"

    def page(self, run: Run) -> str:
        return finished_markdown(run)

    def record_written(self) -> None:
        """The last answers came after this page was built: count them again."""
        self.query_one(ReadingPane).show(finished_markdown(self.app.in_play))
