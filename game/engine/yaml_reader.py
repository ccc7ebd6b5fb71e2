"""Reads one YAML file strictly: plain data with a position for every value, or problems.

PyYAML is lenient in ways that hurt writers (YAML 1.1 reads `no` as false, duplicate keys
silently overwrite, tags build Python objects). We let libyaml parse into nodes and build the
data ourselves, so that every surprise becomes a problem at its line and column.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import yaml

from .problems import Pos, Problems

if hasattr(yaml, "CSafeLoader"):
    _BaseLoader: type = yaml.CSafeLoader
else:  # pragma: no cover - depends on how PyYAML was built
    warnings.warn(
        "PyYAML was built without libyaml; stories load about ten times slower",
        RuntimeWarning,
        stacklevel=2,
    )
    _BaseLoader = yaml.SafeLoader

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 40

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

# The words YAML 1.1 would silently turn into booleans.
_IMPLICIT_BOOLS = re.compile(r"^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$")


class _StrictResolver(_BaseLoader):  # type: ignore[misc, valid-type]
    """Resolves plain scalars to null, true/false, whole numbers or text; nothing else."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}


_StrictResolver.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_StrictResolver.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_StrictResolver.add_implicit_resolver(_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


class YMap(dict):  # type: ignore[type-arg]
    """A mapping read from YAML: `pos` is where it starts, `key_pos[k]` where key k is,
    `value_pos[k]` where its value is."""

    pos: Pos
    key_pos: dict[Any, Pos]
    value_pos: dict[Any, Pos]


class YList(list):  # type: ignore[type-arg]
    """A sequence read from YAML: `pos` is where it starts, `item_pos[i]` where item i is."""

    pos: Pos
    item_pos: list[Pos]


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
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.error(
                Pos(name), "file-too-large",
                f"the file is {size // (1024 * 1024)} MB; story files may be at most "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB",
                "split it into several files",
            )
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(Pos(name), "unreadable", f"cannot read the file: {exc.strerror or exc}")
        return None
    return read_yaml_bytes(raw, name, problems)


def read_yaml_bytes(raw: bytes, name: str, problems: Problems) -> YMap | None:
    """Parse YAML bytes strictly; see `read_yaml`."""
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
    """Turns a node tree into YMap/YList/scalars, reporting what strict YAML forbids."""

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
        if depth > MAX_DEPTH:
            self.fail(node, "too-deep", f"values nest more than {MAX_DEPTH} levels deep")
            return None
        if id(node) in self.seen:
            # libyaml hands back the same node object for an alias: refuse it and stop, which
            # also keeps "billion laughs" bombs linear in time and memory.
            self.fail(
                node, "yaml-alias", "this value has an anchor (&name) that an alias (*name) repeats",
                "anchors and aliases are not allowed: copy the text instead",
            )
            raise _Abort
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self.build_map(node, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.fail(node, "yaml-tag", f"the tag {node.tag!r} is not allowed", "remove the `!` tag")
            out = YList()
            out.pos = _pos(self.name, node.start_mark)
            out.item_pos = []
            for item in node.value:
                out.append(self.build(item, depth + 1))
                out.item_pos.append(self.value_pos(item))
            return out
        return self.build_scalar(node)

    def build_map(self, node: Any, depth: int) -> YMap:
        if node.tag != _MAP:
            self.fail(node, "yaml-tag", f"the tag {node.tag!r} is not allowed", "remove the `!` tag")
        out = YMap()
        out.pos = _pos(self.name, node.start_mark)
        out.key_pos = {}
        out.value_pos = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, "yaml-alias", "merge keys (<<) are not allowed", "copy the keys instead")
                continue
            key = self.build(key_node, depth + 1)
            if isinstance(key, (YMap, YList)):
                self.fail(key_node, "bad-key", "a key must be a plain word, not a list or mapping")
                continue
            key_pos = _pos(self.name, key_node.start_mark)
            if key in out.key_pos:
                first = out.key_pos[key]
                self.fail(
                    key_node, "duplicate-key", f"the key '{key}' appears twice in this mapping",
                    f"the first is at line {first.line}; keep one",
                )
                continue
            out.key_pos[key] = key_pos
            out.value_pos[key] = self.value_pos(value_node)
            out[key] = self.build(value_node, depth + 1)
        return out

    def value_pos(self, node: Any) -> Pos:
        """Where a value's text starts: past a quote, or on the first line of a | block."""
        style = getattr(node, "style", None)
        if style in ("|", ">"):
            if self._lines is None:
                self._lines = self.text.split("\n")
            line = node.start_mark.line + 1
            if line < len(self._lines):
                content = self._lines[line]
                return Pos(self.name, line + 1, len(content) - len(content.lstrip(" ")) + 1)
        return _pos(self.name, node.start_mark, style in ("'", '"'))

    def build_scalar(self, node: Any) -> Any:
        value = node.value
        plain = not node.style  # libyaml gives '' for plain scalars, the pure-Python parser None
        # The tag libyaml would give this text with no explicit tag: anything else was written.
        implicit = self.loader.resolve(yaml.ScalarNode, value, (plain, not plain))
        if node.tag != implicit and node.tag != _STR:
            self.fail(node, "yaml-tag", f"the tag {node.tag!r} is not allowed", "remove the `!` tag")
            return None
        if node.tag == _STR:
            if plain and _IMPLICIT_BOOLS.match(value):
                self.fail(
                    node, "implicit-bool",
                    f"'{value}' is a boolean in YAML 1.1, not the word",
                    f"write true or false, or quote it: \"{value}\"",
                )
            return value
        if node.tag == _INT:
            return int(value)
        if node.tag == _BOOL:
            return value.lower() == "true"
        return None

