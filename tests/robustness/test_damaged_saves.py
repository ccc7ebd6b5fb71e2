"""Damaged, foreign and hostile save files: refused in one line naming the file, never changed.

tests/saves/test_saves.py has the everyday refusals (empty, not JSON, wrong format, every
7th truncation); here is every truncation, flipped bytes, JSON that Python cannot read, values
of every wrong type in every field, saves from other or edited stories, and Continue.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.format import load_story
from game.model import Story
from game.runtime import Run
from game.saves import SaveError, SaveStore, restore
from tests.conftest import MINI, FixedClock

LOOP = Path(__file__).parents[1] / "data" / "loop"


def played(story: Story) -> Run:
    run = Run.start(story, seed=5, clock=FixedClock())
    for index in (0, 1, 0):  # gain trust, marry, join tech: now in b.mid
        run.choose(index)
    return run


class Folder:
    """A save folder with two good saves and one victim that a test damages."""

    def __init__(self, root: Path, story: Story):
        self.story = story
        self.store = SaveStore(root, clock=FixedClock())
        self.good = self.store.save(Run.start(story, seed=1), "good")
        self.auto = self.store.autosave(played(story))
        self.victim = self.store.save(played(story), "victim")
        self.whole = self.victim.read_bytes()

    def refused(self, content: bytes) -> str:
        """Write `content` as the victim, check it is refused properly, return the message."""
        self.victim.write_bytes(content)
        stamp = self.victim.stat().st_mtime_ns
        with pytest.raises(SaveError) as info:
            self.store.load("victim", self.story)
        message = str(info.value)
        assert message.startswith(f"{self.victim}:"), "the message names the file first"
        assert "\n" not in message and len(message) < 400, "one readable line"
        assert self.victim.read_bytes() == content and self.victim.stat().st_mtime_ns == stamp, "never rewritten"
        return message

    def others_still_load(self) -> None:
        assert self.store.load("good", self.story).seed == 1
        assert self.store.load_path(self.auto, self.story).scene.id == "b.mid"
        assert self.store.latest(self.story) is not None


@pytest.fixture
def folder(tmp_path: Path, mini: Story) -> Folder:
    return Folder(tmp_path / "saves", mini)


def test_truncated_at_every_byte_is_refused_and_left_alone(folder: Folder) -> None:
    assert len(folder.whole) > 1000
    for cut in range(len(folder.whole)):
        folder.refused(folder.whole[:cut])
    folder.others_still_load()
    assert "victim" not in {i.slot for i in folder.store.list()}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_flipped_bytes_are_refused_or_give_a_run_that_saves_again(folder: Folder, data: st.DataObject) -> None:
    raw = bytearray(folder.whole)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] ^= data.draw(st.integers(1, 255))
    content = bytes(raw)
    folder.victim.write_bytes(content)
    try:
        run = folder.store.load("victim", folder.story)
    except SaveError:
        folder.refused(content)  # checks the message and that the file is untouched
    else:
        # A flip inside a title or a time still parses: the run must then be whole.
        again = restore(folder.story, json.loads(json.dumps(run.to_dict())))
        assert again.state.to_dict() == run.state.to_dict()
        assert folder.victim.read_bytes() == content
    folder.others_still_load()


def _document(folder: Folder) -> dict[str, Any]:
    return json.loads(folder.whole)


@pytest.mark.parametrize("version", [0, 2, "1", None, 1.5, [1]])
def test_another_version_is_refused_saying_so(folder: Folder, version: Any) -> None:
    document = _document(folder)
    document["version"] = version
    assert "another version of the game" in folder.refused(json.dumps(document).encode())
    folder.others_still_load()


@pytest.mark.parametrize(
    "content, says",
    [
        (b"", "damaged save"),
        (b"scenes:\n  a: {title: x}\n", "damaged save"),  # a story file, not a save
        (bytes(range(256)) * 4, "not UTF-8"),
        (b"\x00" * 64, "damaged save"),
        (b"[" * 200_000, "nested too deeply"),
        (b'{"format": "kengir-save", "version": ' + b"9" * 5000 + b"}", "number is too long"),
        (b'{"format": "kengir-save", "version": 1, "run": []}', "the run is missing"),
        (b'"kengir-save"', "not a Kengir save"),
        (b"NaN", "not a Kengir save"),
        (b"\xef\xbb\xbf{}", "damaged save"),  # a BOM, as Notepad writes
    ],
    ids=["empty", "yaml", "binary", "nul", "deep", "long-number", "run-not-object", "string", "nan", "bom"],
)
def test_not_a_save_at_all_is_refused(folder: Folder, content: bytes, says: str) -> None:
    assert says in folder.refused(content)
    folder.others_still_load()


def test_a_huge_file_is_refused_without_reading_it(folder: Folder) -> None:
    assert "too large" in folder.refused(b" " * (5 * 1024 * 1024))
    folder.others_still_load()


def test_a_folder_named_like_a_save_is_refused(folder: Folder) -> None:
    folder.victim.unlink()
    folder.victim.mkdir()
    with pytest.raises(SaveError, match="victim.json: cannot read it"):
        folder.store.load("victim", folder.story)
    folder.others_still_load()
    assert folder.store.autosave(played(folder.story)).exists()


# Values of the wrong kind in each field of a save. Each must be refused as SaveError, or
# give a run that can be saved again; nothing else may escape (these found five crashes).
HOSTILE_VALUES = [
    None,
    True,
    -1,
    2**80,
    1e400,
    -1e400,
    "",
    "x\ny",
    "1e400",
    [],
    [1],
    {},
    {"a": 1},
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "a.start",
    "woman",
    "full",
]
RUN_FIELDS = ["seed", "perspective", "intensity", "start", "overrides", "allow_undo", "log", "story", "state"]
LOG_FIELDS = ["scene", "choice", "text", "at"]


def _load_or_refuse(folder: Folder, document: Any) -> None:
    content = json.dumps(document).encode()
    folder.victim.write_bytes(content)
    try:
        run = folder.store.load("victim", folder.story)
    except SaveError:
        folder.refused(content)
        return
    folder.store.save(run, "resaved")  # a run that loaded can be saved again
    assert folder.store.load("resaved", folder.story).state.to_dict() == run.state.to_dict()
    # The load screen lists every readable file, whatever its summary holds.
    assert {"good", "victim"} <= {i.slot for i in folder.store.list()}


@pytest.mark.parametrize("field", RUN_FIELDS)
def test_hostile_values_in_the_run(folder: Folder, field: str) -> None:
    for value in HOSTILE_VALUES:
        document = _document(folder)
        document["run"][field] = value
        _load_or_refuse(folder, document)
    folder.others_still_load()


@pytest.mark.parametrize("field", LOG_FIELDS)
def test_hostile_values_in_the_log(folder: Folder, field: str) -> None:
    for value in HOSTILE_VALUES:
        document = _document(folder)
        document["run"]["log"][1][field] = value
        _load_or_refuse(folder, document)
    folder.others_still_load()


@pytest.mark.parametrize("field", ["summary", "saved_at", "slot", "auto"])
def test_hostile_values_in_the_summary(folder: Folder, field: str) -> None:
    for value in HOSTILE_VALUES:
        document = _document(folder)
        document[field] = value
        _load_or_refuse(folder, document)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_value_anywhere_is_refused_or_loads(folder: Folder, data: st.DataObject) -> None:
    document = _document(folder)
    paths = [p for p in _paths(document) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        target = document
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = data.draw(JSON)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement removed this place
    _load_or_refuse(folder, document)
    assert folder.store.load("good", folder.story).seed == 1


# ------------------------------------------------------------ other and edited stories


def test_a_save_from_another_story_is_refused_saying_where(folder: Folder, tmp_path: Path) -> None:
    loop = load_story(LOOP)
    other = Run.start(loop, seed=2)
    other.choose(0)
    SaveStore(folder.store.folder).save(other, "victim")
    message = folder.refused(folder.victim.read_bytes())
    assert "choice 1 of the log was made in scene 'loop.yard'" in message
    assert "story has changed" in message
    folder.others_still_load()


def test_a_save_from_another_story_with_a_perspective_this_one_lacks(folder: Folder) -> None:
    document = _document(folder)
    document["run"]["perspective"] = "political"
    document["run"]["story"]["fingerprint"] = "0123456789abcdef"
    message = folder.refused(json.dumps(document).encode())
    assert "no perspective 'political'" in message and "story has changed" in message


def test_a_save_whose_log_still_fits_an_edited_story_loads(folder: Folder, tmp_path: Path) -> None:
    edited = tmp_path / "edited"
    shutil.copytree(MINI, edited)
    story_file = edited / "story.yaml"
    story_file.write_text(story_file.read_text().replace("title: Middle", "title: The middle"))
    story = load_story(edited)
    assert story.fingerprint != folder.story.fingerprint
    run = folder.store.load("victim", story)
    assert run.state.to_dict() == played(folder.story).state.to_dict()
    assert run.scene.title == "The middle"


def _edit(tmp_path: Path, *replacements: tuple[str, str]) -> Story:
    edited = tmp_path / "edited"
    shutil.copytree(MINI, edited)
    story_file = edited / "story.yaml"
    text = story_file.read_text()
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    story_file.write_text(text)
    return load_story(edited)


MARRY = """      - text: Marry
        if: trust >= 2 and not married
        goto: a.start
        set: {married: true}
"""
JOIN = """      - text: Join tech
        goto: b.mid
        set: {dept: tech, dice: roll(6)}
"""


@pytest.mark.parametrize(
    "edits, step, says, furthest",
    [
        pytest.param([(MARRY, "")], 2, "scene 'a.start' no longer offers the choice 'Marry'", "a.start", id="choice-removed"),
        pytest.param(
            [("trust >= 2 and not married", "trust > 5 and not married")],
            2,
            "scene 'a.start' no longer offers the choice 'Marry'",
            "a.start",
            id="condition-changed",
        ),
        pytest.param(
            [("once: true", "once: true\n        if: married")],
            1,
            "scene 'a.start' no longer offers the choice 'Gain trust'",
            "a.start",
            id="condition-added",
        ),
        pytest.param(
            [("start: a.start\n  acts", "start: a.begin\n  acts"), ("a.start", "a.begin")],
            1,
            "was made in scene 'a.start', but replaying reaches 'a.begin'",
            "a.begin",
            id="scene-renamed",
        ),
        pytest.param(
            [("goto: b.mid\n        set: {dept", "goto: c.bad\n        set: {dept")],
            None,
            "",
            "c.bad",
            id="goto-changed-at-the-last-choice",
        ),
    ],
)
def test_a_save_from_an_edited_story_says_where_it_diverged(
    folder: Folder, tmp_path: Path, edits: list[tuple[str, str]], step: int | None, says: str, furthest: str
) -> None:
    story = _edit(tmp_path, *edits)
    if step is None:  # the log still fits; the run simply ends up elsewhere
        assert folder.store.load("victim", story).scene.id == furthest
        return
    with pytest.raises(SaveError) as info:
        folder.store.load("victim", story)
    message = str(info.value)
    assert f"choice {step} of the log" in message and says in message, message
    assert "story has changed" in message and str(folder.victim) in message
    replay = info.value.replay  # type: ignore[attr-defined]
    assert replay.step == step - 1
    assert replay.run.scene.id == furthest and len(replay.run.log) == step - 1
    # The furthest consistent point is a real run: the player can go on from it.
    assert replay.run.choices and not replay.run.stuck
    assert folder.victim.read_bytes() == folder.whole


def test_a_choice_removed_above_is_not_blamed_on_its_neighbours(folder: Folder, tmp_path: Path) -> None:
    # 'Join tech' (step 3) is removed; 'Marry' (step 2) moved up a place but is still there.
    story = _edit(tmp_path, (JOIN, ""))
    with pytest.raises(SaveError) as info:
        folder.store.load("victim", story)
    assert "choice 3 of the log" in str(info.value) and "'Join tech'" in str(info.value)


def test_a_choice_inserted_above_still_finds_the_choice_taken(folder: Folder, tmp_path: Path) -> None:
    # Replay matches a logged choice by its words when its place has changed.
    story = _edit(
        tmp_path,
        ("    choices:\n      - text: Gain trust", "    choices:\n      - text: Pray\n        goto: c.bad\n      - text: Gain trust"),
    )
    loaded = folder.store.load("victim", story)
    original = folder.store.load("victim", folder.story)
    assert loaded.scene.id == original.scene.id == "b.mid"
    assert [e.text for e in loaded.log] == [e.text for e in original.log]


# ------------------------------------------------------------ Continue


def _break(path: Path, how: str, loop: Story) -> None:
    whole = path.read_bytes()
    if how == "truncated":
        path.write_bytes(whole[: len(whole) // 2])
    elif how == "garbage":
        path.write_bytes(os.urandom(300))
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "version":
        path.write_bytes(whole.replace(b'"version": 1', b'"version": 7', 1))
    elif how == "other-story":
        other = Run.start(loop, seed=9)
        other.choose(0)
        document = json.loads(whole)
        document["run"] = other.to_dict()
        path.write_text(json.dumps(document), encoding="utf-8")
    elif how == "folder":
        path.unlink()
        path.mkdir()


BREAKS = ["truncated", "garbage", "empty", "version", "other-story", "folder"]


@pytest.mark.parametrize("broken", [1, 3, 6, 9])
def test_continue_takes_the_newest_good_autosave(tmp_path: Path, mini: Story, broken: int) -> None:
    loop = load_story(LOOP)
    store = SaveStore(tmp_path, clock=FixedClock())
    seeds = {}
    for seed in range(1, 5 + broken):  # four good ones under the broken ones, or as many as are kept
        run = Run.start(mini, seed=seed, clock=FixedClock())
        run.choose(0)
        seeds[store.autosave(run)] = seed
    autos = sorted(tmp_path.glob("autosave-*.json"))
    assert len(autos) == min(4 + broken, 10)
    for i, path in enumerate(autos[-broken:]):
        _break(path, BREAKS[i % len(BREAKS)], loop)
    newest_good = autos[-broken - 1]
    before = {p: (p.stat().st_mtime_ns, p.read_bytes() if p.is_file() else None) for p in autos}
    resumed = store.latest(mini)
    assert resumed is not None and resumed.seed == seeds[newest_good] and len(resumed.log) == 1
    assert {p: (p.stat().st_mtime_ns, p.read_bytes() if p.is_file() else None) for p in autos} == before
    # The next autosave never reuses a broken file's number, and rotation keeps ten.
    for _ in range(12):
        new = store.autosave(resumed)
    assert new.name == f"autosave-{4 + broken + 12:06d}.json"
    # Rotation removes files only: a folder named like an autosave is left where it is.
    assert len([p for p in tmp_path.glob("autosave-*.json") if p.is_file()]) == 10
    again = store.latest(mini)
    assert again is not None and again.seed == resumed.seed


def test_continue_with_every_autosave_broken_gives_nothing(tmp_path: Path, mini: Story) -> None:
    loop = load_story(LOOP)
    store = SaveStore(tmp_path)
    for how in BREAKS:
        _break(store.autosave(Run.start(mini)), how, loop)
    assert store.latest(mini) is None
    assert len(list(tmp_path.glob("autosave-*.json"))) == len(BREAKS)
