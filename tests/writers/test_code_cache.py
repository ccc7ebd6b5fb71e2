"""The play-tester's byte-code cache: used when the very same source was compiled before,
never trusted when damaged, and giving the same play-test as no cache at all."""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

import pytest

from game.format import load_story
from game.format.cache import prune as real_prune
from game.writers.playtest import code_cache
from game.writers.playtest.code_cache import MAGIC, compile_cached, entry_path
from game.writers.playtest.runs import LARGEST_BATCH, batches_of, random_test
from tests.conftest import MINI

SOURCE = "def answer():\n    return 42\n"
NAME = "<test>"


def _run(code) -> object:  # type: ignore[no-untyped-def]
    namespace: dict[str, object] = {}
    exec(code, namespace)  # noqa: S102 - the test's own source
    return namespace["answer"]()  # type: ignore[operator]


def _entry(code) -> bytes:  # type: ignore[no-untyped-def]
    payload = marshal.dumps(code)
    return MAGIC + hashlib.sha256(payload).digest() + payload


def test_the_first_compile_writes_an_entry_that_the_next_one_reads(tmp_path: Path) -> None:
    assert _run(compile_cached(SOURCE, NAME, tmp_path)) == 42
    path = entry_path(tmp_path, SOURCE, NAME)
    assert path.exists()
    # Replace the entry with other (well-formed) code: if it is read, that code is what runs.
    path.write_bytes(_entry(compile("def answer():\n    return 7\n", NAME, "exec")))
    assert _run(compile_cached(SOURCE, NAME, tmp_path)) == 7


def test_another_source_or_name_misses(tmp_path: Path) -> None:
    assert entry_path(tmp_path, SOURCE, NAME) != entry_path(tmp_path, SOURCE + "\n", NAME)
    assert entry_path(tmp_path, SOURCE, NAME) != entry_path(tmp_path, SOURCE, "<other>")


def test_the_key_holds_pythons_byte_code_magic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Byte code of another Python version must never be loaded: the entry's name changes with it."""
    before = entry_path(tmp_path, SOURCE, NAME)
    monkeypatch.setattr(code_cache.importlib.util, "MAGIC_NUMBER", b"\x00\x00\r\n")
    assert entry_path(tmp_path, SOURCE, NAME) != before


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "empty", "other magic", "not code"])
def test_a_damaged_entry_is_compiled_again_and_replaced(tmp_path: Path, damage: str) -> None:
    compile_cached(SOURCE, NAME, tmp_path)
    path = entry_path(tmp_path, SOURCE, NAME)
    good = path.read_bytes()
    if damage == "flipped byte":
        bad = good[:-10] + bytes([good[-10] ^ 0xFF]) + good[-9:]
    elif damage == "truncated":
        bad = good[: len(good) // 2]
    elif damage == "empty":
        bad = b""
    elif damage == "other magic":
        bad = b"KENGIR-CODE-CACHE-0\n" + good[len(MAGIC) :]
    else:  # a well-formed entry whose payload is not code: checksummed data of another kind
        payload = marshal.dumps({"answer": 7})
        bad = MAGIC + hashlib.sha256(payload).digest() + payload
    path.write_bytes(bad)
    assert _run(compile_cached(SOURCE, NAME, tmp_path)) == 42
    assert path.read_bytes() == good


def test_a_cache_that_cannot_be_written_is_not_used(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    assert _run(compile_cached(SOURCE, NAME, blocked / "cache")) == 42


def test_syntax_errors_reach_the_caller_and_write_nothing(tmp_path: Path) -> None:
    with pytest.raises(SyntaxError):
        compile_cached("def (:\n", NAME, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_play_test_with_the_cache_counts_what_one_without_counts(tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    story = load_story(MINI)
    plain = random_test(story, 300, 3, jobs)
    cold = random_test(story, 300, 3, jobs, cache_dir=tmp_path)
    assert [p.suffix for p in tmp_path.iterdir()] == [".code"]

    def not_again(*args: object) -> None:
        raise AssertionError("compiled again: the cached byte code was not used")

    monkeypatch.setattr(code_cache, "compile", not_again, raising=False)  # shadows the builtin there
    warm = random_test(story, 300, 3, jobs, cache_dir=tmp_path)
    for tally in (cold, warm):
        assert (tally.runs, tally.scenes, tally.choices, tally.endings, sorted(tally.words)) == (
            plain.runs,
            plain.scenes,
            plain.choices,
            plain.endings,
            sorted(plain.words),
        )


@pytest.mark.parametrize("runs,jobs", [(1, 2), (49, 2), (51, 2), (30_000, 2), (30_000, 4), (10_007, 3), (1_000_000, 2)])
def test_batches_cover_every_seed_once_in_order_and_shrink(runs: int, jobs: int) -> None:
    seeds = list(range(100, 100 + runs))
    batches = batches_of(seeds, jobs)
    assert [seed for batch in batches for seed in batch] == seeds
    sizes = [len(batch) for batch in batches]
    assert all(sizes) and sizes == sorted(sizes, reverse=True)
    if runs > 1000:
        # Large batches while much is left (but none over LARGEST_BATCH), small ones at the end.
        assert sizes[0] == min(runs // (jobs * 4), LARGEST_BATCH)
        assert sizes[-2] == 50 and len(batches) < 80 + runs // LARGEST_BATCH


def test_old_entries_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(code_cache, "prune", lambda folder, suffix, written: real_prune(folder, suffix, 2, written))
    for n in range(4):
        source = f"def answer():\n    return {n}\n"
        compile_cached(source, NAME, tmp_path)
        path = entry_path(tmp_path, source, NAME)
        os.utime(path, (1_000_000 + n, 1_000_000 + n))
    assert {p.name for p in tmp_path.iterdir()} == {entry_path(tmp_path, f"def answer():\n    return {n}\n", NAME).name for n in (2, 3)}
