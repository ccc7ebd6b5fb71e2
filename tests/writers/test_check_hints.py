"""The hints `kengir check` gives for mistakes in effects and sources: the ones meant for them."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.writers.check import check_story

STORIES = Path(__file__).parents[1] / "stories"


def problems_of(tmp_path: Path, case: str, old: str = "", new: str = "") -> list[tuple[str, str, str]]:
    """(code, message, hint) of each problem of a fixture story, edited as given."""
    folder = tmp_path / "story"
    folder.mkdir()
    text = (STORIES / case).read_text()
    assert old in text
    (folder / "story.yaml").write_text(text.replace(old, new, 1))
    _, problems = check_story(folder)
    return [(p.code, p.message, p.hint) for p in problems.sorted()]


def test_a_bool_set_to_a_number_gets_the_effects_hint_and_no_always_false(tmp_path: Path) -> None:
    [(code, message, hint)] = problems_of(tmp_path, "effect_wrong_type.yaml")
    assert code == "type-mismatch"
    assert message == "'saw_kite' is true or false, but this sets it to a whole number"
    assert "`saw_kite: true`" in hint and "compare" not in hint


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        ("true", "'trust' is a whole number, but this sets it to true or false", "`trust: trust + 1`"),
        ("\"'high'\"", "'trust' is a whole number, but this sets it to text", "`trust: trust + 1`"),
    ],
)
def test_an_int_set_to_another_type(tmp_path: Path, value: str, message: str, hint: str) -> None:
    found = problems_of(tmp_path, "valid.yaml", "set: {trust: trust + 1}", f"set: {{trust: {value}}}")
    [(code, said, hinted)] = [p for p in found if p[0] == "type-mismatch"]
    assert said == message and hint in hinted
    assert not any(p[0] in ("never-set", "unused-variable") for p in found)


def test_a_condition_of_the_wrong_type_keeps_the_conditions_hint(tmp_path: Path) -> None:
    [(code, _, hint)] = problems_of(tmp_path, "type_mismatch.yaml")
    assert code == "type-mismatch" and hint == "compare it, for example `x > 0`"


@pytest.mark.parametrize("sources", ["", "sources: []"])
def test_a_note_citing_nothing_is_one_error_with_a_hint(tmp_path: Path, sources: str) -> None:
    found = problems_of(tmp_path, "valid.yaml", "body: B, sources: [s1]}", f"body: B{', ' + sources if sources else ''}}}")
    errors = [p for p in found if p[0] not in ("unused-source",)]
    assert errors == [("note-without-source", "note 'n1' cites no source", "add `sources: [id]`, naming a work defined under `sources:`")]


def test_a_value_in_quotes_is_an_expression_not_a_bare_value(tmp_path: Path) -> None:
    """`set: {dept: '"tech"'}` is the text tech, written as an expression: allowed, and checked
    against the values like a bare `tech` (by the lints, once it is read)."""
    story = (STORIES / "value_not_allowed.yaml").read_text().replace("dept: tehc}", "dept: '\"tech\"'}")
    folder = tmp_path / "ok"
    folder.mkdir()
    (folder / "story.yaml").write_text(story)
    _, problems = check_story(folder)
    assert [p.code for p in problems.items] == ["never-read"]
    assert problems_of(tmp_path, "value_not_allowed.yaml", "dept: tehc}", "dept: '\"tehc\"'}")[-1][:2] == (
        "value-out-of-range",
        "choice 1 (\"Go on\") of scene 'a.one' sets 'dept' to 'tehc', which is not one of its values",
    )
