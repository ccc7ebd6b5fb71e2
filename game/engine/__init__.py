"""The story engine: pure Python, no user interface (it must never import Textual).

Every front end (the terminal game, the plain player, the tools) uses only what is here.
"""

from .loader import load_story, read_story
from .model import Choice, Note, Scene, Story
from .problems import Pos, Problem, Problems, StoryError
from .runner import ChoiceView, EndingView, LogEntry, ReplayError, Run, RunError
from .saves import SaveError, SaveInfo, SaveStore

__all__ = [
    "Choice", "ChoiceView", "EndingView", "LogEntry", "Note", "Pos", "Problem", "Problems",
    "ReplayError", "Run", "RunError", "SaveError", "SaveInfo", "SaveStore", "Scene", "Story",
    "StoryError", "load_story", "read_story",
]
