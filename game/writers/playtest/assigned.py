"""`kengir test --assignment FILE`: play an assignment's part many times, as students would
start it (each run its own seed, so a mid-story assignment draws its own earlier state), and
count the endings each perspective reaches.

It plays through `Run`, the API every front end uses, rather than the compiled walker: what it
measures is what a class gets, the drawn start included (game/runtime/catch_up.py).
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from game.model import Story
from game.runtime import Assignment, Run

LONGEST = 2000  # choices in one run before it is called stuck (a loop)


def play_assignment(story: Story, assignment: Assignment, runs: int, seed: int, perspective: str | None = None) -> dict[str, Any]:
    """For each perspective the assignment allows (or the one given): how its runs ended."""
    chosen = [perspective] if perspective else [p for p in story.perspectives if assignment.allows(p)]
    report: dict[str, Any] = {
        "assignment": assignment.title,
        "from": assignment.start,
        "until": assignment.until,
        "runs": runs,
        "seed": seed,
    }
    report["perspectives"] = {p: _play(story, assignment, runs, seed, p) for p in chosen}
    return report


def _play(story: Story, assignment: Assignment, runs: int, seed: int, perspective: str) -> dict[str, Any]:
    endings: Counter[str] = Counter()
    starts: Counter[str] = Counter()
    drawn = stuck = 0
    for number in range(runs):
        run = Run.start(story, seed=seed + number, perspective=perspective, assignment=assignment, allow_undo=False, clock=lambda: 0.0)
        starts[run.scene.title] += 1
        drawn += run.caught_up is not None
        rng = random.Random(f"assigned/{seed + number}")
        for _ in range(LONGEST):
            if run.finished or run.ended:
                break
            views = [v for v in run.choices if v.enabled]
            if not views:
                break
            run.take(rng.choice(views))
        ending = run.ended
        if ending is not None:
            endings[ending.title] += 1
        elif run.finished:
            endings["(the assigned part ends: no ending)"] += 1
        else:
            stuck += 1
    possible = [e.title for e in story.endings.values()]
    return {
        "title": story.perspectives[perspective].title,
        "endings": dict(endings.most_common()),
        "endings_reached": sum(1 for title in possible if endings[title]),
        "endings_never": [title for title in possible if not endings[title]],
        "starts": dict(starts.most_common()),
        "drawn_start": drawn,
        "stuck": stuck,
    }


def format_assigned(doc: dict[str, Any]) -> str:
    part = f"from {doc['from'] or 'the start'}" + (f" until {doc['until']}" if doc["until"] else "")
    last = doc["seed"] + doc["runs"] - 1
    out = [f"Assignment: {doc['assignment']} ({part}); {doc['runs']} runs per perspective, seeds {doc['seed']}-{last}"]
    for p in doc["perspectives"].values():
        total = len(p["endings_never"]) + p["endings_reached"]
        out += ["", f"{p['title']}: {p['endings_reached']} of {total} endings reached"]
        out += [f"  {count:5}  {title}" for title, count in p["endings"].items()]
        if p["endings_never"]:
            out.append("  never: " + "; ".join(p["endings_never"]))
        out.append(
            f"  started at {len(p['starts'])} scene(s): "
            + ", ".join(f"{title} ({count})" for title, count in p["starts"].items())
            + f"; earlier state drawn in {p['drawn_start']} of {doc['runs']} runs"
        )
        if p["stuck"]:
            out.append(f"  STUCK: {p['stuck']} runs found no open choice")
    return "\n".join(out)
