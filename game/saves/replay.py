"""Replaying a saved run: the log of choices is taken again, one by one, against the story.

Replay, not the snapshot, is the truth: a save from an edited story says exactly which logged
choice no longer fits, and stops at the furthest point that still does. A logged choice is found
by its place in the scene, or by its words when a writer has moved it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from game.format import assignment_from_dict
from game.model import Story, StoryError
from game.runtime import LogEntry, ReplayError, Run, RunError, parse_time


def restore(story: Story, data: Mapping[str, Any], *, clock: Callable[[], float] = time.time) -> Run:
    """Rebuild the run described by `data` (a `Run.to_dict()`) by taking its logged choices again.

    Raises ReplayError (carrying the run at the furthest consistent point) when a logged
    choice no longer exists, or RunError when `data` is not a run at all."""
    try:
        assignment = assignment_from_dict(data["assignment"], story) if data.get("assignment") else None
        run = Run.start(
            story,
            seed=int(data.get("seed", 0)),
            perspective=data.get("perspective") or None,
            intensity=data.get("intensity", "full"),
            start=data.get("start") or None,
            variables=_still_declared(story, data.get("overrides")),
            allow_undo=bool(data.get("allow_undo", True)),
            clock=clock,
            assignment=assignment,
            student=str(data.get("student") or ""),
            catch_up=bool(data.get("catch_up")),
        )
        log = list(data.get("log", []))
        events = [dict(e) for e in data.get("events", []) if isinstance(e, Mapping)]
        started = parse_time(str(data.get("started_at", "")))
    except StoryError as exc:
        raise RunError(f"its assignment does not fit this story ({exc})") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise RunError(f"this is not a saved run ({exc})") from exc
    if started is not None:
        run.started_at = started
    for step, raw in enumerate(log):
        try:
            scene_id, index, at = str(raw["scene"]), int(raw["choice"]), str(raw.get("at", ""))
        except (KeyError, TypeError, ValueError) as exc:
            raise RunError(f"entry {step + 1} of the log is damaged") from exc
        where = f"choice {step + 1} of the log"
        if scene_id != run.state.scene:
            raise ReplayError(f"{where} was made in scene '{scene_id}', but replaying reaches '{run.state.scene}'", step, run)
        logged_text = str(raw.get("text", "")) if isinstance(raw, Mapping) else ""
        choice = next((c for c in run.scene.choices if c.index == index), None)
        view = next((v for v in run.choices if v.choice is choice and v.enabled), None) if choice else None
        if logged_text and (view is None or view.text != logged_text):
            # The writer may have added or removed a choice above it: the same words still
            # mean the same choice, wherever it now stands.
            view = next((v for v in run.choices if v.enabled and v.text == logged_text), None)
            choice = view.choice if view else None
        if choice is None or view is None:
            title = raw.get("text", "") if isinstance(raw, Mapping) else ""
            missing = f"'{title}'" if title else f"number {index + 1}"
            raise ReplayError(f"{where}: scene '{scene_id}' no longer offers the choice {missing}", step, run)
        run.take(view)
        when = parse_time(at)
        if when is not None:
            run.log[-1] = LogEntry(scene_id, index, view.text, when, run.log[-1].rolls)
    run.restore_events(events)
    return run


def _still_declared(story: Story, overrides: object) -> dict[str, Any] | None:
    """A writer's --set values (or an assignment's), without the variables the story no longer
    declares: a variable dropped from the story can change nothing in it, and keeping it would
    make the whole save unreadable. The log, replayed, says whether the run still holds."""
    if not isinstance(overrides, Mapping):
        return None
    kept = {str(name): value for name, value in overrides.items() if name in story.variables}
    return kept or None
