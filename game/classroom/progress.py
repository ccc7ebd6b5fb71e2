"""Where a student stands in an assignment: the acts it covers, and the line that says so."""

from __future__ import annotations

from game.model import Story
from game.runtime import Assignment, Run


def assigned_acts(story: Story, assignment: Assignment, first_scene: str) -> list[str]:
    """The acts the assignment covers, in story order: from the act play began in up to the
    act named by `until` (not included) or the act of the `until` scene (included)."""
    acts = sorted(story.acts.values(), key=lambda a: a.order)
    low = story.acts[story.scenes[first_scene].act].order
    high = None
    if assignment.until in story.acts:
        high = story.acts[assignment.until].order - 1
    elif assignment.until in story.scenes:
        high = story.acts[story.scenes[assignment.until].act].order
    return [a.id for a in acts if a.order >= low and (high is None or a.order <= high)]


def progress_line(run: Run) -> str:
    """'Assignment: The strike — act 1 of 2', or '' for free play.

    Counted in acts because they are what the teacher named; a perspective that skips an act
    still counts it, so the number can jump, but it never claims more than was played.
    """
    assignment = run.assignment
    if assignment is None:
        return ""
    first = run.log[0].scene if run.log else run.state.scene
    acts = assigned_acts(run.story, assignment, first)
    line = f"Assignment: {assignment.title}"
    if run.scene.act in acts and len(acts) > 0:
        line += f" — act {acts.index(run.scene.act) + 1} of {len(acts)}"
    if run.student:
        line += f" · {run.student}"
    return line
