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

from game.format.yaml_data import MAX_FILE_BYTES, YList, YMap
from game.model import Pos, Problems

try:
    from yaml._yaml import CParser as _Parser  # libyaml
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    warnings.warn(
        "PyYAML was built without libyaml; stories load about ten times slower",
        RuntimeWarning,
        stacklevel=2,
    )
    _Parser = yaml.SafeLoader  # type: ignore[misc, assignment]

MAX_DEPTH = 40

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"

# The words YAML 1.1 would silently turn into booleans.
_IMPLICIT_BOOLS = frozenset(w for base in ("yes", "no", "on", "off") for w in (base, base.capitalize(), base.upper()))


_INT_RE = re.compile(r"^[-+]?[0-9]+$")
_BOOL_WORDS = frozenset(("true", "True", "TRUE", "false", "False", "FALSE"))
_NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))


_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)
# YAML's line breaks besides \n.
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")

# Plain scalars that are not text (null, true/false) or that YAML 1.1 reads as booleans: a
# plain scalar that is none of these and does not look like a number is text, at once.
_NOT_PLAIN_TEXT = _NULL_WORDS | _BOOL_WORDS | _IMPLICIT_BOOLS
_NUMBER_START = frozenset("-+0123456789")


# What a story's text may not hold: the C0 controls but tab and newline, DEL, and the C1 range.
# Written as they are, libyaml refuses most of them (and reads \r and NEL as line breaks); a
# double-quoted scalar's escapes (`\\e`, `\\x07`, `\\u0085`) make any of them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_RAW_CONTROL = re.compile("\r(?!\n)|\x85")
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_ESCAPED = {"0": "\x00", "a": "\x07", "b": "\x08", "v": "\x0b", "f": "\x0c", "r": "\r", "e": "\x1b", "N": "\x85"}
_CONTROL_NAMES = {
    "\x00": "NUL",
    "\x07": "bell",
    "\x08": "backspace",
    "\x0b": "vertical tab",
    "\x0c": "form feed",
    "\r": "carriage return",
    "\x1b": "escape",
    "\x7f": "delete",
    "\x85": "next line",
}
CONTROL_HINT = "delete it: it is invisible in most editors, and a terminal may act on it"


def _describe_control(char: str) -> str:
    name = _CONTROL_NAMES.get(char)
    return f"U+{ord(char):04X} ({name})" if name else f"U+{ord(char):04X}"


def _escaped_control(source: str) -> tuple[int, str, str] | None:
    """(offset, the escape, the character) of the first escape in a double-quoted scalar's
    source that makes a control character."""
    for match in _ESCAPE.finditer(source):
        code = match.group(1)
        char = chr(int(code[1:], 16)) if len(code) > 1 else _ESCAPED.get(code, "")
        if char and _CONTROL.match(char):
            return match.start(), match.group(), char
    return None


def _has_content(text: str) -> bool:
    """Whether a line holds something other than a comment: read line by line up to the first
    such line, the first line of most files (a regular expression cost more to compile than
    this costs to run)."""
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        line = text[start:end]
        # Each part between YAML's other line breaks (\r of \r\n, and rarer ones) is a line too.
        for part in re.split("\r|\x85|\u2028|\u2029", line) if any(brk in line for brk in _OTHER_BREAKS) else (line,):
            body = part.strip()
            if body and body[0] != "#":
                return True
        start = end + 1
    return False


def _resolve_plain(value: str) -> str:
    """The tag of a plain scalar: null, true/false, a whole number, or text; nothing else
    (no YAML 1.1 booleans, floats, dates or octals)."""
    if value in _NULL_WORDS:
        return _NULL
    first = value[0]
    if first in "tTfF" and value in _BOOL_WORDS:
        return _BOOL
    if first in _NUMBER_START and _INT_RE.match(value):
        return _INT
    return _STR


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
        Pos(name),
        "file-too-large",
        f"the file is {size // (1024 * 1024)} MB; story files may be at most {MAX_FILE_BYTES // (1024 * 1024)} MB",
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
    tab = "\t" in text and _TAB_INDENT.search(text)  # most files have no tab at all: one quick scan
    if tab:
        problems.error(
            _locate(name, text, tab.end() - 1),
            "tab",
            "a tab in the indentation",
            "YAML indents with spaces only",
        )
        return None
    # The control characters libyaml reads as line breaks rather than refuse: a CR that ends
    # no line (lines are counted by LF) and NEL.
    raw_control = _RAW_CONTROL.search(text) if "\r" in text or "\x85" in text else None
    if raw_control:
        char = raw_control.group()
        problems.error(
            _locate(name, text, raw_control.start()),
            "control-character",
            f"the file holds the control character {_describe_control(char)}",
            "save the file with LF or CRLF line ends" if char == "\r" else CONTROL_HINT,
        )
        return None
    if not _has_content(text):  # nothing but blank lines and comments
        problems.error(Pos(name, 1, 1), "empty-file", "the file is empty", "remove it, or add a section such as `scenes:`")
        return None

    parser = _Parser(text)
    builder = _Builder(name, problems, text)
    try:
        data = builder.read(parser)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _pos(name, mark) if mark else Pos(name)
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        problems.error(pos, "yaml-syntax", problem, _syntax_hint(problem))
        return None
    except yaml.reader.ReaderError as exc:
        # A control character: libyaml gives its offset, not a mark (found by fuzzing).
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        problems.error(
            _locate(name, text, min(exc.position, len(text))),
            "control-character" if _CONTROL.match(char) else "yaml-syntax",
            f"the file holds the control character {_describe_control(char)}",
            CONTROL_HINT if _CONTROL.match(char) else "delete it",
        )
        return None
    except yaml.YAMLError as exc:
        problems.error(Pos(name), "yaml-syntax", str(exc).splitlines()[0])
        return None
    except _Abort:
        return None
    finally:
        parser.dispose()
    if builder.failed:
        return None
    return data


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        # Two mistakes give this: a key indented deeper than its neighbours, or a value with
        # ": " in it (a new writer met the first and was told only of the second).
        return "check this line's indentation against the line above; a value with `: ` in it needs quotes"
    if "could not find expected ':'" in problem:
        return "check the indentation of this line and the one above"
    if "found character" in problem and "cannot start any token" in problem:
        return "quote the value"
    if "did not find expected" in problem:
        return "check the indentation and the `-` of list items"
    return ""


class _Abort(Exception):
    """Stops building a file after a problem that makes the rest meaningless."""


_NO_KEY = object()


class _Builder:
    """Builds YMap/YList/scalars straight from libyaml's event stream, reporting what strict
    YAML forbids. (Not from PyYAML's node tree: building that tree first took as long again.)

    This runs once per value of every story file, so the common case (a plain text scalar)
    takes the shortest path.
    """

    def __init__(self, name: str, problems: Problems, text: str):
        self.name = name
        self.text = text
        self.problems = problems
        self.anchors: dict[str, Any] = {}  # anchor -> the mark of the value it names
        self.failed = False

    def fail(self, mark: Any, code: str, message: str, hint: str = "") -> None:
        self.problems.error(_pos(self.name, mark), code, message, hint)
        self.failed = True

    def read(self, parser: Any) -> YMap:
        """The document's data; problems reported; _Abort when the rest is meaningless."""
        get = parser.get_event
        get()  # the stream starts
        event = get()
        if event.__class__ is yaml.StreamEndEvent:
            self.problems.error(Pos(self.name, 1, 1), "empty-file", "the file is empty", "remove it, or add a section such as `scenes:`")
            raise _Abort
        root_mark = None
        root: Any = None
        # The mapping or list being filled, in local variables rather than an object (this
        # loop runs once per value of every file): the container, its packed positions
        # (YMap.at or YList.items_at), whether it is a mapping, whether it is itself used as a
        # key (refused when it ends) and where it starts. A mapping's key waits in `key`.
        container: Any = None
        positions: Any = None
        is_map = is_key = False
        start_mark: Any = None
        key: Any = _NO_KEY
        key_at = 0
        stack: list[tuple[Any, Any, bool, bool, Any]] = []  # the enclosing containers, as above
        skipping = 0  # nesting inside a value being read past
        skip_next = False  # the next event is the value of a refused key: read past, not built
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        name = self.name
        while True:
            event = get()
            cls = event.__class__
            if skip_next and cls is not map_end:
                # The value of a refused key is read past unchecked, as if it were not there.
                skip_next = False
                key = _NO_KEY
                if cls is map_start or cls is seq_start:
                    skipping = 1
                self.skipped(event)
                continue
            if skipping:
                if cls is map_start or cls is seq_start:
                    skipping += 1
                elif cls is map_end or cls is seq_end:
                    skipping -= 1
                self.skipped(event)
                continue
            if cls is scalar_event:
                if event.anchor is not None:
                    self.anchor(event)
                value = event.value
                style = event.style  # '' (libyaml) or None when plain; a quote; | or >
                # (The words that are not text are short: a long value is not hashed to find out.)
                if event.tag is None and (
                    style
                    or ((len(value) > 5 or value not in _NOT_PLAIN_TEXT) and not (value[:1] in _NUMBER_START and _INT_RE.match(value)))
                ):
                    # Text, quoted or plain, with no tag: most values, so the shortest path
                    # (with _pack written out).
                    if len(value) <= 40:
                        value = intern(value)
                    mark = event.start_mark
                    if not style:
                        at = ((mark.line + 1) << 20) | (mark.column + 1)
                    elif style == "'" or style == '"':
                        at = ((mark.line + 1) << 20) | (mark.column + 2)  # past the quote
                        if style == '"' and _CONTROL.search(value):
                            self.escaped_control(event)
                    else:
                        at = self.value_at(event)
                elif event.tag == _MERGE and is_map and key is _NO_KEY:
                    at = 0  # a merge key: refused below, as a key
                else:
                    value = self.scalar(event)
                    at = self.value_at(event)
            elif cls is map_start or cls is seq_start:
                if event.anchor is not None:
                    self.anchor(event)
                if len(stack) + (container is not None) > MAX_DEPTH:  # this value's depth (the root's is 0)
                    self.fail(event.start_mark, "too-deep", f"values nest more than {MAX_DEPTH} levels deep")
                    raise _Abort
                if cls is map_start:
                    if event.tag is not None and event.tag != "!" and event.tag != _MAP:
                        self.fail(event.start_mark, "yaml-tag", f"the tag {event.tag!r} is not allowed", "remove the `!` tag")
                    mark = event.start_mark
                    at = ((mark.line + 1) << 20) | (mark.column + 1)
                    value = YMap(name, at)
                else:
                    if event.tag is not None and event.tag != "!" and event.tag != _SEQ:
                        self.fail(event.start_mark, "yaml-tag", f"the tag {event.tag!r} is not allowed", "remove the `!` tag")
                    mark = event.start_mark
                    at = ((mark.line + 1) << 20) | (mark.column + 1)
                    value = YList(name, at)
            elif cls is map_end or cls is seq_end:
                done, done_is_key, done_mark = container, is_key, start_mark
                if stack:
                    container, positions, is_map, is_key, start_mark = stack.pop()
                else:
                    container = None
                key = _NO_KEY  # a container is entered only once its parent's key has its value
                if done_is_key:
                    self.fail(done_mark, "bad-key", "a key must be a plain word, not a list or mapping")
                    skip_next = True
                    key = None
                if container is None:
                    root = done
                    break
                continue
            elif cls is alias_event:
                mark = self.anchors.get(event.anchor)
                if mark is None:
                    self.fail(event.start_mark, "yaml-syntax", f"found undefined alias {event.anchor!r}")
                else:
                    self.fail(
                        mark,
                        "yaml-alias",
                        "this value has an anchor (&name) that an alias (*name) repeats",
                        "anchors and aliases are not allowed: copy the text instead",
                    )
                raise _Abort
            else:  # pragma: no cover - libyaml sends nothing else inside a document
                raise yaml.YAMLError(f"unexpected {cls.__name__}")

            if container is None:  # the document's root
                if cls is scalar_event:
                    root, root_mark = value, event.start_mark
                    break
                root_mark = event.start_mark
            elif is_map and key is _NO_KEY:  # a key
                if cls is not scalar_event:  # a mapping or list as a key: refused when it ends
                    stack.append((container, positions, is_map, is_key, start_mark))
                    container, is_key, start_mark = value, True, event.start_mark
                    is_map = cls is map_start
                    positions = value.at if is_map else value.items_at
                    continue
                if event.tag == _MERGE:
                    self.fail(event.start_mark, "yaml-alias", "merge keys (<<) are not allowed", "copy the keys instead")
                    skip_next = True
                elif value in container:
                    first = container.key_pos[value].line
                    self.fail(
                        event.start_mark,
                        "duplicate-key",
                        f"the key '{value}' appears twice in this mapping",
                        f"the first is at line {first}; keep one",
                    )
                    skip_next = True
                key, key_at = value, (at if not style else _pack(event.start_mark))
                continue
            elif is_map:
                # YMap.put, written out (once per value of every file)
                container[key] = value
                positions.append(key_at)
                positions.append(at)
                key = _NO_KEY
            else:
                container.append(value)
                positions.append(at)
            if cls is not scalar_event:  # a mapping or list: filled next
                if container is not None:
                    stack.append((container, positions, is_map, is_key, start_mark))
                container, is_key, start_mark = value, False, None
                is_map = cls is map_start
                positions = value.at if is_map else value.items_at
        # After the document: libyaml would go on to a second one, which a story file may not have.
        get()  # the document ends
        if parser.peek_event().__class__ is not yaml.StreamEndEvent:
            event = get()
            self.fail(event.start_mark, "yaml-syntax", "but found another document")
            raise _Abort
        if self.failed:
            raise _Abort  # the file is refused: nothing more to say of it
        if not isinstance(root, YMap):
            self.problems.error(
                _pos(self.name, root_mark),
                "not-mapping",
                "a story file must be a mapping of sections",
                "start with a section name such as `scenes:` or `notes:`",
            )
            raise _Abort
        return root

    def escaped_control(self, event: Any) -> None:
        """Refuse a double-quoted scalar whose escapes (`\\e`, `\\x07`, `\\N`...) make a control
        character, at the escape that does."""
        start = event.start_mark.index
        found = _escaped_control(self.text[start : event.end_mark.index])
        offset, escape, char = found if found else (0, "", _CONTROL.search(event.value).group())  # type: ignore[union-attr]
        self.problems.error(
            _locate(self.name, self.text, start + offset),
            "control-character",
            f"the escape `{escape}` puts the control character {_describe_control(char)} in the text"
            if escape
            else f"the text holds the control character {_describe_control(char)}",
            CONTROL_HINT,
        )
        self.failed = True

    def skipped(self, event: Any) -> None:
        """Anchors and aliases in a value read past still count: an alias to an anchor nobody
        defined, or an anchor defined twice, is wrong wherever it is (libyaml's composer said so)."""
        if event.__class__ is yaml.AliasEvent:
            if event.anchor not in self.anchors:
                self.fail(event.start_mark, "yaml-syntax", f"found undefined alias {event.anchor!r}")
                raise _Abort
        elif getattr(event, "anchor", None) is not None:
            self.anchor(event)

    def anchor(self, event: Any) -> None:
        if event.anchor in self.anchors:
            self.fail(event.start_mark, "yaml-syntax", f"found duplicate anchor {event.anchor!r}")
            raise _Abort
        self.anchors[event.anchor] = event.start_mark

    def scalar(self, event: Any) -> Any:
        value: str = event.value
        tag = event.tag
        style = event.style  # '' (libyaml) or None (pure Python) when plain
        if tag is None or tag == "!":
            tag = _resolve_plain(value) if event.implicit[0] else _STR
        if tag == _STR:
            if style == '"' and _CONTROL.search(value):
                self.escaped_control(event)
            if not style and value in _IMPLICIT_BOOLS:
                self.fail(
                    event.start_mark,
                    "implicit-bool",
                    f"'{value}' is a boolean in YAML 1.1, not the word",
                    f'write true or false, or quote it: "{value}"',
                )
            # Keys, ids, dates and places repeat thousands of times in a large story: one
            # copy of each instead of one per occurrence.
            return intern(value) if len(value) <= 40 else value
        # Not plain text: a number, true/false or null as written, or else a tag someone wrote.
        if style or tag != _resolve_plain(value):
            self.fail(event.start_mark, "yaml-tag", f"the tag {tag!r} is not allowed", "remove the `!` tag")
            return None
        if tag == _INT:
            try:
                return int(value)
            except ValueError:  # more digits than Python converts (4,300)
                self.fail(
                    event.start_mark, "wrong-type", f"a number of {len(value):,} digits", "no story needs one; quote it if it is text"
                )
                return None
        if tag == _BOOL:
            return value.lower() == "true"
        return None

    def value_at(self, event: Any) -> int:
        """Where a scalar's text starts (packed): past a quote, or on the first line of a | block."""
        style = event.style
        mark = event.start_mark
        if not style:
            return _pack(mark)
        if style in ("'", '"'):
            return _pack(mark, 1)
        # A block scalar: its text starts on the line after the `|` or `>`, at its indentation.
        text = self.text
        start = text.find("\n", mark.index) + 1
        if start:
            end = text.find("\n", start)
            content = text[start:] if end < 0 else text[start:end]
            indent = len(content) - len(content.lstrip(" "))
            line: int = mark.line + 2  # (1-based) the line after the mark's
            return (line << 20) | (indent + 1)
        return _pack(mark)
