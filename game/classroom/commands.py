"""The teacher's commands: `kengir report`, `kengir verify`, `kengir class-summary`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO, cast

from game.classroom import RecordError, parse_record, verify_record
from game.session.console import visible


def _read(path: str) -> dict[str, Any]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RecordError(f"{path}: not a record (not UTF-8 text)") from None
    except OSError as exc:
        raise RecordError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    return parse_record(text, path)


def _story(story_arg: str | None) -> Any:
    from game.session.story import load_story_or_report

    return load_story_or_report(story_arg, sys.stderr)


def _emit(text: str, output: str | None, out: TextIO) -> int:
    if not output:
        out.write(text)
        return 0
    try:
        Path(output).write_text(visible(text), encoding="utf-8")  # a file printed later: the same care
    except OSError as exc:
        sys.stderr.write(f"kengir: cannot write {output}: {exc.strerror or exc}\n")
        return 1
    out.write(f"Wrote {output}\n")
    return 0


def _default_story_fingerprint() -> str | None:
    """The fingerprint of the story this install plays, so that a report can say when a record
    comes from another version; None (and no note) if it cannot be loaded."""
    from game.format import load_story
    from game.model import StoryError
    from game.session.paths import cache_dir, story_dir

    try:
        return str(load_story(story_dir(), cache_dir()).fingerprint)
    except (StoryError, OSError, ImportError):  # ImportError: a checkout without PyYAML reads records all the same
        return None


class _Visible:
    """An output that shows control characters (from a student's name or answer, or a story
    file) instead of passing them to the teacher's terminal."""

    def __init__(self, out: TextIO):
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write(visible(text))


def run_classroom_command(args: argparse.Namespace, out: TextIO) -> int:
    out = cast(TextIO, _Visible(out))
    try:
        if args.command == "report":
            from game.classroom.report import to_html, to_json, to_markdown

            record = _read(args.record)
            fingerprint = None
            if args.story:
                story = _story(args.story)
                if story is None:
                    return 1
                fingerprint = story.fingerprint
            elif args.format != "json":  # JSON is the record as it is: no note to add
                fingerprint = _default_story_fingerprint()
            render = {"md": to_markdown, "html": to_html}.get(args.format)
            text = render(record, fingerprint) if render else to_json(record)
            return _emit(text, args.output, out)
        if args.command == "verify":
            record = _read(args.record)
            story = _story(args.story)
            if story is None:
                return 1
            problems = verify_record(story, record)
            who = record.get("student") or "an unnamed student"
            if problems:
                out.write(f"NOT VERIFIED: {args.record} ({who})\n")
                for problem in problems:
                    out.write(f"- {problem}\n")
                return 1
            ending = (record.get("ending") or {}).get("title") or "no ending (stopped where the assignment ends)"
            out.write(
                f"VERIFIED: {args.record} ({who}): {len(record.get('path') or [])} scenes, "
                f"{len(record.get('reflections') or [])} reflections, {ending}.\n"
                "Replaying its log against the story gives exactly this path, these notes, answers and ending.\n"
            )
            return 0
        from game.classroom.summary import summarise
        from game.classroom.summary import to_html as summary_html
        from game.classroom.summary import to_markdown as summary_md

        records = [_read(path) for path in args.records]
        summary = summarise(records, args.names)
        return _emit(summary_html(summary) if args.format == "html" else summary_md(summary), args.output, out)
    except RecordError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
