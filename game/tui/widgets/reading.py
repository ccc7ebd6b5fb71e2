"""A focusable scroll holding Markdown: keyboard-scrollable text, links never open a browser.

Two ways to draw it. Pages read once (notes, the ending, help) use Textual's Markdown widget,
which styles headings and links with the theme. The scene text, redrawn after every choice,
uses one Static showing Rich's Markdown renderable (`fast=True`): Textual's widget mounts a
child widget per paragraph, and remounting them (with the CSS each needs) took most of the
time between a number key and the next scene.
"""

from __future__ import annotations

import copy

from markdown_it import MarkdownIt
from rich.markdown import Markdown as RichMarkdown
from textual import getters
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from game.session.console import visible
from game.tui.game_app import GameApp

_PARSER = MarkdownIt().enable("strikethrough").enable("table")  # as Rich's Markdown (rich 14-15) builds it
_TEMPLATE = RichMarkdown("", hyperlinks=False)  # a click must never open a browser


def parsed_markdown(markup: str) -> RichMarkdown:
    """Rich's Markdown of `markup`, parsed by one parser kept for every scene. Rich builds a new
    parser, compiling its patterns, for each text: a third of the time a scene's text took."""
    markdown = copy.copy(_TEMPLATE)
    markdown.markup = markup
    markdown.parsed = _PARSER.parse(markup)
    return markdown


class ReadingPane(VerticalScroll):
    """Markdown in a focusable VerticalScroll (Markdown alone cannot take focus)."""

    app = getters.app(GameApp)

    DEFAULT_CSS = """
    ReadingPane { height: 1fr; }
    ReadingPane > Markdown, ReadingPane > Static { margin: 0 1 0 0; }
    """

    def __init__(self, markdown: str = "", *, fast: bool = False, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._markdown = visible(markdown)
        self.fast = fast

    def compose(self) -> ComposeResult:
        if self.fast:
            yield Static(parsed_markdown(self._markdown))
        else:
            yield Markdown(self._markdown, open_links=False)

    @property
    def source(self) -> str:
        """The Markdown currently shown (tests read it)."""
        return self._markdown

    def show(self, markdown: str, *, keep_place: bool = False) -> None:
        """Replace the text, and scroll back to its top (or, `keep_place`, stay where the reader is).
        Control characters are shown, never sent to the terminal (a story file may hold them)."""
        markdown = visible(markdown)
        self._markdown = markdown
        if not self.children:  # not composed yet: compose will show the text just kept
            return
        if self.fast:
            self.query_one(Static).update(parsed_markdown(markdown))
        else:
            self.query_one(Markdown).update(markdown)
        if not keep_place:
            self.scroll_home(animate=False)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.prevent_default()
        self.app.notify(event.href, title="Link", timeout=10)
