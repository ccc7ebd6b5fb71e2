"""A focusable scroll holding Markdown: keyboard-scrollable text, links never open a browser."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown


class ReadingPane(VerticalScroll):
    """Markdown in a focusable VerticalScroll (Markdown alone cannot take focus)."""

    DEFAULT_CSS = """
    ReadingPane { height: 1fr; }
    ReadingPane > Markdown { margin: 0 1 0 0; }
    """

    def __init__(self, markdown: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._markdown = markdown

    def compose(self) -> ComposeResult:
        yield Markdown(self._markdown, open_links=False)

    @property
    def document(self) -> Markdown:
        return self.query_one(Markdown)

    @property
    def source(self) -> str:
        """The Markdown currently shown (tests read it)."""
        return self._markdown

    def show(self, markdown: str) -> None:
        """Replace the text and scroll back to its top."""
        self._markdown = markdown
        self.document.update(markdown)
        self.scroll_home(animate=False)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.prevent_default()
        self.app.notify(event.href, title="Link", timeout=10)
