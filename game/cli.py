"""The `kengir` command: parses arguments and imports only what the chosen command needs."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from . import __version__

COMMANDS = ("play", "check", "test", "graph", "schema", "new", "report", "verify", "class-summary", "serve")


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
    play.add_argument("--assignment", metavar="FILE", help="play a teacher's assignment (see docs/TEACHING.md)")
    play.add_argument("--name", help="the student's name, for the record")
    play.add_argument("--records", metavar="DIR", help="where records of assigned sessions go (default: SAVES/records; env KENGIR_RECORDS)")
    play.add_argument("--from", dest="start", metavar="SCENE", help="(writers) start at this scene")
    play.add_argument("--set", dest="assign", metavar="NAME=VALUE", action="append", default=[],
                      help="(writers) start with this variable set; repeat for more")

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

    graph = sub.add_parser("graph", help="draw the story map (Graphviz DOT or Mermaid)")
    graph.add_argument("dir", nargs="?", metavar="DIR", help="the story folder (default: the bundled story)")
    graph.add_argument("--format", choices=("dot", "mermaid"), default="dot", help="output format (default dot)")
    graph.add_argument("--perspective", help="only the scenes this perspective can see")

    sub.add_parser("schema", help="print a JSON Schema of the story files, for editors")

    new = sub.add_parser("new", help="add a scene stub to the story")
    new.add_argument("kind", choices=("scene",), help="what to add")
    new.add_argument("id", help="the new scene's id, e.g. strike.gate")
    new.add_argument("--story", metavar="DIR", help="the story folder (default: the bundled story)")

    report = sub.add_parser("report", help="render a session record as Markdown, HTML or JSON")
    report.add_argument("record", metavar="RECORD", help="a record file written by an assigned session")
    report.add_argument("--format", choices=("md", "html", "json"), default="md", help="output format (default md)")
    report.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    report.add_argument("--story", metavar="DIR", help="the story to compare with, to note a record from another version (default: the bundled story)")

    verify = sub.add_parser("verify", help="replay a record against the story to confirm it is genuine")
    verify.add_argument("record", metavar="RECORD", help="a record file (JSON)")
    verify.add_argument("--story", metavar="DIR", help="the story it was played on (default: the bundled story)")

    summary = sub.add_parser("class-summary", help="summarise the records of a class")
    summary.add_argument("records", metavar="RECORD", nargs="+", help="record files")
    summary.add_argument("--format", choices=("md", "html"), default="md", help="output format (default md)")
    summary.add_argument("--names", action="store_true", help="show students' names (left out by default)")
    summary.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    serve = sub.add_parser("serve", help="serve the game to a lab's browsers (needs the `web` extra)")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this computer only)")
    serve.add_argument("--port", type=int, default=8000, help="the port (default 8000)")
    serve.add_argument("--assignment", metavar="FILE", help="every session plays this assignment (see docs/TEACHING.md)")
    serve.add_argument("--max-sessions", type=int, metavar="N", help="at most N games at once; the next browser is asked to wait")
    serve.add_argument("--records", metavar="DIR", help="where records of assigned sessions are kept (default: SAVES/records; env KENGIR_RECORDS)")
    serve.add_argument("--saves", metavar="DIR", help="holds one save folder per browser (default: SAVES/browser)")
    serve.add_argument("--story", metavar="DIR", help="the story folder (default: the bundled story; env KENGIR_STORY)")
    return parser


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    from .console import fit_input, fit_output

    # Story text, names and answers reach outputs that cannot carry every letter (a Windows
    # pipe in cp1252, a Latin-1 terminal): shown readably there, never a UnicodeEncodeError.
    fit_output(sys.stdout, sys.stderr)
    fit_input(sys.stdin)
    try:
        return _main(argv, stdin, stdout)
    except BrokenPipeError:
        # The reader went away (`kengir play --plain | head`): leave quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("\nInterrupted.\n")
        return 130


def _main(argv: Sequence[str] | None, stdin: TextIO | None, stdout: TextIO | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "play")
    parser = build_parser()
    args = parser.parse_args(args_list)
    out = stdout or sys.stdout
    if args.command == "check":
        from .locations import cache_dir, story_dir
        from .tools.check import run_check

        return run_check(story_dir(args.dir), args.json, out, cache_dir())
    if args.command == "test":
        return _test(args, out)
    if args.command == "graph":
        return _graph(args, out)
    if args.command == "schema":
        import json

        from .tools.schema import build_schema

        out.write(json.dumps(build_schema(), indent=2) + "\n")
        return 0
    if args.command == "new":
        return _new(args, out)
    if args.command in ("report", "verify", "class-summary"):
        from .tools.classroom import run_classroom_command

        return run_classroom_command(args, out)
    if args.command == "play":
        return _play(args, stdin or sys.stdin, out)
    if args.command == "serve":
        from .web import serve

        return serve(args)
    parser.print_help(out)
    return 2


def load_story_or_report(story_arg: str | None, err: TextIO) -> Any:
    """The story at --story (or the default), or None after printing its problems to `err`."""
    from .engine import StoryError, load_story
    from .locations import cache_dir, story_dir

    path = story_dir(story_arg)
    try:
        return load_story(path, cache_dir())
    except StoryError as exc:
        for problem in exc.problems[:20]:
            err.write(f"{problem}\n")
        if len(exc.problems) > 20:
            err.write(f"... and {len(exc.problems) - 20} more; run `kengir check {path}`\n")
        err.write(f"The story in {path} has errors; nothing was played.\n")
        return None


def _play(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    if not args.plain:
        try:
            import textual  # noqa: F401  (launch imports it only after the first frame)

            from .tui.launch import launch
        except ImportError as exc:  # run from a checkout without installing the dependencies
            sys.stderr.write(f"kengir: the terminal game needs {exc.name or 'textual'}, which is not installed.\n"
                             "Install the game with: pip install -e .   (or play in plain text: kengir play --plain)\n")
            return 2
        return launch(args)
    from .engine import Run, RunError, SaveStore
    from .locations import saves_dir
    from .plain import PlainPlayer

    story = load_story_or_report(args.story, sys.stderr)
    if story is None:
        return 1
    store = SaveStore(saves_dir(args.saves))
    assignment = None
    if args.assignment:
        from .engine.assignment import AssignmentError, load_assignment

        try:
            assignment = load_assignment(args.assignment, story)
        except AssignmentError as exc:
            for problem in exc.problems:
                sys.stderr.write(f"{problem}\n")
            sys.stderr.write("The assignment has errors; ask your teacher for a corrected file.\n")
            return 1
    run = store.continuable(story, assignment.id if assignment is not None else None) if args.resume else None
    if args.resume and run is None:
        out.write("No game in progress to continue; starting a new game.\n")
    if run is None:
        seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
        perspective = args.perspective
        intensity = args.intensity
        if assignment is not None and not perspective:
            perspective = _ask_perspective(story, assignment, stdin, out)
        if assignment is not None and assignment.intensity == "student" and not intensity:
            intensity = _ask_intensity(stdin, out)
        try:
            variables = parse_assignments(story, args.assign)
            run = Run.start(story, seed=seed, perspective=perspective, intensity=intensity or "full",
                            start=args.start, variables=variables, assignment=assignment, student=args.name or "")
        except RunError as exc:
            sys.stderr.write(f"kengir: {exc}\n")
            return 2
    records = Path(args.records or os.environ.get("KENGIR_RECORDS") or store.folder / "records")
    return PlainPlayer(story, run, store, stdin, out, records=records).play()


def _ask_intensity(stdin: TextIO, out: TextIO) -> str:
    """In plain mode, let the student choose how violent scenes are told (the assignment leaves it to them)."""
    out.write("This story depicts shootings and a tank assault in which people die.\n"
              "1. Read violent scenes in full\n2. Read them as short summaries\n")
    while True:
        out.write("> ")
        out.flush()
        line = stdin.readline()
        if not line or line.strip() == "1":
            return "full"
        if line.strip() == "2":
            return "summary"
        out.write("Type 1 or 2.\n")


def _ask_perspective(story, assignment, stdin: TextIO, out: TextIO) -> str | None:
    """In plain mode, let the student choose among the perspectives the assignment allows."""
    allowed = [p for p in story.perspectives.values() if assignment.allows(p.id)]
    if len(allowed) <= 1:
        return allowed[0].id if allowed else None
    out.write("Choose who you will be:\n")
    for number, perspective in enumerate(allowed, 1):
        out.write(f"{number}. {perspective.title}: {perspective.blurb}\n")
    while True:
        out.write("> ")
        out.flush()
        line = stdin.readline()
        if not line:
            return allowed[0].id
        if line.strip().isdigit() and 1 <= int(line) <= len(allowed):
            return allowed[int(line) - 1].id
        out.write(f"Type a number from 1 to {len(allowed)}.\n")


def _test(args: argparse.Namespace, out: TextIO) -> int:
    import json

    from .engine import StoryError
    from .locations import cache_dir, story_dir

    if args.runs < 1 or (args.jobs is not None and args.jobs < 1) or args.limit < 1:
        sys.stderr.write("kengir test: --runs, --jobs and --limit must be at least 1\n")
        return 2
    root = story_dir(args.dir)
    from .tools.forked_work import WorkerFailed

    try:
        if args.exhaustive:
            from .engine import load_story
            from .tools.explore import exploration_report, explore, format_exploration

            story = load_story(root, cache_dir())
            doc = exploration_report(story, explore(story, args.perspective, args.limit))
            code = 0 if doc["complete"] and not doc["failures"] else 1
            text = format_exploration(doc, args.limit)
        else:
            from .tools.playtest import format_report, run_random

            doc, code = run_random(root, args.runs, args.seed, args.jobs, args.perspective, cache_dir())
            text = format_report(doc)
    except StoryError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"{problem}\n")
        sys.stderr.write("The story has errors; run `kengir check` first.\n")
        return 1
    except ValueError as exc:
        sys.stderr.write(f"kengir test: {exc}\n")
        return 2
    except WorkerFailed as exc:  # a process sharing the runs failed: no partial report
        sys.stderr.write(f"kengir test: {exc}\nRun it again with --jobs 1 to see where.\n")
        return 1
    out.write((json.dumps(doc, indent=2, ensure_ascii=False) if args.json else text) + "\n")
    return code


def parse_assignments(story, assignments: list[str]) -> dict[str, object]:
    """NAME=VALUE pairs from --set, typed by the variables' declarations."""
    from .engine import RunError

    values: dict[str, object] = {}
    for item in assignments:
        name, sep, raw = item.partition("=")
        var = story.variables.get(name.strip())
        if not sep or var is None:
            known = ", ".join(story.variables)
            raise RunError(f"--set wants NAME=VALUE with a declared variable, not {item!r} (variables: {known})")
        raw = raw.strip()
        if var.type == "int":
            try:
                values[var.id] = int(raw)
            except ValueError:
                raise RunError(f"{var.id} is a whole number, not {raw!r}") from None
        elif var.type == "bool":
            if raw not in ("true", "false"):
                raise RunError(f"{var.id} is true or false, not {raw!r}")
            values[var.id] = raw == "true"
        else:
            values[var.id] = raw
    return values


def _graph(args: argparse.Namespace, out: TextIO) -> int:
    from .engine import StoryError, load_story
    from .locations import cache_dir, story_dir
    from .tools.graph import to_dot, to_mermaid

    try:
        story = load_story(story_dir(args.dir), cache_dir())
    except StoryError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"{problem}\n")
        return 1
    if args.perspective and args.perspective not in story.perspectives:
        sys.stderr.write(f"kengir graph: there is no perspective {args.perspective!r}\n")
        return 2
    out.write(to_dot(story, args.perspective) if args.format == "dot" else to_mermaid(story, args.perspective))
    return 0


def _new(args: argparse.Namespace, out: TextIO) -> int:
    from .engine import StoryError
    from .locations import story_dir
    from .tools.new_scene import NewSceneError, new_scene

    root = story_dir(args.story)
    try:
        path = new_scene(root, args.id)
    except (NewSceneError, StoryError) as exc:
        sys.stderr.write(f"kengir new: {exc}\n")
        return 1
    out.write(f"Added scene '{args.id}' to {path}.\n"
              f"Now edit it, point a choice at it (goto: {args.id}), and run `kengir check`.\n")
    return 0
