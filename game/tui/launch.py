"""`kengir` / `kengir play`: build the app, paint the title, then load the story.

The story engine and the story are loaded just after the first frame is on the screen (see
KengirApp.loader), so the title appears about as fast as Textual itself can paint one screen.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import Any


class LaunchError(Exception):
    """The story cannot be played; `message` goes to stderr once the terminal is restored."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.message = message
        self.code = code


def story_loader(args: argparse.Namespace):
    """The (story, save store) of `args`, loaded on demand; raises LaunchError."""
    def load():
        from ..cli import load_story_or_report  # the same story loading and error report as the plain player
        from ..engine import SaveStore
        from ..locations import saves_dir

        err = io.StringIO()
        story = load_story_or_report(args.story, err)
        if story is None:
            raise LaunchError(err.getvalue(), 1)
        if args.perspective and args.perspective not in story.perspectives:
            raise LaunchError(f"kengir: there is no perspective {args.perspective!r}; "
                              f"there are: {', '.join(story.perspectives)}\n", 2)
        return story, SaveStore(saves_dir(args.saves))
    return load


def session_options(args: argparse.Namespace):
    """What else `args` asks of the app, worked out once the story is loaded: the assignment
    (--assignment, --name, --records), a writer's start (--from, --set) and the folder to
    reload live. Raises LaunchError (1: a bad assignment, 2: a bad --from or --set)."""
    def configure(story) -> dict[str, Any]:
        from ..cli import parse_assignments
        from ..engine import RunError
        from ..engine.assignment import AssignmentError, load_assignment
        from ..locations import saves_dir, story_dir
        from .reload import reload_wanted

        assignment = None
        if getattr(args, "assignment", None):
            try:
                assignment = load_assignment(args.assignment, story)
            except AssignmentError as exc:
                problems = "".join(f"{problem}\n" for problem in exc.problems)
                raise LaunchError(problems + "The assignment has errors; ask your teacher for a corrected file.\n", 1) from None
        start = getattr(args, "start", None)
        if start and start not in story.scenes:
            raise LaunchError(f"kengir: there is no scene {start!r} (see `kengir graph` for the scene ids)\n", 2)
        try:
            variables = parse_assignments(story, getattr(args, "assign", None) or [])
        except RunError as exc:
            raise LaunchError(f"kengir: {exc}\n", 2) from None
        records = getattr(args, "records", None) or os.environ.get("KENGIR_RECORDS") or saves_dir(args.saves) / "records"
        path = story_dir(args.story)
        explicit = bool(args.story or os.environ.get("KENGIR_STORY"))
        return {
            "assignment": assignment, "student": getattr(args, "name", None) or "", "records": Path(records),
            "start": start, "variables": variables, "watch": path if reload_wanted(path, explicit) else None,
        }
    return configure


def story_settings_path(args: argparse.Namespace) -> Path:
    """The player's settings file beside the saves of `args`."""
    from ..locations import meta_dir, saves_dir

    return meta_dir(saves_dir(args.saves)) / "settings.json"


def launch(args: argparse.Namespace) -> int:
    """Run the terminal game; 1 when the story does not load (its problems go to stderr)."""
    from .app import KengirApp

    app = KengirApp(None, None, story_settings_path(args), seed=args.seed,
                    perspective=args.perspective, intensity=args.intensity, resume=args.resume,
                    loader=story_loader(args), configure=session_options(args))
    app.run()
    if app.launch_error is not None:
        sys.stderr.write(app.launch_error.message)
        return app.launch_error.code
    return 0
