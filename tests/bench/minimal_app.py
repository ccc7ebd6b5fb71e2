"""The yardstick for start-up: the smallest Textual app that paints one screen, with the words
the game's title screen shows first ("New game"), so both are timed to the same event."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class MinimalApp(App[None]):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("Kengir\n\nNew game\nQuit")


if __name__ == "__main__":
    MinimalApp().run()
