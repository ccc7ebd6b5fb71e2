"""The play screen: where and when, the scene, its choices, new notes, reflection and stats."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static

from game.classroom import progress_line
from game.runtime import Run
from game.tui.game_app import GameApp
from game.tui.guard import guarded
from game.tui.widgets.choices import ChoiceList
from game.tui.widgets.footer import GameFooter
from game.tui.widgets.reading import ReadingPane
from game.tui.widgets.scene_header import SceneHeader
from game.tui.widgets.stats import StatsPanel


def reflect_markdown(run: Run) -> str:
    """The reflection prompts due at this scene, as a short block after the text."""
    if not run.prompts_due:
        return ""
    lines = "\n".join(f"- {p.text}" for p in run.prompts_due)
    ask = (
        "\n\n*You will be asked to write your answer when you make your choice (r: now).*"
        if run.assignment is not None and not run.finished
        else ""
    )
    return f"\n\n---\n\n**Reflect:**\n\n{lines}{ask}"


class PlayScreen(Screen[None]):
    """Shows `app.current_run`; every change goes through the app (choose, undo, load)."""

    app = getters.app(GameApp)

    BINDINGS = [
        # Help first, so that the Footer shows it even on a 60-column terminal.
        Binding("f1,question_mark", "app.help", "Help", key_display="?", id="play-help", tooltip="Every key, on one page"),
        Binding("1", "choose(0)", "Choose", key_display="1-9", id="choose-1", tooltip="Pick a choice by its number (or arrows and Enter)"),
        *(Binding(str(i), f"choose({i - 1})", f"Choose {i}", show=False, id=f"choose-{i}") for i in range(2, 10)),
        Binding("n", "newest_note", "New note", id="new-note", tooltip="Read the note this scene unlocked"),
        Binding("u", "undo", "Undo", id="undo", tooltip="Take back your last choice (unless the assignment forbids it)"),
        Binding("r", "reflections", "Reflections", id="reflections", tooltip="Assigned sessions: your answers so far, to read or revise"),
        Binding("a", "app.notes", "Notes", id="notes", tooltip="The archive of notes you have found"),
        Binding("s", "app.save", "Save", id="save", tooltip="Save under a name, or load"),
        Binding("g", "app.glossary", "Glossary", id="glossary", show=False),
        Binding("p", "app.people", "People", id="people", show=False),
        Binding("t", "app.timeline", "Timeline", id="timeline", show=False),
        Binding("h", "app.history", "History", id="history", show=False),
        Binding("l", "app.load", "Load", id="load", show=False),
        Binding("escape", "menu", "Menu", id="menu", tooltip="Back to the title (your place is kept)"),
        Binding("pageup", "scroll_text(-1)", "Scroll text up", show=False, priority=True, id="text-up"),
        Binding("pagedown", "scroll_text(1)", "Scroll text down", show=False, priority=True, id="text-down"),
    ]

    @property
    def run(self) -> Run:
        run = self.app.current_run
        assert run is not None
        return run

    def compose(self) -> ComposeResult:
        yield Static(id="assignment", classes="-empty")
        yield SceneHeader(id="where")
        with Horizontal(id="play-body"):
            with Vertical(id="play-main"):
                yield Static(id="scene-title")
                yield ReadingPane(id="scene-text", fast=True)
                yield Static(id="new-note")
                yield ChoiceList(id="choices")
            yield StatsPanel(id="stats")
        yield GameFooter(at_once=True)

    def on_mount(self) -> None:
        self.refresh_scene()

    def on_screen_resume(self) -> None:
        if self.app.current_run is not None and not self.run.ended:
            self.refresh_scene()

    def refresh_scene(self) -> None:
        """Show the run's current scene; called after every change."""
        run = self.run
        self.query_one(SceneHeader).show(run)
        assignment_line = self.query_one("#assignment", Static)
        assignment_line.update(progress_line(run))
        assignment_line.set_class(run.assignment is None, "-empty")
        self.query_one("#scene-title", Static).update(run.scene.title)
        self.query_one(ReadingPane).show(run.text + reflect_markdown(run))
        self.query_one(StatsPanel).show(run)
        note_line = self.query_one("#new-note", Static)
        notes = [self.app.story.notes[n] for n in run.new_notes if n in self.app.story.notes]
        if notes:
            titles = "; ".join(n.title for n in notes)
            label = "New note" if len(notes) == 1 else "New notes"
            note_line.update(f"{label}: {titles} — press n")
        note_line.set_class(not notes, "-empty")
        choices = self.query_one(ChoiceList)
        choices.show_choices(run.choices)
        if run.stuck:
            self.notify("No choice can be taken here: a mistake in the story. Press u to undo.", severity="error")
        choices.focus()
        # What check_action answers may have changed (undo, a new note): the footer compares
        # the keys it shows with them, and changes only what differs (widgets/footer.py).
        self.refresh_bindings()

    # ------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.app.current_run is None:
            return True
        if action == "newest_note":
            return bool(self.run.new_notes)
        if action == "undo":
            if not self.run.allow_undo:
                return False  # switched off by the assignment: not shown at all
            return True if self.run.can_undo else None
        if action == "reflections":
            return self.run.assignment is not None
        return True

    @guarded
    def action_choose(self, index: int) -> None:
        self.app.choose(index)

    @guarded
    def action_newest_note(self) -> None:
        if self.run.new_notes:
            self.app.action_notes(self.run.new_notes[-1])

    def action_undo(self) -> None:
        self.app.action_undo()

    def action_reflections(self) -> None:
        self.app.action_reflections()

    def action_scroll_text(self, direction: int) -> None:
        pane = self.query_one(ReadingPane)
        (pane.scroll_page_down if direction > 0 else pane.scroll_page_up)(animate=False)

    def action_menu(self) -> None:
        self.app.pop_screen()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose(int(event.option.id or 0))
