"""The story as data: the checked records a run plays, the small expression language, and the
problems a story can have. The bottom layer: it imports nothing else of the game.

The rest of the game imports from here (and the expression language from game.model.expressions).
"""

from game.model.problems import Pos, Problem, Problems, StoryError, did_you_mean
from game.model.story import (
    INT_LIMIT,
    NOTE_KINDS,
    PERSON_KINDS,
    RELIABILITY,
    Act,
    Choice,
    Effect,
    EndingKind,
    Event,
    Note,
    Person,
    Perspective,
    Prompt,
    RollSite,
    Route,
    Scene,
    Source,
    Story,
    Template,
    Term,
    TextBlock,
    Variable,
)
from game.model.usage import choice_expressions, scene_expressions, scene_templates, variables_of

__all__ = [
    "INT_LIMIT",
    "NOTE_KINDS",
    "PERSON_KINDS",
    "RELIABILITY",
    "Act",
    "Choice",
    "Effect",
    "EndingKind",
    "Event",
    "Note",
    "Person",
    "Perspective",
    "Pos",
    "Problem",
    "Problems",
    "Prompt",
    "RollSite",
    "Route",
    "Scene",
    "Source",
    "Story",
    "StoryError",
    "Template",
    "Term",
    "TextBlock",
    "Variable",
    "did_you_mean",
    "choice_expressions",
    "scene_expressions",
    "scene_templates",
    "variables_of",
]
