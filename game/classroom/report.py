"""`kengir report`: a record as Markdown, a self-contained HTML page, or JSON.

The HTML page has no scripts and no outside files: a teacher opens it in any browser, reads it,
prints it. Everything a student wrote is escaped.
"""

from __future__ import annotations

import html
import json
from typing import Any

from game.classroom.dates import human_span
from game.classroom.record import Verdict, made_with
from game.classroom.summary import act_title, in_story_order, note_title
from game.model import Story
from game.session.texts import pretty_date

_STYLE = """
body { font: 16px/1.5 Georgia, 'Times New Roman', serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1d; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #bbb; }
.meta { color: #555; margin-top: 0; } table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; vertical-align: top; padding: .25rem .5rem; border-bottom: 1px solid #e2e2e2; }
th { font-weight: normal; color: #555; } .answer { white-space: pre-wrap; background: #f6f4ee; padding: .6rem .8rem; border-left: 3px solid #9a8c68; }
.warning { background: #fff3cd; border: 1px solid #d8c27a; padding: .5rem .8rem; }
.verified { background: #e6f2e3; border: 1px solid #9cc493; padding: .5rem .8rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } .answer, tr { break-inside: avoid; } }
"""


CATCH_UP_NOTE = (
    "The assignment starts later in the story. The student's character starts from the state these {n} earlier "
    "choices lead to, drawn by the run's seed from those a player makes (not chosen by the student):"
)


def _minutes(seconds: int) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def _title(record: dict[str, Any]) -> str:
    assignment = record.get("assignment") or {}
    return assignment.get("title") or "Free play"


def check_lines(record: dict[str, Any], verdict: Verdict | None) -> list[str]:
    """What checking the record found, for the top of the report."""
    if verdict is None:
        return ["Not checked: the story this install plays could not be loaded (kengir verify checks it)."]
    if verdict.other_version:
        return [f"Not checked here: {verdict.other_version}."]
    if verdict.problems:
        return ["NOT VERIFIED: " + "; ".join(verdict.problems) + "."]
    what = "Verified: its path, notes opened and ending are what the story gives for its seed and choices"
    return [f"{what}; {verdict.signature}."]


def _facts(record: dict[str, Any], story: Story | None) -> list[tuple[str, str]]:
    ending = record.get("ending")
    made = record.get("story") or {}
    return [
        ("Student", record.get("student") or "(name not asked)"),
        ("Perspective", record.get("perspective_title") or record.get("perspective") or "-"),
        ("Played", human_span(record.get("started_at"), record.get("finished_at"))),
        ("Finished", "yes" if record.get("complete") else "no (record written before the end)"),
        ("Ending", ending["title"] if ending else "-"),
        ("Story", f"{made.get('title', '?')}, {made_with(record)}"),
        ("Seed", str(record.get("seed"))),
    ]


def _times(record: dict[str, Any], story: Story | None) -> list[tuple[str, str]]:
    times = record.get("time_per_act") or {}
    return [(act_title(story, a), _minutes(times[a])) for a in in_story_order(story, times)]


def _opened(record: dict[str, Any], story: Story | None) -> str:
    return "; ".join(note_title(story, n) for n in record.get("notes_opened") or []) or "none"


def to_markdown(record: dict[str, Any], story: Story | None = None, verdict: Verdict | None = None) -> str:
    out = [f"# {_title(record)}: {record.get('student') or 'record'}", ""]
    out += [f"> **{line}**" for line in check_lines(record, verdict)] + [""]
    out += [f"- {k}: {v}" for k, v in _facts(record, story)]
    out += ["", "## Time per act", ""]
    out += [f"- {act}: {spent}" for act, spent in _times(record, story)]
    out += ["", "## Reflections", ""]
    reflections = record.get("reflections") or []
    if not reflections:
        out.append("No reflections written.")
    for r in reflections:
        out += [f"**{r.get('question')}**", ""]
        out += [f"> {line}" if line else ">" for line in str(r.get("answer", "")).splitlines() or ["(blank)"]]
        out.append("")
    for r in record.get("unanswered") or []:
        out += [f"**{r.get('question')}**", "", "*(asked, not answered)*", ""]
    drawn = record.get("catch_up")
    if drawn:
        out += ["## Before the assigned part", "", CATCH_UP_NOTE.format(n=len(drawn)), ""]
        out += [f"{n}. {step.get('scene')}: {step.get('choice')}" for n, step in enumerate(drawn, 1)] + [""]
    out += ["## Path", "", "| # | act | scene | date | choice |", "|---|---|---|---|---|"]
    for number, step in enumerate(record.get("path") or [], 1):
        choice = (step.get("choice") or "(stopped here)").replace("|", "\\|")
        act = act_title(story, str(step.get("act", ""))).replace("|", "/")
        out.append(
            f"| {number} | {act} | {str(step.get('title', '')).replace('|', '/')} | {pretty_date(str(step.get('date', '')))} | {choice} |"
        )
    out += [
        "",
        "## Notes",
        "",
        f"Found: {len(record.get('notes_found') or [])}. Opened and read: {_opened(record, story)}.",
        "",
    ]
    return "\n".join(out) + "\n"


def to_html(record: dict[str, Any], story: Story | None = None, verdict: Verdict | None = None) -> str:
    e = html.escape
    good = verdict is not None and verdict.verified
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(_title(record))} - {e(str(record.get('student') or 'record'))}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(_title(record))}</h1>",
        f'<p class="meta">Kengir: Forty Days - record of {e(str(record.get("student") or "one session"))}</p>',
        *(f'<p class="{"verified" if good else "warning"}">{e(line)}</p>' for line in check_lines(record, verdict)),
        "<table>",
        *(f"<tr><th>{e(k)}</th><td>{e(str(v))}</td></tr>" for k, v in _facts(record, story)),
        "</table>",
    ]
    parts.append("<h2>Time per act</h2><table>")
    parts += [f"<tr><th>{e(act)}</th><td>{e(spent)}</td></tr>" for act, spent in _times(record, story)]
    parts.append("</table><h2>Reflections</h2>")
    reflections = record.get("reflections") or []
    if not reflections:
        parts.append("<p>No reflections written.</p>")
    for r in reflections:
        parts.append(f'<h3>{e(str(r.get("question", "")))}</h3><div class="answer">{e(str(r.get("answer", ""))) or "(blank)"}</div>')
    for r in record.get("unanswered") or []:
        parts.append(f"<h3>{e(str(r.get('question', '')))}</h3><p><em>(asked, not answered)</em></p>")
    drawn = record.get("catch_up")
    if drawn:
        parts.append(f"<h2>Before the assigned part</h2><p>{e(CATCH_UP_NOTE.format(n=len(drawn)))}</p><ol>")
        parts += [f"<li>{e(str(step.get('scene')))}: {e(str(step.get('choice')))}</li>" for step in drawn]
        parts.append("</ol>")
    parts.append("<h2>Path</h2><table><tr><th>#</th><th>Act</th><th>Scene</th><th>Date</th><th>Choice</th></tr>")
    for number, step in enumerate(record.get("path") or [], 1):
        parts.append(
            f"<tr><td>{number}</td><td>{e(act_title(story, str(step.get('act', ''))))}</td><td>{e(str(step.get('title', '')))}</td>"
            f"<td>{e(pretty_date(str(step.get('date', ''))))}</td><td>{e(str(step.get('choice') or '(stopped here)'))}</td></tr>"
        )
    parts += [
        "</table>",
        "<h2>Notes</h2>",
        f"<p>Found: {len(record.get('notes_found') or [])}. Opened and read: {e(_opened(record, story))}.</p>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def to_json(record: dict[str, Any]) -> str:
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"
