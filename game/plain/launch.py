"""Starting the plain player from the command line: the story, the assignment, a new run or
the one to continue, and the questions plain mode asks before play (who, how intense)."""

from __future__ import annotations

import argparse
import shutil
import sys
from typing import TextIO

from game.classroom import KeyFileError, load_key
from game.format import AssignmentError
from game.model import Story
from game.plain.player import PlainPlayer, fit
from game.runtime import Assignment, Run, RunError, new_seed
from game.saves import SaveStore
from game.session.options import assignment_problems, find_perspective, parse_set_values, read_assignment, start_scene
from game.session.paths import meta_dir, records_dir, saves_dir
from game.session.player_files import Settings
from game.session.story import load_story_or_report
from game.session.texts import CONTENT_NOTE, plain_text


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
        try:  # every option checked before anything is asked
            perspective = find_perspective(story, args.perspective) if args.perspective else None
            start = start_scene(story, args.start)
            variables = parse_set_values(story, args.assign)
        except RunError as exc:
            sys.stderr.write(f"kengir: {exc}\n")
            return 2
        if start:  # a writer testing a scene (--from): no content note, the intensity as set
            intensity = args.intensity or Settings.load(meta_dir(store.folder) / "settings.json").intensity
        else:
            intensity = _content_note(store, assignment, args.intensity, stdin, out, _width(args, out))
        if intensity is None:  # the player typed quit at the first question
            return 0
        if assignment is not None and not perspective:
            perspective = _ask_perspective(story, assignment, stdin, out)
        try:
            run = Run.start(
                story,
                seed=seed,
                perspective=perspective,
                intensity=intensity or "full",
                start=start,
                variables=variables,
                assignment=assignment,
                student=args.name or "",
            )
        except RunError as exc:
            sys.stderr.write(f"kengir: {exc}\n")
            return 2
    records = records_dir(args.records, store.folder)
    try:
        key = load_key(args.sign_key) if getattr(args, "sign_key", None) else None  # kengir serve's key
    except KeyFileError as exc:
        sys.stderr.write(f"kengir: {exc}\n")
        return 1
    return PlainPlayer(story, run, store, stdin, out, records=records, width=_width(args, out), key=key).play()


def _width(args: argparse.Namespace, out: TextIO) -> int | None:
    """Paragraphs wrapped on a terminal (at its width, at most 88 columns, a comfortable line),
    and left whole when piped or with --no-wrap: a screen reader reads a paragraph on one line
    as one sentence flow, where wrapped lines would be read as separate lines."""
    if getattr(args, "no_wrap", False):
        return None
    try:
        if not out.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return max(40, min(88, shutil.get_terminal_size().columns - 1))


def _content_note(
    store: SaveStore, assignment: Assignment | None, chosen: str | None, stdin: TextIO, out: TextIO, width: int | None
) -> str | None:
    """Before a first new game in this save folder, the content note the terminal game shows,
    and the choice of how violent scenes are told (unless --intensity or the assignment set it).
    Returns the intensity to play with; the choice is kept in the player's settings."""
    settings_path = meta_dir(store.folder) / "settings.json"
    settings = Settings.load(settings_path)
    fixed = assignment.intensity if assignment is not None and assignment.intensity != "student" else ""
    if settings.content_note_seen:
        return fixed or chosen or settings.intensity
    later = " Your choice is kept for later games; to play one the other way, start it with --intensity full or --intensity summary."
    out.write(fit(plain_text(CONTENT_NOTE + later), width) + "\n\n")
    if fixed:
        out.write(f"For this assignment your teacher has chosen violent scenes {'in full' if fixed == 'full' else 'as summaries'}.\n")
    intensity = fixed or chosen or _ask_intensity(stdin, out)
    if intensity is None:
        return None  # nothing kept: the note comes again next time
    settings.content_note_seen = True
    settings.intensity = intensity
    try:
        settings.save(settings_path)
    except OSError:  # not kept: the note comes again next time, nothing else is lost
        pass
    return intensity


def _ask_intensity(stdin: TextIO, out: TextIO) -> str | None:
    """How violent scenes are told, chosen by the player: 1 in full, 2 as summaries."""
    out.write("1. Read violent scenes in full\n2. Read them as short summaries\n")
    while True:
        out.write("> ")
        out.flush()
        line = stdin.readline()
        answer = line.strip().lower()
        if not line or answer == "1":
            return "full"
        if answer == "2":
            return "summary"
        if answer in ("quit", "q", "exit"):
            return None
        out.write("Type 1 or 2 (or quit).\n")


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
