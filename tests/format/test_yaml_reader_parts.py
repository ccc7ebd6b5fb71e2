"""Small parts of the YAML reader, against their plain definitions."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from game.format.yaml_reader import _has_content, read_yaml_bytes
from game.model import Problems

# The rule as a regular expression: a line (after any of YAML's line breaks) whose first
# character other than blanks is neither a blank nor the `#` of a comment. The reader checks
# it without compiling this (0.6 ms of every cold load).
CONTENT = re.compile(r"(?:^|(?<=[\r\n\x85\u2028\u2029]))[^\S\r\n\x85\u2028\u2029]*[^\s#]")


@settings(max_examples=3000)
@given(st.text(alphabet=st.sampled_from(list(" \t#\r\n\x85\u2028\u2029\x0b\x0c\u3000ax:-")), max_size=40))
def test_has_content_follows_the_rule(text: str) -> None:
    assert _has_content(text) == bool(CONTENT.search(text))


def test_has_content_on_files_a_writer_makes() -> None:
    assert not _has_content("")
    assert not _has_content("# only a comment\n\n   # another\n")
    assert not _has_content("# Windows line ends\r\n\r\n")
    assert _has_content("# a comment first\r\nscenes:\r\n")
    assert _has_content("# comment\rscenes:")  # old Mac line ends: the break ends the comment
    assert _has_content("\n" * 10_000 + "scenes: {}")
    assert not _has_content("#\n" * 100_000)


def _value_pos(text: str, key: str) -> tuple[int, int]:
    problems = Problems()
    data = read_yaml_bytes(text.encode(), "f.yaml", problems)
    assert data is not None, problems.items
    pos = data.value_pos[key]
    return pos.line, pos.column


def test_where_a_value_starts() -> None:
    """Where a writer's mistake inside a value is reported from: the text's first character."""
    assert _value_pos("a: plain\n", "a") == (1, 4)
    assert _value_pos("a: 'single'\n", "a") == (1, 5)  # past the quote
    assert _value_pos('x: 1\na: "double"\n', "a") == (2, 5)
    # A block's text starts on the next line, at its indentation, wherever the | is.
    assert _value_pos("a: |\n    block text\n", "a") == (2, 5)
    assert _value_pos("é: “x” —\nb:\n  c: >-\n      folded\n      text\n", "b") == (3, 3)
    assert _value_pos("é: “x” —\nc: >-\n      folded\n      text\n", "c") == (3, 7)
    assert _value_pos("a: |2\n  two\n", "a") == (2, 3)
