"""People: the historical ones and the composites, each labelled as which."""

from __future__ import annotations

from game.tui.screens.reading_screen import ReadingScreen

LABELS = {
    "historical": "Historical person",
    "composite": "Composite: not a real person, built from several",
}


class PeopleScreen(ReadingScreen):
    TITLE_TEXT = "People"

    def markdown(self) -> str:
        people = list(self.story.people.values())
        if not people:
            return "The story names no people."
        parts = []
        for kind, heading in (("historical", "Historical people"), ("composite", "Composites")):
            group = [p for p in people if p.kind == kind]
            if not group:
                continue
            parts.append(f"## {heading}")
            for person in group:
                role = f" · {person.role}" if person.role else ""
                parts.append(f"**{person.name}**{role}  \n*{LABELS.get(kind, kind)}*")
                if person.bio.strip():
                    parts.append(person.bio.strip())
        return "\n\n".join(parts)
