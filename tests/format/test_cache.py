"""The story cache: used only when nothing changed, never trusted when damaged."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from game.format import load_story
from game.format.cache import MAGIC
from game.runtime import Run
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
        "import sys, pathlib; from game.format import load_story; "
        f"load_story({str(MINI)!r}, pathlib.Path({str(tmp_path)!r})); "
        "print(sorted(m for m in ('yaml', 'game.format.readers.builder', 'game.format.yaml_reader') if m in sys.modules))"
    )
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert cold == "['game.format.readers.builder', 'game.format.yaml_reader', 'yaml']"
    assert warm == "[]"


def test_the_cache_keeps_only_its_newest_entries(tmp_path: Path) -> None:
    """Each edit of a story makes a new entry; the oldest go once there are more than KEEP."""
    from game.format import cache as story_cache
    from game.model import Problems

    story = load_story(MINI)
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "my-draft.story").write_text("a writer's own file in a folder named by KENGIR_CACHE: never pruned")
    for i in range(story_cache.KEEP + 4):
        story_cache.store(folder, f"edit {i}", story, Problems())
        path = story_cache._path(folder, f"edit {i}")
        os.utime(path, (1_000_000 + i, 1_000_000 + i))  # written one second after the one before
    left = {p.name for p in folder.iterdir()}
    assert left == {"my-draft.story"} | {story_cache._path(folder, f"edit {i}").name for i in range(4, story_cache.KEEP + 4)}
    story_cache.prune(folder, ".story", keep=1)
    assert {p.name for p in folder.iterdir()} == {"my-draft.story", story_cache._path(folder, f"edit {story_cache.KEEP + 3}").name}


def test_an_entry_used_is_kept_and_the_one_written_is_never_pruned(tmp_path: Path) -> None:
    from game.format import cache as story_cache
    from game.model import Problems

    story = load_story(MINI)
    folder = tmp_path / "cache"
    story_cache.store(folder, "played daily", story, Problems())
    played = story_cache._path(folder, "played daily")
    os.utime(played, (1_000_000, 1_000_000))  # written long ago...
    assert story_cache.fetch(folder, "played daily") is not None  # ...and used now
    for i in range(story_cache.KEEP):
        story_cache.store(folder, f"edit {i}", story, Problems())
        os.utime(story_cache._path(folder, f"edit {i}"), (2_000_000 + i, 2_000_000 + i))
    assert played.exists()  # used after every edit was written
    # An entry just written is kept even when the others' dates are later (a copied folder, a clock set back).
    for path in folder.iterdir():
        os.utime(path, (time.time() + 3600, time.time() + 3600))
    story_cache.store(folder, "last", story, Problems())
    assert story_cache._path(folder, "last").exists()


def test_pruning_removes_stale_temporary_files_and_survives_vanished_entries(tmp_path: Path) -> None:
    from game.format import cache as story_cache

    folder = tmp_path / "cache"
    folder.mkdir()
    name = "0" * 40 + ".story"
    stale, fresh = folder / f".{name}.abcd1234.tmp", folder / f".{name}.efgh5678.tmp"
    for path in (stale, fresh):
        path.write_bytes(b"a write cut short")
    os.utime(stale, (1_000_000, 1_000_000))  # long ago: its writer was killed
    for i in range(3):
        (folder / f"{i:040x}.story").write_bytes(b"")
        os.utime(folder / f"{i:040x}.story", (1_000_000 + i, 1_000_000 + i))
    (folder / f"{9:040x}.story").symlink_to(folder / "gone")  # listed, then gone when looked at
    story_cache.prune(folder, ".story", keep=1)
    assert sorted(p.name for p in folder.iterdir()) == sorted([fresh.name, f"{2:040x}.story", f"{9:040x}.story"])
