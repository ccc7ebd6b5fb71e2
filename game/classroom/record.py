"""The record of an assigned session, and its verification by replay.

A record says who played which assignment, when, along which path, what they read and wrote,
and how it ended, and it carries the full run (seed, choice log, answers, notes opened) so that
`verify` can replay it against the story and confirm every claim. A digest over the record's
content shows whether it was changed after the game wrote it.

What verification proves: the path is one the story allows, and the record's path, notes,
answers and ending are the ones that replaying its own log gives, unchanged since it was
written. What it cannot prove: who sat at the keyboard, or that a person determined to forge a
record did not replay a story by hand and recompute the digest.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path
from typing import Any

from game.atomic import write_atomic
from game.classroom.signature import canonical, sign
from game.model import Story
from game.runtime import ReplayError, Run, RunError, iso_time, parse_time
from game.saves import restore
from game.session.console import readable

FORMAT = "kengir-record"
VERSION = 1


def _digest(record: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(record, ("digest", "signature"))).hexdigest()


def time_per_act(run: Run, finished_at: float) -> dict[str, int]:
    """Seconds spent in each act: each scene from entering it to the next choice."""
    story = run.story
    spent: dict[str, float] = {}
    entered = run.started_at
    scenes = [entry.scene for entry in run.log] + [run.state.scene]
    leaves = [entry.at for entry in run.log] + [finished_at]
    for scene_id, left in zip(scenes, leaves):
        act = story.scenes[scene_id].act
        spent[act] = spent.get(act, 0.0) + max(0.0, left - entered)
        entered = left
    return {act: round(seconds) for act, seconds in spent.items()}


def path_of(run: Run) -> list[dict[str, Any]]:
    """Each scene passed through and the choice taken there (none for where it stopped)."""
    story = run.story
    steps: list[dict[str, Any]] = []
    for entry in run.log:
        scene = story.scenes[entry.scene]
        steps.append({"scene": scene.id, "title": scene.title, "act": scene.act, "date": scene.date, "choice": entry.text})
    if not (run.finished and run.assignment is not None and run.assignment.until in story.acts):
        scene = run.scene
        steps.append({"scene": scene.id, "title": scene.title, "act": scene.act, "date": scene.date, "choice": None})
    return steps


def _claims(run: Run) -> dict[str, Any]:
    """What a record says about a run, derived from the run alone (shared by write and verify)."""
    ending = run.ended
    story = run.story
    perspective = story.perspectives.get(run.perspective)
    return {
        "perspective": run.perspective,
        "perspective_title": perspective.title if perspective else "",
        "path": path_of(run),
        "notes_found": sorted(run.state.seen),
        "notes_opened": run.notes_opened,
        "reflections": [
            {"prompt": a.prompt, "question": a.question, "answer": a.text, "at": iso_time(a.at)}
            for a in sorted(run.answers.values(), key=lambda a: (a.step, a.at))
        ],
        "unanswered": [{"prompt": p.id, "question": p.text} for p in run.unanswered],
        "ending": {"id": ending.id, "title": ending.title} if ending else None,
        "complete": run.finished or ending is not None,
        "acts_reached": list(dict.fromkeys(story.scenes[s["scene"]].act for s in path_of(run))),
    }


def build_record(run: Run, finished_at: float, key: bytes | None = None) -> dict[str, Any]:
    """The record of `run` as the game writes it at the end of a session (or on demand);
    signed with `key` when one is given (the lab server's), else unsigned."""
    story = run.story
    assignment = run.assignment
    record: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "student": run.student or None,
        "assignment": {"id": assignment.id, "title": assignment.title} if assignment else None,
        "story": {"title": story.title, "fingerprint": story.fingerprint},
        "started_at": iso_time(run.started_at),
        "finished_at": iso_time(finished_at),
        "time_per_act": time_per_act(run, finished_at),
        **_claims(run),
        "seed": run.seed,
        "run": run.to_dict(),
    }
    record["digest"] = _digest(record)
    if key is not None:
        record["signature"] = sign(record, key)
    return record


class RecordError(Exception):
    """A file that is not a record at all (as opposed to a record that does not verify)."""


def parse_record(text: str, name: str) -> dict[str, Any]:
    """Read a record's JSON, or raise RecordError with one line naming the file and position."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(f"{name}:{exc.lineno}:{exc.colno}: not a record: {exc.msg}") from None
    except RecursionError:
        raise RecordError(f"{name}: not a record (nested too deeply)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RecordError(f'{name}: not a Kengir record (no "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        found = " ".join(repr(data.get("version")).split())[:40]  # a hand-edited value stays a short line
        raise RecordError(f"{name}: a record of version {found}; this game reads version {VERSION}")
    if not isinstance(data.get("run"), dict):
        raise RecordError(f"{name}: the record has no run to replay")
    return data


def verify_record(story: Story, record: dict[str, Any]) -> list[str]:
    """Everything about `record` that is not what replaying it against `story` gives (empty: genuine)."""
    problems = []
    if record.get("digest") != _digest(record):
        problems.append("the record was changed after the game wrote it (its digest does not match its content)")
    saved_for = (record.get("story") or {}).get("fingerprint")
    if saved_for != story.fingerprint:
        problems.append(
            f"the record was made with another version of the story ({saved_for}, this story is {story.fingerprint}); "
            "verify it with the story it was played on (--story DIR)"
        )
    try:
        run = restore(story, record["run"])
    except ReplayError as err:
        return [*problems, f"its choice log cannot be replayed: {err.message}"]
    except RunError as err:
        return [*problems, f"its run cannot be replayed: {err}"]
    replayed = _claims(run)
    for key, label in (
        ("perspective", "perspective"),
        ("perspective_title", "perspective"),
        ("path", "path"),
        ("notes_found", "notes found"),
        ("notes_opened", "notes opened"),
        ("reflections", "reflections"),
        ("ending", "ending"),
        ("complete", "completion"),
        ("acts_reached", "acts reached"),
        ("unanswered", "unanswered questions"),
    ):
        if key == "unanswered" and key not in record:
            continue  # records written before questions asked were kept
        if record.get(key) != replayed[key]:
            problems.append(f"{label} in the record: not what replaying its log gives")
    run_data = record["run"]
    if record.get("seed") != run_data.get("seed"):
        problems.append("the seed in the record is not the seed of its run")
    logged = [e.get("rolls") for e in run_data.get("log", []) if isinstance(e, dict)]
    if logged != [dict(e.rolls) or None for e in run.log]:
        problems.append("the rolls in its log are not what the run's seed gives")
    answered = {(e.get("prompt"), e.get("text")) for e in run_data.get("events", []) if isinstance(e, dict) and e.get("type") == "answer"}
    for reflection in record.get("reflections") or []:
        if (reflection.get("prompt"), reflection.get("answer")) not in answered:
            problems.append(f"the answer to '{reflection.get('prompt')}' is not in the run's log")
    for answer in run.answers.values():
        if not any(r.get("prompt") == answer.prompt for r in record.get("reflections") or []):
            problems.append(f"the run's log has an answer to '{answer.prompt}' that the record leaves out")
    started, finished = parse_time(str(record.get("started_at"))), parse_time(str(record.get("finished_at")))
    if started is None or finished is None or finished < started:
        problems.append("the start and end times are missing or out of order")
    return problems


def record_file_name(record: dict[str, Any]) -> str:
    """A file name a teacher can sort (assignment, student, time), and that every system accepts:
    only ASCII letters, digits, "-" and "_" (a name's other letters spelled in ASCII: Žukauskaitė
    as Zukauskaite), never a name Windows reserves (each part is joined by "_")."""
    student = readable(str(record.get("student") or "anonymous"), "ascii")
    who = re.sub(r"[^A-Za-z0-9]+", "-", student).strip("-")[:40] or "anonymous"
    what = ((record.get("assignment") or {}).get("id") or "free-play").replace(".", "-")
    when = str(record.get("finished_at", "")).replace(":", "").replace("-", "")[:15]
    # The seed tells apart two students of the same name who finish in the same second.
    return f"{what}_{who}_{when}_{record.get('seed', 0)}.json"


def record_text(run: Run, finished_at: float | None = None, key: bytes | None = None) -> tuple[str, str]:
    """(file name, JSON text) of the run's record, as every front end writes it (signed with
    `key` if one is given)."""
    record = build_record(run, finished_at=time.time() if finished_at is None else finished_at, key=key)
    return record_file_name(record), json.dumps(record, indent=1, ensure_ascii=False)


def write_record(
    run: Run, folder: Path, path: Path | None = None, finished_at: float | None = None, key: bytes | None = None
) -> tuple[Path, str, str]:
    """Write the record into `folder` (or over `path`, the session's earlier record, so that a
    revised answer does not leave the teacher two records), finished now or at `finished_at`,
    signed with `key` when one is given (the lab server's: see signature.py).
    Returns (path, name, text); raises OSError. The terminal game, the plain player and the lab
    server all write records here, so a teacher cannot tell which one a student used."""
    name, text = record_text(run, finished_at, key)
    target = path if path is not None else folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text)
    return target, target.name, text
