"""The notes archive: found notes grouped by topic; kind and sources always visible."""

from __future__ import annotations

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.model import Note, Story
from game.tui.game_app import GameApp
from game.tui.widgets.footer import GameFooter
from game.tui.widgets.reading import ReadingPane

KIND_LABELS = {
    "fact": "FACT: documented in the sources",
    "contested": "CONTESTED: the sources disagree",
    "composite": "COMPOSITE: built from several real people or events",
    "invented": "INVENTED: made up for the game",
}


def note_markdown(story: Story, note: Note) -> str:
    """The note as a page: title, kind, body, then its sources with their addresses."""
    kind = KIND_LABELS.get(note.kind, note.kind.upper())
    lines = [f"## {note.title}", "", f"**{kind}**", "", note.body.strip(), "", "**Sources**", ""]
    for source_id in note.sources:
        source = story.sources.get(source_id)
        if source is None:
            lines.append(f"- (missing source '{source_id}')")
            continue
        entry = f"- {source.citation()}"
        if source.url:
            entry += f"  \n  <{source.url}>"
        lines.append(entry)
    return "\n".join(lines)


def grouped(story: Story, seen: set[str]) -> list[tuple[str, list[Note]]]:
    """Found notes by topic, topics in the order their first note is declared."""
    groups: dict[str, list[Note]] = {}
    for note in story.notes.values():
        if note.id in seen:
            groups.setdefault(note.topic or "other", []).append(note)
    return list(groups.items())


class NotesScreen(Screen[None]):
    """Opened with `note_id` to show that note at once (the 'press n' line)."""

    app = getters.app(GameApp)

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="notes-back"),
        Binding("tab", "app.focus_next", "Switch pane", id="notes-switch", show=False),
    ]

    def __init__(self, note_id: str = ""):
        super().__init__()
        self.note_id = note_id

    def compose(self) -> ComposeResult:
        yield Static("Notes", classes="screen-title", id="notes-title")
        with Horizontal(id="notes-body"):
            yield OptionList(id="notes-list")
            yield ReadingPane(id="note-text")
        yield Static(id="notes-count")
        yield GameFooter()

    def on_mount(self) -> None:
        story: Story = self.app.story
        seen = self.app.in_play.state.seen
        menu = self.query_one("#notes-list", OptionList)
        found = 0
        for topic, notes in grouped(story, seen):
            menu.add_option(Option(Text(topic.capitalize(), style="bold underline"), disabled=True))
            for note in notes:
                found += 1
                menu.add_option(Option(Text.assemble(f"  {note.title} ", (f"[{note.kind}]", "italic")), id=note.id))
        hidden = len(story.notes) - found
        count = f"{found} found · {hidden} more to find" if hidden else f"All {found} notes found"
        self.query_one("#notes-count", Static).update(count)
        if not found:
            self.query_one(ReadingPane).show("You have not found any notes yet. Scenes unlock them as you play.")
            return
        target = self.note_id if self.note_id in seen else None
        index = next(
            i
            for i in range(menu.option_count)
            if not menu.get_option_at_index(i).disabled and (target is None or menu.get_option_at_index(i).id == target)
        )
        menu.highlighted = index
        self.show_note(menu.get_option_at_index(index).id or "")
        (self.query_one(ReadingPane) if target else menu).focus()

    def show_note(self, note_id: str) -> None:
        story: Story = self.app.story
        note = story.notes.get(note_id)
        if note is not None:
            self.note_id = note_id
            self.query_one(ReadingPane).show(note_markdown(story, note))
            run = self.app.current_run
            if run is not None and not (run.events and run.events[-1].get("note") == note_id):
                run.open_note(note_id)  # a teacher's record lists the notes read, not only found

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_note(event.option.id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.show_note(event.option.id or "")
        self.query_one(ReadingPane).focus()
