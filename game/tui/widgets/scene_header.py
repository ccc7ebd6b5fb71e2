"""The line that is always visible while playing: act, in-story date and place."""

from __future__ import annotations

from game.runtime import Run
from game.session.console import visible
from game.session.texts import pretty_date
from game.tui.widgets.line import Line


def where_and_when(run: Run) -> str:
    """'I. The strike · 17 May 1954 · The service yard (khozdvor)'."""
    story, scene = run.story, run.scene
    act = story.acts[scene.act].title if scene.act in story.acts else scene.act
    place = story.places.get(scene.place, scene.place)
    return " · ".join(p for p in (act, pretty_date(scene.date), place) if p)


class SceneHeader(Line):
    """Act · date · place, one line (wrapping on a narrow terminal)."""

    DEFAULT_CSS = """
    SceneHeader { height: auto; padding: 0 1; background: $panel; color: $text-muted; }
    """

    def show(self, run: Run) -> None:
        self.set_text(visible(where_and_when(run)))
