"""Drawing the story map's pages with Graphviz's `dot`: the scenes' boxes measured, each page
cut into rows that fit, every row of every page drawn in one run, and each row's SVG made
ready to sit inline in a page.

`dot` is a separate program (Graphviz); when it is missing, MapError says how to install it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

from game.model import Scene, Story
from game.writers.map_dot import FONT, PAD, RANKSEP, Linker, quote, row_dot, scene_node, stub_node, stub_words, unseen
from game.writers.map_pages import Measures, Page, rows

INSTALL = (
    "the story map is drawn by Graphviz's `dot`, which is not installed (or not on PATH).\n"
    "Install Graphviz, then run this again:\n"
    "  Debian, Ubuntu:  sudo apt-get install graphviz\n"
    "  Fedora:          sudo dnf install graphviz\n"
    "  macOS:           brew install graphviz\n"
    "  Windows:         winget install graphviz   (then open a new terminal)\n"
    "`--format dot` and `--format mermaid` need nothing installed."
)


class MapError(Exception):
    """The map could not be drawn: `dot` is missing or failed. The message says what to do."""


@dataclass(frozen=True)
class Row:
    """One row of a page drawn: its scenes, and the SVG element (no XML prolog) `dot` drew."""

    number: int  # from 1
    scenes: tuple[Scene, ...]
    svg: str
    width: int
    height: int

    @property
    def dates(self) -> str:
        """The story dates the row covers: "1954-05-17" or "1954-05-17 to 1954-06-01"."""
        dates = sorted(scene.date for scene in self.scenes)
        return dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"


def find_dot() -> str:
    """The path of Graphviz's `dot`, or MapError saying how to install it."""
    path = shutil.which("dot")
    if path is None:
        raise MapError(INSTALL)
    return path


_SIZE = re.compile(r'<svg width="(\d+)pt" height="(\d+)pt"')
_ID = re.compile(r'id="([^"]*)"')


def _ready(svg: str, page: Page, number: int, scenes: set[str]) -> tuple[str, int, int]:
    """A row's SVG as dot wrote it, made to sit inline: no prolog or comments, one point drawn
    as one CSS pixel (so the fonts are the sizes map_dot.py gives), and every id but a scene's
    (the anchor a link opens) made unique on the page by the row's number: `r2-to:strike.yard`."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)
    size = _SIZE.search(svg)
    if size is None:
        raise MapError(f"dot drew {page.name} row {number} in a form this version does not read")
    width, height = int(size.group(1)), int(size.group(2))
    svg = svg.replace(size.group(0), f'<svg width="{width}" height="{height}"', 1)
    svg = _ID.sub(lambda m: m.group(0) if m.group(1) in scenes else f'id="r{number}-{m.group(1)}"', svg)
    return svg.strip(), width, height


def _run(dot: str, form: str, source: str) -> str:
    try:
        done = subprocess.run([dot, f"-T{form}"], input=source.encode(), capture_output=True, check=False)
    except OSError as exc:
        raise MapError(f"could not run {dot}: {exc}") from exc
    if done.returncode != 0:
        raise MapError("dot failed: " + done.stderr.decode("utf-8", "replace").strip())
    return done.stdout.decode("utf-8", "replace")


def _measures(story: Story, pages: list[Page], links: dict[str, Linker], dot: str) -> dict[str, Measures]:
    """How wide `dot` draws each page's boxes and stubs: measured in one run, not guessed, so
    that rows are cut to fit whatever fonts this machine has. Page name -> its measures."""
    source = ["digraph measure {", f'  node [shape=plain, fontname="{FONT}", fontsize=14];']
    boxes = [(page, scene) for page in pages for scene in page.scenes]
    for i, (page, scene) in enumerate(boxes):
        source.append(scene_node(story, scene, page, links[page.name]).replace(quote(scene.id), f"b{i}", 1))
    scenes = list(story.scenes.values())
    for i, scene in enumerate(scenes):  # a stub as its own perspective, another, and another row see it
        source.append(stub_node(f"o{i}", stub_words(story, scene, "→", None, False), ""))
        source.append(stub_node(f"p{i}", stub_words(story, scene, "→", None, True), ""))
        source.append(stub_node(f"r{i}", stub_words(story, scene, "→", 99, False), ""))
    width: dict[str, float] = {}
    for line in _run(dot, "plain", "\n".join(source) + "\n}\n").splitlines():
        parts = line.split()
        if len(parts) > 4 and parts[0] == "node":
            width[parts[1].strip('"')] = float(parts[4]) * 72
    box = {(page.name, scene.id): width[f"b{i}"] for i, (page, scene) in enumerate(boxes)}
    stubs = {scene.id: (width[f"o{i}"], width[f"p{i}"], width[f"r{i}"]) for i, scene in enumerate(scenes)}

    def measures(page: Page) -> Measures:
        def stub(scene_id: str) -> float:
            own, other, row = stubs[scene_id]
            return max(other if unseen(page, story.scenes[scene_id]) else own, row)

        return Measures(lambda scene: box[(page.name, scene.id)], stub, RANKSEP * 72, 2 * PAD * 72 + 16)

    return {page.name: measures(page) for page in pages}


def draw(story: Story, pages: list[Page], links: dict[str, Linker], budget: float, dot: str) -> dict[str, list[Row]]:
    """Every page's rows drawn by `dot`: page name -> its rows, top to bottom. `links[name]`
    gives the link a stub or a choice on that page leads to; `budget` is the widest a row
    should be, in CSS pixels."""
    measures = _measures(story, pages, links, dot)
    cut: list[tuple[Page, list[Scene], dict[str, int]]] = []
    for page in pages:
        page_rows = rows(page, measures[page.name], budget)
        row_of = {scene.id: i for i, row in enumerate(page_rows) for scene in row}
        cut += [(page, row, row_of) for row in page_rows]
    drawn = _run(dot, "svg", "".join(row_dot(story, page, row, row_of, links[page.name]) for page, row, row_of in cut)).split("<?xml")[1:]
    if len(drawn) != len(cut):
        raise MapError(f"dot drew {len(drawn)} of the map's {len(cut)} rows")
    result: dict[str, list[Row]] = {page.name: [] for page in pages}
    for (page, row, row_of), svg in zip(cut, drawn):
        number = row_of[row[0].id] + 1
        text, width, height = _ready(svg, page, number, {scene.id for scene in row})
        result[page.name].append(Row(number, tuple(row), text, width, height))
    return result
