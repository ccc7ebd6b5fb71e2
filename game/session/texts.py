"""Story text as people read it: dates in words, Markdown as plain words, messages as
sentences. Shared by the plain player, the terminal game and the teachers' tools."""

from __future__ import annotations

import re

_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_HEADING = re.compile(r"^#{1,6}\s*", re.MULTILINE)


def plain_text(markdown: str) -> str:
    """Markdown as a screen reader should hear it: no asterisks, underscores or hashes, and each
    paragraph on one line (see `paragraphs`)."""
    return _HEADING.sub("", _EMPHASIS.sub(r"\2", paragraphs(markdown)))


_BLOCK_START = re.compile(r"\s*(?:[-*+]\s|\d+[.)]\s|>|#|\|)")


def paragraphs(markdown: str) -> str:
    """Each paragraph on one line, as Markdown means it: a story file breaks its lines where its
    writer's editor did, and a line break inside a paragraph is only a space. List items, quoted
    lines, table rows and hard breaks (two spaces at a line's end) keep their own lines."""
    lines: list[str] = []
    joinable = False  # the last line is a paragraph's text, not ended by a hard break
    for line in markdown.split("\n"):
        if not line.strip():
            lines.append("")
            joinable = False
        elif joinable and not _BLOCK_START.match(line):
            lines[-1] = f"{lines[-1]} {line.strip()}"
            joinable = not line.endswith("  ")
        else:
            lines.append(line.rstrip())
            joinable = not line.endswith("  ") and not line.lstrip().startswith(("#", "|"))
    return "\n".join(lines)


def sentence(message: str) -> str:
    """An error message as a sentence: first letter up, one full stop."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message[-1] in ".!?…" else message + "."


def pretty_date(date: str) -> str:
    """1954-05-17 as '17 May 1954'; partial dates as far as they go."""
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    parts = date.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {months[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{months[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return date


CONTENT_NOTE = (
    "**Before you begin.** This game is set in the **Kengir uprising** of 1954, when the prisoners of a Soviet"
    " Gulag camp in Kazakhstan took over their zone for forty days.\n\n"
    "It depicts imprisonment, **shootings** of unarmed prisoners, and the **tank assault** that ended the"
    " uprising, in which many people died.\n\n"
    "The events are **real** and the historical notes cite their sources. The people you play are"
    " **composites**, built from many prisoners' accounts; they are not real individuals.\n\n"
    "You can read violent scenes in full, or as short summaries."
)
"""Shown before a first new game, in the terminal game and in plain mode (Markdown, a paragraph a
line); each adds how to change the choice later."""


STARTS_LATER = (
    "This part starts later in the story. Your character has lived the days before it: the game has"
    " made their earlier choices as a player might have, so you begin where those choices led (your"
    " record lists them for your teacher)."
)
"""Said at the start of an assignment that begins mid-story with a drawn earlier state
(game/runtime/catch_up.py), in the terminal game and in plain mode."""
