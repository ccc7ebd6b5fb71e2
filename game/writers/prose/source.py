"""A story folder's prose as `../shared/tools/prose_stats.py` reads it: every YAML file through
PyYAML's safe loader, no checks, each text remembering where it stands in its file.

The prose report must give the reference's figures, so it reads what the reference reads (the
same values, dates and booleans included) rather than the checked model, which keeps no place
for a paragraph and has already turned `{expressions}` into code. Each text is a `Located`
string: still a `str` for the counting, and able to say where any of its characters is."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from game.format import story_files
from game.model import Pos

# libyaml's loader when PyYAML was built with it (the loader's own reader warns when it is not).
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TOKEN = re.compile(r"[\w'’-]+")  # the reference's words, used here to line a value up with its source


@dataclass
class SourceFile:
    """One story file: its name as the checker prints it, its path inside the folder, its text."""

    name: str
    relative: str
    text: str
    _lines: list[int] = field(default_factory=list, repr=False)

    def pos(self, index: int) -> Pos:
        """The file:line:col of the character at `index` (lines and columns count from 1)."""
        if not self._lines:
            self._lines = [0, *(m.end() for m in re.finditer("\n", self.text))]
        line = bisect.bisect_right(self._lines, index)
        return Pos(self.name, line, index - self._lines[line - 1] + 1)


class Located(str):
    """Text read from a story file that knows where it stands there: `start` and `end` are the
    source indices of its YAML value (a `|` block's indicator and a quote included)."""

    file: SourceFile
    start: int
    end: int
    style: str | None
    _map: tuple[list[int], list[int]] | None

    def pos(self, offset: int = 0) -> Pos:
        """Where the character at `offset` of the text is in the source.

        Folding, indentation and line breaks make a value differ from its source in spaces
        only (and, in quoted text, in escapes), so the value's words are lined up with the
        source's words, and an offset inside a word lands inside it."""
        value_at, source_at = self._words()
        if not value_at:
            return self.file.pos(self._body_start())
        i = max(bisect.bisect_right(value_at, offset) - 1, 0)
        inside = offset - value_at[i]
        word = _TOKEN.match(self, value_at[i])
        return self.file.pos(source_at[i] + (inside if word and 0 <= inside < word.end() - word.start() else 0))

    def _body_start(self) -> int:
        source = self.file.text
        if self.style in ("|", ">"):  # the text starts on the line after the indicator, at its indentation
            newline = source.find("\n", self.start, self.end)
            if newline < 0:
                return self.start
            body = newline + 1
            return body + len(source[body : self.end]) - len(source[body : self.end].lstrip(" "))
        return self.start + (1 if self.style in ("'", '"') else 0)

    def _words(self) -> tuple[list[int], list[int]]:
        if self.__dict__.get("_map") is None:
            quoted = self.style in ("'", '"')
            # (Inside quotes, the closing quote is not part of the text; '' is one ' there.)
            self._map = _line_up(self, self.file.text, self._body_start(), self.end - quoted, self.style == "'")
        assert self._map is not None
        return self._map


def _line_up(value: str, source: str, begin: int, end: int, doubled_quotes: bool = False) -> tuple[list[int], list[int]]:
    """Where each word of `value` starts, and where the same word starts in `source[begin:end]`.

    A word the source spells otherwise (an escape in quoted text) takes the place of the last
    word found; the search for the next goes on from there."""
    value_at: list[int] = []
    source_at: list[int] = []
    found = [(m.start(), m.group().replace("''", "'") if doubled_quotes else m.group()) for m in _TOKEN.finditer(source, begin, end)]
    j = 0
    for m in _TOKEN.finditer(value):
        value_at.append(m.start())
        for k in range(j, min(j + 8, len(found))):
            if found[k][1] == m.group():
                j = k
                break
        source_at.append(found[j][0] if found else begin)
        if found and found[j][1] == m.group():
            j = min(j + 1, len(found) - 1)
    return value_at, source_at


class _Loader(_SAFE_LOADER):
    """The safe loader, giving `Located` text."""

    source: SourceFile


def _located_text(loader: _Loader, node: yaml.ScalarNode) -> Located:
    text = Located(loader.construct_scalar(node))
    text.file = loader.source
    text.start, text.end, text.style = node.start_mark.index, node.end_mark.index, node.style
    text._map = None
    return text


_Loader.add_constructor("tag:yaml.org,2002:str", _located_text)


@dataclass
class SceneProse:
    """A scene as the reference sees it: its act, who can see it, and its texts in order."""

    id: Located
    act: str
    perspectives: frozenset[str]
    texts: list[Located]  # the text and else of every block, as the reference takes them
    data: dict[str, Any]  # the scene's whole mapping, for the spelling of titles and choices

    @property
    def pos(self) -> Pos:
        return self.id.pos()


@dataclass
class ProseSource:
    """What the prose report reads: the scenes, the story's own words, and what could not be read."""

    scenes: dict[str, SceneProse]
    perspectives: set[str]
    files: list[SourceFile]
    sections: list[tuple[str, dict[str, Any]]]  # (section name, its mapping) of every file, in order
    unread: list[str]  # a line for each file left out, as the reference leaves it out


def texts(value: Any) -> Iterator[str]:
    """The texts of a scene's `text`: a string, a list of blocks, a block's text then its else."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for block in value:
            yield from texts(block)
    elif isinstance(value, dict):
        for key in ("text", "else"):
            if key in value:
                yield from texts(value[key])


def read_source(root: Path, names: Mapping[str, str] | None = None) -> ProseSource:
    """Every story file under `root` read as the reference reads it. `names` maps a file's path
    inside the folder (with /) to the name the checker prints for it."""
    names = names or {}
    scenes: dict[Located, dict[str, Any]] = {}
    declared: set[str] = set()
    files: list[SourceFile] = []
    sections: list[tuple[str, dict[str, Any]]] = []
    unread: list[str] = []
    for path in story_files(root):
        relative = path.relative_to(root).as_posix()
        source = SourceFile(names.get(relative, f"{root.name}/{relative}" if root.name else path.as_posix()), relative, "")
        try:
            source.text = path.read_text(encoding="utf-8")
            data = _load(source)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            unread.append(f"{source.name}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
            continue
        files.append(source)
        if not isinstance(data, dict):
            continue
        sections += [(str(k), v) for k, v in data.items() if isinstance(v, dict)]
        frame = data.get("story") or {}
        if isinstance(frame, dict) and isinstance(frame.get("perspectives"), dict):
            declared |= set(frame["perspectives"])
        found = data.get("scenes") or {}
        if isinstance(found, dict):
            scenes.update((sid, s) for sid, s in found.items() if isinstance(s, dict) and isinstance(sid, Located))
    return ProseSource(
        {
            str(sid): SceneProse(
                sid,
                str(s.get("act", "?")),
                frozenset(s["perspectives"]) if s.get("perspectives") else frozenset(declared),
                [t for t in texts(s.get("text")) if isinstance(t, Located)],
                s,
            )
            for sid, s in scenes.items()
        },
        declared,
        files,
        sections,
        unread,
    )


def _load(source: SourceFile) -> Any:
    loader = _Loader(source.text)
    loader.source = source
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
