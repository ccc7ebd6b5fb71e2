"""Records: written at the end of an assigned session, rendered, verified, summarised."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest

from game.classroom import build_record, check_record, verify_record
from game.classroom.record import _digest
from game.classroom.report import to_html, to_markdown
from game.classroom.summary import summarise
from game.cli import main
from game.format import load_assignment
from game.model import Story
from game.runtime import Run
from game.saves import restore
from tests.conftest import FIXTURES, MINI, FixedClock

ASSIGNMENT = FIXTURES / "mini_assignment.yaml"


def played(story: Story, seed: int = 3, choice: str = "Join tech") -> Run:
    clock = FixedClock()
    run = Run.start(story, seed=seed, perspective="woman", assignment=load_assignment(ASSIGNMENT, story), student="Ana", clock=clock)
    run.answer("assignment.1", "Because the yard was open.")
    run.open_note("n1")
    if choice == "Gain trust":
        run.choose(0)
    run.choose([c.text for c in run.choices].index("Join tech"))
    run.answer("assignment.2", "Everything <b>and</b> nothing.")
    return run


def test_a_record_verifies_and_says_what_happened(mini: Story) -> None:
    record = json.loads(json.dumps(build_record(played(mini), 2_000_000_000.0)))
    assert verify_record(mini, record) == []
    assert record["student"] == "Ana" and record["complete"] is True and record["ending"] is None
    assert [s["scene"] for s in record["path"]] == ["a.start"] and record["path"][0]["choice"] == "Join tech"
    assert record["notes_opened"] == ["n1"] and record["acts_reached"] == ["one"]
    assert [r["prompt"] for r in record["reflections"]] == ["assignment.1", "assignment.2"]


@pytest.mark.parametrize(
    "edit, finding",
    [
        (lambda r: r["path"][0].update(choice="Marry"), "path in the record"),
        (lambda r: r.update(ending={"id": "good", "title": "A good end"}), "ending in the record"),
        (lambda r: r["run"]["events"].pop(0), "not in the run's log"),
        (lambda r: r["run"]["log"][0].update(choice=3, text="Fly over the wall"), "cannot be replayed"),
        (lambda r: r["reflections"].pop(), "leaves out"),
        (lambda r: r.update(notes_opened=[]), "notes opened"),
    ],
)
def test_a_record_edited_by_hand_is_refused(mini: Story, edit, finding: str) -> None:
    record = json.loads(json.dumps(build_record(played(mini), 2_000_000_000.0)))
    forged = copy.deepcopy(record)
    edit(forged)
    problems = verify_record(mini, forged)
    assert any("digest" in p for p in problems)
    forged["digest"] = _digest(forged)  # even a forger who recomputes the digest is caught by replay
    assert any(finding in p for p in verify_record(mini, forged)), verify_record(mini, forged)


def test_report_renders_escaped_self_contained_html_and_markdown(mini: Story) -> None:
    record = build_record(played(mini), 2_000_000_000.0)
    page = to_html(record)
    assert "<script" not in page and "http" not in page.split("<body>")[1]
    assert "Everything &lt;b&gt;and&lt;/b&gt; nothing." in page and "@media print" in page
    other = check_record(mini, record | {"story": {"fingerprint": "something-else", "game_version": "0.0.9"}})
    text = to_markdown(record, mini, other)
    assert "another version of the story (kengir 0.0.9, story fingerprint something-else)" in text
    assert "> Because the yard was open." in text
    assert "NOT VERIFIED" not in text and "forged" not in text


def test_summary_counts_choices_endings_and_groups_answers(mini: Story) -> None:
    records = [
        build_record(played(mini, seed=s, choice=c), 2e9) | {"student": f"S{s}"}
        for s, c in ((1, "Join tech"), (2, "Gain trust"), (3, "Join tech"))
    ]
    summary = summarise(records)
    [decision] = [d for d in summary["decisions"] if d["scene"] == "Start"]
    assert decision["students"] == 4  # one student passed through twice
    assert ("Join tech", 3, 75) in decision["choices"]
    assert summary["acts"] == {"one": 3}  # no story given: ids; with a story, titles (test_class.py)
    answers = {g["question"]: g["answers"] for g in summary["reflections"]}
    assert [who for who, _ in answers["Why did you choose as you did?"]] == ["Student 1", "Student 2", "Student 3"]
    assert [who for who, _ in summarise(records, names=True)["reflections"][0]["answers"]] == ["S1", "S2", "S3"]


def test_the_teachers_commands_end_to_end(tmp_path: Path) -> None:
    saves, records = tmp_path / "saves", tmp_path / "records"
    # The name; "Join tech" ends the assigned part: the scene's question as it is left, then the
    # act's two (the story's and the teacher's) before the end.
    script = "Ana\n2\nFirst answer\n\nSecond answer\nover two lines\n\n\n"
    out = io.StringIO()
    code = main(
        [
            "play",
            "--plain",
            "--story",
            str(MINI),
            "--saves",
            str(saves),
            "--records",
            str(records),
            "--assignment",
            str(ASSIGNMENT),
            "--perspective",
            "woman",
            "--seed",
            "4",
        ],
        stdin=io.StringIO(script),
        stdout=out,
    )
    assert code == 0, out.getvalue()
    assert "This is the end of the assigned part." in out.getvalue()
    [record_file] = records.glob("*.json")
    out = io.StringIO()
    assert main(["verify", str(record_file), "--story", str(MINI)], stdout=out) == 0 and "VERIFIED" in out.getvalue()
    html_file = tmp_path / "report.html"
    assert main(["report", str(record_file), "--format", "html", "-o", str(html_file)], stdout=io.StringIO()) == 0
    assert "Second answer\nover two lines" in html_file.read_text()
    out = io.StringIO()
    assert main(["class-summary", str(record_file), str(record_file), "--story", str(MINI)], stdout=out) == 0
    assert "1 of 2 verified and counted" in out.getvalue() and "DUPLICATE" in out.getvalue()
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "kengir-record",\n "version": ')
    assert main(["verify", str(broken), "--story", str(MINI)], stdout=io.StringIO()) == 1
    # The session is over: --continue starts a new game rather than showing its end again.
    out = io.StringIO()
    assert (
        main(
            ["play", "--plain", "--story", str(MINI), "--saves", str(saves), "--records", str(records), "--continue"],
            stdin=io.StringIO(""),
            stdout=out,
        )
        == 0
    )
    assert out.getvalue().startswith("No game in progress to continue; starting a new game.\n")
    assert "This is the end of the assigned part." not in out.getvalue() and len(list(records.glob("*.json"))) == 1


def test_a_question_skipped_stays_asked_through_a_save_and_shows_in_the_record(mini: Story) -> None:
    """Asked and skipped: the run keeps it (so Continue can offer it again in Reflections), the
    record lists it as not answered, replay agrees, and the report and summary show it."""
    run = played(mini)
    run.ask("assignment.1")  # answered: not "unanswered"
    run.ask("leave_one")  # put to the student, who skipped it
    run.ask("leave_one")  # asked again on another visit: kept once
    restored = restore(mini, json.loads(json.dumps(run.to_dict())))
    assert restored.prompts_asked == ["assignment.1", "assignment.2", "leave_one"]
    assert sum(e["type"] == "asked" for e in restored.events) == 1
    assert [p.id for p in restored.unanswered] == ["leave_one"]
    record = json.loads(json.dumps(build_record(restored, 2_000_000_000.0)))
    assert record["unanswered"] == [{"prompt": "leave_one", "question": "What did you leave behind?"}]
    assert verify_record(mini, record) == []
    forged = copy.deepcopy(record)
    forged["unanswered"] = []  # hiding the skipped question is caught by replay
    forged["digest"] = _digest(forged)
    assert any("unanswered questions" in p for p in verify_record(mini, forged))
    old = copy.deepcopy(record)
    del old["unanswered"]  # a record written before this field existed still verifies
    old["digest"] = _digest(old)
    assert verify_record(mini, old) == []
    assert "What did you leave behind?" in to_markdown(record) and "(asked, not answered)" in to_markdown(record)
    assert "(asked, not answered)" in to_html(record)
    [group] = [g for g in summarise([record])["reflections"] if g["question"] == "What did you leave behind?"]
    assert group["answers"] == [("Student 1", None)]


def test_report_notes_a_record_from_another_story_version_without_being_told_the_story(mini: Story, tmp_path: Path, monkeypatch) -> None:
    """The mini story's record, reported by an install whose story is another one: the report
    says so without --story; with the right --story, or when the story cannot be loaded, it says nothing."""
    record_file = tmp_path / "record.json"
    record_file.write_text(json.dumps(build_record(played(mini), 2e9)))
    out = io.StringIO()
    monkeypatch.setenv("KENGIR_STORY", str(FIXTURES.parent.parent / "story"))
    assert main(["report", str(record_file)], stdout=out) == 0
    assert "another version of the story" in out.getvalue()
    out = io.StringIO()
    assert main(["report", str(record_file), "--story", str(MINI)], stdout=out) == 0
    assert "another version of the story" not in out.getvalue()
    monkeypatch.setenv("KENGIR_STORY", str(tmp_path / "no-such-story"))
    out = io.StringIO()
    assert main(["report", str(record_file)], stdout=out) == 0 and "another version" not in out.getvalue()
    assert "Not checked" in out.getvalue()


def test_questions_of_an_undone_scene_are_not_reported_as_skipped(mini: Story) -> None:
    run = Run.start(mini, seed=1, perspective="woman", clock=FixedClock())  # free play: undo allowed
    run.choose([c.text for c in run.choices].index("Join tech"))
    run.ask("at_mid")  # put to the student at b.mid...
    run.undo()  # ...which they then undid
    assert run.unanswered == [] and not any(e["type"] == "asked" for e in run.events)


@pytest.mark.parametrize("event", [{"type": "asked"}, {"type": "asked", "prompt": ["x"]}, {"type": "asked", "prompt": "nope", "step": "x"}])
def test_a_spoiled_asked_event_is_refused_not_a_traceback(mini: Story, event: dict) -> None:
    record = json.loads(json.dumps(build_record(played(mini), 2_000_000_000.0)))
    record["run"]["events"].append(event)
    record["digest"] = _digest(record)
    problems = verify_record(mini, record)
    assert isinstance(problems, list)  # a list of findings (here: none, or what replay disagrees with), never an exception
