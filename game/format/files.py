"""A story folder's files: which they are, their bytes, and the fingerprint that names them."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from game.format.yaml_data import MAX_FILE_BYTES
from game.model import Pos, Problems


def story_files(root: Path) -> list[Path]:
    """Every YAML file under `root`, in a stable order, hidden folders and files left out."""
    return [path for _, path in story_entries(root)]


def story_entries(root: Path) -> list[tuple[str, Path]]:
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
        found += [
            (prefix + name, Path(folder, name))
            for name in (*names, *folders)
            if name.endswith((".yaml", ".yml")) and not name.startswith(".")
        ]
    found.sort(key=lambda entry: entry[0])
    return found


def shown_path(path: str | os.PathLike[str]) -> str:
    """How a file or folder is named to a writer: relative to the current folder when it is
    inside it, so that `file:line:col` opens from an editor's terminal wherever the story is,
    else absolute; "" for the current folder itself. In the system's own spelling (\\ on Windows)."""
    absolute = Path(os.path.abspath(path))
    try:
        here = Path.cwd()
    except OSError:  # the current folder was deleted
        return str(absolute)
    # As given, then with links resolved: a folder reached through a link is still inside.
    for inside, folder in ((absolute, here), (absolute.resolve(), here.resolve())):
        if inside.is_relative_to(folder):
            relative = inside.relative_to(folder)
            return "" if relative == Path() else str(relative)
    return str(absolute)


def shown_name(shown_root: str, relative: str) -> str:
    """The name shown for the story file at `relative` (with /) in a folder shown as `shown_root`."""
    if os.sep != "/":
        relative = relative.replace("/", os.sep)
    return os.path.join(shown_root, relative) if shown_root else relative


@dataclass
class StoryFile:
    relative: str  # inside the story folder, for the fingerprint
    name: str  # as shown to writers (see shown_path)
    raw: bytes | None  # None when it could not be read (already reported)


def read_files(root: Path, problems: Problems, shown_root: str | None = None) -> list[StoryFile]:
    """Every story file under `root` with its bytes; `shown_root` is how `root` is named in
    problems (default: shown_path(root))."""
    files = []
    entries = story_entries(root)
    if shown_root is None:
        shown_root = shown_path(root)
    if not entries:
        problems.error(Pos(shown_root or "."), "no-story", "the story folder has no .yaml files")
    for relative, path in entries:
        name = shown_name(shown_root, relative)
        raw: bytes | None = None
        try:
            status = os.stat(path)
            if stat.S_ISDIR(status.st_mode):
                problems.error(Pos(name), "not-a-file", "this is a folder named like a YAML file")
            elif status.st_size > MAX_FILE_BYTES:
                # Refused before reading: a file of gigabytes must not be read into memory first.
                problems.error(
                    Pos(name),
                    "file-too-large",
                    f"the file is {status.st_size // (1024 * 1024)} MB; story files may be at most {MAX_FILE_BYTES // (1024 * 1024)} MB",
                    "split it into several files",
                )
            else:
                with open(path, "rb") as handle:
                    raw = handle.read()
        except OSError as exc:
            problems.error(Pos(name), "unreadable", f"cannot read the file: {exc.strerror or exc}")
        files.append(StoryFile(relative, name, raw))
    return files


def cache_key(files: list[StoryFile]) -> str:
    """The story's fingerprint: a hash of every file's place and bytes."""
    digest = hashlib.sha256()
    for f in files:
        if f.raw is not None:
            digest.update(f.relative.encode() + b"\0" + f.raw + b"\0")
    return digest.hexdigest()
