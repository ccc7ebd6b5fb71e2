"""`kengir test --exhaustive`: the story proved from every start a player can have, and the report.

A player starts as one of the perspectives (the terminal game asks which) or, without one, at
the story's own start (the plain player without --perspective). Each start is explored on its
own (explore.py), in a process of its own where it can be (measured.py), so that its time and
peak memory are its own. The story's start is left out when its first states are those of a
perspective's start (the same scene, and nothing there reads `perspective`).

Each search *owns* some scenes, with their choices and endings: a perspective's search those
its perspective names (`perspectives:`), the search from the story's start those no perspective
names (without that search, every perspective's search owns them too). A search lists what it
owns and never reached; the whole story counts what any search reached. Only a search that
finished may say that something cannot be reached: one stopped by its limit says what it
covered, and lists nothing as unreachable.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from game.model import Choice, Scene, Story
from game.writers.playtest.explore import DEFAULT_LIMIT, Exploration, choice_text, explore
from game.writers.playtest.measured import measured
from game.writers.playtest.moves import Mover
from game.writers.playtest.projection import Key, Projection

NONE = "(none)"  # the search from the story's start, in the report's keys


@dataclass(frozen=True)
class Start:
    """Where a search begins, and which scenes it answers for."""

    perspective: str | None
    scene: str
    owns_tags: frozenset[str]  # perspectives whose scenes it owns
    owns_untagged: bool  # whether it owns the scenes no perspective names

    def owns(self, scene: Scene) -> bool:
        return bool(self.owns_tags & set(scene.perspectives)) if scene.perspectives else self.owns_untagged


def starts(story: Story, perspective: str | None, projection: Projection) -> list[Start]:
    """The searches to make: one perspective's, or every start a player can have. A scene is
    owned by the same search either way (a perspective's scene by its search; a scene no
    perspective names by the search from the story's start, or, where the story's start is a
    perspective's, by every perspective's)."""
    if perspective and perspective not in story.perspectives:
        raise ValueError(f"there is no perspective '{perspective}'; there are: {', '.join(story.perspectives)}")
    if not story.perspectives:
        return [Start(None, story.start, frozenset(), True)]

    def first_keys(who: str | None) -> set[Any]:
        return {projection.key(state) for state in Mover(story, who, projection.layouts).start()}

    plain_start = first_keys(None)
    separate = all(first_keys(p) != plain_start for p in story.perspectives)
    found = [Start(p, story.perspectives[p].start, frozenset({p}), not separate) for p in story.perspectives]
    if separate:
        found.append(Start(None, story.start, frozenset(), True))
    return [s for s in found if s.perspective == perspective] if perspective else found


def prove(story: Story, perspective: str | None = None, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """Explore from each start (see `starts`) and report, as the documented JSON document."""
    began = time.perf_counter()
    projection = Projection.reduced(story)
    searches = []
    proved: dict[Key, Exploration] = {}  # the first states of the perspectives' searches, once proved
    for start in starts(story, perspective, projection):  # the story's own start comes last
        known = proved if start.perspective is None else None
        result, peak, own = measured(partial(explore, story, start.perspective, limit, projection, known))
        searches.append((start, result, peak, own))
        if start.perspective is not None and result.complete and not result.failures:
            proved.update(dict.fromkeys(result.starts, result))
    everything = Start(None, story.start, frozenset(story.perspectives), True) if not perspective else searches[0][0]
    reached = _union([result for _, result, _, _ in searches])
    complete = all(result.complete for _, result, _, _ in searches)
    failures = [{"perspective": start.perspective or NONE, **f} for start, result, _, _ in searches for f in result.failures]
    peaks = [peak for _, _, peak, _ in searches if peak is not None]
    return {
        "story": story.title,
        "mode": "exhaustive",
        "limit": limit,
        "complete": complete,
        "proved": complete and not failures,
        "states": sum(result.states for _, result, _, _ in searches),
        "transitions": sum(result.edges for _, result, _, _ in searches),
        "seconds": round(time.perf_counter() - began, 3),
        "peak_mb": _mb(max(peaks)) if peaks else None,
        "perspectives": {
            (start.perspective or NONE): {
                "start": start.scene,
                "complete": result.complete,
                "stopped": result.stopped,
                "states": result.states,
                "transitions": result.edges,
                "seconds": round(result.seconds, 3),
                "peak_mb": _mb(peak) if peak is not None else None,
                "peak_of_this_search": own,
                "joins": sorted(result.joined),
                **_coverage(story, start, result),
                "failures": result.failures,
            }
            for start, result, peak, own in searches
        },
        **_coverage(story, everything, reached),
        "failures": failures,
    }


def _mb(size: int) -> float:
    return round(size / 2**20, 1)


def _union(results: Iterable[Exploration]) -> Exploration:
    """What the searches reached together (complete only if each is)."""
    union = Exploration()
    for result in results:
        union.complete = union.complete and result.complete
        union.scenes |= result.scenes
        union.choices |= result.choices
        union.endings |= result.endings
    return union


def _coverage(story: Story, start: Start, result: Exploration) -> dict[str, Any]:
    """Scenes, choices and endings the start owns: how many, how many reached, and (only when
    its search finished) each one never reached, with its file and line."""
    scenes = [s for s in story.scenes.values() if start.owns(s)]
    choices = [(s, c) for s in scenes for c in s.choices]
    endings = {s.ending for s in scenes if s.ending}
    proved = result.complete
    return {
        "scenes": {
            "total": len(scenes),
            "reached": sum(1 for s in scenes if s.id in result.scenes),
            "never": [_where(s.id, s) for s in scenes if s.id not in result.scenes] if proved else None,
        },
        "choices": {
            "total": len(choices),
            "reached": sum(1 for s, c in choices if (s.id, c.index) in result.choices),
            "never": [_choice(s, c) for s, c in choices if (s.id, c.index) not in result.choices] if proved else None,
        },
        "endings": {
            "total": len(endings),
            "reached": sorted(endings & result.endings),
            "never": [_where(e, story.endings[e]) for e in sorted(endings - result.endings)] if proved else None,
        },
    }


def _where(ident: str, thing: Any) -> dict[str, Any]:
    return {"id": ident, "file": thing.pos.file, "line": thing.pos.line}


def _choice(scene: Scene, choice: Choice) -> dict[str, Any]:
    return {"scene": scene.id, "choice": choice.index + 1, "text": choice_text(choice), "file": choice.pos.file, "line": choice.pos.line}


# ------------------------------------------------------------------ the report a writer reads


def _counts(part: dict[str, Any]) -> str:
    s, c, e = part["scenes"], part["choices"], part["endings"]
    return f"scenes {s['reached']}/{s['total']}, choices {c['reached']}/{c['total']}, endings {len(e['reached'])}/{e['total']}"


def _never(part: dict[str, Any]) -> list[str]:
    lines = [f"  never reached: {s['file']}:{s['line']} scene {s['id']}" for s in part["scenes"]["never"] or ()]
    lines += [
        f'  never taken: {c["file"]}:{c["line"]} {c["scene"]} choice {c["choice"]} "{c["text"]}"' for c in part["choices"]["never"] or ()
    ]
    lines += [f"  ending never reached: {e['file']}:{e['line']} {e['id']}" for e in part["endings"]["never"] or ()]
    return lines


def format_proof(doc: dict[str, Any]) -> str:
    """The report as a writer reads it: failures first, then each search, then the verdict."""
    searches = doc["perspectives"]
    memory = f", peak memory {doc['peak_mb']:,} MB" if doc["peak_mb"] is not None else ""
    lines = [
        f"{doc['story']}: explored from {len(searches)} start{'s' if len(searches) > 1 else ''}: {doc['states']:,} states, "
        f"{doc['transitions']:,} transitions in {doc['seconds']:.2f} s{memory}"
    ]
    for f in doc["failures"]:
        rolls = f" (rolled {', '.join(f'{n}' for n in f['rolls'].values())})" if f.get("rolls") else ""
        lines.append(f"FAILED ({f['perspective']}) in {f['scene']}{rolls}: {f['message']}")
        lines.append(f"  path: {' > '.join(f['path']) or '(the start)'}")
    for name, part in searches.items():
        who = f"perspective {name}" if name != NONE else "no perspective, the story's start"
        memory = (
            ""
            if part["peak_mb"] is None
            else f", {part['peak_mb']:,} MB" + ("" if part["peak_of_this_search"] else " (the process so far)")
        )
        figures = f"{part['states']:,} states, {part['transitions']:,} transitions, {part['seconds']:.2f} s{memory}"
        if part["complete"]:
            lines.append(f"{who} (from {part['start']}): {figures}")
            if part["joins"]:
                lines.append(f"  joins the proved searches of {', '.join(part['joins'])} at their starts")
            lines.append(f"  reached: {_counts(part)}")
            lines += _never(part)
        else:
            why = f"at the limit of {doc['limit']:,} states" if part["stopped"] == "limit" else f"({part['stopped']})"
            lines.append(f"{who} (from {part['start']}): STOPPED {why}: {figures}")
            lines.append(f"  reached so far: {_counts(part)}")
            lines.append(
                "  not proved: that every state leads to an ending, and that what was not reached so far cannot be"
                + ("; raise --limit to prove it" if part["stopped"] == "limit" else "")
            )
    if len(searches) > 1:
        lines.append(f"whole story: {_counts(doc)} reached from some start" + ("" if doc["complete"] else " so far"))
    if doc["proved"]:
        lines.append("OK: every reachable state leads to an ending")
    elif not doc["complete"]:
        stopped = ", ".join(name for name, part in searches.items() if not part["complete"])
        lines.append(f"NOT PROVED: a search stopped before it could prove anything ({stopped})")
    else:
        lines.append(
            f"{len(doc['failures'])} failure{'s' if len(doc['failures']) > 1 else ''}: not every reachable state leads to an ending"
        )
    return "\n".join(lines)
