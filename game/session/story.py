"""Finding and loading the story a session plays, or saying plainly why it cannot be played."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from game.format import load_story
from game.model import Story, StoryError
from game.session.paths import cache_dir, story_dir

SHOWN = 20  # problems printed before "and N more": the rest are one `kengir check` away


def report_problems(error: StoryError, path: Path, err: TextIO, what: str = "nothing was played") -> None:
    """Write a story's problems to `err`, one a line, and what that means for the command."""
    for problem in error.problems[:SHOWN]:
        err.write(f"{problem}\n")
    if len(error.problems) > SHOWN:
        err.write(f"... and {len(error.problems) - SHOWN} more; run `kengir check {path}`\n")
    err.write(f"The story in {path} has errors; {what}.\n")


def load_story_or_report(story_arg: str | Path | None, err: TextIO, what: str = "nothing was played") -> Story | None:
    """The story at --story (or the default), or None after printing its problems to `err`."""
    path = story_dir(story_arg)
    try:
        return load_story(path, cache_dir())
    except StoryError as exc:
        report_problems(exc, path, err, what)
        return None
