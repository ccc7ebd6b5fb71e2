"""The writers' commands behind `kengir test`, `graph`, `schema` and `new` (`check` is in check.py)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from game.format import load_story
from game.model import StoryError
from game.session.paths import cache_dir, story_dir
from game.writers.graph import to_dot, to_mermaid
from game.writers.new_scene import NewSceneError, new_scene
from game.writers.playtest.workers import WorkerFailed
from game.writers.schema import build_schema


def run_test(args: argparse.Namespace, out: TextIO) -> int:
    """`kengir test`: random play-testing, or the exhaustive exploration."""
    if args.runs < 1 or (args.jobs is not None and args.jobs < 1) or (args.limit is not None and args.limit < 1):
        sys.stderr.write("kengir test: --runs, --jobs and --limit must be at least 1\n")
        return 2
    root = story_dir(args.dir)
    try:
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


def run_graph(args: argparse.Namespace, out: TextIO) -> int:
    """`kengir graph`: the story map."""
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


def run_schema(out: TextIO) -> int:
    """`kengir schema`: the JSON Schema of story files, for editors."""
    out.write(json.dumps(build_schema(), indent=2) + "\n")
    return 0


def run_new(args: argparse.Namespace, out: TextIO) -> int:
    """`kengir new scene ID`: a valid scene stub in the right file."""
    root = story_dir(args.story)
    try:
        path = new_scene(root, args.id)
    except (NewSceneError, StoryError) as exc:
        sys.stderr.write(f"kengir new: {exc}\n")
        return 1
    out.write(f"Added scene '{args.id}' to {path}.\nNow edit it, point a choice at it (goto: {args.id}), and run `kengir check`.\n")
    return 0
