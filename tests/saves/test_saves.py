"""Saves: round trips by replay, atomic writes, refusals that name the file, slot names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from game.format import load_story
from game.model import Story
from game.runtime import Run
from game.saves import SaveError, SaveStore, restore
from tests.conftest import MINI, FixedClock


def played(story: Story, clock: FixedClock) -> Run:
    run = Run.start(story, seed=5, clock=clock)
    run.choose(0)  # gain trust (once-only)
    run.choose(1)  # marry
    return run


def test_round_trip_replays_to_the_same_state(mini: Story, tmp_path: Path, clock: FixedClock) -> None:
    store = SaveStore(tmp_path, clock=clock)
    run = played(mini, clock)
    store.save(run, "before the yard")
    loaded = store.load("before the yard", mini)
    assert loaded.state.to_dict() == run.state.to_dict()
    assert [e.to_dict() for e in loaded.log] == [e.to_dict() for e in run.log]  # times kept
    assert loaded.text == run.text


def test_to_dict_is_plain_json(mini: Story, clock: FixedClock) -> None:
    run = played(mini, clock)
    data = json.loads(json.dumps(run.to_dict()))
    assert restore(mini, data).state.to_dict() == run.state.to_dict()


def test_list_shows_what_the_load_screen_needs(mini: Story, tmp_path: Path, clock: FixedClock) -> None:
    store = SaveStore(tmp_path, clock=clock)
    store.save(played(mini, clock), "slot one")
    [info] = store.list()
    assert (info.slot, info.title, info.date, info.auto) == ("slot one", "Start", "1954-05-16", False)


def test_autosaves_rotate_and_latest_skips_a_broken_newest(mini: Story, tmp_path: Path, clock: FixedClock) -> None:
    store = SaveStore(tmp_path, clock=clock)
    run = Run.start(mini, clock=clock)
    for _ in range(14):
        store.autosave(run)
    autos = sorted(p.name for p in tmp_path.glob("autosave-*.json"))
    assert len(autos) == 10 and autos[-1] == "autosave-000014.json"
    run.choose(0)
    good = store.autosave(run)  # 15: the newest good one
    newest = store.autosave(run)
    newest.write_text('{"format": "kengir-save", "vers')  # broken, as after a crash of an old build
    resumed = store.latest(mini)
    assert resumed is not None and resumed.state.to_dict() == run.state.to_dict()
    assert newest.read_text() == '{"format": "kengir-save", "vers'  # never overwritten
    assert good.exists()


def test_continuable_is_a_session_that_can_go_on_and_of_the_assignment_given(mini: Story, tmp_path: Path, clock: FixedClock) -> None:
    from game.format import load_assignment
    from tests.conftest import FIXTURES

    store = SaveStore(tmp_path, clock=clock)
    assert store.continuable(mini) is None  # nothing saved yet
    assignment = load_assignment(FIXTURES / "mini_assignment.yaml", mini)
    run = Run.start(mini, seed=3, perspective="woman", assignment=assignment, student="Ana", clock=clock)
    store.autosave(run)
    assert store.continuable(mini) is not None
    assert store.continuable(mini, "act_one") is not None
    assert store.continuable(mini, "another_assignment") is None, "a session of another assignment is not continued"
    run.answer("assignment.1", "Because the yard was open.")
    run.choose([c.text for c in run.choices].index("Join tech"))  # act one ends: the assigned part is over
    assert run.finished and not run.ended
    store.autosave(run)
    assert store.latest(mini) is not None and store.continuable(mini) is None
    ended = Run.start(mini, clock=clock)
    ended.choose(1)
    ended.choose(0)
    assert ended.ended is not None
    store.autosave(ended)
    assert store.latest(mini) is not None and store.continuable(mini) is None, "a run at its ending is not continued"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "damaged save"),
        (b"not json at all", "damaged save"),
        (b"\xff\xfe\x00binary", "not UTF-8"),
        (b"[1, 2, 3]", "not a Kengir save"),
        (b'{"format": "kengir-save", "version": 99, "run": {}}', "another version"),
        (b'{"format": "kengir-save", "version": 1, "run": {"format": "kengir-run"}}', "run is missing"),
    ],
)
def test_bad_saves_are_refused_naming_the_file_and_left_alone(mini: Story, tmp_path: Path, content: bytes, message: str) -> None:
    store = SaveStore(tmp_path)
    store.save(Run.start(mini), "good")
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with pytest.raises(SaveError, match=message) as info:
        store.load("bad", mini)
    assert "bad.json" in str(info.value) and "\n" not in str(info.value)
    assert bad.read_bytes() == content
    assert store.load("good", mini).scene.id == "a.start"
    assert [i.slot for i in store.list()] == ["good"]


def test_truncated_at_every_byte_is_refused(mini: Story, tmp_path: Path, clock: FixedClock) -> None:
    store = SaveStore(tmp_path, clock=clock)
    path = store.save(played(mini, clock), "whole")
    whole = path.read_bytes()
    for cut in range(0, len(whole) - 1, 7):
        path.write_bytes(whole[:cut])
        with pytest.raises(SaveError):
            store.load("whole", mini)


def test_a_save_from_an_edited_story_says_where_it_diverged(mini: Story, tmp_path: Path, clock: FixedClock) -> None:
    store = SaveStore(tmp_path / "saves", clock=clock)
    store.save(played(mini, clock), "old")
    edited_dir = tmp_path / "edited"
    shutil.copytree(MINI, edited_dir)
    story_file = edited_dir / "story.yaml"
    # The writer removes the "Marry" choice.
    text = story_file.read_text()
    start = text.index("      - text: Marry")
    end = text.index("      - text: Locked")
    story_file.write_text(text[:start] + text[end:])
    edited = load_story(edited_dir)
    assert edited.fingerprint != mini.fingerprint
    with pytest.raises(SaveError) as info:
        store.load("old", edited)
    message = str(info.value)
    assert "choice 2 of the log" in message and "'Marry'" in message and "story has changed" in message
    furthest = info.value.replay.run  # type: ignore[attr-defined]
    assert furthest.scene.id == "a.start" and len(furthest.log) == 1


@pytest.mark.parametrize(
    "name", ["../escape", "/etc/passwd", "a\0b", "x" * 49, "CON", "nul", "autosave-000001", "", " lead", "dots..", "a/b"]
)
def test_slot_names_cannot_escape_the_folder(mini: Story, tmp_path: Path, name: str) -> None:
    store = SaveStore(tmp_path / "saves")
    with pytest.raises(SaveError):
        store.save(Run.start(mini), name)
    assert not any(tmp_path.rglob("*.json"))


def test_write_is_atomic_leaving_no_temporary_files(mini: Story, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    for _ in range(3):
        store.save(Run.start(mini), "same")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["same.json"]


def test_a_save_whose_set_values_name_a_variable_since_dropped_still_loads(mini: Story, clock: FixedClock) -> None:
    """A writer played with --set trust=2 and a variable the story has since lost: the dropped
    one can change nothing, so the save loads with the rest (it was refused whole, and
    --continue passed over it without a word)."""
    run = Run.start(mini, seed=5, clock=clock, variables={"trust": 2})
    run.choose(0)
    data = run.to_dict()
    data["overrides"] = {**data["overrides"], "resolve_dropped": 4}
    loaded = restore(mini, data, clock=clock)
    assert loaded.state.to_dict() == run.state.to_dict()
    assert loaded.to_dict()["overrides"] == {"trust": 2}
