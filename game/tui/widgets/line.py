"""A line of text that is replaced only when it changes."""

from __future__ import annotations

from textual.widgets import Static


class Line(Static):
    """A Static whose text is replaced only when it differs from the text shown.

    Replacing a Static's text asks for a new layout of the whole screen and wakes the widget
    for a frame. On the play screen most lines (the assignment, where and when, the title) stay
    the same from one scene to the next, and every key replaced them all.
    """

    def set_text(self, text: str) -> None:
        if text != self.content:
            self.update(text)
