"""The `kengir` command: parses arguments and imports only what the chosen command needs."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from . import __version__

COMMANDS = ("play", "check", "test")


def _add_story_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--story", metavar="DIR", help="the story folder (default: the bundled story; env KENGIR_STORY)")
    parser.add_argument("--saves", metavar="DIR", help="the save folder (env KENGIR_SAVES)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kengir",
        description="Kengir: Forty Days, a narrative game about the Kengir uprising of 1954.",
        epilog="With no command, `kengir` opens the game in the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"kengir {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="play the game (the default command)")
    _add_story_options(play)
    play.add_argument("--plain", action="store_true", help="plain lines on stdin/stdout, for screen readers and pipes")
    play.add_argument("--seed", type=int, default=None, help="the run's seed (default: random)")
    play.add_argument("--perspective", help="start as this perspective, skipping the choice")
    play.add_argument("--intensity", choices=("full", "summary"), help="show violent scenes in full or as summaries")
    play.add_argument("--continue", dest="resume", action="store_true", help="continue the latest autosave")

    check = sub.add_parser("check", help="check a story folder for errors")
    check.add_argument("dir", nargs="?", metavar="DIR", help="the story folder (default: the bundled story)")
    check.add_argument("--json", action="store_true", help="print one JSON object")

    test = sub.add_parser("test", help="play the story automatically and report coverage")
    test.add_argument("dir", nargs="?", metavar="DIR", help="the story folder (default: the bundled story)")
    test.add_argument("--runs", type=int, default=1000, help="random runs to play (default 1000)")
    test.add_argument("--seed", type=int, default=0, help="seed of the first run; run i uses seed+i (default 0)")
    test.add_argument("--jobs", type=int, default=None, help="processes to use (default: all cores)")
    test.add_argument("--perspective", help="start every run as this perspective")
    test.add_argument("--exhaustive", action="store_true", help="explore every reachable state instead of random runs")
    test.add_argument("--limit", type=int, default=200_000, help="state limit of --exhaustive (default 200000)")
    test.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "play")
    parser = build_parser()
    args = parser.parse_args(args_list)
    out = stdout or sys.stdout
    if args.command == "check":
        from .locations import story_dir
        from .tools.check import run_check

        return run_check(story_dir(args.dir), args.json, out)
    if args.command == "test":
        return _test(args, out)
    if args.command == "play":
        return _play(args, stdin or sys.stdin, out)
    parser.print_help(out)
    return 2


def _load(story_arg: str | None, err: TextIO):
    from .engine import StoryError, load_story
    from .locations import story_dir

    path = story_dir(story_arg)
    try:
        return load_story(path)
    except StoryError as exc:
        for problem in exc.problems[:20]:
            err.write(f"{problem}\n")
        if len(exc.problems) > 20:
            err.write(f"... and {len(exc.problems) - 20} more; run `kengir check {path}`\n")
        err.write(f"The story in {path} has errors; nothing was played.\n")
        return None


def _play(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    if not args.plain:
        from .tui.launch import launch

        return launch(args)
    from .engine import Run, RunError, SaveStore
    from .locations import saves_dir
    from .plain import PlainPlayer

    story = _load(args.story, sys.stderr)
    if story is None:
        return 1
    store = SaveStore(saves_dir(args.saves))
    run = store.latest(story) if args.resume else None
    if args.resume and run is None:
        out.write("No autosave to continue; starting a new game.\n")
    if run is None:
        seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
        try:
            run = Run.start(story, seed=seed, perspective=args.perspective, intensity=args.intensity or "full")
        except RunError as exc:
            sys.stderr.write(f"kengir: {exc}\n")
            return 2
    return PlainPlayer(story, run, store, stdin, out).play()


def _test(args: argparse.Namespace, out: TextIO) -> int:
    import json

    from .engine import StoryError
    from .locations import story_dir

    if args.runs < 1 or (args.jobs is not None and args.jobs < 1) or args.limit < 1:
        sys.stderr.write("kengir test: --runs, --jobs and --limit must be at least 1\n")
        return 2
    root = story_dir(args.dir)
    try:
        if args.exhaustive:
            from .engine import load_story
            from .tools.explore import exploration_report, explore, format_exploration

            story = load_story(root)
            doc = exploration_report(story, explore(story, args.perspective, args.limit))
            code = 0 if doc["complete"] and not doc["failures"] else 1
            text = format_exploration(doc, args.limit)
        else:
            from .tools.playtest import format_report, run_random

            doc, code = run_random(root, args.runs, args.seed, args.jobs, args.perspective)
            text = format_report(doc)
    except StoryError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"{problem}\n")
        sys.stderr.write("The story has errors; run `kengir check` first.\n")
        return 1
    except ValueError as exc:
        sys.stderr.write(f"kengir test: {exc}\n")
        return 2
    out.write((json.dumps(doc, indent=2, ensure_ascii=False) if args.json else text) + "\n")
    return code
