"""The words of the story format: the keys a story, a scene and a choice may have.

The readers check against these, and `kengir schema` writes them out for editors, so that the
two never disagree."""

from __future__ import annotations

STORY_KEYS = ("title", "start", "acts", "places", "perspectives", "endings", "prompts", "variables")
SCENE_KEYS = (
    "act",
    "date",
    "place",
    "title",
    "text",
    "summary",
    "violence",
    "notes",
    "terms",
    "people",
    "prompts",
    "perspectives",
    "choices",
    "ending",
    "debrief",
)
CHOICE_KEYS = ("text", "goto", "if", "else", "set", "once", "fallback")
BLOCK_KEYS = ("text", "if", "else", "notes", "violence", "summary")
ROUTE_KEYS = ("if", "to")
SCENE_REQUIRED = ("act", "date", "place", "title", "text")
SCENE_OPTIONAL = tuple(k for k in SCENE_KEYS if k not in SCENE_REQUIRED)
