"""`kengir new scene ID`: append a valid scene stub to the file where its neighbours live.

The file is chosen from the id: the file that already holds scenes with the same first part
(`strike.` for `strike.gate`), else `scenes/<first part>.yaml`. The stub goes at the end of the
file, after one blank line; what the writer wrote is kept as it was (but for blank lines at its
end), and the file is replaced whole, so a failed write loses nothing.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from game.format import ID_PATTERN, load_story
from game.model import Story


class NewSceneError(Exception):
    pass


def _home_file(story: Story, root: Path, scene_id: str) -> Path:
    prefix = scene_id.split(".")[0]
    for scene in story.scenes.values():
        if scene.id.split(".")[0] == prefix:
            return Path(scene.pos.file)  # named from the current folder (or absolute)
    return root / "scenes" / f"{prefix}.yaml"


def stub_text(story: Story, scene_id: str, neighbour: str | None, with_header: bool) -> str:
    prefix = scene_id.split(".")[0]
    act = prefix if prefix in story.acts else next(iter(story.acts), "ACT")
    near = story.scenes.get(neighbour or "") if neighbour else None
    date = near.date if near else "1954-05-16"
    place = near.place if near else next(iter(story.places), "PLACE")
    perspectives = f"\n    perspectives: [{', '.join(near.perspectives)}]" if near and near.perspectives else ""
    header = "scenes:\n" if with_header else ""
    return (
        f"{header}\n  {scene_id}:\n"
        f"    act: {act}\n"
        f"    date: {date}\n"
        f"    place: {place}\n"
        f'    title: "TODO: a title"{perspectives}\n'
        f"    text: |\n"
        f"      TODO: what happens here, in the second person and the present tense.\n"
        f"    choices:\n"
        f'      - text: "TODO: a choice"\n'
        f"        goto: {story.start}\n"
    )


def new_scene(root: Path, scene_id: str) -> Path:
    """Append a stub for `scene_id` and return the file it went into."""
    if not ID_PATTERN.match(scene_id):
        raise NewSceneError(f"'{scene_id}' is not a valid scene id: lower case words joined by dots, e.g. strike.gate")
    story = load_story(root)
    if scene_id in story.scenes:
        raise NewSceneError(f"scene '{scene_id}' already exists at {story.scenes[scene_id].pos}")
    target = _home_file(story, root, scene_id)
    prefix = scene_id.split(".")[0]
    neighbour = next((s.id for s in reversed(list(story.scenes.values())) if s.id.split(".")[0] == prefix), None)
    existing = target.read_text(encoding="utf-8") if target.exists() else ""
    sections = [line.split(":")[0] for line in existing.splitlines() if line[:1].isalpha()]
    if existing and (not sections or sections[-1] != "scenes"):
        # Appending would put the stub inside whatever section comes last.
        raise NewSceneError(f"{target}: `scenes:` is not the last section of this file, so a stub cannot be appended safely")
    text = stub_text(story, scene_id, neighbour, with_header=not existing)
    if not existing:  # a new file: nothing to lose
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target
    # One blank line before the stub, however many line ends the file ended with: the stub
    # then lands where docs/WRITING.md's tutorial says. Written whole (as the saves are), so
    # that a failed write cannot cut the writer's file short, and with its permissions kept.
    from game.atomic import write_atomic

    mode = stat.S_IMODE(target.stat().st_mode)
    write_atomic(target, existing.rstrip("\n") + "\n" + text)
    os.chmod(target, mode)
    return target
