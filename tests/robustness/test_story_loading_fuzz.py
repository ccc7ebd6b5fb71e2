"""The loader on random mutations of a valid story file, and expressions at their size limits.

Whatever a writer's editor does to a file (a line lost, doubled, swapped, re-indented, stray
characters, a cut-off save), loading reports problems at a line, never raises and never hangs.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.format import read_story
from game.model.expressions import MAX_LENGTH, ExprError, Scope, compile_expression
from tests.conftest import MINI

VALID = (MINI / "story.yaml").read_text()
LINES = VALID.splitlines(keepends=True)
# Problems about the whole folder or file (nothing to point at inside it).
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # YAML 1.1's line breaks, which libyaml counts
FILE_LEVEL = {"no-story", "not-a-file", "unreadable", "file-too-large"}


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "indent", "truncate", "replace"]))
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "insert":
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            junk = draw(st.text(alphabet=st.sampled_from(list(":-[]{}#&*!|>'\"%@`,? \t\\xé\u00a0\u2028")), min_size=1, max_size=4))
            lines[i] = line[:at] + junk + line[at:]
        elif kind == "indent":
            line = lines[i]
            shift = draw(st.integers(-4, 4))
            lines[i] = " " * shift + line if shift > 0 else line[min(-shift, len(line) - len(line.lstrip(" "))) :]
        elif kind == "truncate":
            text = "".join(lines)
            cut = draw(st.integers(0, len(text)))
            lines = text[:cut].splitlines(keepends=True) or [""]
        elif kind == "replace":
            lines[i] = draw(st.text(max_size=30)) + "\n"
    return "".join(lines)


@settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", 400)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=mutated())
def test_a_mutated_story_file_loads_or_reports_problems_at_a_line(tmp_path: Path, text: str) -> None:
    folder = tmp_path / "story"
    folder.mkdir(exist_ok=True)
    (folder / "story.yaml").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    story, problems = read_story(folder)  # must not raise
    assert time.perf_counter() - started < 2.0
    if story is None:
        assert problems.errors, "no story and no reason why"
    for problem in problems.items:
        assert problem.message and problem.code and "\n" not in str(problem)
        folder_level = problem.code in FILE_LEVEL or problem.message == "no file has a 'story' section"
        if text.strip() and not folder_level:
            assert problem.pos.line >= 1, problem
            # libyaml puts "unexpected end of file" on the line after the last one.
            assert problem.pos.line <= len(_LINE_BREAK.split(text)) + 1, problem


def test_the_unmutated_file_is_valid(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text(VALID)
    story, problems = read_story(tmp_path)
    assert story is not None and not problems.errors


# ------------------------------------------------------------ expressions: no hang

SCOPE = Scope({"trust": "int", "married": "bool", "dept": "str"}, {"a.yard": 1}, {"n1": 1})


def _fits(source: str) -> str:
    return source[:MAX_LENGTH]


WORST_CASES = {
    "nested-parentheses": "(" * 1000 + "1" + ")" * 1000,
    "unclosed-parentheses": "(" * MAX_LENGTH,
    "prefix-minus": "-" * (MAX_LENGTH - 1) + "1",
    "prefix-not": _fits("not " * 600) + "true",
    "long-sum": _fits("trust + " * 300) + "1",
    "long-and": _fits("married and " * 200) + "true",
    "long-comparison-chain": _fits("1 < " * 600) + "1",
    "huge-number": "9" * MAX_LENGTH,
    "huge-product": " * ".join(["9" * 60] * 30),
    "long-string": "'" + "x" * (MAX_LENGTH - 2) + "'",
    "unclosed-string": "'" + "x" * (MAX_LENGTH - 1),
    "many-calls": _fits("visits(a.yard) + " * 200) + "1",
    "over-the-limit": "(" * 100_000 + "1" + ")" * 100_000,
}


def test_expressions_at_their_limits_neither_hang_nor_crash() -> None:
    class State:
        vars = {"trust": 2, "married": False, "dept": "tech"}
        visits = {"a.yard": 2}
        seen = {"n1"}

        def roll(self, sides: int) -> int:
            return 1

    for name, source in WORST_CASES.items():
        started = time.perf_counter()
        try:
            compiled = compile_expression(source, SCOPE)
        except ExprError as err:
            assert 0 <= err.offset <= len(source) and err.message and "\n" not in err.message, name
        else:
            compiled.evaluate(State())
        assert time.perf_counter() - started < 0.5, f"{name} took too long"
