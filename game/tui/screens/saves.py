"""Save and load: a name to save under, the saves with scene, date, perspective and time."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from game.saves import SaveInfo, SaveStore
from game.session.texts import pretty_date
from game.tui.game_app import GameApp
from game.tui.guard import guarded
from game.tui.screens.confirm import ConfirmScreen
from game.tui.widgets.footer import GameFooter


def when(saved_at: str) -> str:
    """An ISO time in UTC as local 'YYYY-MM-DD HH:MM'."""
    try:
        return datetime.fromisoformat(saved_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return saved_at


def save_prompt(info: SaveInfo, perspectives: dict[str, str]) -> Text:
    name = f"autosave {info.slot.rsplit('-', 1)[-1].lstrip('0')}" if info.auto else info.slot
    text = Text(name, style="bold")
    text.append(f": {info.title}\n")
    who = perspectives.get(info.perspective, info.perspective)
    details = [pretty_date(info.date), who, f"saved {when(info.saved_at)}"]
    text.append("  " + " · ".join(d for d in details if d), style="italic")
    return text


class SavesScreen(Screen[None]):
    """With `saving`, a name field on top; Enter on a save loads it, d deletes it."""

    app = getters.app(GameApp)

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="saves-back"),
        Binding("d,delete", "delete", "Delete", id="saves-delete"),
        Binding("tab", "app.focus_next", "Next field", show=False, id="saves-next"),
    ]

    def __init__(self, saving: bool = True):
        super().__init__()
        self.saving = saving

    @property
    def store(self) -> SaveStore:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Static("Save or load" if self.saving else "Load a saved game", classes="screen-title")
        if self.saving:
            yield Input(placeholder="A name for this save, then Enter", id="save-name", max_length=48)
        yield Static("Saves (Enter loads, d deletes):", id="saves-label")
        yield OptionList(id="saves-list")
        yield GameFooter()

    def on_mount(self) -> None:
        self.refresh_list()
        if self.saving:
            field = self.query_one(Input)
            field.cursor_blink = False
            field.focus()
        else:
            self.query_one(OptionList).focus()

    def refresh_list(self) -> None:
        perspectives = {k: p.title for k, p in self.app.story.perspectives.items()}
        menu = self.query_one(OptionList)
        menu.clear_options()
        saves = self.store.list()
        for info in saves:
            menu.add_option(Option(save_prompt(info, perspectives), id=info.slot))
        if not saves:
            menu.add_option(Option("No saves yet.", disabled=True))
        else:
            menu.highlighted = 0

    @on(Input.Submitted, "#save-name")
    @guarded
    def save(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        run = self.app.current_run
        if not name or run is None:
            return
        self.store.save(run, name)
        self.notify(f"Saved as '{name}'.", timeout=3)
        event.input.value = ""
        self.refresh_list()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.load_slot(event.option.id)

    def action_delete(self) -> None:
        menu = self.query_one(OptionList)
        if menu.highlighted is None or self.focused is not menu:
            return
        slot = menu.get_option_at_index(menu.highlighted).id
        if not slot:
            return

        @guarded
        def answered(self: SavesScreen, yes: bool | None) -> None:
            if yes:
                self.store.delete(slot)
                self.notify(f"Deleted '{slot}'.", timeout=3)
                self.refresh_list()

        self.app.push_screen(
            ConfirmScreen(f"Delete the save '{slot}'? This cannot be undone.", yes="Delete"), lambda yes: answered(self, yes)
        )
