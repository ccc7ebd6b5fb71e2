"""Loading a large story on two cores gives the very story, and the very problems, of a load
in one process; a helper that fails costs time, never a wrong story."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import shutil
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from game.format import cache, parallel, read_story
from game.format import load as loader
from game.format.files import read_files
from game.model import Problems
from game.runtime import Run
from tests.conftest import MINI

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from big_story import write_big_story  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the two-core load forks, on Linux only")


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every story with balanced files takes the two-core path; counts the helpers started."""
    monkeypatch.setattr(loader, "TWO_CORES_FROM", 0)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1})
    started: list[int] = []
    real_build = parallel.build

    def counting(*args: object, **kwargs: object) -> parallel.Built:
        started.append(1)
        return real_build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "build", counting)
    return started


def same(a: Any, b: Any, where: str = "story") -> bool:
    """Alike in every field of every record, in the same order; the first difference is printed.
    (Scenes and choices compare by identity, and the reads of an expression are a set, which a
    repr may list in another order after a pickle round trip.)"""
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            print(f"{where}: keys differ")
            return False
        return all(same(a[k], b[k], f"{where}[{k!r}]") for k in a)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and not hasattr(a, "_fields"):
        if len(a) != len(b):
            print(f"{where}: {len(a)} items against {len(b)}")
            return False
        return all(same(x, y, f"{where}[{i}]") for i, (x, y) in enumerate(zip(a, b)))
    if dataclasses.is_dataclass(a) and type(a) is type(b):
        return all(same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}") for f in dataclasses.fields(a) if f.compare)
    if a != b:
        print(f"{where}: {a!r} against {b!r}")
        return False
    return True


def alone(root: Path, cache_dir: Path | None = None) -> tuple[object, list[object]]:
    original = parallel.worth_it
    parallel.worth_it = lambda files: False  # type: ignore[assignment]
    try:
        story, problems = read_story(root, cache_dir)
    finally:
        parallel.worth_it = original  # type: ignore[assignment]
    return story, problems.sorted()


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_big_story(tmp_path_factory.mktemp("big") / "story", 600, 50)


def test_a_large_story_is_the_same_story_on_two_cores(big: Path, two_cores: list[int], tmp_path: Path) -> None:
    story, problems = read_story(big, tmp_path / "cache")
    assert two_cores == [1]
    expected, expected_problems = alone(big)
    assert same(story, expected)
    assert list(story.scenes) == list(expected.scenes)  # in file order, as one process reads them
    assert problems.sorted() == expected_problems
    # Scenes built by the helper play as those built here: their expressions were compiled
    # again in this process, and a run through them ends in the same state.
    last = list(story.scenes)[-5]
    runs = [Run.start(s, seed=3, start=last) for s in (story, expected)]
    for run in runs:
        while run.choices:
            run.choose([c for c in run.choices if c.enabled][-1].index)
    assert runs[0].state.vars == runs[1].state.vars and runs[0].scene.id == runs[1].scene.id
    assert runs[0].ended is not None
    assert runs[0].state.vars != {v.id: v.default for v in story.variables.values()}  # effects were applied

    # Its cache entry (the helper's scenes written as it pickled them) gives the story back.
    warm, warm_problems = read_story(big, tmp_path / "cache")
    assert two_cores == [1]  # no second load: it came from the cache
    assert same(warm, expected) and warm_problems.sorted() == expected_problems


def _story_with(tmp_path: Path, big: Path, edits: dict[str, str]) -> Path:
    """A copy of the big story with files replaced or added (relative path -> text)."""
    root = tmp_path / "story"
    shutil.copytree(big, root)
    for name, text in edits.items():
        (root / name).write_text(text)
    return root


SCENE = """scenes:
  {id}:
    act: one
    date: "1954-05-17"
    place: yard
    title: Added
    text: Added text.
    choices:
      - text: Onward
        goto: {goto}
        {extra}
"""


@pytest.mark.parametrize(
    "case",
    [
        "a scene defined in both halves",
        "a broken scene in the helper's half",
        "a YAML error in the helper's half",
        "the story section in the helper's half",
        "a second story section in the helper's half",
        "no story section",
        "a note and a variable section in the helper's half",
        "a scene defined in both halves and twice in the helper's",
        "three story sections, two in the helper's half",
    ],
)
def test_problems_are_the_same_on_two_cores(big: Path, tmp_path: Path, two_cores: list[int], case: str) -> None:
    story_yaml = (big / "story.yaml").read_text()
    edits = {
        "a scene defined in both halves": {"scenes/zz.yaml": SCENE.format(id="s.1", goto="s.2", extra="")},
        "a broken scene in the helper's half": {
            "scenes/zz.yaml": SCENE.format(id="added", goto="s.nowhere", extra="set: {trust: nope + 1}")
        },
        "a YAML error in the helper's half": {"scenes/zz.yaml": "scenes:\n  added: [unclosed\n"},
        "the story section in the helper's half": {"story.yaml": "sources:\n  s1: {title: Another}\n", "zz.yaml": story_yaml},
        "a second story section in the helper's half": {"zz.yaml": "story:\n  title: Again\n"},
        "no story section": {"story.yaml": "sources:\n  s1: {title: Another}\n"},
        "a note and a variable section in the helper's half": {
            "zz.yaml": "notes:\n  n9: {title: Late, kind: fact, body: Late., sources: [s0, nowhere]}\n"
            "variables:\n  late: {type: int, default: 0}\n" + SCENE.format(id="late", goto="s.2", extra="set: {late: late + 1}")
        },
        "a scene defined in both halves and twice in the helper's": {
            "scenes/zz1.yaml": SCENE.format(id="s.1", goto="s.2", extra=""),
            "scenes/zz2.yaml": SCENE.format(id="s.1", goto="s.3", extra=""),
        },
        "three story sections, two in the helper's half": {"zz1.yaml": "story:\n  title: Again\n", "zz2.yaml": "story:\n  title: Thrice\n"},
    }[case]
    root = _story_with(tmp_path, big, edits)
    story, problems = read_story(root)
    assert two_cores == [1]
    expected, expected_problems = alone(root)
    assert problems.sorted() == expected_problems  # the same problems, each with the same hint
    assert expected_problems or case == "the story section in the helper's half"  # the others have something to report
    assert same(story, expected)


def test_a_helper_that_fails_costs_time_not_the_story(big: Path, two_cores: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    def dies(conn: object, files: object) -> None:
        raise SystemExit(3)  # the forked helper ends without a word

    monkeypatch.setattr(parallel, "_help", dies)
    story, problems = read_story(big)
    assert two_cores == [1]
    expected, expected_problems = alone(big)
    assert same(story, expected) and problems.sorted() == expected_problems


@pytest.fixture
def helpers(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every helper process started, to see how it ended."""
    started: list[Any] = []
    real_start = multiprocessing.context.ForkProcess.start

    def start(process: Any) -> None:
        started.append(process)
        real_start(process)

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", start)
    return started


def test_a_helper_that_fails_while_building_costs_time_not_the_story(
    big: Path, two_cores: list[int], helpers: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from game.format.readers.builder import Builder

    main = os.getpid()
    real_build = Builder.build_scene

    def failing_in_the_helper(self: Builder, entry: Any) -> Any:
        if os.getpid() != main:
            raise MemoryError
        return real_build(self, entry)

    monkeypatch.setattr(Builder, "build_scene", failing_in_the_helper)
    story, problems = read_story(big)
    expected, expected_problems = alone(big)
    assert two_cores == [1] and same(story, expected) and problems.sorted() == expected_problems
    assert [h.exitcode for h in helpers] == [0]  # it ended on its own


def test_a_main_process_that_stops_early_does_not_leave_its_helper(
    big: Path, two_cores: list[int], helpers: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(scenes: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(parallel, "_pickled", interrupted)
    with pytest.raises(KeyboardInterrupt):
        read_story(big, Path("unused-cache"))
    # The helper saw the main process's end of the pipe close and ended, rather than being
    # killed after waiting for a reader that would never come.
    assert [h.exitcode for h in helpers] == [0]
    assert not multiprocessing.active_children()


def test_only_a_large_story_in_balanced_files_on_two_cores_forks(big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    monkeypatch.setattr(parallel, "build", lambda *args, **kwargs: started.append(1))
    read_story(big)
    read_story(MINI)
    assert not started  # 600 scenes (under 1 MB) and the mini story: less than TWO_CORES_FROM

    files = read_files(big, Problems())
    if len(parallel.os.sched_getaffinity(0)) >= 2:
        assert parallel.worth_it(files)
    one_file = write_big_story(tmp_path / "one", 600, 600)  # story.yaml and one huge file
    assert not parallel.worth_it(read_files(one_file, Problems()))
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.worth_it(files)  # a process with threads never forks
    finally:
        stop.set()
        thread.join()


def test_the_split_gives_each_process_about_half_the_bytes(big: Path) -> None:
    files = read_files(big, Problems())
    middle = parallel.split(files)
    mine = sum(len(f.raw or b"") for f in files[:middle])
    assert 0.4 <= mine / sum(len(f.raw or b"") for f in files) <= 0.6


def test_pickled_scenes_are_written_to_the_cache_as_they_are(big: Path, tmp_path: Path) -> None:
    import pickle

    story, problems = alone(big)
    scenes = list(story.scenes.values())  # type: ignore[attr-defined]
    tail = [pickle.dumps(scenes[-7:])]
    cache.store(tmp_path, "key", story, Problems(list(problems)), (7, tail))  # type: ignore[arg-type]
    fetched = cache.fetch(tmp_path, "key")
    assert fetched is not None and same(fetched[0], story)


def test_a_large_load_goes_to_the_oldest_generation_and_nothing_stays_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    monkeypatch.setattr(loader, "OLD_AFTER", 0)  # the mini story counts as large
    gc.collect()
    story, _ = read_story(MINI)
    assert gc.get_freeze_count() == 0
    assert any(o is story.scenes for o in gc.get_objects(generation=2))
