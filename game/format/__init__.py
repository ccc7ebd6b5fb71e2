"""Story files into a checked Story (the game's compiler, as ink has one): the strict YAML reader,
the builders, the cache and the two-core loader; and a teacher's assignment file.

The rest of the game imports from here. Importing it is light: the YAML library and the
builders are imported only when a story is really read (a warm start never reads one)."""

from game.format.assignment_file import KEYS as ASSIGNMENT_KEYS
from game.format.assignment_file import PROMPT_KEYS as ASSIGNMENT_PROMPT_KEYS
from game.format.assignment_file import assignment_from_dict, load_assignment
from game.format.fields import ID_PATTERN
from game.format.files import shown_path, story_files
from game.format.load import load_story, read_story
from game.format.places import ScenePlaces
from game.format.vocabulary import BLOCK_KEYS, CHOICE_KEYS, ROUTE_KEYS, SCENE_KEYS, STORY_KEYS
from game.runtime import AssignmentError

__all__ = [
    "ASSIGNMENT_KEYS",
    "ASSIGNMENT_PROMPT_KEYS",
    "BLOCK_KEYS",
    "ROUTE_KEYS",
    "CHOICE_KEYS",
    "ID_PATTERN",
    "SCENE_KEYS",
    "ScenePlaces",
    "STORY_KEYS",
    "AssignmentError",
    "assignment_from_dict",
    "load_assignment",
    "load_story",
    "read_story",
    "shown_path",
    "story_files",
]
