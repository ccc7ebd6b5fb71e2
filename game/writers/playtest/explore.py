"""`kengir test --exhaustive`: every distinct state the story can reach, like ChoiceScript's quicktest.

A state is the scene plus everything a condition could read (variables, visit counts, notes
found, once-only choices taken). We visit each state once (memoised), then walk the graph
backwards from the endings: a state that cannot reach an ending is a dead end or a loop with
no way out, reported with the path that leads to it. `roll()` is fixed by seed 0 here.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from game.model import Story
from game.runtime import Run, State

DEFAULT_LIMIT = 200_000

Key = tuple[Any, ...]


def _key(state: State) -> Key:
    return (
        state.scene,
        tuple(sorted(state.vars.items())),
        tuple(sorted(state.visits.items())),
        tuple(sorted(state.seen)),
        tuple(sorted(state.taken)),
    )


@dataclass
class Exploration:
    states: int = 0
    edges: int = 0
    complete: bool = True
    scenes: set[str] = field(default_factory=set)
    endings: set[str] = field(default_factory=set)
    failures: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


def explore(story: Story, perspective: str | None = None, limit: int = DEFAULT_LIMIT) -> Exploration:
    started = time.perf_counter()
    result = Exploration()
    first = Run.start(story, seed=0, perspective=perspective)
    start_key = _key(first.state)
    parents: dict[Key, tuple[Key | None, str]] = {start_key: (None, "")}
    children: dict[Key, list[Key]] = {}
    states: dict[Key, State] = {start_key: first.state.copy()}
    endings: list[Key] = []
    queue = deque([start_key])
    while queue:
        key = queue.popleft()
        run = Run(story, states.pop(key), perspective=perspective or "")
        result.scenes.add(run.state.scene)
        if run.ended:
            endings.append(key)
            result.endings.add(run.ended.id)
            children[key] = []
            continue
        kids = []
        for view in run.choices:
            if not view.enabled:
                continue
            assert view.choice is not None
            branch = Run(story, run.state.copy(), perspective=perspective or "")
            branch._take(view.choice, view.text)
            child = _key(branch.state)
            kids.append(child)
            result.edges += 1
            if child not in parents:
                if len(parents) >= limit:
                    result.complete = False
                    queue.clear()
                    break
                parents[child] = (key, f"{run.state.scene}: {view.text}")
                states[child] = branch.state
                queue.append(child)
        children[key] = kids
    result.states = len(parents)

    if result.complete:
        # Backwards from the endings: whoever cannot get there is stuck or looping.
        reverse: dict[Key, list[Key]] = {}
        for parent, kids in children.items():
            for kid in kids:
                reverse.setdefault(kid, []).append(parent)
        good = set(endings)
        pending = deque(endings)
        while pending:
            for parent in reverse.get(pending.popleft(), []):
                if parent not in good:
                    good.add(parent)
                    pending.append(parent)
        bad = [key for key in parents if key not in good]  # in the order we found them
        # Report causes, not consequences: the dead ends themselves, or else (only loops left)
        # the first state where a loop with no way out begins.
        causes = [key for key in bad if not children.get(key)] or bad[:1]
        reported: set[str] = set()
        for key in causes:
            if key[0] in reported:
                continue
            reported.add(key[0])
            kind = "no choice can be taken" if not children.get(key) else "every path from here loops without reaching an ending"
            result.failures.append({"scene": key[0], "message": kind, "path": _path(parents, key)})
    result.seconds = time.perf_counter() - started
    return result


def _path(parents: dict[Key, tuple[Key | None, str]], key: Key) -> list[str]:
    steps = []
    current: Key | None = key
    while current is not None:
        parent, label = parents[current]
        if label:
            steps.append(label)
        current = parent
    return list(reversed(steps))[-30:]


def exploration_report(story: Story, result: Exploration) -> dict[str, Any]:
    never = [s for s in story.scenes.values() if s.id not in result.scenes]
    return {
        "story": story.title,
        "mode": "exhaustive",
        "complete": result.complete,
        "states": result.states,
        "transitions": result.edges,
        "seconds": round(result.seconds, 3),
        "scenes": {
            "total": len(story.scenes),
            "visited": len(story.scenes) - len(never),
            "never": [{"id": s.id, "file": s.pos.file, "line": s.pos.line} for s in never],
        },
        "endings": sorted(result.endings),
        "failures": result.failures,
    }


def format_exploration(doc: dict[str, Any], limit: int) -> str:
    lines = [f"{doc['story']}: explored {doc['states']:,} states and {doc['transitions']:,} transitions in {doc['seconds']:.2f} s"]
    if not doc["complete"]:
        lines.append(
            f"STOPPED at the limit of {limit:,} states: the story has more states than that "
            "(visit counts and variables multiply them); raise --limit, or use random mode"
        )
    for f in doc["failures"]:
        lines.append(f"FAILED in {f['scene']}: {f['message']}")
        lines.append(f"  path: {' > '.join(f['path'])}")
    s = doc["scenes"]
    lines.append(f"scenes: {s['visited']}/{s['total']} reachable")
    for scene in s["never"]:
        lines.append(f"  unreachable: {scene['file']}:{scene['line']} scene {scene['id']}")
    lines.append(f"endings reachable: {', '.join(doc['endings']) or 'none'}")
    if doc["complete"] and not doc["failures"]:
        lines.append("OK: every reachable state leads to an ending")
    return "\n".join(lines)
