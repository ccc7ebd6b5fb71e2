"""`kengir class-summary`: what a class did, from its records.

How many students reached each act and ending, what share took each choice where the class
chose, which notes were read most and least, and every reflection grouped by its question.
Names are left out unless the teacher asks for them.
"""

from __future__ import annotations

import html
from collections import Counter
from typing import Any


def summarise(records: list[dict[str, Any]], names: bool = False) -> dict[str, Any]:
    total = len(records)
    acts: Counter[str] = Counter()
    endings: Counter[str] = Counter()
    decisions: dict[str, dict[str, Any]] = {}
    opened: Counter[str] = Counter()
    found: Counter[str] = Counter()
    reflections: dict[str, dict[str, Any]] = {}
    for number, record in enumerate(records, 1):
        who = (record.get("student") or f"Student {number}") if names else f"Student {number}"
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
    never_opened = sorted(n for n in found if n not in opened)
    return {
        "students": total,
        "acts": dict(acts),
        "endings": dict(endings.most_common()),
        "decisions": [
            {
                "scene": d["title"],
                "students": d["students"],
                "choices": [(text, count, round(100 * count / d["students"])) for text, count in d["choices"].most_common()],
            }
            for d in key
        ],
        "notes_most_read": opened.most_common(8),
        "notes_never_opened": never_opened,
        "reflections": list(reflections.values()),
    }


def to_markdown(summary: dict[str, Any]) -> str:
    out = [f"# Class summary: {summary['students']} records", "", "## Acts reached", ""]
    out += [f"- {act}: {count} of {summary['students']}" for act, count in summary["acts"].items()]
    out += ["", "## Endings", ""] + [f"- {title}: {count}" for title, count in summary["endings"].items()]
    out += ["", "## Where the class chose", ""]
    for d in summary["decisions"]:
        out.append(f"**{d['scene']}** ({d['students']} students)")
        out += [f"- {text}: {count} ({share}%)" for text, count, share in d["choices"]]
        out.append("")
    out += [
        "## Notes",
        "",
        "Read most: " + (", ".join(f"{n} ({c})" for n, c in summary["notes_most_read"]) or "none"),
        "",
        "Found but never opened: " + (", ".join(summary["notes_never_opened"]) or "none"),
        "",
        "## Reflections",
        "",
    ]
    for group in summary["reflections"]:
        out += [f"### {group['question']}", ""]
        for who, answer in group["answers"]:
            out += [f"- *{who}*: " + ("(asked, not answered)" if answer is None else answer.replace("\n", " ") or "(blank)")]
        out.append("")
    return "\n".join(out) + "\n"


def to_html(summary: dict[str, Any]) -> str:
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Class summary ({summary['students']} records)</title>",
        "<style>body{font:16px/1.5 Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem}"
        "td,th{text-align:left;padding:.2rem .5rem;border-bottom:1px solid #ddd}table{border-collapse:collapse}"
        ".bar{background:#9a8c68;height:.7rem;display:inline-block}blockquote{white-space:pre-wrap;background:#f6f4ee;margin:.3rem 0;padding:.4rem .7rem}"
        "@media print{body{margin:0;max-width:none}}</style></head><body>",
        f"<h1>Class summary: {summary['students']} records</h1>",
        "<h2>Acts reached</h2><table>",
    ]
    parts += [f"<tr><th>{e(a)}</th><td>{c} of {summary['students']}</td></tr>" for a, c in summary["acts"].items()]
    parts.append("</table><h2>Endings</h2><table>")
    parts += [f"<tr><th>{e(t)}</th><td>{c}</td></tr>" for t, c in summary["endings"].items()]
    parts.append("</table><h2>Where the class chose</h2>")
    for d in summary["decisions"]:
        parts.append(f"<h3>{e(d['scene'])} ({d['students']} students)</h3><table>")
        parts += [
            f'<tr><td>{e(t)}</td><td>{c}</td><td><span class="bar" style="width:{s * 2}px"></span> {s}%</td></tr>'
            for t, c, s in d["choices"]
        ]
        parts.append("</table>")
    most = ", ".join(f"{e(n)} ({c})" for n, c in summary["notes_most_read"]) or "none"
    parts += [
        "<h2>Notes</h2>",
        f"<p>Read most: {most}</p>",
        f"<p>Found but never opened: {e(', '.join(summary['notes_never_opened'])) or 'none'}</p>",
        "<h2>Reflections</h2>",
    ]
    for group in summary["reflections"]:
        parts.append(f"<h3>{e(str(group['question']))}</h3>")
        parts += [
            f"<p><em>{e(who)}</em></p>"
            + ("<p>(asked, not answered)</p>" if answer is None else f"<blockquote>{e(answer) or '(blank)'}</blockquote>")
            for who, answer in group["answers"]
        ]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
