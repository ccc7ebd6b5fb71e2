"""The `kengir` command: parses arguments and hands each command to the layer that does it.

Nothing imports this module but `python -m game` and the `kengir` script: it holds no rules of
its own, only the command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from game import __version__

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
    play.add_argument(
        "--set",
        dest="assign",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="(writers) start with this variable set; repeat for more",
    )

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
    test.add_argument(
        "--limit", type=int, default=None, help="states one search of --exhaustive may keep (default 2500000, about 1 GB)"
    )
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
    report.add_argument(
        "--story", metavar="DIR", help="the story to compare with, to note a record from another version (default: the bundled story)"
    )

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
    serve.add_argument(
        "--records", metavar="DIR", help="where records of assigned sessions are kept (default: SAVES/records; env KENGIR_RECORDS)"
    )
    serve.add_argument("--saves", metavar="DIR", help="holds one save folder per browser (default: SAVES/browser)")
    serve.add_argument("--story", metavar="DIR", help="the story folder (default: the bundled story; env KENGIR_STORY)")
    return parser


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    from game.session.console import fit_input, fit_output

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
    # Each command imports only what it needs: `kengir check` never loads Textual, and the
    # terminal game paints its title before the story is read.
    if args.command == "check":
        from game.session.paths import cache_dir, story_dir
        from game.writers.check import run_check

        return run_check(story_dir(args.dir), args.json, out, cache_dir())
    if args.command in ("test", "graph", "schema", "new"):
        from game.writers import commands

        if args.command == "schema":
            return commands.run_schema(out)
        return {"test": commands.run_test, "graph": commands.run_graph, "new": commands.run_new}[args.command](args, out)
    if args.command in ("report", "verify", "class-summary"):
        from game.classroom.commands import run_classroom_command

        return run_classroom_command(args, out)
    if args.command == "play" and args.plain:
        from game.plain.launch import play_plain

        return play_plain(args, stdin or sys.stdin, out)
    if args.command == "play":
        return _terminal_game(args)
    if args.command == "serve":
        from game.web import serve

        return serve(args)
    parser.print_help(out)
    return 2


def _terminal_game(args: argparse.Namespace) -> int:
    try:
        import textual  # noqa: F401  (launch imports it only after the first frame)

        from game.tui.launch import launch
    except ImportError as exc:  # run from a checkout without installing the dependencies
        sys.stderr.write(
            f"kengir: the terminal game needs {exc.name or 'textual'}, which is not installed.\n"
            "Install the game with: pip install -e .   (or play in plain text: kengir play --plain)\n"
        )
        return 2
    return launch(args)
