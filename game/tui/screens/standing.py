"""Where the player stands: the relationships and standing the story shows (the side panel of a
wide terminal, a key away on a narrow one)."""

from __future__ import annotations

from game.tui.screens.reading_screen import ReadingScreen
from game.tui.widgets.stats import shown_stats


class StandingScreen(ReadingScreen):
    TITLE_TEXT = "Where you stand"

    def markdown(self) -> str:
        run = self.run
        if run is None:
            return ""
        variables = {v.label or v.id: v for v in run.story.variables.values()}
        lines = []
        for label, value in shown_stats(run):
            variable = variables.get(label)
            about = f": {variable.description}" if variable is not None and variable.description else ""
            lines.append(f"- **{label}**: {value}{about}")
        if not lines:
            return "This perspective tracks nothing you can see."
        return "\n".join(lines) + "\n\n*These change with what you do; each opens or closes some of your choices.*"
