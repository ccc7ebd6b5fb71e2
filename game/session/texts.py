"""Story text as people read it: dates in words, Markdown as plain words, messages as
sentences. Shared by the plain player, the terminal game and the teachers' tools."""

from __future__ import annotations

import re

_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_HEADING = re.compile(r"^#{1,6}\s*", re.MULTILINE)


def plain_text(markdown: str) -> str:
    """Markdown as a screen reader should hear it: no asterisks, underscores or hashes."""
    return _HEADING.sub("", _EMPHASIS.sub(r"\2", markdown))


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
