"""The transcript of this run: each scene's title and the choice taken there."""

from __future__ import annotations

from game.tui.screens.reading_screen import ReadingScreen


class HistoryScreen(ReadingScreen):
    TITLE_TEXT = "This run so far"

    def markdown(self) -> str:
        run = self.run
        if run is None:
            return ""
        scenes = self.story.scenes
        lines = [f"{n}. **{scenes[e.scene].title if e.scene in scenes else e.scene}**: {e.text}" for n, e in enumerate(run.log, 1)]
        if not lines:
            lines.append("No choices made yet.")
        lines.append(f"\nNow: **{run.scene.title}**")
        return "\n".join(lines)
