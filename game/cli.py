"""The `kengir` command: parses arguments and hands each command to the layer that does it.

Nothing imports this module but `python -m game` and the `kengir` script: it holds no rules of
its own, only the command line."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from game import __version__

if TYPE_CHECKING:
    from typing import TypeAlias

    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

# Which commands use the options every command shares, given before or after the command
# (`kengir --story DIR play` and `kengir play --story DIR` are the same).
USES_STORY = frozenset(("play", "check", "prose", "test", "graph", "new", "report", "verify", "class-summary", "handout", "serve"))
USES_SAVES = frozenset(("play", "serve"))
SHARED = ("--story", "--saves")


def _add_story_options(parser: argparse.ArgumentParser, story: str = "", saves: str = "") -> None:
    """--story and --saves on a command: given after it they override what was given before it
    (SUPPRESS: left out here, the value from before the command stands)."""
    if story:
        parser.add_argument("--story", metavar="DIR", default=argparse.SUPPRESS, help=story)
    if saves:
        parser.add_argument("--saves", metavar="DIR", default=argparse.SUPPRESS, help=saves)


VERIFY_ABOUT = """\
Replays each record's logged choices against the story and compares the result with
everything the record says, and checks that every copy of the student's name, the
assignment and the story inside it agree. One line per record; exit 1 if any fails.

What a record from terminal play (unsigned) proves: its path, the notes opened and the
ending are what the story gives for its seed and its choices. What it cannot prove: who
typed it, the wording of its answers, the names and the times. Anyone can edit those and
compute its digest again.

A record signed by the lab server (kengir serve) proves those too, checked with the
server's key: kengir verify --key FILE. Each line says signed or unsigned.

A record made with another version of the story is not called forged: the line names
the version that made it; verify it with that story (--story DIR)."""

STORY_HELP = "the story folder (default: the bundled story; env KENGIR_STORY)"
SAVES_HELP = "the save folder (env KENGIR_SAVES)"


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `command` only that command's part: the terminal game
    starts with `kengir` alone, and building all twelve commands' options took 6 ms of its
    start-up (tests/bench/run.py, "start-up"). Help for the whole command line and an unknown
    command get the whole parser."""
    parser = argparse.ArgumentParser(
        prog="kengir",
        description="Kengir: Forty Days, a narrative game about the Kengir uprising of 1954.",
        epilog="With no command, `kengir` opens the game in the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"kengir {__version__}")
    parser.add_argument("--story", metavar="DIR", help=STORY_HELP)
    parser.add_argument("--saves", metavar="DIR", help=SAVES_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, add in COMMAND_PARSERS.items():
        if command is None or command == name:
            add(sub)
    return parser


def _play_parser(sub: Subparsers) -> None:
    play = sub.add_parser("play", help="play the game (the default command)")
    _add_story_options(play, STORY_HELP, SAVES_HELP)
    play.add_argument("--plain", action="store_true", help="plain lines on stdin/stdout, for screen readers and pipes")
    play.add_argument(
        "--no-wrap",
        action="store_true",
        help="plain mode: each paragraph on one line, as a screen reader reads best (it is wrapped only on a terminal)",
    )
    play.add_argument("--seed", type=int, default=None, help="the run's seed (default: random)")
    play.add_argument(
        "--perspective",
        metavar="WHO",
        help="start as this perspective, skipping the choice: its id or a word of its name "
        "(the shipped story: woman, political or teacher, thief)",
    )
    play.add_argument("--intensity", choices=("full", "summary"), help="show violent scenes in full or as summaries")
    play.add_argument("--continue", dest="resume", action="store_true", help="continue the latest autosave")
    play.add_argument("--assignment", metavar="FILE", help="play a teacher's assignment (see docs/TEACHING.md)")
    play.add_argument("--name", help="the student's name, for the record")
    play.add_argument("--records", metavar="DIR", help="where records of assigned sessions go (default: SAVES/records; env KENGIR_RECORDS)")
    play.add_argument(
        "--sign-key",
        metavar="FILE",
        help="sign the records of assigned sessions with the key in FILE (kengir serve passes its own; see kengir serve --help)",
    )
    play.add_argument("--from", dest="start", metavar="SCENE", help="(writers) start at this scene")
    play.add_argument(
        "--set",
        dest="assign",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="(writers) start with this variable set; repeat for more",
    )


def _check_parser(sub: Subparsers) -> None:
    check = sub.add_parser("check", help="check a story folder for errors")
    check.add_argument("dir", nargs="?", metavar="DIR", help="the story folder (default: the bundled story)")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    _add_story_options(check, "the story folder, as DIR")


def _prose_parser(sub: Subparsers) -> None:
    prose = sub.add_parser("prose", help="report on the prose: repeated sentences, overused words, historians, words, spelling")
    prose.add_argument("dir", nargs="?", metavar="DIR", help="the story folder (default: the bundled story)")
    prose.add_argument("--json", action="store_true", help="print one JSON object")
    prose.add_argument("--only", metavar="KINDS", help="show only these findings, by code, comma-separated (e.g. shared-sentence,spelling)")
    prose.add_argument("--scenes", action="store_true", help="also list every scene with its words")
    prose.add_argument("--no-spelling", action="store_true", help="leave the spelling out (it loads a dictionary)")
    _add_story_options(prose, "the story folder, as DIR")


def _test_parser(sub: Subparsers) -> None:
    test = sub.add_parser("test", help="play the story automatically and report coverage")
    test.add_argument("dir", nargs="?", metavar="DIR", help="the story folder (default: the bundled story)")
    test.add_argument("--runs", type=int, default=1000, help="random runs to play (default 1000)")
    test.add_argument("--seed", type=int, default=0, help="seed of the first run; run i uses seed+i (default 0)")
    test.add_argument("--jobs", type=int, default=None, help="processes to use (default: all cores)")
    test.add_argument("--perspective", help="start every run as this perspective")
    test.add_argument(
        "--intensity", choices=("full", "summary"), default="full", help="count the words shown at this intensity (default full)"
    )
    test.add_argument("--exhaustive", action="store_true", help="explore every reachable state instead of random runs")
    test.add_argument(
        "--assignment",
        metavar="FILE",
        help="play this assignment's part --runs times per perspective, as students start it, and count the endings reached",
    )
    test.add_argument("--limit", type=int, default=None, help="states one search of --exhaustive may keep (default 2500000, about 1 GB)")
    test.add_argument("--json", action="store_true", help="print one JSON object")
    _add_story_options(test, "the story folder, as DIR")


def _graph_parser(sub: Subparsers) -> None:
    graph = sub.add_parser("graph", help="draw the story map: pages to read (HTML, SVG), or Graphviz DOT or Mermaid text")
    graph.add_argument("dir", nargs="?", metavar="DIR", help="the story folder (default: the bundled story)")
    graph.add_argument(
        "--format",
        choices=("dot", "mermaid", "html", "svg"),
        default="dot",
        help="dot or mermaid: text on standard output; html or svg: a page per act and perspective, in a folder (needs Graphviz) (default dot)",
    )
    graph.add_argument("--perspective", help="only the scenes this perspective can see")
    graph.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="html, svg: the folder for the pages (default story-map); dot, mermaid: a file instead of standard output",
    )
    graph.add_argument(
        "--width",
        type=int,
        default=1340,
        metavar="PX",
        help="html, svg: the widest a row of scenes may be, in CSS pixels (default 1340: a 1366-pixel laptop screen)",
    )
    _add_story_options(graph, "the story folder, as DIR")


def _schema_parser(sub: Subparsers) -> None:
    schema = sub.add_parser("schema", help="print a JSON Schema of the story files, for editors")
    schema.add_argument(
        "--assignment", action="store_true", help="of a teacher's assignment file instead (copy in docs/assignment.schema.json)"
    )


def _new_parser(sub: Subparsers) -> None:
    new = sub.add_parser("new", help="add a scene stub to the story")
    new.add_argument("kind", choices=("scene",), help="what to add")
    new.add_argument("id", help="the new scene's id, e.g. strike.gate")
    new.add_argument("--act", help="the act it belongs to (when its neighbours are in several)")
    new.add_argument("--file", metavar="FILE", help="the file it goes in, inside the story folder (when its neighbours are in several)")
    _add_story_options(new, "the story folder (default: the bundled story)")


def _report_parser(sub: Subparsers) -> None:
    report = sub.add_parser("report", help="render a session record as Markdown, HTML or JSON, its check at the top")
    report.add_argument("record", metavar="RECORD", help="a record file written by an assigned session")
    report.add_argument("--format", choices=("md", "html", "json"), default="md", help="output format (default md)")
    report.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    report.add_argument("--key", metavar="FILE", help="the lab server's key file, to check a signed record's signature")
    _add_story_options(report, "the story to check the record against (default: the bundled story)")


def _verify_parser(sub: Subparsers) -> None:
    verify = sub.add_parser(
        "verify",
        help="check records by replaying them against the story: one line each, exit 1 if any fails",
        description=VERIFY_ABOUT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument("records", metavar="RECORD", nargs="+", help="record files, or folders of them (their .json files)")
    verify.add_argument("--key", metavar="FILE", help="the lab server's key file: checks the signature of signed records")
    _add_story_options(verify, "the story they were played on (default: the bundled story)")


def _summary_parser(sub: Subparsers) -> None:
    summary = sub.add_parser("class-summary", help="summarise the records of a class (each checked first)")
    summary.add_argument("records", metavar="RECORD", nargs="+", help="record files, or folders of them")
    summary.add_argument(
        "--format",
        choices=("md", "html", "csv"),
        default="md",
        help="md or html: the summary; csv: one row per record for a spreadsheet (default md)",
    )
    summary.add_argument("--names", action="store_true", help="show students' names (left out by default; always in csv)")
    summary.add_argument("--key", metavar="FILE", help="the lab server's key file: checks the signature of signed records")
    summary.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    _add_story_options(summary, "the story the records were played on (default: the bundled story)")


def _handout_parser(sub: Subparsers) -> None:
    handout = sub.add_parser(
        "handout", help="a printable page for students: the camp's plan, questions with room to write, timeline, people, vocabulary"
    )
    handout.add_argument("--assignment", metavar="FILE", help="the questions of this assignment (default: every question of the story)")
    handout.add_argument("-o", "--output", metavar="FILE", help="write to FILE (an .html page) instead of standard output")
    _add_story_options(handout, "the story to draw it from (default: the bundled story)")


def _serve_parser(sub: Subparsers) -> None:
    serve = sub.add_parser("serve", help="serve the game to a lab's browsers (needs the `web` extra)")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this computer only)")
    serve.add_argument("--port", type=int, default=8000, help="the port (default 8000)")
    serve.add_argument("--assignment", metavar="FILE", help="every session plays this assignment (see docs/TEACHING.md)")
    serve.add_argument("--max-sessions", type=int, metavar="N", help="at most N games at once; the next browser is asked to wait")
    serve.add_argument(
        "--records", metavar="DIR", help="where records of assigned sessions are kept (default: SAVES/records; env KENGIR_RECORDS)"
    )
    serve.add_argument(
        "--start",
        choices=("fork", "spawn"),
        help="how each browser's game starts: forked from a process that has loaded the game and the story"
        " (at once, in less memory; Linux only, the default there) or as a new Python process (the default elsewhere)",
    )
    serve.add_argument(
        "--key",
        metavar="FILE",
        help="the key that signs records and opens the teacher's page, made (mode 0600) if missing "
        "(default: lab.key in your user data folder, ~/.local/share/kengir/lab.key on Linux); instances behind one proxy share it",
    )
    serve.add_argument(
        "--starts-per-second",
        type=float,
        default=10.0,
        metavar="N",
        help="new games started per second at most; more wait their turn (default 10)",
    )
    _add_story_options(serve, STORY_HELP, "holds one save folder per browser (default: SAVES/browser)")


COMMAND_PARSERS = {
    "play": _play_parser,
    "check": _check_parser,
    "prose": _prose_parser,
    "test": _test_parser,
    "graph": _graph_parser,
    "schema": _schema_parser,
    "new": _new_parser,
    "report": _report_parser,
    "verify": _verify_parser,
    "class-summary": _summary_parser,
    "handout": _handout_parser,
    "serve": _serve_parser,
}


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
    args_list = _with_command(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser(_command_in(args_list))
    args = parser.parse_args(args_list)
    _shared_options(parser, args)
    out = stdout or sys.stdout
    # Each command imports only what it needs: `kengir check` never loads Textual, and the
    # terminal game paints its title before the story is read.
    if args.command == "check":
        from game.session.paths import cache_dir, story_dir
        from game.writers.check import run_check

        return run_check(story_dir(args.dir), args.json, out, cache_dir())
    if args.command == "prose":
        from game.writers.prose import run_prose

        return run_prose(args, out)
    if args.command in ("test", "graph", "schema", "new"):
        from game.writers import commands

        if args.command == "schema":
            return commands.run_schema(out, args.assignment)
        if args.command == "new":
            return commands.run_new(args, out, stdin)
        return {"test": commands.run_test, "graph": commands.run_graph}[args.command](args, out)
    if args.command in ("report", "verify", "class-summary", "handout"):
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


def _with_command(args: list[str]) -> list[str]:
    """`args` with `play` put in where no command is named: after the shared options that come
    first (`kengir --story DIR` plays it, `kengir --story DIR --plain` too)."""
    at = 0
    while at < len(args):
        if args[at] in SHARED:
            at += 2
        elif args[at].startswith(tuple(f"{option}=" for option in SHARED)):
            at += 1
        else:
            break
    if at >= len(args) or (args[at].startswith("-") and args[at] not in ("-h", "--help", "--version")):
        return [*args[:at], "play", *args[at:]]
    return args


def _command_in(args: list[str]) -> str | None:
    """The command `args` (as _with_command gives them) name, when it is one of ours and no help
    for the whole command line is asked for; else None."""
    at = 0
    while at < len(args) and (args[at] in SHARED or args[at].startswith(tuple(f"{option}=" for option in SHARED))):
        at += 2 if args[at] in SHARED else 1
    if at < len(args) and args[at] in COMMAND_PARSERS:
        return args[at]
    return None


def _shared_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse a shared option the command has no use for; the story folder of check, test and
    graph may be given as DIR or as --story, not both."""
    command = args.command
    for option, users in (("story", USES_STORY), ("saves", USES_SAVES)):
        if getattr(args, option, None) and command not in users:
            parser.error(f"`kengir {command}` does not use --{option}")
    if command in ("check", "test", "graph") and args.story:
        if args.dir and args.dir != args.story:
            parser.error(f"`kengir {command}` was given two story folders: {args.dir} and --story {args.story}")
        args.dir = args.story


def _terminal_game(args: argparse.Namespace) -> int:
    # Importing Textual and starting the app make objects that live as long as the game, and
    # the collector's passes over them took 11 ms of a 200 ms start: off from here until the
    # story is loaded behind the painted title (KengirApp.story_ready turns it on), and as it
    # was if the game ends before that.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        try:
            import textual  # noqa: F401  (launch imports it only after the first frame)

            from game.tui.launch import launch
        except ImportError as exc:  # run from a checkout without installing the dependencies
            sys.stderr.write(
                f"kengir: the terminal game needs {exc.name or 'textual'}, which is not installed.\n"
                "Install the game with: pip install -e .   (or play in plain text: kengir play --plain)\n"
            )
            return 2
        return launch(args, collector_paused=was_enabled)
    finally:
        if was_enabled:
            gc.enable()
