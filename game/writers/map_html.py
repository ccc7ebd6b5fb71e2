"""The story map as self-contained HTML pages: one per act (and perspective), and an index.

Everything a page needs is inside it (its CSS, its drawings as inline SVG): it opens offline,
from a folder or a mail attachment, and loads nothing. Links go only to the other pages.
"""

from __future__ import annotations

from html import escape

from game.model import Story
from game.writers.map_dot import CONDITION, ENDING, START, STUB
from game.writers.map_pages import Page
from game.writers.map_render import Row

CSS = f"""
body {{ margin: 0; font: 15px/1.45 "DejaVu Sans", Verdana, system-ui, sans-serif; color: #1f2328; background: #fff; }}
header {{ padding: 12px 16px 8px; border-bottom: 1px solid #d0d7de; background: #f6f8fa; }}
h1 {{ font-size: 24px; margin: 4px 0; }}
h1 small {{ font-weight: normal; color: #57606a; }}
h2 {{ font-size: 15px; margin: 0; padding: 10px 16px 0; color: #57606a; font-weight: normal; }}
h2 b {{ color: #1f2328; }}
a {{ color: {STUB}; }}
nav span a, nav span strong {{ margin: 0 4px; white-space: nowrap; }}
p {{ margin: 4px 0; }}
.legend {{ font-size: 13px; color: #57606a; }}
.legend span {{ margin-right: 12px; white-space: nowrap; display: inline-block; }}
.legend i {{ font-style: normal; }}
.start {{ color: {START}; }}
.ending {{ color: {ENDING}; }}
.cond {{ color: {CONDITION}; }}
.stub {{ color: {STUB}; border: 1px dashed {STUB}; border-radius: 6px; padding: 0 4px; }}
section {{ border-bottom: 1px solid #d0d7de; }}
section svg {{ display: block; margin: 0 8px; }}
svg text {{ font-family: "DejaVu Sans", Verdana, sans-serif; }}
g.node:target path, g.node:target polygon {{ stroke: #bf8700; stroke-width: 5; }}
.path {{ margin: 8px 0 16px; }}
.path a {{ display: inline-block; border: 1px solid #d0d7de; border-radius: 6px; padding: 4px 10px; margin: 4px 0;
  text-decoration: none; background: #fff; }}
.path .arrow {{ color: #57606a; margin: 0 4px; }}
main {{ padding: 8px 16px; }}
"""

LEGEND = (
    '<p class="legend">\n'
    "<span>Read each row left to right, the rows top to bottom.</span>\n"
    '<span><b class="start">▶ START</b>, <b class="ending">■ ENDING</b>: where a path starts and ends</span>\n'
    "<span>solid arrow: a choice always offered</span>\n"
    '<span>dashed arrow: only if <i class="cond">its condition</i> holds, a fallback, or a route</span>\n'
    '<span><i class="stub">dashed blue box</i>: a scene in another row or act (click it)</span>\n'
    "<span>pointer on a choice: its whole text and what it sets; click: go where it leads</span>\n"
    "</p>"
)


def _document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def page_title(page: Page) -> str:
    """The title of a page: the act's, and the perspective's (`II. Forty days: The woman...`)."""
    return page.act.title + (f": {page.perspective.title}" if page.perspective else "")


def _nav(page: Page, pages: list[Page]) -> str:
    same_path = [p for p in pages if p.perspective == page.perspective]
    acts = " ".join(
        f"<strong>{escape(p.act.title)}</strong>" if p is page else f'<a href="{p.name}.html">{escape(p.act.title)}</a>' for p in same_path
    )
    others = [p for p in pages if p.act.id == page.act.id and p.perspective != page.perspective and p.perspective]
    other = " ".join(f'<a href="{p.name}.html">{escape(p.perspective.title if p.perspective else "")}</a>' for p in others)
    line = f'<nav><a href="index.html">Index</a> · Acts: <span>{acts}</span>'
    return line + (f" · This act on another path: <span>{other}</span>" if other else "") + "</nav>"


def _facts(story: Story, page: Page, page_rows: list[Row]) -> str:
    entered = list(dict.fromkeys(source for source, _ in page.entries))
    left = page.exits
    facts = [f"{len(page.scenes)} scenes in {len(page_rows)} row{'s' if len(page_rows) > 1 else ''}"]
    if entered:
        facts.append("entered from " + ", ".join(f"<code>{escape(s)}</code>" for s in entered))
    if left:
        facts.append("leads on to " + ", ".join(f"<code>{escape(s)}</code>" for s in left))
    endings = [
        f'<a class="ending" href="#{escape(s.id)}">■ {escape(story.endings[s.ending].title)}</a> (<code>{escape(s.id)}</code>)'
        for s in page.endings
    ]
    facts.append("endings: " + (", ".join(endings) if endings else "none"))
    return "<p>" + " · ".join(facts) + "</p>"


def act_page(story: Story, page: Page, pages: list[Page], page_rows: list[Row]) -> str:
    """One act's page: where it sits in the story, the legend, then its rows of scenes."""
    whose = f" <small>{escape(page.perspective.title)}</small>" if page.perspective else ""
    header = (
        f"<header>\n{_nav(page, pages)}\n<h1>{escape(page.act.title)}{whose}</h1>\n{_facts(story, page, page_rows)}\n{LEGEND}\n</header>"
    )
    sections = [
        f'<section id="row-{row.number}">\n<h2><b>Row {row.number}</b> · {escape(row.dates)}</h2>\n{row.svg}\n</section>'
        for row in page_rows
    ]
    return _document(f"{story.title}: {page_title(page)}", header + "\n<main>\n" + "\n".join(sections) + "\n</main>")


def _path(story: Story, seer_pages: list[Page]) -> str:
    """A perspective's way through the acts, a link to each act's page, and its endings."""
    steps = []
    endings: dict[str, None] = {}
    for page in seer_pages:
        count = f"{len(page.scenes)} scenes" + (f", {len(page.endings)} endings" if page.endings else "")
        steps.append(f'<a href="{page.name}.html"><b>{escape(page.act.title)}</b><br>{count}</a>')
        endings.update(
            dict.fromkeys(
                f'<a class="ending" href="{page.name}.html#{escape(s.id)}">■ {escape(story.endings[s.ending].title)}</a>'
                for s in page.endings
            )
        )
    line = '<p class="path">' + '<span class="arrow">→</span>'.join(steps) + "</p>"
    return line + ("<p>Endings: " + " · ".join(endings) + "</p>" if endings else "<p>Endings: none</p>")


def index_page(story: Story, pages: list[Page]) -> str:
    """The map's first page: each perspective's path through the acts, with links to its pages."""
    seers = list(dict.fromkeys(page.perspective for page in pages))
    parts = [f"<header>\n<h1>{escape(story.title)} <small>story map</small></h1>\n{LEGEND}\n</header>\n<main>"]
    for seer in seers:
        seer_pages = [page for page in pages if page.perspective == seer]
        if seer is None:
            parts.append(f"<h2><b>Every scene</b> · starts at <code>{escape(story.start)}</code></h2>")
        else:
            parts.append(f"<h2><b>{escape(seer.title)}</b> · starts at <code>{escape(seer.start)}</code></h2>")
        parts.append(_path(story, seer_pages))
    parts.append("</main>")
    return _document(f"{story.title}: story map", "\n".join(parts))
