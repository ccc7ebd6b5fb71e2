"""A story played: the run a front end steps through (modelled on ink's runtime), its state,
and the rules of an assignment. Imports only the model.

    run = Run.start(story, seed=7, perspective="woman")
    run.scene, run.text, run.choices, run.ended
    run.choose(0); run.undo(); run.to_dict()
"""

from game.runtime.assignment import INTENSITY_CHOICES, Assignment, AssignmentError, story_prompt_ids
from game.runtime.rules import ChoiceView
from game.runtime.run import (
    INTENSITIES,
    SAVE_FORMAT,
    SAVE_VERSION,
    Answer,
    EndingView,
    LogEntry,
    ReplayError,
    Run,
    RunError,
    iso_time,
    parse_time,
)
from game.runtime.state import State, draw, new_seed, once_mark

__all__ = [
    "INTENSITIES",
    "INTENSITY_CHOICES",
    "SAVE_FORMAT",
    "SAVE_VERSION",
    "Answer",
    "Assignment",
    "AssignmentError",
    "ChoiceView",
    "EndingView",
    "LogEntry",
    "ReplayError",
    "Run",
    "RunError",
    "State",
    "draw",
    "new_seed",
    "iso_time",
    "once_mark",
    "parse_time",
    "story_prompt_ids",
]
