"""--story and --saves are accepted before the command and after it, alike; a command that has
no use for one refuses it rather than ignore it."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main
from tests.cli.test_cli import run_cli
from tests.conftest import MINI
from tests.writers.test_writer_tools import _split_story


def play_args(order: str, saves: Path) -> list[str]:
    shared = ["--story", str(MINI), "--saves", str(saves)]
    play = ["play", "--plain", "--seed", "1"]
    return {
        "before": [*shared, *play],
        "after": [*play, *shared],
        "mixed": [shared[0], shared[1], *play, shared[2], shared[3]],
        "no command": [*shared, "--plain", "--seed", "1"],  # play is the default command
        "with =": [f"--story={MINI}", f"--saves={saves}", *play],
    }[order]


@pytest.mark.parametrize("order", ["before", "after", "mixed", "no command", "with ="])
def test_play_takes_the_story_and_saves_on_either_side(tmp_path: Path, order: str) -> None:
    code, out = run_cli(*play_args(order, tmp_path / "saves"), stdin="1\nquit\n")  # 1: full scenes, at the content note
    assert code == 0 and "== Start ==" in out  # the mini story's first scene
    assert list((tmp_path / "saves").glob("autosave-*"))  # saved where --saves said


@pytest.mark.parametrize("command", ["check", "test", "graph"])
@pytest.mark.parametrize("where", ["before", "after", "as DIR"])
def test_the_writers_commands_take_the_story_on_either_side(command: str, where: str) -> None:
    args = {"before": ["--story", str(MINI), command], "after": [command, "--story", str(MINI)], "as DIR": [command, str(MINI)]}[where]
    code, out = run_cli(*args, *(["--runs", "5"] if command == "test" else []))
    assert code == 0
    assert {"check": "Mini (", "test": "OK", "graph": '"a.start"'}[command] in out


def test_new_scene_takes_the_story_before_the_command(tmp_path: Path) -> None:
    story = _split_story(tmp_path)
    code, _ = run_cli("--story", str(story), "new", "scene", "b.late")
    assert code == 0 and "b.late" in (story / "scenes" / "a.yaml").read_text()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--saves", "x", "check"], "`kengir check` does not use --saves"),
        (["--story", "x", "schema"], "`kengir schema` does not use --story"),
        (["check", "story", "--story", "other"], "two story folders"),
    ],
)
def test_an_option_a_command_cannot_use_is_refused(args: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(args)
    assert stopped.value.code == 2 and said in capsys.readouterr().err
