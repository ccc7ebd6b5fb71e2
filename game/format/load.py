"""Loads a story folder into a checked `Story`, or reports every problem at file:line:col.

Reading happens in three steps: each YAML file into positioned data (yaml_reader), the
sections' entries gathered by id across files, duplicates refused (gather), then each entry
built into model records with its references and expressions checked (readers/). A large story is
read on two cores (parallel); a story read before comes from the cache.
"""

from __future__ import annotations

import dataclasses
import gc
from pathlib import Path

from game.format import cache
from game.format.files import StoryFile, cache_key, read_files, shown_path
from game.format.gather import gather, worth_building
from game.model import Pos, Problems, Story, StoryError

# From this many bytes of YAML a story may be read on two cores (parallel says whether it
# can be): below, a fork and the hand-over cost more than they save. The shipped story is
# about 0.4 MB, a 10,000-scene story 15 MB.
TWO_CORES_FROM = 4 * 1024 * 1024

# Objects made while loading (net, as the collector counts them) past which they go straight
# to the collector's oldest generation: a 10,000-scene story leaves 320,000, the shipped story 11,000.
OLD_AFTER = 100_000


def load_story(path: str | Path, cache_dir: Path | None = None) -> Story:
    """Load and check the story in folder `path`; raise StoryError listing every error.

    With `cache_dir`, a story loaded before from the very same files comes from the cache.
    """
    story, problems = read_story(path, cache_dir)
    if story is None or problems.errors:
        raise StoryError(problems.errors and sorted(problems.errors, key=lambda p: (p.pos, p.code)))
    return story


def read_story(path: str | Path, cache_dir: Path | None = None) -> tuple[Story | None, Problems]:
    """Load the story in `path`, returning it (None if it cannot be built) and all problems."""
    problems = Problems()
    root = Path(path)
    if not root.exists():
        problems.error(Pos(str(root)), "no-story", "there is no story folder here", "pass --story DIR, or run from the project folder")
        return None, problems
    if not root.is_dir():
        problems.error(Pos(str(root)), "no-story", "the story must be a folder of YAML files")
        return None, problems
    # The collector is paused while we build many small objects: it would otherwise run
    # hundreds of times over data that is all still alive (it triples a large load).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        shown = shown_path(root)
        files = read_files(root, problems, shown)
        key = cache_key(files)
        # The entry is kept per name the folder is shown by: its problems and positions name
        # the files as seen from the current folder (the fingerprint does not depend on it).
        entry = f"{key}|{shown}"
        if cache_dir is not None and not problems.items:
            cached = cache.fetch(cache_dir, entry)
            if cached is not None:
                # Same files, maybe another folder (a copy, an installed wheel): say where it is now.
                return dataclasses.replace(cached[0], root=str(root)), cached[1]
        # Only a miss needs the YAML library and the readers: a warm start never imports them.
        if sum(len(f.raw) for f in files if f.raw is not None) >= TWO_CORES_FROM:
            from game.format import parallel

            if parallel.worth_it(files):
                try:
                    built = parallel.build(root, files, key, problems, for_cache=cache_dir is not None)
                except parallel.HelperFailed:
                    problems = Problems()  # what the main process found is incomplete: start again, alone
                    files = read_files(root, problems, shown)
                    key = cache_key(files)
                    entry = f"{key}|{shown}"
                else:
                    if cache_dir is not None and built.story is not None and built.pieces is not None and not problems.errors:
                        cache.store(cache_dir, entry, built.story, problems, (len(built.story.scenes), built.pieces))
                    return built.story, problems
        story = _build_alone(root, files, key, problems)
        if cache_dir is not None and story is not None and not problems.errors:
            cache.store(cache_dir, entry, story, problems)
    finally:
        if was_enabled:
            if gc.get_count()[0] > OLD_AFTER:
                # A large story lives as long as the program: its objects go straight to the
                # oldest generation, which only the rare full collections walk (each walk of a
                # young generation over 10,000 scenes' objects took 0.04 s). Frozen and at
                # once unfrozen: nothing stays frozen, and garbage is still collected. (Not
                # unfrozen when the program had frozen objects of its own, as the terminal
                # game does: the new story is frozen with them.)
                frozen_before = gc.get_freeze_count()
                gc.freeze()
                if not frozen_before:
                    gc.unfreeze()
            gc.enable()
    return story, problems


def _build_alone(root: Path, files: list[StoryFile], key: str, problems: Problems) -> Story | None:
    from game.format.readers.builder import Builder

    gathered = gather(files, problems)
    files.clear()  # the bytes are parsed and hashed: let them go before the model is built
    if not worth_building(problems):
        return None
    return Builder(gathered, problems).build(root, key)
