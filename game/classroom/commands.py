"""The teacher's commands: `kengir report`, `kengir verify`, `kengir class-summary`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO, cast

from game.classroom.record import RecordError, Verdict, check_record, parse_record
from game.classroom.signature import KeyFileError, load_key
from game.session.console import visible


def _read(path: str | Path) -> dict[str, Any]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RecordError(f"{path}: not a record (not UTF-8 text)") from None
    except OSError as exc:
        raise RecordError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    return parse_record(text, str(path))


def record_paths(given: list[str]) -> list[Path]:
    """The record files named, a folder standing for the .json files in it (sorted by name, so
    that a class reads in the same order every time). A folder with none is an error."""
    paths: list[Path] = []
    for name in given:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.json") if p.is_file())
            if not found:
                raise RecordError(f"{path}: no records in this folder (no .json files)")
            paths += found
        else:
            paths.append(path)
    return paths


def _story(story_arg: str | None) -> Any:
    from game.session.story import load_story_or_report

    return load_story_or_report(story_arg, sys.stderr, "nothing was checked")


def _key(key_arg: str | None) -> bytes | None:
    return load_key(key_arg) if key_arg else None


def _emit(text: str, output: str | None, out: TextIO, encoding: str = "utf-8") -> int:
    if not output:
        out.write(text)
        return 0
    try:
        Path(output).write_text(visible(text), encoding=encoding)  # a file printed later: the same care
    except OSError as exc:
        sys.stderr.write(f"kengir: cannot write {output}: {exc.strerror or exc}\n")
        return 1
    out.write(f"Wrote {output}\n")
    return 0


def _default_story() -> Any:
    """The story this install plays, so that a report can check a record against it; None (and
    the report says it was not checked) if it cannot be loaded."""
    from game.format import load_story
    from game.model import StoryError
    from game.session.paths import cache_dir, story_dir

    try:
        return load_story(story_dir(), cache_dir())
    except (StoryError, OSError, ImportError):  # ImportError: a checkout without PyYAML reads records all the same
        return None


class _Visible:
    """An output that shows control characters (from a student's name or answer, or a story
    file) instead of passing them to the teacher's terminal."""

    def __init__(self, out: TextIO):
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write(visible(text))


def verify_line(path: Path, record: dict[str, Any], verdict: Verdict) -> str:
    """One line a teacher reads down a class: status, file, who, what, how it ended, signed or not."""
    who = record.get("student") or "(no name)"
    assignment = (record.get("assignment") or {}).get("title") or "free play"
    perspective = record.get("perspective_title") or record.get("perspective") or "?"
    ending = (record.get("ending") or {}).get("title")
    end = f"ending: {ending}" if ending else ("stopped at the end of the part" if record.get("complete") else "not finished")
    return f"{verdict.status}: {path.name}: {who} · {assignment} · {perspective} · {end} · {verdict.signature}\n"


def run_verify(args: argparse.Namespace, out: TextIO) -> int:
    paths = record_paths(args.records)
    key = _key(args.key)
    story = _story(args.story)
    if story is None:
        return 1
    counts = {"VERIFIED": 0, "NOT VERIFIED": 0, "OTHER STORY VERSION": 0, "NOT A RECORD": 0}
    for path in paths:
        try:
            record = _read(path)
        except RecordError as exc:
            counts["NOT A RECORD"] += 1
            out.write(f"NOT A RECORD: {exc}\n")
            continue
        verdict = check_record(story, record, key)
        counts[verdict.status] += 1
        out.write(verify_line(path, record, verdict))
        for problem in verdict.problems:
            out.write(f"  - {problem}\n")
        if verdict.other_version:
            out.write(f"  - {verdict.other_version}\n")
    if len(paths) > 1:
        out.write(f"{len(paths)} files: " + ", ".join(f"{n} {status.lower()}" for status, n in counts.items() if n) + ".\n")
    return 0 if counts["VERIFIED"] == len(paths) else 1


def run_report(args: argparse.Namespace, out: TextIO) -> int:
    from game.classroom.report import to_html, to_json, to_markdown

    record = _read(args.record)
    if args.format == "json":  # JSON is the record as it is: nothing to add
        return _emit(to_json(record), args.output, out)
    if args.story:
        story = _story(args.story)
        if story is None:
            return 1
    else:
        story = _default_story()
    verdict = check_record(story, record, _key(args.key)) if story is not None else None
    render = to_html if args.format == "html" else to_markdown
    return _emit(render(record, story, verdict), args.output, out)


def run_summary(args: argparse.Namespace, out: TextIO) -> int:
    from game.classroom.summary import summarise_class, to_csv, to_html, to_markdown

    story = _story(args.story)
    if story is None:
        return 1
    key = _key(args.key)
    entries: list[tuple[Path, dict[str, Any], Verdict]] = []
    for path in record_paths(args.records):
        try:
            record = _read(path)
        except RecordError as exc:  # listed as such, and left out, like a record that fails
            entries.append((path, {}, Verdict(unreadable=str(exc))))
            continue
        entries.append((path, record, check_record(story, record, key)))
    summary = summarise_class(story, entries, args.names)
    render = {"csv": to_csv, "html": to_html}.get(args.format, to_markdown)
    # A CSV file starts with a byte-order mark: Excel then reads it as UTF-8 (names with
    # accents intact); LibreOffice and Google Sheets ignore the mark.
    return _emit(render(summary), args.output, out, "utf-8-sig" if args.format == "csv" else "utf-8")


def run_handout(args: argparse.Namespace, out: TextIO) -> int:
    from game.classroom.handout import to_html
    from game.format import AssignmentError
    from game.session.options import read_assignment

    story = _story(args.story)
    if story is None:
        return 1
    try:
        assignment = read_assignment(args.assignment, story)
    except AssignmentError as exc:
        sys.stderr.write("".join(f"{problem}\n" for problem in exc.problems) + "The assignment has errors; no handout was written.\n")
        return 1
    return _emit(to_html(story, assignment), args.output, out)


def run_classroom_command(args: argparse.Namespace, out: TextIO) -> int:
    out = cast(TextIO, _Visible(out))
    try:
        if args.command == "handout":
            return run_handout(args, out)
        if args.command == "report":
            return run_report(args, out)
        if args.command == "verify":
            return run_verify(args, out)
        return run_summary(args, out)
    except (RecordError, KeyFileError) as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
