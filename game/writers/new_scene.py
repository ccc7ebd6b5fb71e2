"""`kengir new scene ID`: append a valid scene stub where its neighbours live, in their act.

The neighbours are the scenes whose ids share the most words with the new one (words are the
parts between dots and underscores: `thief.end_x` shares two with `thief.end_killed`, one with
`thief.roof`). When they all live in one file and one act, the stub goes there, in that act.
When they are spread over several, the writer is asked which (or says it with --act or --file);
without a terminal to ask at, nothing is written and the places are listed. An id that shares
nothing with any scene goes into `scenes/<first part>.yaml`, in the act of that name if there is
one (or the only act), else the writer is asked for the act.

The stub goes at the end of the file, after one blank line; what the writer wrote is kept as it
was (but for blank lines at its end), and the file is replaced whole, so a failed write loses
nothing.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from game.format import ID_PATTERN, load_story, shown_path
from game.model import Scene, Story, did_you_mean

# Asks the writer to pick one of the options (a question, the options as lines); None: no one to ask.
Ask = Callable[[str, Sequence[str]], int]


class NewSceneError(Exception):
    pass


class Place(NamedTuple):
    """Where a stub goes: a file (as the scenes' positions name it, or under the story folder)
    and an act; `near` is the neighbour whose date, place and perspectives it starts from."""

    file: Path
    act: str
    near: Scene | None


def _words(scene_id: str) -> list[str]:
    return re.split(r"[._]", scene_id)


def _shared(a: list[str], b: list[str]) -> int:
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count


def _choose(story: Story, places: list[Place], question: str, ask: Ask | None, flags: str) -> Place:
    places = sorted(places, key=lambda p: (story.acts[p.act].order, str(p.file)))
    lines = [
        f"act {p.act}, in {shown_path(p.file)}" + (f" (beside {p.near.id})" if p.near and p.file.exists() else " (a new file)")
        for p in places
    ]
    if ask is None:
        raise NewSceneError(f"{question}: {'; '.join(lines)}. Say which with {flags}")
    return places[ask(question, lines)]


def place_for(story: Story, root: Path, scene_id: str, act: str = "", file: str = "", ask: Ask | None = None) -> Place:
    """Where the stub for `scene_id` goes (see the module's docstring)."""
    if act and act not in story.acts:
        raise NewSceneError(f"there is no act '{act}' ({did_you_mean(act, story.acts) or 'acts: ' + ', '.join(story.acts)})")
    wanted = root / file if file else None
    words = _words(scene_id)
    scenes = list(story.scenes.values())
    most = max((_shared(words, _words(s.id)) for s in scenes), default=0)
    in_file = {name: Path(name).resolve() == wanted.resolve() for name in {s.pos.file for s in scenes}} if wanted else {}
    for least in range(most, 0, -1):  # the closest neighbours first; fewer words shared if --act or --file leaves none
        near = [
            s
            for s in scenes
            if _shared(words, _words(s.id)) >= least and (not act or s.act == act) and (wanted is None or in_file[s.pos.file])
        ]
        if near:
            places: dict[tuple[str, str], Place] = {}
            for scene in near:  # the last neighbour of each place, in story order
                places[scene.pos.file, scene.act] = Place(Path(scene.pos.file), scene.act, scene)
            if len(places) == 1:
                return next(iter(places.values()))
            shared = "".join(re.split(r"([._])", scene_id)[: 2 * least])  # the words shared, with what joins them
            question = f"the scenes whose ids start '{shared}' are in {len(places)} places; where does '{scene_id}' go"
            return _choose(story, list(places.values()), question, ask, "--act ACT (or --file FILE)")
    target = wanted or root / "scenes" / f"{scene_id.split('.')[0]}.yaml"
    if not act:
        first = scene_id.split(".")[0]
        if first in story.acts or len(story.acts) == 1:
            act = first if first in story.acts else next(iter(story.acts))
        else:
            options = [Place(target, a, next((s for s in reversed(scenes) if s.act == a), None)) for a in story.acts]
            question = f"no scene id is like '{scene_id}', so it goes in a file of its own; in which act"
            return _choose(story, options, question, ask, "--act ACT")
    return Place(target, act, next((s for s in reversed(scenes) if s.act == act), None))


def stub_text(story: Story, scene_id: str, place: Place, with_header: bool) -> str:
    near = place.near
    date = near.date if near else "1954-05-16"
    where = near.place if near else next(iter(story.places), "PLACE")
    perspectives = f"\n    perspectives: [{', '.join(near.perspectives)}]" if near and near.perspectives else ""
    header = "scenes:\n" if with_header else ""
    return (
        f"{header}\n  {scene_id}:\n"
        f"    act: {place.act}\n"
        f"    date: {date}\n"
        f"    place: {where}\n"
        f'    title: "TODO: a title"{perspectives}\n'
        f"    text: |\n"
        f"      TODO: what happens here, in the second person and the present tense.\n"
        f"    choices:\n"
        f'      - text: "TODO: a choice"\n'
        f"        goto: {story.start}\n"
    )


def new_scene(root: Path, scene_id: str, act: str = "", file: str = "", ask: Ask | None = None) -> Place:
    """Append a stub for `scene_id` and return where it went."""
    if not ID_PATTERN.match(scene_id):
        raise NewSceneError(f"'{scene_id}' is not a valid scene id: lower case words joined by dots, e.g. strike.gate")
    story = load_story(root)
    if scene_id in story.scenes:
        raise NewSceneError(f"scene '{scene_id}' already exists at {story.scenes[scene_id].pos}")
    place = place_for(story, root, scene_id, act, file, ask)
    target = place.file
    existing = target.read_text(encoding="utf-8") if target.exists() else ""
    sections = [line.split(":")[0] for line in existing.splitlines() if line[:1].isalpha()]
    if existing and (not sections or sections[-1] != "scenes"):
        # Appending would put the stub inside whatever section comes last.
        raise NewSceneError(f"{shown_path(target)}: `scenes:` is not the last section of this file, so a stub cannot be appended safely")
    text = stub_text(story, scene_id, place, with_header=not existing)
    if not existing:  # a new file: nothing to lose
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return place
    # One blank line before the stub, however many line ends the file ended with: the stub
    # then lands where docs/WRITING.md's tutorial says. Written whole (as the saves are), so
    # that a failed write cannot cut the writer's file short, and with its permissions kept.
    from game.atomic import write_atomic

    mode = stat.S_IMODE(target.stat().st_mode)
    write_atomic(target, existing.rstrip("\n") + "\n" + text)
    os.chmod(target, mode)
    return place
