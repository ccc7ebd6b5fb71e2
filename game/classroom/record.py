"""The record of an assigned session, and its verification by replay.

A record says who played which assignment, when, along which path, what they read and wrote,
and how it ended, and it carries the full run (seed, choice log, answers, notes opened) so that
`verify` can replay it against the story and confirm every claim.

What an unsigned record proves (terminal play): its path is one the story allows, and its path,
notes opened, ending and the questions answered are what the story gives for its seed and its
logged choices. What it cannot prove: who typed it, the wording of its answers, its names and
its times: its `digest` (SHA-256 with no secret) catches damage and casual edits, but anyone
can edit a record and compute the digest again. A record signed by the lab server
(signature.py) proves those too, to whoever holds the server's key.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game import __version__
from game.atomic import write_atomic
from game.classroom.signature import DAMAGED, canonical, check_signature, sign
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
        # A mid-story assignment: the earlier choices its seed drew (see game/runtime/catch_up.py).
        "catch_up": [{"scene": title, "choice": text} for title, text in run.caught_up] if run.caught_up is not None else None,
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
        "story": {"title": story.title, "fingerprint": story.fingerprint, "game_version": __version__},
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
    if not isinstance(data.get("story"), dict):
        raise RecordError(f"{name}: the record does not name its story")
    problem = shape_problem(data)
    if problem:
        raise RecordError(f"{name}: not a record as the game writes it: {problem}")
    return data


# What each field of a record holds, as the game writes it ("?" after a name: may be missing
# or null). Reports, verify and the summary read these fields; a record edited so that one
# holds something else is refused in one line rather than failing half-way through a class.
_FIELDS = {
    "student?": "text",
    "assignment?": "mapping",
    "started_at": "text",
    "finished_at": "text",
    "time_per_act": "mapping",
    "perspective": "text",
    "perspective_title?": "text",
    "path": "list",
    "notes_found": "list",
    "notes_opened": "list",
    "reflections": "list",
    "unanswered?": "list",
    "ending?": "mapping",
    "complete": "true or false",
    "acts_reached": "list",
    "catch_up?": "list",
    "seed": "whole number",
    "digest": "text",
    "signature?": "mapping",
}
_ITEMS = {
    "path": "mapping",
    "reflections": "mapping",
    "unanswered": "mapping",
    "catch_up": "mapping",
    "notes_found": "text",
    "notes_opened": "text",
    "acts_reached": "text",
}


_KINDS: dict[str, tuple[type, ...]] = {"text": (str,), "mapping": (dict,), "list": (list,), "whole number": (int,), "seconds": (int, float)}


def _is(value: Any, kind: str) -> bool:
    if isinstance(value, bool):
        return kind == "true or false"
    return isinstance(value, _KINDS.get(kind, ()))


def shape_problem(record: dict[str, Any]) -> str:
    """The first field of `record` that does not hold what the game writes there, said in
    words ('' when every one does)."""
    for key, kind in _FIELDS.items():
        name = key.rstrip("?")
        value: Any = record.get(name)
        if value is None and key.endswith("?"):
            continue
        if not _is(value, kind):
            return f"'{name}' holds {type(value).__name__ if value is not None else 'nothing'}, not {kind}"
        if name in _ITEMS and not all(_is(item, _ITEMS[name]) for item in value):
            return f"an item of '{name}' is not {_ITEMS[name]}"
        if name == "time_per_act" and not all(_is(v, "seconds") for v in value.values()):
            return "'time_per_act' holds something other than seconds"
        if name in ("assignment", "ending") and not all(isinstance(value.get(k), str) for k in ("id", "title")):
            return f"'{name}' has no id and title"
    return ""


@dataclass
class Verdict:
    """What checking a record found: the problems that make it fail (none: it verifies), whether
    it is signed and the signature holds, and, for a record made with another version of the
    story, which one (such a record is not checked here, and is not called forged)."""

    problems: list[str] = field(default_factory=list)
    signed: bool = False  # the record carries a signature
    signature_holds: bool = False  # ... and it holds with the key given
    signature: str = ""  # what to tell the teacher about it
    other_version: str = ""  # not empty: made with another story; how to verify it
    unreadable: str = ""  # not empty: not a record at all (why), for a summary that lists every file

    @property
    def verified(self) -> bool:
        return not self.problems and not self.other_version and not self.unreadable

    @property
    def status(self) -> str:
        if self.unreadable:
            return "NOT A RECORD"
        if self.other_version:
            return "OTHER STORY VERSION"
        return "VERIFIED" if self.verified else "NOT VERIFIED"


def made_with(record: dict[str, Any]) -> str:
    """Which game and story made the record, in words."""
    named = record.get("story")
    story: dict[str, Any] = named if isinstance(named, dict) else {}
    version = story.get("game_version")
    made = f"kengir {version}" if version else "an earlier kengir (its records did not name their version)"
    return f"{made}, story fingerprint {story.get('fingerprint') or '(none)'}"


def check_record(story: Story, record: dict[str, Any], key: bytes | None = None) -> Verdict:
    """Check `record` against `story` (and its signature with `key`, if given)."""
    verdict = Verdict(signed=record.get("signature") is not None)
    holds, said = check_signature(record, key)
    verdict.signature_holds, verdict.signature = holds, said
    if verdict.signed and not holds and (key is not None or said == DAMAGED):
        verdict.problems.append(said)
    saved_for = (record.get("story") or {}).get("fingerprint") if isinstance(record.get("story"), dict) else None
    if saved_for != story.fingerprint:
        verdict.other_version = (
            f"made with another version of the story ({made_with(record)}); this one is kengir {__version__}, "
            f"story fingerprint {story.fingerprint}. Verify it against the story it was played on: "
            "kengir verify RECORD --story DIR (the story folder of that version)"
        )
        return verdict
    verdict.problems += verify_record(story, record)
    return verdict


def _copies(record: dict[str, Any]) -> list[str]:
    """Every copy of the student's name, the assignment and the story inside the record that
    does not match the others (an editor who changes one copy and not the rest)."""
    problems = []
    run_data = record["run"]
    if (record.get("student") or "") != (run_data.get("student") or ""):
        problems.append("the student's name at the top is not the name in its run")
    assignment = record.get("assignment")
    run_assignment = run_data.get("assignment")
    top = (assignment.get("id"), assignment.get("title")) if isinstance(assignment, dict) else None
    inner = (run_assignment.get("id"), run_assignment.get("title")) if isinstance(run_assignment, dict) else None
    if top != inner:
        problems.append("the assignment at the top is not the assignment of its run")
    inner_story = run_data.get("story") if isinstance(run_data.get("story"), dict) else {}
    if (record.get("story") or {}).get("fingerprint") != inner_story.get("fingerprint"):
        problems.append("the story named at the top is not the story of its run")
    if record.get("started_at") != run_data.get("started_at"):
        problems.append("the start time at the top is not the start time of its run")
    return problems


def verify_record(story: Story, record: dict[str, Any]) -> list[str]:
    """Everything about `record` that is not what replaying it against `story` gives (empty: it
    verifies). The signature is checked by `check_record`."""
    problems = []
    if record.get("digest") != _digest(record):
        problems.append("the record was changed after the game wrote it (its digest does not match its content)")
    saved_for = (record.get("story") or {}).get("fingerprint")
    if saved_for != story.fingerprint:
        problems.append(
            f"the record was made with another version of the story ({made_with(record)}, this story is {story.fingerprint}); "
            "verify it with the story it was played on (--story DIR)"
        )
    problems += _copies(record)
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
        ("catch_up", "earlier choices drawn for the start"),
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
