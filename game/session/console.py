"""Writing to a terminal or a pipe that may not take every character the story holds.

Standard output is UTF-8 on most systems, but not everywhere: Windows gives a redirected or
piped output its ANSI code page (cp1252 in Western Europe), a Linux terminal may run in a
Latin-1 locale, and `PYTHONIOENCODING=ascii` is set on purpose by some screen-reader setups.
Printing "Panevėžys" there raised UnicodeEncodeError. Python's own error handlers are either
fatal ("strict"), lossy without a trace ("ignore", "?" for "replace") or unreadable aloud
("backslashreplace": `Panev\\u0117\\u017eys`), so this module registers one more: a letter the
output cannot carry becomes its plain Latin letter ("Panevezys"), Cyrillic is transliterated,
typographic punctuation becomes ASCII, and anything else becomes "?". Files the game writes
(saves, records, reports) are always UTF-8 and never go through here.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from typing import IO

ERRORS = "kengir.readable"

_PUNCTUATION = {
    "\u2014": "--",
    "\u2013": "-",
    "\u2012": "-",
    "\u2010": "-",
    "\u2011": "-",
    "\u2212": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2033": '"',
    "\u2026": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u00d7": "x",
    "\u00b7": "-",
    "\u2022": "*",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2116": "No.",
    "\u00b0": " degrees",
    "\u00a7": "S.",
    "\u2248": "~",
    "\u00bd": "1/2",
    "\u00bc": "1/4",
    "\u00be": "3/4",
    # Latin letters that do not decompose into a base letter and a mark
    "\u0142": "l",
    "\u0141": "L",
    "\u00f8": "o",
    "\u00d8": "O",
    "\u00df": "ss",
    "\u0111": "d",
    "\u0110": "D",
    "\u00e6": "ae",
    "\u00c6": "AE",
    "\u0153": "oe",
    "\u0152": "OE",
    "\u0131": "i",
}
# Russian and Ukrainian letters, as a reader of English would spell them (close to BGN/PCGN).
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "yo",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
            "ye",
            "i",
            "yi",
            "g",
        ],
        strict=True,
    )
)


def _spelled(char: str) -> str:
    """`char` in plain letters, or "" when there is no such spelling."""
    if char in _PUNCTUATION:
        return _PUNCTUATION[char]
    lower = char.lower()
    if lower in _CYRILLIC:
        latin = _CYRILLIC[lower]
        return latin.capitalize() if char != lower else latin
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base != char else ""


def _readable(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler: each character the encoding refuses, spelled as it can carry."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for char in error.object[error.start : error.end]:
        spelled = _spelled(char)
        try:
            spelled.encode(error.encoding)
        except (UnicodeEncodeError, LookupError):
            spelled = ""
        out.append(spelled or "?")
    return "".join(out), error.end


codecs.register_error(ERRORS, _readable)


def readable(text: str, encoding: str) -> str:
    """`text` as an output in `encoding` would show it (for tests and messages built ahead)."""
    return text.encode(encoding, ERRORS).decode(encoding)


def carries_everything(encoding: str | None) -> bool:
    """Whether an output in `encoding` can take any character (a UTF encoding)."""
    try:
        return codecs.lookup(encoding or "ascii").name.startswith("utf")
    except LookupError:
        return False


# C0 controls but tab and newline, DEL, and the C1 controls: what can move a terminal's cursor,
# retitle it, clear it or write to its clipboard when printed raw.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return "^" + chr(code + 0x40)  # caret notation: ESC is ^[
    return "^?" if code == 0x7F else f"<U+{code:04X}>"


def visible(text: str) -> str:
    """`text` with every control character made visible (ESC as ^[, U+009B as <U+009B>), so
    that text we did not write (a story file, a student's name or answer) can never command the
    terminal it is printed to. Tabs and newlines stay."""
    return _CONTROL.sub(_shown, text) if _CONTROL.search(text) else text


def fit_output(*streams: IO[str] | None) -> None:
    """Make output streams safe for any text: a character the output cannot carry is shown
    readably instead of failing. Streams that are not real text files (a test's StringIO) and
    UTF-8 outputs are left alone."""
    for stream in streams:
        if isinstance(stream, io.TextIOWrapper) and not carries_everything(stream.encoding):
            _reconfigure(stream, ERRORS)


def fit_input(stream: IO[str] | None) -> None:
    """Make an input stream read bytes that are not in its encoding (a name typed in another
    code page, a pasted file) as the replacement character, instead of failing."""
    if isinstance(stream, io.TextIOWrapper):
        _reconfigure(stream, "replace")


def _reconfigure(stream: io.TextIOWrapper, errors: str) -> None:
    try:
        stream.reconfigure(errors=errors)
    except (ValueError, io.UnsupportedOperation):  # closed, or past the point where it may change
        pass
