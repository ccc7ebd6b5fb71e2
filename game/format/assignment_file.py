"""Reading a teacher's assignment file (or the copy kept in a save or a record) into a checked
`Assignment`: the same strict YAML reader as the story, every problem at file:line:col.
The format is described in game/runtime/assignment.py and docs/TEACHING.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from game.format.fields import Fields, check_id
from game.format.yaml_data import YList, YMap
from game.model import Problems, Prompt, Story, did_you_mean
from game.runtime import INTENSITY_CHOICES, Assignment, AssignmentError

KEYS = ("id", "title", "from", "until", "perspectives", "undo", "intensity", "ask_name", "story_prompts", "prompts")
PROMPT_KEYS = ("id", "story", "at", "after", "text")  # of an item of `prompts`


def load_assignment(path: str | Path, story: Story) -> Assignment:
    """Read and check an assignment file against `story`; raise AssignmentError if it is wrong."""
    from game.format.yaml_reader import read_yaml

    problems = Problems()
    name = Path(path).as_posix()
    data = read_yaml(Path(path), name, problems)
    return _build(data, name, story, problems)


def assignment_from_dict(data: dict[str, Any], story: Story) -> Assignment:
    """Rebuild an assignment kept in a save or a record (checked again against `story`)."""
    import json

    from game.format.yaml_reader import read_yaml_bytes

    problems = Problems()
    raw = json.dumps({"assignment": data}).encode()
    return _build(read_yaml_bytes(raw, "assignment (in the record)", problems), "assignment (in the record)", story, problems)


def _build(data: YMap | None, name: str, story: Story, problems: Problems) -> Assignment:
    if data is None:
        raise AssignmentError(problems.errors)
    if "assignment" not in data or not isinstance(data["assignment"], YMap):
        problems.error(
            data.pos,
            "missing-key",
            "an assignment file holds one mapping named `assignment:`",
            "see docs/TEACHING.md for a complete example",
        )
        raise AssignmentError(problems.errors)
    for key in data:
        if key != "assignment":
            problems.error(
                data.key_pos[key], "unknown-section", f"'{key}' is not part of an assignment", "everything goes under `assignment:`"
            )
    m: YMap = data["assignment"]
    f = Fields(m, "the assignment", problems, ("id", "title"), KEYS[2:])
    assignment_id = f.text("id")
    if assignment_id:
        check_id(assignment_id, f.pos("id"), problems, "assignment")
    start, until = f.text("from"), f.text("until")
    for key, value in (("from", start), ("until", until)):
        if value and value not in story.scenes and value not in story.acts:
            problems.error(
                f.pos(key),
                "unknown-scene",
                f"'{value}' is neither a scene nor an act of the story",
                did_you_mean(value, [*story.acts, *story.scenes]) or f"acts: {', '.join(story.acts)}",
            )
    if start in story.acts and until in story.acts and story.acts[until].order <= story.acts[start].order:
        problems.error(
            f.pos("until"),
            "bad-assignment",
            f"play would stop ('{until}') before it starts ('{start}')",
            "`until` names the act after the last one played",
        )
    perspectives = []
    for pid, pos in f.ids("perspectives"):
        if pid not in story.perspectives:
            problems.error(pos, "unknown-perspective", f"'{pid}' is not a perspective of the story", did_you_mean(pid, story.perspectives))
        perspectives.append(pid)
    intensity = f.text("intensity", "student")
    if intensity not in INTENSITY_CHOICES:
        problems.error(
            f.pos("intensity"),
            "bad-kind",
            f"intensity '{intensity}' is not one of {', '.join(INTENSITY_CHOICES)}",
            did_you_mean(intensity, INTENSITY_CHOICES),
        )
    prompts, at = _prompts(m, story, problems)
    # Read before the errors are counted: a mistyped flag (`undo: "yes"`) is one of them.
    undo, ask_name, story_prompts = f.flag("undo", True), f.flag("ask_name"), f.flag("story_prompts", True)
    if problems.errors:
        raise AssignmentError(sorted(problems.errors, key=lambda p: (p.pos, p.code)))
    source = {
        "id": assignment_id,
        "title": f.text("title"),
        "from": start,
        "until": until,
        "perspectives": perspectives,
        "undo": undo,
        "intensity": intensity,
        "ask_name": ask_name,
        "story_prompts": story_prompts,
        "prompts": [dict(p) for p in m.get("prompts", [])] if isinstance(m.get("prompts"), YList) else [],
    }
    return Assignment(
        id=assignment_id,
        title=f.text("title"),
        start=start,
        until=until,
        perspectives=tuple(perspectives),
        undo=undo,
        intensity=intensity,
        ask_name=ask_name,
        story_prompts=story_prompts,
        prompts=tuple(prompts),
        at=at,
        source=source,
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
        f = Fields(item, what, problems, (), PROMPT_KEYS)
        story_prompt, scene, act, text = f.text("story"), f.text("at"), f.text("after"), f.text("text")
        if story_prompt:
            if story_prompt not in story.prompts:
                problems.error(
                    f.pos("story"), "unknown-prompt", f"the story has no prompt '{story_prompt}'", did_you_mean(story_prompt, story.prompts)
                )
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
