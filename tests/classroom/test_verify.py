"""What `verify` proves, exactly: replay for the path, a signature for the rest; a class at a time."""

from __future__ import annotations

import copy
import io
import json
import os
import stat
from pathlib import Path

import pytest

from game.classroom import KeyFileError, build_record, check_record, load_key, load_or_create_key
from game.classroom.record import _digest
from game.cli import main
from game.model import Story
from tests.classroom.test_records import played
from tests.conftest import MINI


def fresh(story: Story, key: bytes | None = None, seed: int = 3) -> dict:
    return json.loads(json.dumps(build_record(played(story, seed=seed), 2_000_000_000.0, key=key)))


def test_an_unsigned_record_proves_the_path_only(mini: Story) -> None:
    """What the docs promise an unsigned record cannot prove: an edited answer with the digest
    recomputed still verifies (said as 'proves the path only'); an edited path does not."""
    record = fresh(mini)
    verdict = check_record(mini, record)
    assert verdict.verified and not verdict.signed and verdict.signature == "unsigned (terminal play: proves the path only)"
    forged = copy.deepcopy(record)
    forged["reflections"][0]["answer"] = "Someone else's words."
    for event in forged["run"]["events"]:
        if event.get("type") == "answer" and event["prompt"] == forged["reflections"][0]["prompt"]:
            event["text"] = "Someone else's words."
    forged["digest"] = _digest(forged)
    assert check_record(mini, forged).verified  # the limit, stated: the answers' wording is not proved


@pytest.mark.parametrize(
    "edit, finding",
    [
        (lambda r: r.update(student="Bea"), "the student's name at the top is not the name in its run"),
        (lambda r: r["run"].update(student="Bea"), "the student's name at the top is not the name in its run"),
        (lambda r: r["assignment"].update(title="Another"), "the assignment at the top is not the assignment of its run"),
        (lambda r: r["run"]["assignment"].update(id="other"), "the assignment at the top is not the assignment of its run"),
        (lambda r: r.update(started_at="2001-01-01T00:00:00+00:00"), "the start time at the top"),
    ],
)
def test_every_copy_of_the_name_and_the_assignment_is_compared(mini: Story, edit, finding: str) -> None:
    record = fresh(mini)
    edit(record)
    record["digest"] = _digest(record)
    assert any(p.startswith(finding) for p in check_record(mini, record).problems)


def test_a_signed_record_proves_answers_names_and_times_to_the_keys_holder(mini: Story, tmp_path: Path) -> None:
    key = load_or_create_key(tmp_path / "server.key")
    record = fresh(mini, key)
    verdict = check_record(mini, record, key)
    assert verdict.verified and verdict.signed and verdict.signature_holds
    assert "signature holds" in verdict.signature
    # Without the key it still replays, and says the signature was not checked.
    unchecked = check_record(mini, record)
    assert unchecked.verified and not unchecked.signature_holds and "not checked" in unchecked.signature
    for edit in (
        lambda r: r["reflections"][0].update(answer="Changed"),
        lambda r: r.update(student="Bea"),
        lambda r: r.update(finished_at="2033-05-18T03:33:21+00:00"),
        lambda r: r["time_per_act"].update(one=999),
    ):
        forged = copy.deepcopy(record)
        edit(forged)
        forged["digest"] = _digest(forged)
        verdict = check_record(mini, forged, key)
        assert not verdict.verified and any("SIGNATURE DOES NOT HOLD" in p for p in verdict.problems)
    other = check_record(mini, record, os.urandom(32))
    assert not other.verified and "another key" in other.signature
    # Taking the signature off leaves an unsigned record: it says so, it does not pass as signed.
    stripped = {k: v for k, v in record.items() if k != "signature"}
    assert check_record(mini, stripped, key).signature.startswith("unsigned")


def test_the_key_file_is_private_made_once_and_never_anything_else(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "server.key"
    key = load_or_create_key(path)
    assert len(key) == 32 and load_or_create_key(path) == key and load_key(path) == key
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().splitlines()[0] == "kengir-record-key 1"
    record = tmp_path / "record.json"
    record.write_text('{"format": "kengir-record"}')
    with pytest.raises(KeyFileError, match=r"record.json: not a Kengir key file"):
        load_or_create_key(record)
    assert record.read_text() == '{"format": "kengir-record"}'  # refused, never overwritten
    short = tmp_path / "short.key"
    short.write_text("kengir-record-key 1\nabcd\n")
    with pytest.raises(KeyFileError, match=r"short.key:2: not a Kengir key file"):
        load_key(short)
    with pytest.raises(KeyFileError, match="cannot read the key"):
        load_key(tmp_path / "missing.key")


def test_verify_a_folder_one_line_a_record_exit_1_if_any_fails(mini: Story, tmp_path: Path) -> None:
    key_file = tmp_path / "server.key"
    key = load_or_create_key(key_file)
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(fresh(mini, seed=1)))
    (folder / "b.json").write_text(json.dumps(fresh(mini, key, seed=2)))
    out = io.StringIO()
    assert main(["verify", str(folder), "--story", str(MINI), "--key", str(key_file)], stdout=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "VERIFIED: a.json: Ana · Act one only · The woman · stopped at the end of the part · unsigned (terminal play: proves the path only)"
    )
    assert lines[1].startswith("VERIFIED: b.json: Ana") and "signed, signature holds" in lines[1]
    assert lines[2] == "2 files: 2 verified."
    tampered = fresh(mini, seed=4)
    tampered["path"][0]["choice"] = "Marry"
    (folder / "c.json").write_text(json.dumps(tampered))
    other = fresh(mini, seed=5) | {"story": {"title": "Mini", "fingerprint": "0123abcd", "game_version": "0.0.9"}}
    (folder / "d.json").write_text(json.dumps(other))
    (folder / "e.json").write_text("{not json")
    out = io.StringIO()
    assert main(["verify", str(folder), "--story", str(MINI)], stdout=out) == 1
    text = out.getvalue()
    assert "NOT VERIFIED: c.json: Ana" in text and "  - path in the record: not what replaying its log gives" in text
    assert "OTHER STORY VERSION: d.json" in text and "kengir 0.0.9, story fingerprint 0123abcd" in text
    assert "NOT A RECORD: " in text and "e.json:1:2: not a record" in text
    assert text.splitlines()[-1] == "5 files: 2 verified, 1 not verified, 1 other story version, 1 not a record."


def test_verify_with_a_file_that_is_not_a_key_says_so_in_one_line(mini: Story, tmp_path: Path, capsys) -> None:
    record = tmp_path / "a.json"
    record.write_text(json.dumps(fresh(mini)))
    assert main(["verify", str(record), "--story", str(MINI), "--key", str(record)]) == 1
    assert capsys.readouterr().err.strip().endswith('not a Kengir key file (its first line is not "kengir-record-key 1")')


@pytest.mark.parametrize(
    "edit",
    [
        lambda r: r.update(assignment="x"),
        lambda r: r.update(student=5),
        lambda r: r.update(reflections="x"),
        lambda r: r.update(path=None),
        lambda r: r.update(time_per_act=[1, 2]),
        lambda r: r.update(ending="x"),
        lambda r: r.update(started_at=5),
        lambda r: r.update(catch_up="x"),
        lambda r: r.update(signature="abc"),
        lambda r: r.update(signature={"algorithm": "hmac-sha256", "key": 5, "value": 7}),
        lambda r: r["run"].update(student=["a"]),
        lambda r: r["run"].update(assignment="x"),
        lambda r: r["run"]["log"].insert(0, "x"),
        lambda r: r["story"].update(game_version=[1]),
    ],
)
def test_a_record_edited_into_another_shape_is_refused_in_one_line_by_every_command(mini: Story, tmp_path: Path, edit, capsys) -> None:
    record = fresh(mini)
    edit(record)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(record))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(fresh(mini, seed=8)))
    out = io.StringIO()
    assert main(["verify", str(path), str(good), "--story", str(MINI)], stdout=out) == 1
    assert out.getvalue().splitlines()[0].startswith(("NOT A RECORD: ", "NOT VERIFIED: "))
    assert out.getvalue().endswith(
        "2 files: 1 verified, " + ("1 not a record.\n" if "NOT A RECORD" in out.getvalue() else "1 not verified.\n")
    )
    out = io.StringIO()
    assert main(["class-summary", str(tmp_path), "--story", str(MINI)], stdout=out) == 0
    assert "## Records: 1 of 2 verified and counted" in out.getvalue()
    assert main(["class-summary", str(tmp_path), "--story", str(MINI), "--format", "csv"], stdout=io.StringIO()) == 0
    code = main(["report", str(path), "--story", str(MINI)], stdout=io.StringIO())
    err = capsys.readouterr().err
    assert "Traceback" not in err and (code == 0 or err.count("\n") == 1)
