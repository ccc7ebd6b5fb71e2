"""Which files make a story: every .yaml/.yml file under the folder, hidden ones left out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from game.format import story_files
from game.format.files import read_files
from game.model import Problems


def by_rglob(root: Path) -> list[Path]:
    """The listing the loader used before it walked the folder itself (kept as the reference)."""
    found = [
        p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def test_the_listing_is_the_one_rglob_gave(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # files are named from the current folder
    root = tmp_path / "story"
    for name in (
        "story.yaml",
        "b.yml",
        "a/z.yaml",
        "a/b/c.yaml",
        "a/b/notes.txt",
        "a-b.yaml",
        "a_b/x.yaml",
        ".hidden.yaml",
        ".git/config.yaml",
        "a/.drafts/d.yaml",
        "folder.yaml/inner.yaml",
        "x.yaml.bak",
        "UPPER.YAML",
        "deep/er/est/e.yml",
    ):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("scenes:\n")
    os.symlink(root / "a", root / "linked")  # a linked folder is listed, not entered
    os.symlink(root / "story.yaml", root / "linked.yaml")  # a linked file is a file
    (root / "empty.yaml").mkdir()  # a folder named like a YAML file is listed (and reported)

    assert story_files(root) == by_rglob(root)
    assert [p.relative_to(root).as_posix() for p in story_files(root)][:3] == ["a-b.yaml", "a/b/c.yaml", "a/z.yaml"]
    problems = Problems()
    files = read_files(root, problems)
    assert [f.name for f in files] == [str(Path("story", p.relative_to(root))) for p in by_rglob(root)]
    assert [p.code for p in problems.items] == ["not-a-file", "not-a-file"]  # empty.yaml and folder.yaml


def test_a_relative_folder_lists_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "story" / "scenes").mkdir(parents=True)
    (tmp_path / "story" / "scenes" / "one.yaml").write_text("scenes:\n")
    (tmp_path / "story" / "story.yaml").write_text("story:\n")
    monkeypatch.chdir(tmp_path)
    for root in (Path("story"), Path("story").resolve()):
        assert story_files(root) == by_rglob(root)
    monkeypatch.chdir(tmp_path / "story")
    assert story_files(Path(".")) == by_rglob(Path("."))
    assert [f.name for f in read_files(Path("."), Problems())] == [str(Path("scenes/one.yaml")), "story.yaml"]
