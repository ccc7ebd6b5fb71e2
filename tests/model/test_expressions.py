"""The expression language: parsing, types, evaluation, and errors with positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.model.expressions import ExprError, Scope, compile_expression

SCOPE = Scope({"trust": "int", "married": "bool", "dept": "str"}, {"a.yard": 1}, {"n1": 1})


@dataclass
class FakeState:
    vars: dict[str, Any] = field(default_factory=lambda: {"trust": 2, "married": False, "dept": "tech"})
    visits: dict[str, int] = field(default_factory=lambda: {"a.yard": 2})
    seen: set[str] = field(default_factory=lambda: {"n1"})

    def roll(self, sides: int) -> int:
        return sides


def value(source: str) -> Any:
    return compile_expression(source, SCOPE).evaluate(FakeState())


@pytest.mark.parametrize(
    "source, expected",
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("7 / 2", 3),
        ("7 % 3", 1),
        ("5 / 0", 0),
        ("-trust + 1", -1),
        ("trust >= 2 and not married", True),
        ("married or trust == 2", True),
        ("not married and trust < 2", False),
        ('dept == "tech"', True),
        ("dept != 'tech'", False),
        ('dept + "!"', "tech!"),
        ("visited(a.yard)", True),
        ("visits(a.yard) * 10", 20),
        ("seen(n1)", True),
        ("roll(6)", 6),
        ("true", True),
        ("3 - 2 - 1", 0),
    ],
)
def test_evaluation(source: str, expected: Any) -> None:
    assert value(source) == expected


@pytest.mark.parametrize(
    "source, code, offset",
    [
        ("trust >", "expr-syntax", 7),
        ("trsut > 1", "unknown-variable", 0),
        ("trust and married", "type-mismatch", 0),
        ("married + 1", "type-mismatch", 0),
        ('trust == "2"', "type-mismatch", 6),
        ("visited(a.yrd)", "unknown-scene", 8),
        ("seen(n9)", "unknown-note", 5),
        ("1 < trust < 3", "expr-syntax", 10),
        ("trust = 2", "expr-syntax", 6),
        ("trust && married", "expr-syntax", 6),
        ("launch(1)", "unknown-function", 0),
        ("", "expr-syntax", 0),
        ("(1 + 2", "expr-syntax", 6),
        ("dept == tech", "unknown-variable", 8),
    ],
)
def test_errors_have_a_code_and_a_position(source: str, code: str, offset: int) -> None:
    with pytest.raises(ExprError) as info:
        compile_expression(source, SCOPE)
    assert (info.value.code, info.value.offset) == (code, offset)


def test_a_condition_must_be_true_or_false() -> None:
    with pytest.raises(ExprError, match="expected bool, found int"):
        compile_expression("trust + 1", SCOPE, "bool")


def test_reads_are_recorded_for_the_checker() -> None:
    assert compile_expression("trust > 1 and dept == 'x'", SCOPE).reads == {"trust", "dept"}


ATOMS = st.sampled_from(["trust", "married", "dept", "1", "0", "true", "'x'", "visited(a.yard)", "seen(n1)", "roll(3)", "zz"])
OPS = st.sampled_from([" + ", " - ", " * ", " / ", " % ", " and ", " or ", " == ", " != ", " < ", " >= ", ""])


@st.composite
def expressions(draw: st.DrawFn) -> str:
    parts = [draw(ATOMS)]
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):
            parts.append(draw(OPS))
        parts.append(draw(st.sampled_from(["", "not ", "-", "(", ")"])) + draw(ATOMS))
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(st.one_of(expressions(), st.text(max_size=40)))
def test_any_input_compiles_and_runs_or_fails_with_a_position(source: str) -> None:
    try:
        compiled = compile_expression(source, SCOPE)
    except ExprError as err:
        assert 0 <= err.offset <= len(source) and err.message
        return
    result = compiled.evaluate(FakeState())
    expected_type = {bool: "bool", int: "int", str: "str"}[type(result)]
    assert expected_type == compiled.type  # the checker's type is what evaluation gives
