"""The player's own small files beside the saves: settings, and the endings found so far.

Both live in `meta_dir(saves)` (paths.py), are JSON, and are written atomically. The terminal
game and the plain player share them: the content note is shown once per save folder. A damaged or foreign
file is read as the defaults and never crashes the game; it is replaced on the next write.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

THEMES = ("textual-dark", "textual-light", "ansi-dark", "ansi-light", "nord", "gruvbox", "solarized-light")
INTENSITIES = ("full", "summary")


@dataclass
class Settings:
    """What the player chose in the Settings screen, kept between runs."""

    theme: str = "textual-dark"
    """A Textual theme name; ansi-dark and ansi-light use the terminal's own colours."""
    intensity: str = "full"
    """'full' shows violent scenes as written; 'summary' shows their short summaries."""
    animations: bool = True
    """False sets App.animation_level to 'none'."""
    content_note_seen: bool = False
    """True once the player has read the content note before a first new game."""

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read settings from `path`; anything missing or malformed falls back to the default."""
        data = _read_json(path)
        settings = cls()
        if isinstance(data, dict):
            for f in fields(cls):
                value = data.get(f.name)
                if isinstance(value, type(getattr(settings, f.name))):
                    setattr(settings, f.name, value)
        if settings.intensity not in INTENSITIES:
            settings.intensity = "full"
        return settings

    def save(self, path: Path) -> None:
        from game.atomic import write_atomic  # the engine is imported after the title is painted

        write_atomic(path, json.dumps(asdict(self), indent=1))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def endings_found(path: Path) -> set[str]:
    """The ending ids reached in any run on this machine (stored as a JSON list)."""
    data = _read_json(path)
    return {str(x) for x in data} if isinstance(data, list) else set()


def record_ending(path: Path, ending_id: str) -> set[str]:
    """Add `ending_id` to the endings found and return the whole set."""
    found = endings_found(path)
    if ending_id not in found:
        from game.atomic import write_atomic

        found.add(ending_id)
        write_atomic(path, json.dumps(sorted(found)))
    return found
