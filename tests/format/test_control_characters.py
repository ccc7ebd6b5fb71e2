"""A story file holding a control character is refused at the character, whether it is written
as it is or made by an escape of a double-quoted text; tabs and line ends (LF, CRLF) are not."""

from __future__ import annotations

import pytest

from game.format.yaml_reader import read_yaml_bytes
from game.model import Problems


@pytest.mark.parametrize(
    ("text", "where", "said"),
    [
        ('title: "Two \\e[1mbold"\n', "1:13", "the escape `\\e` puts the control character U+001B (escape) in the text"),
        ('a:\n  - "ok"\n  - "Кенгир \\x07"\n', "3:13", "the escape `\\x07` puts the control character U+0007 (bell) in the text"),
        ('title: "x\\Ny"\n', "1:10", "the escape `\\N` puts the control character U+0085 (next line) in the text"),
        ('title: !!str "x\\u009Fy"\n', "1:16", "the escape `\\u009F` puts the control character U+009F in the text"),
        ('"bad\\rkey": x\n', "1:5", "the escape `\\r` puts the control character U+000D (carriage return) in the text"),
        ("title: x\x7fy\n", "1:9", "the file holds the control character U+007F (delete)"),
        ("title: x\x1by\n", "1:9", "the file holds the control character U+001B (escape)"),
        ("title: x\ry\n", "1:9", "the file holds the control character U+000D (carriage return)"),
        ('title: "x\x85y"\n', "1:10", "the file holds the control character U+0085 (next line)"),
    ],
)
def test_a_control_character_is_refused_where_it_is(text: str, where: str, said: str) -> None:
    problems = Problems()
    assert read_yaml_bytes(text.encode(), "f.yaml", problems) is None
    [problem] = problems.items
    assert (problem.code, f"{problem.pos.line}:{problem.pos.column}", problem.message) == ("control-character", where, said)
    assert problem.hint


@pytest.mark.parametrize("text", ['title: "a\\tb\\n \\\\e"\n', "title: a\r\nb: c\r\n", "title: 'tab\there'\n", 'title: "\\u00e9\\x41"\n'])
def test_tabs_line_ends_and_other_escapes_are_text(text: str) -> None:
    problems = Problems()
    assert read_yaml_bytes(text.encode(), "f.yaml", problems) is not None and problems.items == []
