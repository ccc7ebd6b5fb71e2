"""The `kengir` command as a user runs it: exit codes, one-line errors, JSON."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from tests.conftest import FIXTURES, MINI


def run_cli(*args: str, stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue()


def test_check_clean_story_exits_zero() -> None:
    code, out = run_cli("check", str(FIXTURES / "letters"))
    assert code == 0
    assert out.splitlines()[-1] == "0 errors, 0 warnings"
    code, out = run_cli("check", str(MINI))  # warnings only (its always-disabled "Locked", for one)
    assert code == 0 and out.splitlines()[-1] == "0 errors, 3 warnings"


def test_check_json_has_the_documented_shape() -> None:
    code, out = run_cli("check", str(MINI), "--json")
    document = json.loads(out)
    assert code == 0 and document["ok"] is True
    assert set(document) >= {"ok", "errors", "warnings", "stats"}
    assert set(document["stats"]) >= {
        "scenes",
        "words",
        "choices",
        "endings",
        "notes",
        "sources",
        "terms",
        "people",
        "events",
        "perspectives",
    }
    assert document["stats"]["scenes"] == 5


@pytest.mark.parametrize(
    "breakage, code",
    [
        (("goto: c.good", "goto: c.gooood"), "unknown-scene"),
        (("    title: Middle\n", "    title: Middle\n    title: Again\n"), "duplicate-key"),
        (("    title: Middle\n", "    title: no\n"), "implicit-bool"),
        (("    title: Middle\n", "\ttitle: Middle\n"), "tab"),
    ],
)
def test_a_broken_scene_gives_one_line_with_position_and_exit_one(tmp_path: Path, breakage: tuple[str, str], code: str) -> None:
    story = tmp_path / "story"
    shutil.copytree(MINI, story)
    path = story / "story.yaml"
    old, new = breakage
    path.write_text(path.read_text().replace(old, new, 1))
    exit_code, out = run_cli("check", str(story))
    assert exit_code == 1
    [line] = [ln for ln in out.splitlines() if f"error[{code}]" in ln]
    location = line.split(": ")[0]
    file, lineno, column = location.rsplit(":", 2)
    assert file.endswith("story/story.yaml") and int(lineno) > 0 and int(column) > 0
    if code == "unknown-scene":
        assert "did you mean 'c.good'?" in line
    json_code, json_out = run_cli("check", str(story), "--json")
    [error] = [e for e in json.loads(json_out)["errors"] if e["code"] == code]
    assert json_code == 1 and set(error) >= {"file", "line", "column", "code", "message", "hint"}


def test_check_of_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    code, out = run_cli("check", str(tmp_path / "nowhere"))
    assert code == 1 and "no-story" in out


def test_bad_usage_exits_two() -> None:
    result = subprocess.run([sys.executable, "-m", "game", "check", "--nonsense"], capture_output=True, text=True)
    assert result.returncode == 2 and "usage:" in result.stderr


def test_plain_play_reaches_an_ending_through_python_m_game(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--story", str(MINI), "--saves", str(tmp_path), "--seed", "3"],
        input="1\n2\n1\n\n\n",  # full scenes (the content note's question), then two choices and two questions
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Ending: A good end" in result.stdout and result.stderr == ""


def test_plain_play_refuses_a_broken_story_without_a_traceback(tmp_path: Path) -> None:
    story = tmp_path / "story"
    shutil.copytree(MINI, story)
    (story / "story.yaml").write_text((story / "story.yaml").read_text().replace("goto: c.good", "goto: nowhere"))
    result = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--story", str(story), "--saves", str(tmp_path)],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "error[unknown-scene]" in result.stderr


def test_env_overrides_story_and_saves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KENGIR_STORY", str(MINI))
    monkeypatch.setenv("KENGIR_SAVES", str(tmp_path / "s"))
    code, out = run_cli("play", "--plain", "--seed", "1", stdin="1\nquit\n")  # 1: full scenes, at the content note
    assert code == 0 and "== Start ==" in out
    assert list((tmp_path / "s").glob("autosave-*.json"))


COMMAND_LINES = [
    [],
    ["--saves", "S", "--seed", "3", "--perspective", "woman"],
    ["--story=X", "play", "--plain", "--set", "a=1", "--set", "b=2"],
    ["check", "DIR", "--json"],
    ["prose", "--only", "spelling", "--no-spelling"],
    ["--story", "X", "test", "--runs", "5", "--exhaustive"],
    ["graph", "--format", "html", "-o", "map"],
    ["schema", "--assignment"],
    ["new", "scene", "strike.gate", "--act", "strike"],
    ["report", "r.json", "--format", "html", "--key", "k"],
    ["verify", "a.json", "b", "--key", "k"],
    ["class-summary", "r", "--format", "csv", "--names"],
    ["handout", "-o", "h.html"],
    ["serve", "--port", "9000", "--start", "spawn", "--starts-per-second", "2"],
]


@pytest.mark.parametrize("argv", COMMAND_LINES, ids=lambda argv: " ".join(argv) or "(none)")
def test_a_commands_own_parser_reads_its_line_as_the_whole_parser_does(argv: list[str]) -> None:
    """`kengir` builds only the named command's options (start-up); what it reads must not differ."""
    from game.cli import _command_in, _with_command, build_parser

    args = _with_command(argv)
    command = _command_in(args)
    assert command is not None
    assert vars(build_parser(command).parse_args(args)) == vars(build_parser().parse_args(args))


def test_every_command_has_a_parser_and_help_lists_them_all(capsys: pytest.CaptureFixture[str]) -> None:
    from game.cli import COMMAND_PARSERS, _command_in, _with_command, build_parser

    assert {_command_in(_with_command(line)) for line in COMMAND_LINES} == set(COMMAND_PARSERS)
    assert _command_in(_with_command(["--help"])) is None and _command_in(_with_command(["nonsense"])) is None
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    shown = capsys.readouterr().out
    assert all(name in shown for name in COMMAND_PARSERS)


def test_an_unknown_command_is_named_with_the_commands_there_are() -> None:
    result = subprocess.run([sys.executable, "-m", "game", "chekc"], capture_output=True, text=True)
    assert result.returncode == 2 and "invalid choice: 'chekc'" in result.stderr and "class-summary" in result.stderr
