"""What a command line asks of a session beyond the story: a writer's --set values, a teacher's
assignment file. Shared by the plain player, the terminal game and the lab server."""

from __future__ import annotations

from pathlib import Path

from game.format import AssignmentError, load_assignment
from game.model import Story
from game.runtime import Assignment, RunError

BAD_ASSIGNMENT = "The assignment has errors; ask your teacher for a corrected file."


def parse_set_values(story: Story, items: list[str]) -> dict[str, object]:
    """NAME=VALUE pairs from --set, typed by the variables' declarations."""
    values: dict[str, object] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        var = story.variables.get(name.strip())
        if not sep or var is None:
            known = ", ".join(story.variables)
            raise RunError(f"--set wants NAME=VALUE with a declared variable, not {item!r} (variables: {known})")
        raw = raw.strip()
        if var.type == "int":
            try:
                values[var.id] = int(raw)
            except ValueError:
                raise RunError(f"{var.id} is a whole number, not {raw!r}") from None
        elif var.type == "bool":
            if raw not in ("true", "false"):
                raise RunError(f"{var.id} is true or false, not {raw!r}")
            values[var.id] = raw == "true"
        else:
            values[var.id] = raw
    return values


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
