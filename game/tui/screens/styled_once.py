"""A screen whose first showing keeps the styles its widgets were given as they were mounted."""

from __future__ import annotations

from textual import events


class StyledOnce:
    """Mix into a Screen (before Screen in its bases).

    Textual styles a screen's widgets as they are mounted, then again when the screen is first
    shown (its ScreenResume), though nothing has changed in between: a part of the 10-25 ms of
    processor time each of the screens a game opens first (the title, the content note, play)
    took to be shown, paid by every game of a lab as its class starts together. A later showing (back from the notes, a
    theme changed in the settings) is styled as Textual does."""

    _shown_once = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._shown_once:
            self._shown_once = True
            event.refresh_styles = False  # (read by Screen's own handler, which runs after this)
