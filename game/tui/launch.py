"""`kengir` / `kengir play`: load the story, build the app, run it in the terminal."""

from __future__ import annotations

import argparse
import sys

from ..engine import SaveStore
from ..locations import meta_dir, saves_dir


def launch(args: argparse.Namespace) -> int:
    """Run the terminal game; 1 when the story does not load (its problems go to stderr)."""
    from ..cli import load_story_or_report  # the same story loading and error report as the plain player
    from .app import KengirApp

    story = load_story_or_report(args.story, sys.stderr)
    if story is None:
        return 1
    if args.perspective and args.perspective not in story.perspectives:
        sys.stderr.write(f"kengir: there is no perspective {args.perspective!r}; there are: {', '.join(story.perspectives)}\n")
        return 2
    store = SaveStore(saves_dir(args.saves))
    app = KengirApp(story, store, meta_dir(store.folder) / "settings.json", seed=args.seed,
                    perspective=args.perspective, intensity=args.intensity, resume=args.resume)
    app.run()
    return 0
