"""`kengir report`: a record as Markdown, a self-contained HTML page, or JSON.

The HTML page has no scripts and no outside files: a teacher opens it in any browser, reads it,
prints it. Everything a student wrote is escaped.
"""

from __future__ import annotations

import html
import json
from typing import Any

_STYLE = """
body { font: 16px/1.5 Georgia, 'Times New Roman', serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1d; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #bbb; }
.meta { color: #555; margin-top: 0; } table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; vertical-align: top; padding: .25rem .5rem; border-bottom: 1px solid #e2e2e2; }
th { font-weight: normal; color: #555; } .answer { white-space: pre-wrap; background: #f6f4ee; padding: .6rem .8rem; border-left: 3px solid #9a8c68; }
.warning { background: #fff3cd; border: 1px solid #d8c27a; padding: .5rem .8rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } .answer, tr { break-inside: avoid; } }
"""


def _minutes(seconds: int) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def _title(record: dict[str, Any]) -> str:
    assignment = record.get("assignment") or {}
    return assignment.get("title") or "Free play"


def summary_lines(record: dict[str, Any], story_fingerprint: str | None) -> list[str]:
    notes = []
    made_with = (record.get("story") or {}).get("fingerprint")
    if story_fingerprint and made_with and made_with != story_fingerprint:
        notes.append(f"This record was made with another version of the story ({made_with}); it is shown as written.")
    return notes


def to_markdown(record: dict[str, Any], story_fingerprint: str | None = None) -> str:
    out = [f"# {_title(record)}", ""]
    who = record.get("student") or "(name not asked)"
    ending = record.get("ending")
    out += [
        f"- Student: {who}",
        f"- Story: {(record.get('story') or {}).get('title', '?')} (fingerprint {(record.get('story') or {}).get('fingerprint', '?')})",
        f"- Perspective: {record.get('perspective_title') or record.get('perspective') or '-'}",
        f"- Played: {record.get('started_at')} to {record.get('finished_at')}",
        f"- Finished: {'yes' if record.get('complete') else 'no (record written before the end)'}",
        f"- Ending: {ending['title'] if ending else '-'}",
        f"- Seed: {record.get('seed')}",
    ]
    for note in summary_lines(record, story_fingerprint):
        out += ["", f"> **Note:** {note}"]
    out += ["", "## Time per act", ""]
    for act, seconds in (record.get("time_per_act") or {}).items():
        out.append(f"- {act}: {_minutes(seconds)}")
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
    out += ["## Path", "", "| # | scene | date | choice |", "|---|---|---|---|"]
    for number, step in enumerate(record.get("path") or [], 1):
        choice = (step.get("choice") or "(stopped here)").replace("|", "\\|")
        out.append(f"| {number} | {str(step.get('title', '')).replace('|', '/')} | {step.get('date', '')} | {choice} |")
    out += [
        "",
        "## Notes",
        "",
        f"Found: {len(record.get('notes_found') or [])}. Opened and read: {', '.join(record.get('notes_opened') or []) or 'none'}.",
        "",
    ]
    return "\n".join(out) + "\n"


def to_html(record: dict[str, Any], story_fingerprint: str | None = None) -> str:
    e = html.escape
    ending = record.get("ending")
    rows = [
        ("Student", record.get("student") or "(name not asked)"),
        ("Story", f"{(record.get('story') or {}).get('title', '?')} ({(record.get('story') or {}).get('fingerprint', '?')})"),
        ("Perspective", record.get("perspective_title") or record.get("perspective") or "-"),
        ("Played", f"{record.get('started_at')} to {record.get('finished_at')}"),
        ("Finished", "yes" if record.get("complete") else "no (record written before the end)"),
        ("Ending", ending["title"] if ending else "-"),
        ("Seed", str(record.get("seed"))),
    ]
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
        '<p class="meta">Kengir: Forty Days - record of one session</p>',
        "<table>",
        *(f"<tr><th>{e(k)}</th><td>{e(str(v))}</td></tr>" for k, v in rows),
        "</table>",
    ]
    for note in summary_lines(record, story_fingerprint):
        parts.append(f'<p class="warning">{e(note)}</p>')
    parts.append("<h2>Time per act</h2><table>")
    parts += [f"<tr><th>{e(act)}</th><td>{e(_minutes(s))}</td></tr>" for act, s in (record.get("time_per_act") or {}).items()]
    parts.append("</table><h2>Reflections</h2>")
    reflections = record.get("reflections") or []
    if not reflections:
        parts.append("<p>No reflections written.</p>")
    for r in reflections:
        parts.append(f'<h3>{e(str(r.get("question", "")))}</h3><div class="answer">{e(str(r.get("answer", ""))) or "(blank)"}</div>')
    for r in record.get("unanswered") or []:
        parts.append(f"<h3>{e(str(r.get('question', '')))}</h3><p><em>(asked, not answered)</em></p>")
    parts.append("<h2>Path</h2><table><tr><th>#</th><th>Scene</th><th>Date</th><th>Choice</th></tr>")
    for number, step in enumerate(record.get("path") or [], 1):
        parts.append(
            f"<tr><td>{number}</td><td>{e(str(step.get('title', '')))}</td><td>{e(str(step.get('date', '')))}</td>"
            f"<td>{e(str(step.get('choice') or '(stopped here)'))}</td></tr>"
        )
    opened = record.get("notes_opened") or []
    parts += [
        "</table>",
        "<h2>Notes</h2>",
        f"<p>Found: {len(record.get('notes_found') or [])}. Opened and read: {e(', '.join(opened)) or 'none'}.</p>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def to_json(record: dict[str, Any]) -> str:
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"
