"""The glossary: every term the story defines, alphabetically."""

from __future__ import annotations

from game.tui.screens.reading_screen import ReadingScreen


class GlossaryScreen(ReadingScreen):
    TITLE_TEXT = "Glossary"

    def markdown(self) -> str:
        terms = sorted(self.story.terms.values(), key=lambda t: t.term.lower())
        if not terms:
            return "The story defines no terms."
        return "\n\n".join(f"**{t.term}**: {t.definition.strip()}" for t in terms)
