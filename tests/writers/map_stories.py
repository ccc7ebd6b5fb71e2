"""Stories for the story map's tests, written as a writer would: a long act with branches,
loops, a route and endings, that no screen could show as one strip."""

from __future__ import annotations

from pathlib import Path

HEAD = """story:
  title: Long
  start: long.s0
  acts:
    long: {title: "I. The long act"}
    after: {title: "II. After"}
  places:
    yard: The yard
  endings:
    end: {title: The end, debrief: It ended.}
    lost: {title: Lost, debrief: Lost.}
  variables:
    brave: {type: bool, default: false}
scenes:
"""


def _scene(scene_id: str, act: str, title: str, choices: str = "", ending: str = "") -> str:
    text = f"  {scene_id}:\n    act: {act}\n    date: 1954-05-16\n    place: yard\n    title: {title}\n    text: Words.\n"
    return text + (f"    ending: {ending}\n" if ending else f"    choices:\n{choices}")


def _choice(text: str, goto: str, extra: str = "") -> str:
    return f"      - text: {text}\n        goto: {goto}\n{extra}"


def long_story(folder: Path, length: int = 30) -> Path:
    """A story whose first act is `length` beats: each a scene with two choices that both lead
    to the next beat, every fifth beat with a side scene reached only when brave, one loop back
    to the beat before, a choice with routes into the second act, and two endings there."""
    parts = [HEAD]
    for i in range(length):
        step = f"long.s{i + 1}" if i + 1 < length else "after.gate"
        choices = _choice(f"Go on to the next yard, number {i + 1}, and see what waits there", step)
        choices += _choice("Stay a while longer", step, "        set: {brave: true}\n")
        if i % 5 == 2:
            choices += _choice("Look behind the barrack", f"long.side{i}", "        if: brave\n")
            parts.append(_scene(f"long.side{i}", "long", f"Behind barrack {i}", _choice("Come back", step)))
        if i == length - 1:
            choices = _choice(
                "Run for the gate",
                "\n          - if: brave\n            to: after.end\n          - to: after.gate",
                "        set: {brave: true}\n",
            )
            choices += _choice("Go back one yard", f"long.s{i - 1}")
        parts.append(_scene(f"long.s{i}", "long", f"Yard number {i}", choices))
    parts.append(_scene("after.gate", "after", "The gate", _choice("Walk out", "after.end") + _choice("Sit down", "after.lost")))
    parts.append(_scene("after.end", "after", "Outside", ending="end"))
    parts.append(_scene("after.lost", "after", "Lost in the yard", ending="lost"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text("".join(parts), encoding="utf-8")
    return folder
