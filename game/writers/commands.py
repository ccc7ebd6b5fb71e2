"""The writers' commands behind `kengir test`, `graph`, `schema` and `new` (`check` is in check.py)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from game.format import load_story, shown_path
from game.model import StoryError
from game.session.paths import cache_dir, story_dir
from game.writers.graph import to_dot, to_mermaid
from game.writers.new_scene import Ask, NewSceneError, new_scene
from game.writers.playtest.workers import WorkerFailed
from game.writers.schema import build_assignment_schema, build_schema


def run_test(args: argparse.Namespace, out: TextIO) -> int:
    """`kengir test`: random play-testing, or the exhaustive exploration."""
    if args.runs < 1 or (args.jobs is not None and args.jobs < 1) or (args.limit is not None and args.limit < 1):
        sys.stderr.write("kengir test: --runs, --jobs and --limit must be at least 1\n")
        return 2
    root = story_dir(args.dir)
    try:
        if args.assignment and args.exhaustive:
            sys.stderr.write("kengir test: --assignment plays random runs of its part; it does not go with --exhaustive\n")
            return 2
        if args.assignment:
            return _test_assignment(root, args, out)
        if args.exhaustive:
            from game.writers.playtest.explore import DEFAULT_LIMIT
            from game.writers.playtest.proof import format_proof, prove

            story = load_story(root, cache_dir())
            try:
                doc = prove(story, args.perspective, args.limit or DEFAULT_LIMIT)
            except WorkerFailed as exc:  # a search's process died (out of memory, say): no partial report
                sys.stderr.write(f"kengir test --exhaustive: {exc}\nA lower --limit keeps each search smaller.\n")
                return 1
            code = 0 if doc["proved"] else 1  # a failure, or a search stopped before it proved anything
            text = format_proof(doc)
        else:
            from game.writers.playtest import format_report, run_random

            doc, code = run_random(root, args.runs, args.seed, args.jobs, args.perspective, cache_dir(), args.intensity)
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


def _test_assignment(root: Path, args: argparse.Namespace, out: TextIO) -> int:
    """`kengir test --assignment FILE`: the assignment's part played --runs times per perspective."""
    from game.format import AssignmentError, load_assignment
    from game.writers.playtest.assigned import format_assigned, play_assignment

    story = load_story(root, cache_dir())
    try:
        assignment = load_assignment(args.assignment, story)
    except AssignmentError as exc:  # its problems, like the story's, at file:line:col
        sys.stderr.write("".join(f"{problem}\n" for problem in exc.problems) + "The assignment has errors; nothing was played.\n")
        return 1
    if args.perspective and not (args.perspective in story.perspectives and assignment.allows(args.perspective)):
        sys.stderr.write(f"kengir test: the assignment is not played as {args.perspective!r}\n")
        return 2
    doc = play_assignment(story, assignment, args.runs, args.seed, args.perspective)
    out.write((json.dumps(doc, indent=2, ensure_ascii=False) if args.json else format_assigned(doc)) + "\n")
    return 1 if any(p["stuck"] for p in doc["perspectives"].values()) else 0


def run_graph(args: argparse.Namespace, out: TextIO) -> int:
    """`kengir graph`: the story map, as DOT or Mermaid text, or as pages to read (HTML, SVG)."""
    try:
        story = load_story(story_dir(args.dir), cache_dir())
    except StoryError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"{problem}\n")
        return 1
    if args.perspective and args.perspective not in story.perspectives:
        sys.stderr.write(f"kengir graph: there is no perspective {args.perspective!r}\n")
        return 2
    if args.format in ("html", "svg"):
        from game.writers.map_render import MapError, find_dot
        from game.writers.story_map import write_map

        if args.width < 400:
            sys.stderr.write("kengir graph: --width must be at least 400 (CSS pixels)\n")
            return 2
        folder = Path(args.output or "story-map")
        try:
            written = write_map(story, folder, args.format, args.perspective, args.width, find_dot())
        except MapError as exc:
            sys.stderr.write(f"kengir graph: {exc}\n")
            return 1
        except OSError as exc:
            sys.stderr.write(f"kengir graph: could not write the map into {folder}: {exc.strerror or exc}\n")
            return 1
        out.write(f"The story map: {len(written)} pages in {folder}. Open {written[0]} in a browser.\n")
        return 0
    text = to_dot(story, args.perspective) if args.format == "dot" else to_mermaid(story, args.perspective)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            sys.stderr.write(f"kengir graph: could not write {args.output}: {exc.strerror or exc}\n")
            return 1
    else:
        out.write(text)
    return 0


def run_schema(out: TextIO, assignment: bool = False) -> int:
    """`kengir schema`: the JSON Schema of story files (of assignment files, with --assignment), for editors."""
    out.write(json.dumps(build_assignment_schema() if assignment else build_schema(), indent=2) + "\n")
    return 0


def run_new(args: argparse.Namespace, out: TextIO, stdin: TextIO | None = None) -> int:
    """`kengir new scene ID`: a valid scene stub where its neighbours live, in their act; the
    writer is asked (at a terminal) when they live in several places."""
    root = story_dir(args.story)
    stdin = stdin or sys.stdin
    ask = _asker(stdin, out) if stdin.isatty() else None
    try:
        place = new_scene(root, args.id, args.act or "", args.file or "", ask)
    except (NewSceneError, StoryError) as exc:
        sys.stderr.write(f"kengir new: {exc}\n")
        return 1
    out.write(
        f"Added scene '{args.id}' to {shown_path(place.file)}, in act {place.act}.\n"
        f"Now edit it, point a choice at it (goto: {args.id}), and run `kengir check`.\n"
    )
    return 0


def _asker(stdin: TextIO, out: TextIO) -> Ask:
    def ask(question: str, options: Sequence[str]) -> int:
        out.write(f"{question[:1].upper()}{question[1:]}:\n" + "".join(f"  {n}. {o}\n" for n, o in enumerate(options, 1)))
        while True:
            out.write(f"Which? (1-{len(options)}) ")
            out.flush()
            line = stdin.readline()
            if not line:
                raise NewSceneError("no answer; nothing was written")
            if line.strip().isdigit() and 1 <= int(line) <= len(options):
                return int(line) - 1

    return ask
