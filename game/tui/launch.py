"""`kengir` / `kengir play`: build the app, paint the title, then load the story.

The story engine and the story are loaded just after the first frame is on the screen (see
KengirApp.loader), so the title appears about as fast as Textual itself can paint one screen.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path


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


def story_settings_path(args: argparse.Namespace) -> Path:
    """The player's settings file beside the saves of `args`."""
    from ..locations import meta_dir, saves_dir

    return meta_dir(saves_dir(args.saves)) / "settings.json"


def launch(args: argparse.Namespace) -> int:
    """Run the terminal game; 1 when the story does not load (its problems go to stderr)."""
    from .app import KengirApp

    app = KengirApp(None, None, story_settings_path(args), seed=args.seed,
                    perspective=args.perspective, intensity=args.intensity, resume=args.resume,
                    loader=story_loader(args))
    app.run()
    if app.launch_error is not None:
        sys.stderr.write(app.launch_error.message)
        return app.launch_error.code
    return 0
