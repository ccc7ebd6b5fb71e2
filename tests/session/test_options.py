"""A writer's --set and --from, checked against the story: type, values and range, with "did
you mean", before any run starts (nothing is quietly clamped or accepted)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from game.format import load_story
from game.runtime import RunError
from game.session.options import parse_set_values, start_scene
from tests.cli.test_cli import run_cli
from tests.conftest import MINI


@pytest.mark.parametrize(
    ("item", "said"),
    [
        ("trust=9", "trust is a whole number from 0 to 3, not 9"),
        ("trust=-1", "trust is a whole number from 0 to 3, not -1"),
        ("dept=tehc", "'tehc' is not one of the values of dept (did you mean 'tech'?)"),
        ("dept=astronaut", "'astronaut' is not one of the values of dept (values: none, tech)"),
        ("trsut=1", "there is no variable 'trsut' (did you mean 'trust'?)"),
        ("married=yes", "married is true or false, not 'yes'"),
        ("trust=lots", "trust is a whole number, not 'lots'"),
        ("trust", "--set wants NAME=VALUE, not 'trust'"),
    ],
)
def test_a_value_the_story_cannot_hold_is_refused(mini, item: str, said: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RunError) as refused:
        parse_set_values(mini, [item])
    assert str(refused.value) == said


def test_values_the_story_can_hold_are_typed(mini) -> None:  # type: ignore[no-untyped-def]
    assert parse_set_values(mini, ["trust=3", "trust = 0", "dept=tech", "married=true", "dice=99999"]) == {
        "trust": 0,
        "dept": "tech",
        "married": True,
        "dice": 99999,  # no range declared: any whole number
    }


def test_a_range_with_one_bound_says_which(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    folder.mkdir()
    text = (MINI / "story.yaml").read_text().replace("dice: {type: int, default: 0}", "dice: {type: int, default: 0, min: 0}")
    (folder / "story.yaml").write_text(text)
    with pytest.raises(RunError, match=r"^dice is a whole number of at least 0, not -2$"):
        parse_set_values(load_story(folder), ["dice=-2"])


def test_from_a_misspelt_scene_says_which_was_meant(mini) -> None:  # type: ignore[no-untyped-def]
    assert start_scene(mini, "b.mid") == "b.mid" and start_scene(mini, None) is None
    with pytest.raises(RunError, match=r"^there is no scene 'b.mdi' \(did you mean 'b.mid'\?\)$"):
        start_scene(mini, "b.mdi")
    with pytest.raises(RunError, match="kengir graph"):
        start_scene(mini, "zzz")


@pytest.mark.parametrize(("option", "said"), [("--from=b.mdi", "did you mean 'b.mid'?"), ("--set=trust=9", "from 0 to 3, not 9")])
def test_plain_play_refuses_them_with_exit_two(tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, said: str) -> None:
    code, out = run_cli("play", "--plain", "--story", str(MINI), "--saves", str(tmp_path), option, stdin="quit\n")
    assert code == 2 and said in capsys.readouterr().err and "==" not in out  # no scene was shown


def test_the_terminal_game_refuses_them_before_it_starts(mini) -> None:  # type: ignore[no-untyped-def]
    from game.tui.launch import LaunchError, session_options

    args = argparse.Namespace(story=str(MINI), saves=None, start="b.mdi", assign=[])
    with pytest.raises(LaunchError) as refused:
        session_options(args)(mini)
    assert refused.value.code == 2 and "did you mean 'b.mid'?" in refused.value.message
