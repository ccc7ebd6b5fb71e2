"""The class summary a teacher acts on: checked records only, story order and titles, a CSV
a spreadsheet opens as it is, with no answer turned into a formula."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

from game.classroom.record import _digest
from game.classroom.summary import cell
from game.cli import main
from game.model import Story
from tests.classroom.test_verify import fresh
from tests.conftest import MINI


def _class(mini: Story, folder: Path) -> None:
    folder.mkdir()
    for seed, name in ((1, "Ana"), (2, "Bo"), (3, "Cy")):
        record = fresh(mini, seed=seed)
        record["student"] = record["run"]["student"] = name
        record["digest"] = _digest(record)
        (folder / f"{name}.json").write_text(json.dumps(record))
    copied = json.loads((folder / "Ana.json").read_text())  # a friend's record under another name
    copied["student"] = copied["run"]["student"] = "Dee"
    copied["digest"] = _digest(copied)
    (folder / "Dee.json").write_text(json.dumps(copied))
    tampered = copy.deepcopy(json.loads((folder / "Bo.json").read_text()))
    tampered["student"] = tampered["run"]["student"] = "Eve"
    tampered["notes_opened"] = []
    (folder / "Eve.json").write_text(json.dumps(tampered))


def test_the_summary_counts_checked_records_only_in_story_order_with_titles(mini: Story, tmp_path: Path) -> None:
    _class(mini, tmp_path / "class")
    out = io.StringIO()
    assert main(["class-summary", str(tmp_path / "class"), "--story", str(MINI), "--names"], stdout=out) == 0
    text = out.getvalue()
    assert text.startswith("# Class summary: Act one only\n\n## Records: 3 of 5 verified and counted\n")
    assert "- DUPLICATE: Dee.json (Dee)" in text and "Left out:** repeats Ana.json" in text
    assert "- NOT VERIFIED: Eve.json (Eve)" in text
    assert "## Perspectives\n\n- The woman: 3 of 3\n" in text
    assert "## Acts reached\n\n- One: 3 of 3\n" in text  # the act's title, not its id
    assert "*Eve*" not in text and "*Dee*" not in text  # left out of every figure and answer
    out = io.StringIO()  # for the projector: no names, not even in the file names
    assert main(["class-summary", str(tmp_path / "class"), "--story", str(MINI)], stdout=out) == 0
    assert not any(f"{name}." in out.getvalue() or f"({name})" in out.getvalue() for name in ("Ana", "Bo", "Cy", "Dee", "Eve"))
    assert "- DUPLICATE: Record 4, unsigned (terminal play: proves the path only). **Left out:** repeats record 1" in out.getvalue()


def test_records_of_two_assignments_are_summarised_apart(mini: Story, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(fresh(mini, seed=1)))
    other = fresh(mini, seed=2)
    other["assignment"]["title"] = other["run"]["assignment"]["title"] = "Another lesson"
    other["digest"] = _digest(other)
    (folder / "b.json").write_text(json.dumps(other))
    out = io.StringIO()
    assert main(["class-summary", str(folder), "--story", str(MINI)], stdout=out) == 0
    text = out.getvalue()
    assert "# Class summary: Act one only, Another lesson" in text
    assert "# Act one only: 1 records" in text and "# Another lesson: 1 records" in text


def test_csv_one_row_per_student_no_answer_becomes_a_formula(mini: Story, tmp_path: Path) -> None:
    folder = tmp_path / "class"
    _class(mini, folder)
    record = json.loads((folder / "Cy.json").read_text())
    formula = '=HYPERLINK("http://evil.example","click")'
    record["reflections"][0]["answer"] = formula
    for event in record["run"]["events"]:
        if event.get("type") == "answer" and event["prompt"] == record["reflections"][0]["prompt"]:
            event["text"] = formula
    record["student"] = record["run"]["student"] = "@Cy"
    record["digest"] = _digest(record)
    (folder / "Cy.json").write_text(json.dumps(record))
    output = tmp_path / "class.csv"
    assert main(["class-summary", str(folder), "--story", str(MINI), "--format", "csv", "-o", str(output)], stdout=io.StringIO()) == 0
    assert output.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    assert [r["student"] for r in rows] == ["Ana", "Bo", "'@Cy", "Dee", "Eve"]
    cy = rows[2]
    assert cy["assignment"] == "Act one only" and cy["perspective"] == "The woman" and cy["finished"] == "yes"
    assert cy["Why did you choose as you did?"] == "'" + formula  # text, not a formula
    assert cy["What changed in act one?"] == "Everything <b>and</b> nothing."
    assert cy["notes opened"] == "1" and cy["minutes in One"] != "" and cy["check"] == "VERIFIED"
    assert rows[3]["check"].startswith("DUPLICATE: repeats Ana.json") and rows[4]["check"].startswith("NOT VERIFIED")
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


def test_cell_neutralises_every_formula_start() -> None:
    assert [cell(v) for v in ("=1+1", "+1", "-1", "@A1", "\t=1", "plain", 3)] == ["'=1+1", "'+1", "'-1", "'@A1", "'\t=1", "plain", "3"]
