"""The explorer's value classes against plain states, on stories written to stress them.

The general generator (test_compiled_playtest.stories) rarely writes what the explorer's value
classes rest on (values.py, liveness.py): a stat compared with constants by every operator,
moved by `x + c` and `x - c`, copied with a shift into another (`y: x - 1`), reset to a
constant; a text compared with its values; a visit count compared with constants in a loop; a
roll compared with a constant, in a condition, a route or an effect. This one writes little
else, in stories small enough for a plain search to finish, and requires the reduced search to
find exactly what the plain one finds (test_explore_sound.assert_same_finds).
"""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from game.format import load_story
from game.model import StoryError
from tests.writers.test_explore_sound import assert_same_finds

INTS = {"a": (0, 4), "b": (-2, 3), "c": (1, 6)}
WORDS = ["none", "tech", "prop"]
OPS = ["<", "<=", ">", ">=", "==", "!="]


def _atom(draw: st.DrawFn, scenes: list[str], rolls: bool) -> str:
    kinds = ["int", "int", "str", "visits", "flag"] + (["roll"] if rolls else [])
    kind = draw(st.sampled_from(kinds))
    op = draw(st.sampled_from(OPS))
    k = draw(st.integers(-1, 6))
    if kind == "int":
        name = draw(st.sampled_from(sorted(INTS)))
        return f"{name} {op} {k}" if draw(st.booleans()) else f"{k} {op} {name}"
    if kind == "str":
        return f'w {draw(st.sampled_from(["==", "!="]))} "{draw(st.sampled_from(WORDS))}"'
    if kind == "visits":
        return f"visits({draw(st.sampled_from(scenes))}) {op} {k}"
    if kind == "roll":
        return f"roll({draw(st.integers(2, 6))}) {op} {k}"
    return draw(st.sampled_from(["f", "not f"]))


def _condition(draw: st.DrawFn, scenes: list[str], rolls: bool = True) -> str:
    atoms = [_atom(draw, scenes, rolls) for _ in range(draw(st.integers(1, 2)))]
    return f" {draw(st.sampled_from(['and', 'or']))} ".join(f"({a})" for a in atoms)


def _effect(draw: st.DrawFn, rolls: bool) -> str:
    kind = draw(st.sampled_from(["move", "move", "copy", "set", "word", "flag"] + (["roll"] if rolls else [])))
    name = draw(st.sampled_from(sorted(INTS)))
    c = draw(st.integers(1, 2))
    sign = draw(st.sampled_from(["+", "-"]))
    if kind == "move":
        return f"{name}: '{name} {sign} {c}'"
    if kind == "copy":
        return f"{name}: '{draw(st.sampled_from(sorted(INTS)))} {sign} {c}'"
    if kind == "set":
        return f"{name}: {draw(st.integers(-1, 5))}"
    if kind == "word":
        return f"w: {draw(st.sampled_from(WORDS))}"
    if kind == "flag":
        return "f: 'not f'"
    return f"{name}: 'roll({draw(st.integers(2, 4))}) {sign} {name}'"


@st.composite
def stat_stories(draw: st.DrawFn) -> str:
    count = draw(st.integers(3, 6))
    scenes = [f"s.{i}" for i in range(count)]
    variables = "".join(f"    {n}: {{type: int, default: {lo + 1}, min: {lo}, max: {hi}}}\n" for n, (lo, hi) in INTS.items())
    out = [
        "story:\n  title: Stats\n  start: s.0\n  acts: {one: {title: One}}\n  places: {yard: Y}\n"
        "  endings: {end: {title: E, debrief: D.}, other: {title: O, debrief: D.}}\n  variables:\n"
        + variables
        + "    w: {type: str, default: none, values: [none, tech, prop]}\n"
        "    f: {type: bool, default: false}\nscenes:\n"
    ]
    for number, scene in enumerate(scenes):
        out.append(f"  {scene}:\n    act: one\n    date: 1954-05-16\n    place: yard\n    title: T\n    text: Here.\n")
        if number >= count - 2:
            out.append(f"    ending: {'end' if number == count - 1 else 'other'}\n")
            continue
        out.append("    choices:\n")
        for _ in range(draw(st.integers(1, 3))):
            ahead = scenes[number + 1 :]
            back = draw(st.integers(0, 4)) == 0  # a way back, allowed only a few visits (a plain search must end)
            target = draw(st.sampled_from(scenes[: number + 1])) if back else draw(st.sampled_from(ahead))
            out.append("      - text: Go\n")
            if draw(st.integers(0, 2)) == 0:
                out.append(f"        goto:\n          - {{if: '{_condition(draw, scenes)}', to: {draw(st.sampled_from(ahead))}}}\n")
                out.append(f"          - {{to: {target}}}\n")
            else:
                out.append(f"        goto: {target}\n")
            guard = f"visits({target}) < 3" if back else ""
            if draw(st.booleans()):
                guard = f"({_condition(draw, scenes)}) and {guard}" if guard else _condition(draw, scenes)
            if guard:
                out.append(f"        if: '{guard}'\n")
            effects = [_effect(draw, rolls=True) for _ in range(draw(st.integers(0, 3)))]
            effects = list({e.split(":")[0]: e for e in effects}.values())  # one effect per variable
            if effects:
                out.append(f"        set: {{{', '.join(effects)}}}\n")
        out.append(f"      - {{text: Wait, goto: {scenes[number + 1]}, fallback: true}}\n")
    return "".join(out)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=stat_stories())
def test_stat_stories_reduced_exploration_finds_what_a_plain_one_finds(tmp_path_factory, text: str) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("story")
    (root / "story.yaml").write_text(text)
    try:
        story = load_story(root)
    except StoryError as error:
        assert all(p.code in {"dead-end", "unreachable", "no-ending"} for p in error.problems), error
        return
    plain, reduced = assert_same_finds(story, event=event)
    assert reduced.complete
