"""The scene's choices: numbered, disabled ones dimmed with their reason."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from game.runtime import ChoiceView
from game.session.console import visible


def choice_prompt(view: ChoiceView) -> Text:
    """'2. Pull Olena behind the cart', or for a closed choice the reason after it."""
    number = f"{view.index + 1}. " if view.index < 9 else "   "
    text = Text()
    text.append(number, style="bold")
    text.append(visible(view.text))
    if not view.enabled:
        text.append(f"  ({visible(view.reason)})", style="italic")
    return text


class ChoiceList(OptionList):
    """An OptionList of ChoiceViews; the option id is the choice's index in `run.choices`."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; max-height: 50%; }
    """

    def show_choices(self, views: Sequence[ChoiceView]) -> None:
        """Repopulate, and highlight the first open choice (after set_options, highlighted is None)."""
        self.set_options(Option(choice_prompt(v), id=str(v.index), disabled=not v.enabled) for v in views)
        first = next((v.index for v in views if v.enabled), None)
        self.highlighted = first
