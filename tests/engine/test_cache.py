"""The story cache: used only when nothing changed, never trusted when damaged."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from game.engine import Run, load_story
from game.engine.cache import MAGIC
from tests.conftest import MINI


def test_a_warm_load_gives_the_same_story(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = load_story(MINI, cache)
    assert len(list(cache.glob("*.story"))) == 1
    warm = load_story(MINI, cache)
    assert warm is not cold and warm.fingerprint == cold.fingerprint
    for story in (cold, warm):  # expressions work after a round trip through the cache
        run = Run.start(story, seed=4)
        run.choose(1)
        assert run.text.startswith("Dept tech")


def test_an_edited_file_misses_the_cache(tmp_path: Path) -> None:
    story_dir = tmp_path / "story"
    shutil.copytree(MINI, story_dir)
    cache = tmp_path / "cache"
    load_story(story_dir, cache)
    path = story_dir / "story.yaml"
    path.write_text(path.read_text().replace("title: Middle", "title: The middle"))
    assert load_story(story_dir, cache).scenes["b.mid"].title == "The middle"
    assert len(list(cache.glob("*.story"))) == 2


def test_a_damaged_entry_is_discarded_and_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_story(MINI, cache)
    [entry] = cache.glob("*.story")
    whole = entry.read_bytes()
    for damaged in (whole[: len(whole) // 2], whole[:-1] + bytes([whole[-1] ^ 1]), b"garbage", MAGIC + b"x" * 40):
        entry.write_bytes(damaged)
        story = load_story(MINI, cache)
        assert story.scenes["b.mid"].title == "Middle"
        assert entry.read_bytes() == whole  # rebuilt whole


def test_deleting_the_cache_folder_is_safe(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_story(MINI, cache)
    shutil.rmtree(cache)
    assert load_story(MINI, cache).title == "Mini"


def test_a_warm_load_imports_neither_yaml_nor_the_readers(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys, pathlib; from game.engine import load_story; "
        f"load_story({str(MINI)!r}, pathlib.Path({str(tmp_path)!r})); "
        "print(sorted(m for m in ('yaml', 'game.engine.builder', 'game.engine.yaml_reader') if m in sys.modules))"
    )
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert cold == "['game.engine.builder', 'game.engine.yaml_reader', 'yaml']"
    assert warm == "[]"


def test_the_cache_keeps_only_its_newest_entries(tmp_path: Path) -> None:
    """Each edit of a story makes a new entry; the oldest go once there are more than KEEP."""
    from game.engine import cache as story_cache
    from game.engine.problems import Problems

    story = load_story(MINI)
    folder = tmp_path / "cache"
    for i in range(story_cache.KEEP + 4):
        story_cache.store(folder, f"edit {i}", story, Problems())
        path = story_cache._path(folder, f"edit {i}")
        os.utime(path, (1_000_000 + i, 1_000_000 + i))  # written one second after the one before
    left = {p.name for p in folder.iterdir()}
    assert left == {story_cache._path(folder, f"edit {i}").name for i in range(4, story_cache.KEEP + 4)}
    (folder / "notes.txt").write_text("not an entry: never pruned")
    story_cache.prune(folder, ".story", keep=1)
    assert {p.name for p in folder.iterdir()} == {"notes.txt", story_cache._path(folder, f"edit {story_cache.KEEP + 3}").name}
