"""Every key, generated from the bindings of the app and the screens that have them."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from game.tui.widgets.footer import GameFooter
from game.tui.widgets.reading import ReadingPane


def binding_rows(app: App[object], bindings: list[Binding]) -> list[str]:
    """One Markdown list line per binding: keys, what it does, and the longer tooltip."""
    rows = []
    for binding in bindings:
        if binding.action.startswith("choose(") and binding.key != "1":
            continue  # 2-9 share the row of 1 ("1-9")
        keys = binding.key_display or ", ".join(app.get_key_display(Binding(k, "")) for k in binding.key.split(","))
        tip = f": {binding.tooltip}" if binding.tooltip else ""
        rows.append(f"- `{keys}` **{binding.description}**{tip}")
    return rows


def help_markdown(app: App[object]) -> str:
    from game.tui.screens.ending import EndingScreen
    from game.tui.screens.finished import FinishedScreen
    from game.tui.screens.notes import NotesScreen
    from game.tui.screens.play import PlayScreen
    from game.tui.screens.reflection import ReflectionScreen, ReflectionsScreen
    from game.tui.screens.saves import SavesScreen
    from game.tui.screens.title import TitleScreen

    groups = [
        (
            "Everywhere",
            [
                *type(app).BINDINGS,
                Binding(app.COMMAND_PALETTE_BINDING, "", "Commands", tooltip="The command palette: every action by name"),
            ],
        ),
        ("Title", TitleScreen.BINDINGS),
        ("Playing", PlayScreen.BINDINGS),
        ("Notes", NotesScreen.BINDINGS),
        ("Save and load", SavesScreen.BINDINGS),
        ("Ending", EndingScreen.BINDINGS),
        ("End of an assignment", FinishedScreen.BINDINGS),
        ("Writing a reflection", ReflectionScreen.BINDINGS),
        ("Your reflections", ReflectionsScreen.BINDINGS),
    ]
    parts = ["Arrows move in lists, Enter picks, Tab moves between panes; the mouse works too."]
    for heading, bindings in groups:
        parts.append(f"## {heading}\n\n" + "\n".join(binding_rows(app, [b for b in bindings if isinstance(b, Binding)])))
    return "\n\n".join(parts)


class HelpScreen(Screen[None]):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", id="help-back")]

    def compose(self) -> ComposeResult:
        yield Static("Keys", classes="screen-title")
        yield ReadingPane(help_markdown(self.app), id="help-text")
        yield GameFooter()

    def on_mount(self) -> None:
        self.query_one(ReadingPane).focus()
