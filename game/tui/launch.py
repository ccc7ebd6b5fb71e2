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

from game.tui.game_app import LaunchError


def story_loader(args: argparse.Namespace):
    """The (story, save store) of `args`, loaded on demand; raises LaunchError."""

    def load():
        from game.saves import SaveStore
        from game.session.paths import saves_dir
        from game.session.story import load_story_or_report  # the same story loading and error report as the plain player

        err = io.StringIO()
        story = load_story_or_report(args.story, err)
        if story is None:
            raise LaunchError(err.getvalue(), 1)
        if args.perspective:
            from game.runtime import RunError
            from game.session.options import find_perspective

            try:
                args.perspective = find_perspective(story, args.perspective)  # "teacher" means the political
            except RunError as exc:
                raise LaunchError(f"kengir: {exc}\n", 2) from None
        return story, SaveStore(saves_dir(args.saves))

    return load


def session_options(args: argparse.Namespace):
    """What else `args` asks of the app, worked out once the story is loaded: the assignment
    (--assignment, --name, --records), a writer's start (--from, --set) and the folder to
    reload live. Raises LaunchError (1: a bad assignment, 2: a bad --from or --set)."""

    def configure(story) -> dict[str, Any]:
        from game.classroom import KeyFileError, load_key
        from game.format import AssignmentError
        from game.runtime import RunError
        from game.session.options import assignment_problems, parse_set_values, read_assignment, start_scene
        from game.session.paths import records_dir, saves_dir, story_dir
        from game.tui.watcher import reload_wanted

        try:
            assignment = read_assignment(getattr(args, "assignment", None), story)
        except AssignmentError as exc:
            raise LaunchError(assignment_problems(exc), 1) from None
        try:
            start = start_scene(story, getattr(args, "start", None))
            variables = parse_set_values(story, getattr(args, "assign", None) or [])
        except RunError as exc:
            raise LaunchError(f"kengir: {exc}\n", 2) from None
        records = records_dir(getattr(args, "records", None), saves_dir(args.saves))
        try:
            sign_key = load_key(args.sign_key) if getattr(args, "sign_key", None) else None  # kengir serve's key
        except KeyFileError as exc:
            raise LaunchError(f"kengir: {exc}\n", 1) from None
        path = story_dir(args.story)
        explicit = bool(args.story or os.environ.get("KENGIR_STORY"))
        return {
            "perspective": args.perspective or None,
            "assignment": assignment,
            "student": getattr(args, "name", None) or "",
            "records": records,
            "sign_key": sign_key,
            "start": start,
            "variables": variables,
            "watch": path if reload_wanted(path, explicit) else None,
        }

    return configure


def story_settings_path(args: argparse.Namespace) -> Path:
    """The player's settings file beside the saves of `args`."""
    from game.session.paths import meta_dir, saves_dir

    return meta_dir(saves_dir(args.saves)) / "settings.json"


FRAME_WRITER_TURN = 0.0002  # seconds: how long a thread waits for the interpreter's lock


def launch(args: argparse.Namespace, *, collector_paused: bool = False) -> int:
    """Run the terminal game; 1 when the story does not load (its problems go to stderr).
    `collector_paused`: the caller turned the garbage collector off; the app turns it on."""
    from game.tui.app import KengirApp

    app = KengirApp(
        None,
        None,
        story_settings_path(args),
        seed=args.seed,
        perspective=args.perspective,
        intensity=args.intensity,
        resume=args.resume,
        loader=story_loader(args),
        configure=session_options(args),
        collector_paused=collector_paused,
    )
    # Textual writes each frame from a thread of its own, which must take the interpreter's lock
    # from the event loop; by default a thread waits up to 5 ms for it, and after a key the loop
    # goes on with its after-frame work (the footer, the end-of-text check) for 1-2 ms while the
    # new frame waits to be written. A shorter turn puts the frame on the screen about 1 ms
    # sooner (tests/bench/run.py, "key to screen").
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(FRAME_WRITER_TURN)
    try:
        app.run()
    finally:
        sys.setswitchinterval(switch_interval)
    if app.launch_error is not None:
        sys.stderr.write(app.launch_error.message)
        return app.launch_error.code
    return 0
