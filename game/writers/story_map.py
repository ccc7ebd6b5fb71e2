"""`kengir graph --format html|svg`: the story map a writer reads, one page per act and
perspective, written into a folder.

map_pages.py says what each page holds and how its scenes fall into rows in story order,
map_dot.py how a row is drawn, map_render.py runs Graphviz, map_html.py makes the HTML pages;
an SVG page, the rows stacked into one drawing, is made here.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from game.model import Scene, Story
from game.writers.map_dot import FONT, INK, QUIET, Linker
from game.writers.map_html import act_page, index_page, page_title
from game.writers.map_pages import Page, map_pages, page_of
from game.writers.map_render import Row, draw

GAP = 28  # between the rows of a page stacked into one SVG


def _linker(pages: list[Page], page: Page, extension: str, anchors: bool) -> Linker:
    """Where a stub or a choice on `page` naming a scene leads: that scene's page (and, with
    `anchors`, the scene on it); "" for a scene on no page written, or on this page without
    anchors."""

    def link(scene: Scene) -> str:
        target = page_of(pages, scene, page.perspective)
        if target is None or (target is page and not anchors):
            return ""
        anchor = f"#{scene.id}" if anchors else ""
        return anchor if target is page else f"{target.name}.{extension}{anchor}"

    return link


def stacked_svg(story: Story, page: Page, page_rows: list[Row]) -> str:
    """A page as one standalone SVG: a heading, then its rows one below the other, each under
    its number and dates."""
    title = page_title(page)
    width = max(row.width for row in page_rows)
    y = 44
    parts = [f'<text x="8" y="28" font-family="{FONT}" font-size="22" font-weight="bold" fill="{INK}">{escape(title)}</text>']
    for row in page_rows:
        parts.append(
            f'<text x="8" y="{y + 16}" font-family="{FONT}" font-size="14" fill="{QUIET}">Row {row.number} · {escape(row.dates)}</text>'
        )
        body = row.svg.replace("<svg ", f'<svg x="0" y="{y + 24}" ', 1)
        parts.append(body)
        y += 24 + row.height + GAP
        parts.append(f'<line x1="0" x2="{width}" y1="{y - GAP / 2}" y2="{y - GAP / 2}" stroke="#d0d7de"/>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}" height="{y}" '
        f'viewBox="0 0 {width} {y}">\n<rect width="100%" height="100%" fill="white"/>\n' + "\n".join(parts) + "\n</svg>\n"
    )


def write_map(story: Story, folder: Path, form: str, perspective: str | None, width: int, dot: str) -> list[Path]:
    """Draw the map's pages into `folder` (made if missing) and return the files written, the
    one to open first at the front: `index.html` for HTML, the first act's page for SVG."""
    pages = map_pages(story, perspective)
    # An SVG page is not scrolled to an anchor (a fragment would show the row alone): its
    # links open the other page at its top.
    anchors = form == "html"
    links = {page.name: _linker(pages, page, form, anchors) for page in pages}
    drawn = draw(story, pages, links, width, dot)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    if form == "html":
        written.append(folder / "index.html")
        written[-1].write_text(index_page(story, pages), encoding="utf-8")
    for page in pages:
        path = folder / f"{page.name}.{form}"
        text = act_page(story, page, pages, drawn[page.name]) if form == "html" else stacked_svg(story, page, drawn[page.name])
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
