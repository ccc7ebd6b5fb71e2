"""A page of the story map as Graphviz DOT: scenes as boxes listing their choices, arrows from
each choice (one per route) to where it leads, stubs for the scenes outside the page.

Each box holds what a writer looks for first: the title, the id and date, START or ENDING, and
each choice's words (shortened) with its condition, `once`, `fallback` and routes under it; an
arrow leaves from the row of the choice (or route) it follows, so the arrows need no labels and
the page stays narrow. Sizes are in points, which map_html.py shows one point to one CSS pixel.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from game.model import Choice, Scene, Story, Template
from game.writers.map_pages import Arrow, Page, visible

FONT = "DejaVu Sans"  # wide: a browser's fallback sans-serif fits inside the boxes dot measured
RANKSEP = 0.6  # inches between two columns of a row
PAD = 0.15  # inches around a row
CHOICE_CHARS = 44  # a choice's words are cut to this many characters
CONDITION_CHARS = 50  # a condition wraps at this width (its type is smaller than a choice's)...
CONDITION_LINES = 3  # ...over at most this many lines

INK = "#1f2328"
QUIET = "#57606a"
CONDITION = "#8a4600"
START = "#1a7f37"
ENDING = "#a40e26"
STUB = "#0550ae"

# The page a stub links to (relative URL with its #anchor), or "" for a scene on no page written.
Linker = Callable[[Scene], str]


def esc(text: str) -> str:
    """Text made safe inside a Graphviz HTML-like label (and inside a quoted attribute)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def quote(text: str) -> str:
    """A DOT quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut at a word to at most `limit` characters, with … when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def written(template: Template) -> str:
    """A template as the writer wrote it: `{expression}` holes kept."""
    return "".join(p if isinstance(p, str) else "{" + p.source + "}" for p in template.parts)


def wrapped(text: str) -> list[str]:
    """A condition over a few short lines, the last ending in … when it had to be cut."""
    lines = textwrap.wrap(text, CONDITION_CHARS, break_long_words=True, break_on_hyphens=False)
    if len(lines) > CONDITION_LINES:
        lines = lines[:CONDITION_LINES]
        lines[-1] = shorten(lines[-1] + " …", CONDITION_CHARS)
    return lines


def _small(lines: list[str], color: str) -> str:
    body = '<BR ALIGN="LEFT"/>'.join(esc(line) for line in lines)
    return f'<BR ALIGN="LEFT"/><FONT POINT-SIZE="12" COLOR="{color}">{body}</FONT>'


def choice_tags(choice: Choice) -> list[str]:
    """What gates a choice, in a writer's words: its condition, once, fallback."""
    tags = []
    if choice.condition is not None:
        # no-break spaces: the wrapping below keeps the words together
        tags.append(f"if {choice.condition.source}" + ("\u00a0(else\u00a0greyed\u00a0out)" if choice.reason else ""))
    if choice.once:
        tags.append("once")
    if choice.fallback:
        tags.append("fallback: only when nothing else can be taken")
    return tags


def tooltip(choice: Choice, target: str) -> str:
    """The whole choice, shown when the pointer rests on its row: words, gate, effects, target."""
    lines = [written(choice.text), *choice_tags(choice)]
    if choice.effects:
        lines.append("set " + ", ".join(f"{e.variable} = {e.value.source}" for e in choice.effects))
    lines.append(f"→ {target}")
    return "\n".join(lines)


def _row(port: str, text: str, note: str, tip: str, href: str) -> str:
    link = f' HREF="{esc(href)}" TOOLTIP="{esc(tip)}"' if href else ""
    return f'<TR><TD PORT="{port}" ALIGN="LEFT" BALIGN="LEFT"{link}>{text}{note}</TD></TR>'


def _choice_rows(story: Story, scene: Scene, page: Page, link: Linker) -> list[str]:
    rows = []
    arrows: dict[str, Arrow] = {arrow.port: arrow for arrow in page.arrows if arrow.source == scene.id}
    for number, choice in enumerate(scene.choices, 1):
        words = esc(f"{number}. {shorten(written(choice.text), CHOICE_CHARS)}")
        tags = choice_tags(choice)
        note = _small(wrapped(" · ".join(tags)), CONDITION) if tags else ""
        if not choice.routes:
            arrow = arrows[f"c{choice.index}"]
            rows.append(_row(arrow.port, words, note, tooltip(choice, arrow.target), link(story.scenes[arrow.target])))
            continue
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{words}{note}</TD></TR>')
        for i, target in enumerate(choice.targets):
            condition = f"↳ if {choice.routes[i].condition.source}" if i < len(choice.routes) else "↳ otherwise"
            text = _small(wrapped(condition), CONDITION).removeprefix('<BR ALIGN="LEFT"/>')
            rows.append(_row(f"c{choice.index}r{i}", "", text, tooltip(choice, target), link(story.scenes[target])))
    return rows


def _marks(story: Story, scene: Scene, page: Page) -> list[str]:
    marks = []
    if scene.id == story.start:
        marks.append(f'<FONT COLOR="{START}"><B>▶ START of the story</B></FONT>')
    for perspective in story.perspectives.values():
        if perspective.start == scene.id and page.perspective in (None, perspective):
            marks.append(f'<FONT COLOR="{START}"><B>▶ START: {esc(perspective.title)}</B></FONT>')
    if scene.ending:
        marks.append(f'<FONT COLOR="{ENDING}"><B>■ ENDING: {esc(story.endings[scene.ending].title)}</B></FONT>')
    return [f'<TR><TD ALIGN="LEFT">{mark}</TD></TR>' for mark in marks]


def scene_node(story: Story, scene: Scene, page: Page, link: Linker) -> str:
    """A scene's box: title, id and date, START or ENDING, then a row per choice and route."""
    marks = _marks(story, scene, page)
    color = ENDING if scene.ending else START if any("START" in m for m in marks) else QUIET
    width = "3" if scene.ending or marks else "1"
    rows = [
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="15"><B>{esc(shorten(scene.title, CHOICE_CHARS))}</B></FONT></TD></TR>',
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="12" COLOR="{QUIET}">{esc(scene.id)} · {esc(scene.date)}</FONT></TD></TR>',
        *marks,
        *_choice_rows(story, scene, page, link),
    ]
    fill = ' BGCOLOR="#fff0f0"' if scene.ending else ""
    table = (
        f'<TABLE BORDER="{width}" COLOR="{color}" STYLE="ROUNDED" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3"{fill}>'
        + "".join(rows)
        + "</TABLE>"
    )
    return f"  {quote(scene.id)} [id={quote(scene.id)}, label=<{table}>];"


def stub_node(key: str, lines: list[str], href: str) -> str:
    """A stub: a dashed blue box naming what is elsewhere, linking there when `href` is given."""
    attrs = f"href={quote(href)}, " if href else ""
    return f'  {quote(key)} [id={quote(key)}, {attrs}shape=box, style="rounded,dashed", color="{STUB}", fontcolor="{STUB}", label={quote(chr(10).join(lines))}];'


def stub_words(story: Story, scene: Scene, glyph: str, row: int | None, whose: bool) -> list[str]:
    """What a stub naming a scene says: the scene's id and title, then its row on this page
    (`row`, from 0) or its act, and with `whose`, the perspectives whose path it is on."""
    where = f"row {row + 1} of this act" if row is not None else story.acts[scene.act].title
    if whose and row is None and scene.perspectives:
        where += " (" + ", ".join(story.perspectives[p].title for p in scene.perspectives) + ")"
    return [f"{glyph} {scene.id}", shorten(scene.title, CHOICE_CHARS), where]


def unseen(page: Page, scene: Scene) -> bool:
    """Whether a scene is on another perspective's path than the page's."""
    return page.perspective is not None and not visible(scene, page.perspective)


def _entry_stubs(story: Story, page: Page, here: set[str], number: int, row_of: dict[str, int], link: Linker) -> list[str]:
    """Stubs on the left for the arrows coming into the row: one per scene of another act that
    leads in (naming it), one per other row of the page (naming up to three of its scenes)."""
    lines = []
    arrows: dict[tuple[str, str], None] = {}
    for source, target in page.entries:
        if target in here:
            scene = story.scenes[source]
            key = f"from:{source}"
            if key not in {k for k, _ in arrows}:
                lines.append(stub_node(key, stub_words(story, scene, "from", None, unseen(page, scene)), link(scene)))
            arrows[(key, target)] = None
    others: dict[int, list[str]] = {}
    for arrow in page.arrows:
        if arrow.target in here and arrow.source not in here:
            others.setdefault(row_of[arrow.source], []).append(arrow.source)
            arrows[(f"from:row{row_of[arrow.source] + 1}", arrow.target)] = None
    for row, sources in sorted(others.items()):
        names = list(dict.fromkeys(sources))
        shown = names[:3] + ([f"and {len(names) - 3} more"] if len(names) > 3 else [])
        heading = f"{'↑' if row < number else '↓'} from row {row + 1}"
        lines.append(stub_node(f"from:row{row + 1}", [heading, *shown], link(story.scenes[names[0]])))
    if arrows:
        lines.append("  { rank=min; " + " ".join(quote(k) for k in dict.fromkeys(k for k, _ in arrows)) + " }")
    lines += [f'  {quote(key)} -> {quote(target)} [color="{STUB}", style=dashed];' for key, target in arrows]
    return lines


def row_dot(story: Story, page: Page, row: list[Scene], row_of: dict[str, int], link: Linker) -> str:
    """One row of a page as a DOT graph laid out left to right: its scenes, the arrows among
    them, stubs on the left for the arrows coming in, and on the right, one for each scene
    outside the row that an arrow leads to (its id, title, and the act or row it is in)."""
    here = {scene.id for scene in row}
    number = row_of[row[0].id]
    lines = [
        f"digraph {quote(f'{page.name} row {number + 1}')} {{",
        f'  graph [rankdir=LR, nodesep=0.25, ranksep={RANKSEP}, pad={PAD}, fontname="{FONT}"];',
        f'  node [shape=plain, fontname="{FONT}", fontsize=14, fontcolor="{INK}"];',
        f'  edge [color="{QUIET}", arrowsize=0.8, penwidth=1.3];',
    ]
    lines += [scene_node(story, scene, page, link) for scene in row]
    lines += _entry_stubs(story, page, here, number, row_of, link)
    for target in dict.fromkeys(a.target for a in page.arrows if a.source in here and a.target not in here):
        row_there = row_of.get(target)
        glyph = "→" if row_there is None else "↓" if row_there > number else "↑"
        scene = story.scenes[target]
        lines.append(stub_node(f"to:{target}", stub_words(story, scene, glyph, row_there, unseen(page, scene)), link(scene)))
    for arrow in page.arrows:
        if arrow.source in here:
            head = quote(arrow.target if arrow.target in here else "to:" + arrow.target)
            style = " [style=dashed]" if arrow.dashed else ""
            lines.append(f"  {quote(arrow.source)}:{arrow.port}:e -> {head}{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"
