"""A teacher's assignment: which part of the story a student plays, and what they are asked.

An assignment is a small YAML file (read by game.format.assignment_file, as strictly as the
story, with the same file:line:col problems), checked against the story it will be played with:

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
from typing import Any

from game.model import Pos, Problem, Prompt, Story, StoryError

INTENSITY_CHOICES = ("full", "summary", "student")


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
                for target in choice.targets:
                    if target not in seen:
                        seen.add(target)
                        queue.append(target)
        raise AssignmentError(
            [Problem(Pos("assignment"), "bad-assignment", f"the act '{self.start}' is not on the path of perspective '{perspective}'")]
        )

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


def story_prompt_ids(m: Assignment) -> set[str]:
    """Story prompts the assignment names explicitly (asked even when story_prompts is false)."""
    return {str(p.get("story")) for p in m.source.get("prompts", []) if isinstance(p, dict) and p.get("story")}
