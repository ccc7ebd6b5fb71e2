"""What the explorer keeps of a state, rule by rule, on stories built for each rule.

Each story here has a corner where keeping too little would change what is reachable; the
reduced exploration must find what the plain one finds (tests/writers/test_explore_sound.py
does the same on random stories, where these corners are rare). The first tests say what the
analysis keeps, so that one that kept everything (and proved nothing) fails too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.format import load_story
from game.model import Story
from game.writers.playtest.liveness import Liveness
from game.writers.playtest.projection import Projection
from game.writers.playtest.values import ALL, Cuts
from tests.writers.test_explore_sound import assert_same_finds

FRAME = """\
story:
  title: Corners
  start: s.0
  acts: {one: {title: One}}
  places: {yard: Y}
  endings: {one: {title: One, debrief: D.}, two: {title: Two, debrief: D.}}
  variables:
    x: {type: int, default: 0, min: 0, max: 9}
    y: {type: int, default: 0, min: 0, max: 9}
    shown: {type: int, default: 0}
notes:
  n1: {title: One, kind: fact, body: B., sources: [s1]}
sources:
  s1: {title: S}
scenes:
"""

END = """\
  e.1: {act: one, date: 1954-05-16, place: yard, title: E, text: 'One.', ending: one}
  e.2: {act: one, date: 1954-05-16, place: yard, title: E, text: 'Two.', ending: two}
"""


def _scene(sid: str, body: str) -> str:
    return f"  {sid}:\n    act: one\n    date: 1954-05-16\n    place: yard\n    title: T\n" + "".join(
        f"    {line}\n" for line in body.strip().splitlines()
    )


def _story(tmp_path: Path, *scenes: str) -> Story:
    (tmp_path / "story.yaml").write_text(FRAME + "".join(scenes) + END)
    return load_story(tmp_path)


def test_what_only_text_reads_is_not_kept_and_what_conditions_read_is(tmp_path: Path) -> None:
    story = _story(
        tmp_path,
        _scene(
            "s.0",
            """
text: 'Shown {shown} times. {visits(s.1)}'
choices:
  - {text: 'Again {y}', goto: s.0, set: {shown: shown + 1, x: x + 1, y: y + 1}}
  - {text: Go on, goto: s.1}
""",
        ),
        _scene(
            "s.1",
            """
text: 'Then.'
choices:
  - {text: Up, goto: e.1, if: x >= 2 and visited(s.0)}
  - {text: Down, goto: e.2, if: visits(s.1) == 3 or visits(s.0) + 1 > 2}
  - {text: Wait, goto: s.1, fallback: true}
""",
        ),
    )
    liveness = Liveness(story)
    # Not `shown` nor `y`: only text reads them. `x >= 2` tells 0-1 from 2 and up; one "Again"
    # more before it, 0 from 1 too. `visited(s.0)` is "some or none" but `visits(s.0) + 1 > 2` is
    # arithmetic: every count. `visits(s.1) == 3`, with s.1 entered again and again by "Wait":
    # 0, 1, 2, 3, and 4 or more.
    assert liveness.live["s.1"] == {"v:x": Cuts(frozenset({2})), "n:s.0": ALL, "n:s.1": Cuts(frozenset({1, 2, 3, 4}))}
    assert liveness.live["s.0"] == {"v:x": Cuts(frozenset({1, 2})), "n:s.0": ALL, "n:s.1": Cuts(frozenset({1, 2, 3}))}
    classes = dict(Projection.reduced(story).layouts["s.1"].visits)["s.1"]
    assert [classes.representative(n) for n in range(7)] == [0, 1, 2, 3, 4, 4, 4]
    assert_same_finds(story)


def test_an_effect_overwrites_what_it_sets_and_reads_only_if_what_it_sets_is_read(tmp_path: Path) -> None:
    story = _story(
        tmp_path,
        _scene(
            "s.0",
            """
text: 'Start.'
choices:
  - {text: Count, goto: s.0, set: {x: y + 1, y: 0}, once: true}
  - {text: Raise, goto: s.0, set: {y: y + 1}}
  - {text: Go on, goto: s.1, set: {y: x}}
""",
        ),
        _scene(
            "s.1",
            """
text: 'Then.'
choices:
  - {text: Up, goto: e.1, if: y >= 2}
  - {text: Down, goto: e.2, set: {x: 0}}
""",
        ),
    )
    liveness = Liveness(story)
    assert liveness.live["s.1"] == {"v:y": Cuts(frozenset({2}))}  # x is set before anything reads it again
    # "Go on" copies x into y: x >= 2 matters; "Count" sets x from the y it then resets.
    assert liveness.live["s.0"] == {"v:x": Cuts(frozenset({2})), "v:y": Cuts(frozenset({1})), "t:s.0#0": ALL}
    assert_same_finds(story)


CORNERS = {
    "a note found under a condition that does not hold keeps what was seen": (
        _scene("s.0", "text: 'Start.'\nchoices:\n  - {text: Read, goto: s.1}\n  - {text: Skip, goto: s.2}")
        + _scene("s.1", "notes: [n1]\ntext: 'A letter.'\nchoices:\n  - {text: Go on, goto: s.2}")
        + _scene(
            "s.2",
            "text:\n  - text: 'The order, again.'\n    if: x > 5\n    notes: [n1]\n"
            "choices:\n  - {text: Go, goto: e.1, if: seen(n1)}\n  - {text: Wait, goto: e.2, fallback: true}",
        )
    ),
    "a once-only choice stays taken across a loop": (
        _scene("s.0", "text: 'Start.'\nchoices:\n  - {text: Once, goto: s.1, once: true}\n  - {text: Out, goto: e.1, if: visited(s.1)}")
        + _scene("s.1", "text: 'Back.'\nchoices:\n  - {text: Back, goto: s.0}")
    ),
    "a count compared with a constant keeps every count up to it": (
        _scene("s.0", "text: 'Round.'\nchoices:\n  - {text: Round, goto: s.0, if: visits(s.0) < 4}\n  - {text: Out, goto: s.1}")
        + _scene("s.1", "text: 'Then.'\nchoices:\n  - {text: Up, goto: e.1, if: visits(s.0) == 3}\n  - {text: Down, goto: e.2}")
    ),
    "a roll a route reads, and a roll only text shows": (
        _scene(
            "s.0",
            "text: 'You wait {roll(100)}.'\nchoices:\n  - text: Run\n    goto:\n      - {if: 'roll(3) == 3', to: e.1}\n      - {to: e.2}\n",
        )
    ),
    "an effect reads a roll drawn as its scene was entered": (
        _scene("s.0", "text: 'Start.'\nchoices:\n  - {text: Dig, goto: s.1, set: {x: 'roll(4) + x'}}")
        + _scene("s.1", "text: 'Then.'\nchoices:\n  - {text: Up, goto: e.1, if: x == 4}\n  - {text: Down, goto: e.2, if: x < 4}")
    ),
    "a roll only a route reads can leave a state with no way out": (
        # The number is drawn as s.0 is entered: with a 2 the one way on leads to a dead end.
        _scene("s.0", "text: 'Start.'\nchoices:\n  - text: Go\n    goto:\n      - {if: 'roll(2) == 2', to: s.1}\n      - {to: e.1}")
        + _scene("s.1", "text: 'Stuck.'\nchoices:\n  - {text: Never, goto: e.2, if: x > 5}")
    ),
    "a loop with no way out, behind a condition": (
        _scene("s.0", "text: 'Start.'\nchoices:\n  - {text: Trap, goto: s.1, set: {x: 3}}\n  - {text: Out, goto: e.1}")
        + _scene("s.1", "text: 'Round.'\nchoices:\n  - {text: Round, goto: s.1, set: {y: y + 1}}\n  - {text: Out, goto: e.2, if: x > 5}")
    ),
}


@pytest.mark.parametrize("corner", sorted(CORNERS))
def test_corners_where_keeping_too_little_would_change_what_is_reachable(tmp_path: Path, corner: str) -> None:
    story = _story(tmp_path, CORNERS[corner])
    plain, reduced = assert_same_finds(story)
    if corner == "a loop with no way out, behind a condition":
        # A plain search never ends in a loop (the visits grow for ever): only the reduced one proves it.
        assert not plain.complete and reduced.complete
        assert [(f["scene"], f["path"]) for f in reduced.failures] == [("s.1", ["s.0: Trap"])]
    elif corner == "a roll only a route reads can leave a state with no way out":
        assert plain.complete and reduced.complete and reduced.doomed == {"s.0", "s.1"}
        # The roll is tried as "Go" is taken, not kept in the state: s.0 is one state, not two.
        assert reduced.states == 3 and plain.states == 4
    else:
        assert plain.complete and reduced.complete and not reduced.failures, corner
