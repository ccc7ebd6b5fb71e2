"""What a command line asks of a session beyond the story: a writer's --set values, a teacher's
assignment file. Shared by the plain player, the terminal game and the lab server."""

from __future__ import annotations

from pathlib import Path

from game.format import AssignmentError, load_assignment
from game.model import Story, Variable, did_you_mean
from game.runtime import Assignment, RunError

BAD_ASSIGNMENT = "The assignment has errors; ask your teacher for a corrected file."


def parse_set_values(story: Story, items: list[str]) -> dict[str, object]:
    """NAME=VALUE pairs from --set, each checked against its variable's declaration: its type,
    its values and its range (a value the story could not hold is refused, not clamped)."""
    values: dict[str, object] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep or not name:
            raise RunError(f"--set wants NAME=VALUE, not {item!r}")
        var = story.variables.get(name)
        if var is None:
            hint = did_you_mean(name, story.variables) or f"variables: {', '.join(story.variables)}"
            raise RunError(f"there is no variable {name!r} ({hint})")
        values[var.id] = _typed(var, raw)
    return values


def _typed(var: Variable, raw: str) -> object:
    """`raw` as a value of `var`, or RunError saying what it may be."""
    if var.type == "int":
        try:
            number = int(raw)
        except ValueError:
            raise RunError(f"{var.id} is a whole number, not {raw!r}") from None
        if var.clamp(number) != number:
            if var.minimum is not None and var.maximum is not None:
                allowed = f"from {var.minimum} to {var.maximum}"
            else:
                allowed = f"of at least {var.minimum}" if var.minimum is not None else f"of at most {var.maximum}"
            raise RunError(f"{var.id} is a whole number {allowed}, not {number}")
        return number
    if var.type == "bool":
        if raw not in ("true", "false"):
            raise RunError(f"{var.id} is true or false, not {raw!r}")
        return raw == "true"
    if var.values and raw not in var.values:
        words = [v for v in var.values if v]
        hint = did_you_mean(raw, words) or f"values: {', '.join(words)}"
        raise RunError(f"{raw!r} is not one of the values of {var.id} ({hint})")
    return raw


def start_scene(story: Story, scene: str | None) -> str | None:
    """The scene --from names, checked: RunError with "did you mean" when there is none."""
    if scene and scene not in story.scenes:
        hint = did_you_mean(scene, story.scenes) or "`kengir graph` shows every scene id"
        raise RunError(f"there is no scene {scene!r} ({hint})")
    return scene


def read_assignment(path: str | Path | None, story: Story) -> Assignment | None:
    """The assignment file at `path`, checked against `story` (None when no file is given).
    Raises AssignmentError with every problem; `assignment_problems` says them."""
    return load_assignment(path, story) if path else None


def assignment_problems(error: AssignmentError) -> str:
    """An assignment's problems, one a line, and what the student should do."""
    return "".join(f"{problem}\n" for problem in error.problems) + BAD_ASSIGNMENT + "\n"


def find_perspective(story: Story, name: str) -> str:
    """The perspective `name` means: its id, its title, or a word of its title that names no
    other ("teacher" for "The teacher of lagpunkt 2"), in any case. Raises RunError listing
    the perspectives when it names none, or more than one."""
    wanted = name.strip().lower()
    for perspective in story.perspectives.values():
        if wanted in (perspective.id.lower(), perspective.title.lower()):
            return perspective.id
    matches = [p.id for p in story.perspectives.values() if wanted and wanted in p.title.lower().split()]
    if len(matches) == 1:
        return matches[0]
    known = "; ".join(f"{p.id} ({p.title})" for p in story.perspectives.values())
    raise RunError(f"there is no perspective {name!r}; there are: {known}")
