"""Writes a generated story of N scenes (about 150 words each, three choices with conditions and
effects), in files of about 50 scenes or in one file, for the benchmark and for scale tests."""

from __future__ import annotations

import random
import sys
from pathlib import Path

WORDS = (
    "the wall dust steppe bread letter guard lamp barrack wire yard night morning voice hand "
    "door tower stone road light silence window brigade order rumour song window cold"
).split()


def _paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def write_big_story(root: Path, scenes: int = 10_000, per_file: int = 50, seed: int = 1) -> Path:
    """Write the story into `root` (created) and return it."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    acts = ["one", "two", "three", "four", "five"]
    (root / "story.yaml").write_text(
        "story:\n"
        "  title: Generated\n"
        "  start: s.0\n"
        "  acts:\n" + "".join(f"    {a}: {{title: Act {a}}}\n" for a in acts) + "  places:\n    yard: The yard\n"
        "  endings:\n    end: {title: The end, debrief: It ended.}\n"
        "  variables:\n"
        "    trust: {type: int, default: 0, min: 0, max: 10, label: Trust, shown: true}\n"
        "    resolve: {type: int, default: 0, min: 0, max: 10}\n"
        "    married: {type: bool, default: false}\n"
        "notes:\n  n0: {title: A note, kind: fact, body: A body., sources: [s0]}\n"
        "sources:\n  s0: {title: A source}\n"
    )
    (root / "scenes").mkdir(exist_ok=True)
    files: dict[int, list[str]] = {}
    for i in range(scenes):
        act = acts[min(len(acts) - 1, i * len(acts) // scenes)]
        last = i == scenes - 1
        lines = [
            f"  s.{i}:",
            f"    act: {act}",
            "    date: 1954-05-16",
            "    place: yard",
            f"    title: Scene {i}",
        ]
        if i == 0:
            lines.append("    notes: [n0]")
        lines += [
            "    text:",
            "      - |",
            f"        {_paragraph(rng, 60)}",
            f"        {_paragraph(rng, 50)}",
            "      - if: trust > 3",
            f"        text: {_paragraph(rng, 20)}",
            f"        else: {_paragraph(rng, 20)}",
        ]
        if last:
            lines.append("    ending: end")
        else:
            n1, n2 = min(i + 1, scenes - 1), min(i + 2, scenes - 1)
            lines += [
                "    choices:",
                f"      - text: {_paragraph(rng, 6)}",
                f"        goto: s.{n1}",
                "        set: {trust: trust + 1}",
                f"      - text: {_paragraph(rng, 6)}",
                "        if: trust >= 2 and not married",
                "        else: Not yet.",
                f"        goto: s.{n2}",
                "        set: {married: true, resolve: resolve + 2}",
                f"      - text: {_paragraph(rng, 6)}",
                "        if: resolve > 4 or visited(s.0)",
                f"        goto: s.{n1}",
                "        set: {resolve: resolve - 1}",
            ]
        files.setdefault(i // per_file, []).extend(lines)
    for number, lines in files.items():
        (root / "scenes" / f"part_{number:04d}.yaml").write_text("scenes:\n" + "\n".join(lines) + "\n")
    return root


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "big_story")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    per_file = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    print(write_big_story(target, count, per_file))
