"""`kengir handout`: a printable page for students, made from the story's own data.

The vocabulary is the story's glossary, the people its historical figures, the timeline its
events, so a handout never says other than the game; the plan of the camp draws the places
the scenes name, in their real order (the women's lagpunkt 1, the service yard, the men's
lagpunkts 2 and 3, the camp prison beyond, as the sources place them); and the questions are
those the assignment asks, with room to write. One self-contained HTML page: no scripts, nothing
fetched, laid out for A4 or Letter paper.
"""

from __future__ import annotations

import html
from typing import Any

from game.model import Story
from game.runtime import Assignment, story_prompt_ids
from game.session.texts import pretty_date

# The camp's zones side by side, as the sources place them: the service yard between the women's
# lagpunkt 1 and the men's lagpunkt 2, lagpunkt 3 beyond, the camp prison beyond that. Each is a
# place of the story (its name is the story's) or, for the prison, a label of its own.
PLAN = (
    ("lagpunkt_1", "Lagpunkt 1", "women"),
    ("khozdvor", "Service yard", "khozdvor|workshops, food stores"),
    ("lagpunkt_2", "Lagpunkt 2", "men"),
    ("lagpunkt_3", "Lagpunkt 3", "men"),
    ("", "Camp prison", "and punishment|block"),
)

_STYLE = """
body { font: 10.5pt/1.35 Georgia, 'Times New Roman', serif; max-width: 48rem; margin: 1.5rem auto; padding: 0 1rem; color: #111; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; } h2 { font-size: 1.1rem; margin: 1rem 0 .3rem; border-bottom: 1px solid #999; }
.who { display: flex; gap: 2rem; margin: .6rem 0 1rem; } .who span { flex: 1; border-bottom: 1px solid #555; padding-top: 1.2rem; }
.intro { color: #333; } dl { margin: 0; } dt { font-weight: bold; } dd { margin: 0 0 .25rem 1rem; }
table { border-collapse: collapse; width: 100%; } td { padding: .05rem .3rem; vertical-align: top; border-bottom: 1px solid #ddd; }
.timeline { columns: 2; column-gap: 1.5rem; } .timeline div { break-inside: avoid; display: flex; gap: .6rem; border-bottom: 1px solid #ddd; } .timeline .date { flex: 0 0 7.5rem; color: #333; }
.question { break-inside: avoid; margin: .5rem 0 0; } .question p { margin: 0 0 .2rem; } .lines { height: 5.8rem;
  background: repeating-linear-gradient(#fff 0 1.45rem, #888 1.45rem calc(1.45rem + 1px)); }
.for { color: #555; font-style: italic; } .plan svg { width: 100%; height: auto; } .caption { color: #444; font-size: 10pt; }
.cols { columns: 2; column-gap: 2rem; } .cols dd, .cols dt { break-inside: avoid; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } .page { break-before: page; } }
"""


def handout_questions(story: Story, assignment: Assignment | None) -> list[tuple[str, str]]:
    """(who is asked, question) for every question the assignment puts: the story's own for the
    acts it covers (all, or those it names) and the teacher's; for free play, the story's."""
    acts = sorted(story.acts.values(), key=lambda a: a.order)
    low = story.acts[assignment.start].order if assignment and assignment.start in story.acts else None
    high = story.acts[assignment.until].order if assignment and assignment.until in story.acts else None
    if assignment and assignment.start in story.scenes:
        low = story.acts[story.scenes[assignment.start].act].order
    covered = {a.id for a in acts if (low is None or a.order >= low) and (high is None or a.order < high)}
    wanted = None if assignment is None or assignment.story_prompts else story_prompt_ids(assignment)
    scene_act = {p: story.scenes[s].act for s in story.scenes for p in story.scenes[s].prompts}
    order = {a.id: a.order for a in acts}
    asked: list[tuple[float, str, str]] = []
    for prompt in story.prompts.values():
        act = prompt.act or scene_act.get(prompt.id, "")
        if (wanted is None and act in covered) or (wanted is not None and prompt.id in wanted):
            who = " or ".join(_lower(story.perspectives[p].title) for p in prompt.perspectives if p in story.perspectives)
            asked.append((order.get(act, 99), who, prompt.text))
    if assignment is not None:
        for prompt in assignment.prompts:
            scenes = [s for s, ids in assignment.at.items() if prompt.id in ids]
            act = prompt.act or (story.scenes[scenes[0]].act if scenes else "")
            asked.append((order.get(act, 99) + (0.5 if prompt.act else 0), "", prompt.text))
    asked.sort(key=lambda item: item[0])  # stable: in each act, the story's first, as the game asks them
    seen: set[tuple[str, str]] = set()
    result = []
    for _, who, text in asked:
        if (who, text) not in seen:  # the same question placed at several scenes (one per perspective)
            seen.add((who, text))
            result.append((who, text))
    return result


def _lower(title: str) -> str:
    """'The woman of lagpunkt 1' as it reads inside a sentence: 'the woman of lagpunkt 1'."""
    return "the" + title[3:] if title.startswith("The ") else title


def plan_svg(story: Story) -> str:
    """The camp's zones as boxes in a row inside the wire, the steppe around: a plan, not a map."""
    e = html.escape
    zones = [(story.places.get(pid, label) if pid else label, label, note) for pid, label, note in PLAN if not pid or pid in story.places]
    width, gap, top = 900, 12, 60
    box = (width - 90 - gap * (len(zones) - 1)) / len(zones)
    parts = [
        f'<svg viewBox="0 0 {width} 260" xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-label="Plan of the 3rd camp division at Kengir: its zones side by side">',
        f'<rect x="1" y="1" width="{width - 2}" height="258" fill="#f4efe2" stroke="#999"/>',
        '<text x="16" y="28" font-size="15" fill="#555" font-style="italic">The steppe</text>',
        f'<rect x="30" y="{top - 16}" width="{width - 60}" height="180" fill="none" stroke="#333" stroke-dasharray="7 5"/>',
        f'<text x="{width - 40}" y="{top - 22}" font-size="13" text-anchor="end" fill="#333">the wire and the towers: one fire zone around all</text>',
    ]
    for i, (_, label, note) in enumerate(zones):
        x = 45 + i * (box + gap)
        prison = i == len(zones) - 1 and label == "Camp prison"
        fill = "#e9e2cf" if prison else ("#efd9d2" if i == 0 else "#fff")
        parts.append(f'<rect x="{x}" y="{top}" width="{box}" height="140" fill="{fill}" stroke="#333" stroke-width="2"/>')
        parts.append(f'<text x="{x + box / 2}" y="{top + 60}" font-size="17" font-weight="bold" text-anchor="middle">{e(label)}</text>')
        for n, line in enumerate(note.split("|")):
            parts.append(f'<text x="{x + box / 2}" y="{top + 84 + 16 * n}" font-size="12.5" text-anchor="middle">{e(line)}</text>')
        if i < len(zones) - 1:
            wall = x + box + gap / 2
            parts.append(f'<line x1="{wall}" y1="{top - 6}" x2="{wall}" y2="{top + 146}" stroke="#8a5a2b" stroke-width="5"/>')
    parts.append(
        f'<text x="{width / 2}" y="{top + 178}" font-size="12.5" text-anchor="middle" fill="#8a5a2b">'
        "brown: the high adobe (saman) walls between the zones, which the men broke through in May 1954</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def to_html(story: Story, assignment: Assignment | None) -> str:
    e = html.escape
    title = assignment.title if assignment else story.title
    historical = sorted((p for p in story.people.values() if p.kind == "historical"), key=lambda p: p.name.strip("\"'").lower())
    terms = sorted(story.terms.values(), key=lambda t: t.term.lower())
    events = sorted(story.events.values(), key=lambda ev: ev.date)
    parts: list[str] = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}: student handout</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f'<p class="intro">{e(story.title)}: a handout to keep beside the game. Everything here comes from the game itself.</p>',
        '<div class="who"><span>Name:</span><span>Date:</span><span>Perspective played:</span></div>',
        "<h2>The camp: a plan</h2>",
        f'<div class="plan">{plan_svg(story)}</div>',
        '<p class="caption">A simplified plan, not to scale: the 3rd camp division of Steplag at Kengir, Kazakhstan, '
        "as the sources describe it. The zones lay side by side, each fenced off from the next; the service yard, "
        "with the workshops and the food stores, lay between the women's lagpunkt and the men's.</p>",
        "<h2>Questions</h2>",
    ]
    questions = handout_questions(story, assignment)
    if not questions:
        parts.append("<p>This assignment asks no questions.</p>")
    for number, (who, text) in enumerate(questions, 1):
        whom = f' <span class="for">(if you play {e(who)})</span>' if who else ""
        parts.append(f'<div class="question"><p><b>{number}.</b> {e(text)}{whom}</p><div class="lines"></div></div>')
    parts += ['<h2 class="page">Timeline</h2>', '<div class="timeline">']
    parts += [f'<div><span class="date">{e(pretty_date(ev.date))}</span><span>{e(ev.title)}</span></div>' for ev in events]
    parts += [
        "</div>",
        "<h2>People</h2>",
        '<p class="caption">Real people who appear or are named in the game. '
        "The prisoners you play, and most people around them, are composites: invented, built from real ones.</p>",
        '<dl class="cols">',
    ]
    parts += [f"<dt>{e(p.name)}</dt><dd>{e(p.role)}</dd>" for p in historical]
    parts += ["</dl>", "<h2>Vocabulary</h2>", '<dl class="cols">']
    parts += [f"<dt>{e(t.term)}</dt><dd>{e(' '.join(t.definition.split()))}</dd>" for t in terms]
    parts += ["</dl>", "</body></html>"]
    return "\n".join(parts) + "\n"


def handout_summary(story: Story, assignment: Assignment | None) -> dict[str, Any]:
    """What the handout holds, counted (for the command's one line)."""
    return {
        "questions": len(handout_questions(story, assignment)),
        "terms": len(story.terms),
        "people": sum(1 for p in story.people.values() if p.kind == "historical"),
        "events": len(story.events),
    }
