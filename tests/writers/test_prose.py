"""`kengir prose` on a small story with known repeats, tics, historians and misspellings: each
finding at its file:line:col, the figures, and what the report does without its libraries."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from game.session.paths import CHECKOUT
from game.writers.prose import prose_report, to_json
from game.writers.prose.overuse import overused
from game.writers.prose.spelling import StoryWords
from tests.cli.test_cli import run_cli
from tests.conftest import FIXTURES

PROSE = FIXTURES / "prose"


def _findings(story: Path = PROSE, spelling: bool = True) -> list[str]:
    return [str(p) for p in prose_report(story, spelling=spelling).findings]


def _at(findings: list[str], code: str) -> list[str]:
    """`file:line:col word` of each finding of `code`: the place, and the first quoted word."""
    out = []
    for line in findings:
        place, rest = line.split(": warning[", 1)
        if rest.startswith(code + "]"):
            out.append(f"{place} {rest.split(chr(34))[1]}")
    return out


def test_a_sentence_two_perspectives_share_is_found_at_both_places() -> None:
    findings = _findings()
    assert _at(findings, "shared-sentence") == [
        "prose/scenes/thief.yaml:9:46 The lamps along the wall go out one by one with a small snap each…",
        "prose/scenes/woman.yaml:12:44 The lamps along the wall go out one by one with a small snap each…",
    ]
    thief = next(f for f in findings if f.startswith("prose/scenes/thief.yaml:9:46"))
    assert "is also in w.one (woman) at prose/scenes/woman.yaml:12:44" in thief and "1 sentence is shared" in thief


def test_a_sentence_repeated_within_a_perspective_is_a_repeat_not_a_shared_one() -> None:
    # In a "double-quoted" text of two lines in one scene, and a > folded one in the other.
    assert _at(_findings(), "repeated-sentence") == [
        "prose/scenes/woman.yaml:26:12 The guards at the gate count the women twice over in the cold.",
        "prose/scenes/woman.yaml:38:7 The guards at the gate count the women twice over in the cold.",
    ]
    doc = to_json(prose_report(PROSE, spelling=False))
    assert doc["shared_sentences_across_perspectives"] == 1 and len(doc["repeated_sentences"]) == 1


def test_historians_and_later_counts_in_the_narration_are_found() -> None:
    assert _at(_findings(), "historian") == ["prose/scenes/woman.yaml:27:19 Solzhenitsyn", "prose/scenes/woman.yaml:27:32 will count"]


def test_tics_over_their_target_are_found_in_every_kind_of_text() -> None:
    # A | block, an `else:`, and a 'single-quoted' text with a doubled quote inside.
    assert _at(_findings(), "tic") == [
        "prose/scenes/thief.yaml:10:36 nobody",
        "prose/scenes/thief.yaml:20:12 nobody",
        "prose/scenes/woman.yaml:13:38 nobody",
        "prose/scenes/woman.yaml:16:15 nobody",
        "prose/scenes/woman.yaml:16:36 as if",
    ]
    doc = to_json(prose_report(PROSE, spelling=False))
    assert doc["tics"]["nobody"] == {"count": 4, "per_1000": 33.9, "target": 1.5}
    assert doc["words"] == 118 and doc["words_per_perspective_act"] == {"thief": {"one": 27, "two": 10}, "woman": {"one": 44, "two": 37}}


def test_misspellings_are_found_against_the_dictionary_and_the_storys_words() -> None:
    spelling = [f for f in _findings() if "[spelling]" in f]
    # Not flagged: Olena's (a person), lagpunkt (the glossary), colour (British), {trust} (an
    # expression), kladovshchik (words.txt), Formozov (a cited author, in a note).
    assert _at(spelling, "spelling") == ["prose/scenes/woman.yaml:18:34 recieve", "prose/scenes/woman.yaml:39:11 Vasylko"]
    assert "in choice 1 of w.one" in spelling[0] and "did you mean 'receive'?" in spelling[0]
    assert "add it to prose/words.txt" in spelling[1]


def test_the_accepted_words_file_and_the_people_vouch_for_words(tmp_path: Path) -> None:
    story = tmp_path / "prose"
    shutil.copytree(PROSE, story)
    (story / "words.txt").write_text("# nothing accepted\n")
    people = (story / "story.yaml").read_text().replace("name: Olena Hrytsenko", "name: Olenna Hrytsenko")
    (story / "story.yaml").write_text(people)
    words = [f.split(" ")[-1] for f in _at(_findings(story), "spelling")]
    assert "kladovshchik" in words and "Vasylko" in words
    olena = next(f for f in _findings(story) if '"Olena\'s"' in f)
    assert "did you mean 'Olenna'?" in olena  # a name of the story, not an English word
    (story / "words.txt").write_text("Vasylko kladovshchik  # the boys\nOlena\n")
    assert _at(_findings(story), "spelling") == ["prose/scenes/woman.yaml:18:34 recieve"]


def test_overused_words_are_measured_against_common_english() -> None:
    text = (
        "Nobody comes. " * 6
        + "You say nobody comes. " * 6
        + "You say the lantern is out. " * 6
        + "They call Olena. " * 5
        + "The yard is dark. " * 40
    )
    total = len(text.split())
    vocabulary = StoryWords(frozenset({"yard"}), frozenset(), "words.txt")
    dark = 40 / total / 2  # used twice as often as in English: not enough
    baseline = {"nobody": 1e-4, "comes": 2e-4, "lantern": 5e-6, "olena": 1e-7, "you": 1e-2, "say": 1e-3, "dark": dark}
    found = overused([text], total, vocabulary, lambda w: baseline.get(w, 0.0))
    # Left out: "you" and "say" (among the commonest words), "Olena" (a name: a capital inside
    # a sentence, never in lower case), "yard" (the story's own), "dark" (not three times its
    # rate), "the" and "is" (unlisted here). "Nobody" opens sentences, yet it is no name.
    assert [o.word for o in found] == ["nobody", "comes", "lantern"]
    assert found[0].count == 12 and found[0].per_1000 == pytest.approx(1000 * 12 / total)


def test_the_real_baseline_finds_a_tic() -> None:
    pytest.importorskip("wordfreq")
    from game.writers.prose.overuse import load_baseline

    baseline = load_baseline()
    assert 0 < baseline("nobody") < baseline("the")
    text = "Nobody knows it. " * 10 + "She walks to the door and opens it, and then she sits down again. " * 30
    words = [o.word for o in overused([text], len(text.split()), StoryWords(frozenset(), frozenset(), "words.txt"), baseline)]
    assert "nobody" in words and not {"the", "she", "and", "it"} & set(words)


def test_the_command_prints_findings_then_the_figures() -> None:
    code, out = run_cli("prose", str(PROSE))
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("prose/scenes/thief.yaml:9:46: warning[shared-sentence]")
    assert "Prose of Prose (" in out and "thief           27 (1)  10 (1)   37 (2)" in lines
    assert "Sentences of 7+ words shared across perspectives: 1 (target at most 8); repeated within a perspective: 1" in lines
    assert "Historians and later counts named in scene prose: 2 (target 0)" in lines
    code, out = run_cli("prose", str(PROSE), "--only", "spelling,historian", "--scenes")
    found = [line for line in out.splitlines() if ": warning[" in line]
    assert len(found) == 4 and all("[spelling]" in f or "[historian]" in f for f in found)
    assert "prose/scenes/woman.yaml:2:3: w.one (one; woman) 44 words" in out


def test_the_json_has_the_reference_keys_and_every_finding() -> None:
    code, out = run_cli("prose", str(PROSE), "--json")
    doc = json.loads(out)
    assert code == 0 and doc["scenes"] == 5 and doc["historians_in_prose"] == 2 and doc["as_if_per_1000"] == 8.47
    assert doc["words_per_scene"]["t.end"] == {
        "words": 10,
        "act": "two",
        "perspectives": ["thief"],
        "file": "prose/scenes/thief.yaml",
        "line": 14,
        "column": 3,
    }
    assert doc["spelling"]["unknown"] == ["Vasylko", "recieve"] and len(doc["findings"]) == 13
    assert doc["shared_sentences"][0]["places"][1] == {"scene": "w.one", "file": "prose/scenes/woman.yaml", "line": 12, "column": 44}


def test_a_file_that_is_not_yaml_is_left_out_and_said(tmp_path: Path) -> None:
    story = tmp_path / "prose"
    shutil.copytree(PROSE, story)
    (story / "scenes" / "thief.yaml").write_text("scenes:\n  t.one: [unclosed\n")
    code, out = run_cli("prose", str(story))
    assert code == 1 and "Note: prose/scenes/thief.yaml:" in out and "left out of every figure" in out
    assert "3 scenes" in out and "thief" not in out.split("words (scenes)")[1].split("\n\n")[0]
    assert run_cli("prose", str(tmp_path / "nowhere"))[0] == 2
    assert run_cli("prose", str(PROSE), "--only", "typos")[0] == 2


def test_without_its_libraries_the_report_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "spellchecker", None)
    monkeypatch.setitem(sys.modules, "wordfreq", None)
    code, out = run_cli("prose", str(CHECKOUT / "story"))
    assert code == 0 and "[spelling]" not in out and "[shared-sentence]" in out and "Overused" not in out
    assert "Note: spelling needs pyspellchecker, which is not installed: pip install -e '.[writers]'" in out
    assert "Note: overused words need wordfreq, which is not installed: pip install -e '.[writers]'" in out


def test_what_the_libraries_said_is_kept_and_a_damaged_entry_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = to_json(prose_report(CHECKOUT / "story", tmp_path))
    (entry,) = tmp_path.glob("*.words")
    # Every word seen before: the same report with neither library.
    monkeypatch.setitem(sys.modules, "spellchecker", None)
    monkeypatch.setitem(sys.modules, "wordfreq", None)
    assert to_json(prose_report(CHECKOUT / "story", tmp_path)) == first
    entry.write_bytes(entry.read_bytes()[:-10])
    again = to_json(prose_report(CHECKOUT / "story", tmp_path))
    assert again["spelling"] is None and again["overused"] is None and not entry.exists()


@pytest.mark.parametrize(
    ("text", "word", "where"),
    [
        ('a:\n  text: "He said \\"nobody\\" twice,\\n and left"\n', "left", (2, 42)),  # escapes before the word
        ('a:\n  text: "one\\u2019s\n    nobody"\n', "nobody", (3, 5)),  # an escape that is no word of the text
        ("a:\n  text: >-\n    one two\n\n    nobody three\n", "nobody", (5, 5)),  # folded, a blank line inside
        ("a:\n  text: plain words\n    go on nobody\n", "nobody", (3, 11)),  # a plain text over two lines
        ("a:\n  text: |2\n      indented nobody\n", "nobody", (3, 16)),  # an indentation indicator
        ("a:\n  text: 'it''s nobody'\n", "nobody", (2, 16)),  # a doubled quote
    ],
)
def test_a_word_is_found_at_its_place_in_every_yaml_style(text: str, word: str, where: tuple[int, int]) -> None:
    from game.writers.prose.source import SourceFile, _load

    data = _load(SourceFile("x.yaml", "x.yaml", text))
    value = data["a"]["text"]
    pos = value.pos(value.index(word))
    assert (pos.line, pos.column) == where, value
