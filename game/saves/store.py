"""Saves on disk: named slots and rotating autosaves, written atomically, refused clearly.

A save is JSON holding the run's `to_dict()` (seed, choice log, snapshot) and a summary for
the load screen, written with game/atomic.py: a crash at any moment leaves either the old save
or the new one, never half.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from game.atomic import write_atomic
from game.model import Story
from game.runtime import SAVE_FORMAT, SAVE_VERSION, ReplayError, Run, RunError
from game.saves.replay import restore

FILE_FORMAT = "kengir-save"
AUTOSAVE_PREFIX = "autosave-"
AUTOSAVES_KEPT = 10
MAX_SAVE_BYTES = 4 * 1024 * 1024
# A temporary file this old belongs to a write that was killed (kill -9, power cut): nothing
# else removes it, so each later save sweeps them, or they would pile up in the folder unseen.
STALE_TEMP_SECONDS = 60
_SLOT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,47}$")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


class SaveError(Exception):
    """A save that cannot be written or read; the message names the file and the reason."""


@dataclass(frozen=True)
class SaveInfo:
    """What the load screen shows about one save."""

    slot: str
    path: Path
    saved_at: str
    scene: str
    title: str
    date: str
    perspective: str
    auto: bool


def check_slot_name(name: str) -> str:
    """Return `name` if it is a safe slot name, else raise SaveError saying why."""
    if not isinstance(name, str) or not _SLOT.match(name) or name.strip() != name:
        raise SaveError(f"'{name}' cannot be a save name: use 1 to 48 letters, digits, spaces, - or _, starting with a letter or digit")
    if name.lower() in _RESERVED or name.lower().startswith(AUTOSAVE_PREFIX):
        raise SaveError(f"'{name}' is a reserved name; choose another")
    return name


def _one_line(text: str, limit: int = 200) -> str:
    """Text from a save file, fit for a one-line message: a hostile save may hold newlines or megabytes."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SaveStore:
    """The saves of one player in one folder."""

    def __init__(self, folder: Path, clock: Callable[[], float] = time.time):
        self.folder = Path(folder)
        self.clock = clock

    # ------------------------------------------------------------ writing

    def save(self, run: Run, slot: str) -> Path:
        """Write `run` to the named slot, replacing what was there."""
        return self._write(run, check_slot_name(slot), auto=False)

    def autosave(self, run: Run) -> Path:
        """Write `run` to a new autosave and drop all but the newest AUTOSAVES_KEPT."""
        return self.autosave_later(run)()

    def autosave_later(self, run: Run) -> Callable[[], Path]:
        """Take the autosave's content now; return the writing, to be done later (on a thread).

        The content is a snapshot, so the run may go on while the file is written; writes must
        be done in the order they were taken (one writer thread), as their numbers are chosen
        when they are written.
        """
        document = self._document(run, "", auto=True)

        def write() -> Path:
            numbers = [n for n, _ in self._autosaves()]
            slot = f"{AUTOSAVE_PREFIX}{(max(numbers) + 1) if numbers else 1:06d}"
            path = self._write_document({**document, "slot": slot}, slot)
            for _, old in self._autosaves()[:-AUTOSAVES_KEPT]:
                try:
                    old.unlink()
                except OSError:
                    pass
            return path

        return write

    def _write(self, run: Run, slot: str, auto: bool) -> Path:
        return self._write_document(self._document(run, slot, auto), slot)

    def _document(self, run: Run, slot: str, auto: bool) -> dict[str, Any]:
        scene = run.scene
        return {
            "format": FILE_FORMAT,
            "version": SAVE_VERSION,
            "slot": slot,
            "auto": auto,
            "saved_at": datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="seconds"),
            "summary": {"scene": scene.id, "title": scene.title, "date": scene.date, "perspective": run.perspective},
            "run": run.to_dict(),
        }

    def _write_document(self, document: dict[str, Any], slot: str) -> Path:
        path = self.folder / f"{slot}.json"
        try:
            write_atomic(path, json.dumps(document, ensure_ascii=False, indent=1))
        except OSError as exc:
            raise SaveError(f"{path}: could not save: {exc.strerror or exc}") from exc
        self._sweep_temporaries()
        return path

    def _sweep_temporaries(self) -> None:
        """Remove what killed writes left behind; never a write still under way (too young)."""
        old = time.time() - STALE_TEMP_SECONDS
        for temp in self.folder.glob(".*.json.*.tmp"):
            try:
                if temp.stat().st_mtime < old:
                    temp.unlink()
            except OSError:
                pass

    def delete(self, slot: str) -> None:
        path = self._path(slot)
        try:
            path.unlink()
        except FileNotFoundError:
            raise SaveError(f"there is no save named '{slot}'") from None

    # ------------------------------------------------------------ reading

    def _path(self, slot: str) -> Path:
        if slot.startswith(AUTOSAVE_PREFIX) and slot[len(AUTOSAVE_PREFIX) :].isdigit():
            return self.folder / f"{slot}.json"
        return self.folder / f"{check_slot_name(slot)}.json"

    def _autosaves(self) -> list[tuple[int, Path]]:
        found = []
        if self.folder.is_dir():
            for path in self.folder.glob(f"{AUTOSAVE_PREFIX}*.json"):
                number = path.stem[len(AUTOSAVE_PREFIX) :]
                if number.isdigit():
                    found.append((int(number), path))
        return sorted(found)

    def read(self, path: Path) -> dict[str, Any]:
        """Read and validate a save file's document, or raise SaveError naming the file."""
        try:
            if path.stat().st_size > MAX_SAVE_BYTES:
                raise SaveError(f"{path}: too large to be a save")
            raw = path.read_bytes()
        except FileNotFoundError:
            raise SaveError(f"{path}: there is no such save") from None
        except OSError as exc:
            raise SaveError(f"{path}: cannot read it: {exc.strerror or exc}") from exc
        try:
            document = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise SaveError(f"{path}: not a save (not UTF-8 text)") from None
        except json.JSONDecodeError as exc:
            raise SaveError(f"{path}:{exc.lineno}:{exc.colno}: damaged save ({exc.msg})") from None
        except (ValueError, RecursionError) as exc:
            # Valid JSON Python will not read: a number of over 4300 digits, or arrays nested
            # deeper than the stack (both found by the robustness tests).
            reason = "nested too deeply" if isinstance(exc, RecursionError) else "a number is too long"
            raise SaveError(f"{path}: damaged save ({reason})") from None
        if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
            raise SaveError(f"{path}: not a Kengir save")
        if document.get("version") != SAVE_VERSION:
            found = _one_line(repr(document.get("version")), 40)  # whatever it holds, the message stays one short line
            raise SaveError(f"{path}: saved by another version of the game (save version {found}, this game reads {SAVE_VERSION})")
        run = document.get("run")
        if not isinstance(run, dict) or run.get("format") != SAVE_FORMAT or not isinstance(run.get("log"), list):
            raise SaveError(f"{path}: damaged save (the run is missing)")
        return document

    def load_path(self, path: Path, story: Story) -> Run:
        """Load the save at `path` against `story`, replaying its log.

        A save from an edited story raises SaveError whose `replay` attribute holds the
        ReplayError, with the run at the furthest consistent point.
        """
        document = self.read(path)
        data = document["run"]
        saved_for = data.get("story")
        saved_for = saved_for.get("fingerprint", "?") if isinstance(saved_for, dict) else "?"
        edited = " (the story has changed since it was saved)" if saved_for != story.fingerprint else ""
        try:
            run = restore(story, data, clock=self.clock)
            run.to_dict()  # a logged time out of range (year 10000) would otherwise break the next save
            return run
        except ReplayError as err:
            error = SaveError(f"{path}: {_one_line(err.message)}{edited}")
            error.replay = err  # type: ignore[attr-defined]
            raise error from None
        except RunError as exc:
            raise SaveError(f"{path}: damaged save ({_one_line(str(exc))}){edited}") from None
        except (ArithmeticError, ValueError, OSError) as exc:
            # Numbers JSON allows but a run cannot hold (1e400 as a seed or a choice).
            raise SaveError(f"{path}: damaged save ({_one_line(str(exc))})") from None

    def load(self, slot: str, story: Story) -> Run:
        return self.load_path(self._path(slot), story)

    def list(self) -> list[SaveInfo]:
        """Every readable save, newest first; damaged files are left out (and left alone)."""
        infos: list[SaveInfo] = []
        if not self.folder.is_dir():
            return infos
        for path in self.folder.glob("*.json"):
            try:
                document = self.read(path)
            except SaveError:
                continue
            summary = document.get("summary")
            if not isinstance(summary, dict):  # damaged, but the run may still load: list it
                summary = {}
            infos.append(
                SaveInfo(
                    slot=path.stem,
                    path=path,
                    saved_at=str(document.get("saved_at", "")),
                    scene=str(summary.get("scene", "")),
                    title=str(summary.get("title", "")),
                    date=str(summary.get("date", "")),
                    perspective=str(summary.get("perspective", "")),
                    auto=bool(document.get("auto")),
                )
            )
        infos.sort(key=lambda i: (i.saved_at, i.slot), reverse=True)
        return infos

    def latest(self, story: Story) -> Run | None:
        """The newest autosave that loads cleanly, skipping broken or foreign ones."""
        for _, path in reversed(self._autosaves()):
            try:
                return self.load_path(path, story)
            except SaveError:
                continue
        return None

    def continuable(self, story: Story, assignment: str | None = None) -> Run | None:
        """The newest autosave (as `latest`) if its session can go on: not at an ending or at
        the end of its assigned part, and made for `assignment` when one is given. What the
        title screen's Continue and `kengir play --continue` resume."""
        run = self.latest(story)
        if run is None or run.ended or run.finished:
            return None
        if assignment is not None and (run.assignment is None or run.assignment.id != assignment):
            return None
        return run
