"""Words of a text with `{holes}`, counted without building the text: the play-tester's counter.

`kengir test` counts the words a player reads. A text without holes is counted once, when the
story is compiled; a text with holes used to be built and split again at every step, which made
a story with one `{name}` in each scene six times slower to test. Here a template's constant
parts are counted once, and each value a hole takes is counted once, when first met: the words
of the whole are the sum of its pieces' words, less one wherever two pieces meet inside a word
(the piece before ends with a non-space and the one after starts with one, as in "{count}th").

A `TemplateWords` is a dict from the holes' values (one value, or a tuple of them for several
holes) to the template's words, filled on first use, so that a step costs one dict look-up.
The expressions themselves are still evaluated at every step by the generated code, so every
interpolation a run reaches is played; only the counting of a value already met is saved.
"""

from __future__ import annotations

from typing import Any

# Distinct values remembered per template: a free-text variable that grows on every loop would
# otherwise grow the memo for ever. Past this, values are counted (in pieces) without keeping.
MEMO_LIMIT = 4096


def shown(value: Any) -> str:
    """A hole's value as Template.render shows it."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def joined_words(pieces: list[str], counts: list[int]) -> int:
    """len("".join(pieces).split()), given each piece's len(piece.split()) in `counts`.

    Two neighbouring non-empty pieces share a word when the first ends and the second starts
    with a character that is not whitespace (str.split's whitespace: str.isspace)."""
    total = 0
    last = ""  # the last non-empty piece so far
    for piece, count in zip(pieces, counts):
        if not piece:
            continue
        total += count
        if last and not last[-1].isspace() and not piece[0].isspace():
            total -= 1
        last = piece
    return total


class TemplateWords(dict[Any, int]):
    """The words of one template, by the value of its holes (a tuple of them if several).

    `constants` are the literal parts around the holes: len(holes) + 1 strings, some empty."""

    __slots__ = ("constants", "constant_words", "holes")

    def __init__(self, constants: list[str], holes: int) -> None:
        super().__init__()
        assert len(constants) == holes + 1
        self.constants = constants
        self.constant_words = [len(c.split()) for c in constants]
        self.holes = holes

    def count(self, values: tuple[Any, ...]) -> int:
        pieces: list[str] = [self.constants[0]]
        counts: list[int] = [self.constant_words[0]]
        for i, value in enumerate(values):
            text = shown(value)
            pieces += (text, self.constants[i + 1])
            counts += (len(text.split()), self.constant_words[i + 1])
        return joined_words(pieces, counts)

    def __missing__(self, key: Any) -> int:
        words = self.count(key if self.holes > 1 else (key,))
        if len(self) < MEMO_LIMIT:
            self[key] = words
        return words
