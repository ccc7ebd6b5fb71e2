"""Choosing whom to play: each perspective is a composite, and says so."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.model import Story
from game.tui.widgets.footer import GameFooter


def perspective_prompt(number: int, title: str, blurb: str) -> Text:
    text = Text()
    text.append(f"{number}. {title}\n", style="bold")
    if blurb:
        text.append(blurb.strip() + "\n")
    if "composite" not in blurb.lower():
        text.append("A composite character, not a real person.", style="italic")
    text.rstrip()
    return text


class PerspectiveScreen(Screen[str | None]):
    """Dismisses with a perspective id, or None (escape)."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="perspective-back"),
        Binding("1", "pick(0)", "Choose", key_display="1-9", id="perspective-1"),
        *(Binding(str(i), f"pick({i - 1})", f"Perspective {i}", show=False, id=f"perspective-{i}") for i in range(2, 10)),
    ]

    def __init__(self, story: Story, allowed: list[str] | None = None):
        """`allowed`: the perspectives offered (an assignment may allow only some); default all."""
        super().__init__()
        self.ids = [p for p in story.perspectives if allowed is None or p in allowed]
        self.story = story

    def compose(self) -> ComposeResult:
        yield Static("Whom will you follow?", classes="screen-title")
        menu = OptionList(id="perspectives")
        for i, p in enumerate((self.story.perspectives[p] for p in self.ids), 1):
            if i > 1:
                menu.add_option(None)  # a rule between perspectives
            menu.add_option(Option(perspective_prompt(i, p.title, p.blurb), id=p.id))
        yield menu
        yield GameFooter()

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        menu.highlighted = 0
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.ids):
            self.dismiss(self.ids[index])

    def action_back(self) -> None:
        self.dismiss(None)
