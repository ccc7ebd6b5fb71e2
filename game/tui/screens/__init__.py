"""The screens, one module each. `make(name)` builds one by name (for the app's actions)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from textual.screen import Screen

_SCREENS = {
    "notes": ("notes", "NotesScreen"),
    "glossary": ("glossary", "GlossaryScreen"),
    "people": ("people", "PeopleScreen"),
    "timeline": ("timeline", "TimelineScreen"),
    "history": ("history", "HistoryScreen"),
    "saves": ("saves", "SavesScreen"),
}


def make(name: str, **kwargs: Any) -> Screen[Any]:
    module, cls = _SCREENS[name]
    return getattr(import_module(f"{__name__}.{module}"), cls)(**kwargs)
