"""The play-tester's word counter for texts with holes (words.py) against the slow path it
replaces: the text built as Template.render builds it, then split."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from game.writers.playtest.words import MEMO_LIMIT, TemplateWords, shown

# Characters that matter to word boundaries: str.split's whitespace (some of it outside ASCII),
# letters, punctuation.
CHARS = st.sampled_from([" ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\x1c", "a", "é", "-", ".", "1"])
TEXT = st.text(CHARS, max_size=8)
VALUE = st.one_of(st.integers(-12, 12), st.booleans(), TEXT)


def slow_words(constants: list[str], values: tuple[object, ...]) -> int:
    text = constants[0] + "".join(shown(v) + c for v, c in zip(values, constants[1:]))
    return len(text.split())


@given(constants=st.lists(TEXT, min_size=2, max_size=5), data=st.data())
def test_words_by_value_are_the_words_of_the_built_text(constants: list[str], data: st.DataObject) -> None:
    holes = len(constants) - 1
    memo = TemplateWords(constants, holes)
    for _ in range(3):
        values = tuple(data.draw(VALUE) for _ in range(holes))
        key = values if holes > 1 else values[0]
        assert memo[key] == slow_words(constants, values), (constants, values)
        assert memo[key] == slow_words(constants, values)  # remembered, still right


def test_values_are_remembered_up_to_a_limit() -> None:
    memo = TemplateWords(["You have ", " coins."], 1)
    for value in range(MEMO_LIMIT + 10):
        assert memo[value] == 4
    assert len(memo) == MEMO_LIMIT
    assert memo[True] == 4 and memo["two words"] == 5 and memo[""] == 3 and memo[" "] == 3
