"""The prose report of a story folder: the figures, the overused words, the spelling, and a
finding at file:line:col for each place a writer can act on; as one object, as JSON, and as a
writer reads it in a terminal (the findings one a line, as `kengir check` prints its problems,
then the figures beside their targets)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.format import read_story
from game.model import Pos, Problem
from game.writers.prose.counts import SENTENCE_WORDS, TICS, Figures, Place, Repeat, count
from game.writers.prose.echoes import ECHO_WORDS, RUN_WORDS, WATCHED, Echo, echoes, over_limit, watched
from game.writers.prose.overuse import SHOWN, Baseline, Overuse, load_baseline, overused
from game.writers.prose.source import ProseSource, SceneProse, read_source
from game.writers.prose.spelling import WORDS_FILE, Misspelling, Speller, StoryWords, check_spelling, prose_of, story_prose, story_words
from game.writers.prose.word_cache import MissingLibrary, WordFacts

# The second draft's targets (issue "The story, second draft (2)"), shown beside the figures.
SHARED_TARGET = 8
HISTORIANS_TARGET = 0
KINDS = ("shared-sentence", "repeated-sentence", "echo", "historian", "tic", "watched", "spelling")
WARNING = "warning"


@dataclass
class ProseReport:
    root: Path
    title: str
    acts: list[str]  # in story order
    source: ProseSource
    figures: Figures
    vocabulary: StoryWords
    overused: list[Overuse] | None  # None: no baseline (wordfreq missing)
    misspellings: list[Misspelling] | None  # None: not checked (pyspellchecker missing)
    echoes: list[Echo] = field(default_factory=list)
    watched: dict[str, list[Place]] = field(default_factory=dict)
    findings: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what the report could not do, and why

    def scene(self, sid: str) -> SceneProse:
        return self.source.scenes[sid]


def checker_names(root: Path, cache_dir: Path | None) -> dict[str, str]:
    """The name `kengir check` prints for each file of the story (by its path inside the
    folder), so that both tools point at the same places; empty if the story cannot be read."""
    story, _ = read_story(root, cache_dir)
    names: dict[str, str] = {}
    for name in story.files if story is not None else ():
        inside = name.split("/", 1)[1] if "/" in name else name
        names[inside] = name
    return names


def prose_report(root: Path, cache_dir: Path | None = None, spelling: bool = True) -> ProseReport:
    """Everything the prose report says about the story in `root`."""
    source = read_source(root, checker_names(root, cache_dir))
    figures = count(source)
    vocabulary = story_words(source.sections, root, _beside(source, root, WORDS_FILE))
    frame = next((data for name, data in source.sections if name == "story"), {})
    acts = [str(a) for a in frame.get("acts") or {}] if isinstance(frame.get("acts"), dict) else []
    acts += sorted({s.act for s in source.scenes.values()} - set(acts))
    report = ProseReport(root, str(frame.get("title", root.name)), acts, source, figures, vocabulary, None, None)
    report.echoes = echoes(source, figures.texts)
    report.watched = watched(figures.texts)
    report.notices += [f"{line}: left out of every figure (run `kengir check` on it)" for line in source.unread]
    if vocabulary.error:
        report.notices.append(vocabulary.error)
    facts = WordFacts(cache_dir)
    loaded: list[Baseline] = []

    def frequency(word: str) -> float:
        if not loaded:
            loaded.append(load_baseline())
        return loaded[0](word)

    try:
        report.overused = overused(
            (t.text for t in figures.texts.values()), figures.words, vocabulary, lambda w: facts.get("frequency", w, frequency)
        )
    except MissingLibrary as exc:
        report.notices.append(str(exc))
    if spelling:
        speller = Speller(vocabulary, facts)
        prose = [p for scene in source.scenes.values() for p in prose_of(scene)]
        try:
            report.misspellings = check_spelling(speller, [*prose, *story_prose(source.sections)])
        except MissingLibrary as exc:
            report.notices.append(str(exc))
    facts.save()
    report.findings = sorted(_findings(report), key=lambda p: (p.pos, p.code))
    return report


def _beside(source: ProseSource, root: Path, name: str) -> str:
    """A file of the story folder named as the checker names the story's files."""
    for file in source.files:
        if file.name.endswith(file.relative):
            return file.name[: len(file.name) - len(file.relative)] + name
    return str(root / name)


def _perspectives(scene: SceneProse) -> str:
    return "/".join(sorted(scene.perspectives)) or "no perspective"


def _quote(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"}"'


def _findings(report: ProseReport) -> list[Problem]:
    figures = report.figures
    found = []
    shared = len(figures.shared)
    for repeat in figures.repeats:
        found += _repeat_findings(report, repeat, shared)
    for echo in report.echoes:
        found += _echo_findings(report, echo)
    for place, words in figures.historians:
        found.append(
            Problem(
                place.pos,
                "historian",
                f"the narration of {place.scene} names {_quote(words)}",
                "keep the narration in the moment: move the historian or the later count to a note; "
                "quote only what a character hears or reads",
                WARNING,
            )
        )
    for tic in figures.tics.values():
        if tic.per_1000 <= tic.target:
            continue
        for place in tic.places:
            found.append(
                Problem(
                    place.pos,
                    "tic",
                    f'"{tic.word}" in {place.scene}',
                    f"cut it, or say what is meant: the story has {tic.per_1000:.2f} per 1,000 words ({tic.count}), "
                    f"the target is at most {tic.target:g}",
                    WARNING,
                )
            )
    for rule in WATCHED:
        places = report.watched[rule.name]
        for place in over_limit(rule.name, places):
            found.append(
                Problem(
                    place.pos,
                    "watched",
                    f"{rule.name} in {place.scene}",
                    f"a turn the draft leans on ({len(places)} in the story; {rule.describe()}): say it plainly, or keep it for once",
                    WARNING,
                )
            )
    for miss in report.misspellings or ():
        found.append(Problem(miss.pos, "spelling", f'"{miss.word}" in {miss.where} is not a known word', miss.hint, WARNING))
    return found


def _repeat_findings(report: ProseReport, repeat: Repeat, shared: int) -> list[Problem]:
    found = []
    for place in repeat.places:
        others = [p for p in repeat.places if p is not place]
        listed = ", ".join(f"{p.scene} ({_perspectives(report.scene(p.scene))}) at {p.pos}" for p in others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        if repeat.across:
            code, hint = (
                "shared-sentence",
                f"give each perspective its own words: {shared} sentence{'s are' if shared != 1 else ' is'} shared across perspectives, "
                f"the target is at most {SHARED_TARGET}",
            )
        else:
            code, hint = "repeated-sentence", "vary it, unless no run can see both scenes"
        found.append(Problem(place.pos, code, f"{_quote(repeat.text)} is also in {listed}{more}", hint, WARNING))
    return found


def _echo_findings(report: ProseReport, echo: Echo) -> list[Problem]:
    found = []
    for here, there in ((echo.first, echo.second), (echo.second, echo.first)):
        found.append(
            Problem(
                here.pos,
                "echo",
                f"{here.scene} shares {echo.words} words in {echo.runs} run{'s' * (echo.runs != 1)} of {RUN_WORDS}+ with "
                f"{there.scene} ({_perspectives(report.scene(there.scene))}) at {there.pos}; the longest: {_quote(echo.longest)}",
                "if it is one event seen from two sides, keep the details that agree and tell it in each one's own words; "
                "if not, rewrite one of them",
                WARNING,
            )
        )
    return found


def _place(place: Place) -> dict[str, Any]:
    return {"scene": place.scene, "file": place.pos.file, "line": place.pos.line, "column": place.pos.column}


def _at(pos: Pos) -> dict[str, Any]:
    return {"file": pos.file, "line": pos.line, "column": pos.column}


def to_json(report: ProseReport) -> dict[str, Any]:
    """The report as one JSON object. Its first keys are the reference script's, with the same
    values (`../shared/tools/prose_stats.py`); the rest adds the places and the spelling."""
    f = report.figures
    scenes = report.source.scenes
    per_act: dict[str, int] = {act: 0 for act in report.acts}
    for sid, n in f.words_per_scene.items():
        per_act[scenes[sid].act] = per_act.get(scenes[sid].act, 0) + n
    return {
        "scenes": f.scenes,
        "words": f.words,
        "scenes_per_perspective_act": f.scenes_per_perspective_act,
        "words_per_perspective_act": f.words_per_perspective_act,
        "historians_in_prose": len(f.historians),
        "nobody_per_1000": f.tics["nobody"].per_1000,
        "as_if_per_1000": f.tics["as if"].per_1000,
        "shared_sentences_across_perspectives": len(f.shared),
        "title": report.title,
        "words_per_act": per_act,
        "words_per_perspective": {p: sum(acts.values()) for p, acts in f.words_per_perspective_act.items()},
        "words_per_scene": {
            sid: {"words": n, "act": scenes[sid].act, "perspectives": sorted(scenes[sid].perspectives), **_at(scenes[sid].pos)}
            for sid, n in f.words_per_scene.items()
        },
        "targets": {
            "shared_sentences_across_perspectives": SHARED_TARGET,
            "historians_in_prose": HISTORIANS_TARGET,
            **{f"{word.replace(' ', '_')}_per_1000": target for word, (_, target) in TICS.items()},
        },
        "shared_sentences": [{"sentence": r.text, "places": [_place(p) for p in r.places]} for r in f.shared],
        "repeated_sentences": [{"sentence": r.text, "places": [_place(p) for p in r.places]} for r in f.repeats if not r.across],
        "echoes": [
            {"words": e.words, "runs": e.runs, "longest": e.longest, "places": [_place(e.first), _place(e.second)]} for e in report.echoes
        ],
        "watched": {
            rule.name: {
                "count": len(report.watched[rule.name]),
                "limit": rule.describe(),
                "over": len(over_limit(rule.name, report.watched[rule.name])),
            }
            for rule in WATCHED
        },
        "historians": [{"text": text, **_place(place)} for place, text in f.historians],
        "tics": {t.word: {"count": t.count, "per_1000": t.per_1000, "target": t.target} for t in f.tics.values()},
        "overused": None
        if report.overused is None
        else [
            {"word": o.word, "count": o.count, "per_1000": round(o.per_1000, 2), "baseline_per_1000": round(o.baseline_per_1000, 4)}
            for o in report.overused
        ],
        "spelling": None
        if report.misspellings is None
        else {
            "unknown": sorted({m.word for m in report.misspellings}),
            "places": len(report.misspellings),
            "story_words": len(report.vocabulary.words),
            "accepted_words": len(report.vocabulary.accepted),
            "accepted_file": report.vocabulary.accepted_name,
        },
        "findings": [p.to_dict() for p in report.findings],
        "notices": report.notices,
    }


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
    longest = (
        f"; the most: {report.echoes[0].first.scene} and {report.echoes[0].second.scene}, {report.echoes[0].words} words"
        if report.echoes
        else ""
    )
    lines.append(
        f"Echoes (scenes of different perspectives sharing {ECHO_WORDS}+ words in runs of {RUN_WORDS}+): {len(report.echoes)} pairs{longest}"
    )
    lines.append(f"Historians and later counts named in scene prose: {len(f.historians)} (target {HISTORIANS_TARGET})")
    lines.append(
        "Per 1,000 words: " + "; ".join(f'"{t.word}" {t.per_1000:.2f} ({t.count}; target at most {t.target:g})' for t in f.tics.values())
    )
    lines.append(
        "Watched phrases: "
        + "; ".join(
            f"{rule.name} {len(report.watched[rule.name])} ({rule.describe()}; {len(over_limit(rule.name, report.watched[rule.name]))} places to look at)"
            for rule in WATCHED
        )
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
