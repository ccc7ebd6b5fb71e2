"""Starting the plain player from the command line: the story, the assignment, a new run or
the one to continue, and the questions plain mode asks before play (who, how intense)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from game.format import AssignmentError
from game.model import Story
from game.plain.player import PlainPlayer
from game.runtime import Assignment, Run, RunError, new_seed
from game.saves import SaveStore
from game.session.options import assignment_problems, parse_set_values, read_assignment, start_scene
from game.session.paths import records_dir, saves_dir
from game.session.story import load_story_or_report


def play_plain(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    """`kengir play --plain`: load the story and the assignment, start or continue the run, play it."""
    story = load_story_or_report(args.story, sys.stderr)
    if story is None:
        return 1
    store = SaveStore(saves_dir(args.saves))
    try:
        assignment = read_assignment(args.assignment, story)
    except AssignmentError as exc:
        sys.stderr.write(assignment_problems(exc))
        return 1
    run = store.continuable(story, assignment.id if assignment is not None else None) if args.resume else None
    if args.resume and run is None:
        out.write("No game in progress to continue; starting a new game.\n")
    if run is None:
        seed = args.seed if args.seed is not None else new_seed()
        perspective = args.perspective
        intensity = args.intensity
        if assignment is not None and not perspective:
            perspective = _ask_perspective(story, assignment, stdin, out)
        if assignment is not None and assignment.intensity == "student" and not intensity:
            intensity = _ask_intensity(stdin, out)
        try:
            variables = parse_set_values(story, args.assign)
            run = Run.start(
                story,
                seed=seed,
                perspective=perspective,
                intensity=intensity or "full",
                start=start_scene(story, args.start),
                variables=variables,
                assignment=assignment,
                student=args.name or "",
            )
        except RunError as exc:
            sys.stderr.write(f"kengir: {exc}\n")
            return 2
    records = records_dir(args.records, store.folder)
    return PlainPlayer(story, run, store, stdin, out, records=records).play()


def _ask_intensity(stdin: TextIO, out: TextIO) -> str:
    """In plain mode, let the student choose how violent scenes are told (the assignment leaves it to them)."""
    out.write(
        "This story depicts shootings and a tank assault in which people die.\n"
        "1. Read violent scenes in full\n2. Read them as short summaries\n"
    )
    while True:
        out.write("> ")
        out.flush()
        line = stdin.readline()
        if not line or line.strip() == "1":
            return "full"
        if line.strip() == "2":
            return "summary"
        out.write("Type 1 or 2.\n")


def _ask_perspective(story: Story, assignment: Assignment, stdin: TextIO, out: TextIO) -> str | None:
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
