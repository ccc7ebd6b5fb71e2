"""Loads a large story on two cores: a forked helper reads the later files and builds their scenes.

Reading YAML and building scenes is nearly all of a large cold load, and each file can be
parsed on its own; but a scene can only be built once every scene id and the story's frame
(acts, variables, ...) are known. So the work goes in two rounds, the helper taking the later
files:

1. Each process parses its files. The helper sends the main process what it found in each
   file, all but its scenes' data: the story section and other entries, the scene ids with
   their positions, the problems of reading the file. The main process joins them file by
   file, as if it had read every file itself (of two entries of one id, wherever they are,
   the later is refused and its hint names the first), and reads the frame.
2. The main process sends the frame and every id back; each process builds its own scenes.
   The helper sends its scenes pickled, in the cache's pieces: the main process unpickles
   them and writes the very same bytes into the cache.

The result is the story a one-process load builds, scene for scene, with the same problems
(tests/format/test_parallel_load.py compares them). If the helper cannot start or fails in any
way, the main process loads the story alone; if the main process stops, the helper sees its
pipe close and ends. Only a large story is worth it (a fork and the hand-over cost
a few milliseconds), and only a process with no other threads forks (a thread holding a lock
at the fork would leave the helper stuck on it).
"""

from __future__ import annotations

import os
import pickle
import queue
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.format.cache import SCENES_PER_PICKLE
from game.format.files import StoryFile
from game.format.gather import Entry, Gathered, add_entry, add_story, gather, worth_building
from game.format.readers.builder import Builder, consume
from game.format.yaml_data import YMap
from game.model import Pos, Problem, Problems, Scene, Story

# The main process's share of the bytes: it also reads the files, unpickles the helper's
# scenes and writes the cache, so the helper takes the larger share.
MAIN_SHARE = 0.45


def worth_it(files: list[StoryFile]) -> bool:
    """Whether loading `files` (a large story: load.TWO_CORES_FROM) on two cores will be
    quicker, and forking is safe here."""
    size = sum(len(f.raw) for f in files if f.raw is not None)
    if not size or not sys.platform.startswith("linux") or threading.active_count() > 1:
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cores < 2:
        return False
    # One huge file (or a few) cannot be shared out evenly: then one process does it all.
    mine = sum(len(f.raw) for f in files[: split(files)] if f.raw is not None)
    return 0.3 <= mine / size <= 0.7


@dataclass
class Built:
    """A story built on two cores, and its scenes pickled in the cache's pieces (None when not
    asked for, or they could not be pickled)."""

    story: Story | None
    pieces: list[bytes] | None


@dataclass
class _FileFound:
    """What the helper found in one of its files (its scenes' data left out), for the main
    process to join file by file, as if it had read the file itself."""

    name: str
    problems: list[Problem]  # reading the file on its own: YAML, sections, ids
    story: YMap | None
    story_at: Pos | None
    entries: dict[str, list[Entry]]  # by section, in order; scene entries without their data


class HelperFailed(Exception):
    """The helper process did not do its part; the caller loads the story alone."""


def split(files: list[StoryFile]) -> int:
    """How many of the files the main process reads (the rest go to the helper): the first
    ones, up to its share of the bytes."""
    total = sum(len(f.raw) for f in files if f.raw is not None)
    taken = 0
    for index, file in enumerate(files):
        size = len(file.raw or b"")
        if taken + size / 2 > total * MAIN_SHARE:
            return index
        taken += size
    return len(files)


def build(root: Path, files: list[StoryFile], key: str, problems: Problems, for_cache: bool) -> Built:
    """Build the story in `files` on two cores (see the module's comment); HelperFailed if the
    helper cannot be started or fails, with `problems` then incomplete. `for_cache`: pickle
    every scene for the cache (the main process pickles its own while it waits for the helper's)."""
    import multiprocessing

    middle = split(files)
    mine, theirs = files[:middle], files[middle:]
    for stream in (sys.stdout, sys.stderr):  # else the helper would write out our buffered output again
        if stream is not None and not stream.closed:
            stream.flush()
    try:
        context = multiprocessing.get_context("fork")
        here, there = context.Pipe()
        helper = context.Process(target=_help, args=(here, there, theirs), daemon=True)
        helper.start()
    except (OSError, AssertionError, ValueError) as exc:  # no fork here (out of memory, a daemon process)
        raise HelperFailed(str(exc)) from None
    there.close()
    for file in theirs:
        file.raw = None  # the helper has its own copy
    try:
        return _main_part(here, root, mine, key, problems, for_cache)
    except (EOFError, OSError, pickle.UnpicklingError) as exc:  # the helper ended early
        raise HelperFailed(str(exc)) from None
    finally:
        here.close()  # a helper still at work then fails to send, and ends
        helper.join(5)
        if helper.is_alive():  # pragma: no cover - a helper stuck in its own work
            helper.kill()
            helper.join()


def _main_part(conn: Any, root: Path, files: list[StoryFile], key: str, problems: Problems, for_cache: bool) -> Built:
    gathered = gather(files, problems)
    own_scenes = list(gathered.sections["scenes"].values())
    found = conn.recv()
    if not isinstance(found, list) or not all(isinstance(f, _FileFound) for f in found):
        raise HelperFailed("unexpected reply")
    helper_scenes = _join(gathered, found, problems)
    builder = Builder(gathered, problems)
    if not worth_building(problems) or not builder.build_frame():
        conn.send(None)
        return Built(None, None)
    conn.send((builder.frame(), dict.fromkeys(builder.scene_ids), dict.fromkeys(builder.note_ids), helper_scenes))
    sources = builder.build_sources()
    scenes = builder.build_scenes(own_scenes)
    # Pickled for the cache now, while the helper still builds: the cache then only writes bytes.
    pieces: list[bytes] | None = _pickled(list(scenes.values())) if for_cache else None
    while len(scenes) < len(own_scenes) + len(helper_scenes):
        piece = conn.recv_bytes()
        built = pickle.loads(piece)
        if not isinstance(built, list) or not built or not all(isinstance(s, Scene) for s in built):
            raise HelperFailed("unexpected scenes")
        scenes.update((scene.id, scene) for scene in built)
        if pieces is not None:
            pieces.append(piece)
    their_problems, pending = pickle.loads(conn.recv_bytes())
    problems.extend(their_problems)
    builder.pending.extend(pending)
    return Built(builder.finish(root, key, sources, scenes), pieces)


def _pickled(scenes: list[Scene]) -> list[bytes] | None:
    """`scenes` pickled in the cache's pieces; None if they cannot be (then nothing is cached,
    as when the cache cannot be written)."""
    try:
        return [
            pickle.dumps(scenes[start : start + SCENES_PER_PICKLE], protocol=pickle.HIGHEST_PROTOCOL)
            for start in range(0, len(scenes), SCENES_PER_PICKLE)
        ]
    except (pickle.PicklingError, RecursionError):
        return None


def _join(gathered: Gathered, found: list[_FileFound], problems: Problems) -> list[int]:
    """Add the helper's findings to `gathered` file by file, as if read here after the main
    process's files (so the first of several entries of an id wins, wherever they are); the
    places, among the helper's scene entries, of those to build."""
    to_build = []
    place = 0
    for file in found:
        gathered.files.append(file.name)
        problems.extend(file.problems)
        if file.story is not None and file.story_at is not None:
            add_story(gathered, file.story, file.story_at, problems)
        for section, entries in file.entries.items():
            for entry in entries:
                taken = add_entry(gathered, section, entry, problems)
                if section == "scenes":
                    if taken:
                        to_build.append(place)
                    place += 1
    return to_build


def _help(main_end: Any, conn: Any, files: list[StoryFile]) -> None:
    """The helper's side (in the forked process). Any failure closes the pipe unexplained:
    the main process then loads alone, and reports whatever is wrong with the story itself."""
    main_end.close()  # else the helper would never see the main process go
    sender: threading.Thread | None = None
    outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    try:
        found: list[_FileFound] = []
        scenes: list[Entry] = []  # every scene entry of the helper's files, in order
        for file in files:  # one at a time: duplicates are for the main process to judge
            problems, gathered = Problems(), Gathered()
            gather([file], problems, gathered)
            scenes += gathered.sections["scenes"].values()
            entries = {
                section: [Entry(e.id, None if section == "scenes" else e.data, e.pos) for e in within.values()]
                for section, within in gathered.sections.items()
                if within
            }
            found.append(_FileFound(file.name, problems.items, gathered.story, gathered.story_at, entries))
        conn.send(found)
        reply = conn.recv()
        if reply is None:  # the story cannot be built (no story section): nothing more to do
            return
        frame, scene_ids, note_ids, to_build = reply
        problems = Problems()
        builder = Builder(Gathered(), problems)
        builder.adopt_frame(frame, scene_ids, note_ids)
        # Sent by a thread: a piece does not fit in the pipe, and the main process reads none
        # until its own scenes are built, so sending here would stop the building.
        sender = threading.Thread(target=_send_all, args=(conn, outbox), daemon=True)
        sender.start()
        for start in range(0, len(to_build), SCENES_PER_PICKLE):
            piece = [consume(builder.build_scene, scenes[place]) for place in to_build[start : start + SCENES_PER_PICKLE]]
            outbox.put(pickle.dumps(piece, protocol=pickle.HIGHEST_PROTOCOL))
        outbox.put(pickle.dumps((problems.items, builder.pending), protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:  # noqa: BLE001 - whatever it was, the main process copes alone
        pass
    finally:
        outbox.put(None)
        if sender is not None:
            sender.join()
        conn.close()


def _send_all(conn: Any, outbox: queue.SimpleQueue[bytes | None]) -> None:
    try:
        while (message := outbox.get()) is not None:
            conn.send_bytes(message)
    except OSError:  # the main process stopped listening: it loads alone
        pass


__all__ = ["Built", "HelperFailed", "build", "split", "worth_it"]
