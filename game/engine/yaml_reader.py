"""Reads one YAML file strictly: plain data with a position for every value, or problems.

PyYAML is lenient in ways that hurt writers (YAML 1.1 reads `no` as false, duplicate keys
silently overwrite, tags build Python objects). We let libyaml parse into nodes and build the
data ourselves, so that every surprise becomes a problem at its line and column.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from sys import intern
from typing import Any

import yaml

from .problems import Pos, Problems
from .ydata import MAX_FILE_BYTES, YList, YMap, _PosView, _unpack, empty_map  # noqa: F401 (re-exported)

if hasattr(yaml, "CSafeLoader"):
    _BaseLoader: type = yaml.CSafeLoader
else:  # pragma: no cover - depends on how PyYAML was built
    warnings.warn(
        "PyYAML was built without libyaml; stories load about ten times slower",
        RuntimeWarning,
        stacklevel=2,
    )
    _BaseLoader = yaml.SafeLoader

MAX_DEPTH = 40

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

# The words YAML 1.1 would silently turn into booleans.
_IMPLICIT_BOOLS = re.compile(r"^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$")


_INT_RE = re.compile(r"^[-+]?[0-9]+$")
_BOOL_WORDS = frozenset(("true", "True", "TRUE", "false", "False", "FALSE"))
_NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))


class _StrictResolver(_BaseLoader):  # type: ignore[misc, valid-type]
    """Resolves plain scalars to null, true/false, whole numbers or text; nothing else.

    Replaces PyYAML's general resolver (regex tables, path resolvers): libyaml calls this for
    every scalar, so a story of 10,000 scenes calls it a million times.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                if value in _NULL_WORDS:
                    return _NULL
                first = value[0]
                if first in "tTfF" and value in _BOOL_WORDS:
                    return _BOOL
                if (first in "-+0123456789") and _INT_RE.match(value):
                    return _INT
            return _STR
        if kind is yaml.SequenceNode:
            return _SEQ
        return _MAP


def _pack(mark: Any, shift: int = 0) -> int:
    # A position as one int (line << 20 | column): half a million values carry one each, and a
    # Pos object apiece would double the memory of a large load. Unpacked only when shown.
    line: int = mark.line + 1
    column: int = mark.column + 1 + shift
    return (line << 20) | column


def _pos(name: str, mark: Any, quoted: bool = False) -> Pos:
    # Quoted scalars: point past the quote, so a column inside the text lines up.
    return Pos(name, mark.line + 1, mark.column + 1 + (1 if quoted else 0))


def _locate(name: str, text: str, offset: int) -> Pos:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Pos(name, line, column)


def read_yaml(path: Path, name: str, problems: Problems) -> YMap | None:
    """Read `path` (shown to writers as `name`) into a YMap, or report why not and return None."""
    try:
        if path.is_dir():
            problems.error(Pos(name), "not-a-file", "this is a folder where a YAML file was expected")
            return None
        if _too_large(path.stat().st_size, name, problems):
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(Pos(name), "unreadable", f"cannot read the file: {exc.strerror or exc}")
        return None
    return read_yaml_bytes(raw, name, problems)


def _too_large(size: int, name: str, problems: Problems) -> bool:
    if size <= MAX_FILE_BYTES:
        return False
    problems.error(
        Pos(name), "file-too-large",
        f"the file is {size // (1024 * 1024)} MB; story files may be at most "
        f"{MAX_FILE_BYTES // (1024 * 1024)} MB",
        "split it into several files",
    )
    return True


def read_yaml_bytes(raw: bytes, name: str, problems: Problems) -> YMap | None:
    """Parse YAML bytes strictly; see `read_yaml`."""
    # The loader reads files itself and comes straight here: without this check a 50 MB
    # file took 21 s and 2 GB to parse before anything was reported.
    if _too_large(len(raw), name, problems):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = _locate(name, raw[: exc.start].decode("utf-8", "replace"), exc.start)
        problems.error(pos, "encoding", f"byte 0x{raw[exc.start]:02x} is not UTF-8", "save the file as UTF-8")
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        problems.error(_locate(name, text, text.index("\x00")), "binary", "the file holds a NUL byte; it is not text")
        return None
    tab = re.search(r"^[ ]*\t", text, re.MULTILINE)
    if tab:
        problems.error(
            _locate(name, text, tab.end() - 1), "tab",
            "a tab in the indentation", "YAML indents with spaces only",
        )
        return None
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        problems.error(Pos(name, 1, 1), "empty-file", "the file is empty", "remove it, or add a section such as `scenes:`")
        return None

    loader = _StrictResolver(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _pos(name, mark) if mark else Pos(name)
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        problems.error(pos, "yaml-syntax", problem, _syntax_hint(problem))
        return None
    except yaml.reader.ReaderError as exc:
        # A control character: libyaml gives its offset, not a mark (found by fuzzing).
        problems.error(
            _locate(name, text, min(exc.position, len(text))), "yaml-syntax",
            f"the control character U+{exc.character:04X} is not allowed in YAML", "delete it",
        )
        return None
    except yaml.YAMLError as exc:
        problems.error(Pos(name), "yaml-syntax", str(exc).splitlines()[0])
        return None
    except RecursionError:
        problems.error(Pos(name), "too-deep", "the file nests deeper than a story ever needs")
        return None
    finally:
        loader.dispose()

    if node is None:
        problems.error(Pos(name, 1, 1), "empty-file", "the file is empty")
        return None
    builder = _Builder(name, loader, problems, text)
    try:
        data = builder.build(node, 0)
    except _Abort:
        return None
    if builder.failed:
        return None
    if not isinstance(data, YMap):
        problems.error(
            _pos(name, node.start_mark), "not-mapping",
            "a story file must be a mapping of sections",
            "start with a section name such as `scenes:` or `notes:`",
        )
        return None
    return data


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a `:` inside a value needs the whole value in quotes"
    if "could not find expected ':'" in problem:
        return "check the indentation of this line and the one above"
    if "found character" in problem and "cannot start any token" in problem:
        return "quote the value"
    if "did not find expected" in problem:
        return "check the indentation and the `-` of list items"
    return ""


class _Abort(Exception):
    """Stops building a file after a problem that makes the rest meaningless."""


class _Builder:
    """Turns a node tree into YMap/YList/scalars, reporting what strict YAML forbids.

    This runs once per value of every story file, so the common cases (plain text keys, text
    values) take the shortest path.
    """

    def __init__(self, name: str, loader: Any, problems: Problems, text: str):
        self.name = name
        self.text = text
        self._lines: list[str] | None = None
        self.loader = loader
        self.problems = problems
        self.seen: set[int] = set()
        self.failed = False

    def fail(self, node: Any, code: str, message: str, hint: str = "") -> None:
        self.problems.error(_pos(self.name, node.start_mark), code, message, hint)
        self.failed = True

    def build(self, node: Any, depth: int) -> Any:
        node_id = id(node)
        if node_id in self.seen:
            # libyaml hands back the same node object for an alias: refuse it and stop, which
            # also keeps "billion laughs" bombs linear in time and memory.
            self.fail(
                node, "yaml-alias", "this value has an anchor (&name) that an alias (*name) repeats",
                "anchors and aliases are not allowed: copy the text instead",
            )
            raise _Abort
        self.seen.add(node_id)
        cls = node.__class__
        if cls is yaml.ScalarNode:
            if node.tag == _STR:
                value = node.value
                if not node.style and value[:1] in "yYnNoO" and _IMPLICIT_BOOLS.match(value):
                    self.implicit_bool(node)
                # Keys, ids, dates and places repeat thousands of times in a large story: one
                # copy of each instead of one per occurrence.
                return intern(value) if len(value) <= 40 else value
            return self.build_scalar(node)
        if depth > MAX_DEPTH:
            self.fail(node, "too-deep", f"values nest more than {MAX_DEPTH} levels deep")
            raise _Abort
        if cls is yaml.MappingNode:
            return self.build_map(node, depth)
        if node.tag != _SEQ:
            self.fail(node, "yaml-tag", f"the tag {node.tag!r} is not allowed", "remove the `!` tag")
        out = YList(self.name, _pack(node.start_mark))
        items_at = out.items_at
        build, value_at = self.build, self.value_at
        for item in node.value:
            out.append(build(item, depth + 1))
            items_at.append(value_at(item))
        return out

    def build_map(self, node: Any, depth: int) -> YMap:
        if node.tag != _MAP:
            self.fail(node, "yaml-tag", f"the tag {node.tag!r} is not allowed", "remove the `!` tag")
        out = YMap(self.name, _pack(node.start_mark))
        put = out.put
        build, value_at = self.build, self.value_at
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, "yaml-alias", "merge keys (<<) are not allowed", "copy the keys instead")
                continue
            key = build(key_node, depth + 1)
            if isinstance(key, (YMap, YList)):
                self.fail(key_node, "bad-key", "a key must be a plain word, not a list or mapping")
                continue
            if key in out:
                self.fail(
                    key_node, "duplicate-key", f"the key '{key}' appears twice in this mapping",
                    f"the first is at line {out.key_pos[key].line}; keep one",
                )
                continue
            key_at, at = _pack(key_node.start_mark), value_at(value_node)
            put(key, build(value_node, depth + 1), key_at, at)
        return out

    def value_at(self, node: Any) -> int:
        """Where a value's text starts (packed): past a quote, or on the first line of a | block."""
        style = node.style if node.__class__ is yaml.ScalarNode else None
        if not style:
            return _pack(node.start_mark)
        if style in ("'", '"'):
            return _pack(node.start_mark, 1)
        if self._lines is None:
            self._lines = self.text.split("\n")
        line: int = node.start_mark.line + 1
        if line < len(self._lines):
            content = self._lines[line]
            indent: int = len(content) - len(content.lstrip(" "))
            return ((line + 1) << 20) | (indent + 1)
        return _pack(node.start_mark)

    def implicit_bool(self, node: Any) -> None:
        self.fail(
            node, "implicit-bool", f"'{node.value}' is a boolean in YAML 1.1, not the word",
            f"write true or false, or quote it: \"{node.value}\"",
        )

    def build_scalar(self, node: Any) -> Any:
        """A scalar that is not plain text: a number, true/false, null, or an explicit tag."""
        value, tag = node.value, node.tag
        plain = not node.style  # libyaml gives '' for plain scalars, the pure-Python parser None
        # What the text would resolve to with no tag written: anything else was a written tag.
        if not plain or tag != self.loader.resolve(yaml.ScalarNode, value, (True, False)):
            self.fail(node, "yaml-tag", f"the tag {tag!r} is not allowed", "remove the `!` tag")
            return None
        if tag == _INT:
            return int(value)
        if tag == _BOOL:
            return value.lower() == "true"
        return None
