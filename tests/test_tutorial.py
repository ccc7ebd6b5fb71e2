"""The tutorial in docs/WRITING.md, followed step by step as a new writer would: every command
it shows is run, and every output it quotes must be what the tools print."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "WRITING.md"
ROOT = DOC.parent.parent


def kengir(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "game", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "KENGIR_CACHE": str(cwd / "cache"), "PATH": "/usr/bin:/bin"},
    )


def blocks(text: str, language: str = "", indent: int = 3) -> list[str]:
    """The fenced blocks of `text` (of one language), without the indentation of the list item
    they sit in (the tutorial's steps are a numbered list)."""
    return [re.sub(rf"(?m)^ {{{indent}}}", "", b) for b in re.findall(rf"```{language}\n(.+?)```", text, re.DOTALL)]


def test_the_tutorial_does_what_it_says(tmp_path: Path) -> None:
    doc = DOC.read_text()
    tutorial = doc.split("## Tutorial: a new scene in ten minutes", 1)[1].split("\n## ", 1)[0]
    steps = re.split(r"\n\d\. \*\*", tutorial)
    example = blocks(doc.split("## A complete example to copy", 1)[1], "yaml", indent=0)[0]

    # 1. The example, its scenes in a file of their own.
    story_dir = tmp_path / "mystory"
    (story_dir / "scenes").mkdir(parents=True)
    head, rest = example.split("\nscenes:\n", 1)
    scenes, tail = re.split(r"\n(?=[a-z])", rest, maxsplit=1)
    (story_dir / "story.yaml").write_text(head + "\n" + tail)
    (story_dir / "scenes" / "wall.yaml").write_text("scenes:\n" + scenes + "\n")
    assert kengir(tmp_path, "check", "mystory").stdout.strip().endswith("0 errors, 0 warnings")

    # 2. A stub, in the file where the other wall. scenes live.
    made = kengir(tmp_path, "new", "scene", "wall.yard", "--story", "mystory")
    assert made.returncode == 0 and "mystory/scenes/wall.yaml" in made.stdout

    # 3. The scene written, the note and its source added, and a way in.
    scene_yaml, note_yaml = blocks(steps[3], "yaml")
    wall = story_dir / "scenes" / "wall.yaml"
    text = wall.read_text()
    wall.write_text(text[: text.index("\n  wall.yard:")] + "\n" + scene_yaml)
    story_yaml = (story_dir / "story.yaml").read_text()
    note, source = note_yaml.split("sources:\n")
    note_entry = note.split("notes:\n", 1)[1]
    story_yaml = story_yaml.replace("\nnotes:\n", "\nnotes:\n" + note_entry, 1).replace("\nsources:\n", "\nsources:\n" + source, 1)
    (story_dir / "story.yaml").write_text(story_yaml)
    assert "give `wall.yard` a way in" in steps[3]
    night = wall.read_text()
    way_in = re.search(r"(- text: Go out to the wall\n(?:\s+(?:if|else): .*\n)*\s+goto: )wall\.breach", night)
    assert way_in, "the tutorial's 'Go out to the wall' choice"
    wall.write_text(night[: way_in.start()] + way_in.group(1) + "wall.yard" + night[way_in.end() :])
    checked = kengir(tmp_path, "check", "mystory")
    assert checked.returncode == 0, checked.stdout

    # 4. Broken on purpose: the error the tutorial quotes, line for line.
    wall.write_text(wall.read_text().replace("goto: wall.breach", "goto: wall.brech"))
    broken = kengir(tmp_path, "check", "mystory")
    assert broken.returncode == 1
    for line in blocks(steps[4])[0].strip().splitlines():
        assert line in broken.stdout.splitlines(), (line, broken.stdout)
    wall.write_text(wall.read_text().replace("goto: wall.brech", "goto: wall.breach"))

    # 5. The tester finds what check cannot, then, with the condition fixed, reaches everything.
    tested = kengir(tmp_path, "test", "mystory", "--runs", "2000")
    for line in blocks(steps[5])[0].strip().splitlines():
        assert line in tested.stdout, (line, tested.stdout)
    assert tested.returncode == 0 and tested.stdout.strip().endswith("OK") and "ends with `OK` (exit code 0)" in steps[5]
    wall.write_text(wall.read_text().replace("courage >= 2", "courage >= 1"))
    retested = kengir(tmp_path, "test", "mystory", "--runs", "2000")
    assert "scenes: 4/4 reached; choices: 5/5 taken" in retested.stdout and "never" not in retested.stdout
    assert "OK: every reachable state leads to an ending" in kengir(tmp_path, "test", "mystory", "--exhaustive").stdout

    # 6. On the map, with the condition as it now stands.
    label = re.search(r"labelled `(if [^`]+)`", steps[6])
    assert label and label.group(1) in kengir(tmp_path, "graph", "mystory").stdout

    # 7. Played from the new scene with a chosen state.
    command = re.search(r"`kengir (play --plain --story mystory --from [^`]+)`", steps[7])
    assert command
    played = subprocess.run(
        [sys.executable, "-m", "game", *command.group(1).split()],
        cwd=tmp_path,
        input="q\n",
        capture_output=True,
        text=True,
        env={
            "PYTHONPATH": str(ROOT),
            "KENGIR_SAVES": str(tmp_path / "saves"),
            "KENGIR_CACHE": str(tmp_path / "cache"),
            "PATH": "/usr/bin:/bin",
        },
    )
    assert "The service yard" in played.stdout and "Walk through with Olena" in played.stdout
