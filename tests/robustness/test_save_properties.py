"""Property tests for saves: any slot name stays inside the folder; any run round-trips exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.model import Story
from game.runtime import Run, RunError
from game.saves import SaveError, SaveStore, restore
from tests.conftest import FixedClock

NAMES = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.sampled_from("./\\:\0 ~-_aA1%$*?<>|\"'\n"), max_size=12),
    st.sampled_from(["..", ".", "../x", "..\\x", "/tmp/x", "C:\\x", "~/x", "x/../../y", "a" * 300, "CON", "lpt1", "autosave-1x"]),
)
SETTINGS = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def sandbox(tmp_path: Path) -> tuple[Path, Path]:
    """A save folder inside an outer folder holding a file that must never be touched."""
    outer = tmp_path / "outer"
    outer.mkdir()
    (outer / "keep.json").write_text("{}")
    return outer, outer / "saves"


@SETTINGS
@given(name=NAMES)
def test_any_slot_name_is_refused_or_lands_directly_in_the_folder(sandbox: tuple[Path, Path], mini: Story, name: str) -> None:
    outer, folder = sandbox
    store = SaveStore(folder)
    run = Run.start(mini)
    try:
        path = store.save(run, name)
    except SaveError as err:
        assert "\n" not in str(err).replace(name, "") and str(err)
    else:
        assert path.parent == folder and path.resolve().parent == folder.resolve()
        assert path.is_file() and path.name == f"{name}.json"
        assert store.load(name, mini).scene.id == run.scene.id
        store.delete(name)
    # Whatever the name, reading and deleting by it never reach outside the folder either.
    for action in (lambda: store.load(name, mini), lambda: store.delete(name)):
        try:
            action()
        except SaveError:
            pass
    assert sorted(p.relative_to(outer).as_posix() for p in outer.rglob("*")) in (["keep.json"], ["keep.json", "saves"])
    assert (outer / "keep.json").read_text() == "{}"


def test_reserved_and_autosave_names_are_refused(sandbox: tuple[Path, Path], mini: Story) -> None:
    _, folder = sandbox
    store = SaveStore(folder)
    for name in ("CON", "con", "Nul", "COM1", "lpt9", "autosave-000001", "AUTOSAVE-1", "autosave-x"):
        with pytest.raises(SaveError, match="reserved"):
            store.save(Run.start(mini), name)


# ------------------------------------------------------------ round trips


@st.composite
def walks(draw: st.DrawFn) -> tuple[dict[str, object], list[int | None]]:
    """How a run starts, and a sequence of moves: a choice's place, or None for undo."""
    start = {
        "seed": draw(st.integers(-(2**40), 2**40)),
        "perspective": draw(st.sampled_from([None, "woman", "thief"])),
        "intensity": draw(st.sampled_from(["full", "summary"])),
        "variables": draw(st.sampled_from([None, {"trust": 0}, {"trust": 3, "married": True}, {"dept": "tech"}])),
    }
    moves = draw(st.lists(st.one_of(st.none(), st.integers(0, 3)), max_size=30))
    return start, moves


@SETTINGS
@given(walk=walks())
def test_random_walks_survive_json_and_replay_exactly(mini: Story, tmp_path: Path, walk: tuple[dict, list]) -> None:  # type: ignore[type-arg]
    start, moves = walk
    run = Run.start(mini, clock=FixedClock(), **start)
    for move in moves:
        if move is None:
            if run.can_undo:
                run.undo()
        elif run.choices:
            enabled = [v for v in run.choices if v.enabled]
            if enabled:
                run.take(enabled[move % len(enabled)])
        else:
            with pytest.raises(RunError):
                run.choose(move)
    data = run.to_dict()
    text = json.dumps(data)
    assert json.loads(text) == data, "to_dict gives plain JSON"
    again = restore(mini, json.loads(text), clock=FixedClock())
    assert again.to_dict() == data  # state, log (with times), and how it began
    assert (again.scene.id, again.text, again.choices) == (run.scene.id, run.text, run.choices)
    assert (again.ended, again.perspective, again.can_undo) == (run.ended, run.perspective, run.can_undo)
    # Undo after loading goes back exactly as it would have in the original run.
    while again.can_undo and run.can_undo:
        again.undo()
        run.undo()
        assert again.state.to_dict() == run.state.to_dict() and again.log == run.log
    # And through a real save file.
    store = SaveStore(tmp_path / "rt", clock=FixedClock())
    store.save(again, "trip")
    assert store.load("trip", mini).to_dict() == again.to_dict()
