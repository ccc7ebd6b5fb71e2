"""kill -9 at random moments while saving: every save on disk stays whole, old or new.

A child process (forked, so that it starts in milliseconds rather than the 160 ms of a new
interpreter) saves runs of growing length into one named slot and into rotating autosaves,
announcing each write on a pipe before it starts ("S") and after it is done ("D"). The test
SIGKILLs it 0-30 ms after it is ready, then checks that each file on disk loads and holds
either what was last announced done or what was in flight.

This checks crashes of the process; the page cache survives them. Power loss is what the
fsyncs in write_atomic are for, and no test here can pull the plug.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from game.format import load_story
from game.model import Story
from game.runtime import Run
from game.saves import AUTOSAVE_PREFIX, AUTOSAVES_KEPT, SaveStore

LOOP = Path(__file__).parents[1] / "data" / "loop"
KILLS = 220

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")


def _saving_child(story: Story, folder: Path, seed: int, out: int) -> None:
    """Save ever longer runs until killed. Never returns."""
    try:
        store = SaveStore(folder)
        run = Run.start(story, seed=seed)
        os.write(out, b"R\n")
        n = 0
        while True:
            run.choose(0)  # another lap: the run, and the save, grow by one choice
            n += 1
            os.write(out, f"S same {seed} {n}\n".encode())
            store.save(run, "same")
            os.write(out, f"D same {seed} {n}\n".encode())
            os.write(out, f"S auto {seed} {n}\n".encode())
            path = store.autosave(run)
            os.write(out, f"D {path.stem} {seed} {n}\n".encode())
    except BaseException:  # pragma: no cover - only if saving itself breaks
        os._exit(3)
    os._exit(0)  # pragma: no cover


def _kill_one(story: Story, folder: Path, seed: int, rng: random.Random) -> list[str]:
    """Fork a saving child, kill it at a random moment, and return the lines it announced."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_end)
        _saving_child(story, folder, seed, write_end)
    os.close(write_end)
    received = b""
    while b"R\n" not in received:
        chunk = os.read(read_end, 65536)
        assert chunk, "the saving child died before it was ready"
        received += chunk
    time.sleep(rng.uniform(0, 0.030))
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, "the child stopped by itself"
    while chunk := os.read(read_end, 65536):
        received += chunk
    os.close(read_end)
    return received.decode().splitlines()[1:]


def test_kill_9_while_saving_never_loses_or_breaks_a_save(tmp_path: Path) -> None:
    story = load_story(LOOP)
    folder = tmp_path / "saves"
    store = SaveStore(folder)
    rng = random.Random(20240517)
    done: dict[str, tuple[int, int]] = {}  # file stem -> (seed, length) last written whole
    mid_write = 0
    autosaves_before = 0
    started = time.monotonic()
    for seed in range(1, KILLS + 1):
        lines = _kill_one(story, folder, seed, rng)
        in_flight: dict[str, tuple[int, int]] = {}
        for line in lines:
            kind, slot, s, n = line.split()
            if kind == "S":
                in_flight[slot] = (int(s), int(n))
            else:
                done[slot] = (int(s), int(n))
                in_flight.pop("same" if slot == "same" else "auto", None)
        mid_write += bool(in_flight)

        on_disk = {p.stem: p for p in folder.glob("*.json")}
        for stem, path in on_disk.items():
            run = store.load_path(path, story)  # raises if the file is not whole
            content = (run.seed, len(run.log))
            assert run.state.vars["laps"] == len(run.log)
            if stem == "same":
                allowed = {done.get("same"), in_flight.get("same")}
            elif stem in done:
                allowed = {done[stem]}
            else:  # an autosave whose "done" never reached the pipe
                allowed = {in_flight.get("auto")}
            assert content in allowed, f"kill {seed}: {stem} holds {content}, expected one of {allowed}"
            done[stem] = content  # a write cut off after its rename is now the previous content
        if "same" in done:
            assert "same" in on_disk, f"kill {seed}: the named save vanished"
        autos = sorted(s for s in done if s.startswith(AUTOSAVE_PREFIX))
        for stem in autos[-AUTOSAVES_KEPT:]:
            assert stem in on_disk, f"kill {seed}: {stem} was lost though it is among the newest"
        # A kill between writing an autosave and rotating leaves one extra; the next whole
        # autosave trims them again.
        count = len([s for s in on_disk if s.startswith(AUTOSAVE_PREFIX)])
        finished_one = any(line.startswith(f"D {AUTOSAVE_PREFIX}") for line in lines)
        assert count <= (AUTOSAVES_KEPT + 1 if finished_one else max(autosaves_before + 1, AUTOSAVES_KEPT + 1))
        autosaves_before = count
        # The load screen lists exactly the saves, every one readable, and no temporary file.
        assert sorted(i.slot for i in store.list()) == sorted(on_disk)
        assert all(i.path.suffix == ".json" and i.path.parent == folder for i in store.list())

    elapsed = time.monotonic() - started
    # The test means something only if many kills landed inside a write.
    assert mid_write >= KILLS // 2, f"only {mid_write} of {KILLS} kills landed while a save was being written"
    assert store.latest(story) is not None

    # Killed writes leave temporary files (hidden, so list() never shows them); once they are
    # old enough that no write can still be using them, the next save sweeps them away.
    temporaries = list(folder.glob(".*.tmp"))
    assert temporaries, "expected some killed writes to have left a temporary file"
    long_ago = time.time() - 3600
    for temp in temporaries:
        os.utime(temp, (long_ago, long_ago))
    fresh = folder / ".same.json.inflight.tmp"  # a write under way right now: left alone
    fresh.write_text("{")
    store.save(Run.start(story), "after")
    assert list(folder.glob(".*.tmp")) == [fresh]
    print(f"{KILLS} kills, {mid_write} mid-write, {len(temporaries)} temporaries swept, {elapsed:.1f}s")
