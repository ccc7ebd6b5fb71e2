"""Loads a story folder into a checked `Story`, or reports every problem at file:line:col.

Reading happens in three steps: each YAML file into positioned data (yaml_reader), the
sections' entries gathered by id across files (duplicates refused), then each entry built into
model records with its references and expressions checked. A large story is read on two cores
(parallel_load); a story read before comes from the cache.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from . import cache
from .fields import check_id, describe
from .model import Story
from .problems import Pos, Problems, StoryError, did_you_mean
from .reading import SECTIONS, Entry, Gathered
from .ydata import MAX_FILE_BYTES, YMap

__all__ = ["cache_key", "load_story", "read_story", "story_files"]



# From this many bytes of YAML a story may be read on two cores (parallel_load says whether it
# can be): below, a fork and the hand-over cost more than they save. The shipped story is
# about 0.4 MB, a 10,000-scene story 15 MB.
TWO_CORES_FROM = 4 * 1024 * 1024

# Objects made while loading (net, as the collector counts them) past which they go straight
# to the collector's oldest generation: a 10,000-scene story leaves 320,000, the shipped story 11,000.
OLD_AFTER = 100_000


def story_files(root: Path) -> list[Path]:
    """Every YAML file under `root`, in a stable order, hidden folders and files left out."""
    return [path for _, path in _story_entries(root)]


def _story_entries(root: Path) -> list[tuple[str, Path]]:
    """(path inside `root`, with /, and the path) of every story file, in that order.

    By os.walk, not Path.rglob: a cold load of the shipped story spent 1.5 ms in rglob and
    in Path arithmetic. Like rglob, it does not enter a linked folder, and it lists a folder
    named like a YAML file (reported, not read)."""
    found = []
    top = str(root)
    for folder, folders, names in os.walk(top):
        folders[:] = [name for name in folders if not name.startswith(".")]
        inside = os.path.relpath(folder, top)
        prefix = "" if inside == "." else inside.replace(os.sep, "/") + "/"
        found += [(prefix + name, Path(folder, name)) for name in (*names, *folders)
                  if name.endswith((".yaml", ".yml")) and not name.startswith(".")]
    found.sort(key=lambda entry: entry[0])
    return found


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
        files = _read_files(root, problems)
        key = cache_key(files)
        if cache_dir is not None and not problems.items:
            cached = cache.fetch(cache_dir, key)
            if cached is not None:
                # Same files, maybe another folder (a copy, an installed wheel): say where it is now.
                return dataclasses.replace(cached[0], root=str(root)), cached[1]
        # Only a miss needs the YAML library and the readers: a warm start never imports them.
        if sum(len(f.raw) for f in files if f.raw is not None) >= TWO_CORES_FROM:
            from . import parallel_load

            if parallel_load.worth_it(files):
                try:
                    built = parallel_load.build(root, files, key, problems, for_cache=cache_dir is not None)
                except parallel_load.HelperFailed:
                    problems = Problems()  # what the main process found is incomplete: start again, alone
                    files = _read_files(root, problems)
                    key = cache_key(files)
                else:
                    if cache_dir is not None and built.story is not None and built.pieces is not None and not problems.errors:
                        cache.store(cache_dir, key, built.story, problems, (len(built.story.scenes), built.pieces))
                    return built.story, problems
        story = _build_alone(root, files, key, problems)
        if cache_dir is not None and story is not None and not problems.errors:
            cache.store(cache_dir, key, story, problems)
    finally:
        if was_enabled:
            if gc.get_count()[0] > OLD_AFTER:
                # A large story lives as long as the program: its objects go straight to the
                # oldest generation, which only the rare full collections walk (each walk of a
                # young generation over 10,000 scenes' objects took 0.04 s). Frozen and at
                # once unfrozen: nothing stays frozen, and garbage is still collected.
                gc.freeze()
                gc.unfreeze()
            gc.enable()
    return story, problems


def _build_alone(root: Path, files: list[_File], key: str, problems: Problems) -> Story | None:
    from .builder import Builder

    gathered = _gather(files, problems)
    files.clear()  # the bytes are parsed and hashed: let them go before the model is built
    if not worth_building(problems):
        return None
    return Builder(gathered, problems).build(root, key)


def worth_building(problems: Problems) -> bool:
    """Whether to build the story after reading its files gave `problems`.

    Not when a file could not be read, or part of it was refused (a YAML mistake, a section
    misnamed, a bad or doubled id): every reference into what is missing would be reported
    too, and the checker would call half the story unused (a writer who dropped one colon saw
    ten lines for one mistake). Those mistakes come first, alone; the rest once they are fixed."""
    return not problems.errors


@dataclass
class _File:
    relative: str  # inside the story folder, for the fingerprint
    name: str  # as shown to writers
    raw: bytes | None  # None when it could not be read (already reported)


def _read_files(root: Path, problems: Problems) -> list[_File]:
    files = []
    entries = _story_entries(root)
    if not entries:
        problems.error(Pos(str(root)), "no-story", "the story folder has no .yaml files")
    for relative, path in entries:
        name = f"{root.name}/{relative}" if root.name else path.as_posix()
        raw: bytes | None = None
        try:
            status = os.stat(path)
            if stat.S_ISDIR(status.st_mode):
                problems.error(Pos(name), "not-a-file", "this is a folder named like a YAML file")
            elif status.st_size > MAX_FILE_BYTES:
                # Refused before reading: a file of gigabytes must not be read into memory first.
                problems.error(Pos(name), "file-too-large", f"the file is {status.st_size // (1024 * 1024)} MB; "
                               f"story files may be at most {MAX_FILE_BYTES // (1024 * 1024)} MB", "split it into several files")
            else:
                with open(path, "rb") as handle:
                    raw = handle.read()
        except OSError as exc:
            problems.error(Pos(name), "unreadable", f"cannot read the file: {exc.strerror or exc}")
        files.append(_File(relative, name, raw))
    return files


def cache_key(files: list[_File]) -> str:
    """The story's fingerprint: a hash of every file's place and bytes."""
    digest = hashlib.sha256()
    for f in files:
        if f.raw is not None:
            digest.update(f.relative.encode() + b"\0" + f.raw + b"\0")
    return digest.hexdigest()


def _gather(files: list[_File], problems: Problems, gathered: Gathered | None = None) -> Gathered:
    """Parse `files` and gather their sections' entries by id (into `gathered`, if given)."""
    from .yaml_reader import read_yaml_bytes

    gathered = gathered or Gathered()
    for file in files:
        name = file.name
        gathered.files.append(name)
        if file.raw is None:
            continue
        data = read_yaml_bytes(file.raw, name, problems)
        file.raw = None  # parsed: its bytes are no longer needed
        if data is None:
            continue
        for section, value in data.items():
            key_pos = data.key_pos[section]
            if section not in SECTIONS:
                problems.error(
                    key_pos, "unknown-section", f"'{section}' is not a section",
                    did_you_mean(str(section), SECTIONS) or f"sections are: {', '.join(SECTIONS)}",
                )
                continue
            if not isinstance(value, YMap):
                if value is None:
                    continue  # an empty section while a writer drafts is harmless
                problems.error(data.value_pos[section], "wrong-type", f"'{section}' must be a mapping of ids, found {describe(value)}")
                continue
            if section == "story":
                add_story(gathered, value, key_pos, problems)
                continue
            for entry_id, entry, pos in value.items_with_pos():
                if check_id(entry_id, pos, problems, section.rstrip("s") if section != "people" else "person"):
                    add_entry(gathered, section, Entry(entry_id, entry, pos), problems)
    return gathered


def add_story(gathered: Gathered, story: YMap, key_pos: Pos, problems: Problems) -> None:
    """Take a `story` section found at `key_pos`, unless one came before it."""
    if gathered.story is not None:
        problems.error(key_pos, "duplicate-id", "a second 'story' section", f"the first is at {gathered.story.pos}")
    else:
        gathered.story, gathered.story_at = story, key_pos


def add_entry(gathered: Gathered, section: str, entry: Entry, problems: Problems) -> bool:
    """Take `entry` into its section, unless an entry of that id came before it."""
    entries = gathered.sections[section]
    first = entries.get(entry.id)
    if first is not None:
        problems.error(entry.pos, "duplicate-id", f"'{entry.id}' is defined twice in {section}", f"the first is at {first.pos}")
        return False
    entries[entry.id] = entry
    return True
