"""The real timeline of 1954, with the player's in-story date marked between the events."""

from __future__ import annotations

from game.session.texts import pretty_date
from game.tui.screens.reading_screen import ReadingScreen

MARK = "◆ you are here"


def timeline_markdown(events: list[tuple[str, str, str]], now: str | None) -> str:
    """`events` as (date, title, text), sorted here; `now` (a scene date) marked before the first later event."""
    lines: list[str] = []
    marked = now is None
    for date, title, text in sorted(events, key=lambda e: e[0]):
        if not marked and now is not None and date > now:
            lines.append(f"**{MARK}** ({pretty_date(now)})")
            marked = True
        entry = f"**{pretty_date(date)}**: {title}"
        if text.strip():
            entry += f"  \n{text.strip()}"
        lines.append(entry)
    if not marked and now is not None:
        lines.append(f"**{MARK}** ({pretty_date(now)})")
    return "\n\n".join(lines) if lines else "The story has no timeline."


class TimelineScreen(ReadingScreen):
    TITLE_TEXT = "Timeline"

    def markdown(self) -> str:
        now = self.run.scene.date if self.run else None
        events = [(e.date, e.title, e.text) for e in self.story.events.values()]
        return timeline_markdown(events, now)
