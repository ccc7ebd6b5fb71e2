"""Problems name their files from the current folder, so that `file:line:col` opens from an
editor's terminal: wherever the story is, wherever the command runs, in text and in JSON."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from game.cli import main
from game.format import read_story, shown_path
from tests.conftest import MINI


def broken_story(folder: Path) -> Path:
    """A copy of the mini story with one unknown scene in story.yaml."""
    shutil.copytree(MINI, folder)
    path = folder / "story.yaml"
    text = path.read_text()
    assert "goto: c.good" in text
    path.write_text(text.replace("goto: c.good", "goto: c.goood", 1))
    return folder


def check(*args: str) -> tuple[str, str]:
    """The file of the unknown-scene error, as `kengir check` prints it and as --json says it."""
    out = io.StringIO()
    assert main(["check", *args], stdout=out) == 1
    [line] = [line for line in out.getvalue().splitlines() if "error[unknown-scene]" in line]
    out = io.StringIO()
    main(["check", *args, "--json"], stdout=out)
    [error] = [e for e in json.loads(out.getvalue())["errors"] if e["code"] == "unknown-scene"]
    return line.split(":")[0], error["file"]


@pytest.mark.parametrize(
    ("where", "story_arg", "expected"),
    [
        ("above", "work/story", "work/story/story.yaml"),  # a folder below the current one
        ("above", "ABSOLUTE", "work/story/story.yaml"),  # given absolute, still shown from here
        ("story", ".", "story.yaml"),  # in the story folder itself
        ("inside", "..", "ABSOLUTE"),  # run from inside the story: its file is not below here
        ("elsewhere", "ABSOLUTE", "ABSOLUTE"),  # a folder beside this one
        ("elsewhere", "../work/story", "ABSOLUTE"),
    ],
)
def test_check_names_files_from_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, story_arg: str, expected: str
) -> None:
    story = broken_story(tmp_path / "work" / "story")
    (story / "inside").mkdir()
    (tmp_path / "elsewhere").mkdir()
    here = {"above": tmp_path, "story": story, "inside": story / "inside", "elsewhere": tmp_path / "elsewhere"}[where]
    monkeypatch.chdir(here)
    arg = str(story) if story_arg == "ABSOLUTE" else story_arg
    want = str(story / "story.yaml") if expected == "ABSOLUTE" else str(Path(expected))
    text_file, json_file = check(arg)
    assert text_file == json_file == want
    assert (here / text_file).is_file()  # it opens from where the command ran


def test_a_cached_story_names_files_from_the_folder_it_is_checked_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    story = tmp_path / "story"
    shutil.copytree(MINI, story)
    cache = tmp_path / "cache"
    names = []
    for here in (tmp_path, story, tmp_path):  # the last one from the cache
        monkeypatch.chdir(here)
        loaded, _ = read_story(Path("story") if here == tmp_path else Path("."), cache)
        assert loaded is not None
        names.append(loaded.scenes["a.start"].pos.file)
    assert len(list(cache.glob("*.story"))) == 2  # one entry for each name the folder is seen by
    assert names == [str(Path("story/story.yaml")), "story.yaml", str(Path("story/story.yaml"))]


def test_shown_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert shown_path(tmp_path) == shown_path(".") == ""
    assert shown_path(tmp_path / "a" / "b") == str(Path("a/b"))
    assert shown_path(tmp_path.parent) == str(tmp_path.parent)
    (tmp_path / "real").mkdir()
    (tmp_path.parent / f"{tmp_path.name}-link").symlink_to(tmp_path / "real")
    assert shown_path(tmp_path.parent / f"{tmp_path.name}-link") == "real"  # a link into this folder
