"""Finding and loading the story a session plays, or saying plainly why it cannot be played."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from game.format import load_story
from game.model import Story, StoryError
from game.session.paths import cache_dir, story_dir

SHOWN = 20  # problems printed before "and N more": the rest are one `kengir check` away

# A story loaded before this process forked (`kengir serve`'s fork server, game/web/forkserver.py):
# (its folder, its files' mtimes and sizes then, the story). A forked game plays it instead of
# reading the cache again, so its pages stay shared with the fork server's.
_preloaded: tuple[Path, dict[str, tuple[int, int]], Story] | None = None


def _signature(path: Path) -> dict[str, tuple[int, int]]:
    from game.format import story_files

    signature = {}
    for file in story_files(path):
        stat = file.stat()
        signature[str(file)] = (stat.st_mtime_ns, stat.st_size)
    return signature


def preload_story(story_arg: str | Path | None, err: TextIO) -> Story | None:
    """Load the story as load_story_or_report does and keep it for this process and its forks."""
    global _preloaded
    path = story_dir(story_arg)
    try:
        before = _signature(path)
    except OSError:
        before = {}
    story = load_story_or_report(story_arg, err)
    if story is not None and before:
        _preloaded = (path.resolve(), before, story)
    return story


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
    if _preloaded is not None and _preloaded[0] == path.resolve():
        try:
            if _signature(path) == _preloaded[1]:  # a writer may have edited it since: then read it again
                return _preloaded[2]
        except OSError:
            pass
    try:
        return load_story(path, cache_dir())
    except StoryError as exc:
        report_problems(exc, path, err, what)
        return None
