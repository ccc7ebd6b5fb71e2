"""The words a story uses far more often than English at large: its tics and its fixations.

The baseline is wordfreq's list of common English (Wikipedia, subtitles, news, books, the web
and more, blended), the best-known frequency list with Python access; pyspellchecker's own
counts cannot serve, two thirds of its words carrying a placeholder count. Words are ranked by
keyness, the log-likelihood that the story's count is not chance given the baseline (Dunning's
G², as corpus linguists rank the words one text overuses against another): a word used a
little more than usual but very often ranks with one used far more than usual a few times.

Left out, since a writer cannot act on them: the story's own names and terms, words the story
only ever writes with a capital (names of peoples and places), and the commonest words of
English (pronouns, articles: a second-person present-tense story uses "you" and "says" more
than English at large by its nature, but "says" is kept, as a writer can vary it)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from game.writers.prose.spelling import StoryWords, normal
from game.writers.prose.word_cache import MissingLibrary

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
MIN_COUNT = 5  # a word used fewer times is no pattern
MIN_RATIO = 3.0  # three times the baseline rate at least
COMMON = 1e-3  # words more frequent than 1 in 1,000 in English at large are left out
SHOWN = 15
_OPENING = " \t\"“‘'(*_"  # spaces, opening quotes and brackets, Markdown emphasis

Baseline = Callable[[str], float]  # a word's frequency in common English (0 when unlisted)


@dataclass
class Overuse:
    word: str
    count: int
    per_1000: float
    baseline_per_1000: float

    @property
    def ratio(self) -> float:
        return self.per_1000 / self.baseline_per_1000

    @property
    def keyness(self) -> float:
        expected = self.baseline_per_1000 * self.count / self.per_1000
        return 2 * (self.count * math.log(self.count / expected) - (self.count - expected))


def load_baseline() -> Baseline:
    """wordfreq's frequencies of English (MissingLibrary if wordfreq is not installed)."""
    try:
        from wordfreq import get_frequency_dict  # a tenth of a second to import: only when asked
    except ImportError:
        raise MissingLibrary(
            "overused words need wordfreq, which is not installed: pip install -e '.[writers]' (the writers' extra)"
        ) from None
    frequencies = get_frequency_dict("en", wordlist="small")  # 29,000 words: every one above 1 per million
    return lambda word: float(frequencies.get(word, 0.0))


def overused(texts: Iterable[str], total_words: int, vocabulary: StoryWords, baseline: Baseline) -> list[Overuse]:
    """The words of `texts` used at least three times as often as in common English, the most
    telling first. Rates are per 1,000 of `total_words` (the reference's word count)."""
    counts: Counter[str] = Counter()
    names: set[str] = set()  # written with a capital inside a sentence
    lower: set[str] = set()
    for text in texts:
        for m in WORD.finditer(text):
            word = m.group()
            key = normal(word)
            counts[key] += 1
            if word[0].islower():
                lower.add(key)
            elif not _starts_sentence(text, m.start()):
                names.add(key)
    found = []
    for word, n in counts.items():
        if n < MIN_COUNT or (word in names and word not in lower) or word in vocabulary:
            continue
        frequency = baseline(word)
        if not frequency or frequency >= COMMON:
            continue
        per_1000 = 1000 * n / max(total_words, 1)
        if per_1000 >= MIN_RATIO * 1000 * frequency:
            found.append(Overuse(word, n, per_1000, 1000 * frequency))
    return sorted(found, key=lambda o: (-o.keyness, o.word))


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the word at `at` begins a sentence: after the start, an end of sentence, a colon
    or a line break, and then only spaces and opening quotes."""
    before = text[max(at - 8, 0) : at].rstrip(_OPENING)
    return (not before and at <= 8) or (bool(before) and before[-1] in ".!?:\n")
