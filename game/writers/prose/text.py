"""The prose report as a writer reads it in a terminal: the findings, one a line at
file:line:col (as `kengir check` prints its problems), then the figures beside their targets."""

from __future__ import annotations

from collections.abc import Collection

from game.writers.prose.counts import SENTENCE_WORDS
from game.writers.prose.overuse import SHOWN
from game.writers.prose.report import HISTORIANS_TARGET, SHARED_TARGET, ProseReport


def format_report(report: ProseReport, kinds: Collection[str] = (), scenes: bool = False) -> str:
    """The findings (only those of `kinds`, if given), the words of every scene if `scenes`,
    and the summary."""
    lines = [str(p) for p in report.findings if not kinds or p.code in kinds]
    if scenes:
        lines += _scene_lines(report)
    lines += _summary(report)
    return "\n".join(lines) + "\n"


def _scene_lines(report: ProseReport) -> list[str]:
    f = report.figures
    order = {act: i for i, act in enumerate(report.acts)}
    rows = sorted(report.source.scenes.values(), key=lambda s: (order.get(s.act, len(order)), s.pos))
    return [
        f"{s.pos}: {s.id} ({s.act}; {'/'.join(sorted(s.perspectives)) or 'no perspective'}) {f.words_per_scene[str(s.id)]:,} words"
        for s in rows
    ]


def _summary(report: ProseReport) -> list[str]:
    f = report.figures
    lines = [f"Prose of {report.title} ({report.root}): {f.scenes} scenes, {f.words:,} words of scene text", ""]
    lines += _table(report)
    lines.append("")
    shared = len(f.shared)
    lines.append(
        f"Sentences of {SENTENCE_WORDS}+ words shared across perspectives: {shared} (target at most {SHARED_TARGET}); "
        f"repeated within a perspective: {len(f.repeats) - shared}"
    )
    lines.append(f"Historians and later counts named in scene prose: {len(f.historians)} (target {HISTORIANS_TARGET})")
    lines.append(
        "Per 1,000 words: " + "; ".join(f'"{t.word}" {t.per_1000:.2f} ({t.count}; target at most {t.target:g})' for t in f.tics.values())
    )
    if report.overused is not None:
        shown = ", ".join(f"{o.word} {o.per_1000:.2f} ({o.ratio:.0f}×)" for o in report.overused[:SHOWN])
        lines.append(f"Overused beyond common English (per 1,000 words, and times the usual rate): {shown or 'none'}")
    if report.misspellings is not None:
        unknown = sorted({m.word for m in report.misspellings}, key=str.lower)
        v = report.vocabulary
        lines.append(
            f"Spelling: {len(unknown)} unknown word{'s' * (len(unknown) != 1)} in {len(report.misspellings)} "
            f"place{'s' * (len(report.misspellings) != 1)}, against the English dictionary, {len(v.words)} words of "
            f"the glossary, people, places and perspectives, and {len(v.accepted)} of {v.accepted_name}"
        )
    lines += [f"Note: {notice}" for notice in report.notices]
    return lines


def _table(report: ProseReport) -> list[str]:
    """Words (and scenes) per perspective and act, with the totals."""
    f = report.figures
    acts = [a for a in report.acts if any(a in per for per in f.words_per_perspective_act.values())]
    header = ["words (scenes)", *acts, "total"]
    rows = [header]
    for p, words in f.words_per_perspective_act.items():
        scenes = f.scenes_per_perspective_act[p]
        cells = [f"{words.get(a, 0):,} ({scenes.get(a, 0)})" for a in acts]
        rows.append([p, *cells, f"{sum(words.values()):,} ({sum(scenes.values())})"])
    every_act = [0] * len(acts)
    every_scene = [0] * len(acts)
    for sid, n in f.words_per_scene.items():
        act = report.source.scenes[sid].act
        if act in acts:
            every_act[acts.index(act)] += n
            every_scene[acts.index(act)] += 1
    rows.append(["all scenes", *(f"{w:,} ({s})" for w, s in zip(every_act, every_scene)), f"{f.words:,} ({f.scenes})"])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))).rstrip() for row in rows]
