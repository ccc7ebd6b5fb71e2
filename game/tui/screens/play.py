"""The play screen: where and when, the scene, its notes beside the paragraphs they explain,
and its choices, shown once the end of the scene has been seen.

Designed for 80×24 first. A scene goes through three phases (`Phase`):

- MEASURING, for one frame: the choices take their room but are invisible, to learn whether
  the whole text fits above them. Only when nothing is laid out yet (the screen's first scene, a
  resize): after a choice, the new scene's layout is worked out before its first frame from the
  heights of the text, title, note line and choices at the width on the screen (`_predicted_fit`):
  one layout a key instead of two (with the line below the text updated only when it changes,
  31 → 16 ms of processor time a key). The first frame checks the prediction, and measures again
  if it was wrong.
- If it fits, CHOOSING at once: text and choices together, nothing moves.
- If not, READING: the choices wait and the text has the whole height. A line at the foot of
  the text says what is below and the footer shows the key (space or PgDn). Once the reader
  has scrolled to the end the choices appear, with the text's last lines kept in view; a text
  that fits only without the choices asks for one press of space, so that the choices never
  push unread lines off the top. A number key pressed while reading reads on, never chooses
  blind.
"""

from __future__ import annotations

import enum

from textual import events, getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static

from game.classroom import progress_line
from game.runtime import Run
from game.session.console import visible
from game.tui.game_app import GameApp
from game.tui.guard import guarded
from game.tui.screens.styled_once import StyledOnce
from game.tui.widgets.choices import ChoiceList
from game.tui.widgets.footer import GameFooter
from game.tui.widgets.line import Line
from game.tui.widgets.reading import ReadingPane
from game.tui.widgets.scene_header import SceneHeader
from game.tui.widgets.stats import StatsPanel

MORE_BELOW = "▼ More below: space or PgDn"
TO_CHOICES = "▼ The end of the scene. Space: the choices"


class Phase(enum.Enum):
    MEASURING = "measuring"
    READING = "reading"
    CHOOSING = "choosing"


def scene_markdown(run: Run, unread: set[str]) -> str:
    """The scene's text, each new note named after the paragraph it explains (unread ones with
    the key that opens them)."""
    notes = run.story.notes
    new = set(run.new_notes)
    parts = []
    for text, note_ids in run.passages:
        if text:
            parts.append(text)
        marks = [
            f"◆ *New note (n):* **{notes[n].title}**" if n in unread else f"◇ *Note, read:* {notes[n].title}"
            for n in note_ids
            if n in new and n in notes
        ]
        if marks:  # one quoted block under the paragraph, a line a note
            parts.append("> " + "  \n> ".join(marks))
    return "\n\n".join(parts)


class PlayScreen(StyledOnce, Screen[None]):
    """Shows `app.current_run`; every change goes through the app (choose, undo, load)."""

    app = getters.app(GameApp)

    BINDINGS = [
        # The footer shows keys in this order and cuts the tail on a narrow terminal: what a
        # player must always find (help, the menu, quitting) comes first.
        Binding("f1,question_mark", "app.help", "Help", key_display="?", id="play-help", tooltip="Every key, on one page"),
        Binding("escape", "menu", "Menu", id="menu", tooltip="Back to the title (your place is kept)"),
        Binding("ctrl+q", "app.quit", "Quit", id="play-quit", tooltip="Leave the game; the last autosave keeps your place"),
        Binding(
            "space,pagedown", "read_on", "More", id="read-on", key_display="space", priority=True, tooltip="Read on: the rest of the scene"
        ),
        # Number keys are the screen's before its widgets' (priority): none of them takes a digit,
        # and the key goes straight to the choice instead of through every widget around the
        # focused one first (half a millisecond of every key to screen).
        Binding(
            "1",
            "choose(0)",
            "Choose",
            key_display="1-9",
            id="choose-1",
            priority=True,
            tooltip="Pick a choice by its number (or arrows and Enter)",
        ),
        *(Binding(str(i), f"choose({i - 1})", f"Choose {i}", show=False, id=f"choose-{i}", priority=True) for i in range(2, 10)),
        Binding("n", "next_note", "New note", id="new-note", tooltip="Read the next new note (each in turn)"),
        Binding("i", "standing", "Standing", id="standing", tooltip="Where you stand: the relationships the story tracks"),
        Binding("u", "undo", "Undo", id="undo", tooltip="Take back your last choice (unless the assignment forbids it)"),
        Binding("a", "app.notes", "Notes", id="notes", tooltip="The archive of notes you have found"),
        Binding("s", "app.save", "Save", id="save", tooltip="Save under a name, or load"),
        Binding("r", "reflections", "Reflections", id="reflections", tooltip="Your answers so far, to read or revise"),
        Binding("g", "app.glossary", "Glossary", id="glossary", show=False),
        Binding("p", "app.people", "People", id="people", show=False),
        Binding("t", "app.timeline", "Timeline", id="timeline", show=False),
        Binding("h", "app.history", "History", id="history", show=False),
        Binding("l", "app.load", "Load", id="load", show=False),
        Binding("pageup", "scroll_text(-1)", "Scroll text up", show=False, priority=True, id="text-up"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._shown_step = -1  # the run's step whose scene is on the screen
        self.phase = Phase.MEASURING
        self._pending: int | None = None  # a number pressed while measuring: chosen if the text fits
        self._predicted = False  # the phase was worked out before the scene's first frame: check it
        self._refreshing = False  # within refresh_scene: nothing is laid out yet

    @property
    def run(self) -> Run:
        run = self.app.current_run
        assert run is not None
        return run

    def compose(self) -> ComposeResult:
        yield Line(id="assignment", classes="-empty")
        yield SceneHeader(id="where")
        with Horizontal(id="play-body"):
            with Vertical(id="play-main"):
                yield Line(id="scene-title")
                yield ReadingPane(id="scene-text", fast=True)
                yield Line(MORE_BELOW, id="more", classes="-empty")
                yield Line(id="new-note", classes="-empty")
                yield ChoiceList(id="choices", classes="-measuring")
            yield StatsPanel(id="stats")
        yield GameFooter()

    def on_mount(self) -> None:
        pane = self.query_one(ReadingPane)
        self.watch(pane, "scroll_y", self._scrolled, init=False)
        self.watch(pane, "virtual_size", self._scrolled, init=False)  # the text laid out, or resized
        self.refresh_scene()

    def on_screen_resume(self, _event: events.ScreenResume) -> None:  # (and StyledOnce's: Textual calls each class's)
        if self.app.current_run is not None and not self.run.ended:
            self.refresh_scene()

    def unread_notes(self) -> list[str]:
        """The notes found in this scene that the player has not opened yet, in order."""
        opened = set(self.run.notes_opened)
        return [n for n in self.run.new_notes if n not in opened and n in self.app.story.notes]

    def refresh_scene(self) -> None:
        """Show the run's current scene; called after every change, and on returning to it."""
        # Showing the text scrolls the pane to its top, and the scroll watcher would measure the
        # new text against the old scene's layout: measured after the next frame instead.
        self._refreshing = True
        try:
            self._show_scene()
        finally:
            self._refreshing = False

    def _show_scene(self) -> None:
        run = self.run
        new_scene = run.state.step != self._shown_step
        self._shown_step = run.state.step
        self.query_one(SceneHeader).show(run)
        assignment_line = self.query_one("#assignment", Line)
        assignment_line.set_text(visible(progress_line(run)))  # the student's name, as typed
        assignment_line.set_class(run.assignment is None, "-empty")
        self.query_one("#scene-title", Line).set_text(visible(run.scene.title))
        unread = self.unread_notes()
        pane = self.query_one(ReadingPane)
        if new_scene:
            self.phase = Phase.MEASURING
            self._pending = None
            pane.show(scene_markdown(run, set(unread)))
        else:  # a note read, a reload: the same scene, where the reader left it
            pane.show(scene_markdown(run, set(unread)), keep_place=True)
        self.query_one(StatsPanel).show(run)
        note_line = self.query_one("#new-note", Line)
        if unread:
            titles = "; ".join(self.app.story.notes[n].title for n in unread)
            note_line.set_text(f"{'New note' if len(unread) == 1 else 'New notes'}: {titles}. Press n")
        note_line.set_class(not unread, "-empty")
        choices = self.query_one(ChoiceList)
        choices.show_choices(run.choices)
        if new_scene:
            fits = self._predicted_fit(bool(unread))
            if fits is not None:
                self.phase = Phase.CHOOSING if fits else Phase.READING
                self._predicted = True
                (choices if fits else pane).focus()
            # The line below the text as it will be: none when the text fits (a line left from
            # the scene before would take a row the text may need), "more below" when it does not.
            self._more_line(MORE_BELOW, self.phase is not Phase.READING)
        choices.set_class(self.phase is Phase.MEASURING, "-measuring")
        choices.set_class(self.phase is Phase.READING, "-waiting")
        if run.stuck:
            self.notify("No choice can be taken here: a mistake in the story. Press u to undo.", severity="error")
        self.call_after_refresh(self._check_end)
        # What check_action answers may have changed (undo, a new note): the footer compares
        # the keys it shows with them, and changes only what differs (widgets/footer.py).
        self.refresh_bindings()

    # ------------------------------------------------------------ reading to the end

    def _scrolled(self, _value: object) -> None:
        self._check_end()

    def on_resize(self) -> None:
        # The text's new size is known only once it is laid out again: look after that frame,
        # and once more a moment later (a resize comes in several steps from some terminals).
        self.call_after_refresh(self._check_end)
        self.set_timer(0.1, self._check_end)

    def more_below(self) -> bool:
        """Whether part of the scene's text is out of view below (False before it is composed)."""
        panes = self.query(ReadingPane)
        if not panes:
            return False
        pane = panes.first()
        return pane.max_scroll_y > 0 and pane.scroll_y < pane.max_scroll_y

    def _check_end(self) -> None:
        """Measure a new scene; while reading, show the choices once its end has been reached;
        keep the line below the text true."""
        if not self.is_attached or self.app.current_run is None or self._refreshing:
            return
        pane = self.query_one(ReadingPane)
        if pane.virtual_size.height == 0:  # not laid out yet: nothing is known about its end
            return
        choices = self.query_one(ChoiceList)
        if self.phase is Phase.MEASURING:
            choices.remove_class("-measuring")
            if self._text_fits(pane):  # the whole text fits above the choices
                self.phase = Phase.CHOOSING
                choices.focus()
                if self._pending is not None:  # pressed in the frame before: as if pressed now
                    index, self._pending = self._pending, None
                    self.call_later(self.action_choose, index)
            else:
                self.phase = Phase.READING
                choices.add_class("-waiting")
                pane.focus()
                self.call_after_refresh(self._check_end)  # the text's new height, without them
        elif self._predicted:
            self._predicted = False
            if self.phase is Phase.CHOOSING and not self._text_fits(pane):  # predicted wrong: measure
                self.phase = Phase.MEASURING
                choices.add_class("-measuring")
                self.call_after_refresh(self._check_end)
        elif self.phase is Phase.READING and not self.more_below() and pane.scroll_y > 0:
            self._show_choices()  # scrolled to the end: read
        more = self.more_below()
        self._more_line(MORE_BELOW if more or self.phase is not Phase.READING else TO_CHOICES, not more and self.phase is not Phase.READING)
        self.refresh_bindings()

    def _more_line(self, text: str, hidden: bool) -> None:
        """The line below the text (a Line: replaced only when it changes, or every check would
        lay the screen out again)."""
        line = self.query_one("#more", Line)
        line.set_text(text)
        line.set_class(hidden, "-empty")

    def _text_fits(self, pane: ReadingPane) -> bool:
        """Whether the scene's text fits the pane as laid out now. Measured from the text itself:
        the pane's scroll figures lag a frame behind a new text."""
        area = pane.scrollable_content_region
        text = pane.query_one(Static)
        width = area.width - text.styles.margin.width
        height = text.get_content_height(area.size, self.app.size, width) + text.styles.margin.height
        return height <= area.height

    def _predicted_fit(self, note_line: bool) -> bool | None:
        """Whether the scene's text (just given to the pane) will fit above its choices, worked out
        from the widgets' heights at the width on the screen now; None before the first layout.
        #play-main holds, top to bottom: the title, the text, the "more below" line (hidden when
        the text fits), the new-note line (when a note is unread) and the choices."""
        main = self.query_one("#play-main")
        height, width = main.size.height, main.size.width
        if not height or not width:
            return None

        def outer(widget: Widget) -> int:
            styles = widget.styles
            inner = width - styles.gutter.width - styles.margin.width
            return widget.get_content_height(main.size, self.app.size, inner) + styles.gutter.height + styles.margin.height

        choices = self.query_one(ChoiceList)
        room = height - outer(self.query_one("#scene-title")) - (outer(self.query_one("#new-note")) if note_line else 0)
        most = choices.styles.max_height
        shown = outer(choices)
        if most is not None:
            shown = min(shown, int(most.resolve(main.size, self.app.size)))
        pane = self.query_one(ReadingPane)
        text = pane.query_one(Static)
        # The width left once a vertical scrollbar takes its columns: a text that fits only
        # without one is a near thing that Textual may lay out with one, and then it would not.
        inner = width - pane.styles.gutter.width - text.styles.margin.width - pane.styles.scrollbar_size_vertical
        needed = text.get_content_height(main.size, self.app.size, inner) + text.styles.margin.height
        return needed <= room - shown - pane.styles.gutter.height

    def _show_choices(self) -> None:
        self.phase = Phase.CHOOSING
        choices = self.query_one(ChoiceList)
        choices.remove_class("-waiting")
        choices.focus()
        self.call_after_refresh(self._keep_end_in_view)
        self.call_after_refresh(self._check_end)

    def _keep_end_in_view(self) -> None:
        """The choices took room from the text: keep its end, just read, on the screen."""
        self.query_one(ReadingPane).scroll_end(animate=False)

    # ------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.app.current_run is None:
            return True
        if action == "read_on":
            return self.phase is Phase.READING or self.more_below()
        if action == "next_note":
            return bool(self.unread_notes())
        if action == "undo":
            if not self.run.allow_undo:
                return False  # switched off by the assignment: not shown at all
            return True if self.run.can_undo else None
        if action == "reflections":
            return bool(self.app.reflection_prompts())
        if action == "standing":
            from game.tui.widgets.stats import shown_stats

            return bool(shown_stats(self.run))
        return True

    @guarded
    def action_choose(self, index: int) -> None:
        if self.phase is Phase.MEASURING:  # the first frame of a scene: decided once it is measured
            self._pending = index
            return
        if self.phase is not Phase.CHOOSING:  # the choices are not on the screen yet: read on
            self.action_read_on()
            return
        self.app.choose(index)

    def action_read_on(self) -> None:
        if self.phase is Phase.READING and not self.more_below():
            self._show_choices()  # the end is on the screen: on to the choices
        else:
            self.query_one(ReadingPane).scroll_page_down(animate=False)

    @guarded
    def action_next_note(self) -> None:
        unread = self.unread_notes()
        if unread:
            self.app.action_notes(unread[0])

    @guarded
    def action_standing(self) -> None:
        from game.tui.screens.standing import StandingScreen

        self.app.push_screen(StandingScreen())

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
        if event.option.id is not None:
            self.action_choose(int(event.option.id))
