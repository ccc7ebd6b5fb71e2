"""`kengir handout`: a printable page from the story's own data and the assignment's questions."""

from __future__ import annotations

import io
import re
from pathlib import Path

from game.cli import main
from game.format import load_assignment, load_story

ROOT = Path(__file__).resolve().parents[2]


def test_the_handout_holds_the_plan_the_questions_and_the_storys_lists(tmp_path: Path) -> None:
    story = load_story(ROOT / "story")
    page = tmp_path / "handout.html"
    out = io.StringIO()
    assert main(["handout", "--assignment", str(ROOT / "docs/assignments/assault.yaml"), "-o", str(page)], stdout=out) == 0
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text and "http" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    # The zones in their real order: women's lagpunkt 1, the service yard, the men's 2 and 3.
    plan = text[text.index("<svg") : text.index("</svg>")]
    labels = re.findall(r'font-weight="bold" text-anchor="middle">([^<]+)<', plan)
    assert labels == ["Lagpunkt 1", "Service yard", "Lagpunkt 2", "Lagpunkt 3", "Camp prison"]
    # Every question the assignment asks: the story's for the assault and the epilogue, each
    # perspective's own marked, and the teacher's last.
    questions = re.findall(r"<p><b>(\d+)\.</b> (.*?)</p>", text)
    assert len(questions) == 9
    assert questions[-1][1].startswith("Put two figures for the dead of 26 June side by side.")
    assert any("(if you play the woman of lagpunkt 1)" in q for _, q in questions)
    assert not any("twenty-five-year terms stayed" in q for _, q in questions)  # a prologue question: not assigned
    assert text.count('<div class="lines">') == 9
    # The story's own lists, whole.
    assert text.count("<dt>") == len(story.terms) + sum(p.kind == "historical" for p in story.people.values())
    dates = re.findall(r"<span class=\"date\">([^<]+)</span>", text)
    assert len(dates) == len(story.events) and dates[0] == "28 February 1948"


def test_a_handout_of_the_strike_asks_its_two_questions(tmp_path: Path) -> None:
    story = load_story(ROOT / "story")
    from game.classroom.handout import handout_questions

    strike = load_assignment(ROOT / "docs/assignments/strike.yaml", story)
    assert [text[:40] for _, text in handout_questions(story, strike)] == [
        story.prompts["strike.loyal_line"].text[:40],
        "Name one thing your character chose in t",
    ]


def test_a_broken_assignment_writes_no_handout(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("assignment:\n  id: x\n  title: X\n  until: forty_day\n")
    page = tmp_path / "handout.html"
    assert main(["handout", "--assignment", str(bad), "-o", str(page)]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:4:10: error[unknown-scene]" in err and err.endswith("The assignment has errors; no handout was written.\n")
    assert not page.exists()
