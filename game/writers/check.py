"""`kengir check`: the loader's problems plus what only the whole story graph shows."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from game.format import read_story, shown_path
from game.model import Problems, Story, Template, scene_expressions, scene_templates
from game.writers.lints import lint_story


def reachable_scenes(story: Story) -> set[str]:
    """Scenes some path reaches from the start or a perspective's start, ignoring conditions."""
    starts = [story.start, *(p.start for p in story.perspectives.values())]
    seen = {s for s in starts if s in story.scenes}
    queue = deque(seen)
    while queue:
        for choice in story.scenes[queue.popleft()].choices:
            for target in choice.targets:
                if target in story.scenes and target not in seen:
                    seen.add(target)
                    queue.append(target)
    return seen


def _templates(story: Story) -> Iterator[Template]:
    for scene in story.scenes.values():
        yield from scene_templates(scene)


def count_words(texts: Iterable[str]) -> int:
    """Words as a reader counts them: runs of non-space characters."""
    return sum(len(t.split()) for t in texts)


def story_words(story: Story) -> int:
    """Words of story text a writer wrote: scene text (every branch), summaries, choices."""
    texts = [p for t in _templates(story) for p in t.parts if isinstance(p, str)]
    texts += [s.summary for s in story.scenes.values()]
    return count_words(texts)


def check_graph(story: Story, problems: Problems) -> None:
    """Add what needs the whole story: reachability, dead ends, unused and missing things."""
    reached = reachable_scenes(story)
    start_known = story.start in story.scenes  # else the loader said so, and every scene would be flagged
    # One pass over the scenes gathers what the checks below need: a 10,000-scene story
    # took 0.1 s when each check walked every scene again.
    reads: set[str] = set()
    sets: set[str] = set()
    seen: set[int] = set()  # expressions already counted (most are shared between scenes)
    for scene in story.scenes.values():
        if start_known and scene.id not in reached:
            problems.warning(
                scene.pos, "unreachable-scene", f"no path reaches scene '{scene.id}'", "add a choice that goes here, or remove it"
            )
        if (
            scene.choices
            and not scene.ending
            and all(c.condition is not None for c in scene.choices if not c.fallback)
            and not any(c.fallback for c in scene.choices)
        ):
            problems.warning(
                scene.pos,
                "maybe-dead-end",
                f"every choice of scene '{scene.id}' has a condition; if none holds the player is stuck",
                "add a choice without `if`, or a `fallback: true` choice",
            )
        for choice in scene.choices:
            for target_id in choice.targets:
                target = story.scenes.get(target_id)
                if target and scene.perspectives and target.perspectives and not set(scene.perspectives) & set(target.perspectives):
                    problems.error(
                        choice.pos,
                        "perspective-mismatch",
                        f"scene '{scene.id}' is only for {', '.join(scene.perspectives)}, but this choice goes to '{target.id}', "
                        f"only for {', '.join(target.perspectives)}",
                    )
            sets.update(e.variable for e in choice.effects)
        for expr in scene_expressions(scene):
            if id(expr) not in seen:
                seen.add(id(expr))
                reads |= expr.reads
    # A variable whose `set` the loader refused is still one the writer sets: its error says
    # what is wrong, and "never set, always False" would only mislead.
    sets |= {p.subject for p in problems.items if p.subject}
    for var in story.variables.values():
        if var.id == "perspective":
            continue
        if var.id not in reads and var.id not in sets:
            problems.warning(var.pos, "unused-variable", f"variable '{var.id}' is declared but never used")
        elif var.id not in sets:
            problems.warning(
                var.pos, "never-set", f"variable '{var.id}' is read but no choice ever sets it", f"it is always {var.default!r}"
            )
        elif var.id not in reads and not var.shown:
            problems.warning(
                var.pos,
                "never-read",
                f"variable '{var.id}' is set but nothing reads it",
                "read it in a condition or text, or mark it `shown: true`",
            )

    used_notes = {n for s in story.scenes.values() for n in s.all_notes}
    for note in story.notes.values():
        if note.id not in used_notes:
            problems.warning(note.pos, "unused-note", f"note '{note.id}' is never unlocked by a scene", "list it under a scene's `notes:`")
        # (A note or event citing nothing is the loader's error, once: see reference_reader.)
        if note.kind == "contested" and 0 < len(note.sources) < 2:
            problems.error(
                note.pos,
                "contested-needs-two-sources",
                f"contested note '{note.id}' cites only one source",
                "a contested note cites at least two, and names whose figure is whose",
            )
    for person in story.people.values():
        if person.kind == "historical" and not person.sources:
            problems.error(person.pos, "person-without-source", f"historical person '{person.id}' cites no source")

    cited = {s for n in story.notes.values() for s in n.sources}
    cited |= {s for p in story.people.values() for s in p.sources}
    cited |= {s for e in story.events.values() for s in e.sources}
    cited |= {s for t in story.terms.values() for s in t.sources}
    _unused(problems, story.sources.values(), cited, "source", "cite it from a note, person or event")
    _unused(problems, story.terms.values(), {t for s in story.scenes.values() for t in s.terms}, "term", "list it under a scene's `terms:`")
    _unused(
        problems, story.people.values(), {p for s in story.scenes.values() for p in s.people}, "person", "list it under a scene's `people:`"
    )
    _unused(problems, story.endings.values(), {s.ending for s in story.scenes.values()}, "ending", "give a scene `ending:` this id")
    prompted = {p for s in story.scenes.values() for p in s.prompts}
    for prompt in story.prompts.values():
        if not prompt.act and prompt.id not in prompted:
            problems.warning(prompt.pos, "unused-prompt", f"prompt '{prompt.id}' has no act and no scene asks it")


def _unused(problems: Problems, items: Iterable[Any], used: set[str], kind: str, hint: str) -> None:
    for item in items:
        if item.id not in used:
            problems.warning(item.pos, f"unused-{kind}", f"{kind} '{item.id}' is never referenced", hint)


def stats(story: Story) -> dict[str, int]:
    return {
        "scenes": len(story.scenes),
        "words": story_words(story),
        "choices": sum(len(s.choices) for s in story.scenes.values()),
        "endings": sum(1 for s in story.scenes.values() if s.ending),
        "notes": len(story.notes),
        "sources": len(story.sources),
        "terms": len(story.terms),
        "people": len(story.people),
        "events": len(story.events),
        "perspectives": len(story.perspectives),
    }


def check_story(path: str | Path, cache_dir: Path | None = None) -> tuple[Story | None, Problems]:
    """Every problem in the story at `path`: loading, references, and the graph."""
    story, problems = read_story(path, cache_dir)
    if story is not None:
        check_graph(story, problems)
        if not problems.errors:
            lint_story(story, problems)
    return story, problems


def run_check(path: str | Path, as_json: bool, out: TextIO, cache_dir: Path | None = None) -> int:
    """Print the check of `path` to `out`; return the exit code (0 clean, 1 errors)."""
    story, problems = check_story(path, cache_dir)
    ordered = problems.sorted()
    ok = not problems.errors
    if as_json:
        document = {
            "ok": ok,
            "errors": [p.to_dict() for p in ordered if p.severity == "error"],
            "warnings": [p.to_dict() for p in ordered if p.severity == "warning"],
            "stats": stats(story) if story else {},
            "fingerprint": story.fingerprint if story else "",
        }
        out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return 0 if ok else 1
    for problem in ordered:
        out.write(f"{problem}\n")
    errors, warnings = len(problems.errors), len(problems.warnings)
    if story is not None:
        s = stats(story)
        out.write(
            f"{story.title} ({shown_path(story.root) or '.'}): {s['scenes']} scenes, {s['words']:,} words, {s['choices']} choices, "
            f"{s['endings']} ending scenes, {s['notes']} notes, {s['sources']} sources, {s['terms']} terms, "
            f"{s['people']} people, {s['events']} events, {s['perspectives']} perspectives\n"
        )
    out.write(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}\n")
    return 0 if ok else 1
