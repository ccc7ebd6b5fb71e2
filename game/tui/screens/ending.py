"""The ending: its title and final scene, what really happened, and this run in figures."""

from __future__ import annotations

from textual import getters
from textual.binding import Binding

from game.runtime import Run
from game.tui.game_app import GameApp
from game.tui.screens.end_page import EndPage
from game.tui.widgets.reading import ReadingPane


def ending_markdown(run: Run, endings_found: set[str]) -> str:
    """The ending as a page; the closing line names only the keys this run has."""
    ending = run.ended
    assert ending is not None
    story = run.story
    found_here = len(run.state.seen & set(story.notes))
    known = len(endings_found & set(story.endings))
    figures = [
        f"- Choices made: **{len(run.log)}**",
        f"- Notes found: **{found_here} of {len(story.notes)}**",
        f"- Endings found on this machine: **{known} of {len(story.endings)}**",
    ]
    debrief = ending.debrief
    if "what really happened" not in debrief[:60].lower():  # the story usually opens with it
        debrief = f"## What really happened\n\n{debrief}"
    if run.prompts_waiting:  # the questions come before the answer: the debrief waits for them
        return "\n\n".join([f"## {run.scene.title}", run.text, "*What really happened comes after your reflection.*"])
    return "\n\n".join(
        [
            f"## {run.scene.title}",
            run.text,
            debrief,
            "## This run in figures",
            "\n".join(figures),
            "*Press Enter to return to the title. Your notes stay readable with a"
            + (
                ", and u takes back the last choice.*"
                if run.allow_undo
                else (", and r shows your reflections.*" if run.assignment is not None else ".*")
            ),
        ]
    )


class EndingScreen(EndPage):
    app = getters.app(GameApp)

    BINDINGS = [
        Binding("enter,escape", "title", "Back to title", id="ending-title"),
        Binding("a", "app.notes", "Notes", id="ending-notes"),
        Binding("h", "app.history", "History", id="ending-history"),
        Binding("u", "undo", "Undo", id="ending-undo"),
        Binding("r", "reflections", "Reflections", id="ending-reflections"),
        Binding("pageup", "scroll_text(-1)", "Scroll up", show=False, priority=True, id="ending-up"),
        Binding("pagedown", "scroll_text(1)", "Scroll down", show=False, priority=True, id="ending-down"),
    ]

    heading_id = "ending-title"

    def heading(self, run: Run) -> str:
        assert run.ended is not None
        return f"Ending: {run.ended.title}"

    def page(self, run: Run) -> str:
        return ending_markdown(run, self.app.record_ending())

    def questions_done(self) -> None:
        """The ending's questions are answered (or skipped): now the debrief. (A screen still
        composing shows it anyway: its page is written from the run when composed.)"""
        for pane in self.query(ReadingPane):
            pane.show(self.page(self.app.in_play))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        run = self.app.current_run
        if action == "undo":
            return run is not None and run.allow_undo
        if action == "reflections":
            return run is not None and run.assignment is not None
        return True

    def action_undo(self) -> None:
        self.app.action_undo()

    def action_reflections(self) -> None:
        self.app.action_reflections()
