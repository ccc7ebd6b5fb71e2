"""A teacher's assignment: which part of the story a student plays, and what they are asked.

An assignment is a small YAML file, read as strictly as the story (the same reader, the same
file:line:col problems), and checked against the story it will be played with:

    assignment:
      id: strike_only
      title: "The strike, 16-27 May 1954"
      from: strike            # an act or a scene (default: the story's start)
      until: forty_days       # stop when this act begins, or on reaching this scene
      perspectives: [woman]   # which perspectives the student may choose (default: all)
      undo: false             # may the student take a choice back? (default: true)
      intensity: student      # full | summary | student (the student chooses; default)
      ask_name: true          # ask the student's name for the record (default: false)
      story_prompts: true     # also ask the story's own reflection prompts (default: true)
      prompts:
        - story: strike.trust                 # a story prompt, where the story asks it
        - at: strike.yard                     # the teacher's own question at a scene
          text: What would you have done in the yard?
        - after: strike                       # ... or when an act ends
          text: Who decided what happened in these days?
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .fields import Fields, check_id
from .model import Prompt, Story
from .problems import Pos, Problems, StoryError, did_you_mean
from .ydata import YList, YMap

INTENSITY_CHOICES = ("full", "summary", "student")
KEYS = ("id", "title", "from", "until", "perspectives", "undo", "intensity", "ask_name", "story_prompts", "prompts")


class AssignmentError(StoryError):
    """An assignment that cannot be used; carries every problem at file:line:col."""


@dataclass(frozen=True)
class Assignment:
    id: str
    title: str
    start: str = ""  # a scene or an act id; empty: the story's (or the perspective's) start
    until: str = ""  # a scene or an act id; empty: play to an ending
    perspectives: tuple[str, ...] = ()
    undo: bool = True
    intensity: str = "student"
    ask_name: bool = False
    story_prompts: bool = True
    prompts: tuple[Prompt, ...] = ()  # teacher's prompts; `act` set for "after", scene in `at`
    at: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)  # scene -> prompt ids
    source: dict[str, Any] = field(default_factory=dict, compare=False)  # as written, for records

    def allows(self, perspective: str) -> bool:
        return not self.perspectives or perspective in self.perspectives

    def first_scene(self, story: Story, perspective: str | None) -> str | None:
        """Where play begins for this perspective: a scene, the first scene of an act on the
        perspective's path (breadth first from its start), or None for the usual start."""
        if not self.start:
            return None
        if self.start in story.scenes:
            return self.start
        begin = story.perspectives[perspective].start if perspective else story.start
        seen, queue = {begin}, deque([begin])
        while queue:
            scene = story.scenes[queue.popleft()]
            if scene.act == self.start:
                return scene.id
            for choice in scene.choices:
                if choice.goto not in seen:
                    seen.add(choice.goto)
                    queue.append(choice.goto)
        raise AssignmentError([_problem(f"the act '{self.start}' is not on the path of perspective '{perspective}'")])

    def stops_at(self, story: Story, scene_id: str) -> bool:
        """True when reaching `scene_id` ends the assigned session."""
        if not self.until:
            return False
        if self.until in story.scenes:
            return scene_id == self.until
        scene = story.scenes[scene_id]
        return story.acts[scene.act].order >= story.acts[self.until].order

    def to_dict(self) -> dict[str, Any]:
        return dict(self.source)


def _problem(message: str) -> Any:
    from .problems import Problem

    return Problem(Pos("assignment"), "bad-assignment", message)


def load_assignment(path: str | Path, story: Story) -> Assignment:
    """Read and check an assignment file against `story`; raise AssignmentError if it is wrong."""
    from .yaml_reader import read_yaml

    problems = Problems()
    name = Path(path).as_posix()
    data = read_yaml(Path(path), name, problems)
    return _build(data, name, story, problems)


def assignment_from_dict(data: dict[str, Any], story: Story) -> Assignment:
    """Rebuild an assignment kept in a save or a record (checked again against `story`)."""
    import json

    from .yaml_reader import read_yaml_bytes

    problems = Problems()
    raw = json.dumps({"assignment": data}).encode()
    return _build(read_yaml_bytes(raw, "assignment (in the record)", problems), "assignment (in the record)", story, problems)


def _build(data: YMap | None, name: str, story: Story, problems: Problems) -> Assignment:
    if data is None:
        raise AssignmentError(problems.errors)
    if "assignment" not in data or not isinstance(data["assignment"], YMap):
        problems.error(data.pos, "missing-key", "an assignment file holds one mapping named `assignment:`",
                       "see docs/TEACHING.md for a complete example")
        raise AssignmentError(problems.errors)
    for key in data:
        if key != "assignment":
            problems.error(data.key_pos[key], "unknown-section", f"'{key}' is not part of an assignment", "everything goes under `assignment:`")
    m: YMap = data["assignment"]
    f = Fields(m, "the assignment", problems, ("id", "title"), KEYS[2:])
    assignment_id = f.text("id")
    if assignment_id:
        check_id(assignment_id, f.pos("id"), problems, "assignment")
    start, until = f.text("from"), f.text("until")
    for key, value in (("from", start), ("until", until)):
        if value and value not in story.scenes and value not in story.acts:
            problems.error(f.pos(key), "unknown-scene", f"'{value}' is neither a scene nor an act of the story",
                           did_you_mean(value, [*story.acts, *story.scenes]) or f"acts: {', '.join(story.acts)}")
    if start in story.acts and until in story.acts and story.acts[until].order <= story.acts[start].order:
        problems.error(f.pos("until"), "bad-assignment", f"play would stop ('{until}') before it starts ('{start}')",
                       "`until` names the act after the last one played")
    perspectives = []
    for pid, pos in f.ids("perspectives"):
        if pid not in story.perspectives:
            problems.error(pos, "unknown-perspective", f"'{pid}' is not a perspective of the story", did_you_mean(pid, story.perspectives))
        perspectives.append(pid)
    intensity = f.text("intensity", "student")
    if intensity not in INTENSITY_CHOICES:
        problems.error(f.pos("intensity"), "bad-kind", f"intensity '{intensity}' is not one of {', '.join(INTENSITY_CHOICES)}",
                       did_you_mean(intensity, INTENSITY_CHOICES))
    prompts, at = _prompts(m, story, problems)
    if problems.errors:
        raise AssignmentError(sorted(problems.errors, key=lambda p: (p.pos, p.code)))
    source = {
        "id": assignment_id, "title": f.text("title"), "from": start, "until": until, "perspectives": perspectives,
        "undo": f.flag("undo", True), "intensity": intensity, "ask_name": f.flag("ask_name"),
        "story_prompts": f.flag("story_prompts", True),
        "prompts": [dict(p) for p in m.get("prompts", [])] if isinstance(m.get("prompts"), YList) else [],
    }
    return Assignment(
        id=assignment_id, title=f.text("title"), start=start, until=until, perspectives=tuple(perspectives),
        undo=f.flag("undo", True), intensity=intensity, ask_name=f.flag("ask_name"),
        story_prompts=f.flag("story_prompts", True), prompts=tuple(prompts), at=at, source=source,
    )


def _prompts(m: YMap, story: Story, problems: Problems) -> tuple[list[Prompt], dict[str, tuple[str, ...]]]:
    value = m.get("prompts")
    if value is None:
        return [], {}
    if not isinstance(value, YList):
        problems.error(m.value_pos["prompts"], "wrong-type", "`prompts` is a list; each item has `story:`, or `at:`/`after:` with `text:`")
        return [], {}
    prompts: list[Prompt] = []
    at: dict[str, list[str]] = {}
    for number, (item, pos) in enumerate(zip(value, value.item_pos), 1):
        what = f"prompt {number} of the assignment"
        if not isinstance(item, YMap):
            problems.error(pos, "wrong-type", f"{what} must be a mapping with `story:`, or `at:`/`after:` and `text:`")
            continue
        f = Fields(item, what, problems, (), ("id", "story", "at", "after", "text"))
        story_prompt, scene, act, text = f.text("story"), f.text("at"), f.text("after"), f.text("text")
        if story_prompt:
            if story_prompt not in story.prompts:
                problems.error(f.pos("story"), "unknown-prompt", f"the story has no prompt '{story_prompt}'", did_you_mean(story_prompt, story.prompts))
            continue  # asked where the story asks it (see Run)
        prompt_id = f.text("id") or f"assignment.{number}"
        if not text:
            problems.error(pos, "missing-key", f"{what} needs `text:` (or `story:` naming a story prompt)")
        if bool(scene) == bool(act):
            problems.error(pos, "missing-key", f"{what} needs exactly one of `at: SCENE` or `after: ACT`")
            continue
        if scene and scene not in story.scenes:
            problems.error(f.pos("at"), "unknown-scene", f"'{scene}' is not a scene", did_you_mean(scene, story.scenes))
            continue
        if act and act not in story.acts:
            problems.error(f.pos("after"), "unknown-act", f"'{act}' is not an act", did_you_mean(act, story.acts))
            continue
        prompts.append(Prompt(prompt_id, text, act))
        if scene:
            at.setdefault(scene, []).append(prompt_id)
    return prompts, {scene: tuple(ids) for scene, ids in at.items()}


def story_prompt_ids(m: Assignment) -> set[str]:
    """Story prompts the assignment names explicitly (asked even when story_prompts is false)."""
    return {str(p.get("story")) for p in m.source.get("prompts", []) if isinstance(p, dict) and p.get("story")}
