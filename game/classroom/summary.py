"""`kengir class-summary`: what a class did, from its records.

First which records verify (a record that does not, or that repeats another, is listed and left
out of every figure); then, for each assignment the records belong to: how many chose each
perspective, reached each act (in story order) and each ending, what share took each choice
where the class chose, which notes were read most and least, and every reflection grouped by
its question. Names are left out unless the teacher asks for them. `to_csv` gives a gradebook's
view instead: one row per record, every record, with its check.
"""

from __future__ import annotations

import csv
import html
import io
from collections import Counter
from pathlib import Path
from typing import Any

from game.classroom.dates import human_time
from game.classroom.record import Verdict
from game.model import Story


def _title(record: dict[str, Any]) -> str:
    return (record.get("assignment") or {}).get("title") or "Free play"


def _run_key(record: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two records the same session: seed, start and every choice (a copy of a
    friend's record with the name changed is the same session)."""
    run = record.get("run") or {}
    log = tuple((e.get("scene"), e.get("choice"), e.get("at")) for e in run.get("log", []) if isinstance(e, dict))
    return (record.get("seed"), run.get("started_at"), log)


def summarise_class(story: Story, entries: list[tuple[Path, dict[str, Any], Verdict]], names: bool = False) -> dict[str, Any]:
    """The class summary: each record's check, then the figures of each assignment from the
    records that verify and repeat no other."""
    checks: list[dict[str, Any]] = []
    counted: dict[str, list[dict[str, Any]]] = {}
    first_of: dict[tuple[Any, ...], tuple[int, str]] = {}
    for path, record, verdict in entries:
        number = len(checks) + 1
        note = full = ""  # why it is left out: as the summary says it (no names unless asked), and in full (the CSV)
        if verdict.unreadable:  # its message starts with the file's path, which holds the student's name
            full = verdict.unreadable
            note = full if names else "not a record the game can read (kengir verify names the file and says why)"
        elif not verdict.verified:
            note = full = verdict.other_version or "; ".join(verdict.problems)
        else:
            key = _run_key(record)
            if key in first_of:
                first, file = first_of[key]
                same = "(the same session: seed, start and choices)"
                full = f"repeats {file} {same}"
                note = full if names else f"repeats record {first} {same}"
            else:
                first_of[key] = (number, path.name)
                counted.setdefault(_title(record), []).append(record)
        status = verdict.status if verdict.verified and not note else ("DUPLICATE" if verdict.verified else verdict.status)
        checks.append(
            {
                "number": number,
                "file": path.name,
                "student": record.get("student") or "(no name)",
                "status": status,
                "signature": verdict.signature,
                "note": note,
                "full_note": full,
                "record": record,
            }
        )
    groups = [summarise(records, names, story) | {"assignment": title} for title, records in counted.items()]
    return {"story": story, "records": len(entries), "checks": checks, "groups": groups, "names": names}


def summarise(records: list[dict[str, Any]], names: bool = False, story: Story | None = None) -> dict[str, Any]:
    """The figures of one group of records (all of one assignment, all checked)."""
    total = len(records)
    perspectives: Counter[str] = Counter()
    acts: Counter[str] = Counter()
    endings: Counter[str] = Counter()
    decisions: dict[str, dict[str, Any]] = {}
    opened: Counter[str] = Counter()
    found: Counter[str] = Counter()
    reflections: dict[str, dict[str, Any]] = {}
    for number, record in enumerate(records, 1):
        who = (record.get("student") or f"Student {number}") if names else f"Student {number}"
        perspectives[record.get("perspective_title") or record.get("perspective") or "?"] += 1
        acts.update(set(record.get("acts_reached") or []))
        ending = record.get("ending")
        endings[ending["title"] if ending else "(did not reach an ending)"] += 1
        for step in record.get("path") or []:
            if step.get("choice"):
                entry = decisions.setdefault(
                    step["scene"], {"title": step.get("title", step["scene"]), "choices": Counter(), "students": 0}
                )
                entry["choices"][step["choice"]] += 1
                entry["students"] += 1
        opened.update(set(record.get("notes_opened") or []))
        found.update(set(record.get("notes_found") or []))
        for r in record.get("reflections") or []:
            group = reflections.setdefault(str(r.get("prompt")), {"question": r.get("question", ""), "answers": []})
            group["answers"].append((who, str(r.get("answer", ""))))
        for r in record.get("unanswered") or []:  # asked, and skipped: None, shown as such
            group = reflections.setdefault(str(r.get("prompt")), {"question": r.get("question", ""), "answers": []})
            group["answers"].append((who, None))
    # Where the class chose: scenes at least two students passed through, most students first.
    key = sorted((d for d in decisions.values() if d["students"] >= 2), key=lambda d: -d["students"])
    never_opened = sorted((n for n in found if n not in opened), key=lambda n: note_title(story, n))
    return {
        "students": total,
        "perspectives": dict(perspectives.most_common()),
        "acts": {act_title(story, a): acts[a] for a in in_story_order(story, acts)},
        "endings": dict(endings.most_common()),
        "decisions": [
            {
                "scene": d["title"],
                "students": d["students"],
                "choices": [(text, count, round(100 * count / d["students"])) for text, count in d["choices"].most_common()],
            }
            for d in key
        ],
        "notes_most_read": [(note_title(story, n), c) for n, c in opened.most_common(8)],
        "notes_never_opened": [note_title(story, n) for n in never_opened],
        "reflections": list(reflections.values()),
    }


def in_story_order(story: Story | None, act_ids: Any) -> list[str]:
    """Act ids in the story's order (ids the story does not know last, as given)."""
    known = story.acts if story is not None else {}
    return sorted(act_ids, key=lambda a: (0, known[a].order, "") if a in known else (1, 0, a))


def act_title(story: Story | None, act_id: str) -> str:
    return story.acts[act_id].title if story is not None and act_id in story.acts else act_id


def note_title(story: Story | None, note_id: str) -> str:
    return story.notes[note_id].title if story is not None and note_id in story.notes else note_id


# ------------------------------------------------------------------ Markdown


def _label(summary: dict[str, Any], check: dict[str, Any]) -> str:
    """A record as the summary names it: its file and student with --names; else its number, as
    the file's name holds the student's (kengir verify, for the teacher's eyes, shows the files)."""
    if summary["names"]:
        return f"{check['file']} ({check['student']})"
    return f"Record {check['number']}"


def _heading(summary: dict[str, Any]) -> str:
    titles = ", ".join(g["assignment"] for g in summary["groups"]) or "no record verifies"
    return f"Class summary: {titles}"


def to_markdown(summary: dict[str, Any]) -> str:
    checks = summary["checks"]
    ok = sum(1 for c in checks if c["status"] == "VERIFIED")
    out = [f"# {_heading(summary)}", "", f"## Records: {ok} of {len(checks)} verified and counted", ""]
    for c in checks:
        signature = f", {c['signature']}" if c["signature"] else ""
        out.append(f"- {c['status']}: {_label(summary, c)}{signature}" + (f". **Left out:** {c['note']}" if c["note"] else ""))
    for group in summary["groups"]:
        out += _group_markdown(group, len(summary["groups"]) > 1)
    return "\n".join(out) + "\n"


def _group_markdown(group: dict[str, Any], several: bool) -> list[str]:
    n = group["students"]
    out = [""]
    if several:
        out += [f"# {group['assignment']}: {n} records", ""]
    out += ["## Perspectives", ""] + [f"- {p}: {c} of {n}" for p, c in group["perspectives"].items()]
    out += ["", "## Acts reached", ""] + [f"- {act}: {count} of {n}" for act, count in group["acts"].items()]
    out += ["", "## Endings", ""] + [f"- {title}: {count}" for title, count in group["endings"].items()]
    out += ["", "## Where the class chose", ""]
    for d in group["decisions"]:
        out.append(f"**{d['scene']}** ({d['students']} students)")
        out += [f"- {text}: {count} ({share}%)" for text, count, share in d["choices"]]
        out.append("")
    out += [
        "## Notes",
        "",
        "Read most: " + (", ".join(f"{n} ({c})" for n, c in group["notes_most_read"]) or "none"),
        "",
        "Found but never opened: " + ("; ".join(group["notes_never_opened"]) or "none"),
        "",
        "## Reflections",
        "",
    ]
    for reflection in group["reflections"]:
        out += [f"### {reflection['question']}", ""]
        for who, answer in reflection["answers"]:
            out += [f"- *{who}*: " + ("(asked, not answered)" if answer is None else answer.replace("\n", " ") or "(blank)")]
        out.append("")
    return out


# ------------------------------------------------------------------ HTML

_STYLE = (
    "body{font:16px/1.5 Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem}"
    "td,th{text-align:left;padding:.2rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}table{border-collapse:collapse}"
    ".bar{background:#9a8c68;height:.7rem;display:inline-block}blockquote{white-space:pre-wrap;background:#f6f4ee;margin:.3rem 0;padding:.4rem .7rem}"
    ".bad{color:#8a1c1c;font-weight:bold}.ok{color:#245c2a}"
    "@media print{body{margin:0;max-width:none}}"
)


def to_html(summary: dict[str, Any]) -> str:
    e = html.escape
    checks = summary["checks"]
    ok = sum(1 for c in checks if c["status"] == "VERIFIED")
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(_heading(summary))}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{e(_heading(summary))}</h1>",
        f"<h2>Records: {ok} of {len(checks)} verified and counted</h2><table>",
    ]
    for c in checks:
        cls = "ok" if c["status"] == "VERIFIED" else "bad"
        left = f"<br>Left out: {e(c['note'])}" if c["note"] else ""
        signature = f"<br>{e(c['signature'])}" if c["signature"] else ""
        parts.append(f'<tr><td class="{cls}">{e(c["status"])}</td><td>{e(_label(summary, c))}{signature}{left}</td></tr>')
    parts.append("</table>")
    for group in summary["groups"]:
        parts += _group_html(group, len(summary["groups"]) > 1)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _group_html(group: dict[str, Any], several: bool) -> list[str]:
    e = html.escape
    n = group["students"]
    parts = [f"<h1>{e(group['assignment'])}: {n} records</h1>"] if several else []
    parts.append("<h2>Perspectives</h2><table>")
    parts += [f"<tr><th>{e(p)}</th><td>{c} of {n}</td></tr>" for p, c in group["perspectives"].items()]
    parts.append("</table><h2>Acts reached</h2><table>")
    parts += [f"<tr><th>{e(a)}</th><td>{c} of {n}</td></tr>" for a, c in group["acts"].items()]
    parts.append("</table><h2>Endings</h2><table>")
    parts += [f"<tr><th>{e(t)}</th><td>{c}</td></tr>" for t, c in group["endings"].items()]
    parts.append("</table><h2>Where the class chose</h2>")
    for d in group["decisions"]:
        parts.append(f"<h3>{e(d['scene'])} ({d['students']} students)</h3><table>")
        parts += [
            f'<tr><td>{e(t)}</td><td>{c}</td><td><span class="bar" style="width:{s * 2}px"></span> {s}%</td></tr>'
            for t, c, s in d["choices"]
        ]
        parts.append("</table>")
    most = ", ".join(f"{e(n)} ({c})" for n, c in group["notes_most_read"]) or "none"
    parts += [
        "<h2>Notes</h2>",
        f"<p>Read most: {most}</p>",
        f"<p>Found but never opened: {e('; '.join(group['notes_never_opened'])) or 'none'}</p>",
        "<h2>Reflections</h2>",
    ]
    for reflection in group["reflections"]:
        parts.append(f"<h3>{e(str(reflection['question']))}</h3>")
        parts += [
            f"<p><em>{e(who)}</em></p>"
            + ("<p>(asked, not answered)</p>" if answer is None else f"<blockquote>{e(answer) or '(blank)'}</blockquote>")
            for who, answer in reflection["answers"]
        ]
    return parts


# ------------------------------------------------------------------ CSV

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one that begins like a formula (=, +, -, @, or a tab
    or carriage return before one) gets a leading apostrophe, as OWASP advises, so that a
    student's answer "=HYPERLINK(...)" stays words."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(summary: dict[str, Any]) -> str:
    """One row per record, every record (with its check, so a gradebook sees the left-out ones
    too): name, assignment, perspective, ending, finished, minutes in each act, notes opened,
    and each answer in its own column, headed by its question."""
    story: Story = summary["story"]
    records = [c["record"] for c in summary["checks"]]
    acts = in_story_order(story, {a for r in records for a in (r.get("time_per_act") or {})})
    questions: dict[str, str] = {}
    for r in records:
        for item in [*(r.get("reflections") or []), *(r.get("unanswered") or [])]:
            questions.setdefault(str(item.get("prompt")), str(item.get("question", "")))
    header = [
        "student",
        "assignment",
        "perspective",
        "ending",
        "finished",
        "started (UTC)",
        "check",
        "signature",
        *(f"minutes in {act_title(story, a)}" for a in acts),
        "notes opened",
        "notes opened (titles)",
        *questions.values(),
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([cell(h) for h in header])
    for c in summary["checks"]:
        r = c["record"]
        times = r.get("time_per_act") or {}
        answers = {str(x.get("prompt")): str(x.get("answer", "")) for x in r.get("reflections") or []}
        opened = r.get("notes_opened") or []
        row = [
            r.get("student") or "",
            _title(r),
            r.get("perspective_title") or r.get("perspective") or "",
            (r.get("ending") or {}).get("title") or "",
            "yes" if r.get("complete") else "no",
            human_time(r.get("started_at")),
            c["status"] + (f": {c['full_note']}" if c["full_note"] else ""),
            c["signature"],
            *(round(times[a] / 60, 1) if isinstance(times.get(a), int | float) else "" for a in acts),
            len(opened),
            "; ".join(note_title(story, n) for n in opened),
            *(answers.get(p, "") for p in questions),
        ]
        writer.writerow([cell(v) for v in row])
    return buffer.getvalue()
