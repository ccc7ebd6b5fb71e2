"""The side panel of stats the story marks `shown: true` (relationships and resolve)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from game.runtime import Run

_USED: dict[tuple[int, str], set[str]] = {}


def shown_stats(run: Run) -> list[tuple[str, str]]:
    """(label, value) for each shown variable this perspective's scenes use, in declaration order."""
    from game.model import variables_of

    key = (id(run.story), run.perspective)
    if key not in _USED:  # once per story and perspective: it walks every scene
        _USED[key] = variables_of(run.story, run.perspective)
    used = _USED[key]
    rows = []
    for var in run.story.variables.values():
        if var.shown and var.id in used:
            value = run.state.vars.get(var.id, var.default)
            if isinstance(value, bool):
                text = "yes" if value else "no"
            elif var.type == "int" and var.maximum is not None:
                text = f"{value} / {var.maximum}"
            else:
                text = str(value)
            rows.append((var.label or var.id, text))
    return rows


class StatsPanel(Static):
    """Label: value lines; folds away on narrow terminals (see screens.tcss)."""

    _rows: list[tuple[str, str]] | None = None

    def show(self, run: Run) -> None:
        rows = shown_stats(run)
        if rows == self._rows:  # (an update lays the screen out again)
            return
        self._rows = rows
        self.set_class(not rows, "-empty")
        text = Text()
        for label, value in rows:
            text.append(label + "\n", style="bold")
            text.append(f"  {value}\n")
        self.update(text)
