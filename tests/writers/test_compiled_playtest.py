"""The play-tester's compiled walker against the reference, `Run`: the same tally, seed by seed.

`kengir test` plays its runs through generated code (game/writers/playtest/compiled.py) for speed. It is
only right if every run reaches the same scenes, takes the same choices, counts the same words
and ends the same way as a run stepped through `Run`, the API the game itself uses. Here both
play random stories that hypothesis writes with every feature of the format (conditions and
`else` paragraphs, holes of each type, once-only, fallback and reasoned choices, effects with
clamping, roll(), visits/visited/seen, division by zero), the shipped story and the test fixtures.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.format import load_story
from game.model import StoryError
from game.writers.playtest.compiled import Walker
from game.writers.playtest.runs import MAX_STEPS, Tally, play_many, play_one, random_test
from tests.conftest import MINI

ROOT = Path(__file__).resolve().parents[2]
FIELDS = (
    "runs",
    "scenes",
    "choices",
    "notes",
    "endings",
    "by_perspective",
    "perspective_scenes",
    "words",
    "act_words",
    "lengths",
    "failures",
)


def _reference(story, seeds, perspective=None, intensity="full") -> Tally:  # type: ignore[no-untyped-def]
    tally = Tally()
    for seed in seeds:
        play_one(story, seed, perspective, tally, intensity)
    return tally


def _compiled(story, seeds, perspective=None, intensity="full") -> Tally:  # type: ignore[no-untyped-def]
    tally = Tally()
    play_many(story, seeds, perspective, tally, Walker(story, MAX_STEPS, intensity=intensity))
    return tally


def assert_same(story, seeds, perspective=None, intensity="full") -> None:  # type: ignore[no-untyped-def]
    """The same tally, and run by run the same final state (variables too, which words alone may
    not show); the words counted as `intensity` shows them."""
    expected, found = _reference(story, seeds, perspective, intensity), _compiled(story, seeds, perspective, intensity)
    for name in FIELDS:
        assert getattr(found, name) == getattr(expected, name), name
    walker = Walker(story, MAX_STEPS, intensity=intensity)
    for seed in seeds:
        result = walker.play(seed, perspective)
        alone = Tally()
        run = play_one(story, seed, perspective, alone, intensity)
        # The walker hands a run back to Run only when Run too reports it as failing: an error
        # in the generated code must not hide behind the reference.
        assert (result is None) == bool(alone.failures), (seed, alone.failures)
        if result is not None:
            assert result.state.to_dict() == run.state.to_dict(), seed
            assert result.log == [(e.scene, e.choice) for e in run.log], seed


# ------------------------------------------------------------------ random stories

INT_VARS = {"a": "{type: int, default: 1, min: 0, max: 4}", "b": "{type: int, default: -2}", "c": "{type: int, default: 3, max: 9}"}
BOOL_VARS = {"f": "{type: bool, default: false}", "g": "{type: bool, default: true}"}
STR_VARS = {
    "w": "{type: str, default: none, values: [none, tech, 'it''s']}",
    "t": "{type: str, default: ''}",
}  # free text: words grow as it is added to
NOTES = ["n1", "n2"]
# A summary has words (a blank one is no summary: the checker asks for one), holes of each type.
SUMMARIES = ["It is over.", "'Over, {w}.'", "'{t} It ends.'", "'Count {visits(s.0)}, {f}.'"]
STR_VALUES = ['"tech"', '"none"', 'w + ""']


def _int(draw: st.DrawFn, scenes: list[str], depth: int, rolls: bool = True) -> str:
    kinds = ["lit", "var", "visits", "roll", "roll", "neg", "bin"] if depth < 3 else ["lit", "var", "visits"]
    kind = draw(st.sampled_from(kinds if rolls else [k for k in kinds if k != "roll"]))
    if kind == "lit":
        return str(draw(st.integers(0, 7)))
    if kind == "var":
        return draw(st.sampled_from(sorted(INT_VARS)))
    if kind == "visits":
        return f"visits({draw(st.sampled_from(scenes))})"
    if kind == "roll":  # a roll's sides do not roll (the checker refuses roll() inside roll())
        return f"roll({_int(draw, scenes, depth + 1, rolls=False)})"
    if kind == "neg":
        return f"-({_int(draw, scenes, depth + 1, rolls)})"
    op = draw(st.sampled_from(["+", "-", "*", "/", "%"]))
    return f"({_int(draw, scenes, depth + 1, rolls)} {op} {_int(draw, scenes, depth + 1, rolls)})"


def _bool(draw: st.DrawFn, scenes: list[str], depth: int = 0) -> str:
    kind = draw(
        st.sampled_from(
            ["lit", "var", "visited", "seen", "cmp", "str", "not", "and", "or"] if depth < 3 else ["lit", "var", "visited", "seen", "cmp"]
        )
    )
    if kind == "lit":
        return draw(st.sampled_from(["true", "false"]))
    if kind == "var":
        return draw(st.sampled_from(sorted(BOOL_VARS)))
    if kind == "visited":
        return f"visited({draw(st.sampled_from(scenes))})"
    if kind == "seen":
        return f"seen({draw(st.sampled_from(NOTES))})"
    if kind == "cmp":
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
        return f"{_int(draw, scenes, depth + 1)} {op} {_int(draw, scenes, depth + 1)}"
    if kind == "str":
        op = draw(st.sampled_from(["==", "!="]))
        return f"w {op} {draw(st.sampled_from(STR_VALUES))}"
    if kind == "not":
        return f"not ({_bool(draw, scenes, depth + 1)})"
    return f"({_bool(draw, scenes, depth + 1)}) {kind} ({_bool(draw, scenes, depth + 1)})"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _template(draw: st.DrawFn, scenes: list[str]) -> str:
    """Text with holes of each type, and characters that would break naive code generation.
    Pieces meet with or without a space, so that a hole's value may end or start a word of the
    text around it ("{a}th", "x{w}y"), which the play-tester counts as one word, as a reader does."""
    text = ""
    for _ in range(draw(st.integers(0, 3))):
        text += draw(st.sampled_from(["", " ", "\t"]))
        text += draw(
            st.sampled_from(["Dust and wire", "  ", "\"quoted\" ''' \\n", "it's", "", "a  b\tc", "}}) + __import__('os') {{", "x"])
        )
        text += draw(st.sampled_from(["", " "]))
        hole = draw(st.sampled_from(["", "int", "bool", "str"]))
        if hole == "int":
            text += "{" + _int(draw, scenes, 2) + "}"
        elif hole == "bool":
            text += "{" + _bool(draw, scenes, 2) + "}"
        elif hole == "str":
            text += draw(st.sampled_from(["{w}", "{t}", "{t + w}"]))
    return _quoted(text or "Silence.")


@st.composite
def stories(draw: st.DrawFn) -> str:
    count = draw(st.integers(2, 7))
    scenes = [f"s.{i}" for i in range(count)]
    endings = scenes[-2:] if count > 3 else scenes[-1:]
    variables = "".join(f"    {k}: {v}\n" for k, v in {**INT_VARS, **BOOL_VARS, **STR_VARS}.items())
    out = [
        "story:\n  title: Random\n  start: s.0\n  acts:\n    one: {title: One}\n  places:\n    yard: The yard\n"
        "  endings:\n    end: {title: The end, debrief: Done.}\n  variables:\n" + variables + "scenes:\n"
    ]
    for number, scene in enumerate(scenes):
        out.append(f"  {scene}:\n    act: one\n    date: 1954-05-16\n    place: yard\n    title: A scene\n")
        notes = draw(st.lists(st.sampled_from(NOTES), max_size=2, unique=True))
        if notes:
            out.append(f"    notes: [{', '.join(notes)}]\n")
        if draw(st.integers(0, 5)) == 0:  # violent throughout: one summary for the whole scene
            out.append("    violence: true\n    summary: It is over quickly.\n")
        out.append("    text:\n")
        for _ in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(["plain", "if", "noted", "noted_if", "violent", "violent_if"]))
            if kind == "plain":
                out.append(f"      - {_template(draw, scenes)}\n")
                continue
            out.append(f"      - text: {_template(draw, scenes)}\n")
            if kind in ("if", "noted_if", "violent_if"):
                out.append(f"        if: {_bool(draw, scenes)}\n")
                if kind != "violent_if" and draw(st.booleans()):
                    out.append(f"        else: {_template(draw, scenes)}\n")
            if kind in ("noted", "noted_if") or kind.startswith("violent") and draw(st.booleans()):  # found when the block is shown
                out.append(f"        notes: [{draw(st.sampled_from(NOTES))}]\n")
            if kind.startswith("violent"):  # its summary shown in its place under the summary intensity
                out.append(f"        violence: true\n        summary: {draw(st.sampled_from(SUMMARIES))}\n")
        if scene in endings:
            out.append("    ending: end\n")
            continue
        out.append("    choices:\n")
        fallback_added = False
        for _ in range(draw(st.integers(1, 4))):
            ahead = scenes[max(0, number - 1) :]
            out.append(f"      - text: {_template(draw, scenes)}\n")
            if draw(st.integers(0, 3)) == 0:  # routes: decided by the state after the effects
                out.append("        goto:\n")
                for _ in range(draw(st.integers(1, 2))):
                    out.append(f"          - if: {_quoted(_bool(draw, scenes))}\n            to: {draw(st.sampled_from(ahead))}\n")
                out.append(f"          - to: {draw(st.sampled_from(ahead))}\n")
            else:
                out.append(f"        goto: {draw(st.sampled_from(ahead))}\n")
            kind = draw(st.sampled_from(["plain", "if", "reason", "fallback"]))
            if kind == "fallback" and not fallback_added:
                fallback_added = True
                out.append("        fallback: true\n")
            elif kind in ("if", "reason"):
                out.append(f"        if: {_bool(draw, scenes)}\n")
                if kind == "reason":
                    out.append("        else: Not now.\n")
            if draw(st.booleans()):
                out.append("        once: true\n")
            effects = []
            for name in draw(st.lists(st.sampled_from(["a", "b", "c", "f", "w", "t"]), max_size=3, unique=True)):
                value = {
                    "f": lambda: _bool(draw, scenes, 1),
                    "w": lambda: draw(st.sampled_from(["tech", "none", "w"])),
                    "t": lambda: draw(st.sampled_from(['t + " one more"', '""', "t + w"])),
                }.get(name, lambda: _int(draw, scenes, 1))()
                effects.append(f"{name}: {_quoted(value)}")
            if effects:
                out.append(f"        set: {{{', '.join(effects)}}}\n")
    out.append(
        "notes:\n  n1: {title: One, kind: fact, body: B., sources: [s1]}\n"
        "  n2: {title: Two, kind: fact, body: B., sources: [s1]}\nsources:\n  s1: {title: S}\n"
    )
    return "".join(out)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=stories(), first_seed=st.integers(0, 10_000))
def test_random_stories_give_the_same_tally_as_run(tmp_path_factory, text: str, first_seed: int) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("story")
    (root / "story.yaml").write_text(text)
    try:
        story = load_story(root)
    except StoryError as error:
        # The generator aims at valid stories; the few it misses (a dead end the checker
        # proves) are not what this test is about, but they must be rare.
        assert all(p.code in {"dead-end", "unreachable", "no-ending"} for p in error.problems), error
        return
    Walker(story, MAX_STEPS).compile_all()  # every scene's generated code compiles, reached or not
    assert_same(story, range(first_seed, first_seed + 25))


# ------------------------------------------------------------------ real stories


def test_shipped_story_gives_the_same_tally_as_run() -> None:
    story = load_story(ROOT / "story")
    assert_same(story, range(400))
    for perspective in story.perspectives:
        assert_same(story, range(1000, 1100), perspective)


def test_mini_story_same_tally_in_every_perspective() -> None:
    story = load_story(MINI)
    assert_same(story, range(300))
    assert_same(story, range(300), "thief")


def test_rolls_across_steps_and_growing_text_match_run(tmp_path: Path) -> None:
    """roll() draws fixed by seed, step and draw (reset at each scene); a text hole whose words grow."""
    root = tmp_path / "story"
    root.mkdir()
    (root / "story.yaml").write_text(
        "story:\n  title: R\n  start: s.0\n  acts: {one: {title: One}}\n  places: {yard: Y}\n"
        "  endings: {end: {title: E, debrief: D.}}\n"
        "  variables: {a: {type: int, default: 0, max: 50}, t: {type: str, default: ''}}\n"
        "scenes:\n"
        "  s.0: {act: one, date: 1954-05-16, place: yard, title: A, text: 'Start {roll(6)} {t}.',\n"
        "        choices: [{text: Again, goto: s.0, if: roll(3) > 1, set: {a: a + roll(30), t: 't + \" and again\"'}},\n"
        "                  {text: 'On {a}', goto: s.1, set: {a: roll(100)}}]}\n"
        "  s.1: {act: one, date: 1954-05-16, place: yard, title: B, text: 'Then {roll(6)} {t}.', ending: end}\n"
    )
    assert_same(load_story(root), range(300))


def _story(root: Path, variables: str, scenes: str) -> Path:
    root.mkdir()
    (root / "story.yaml").write_text(
        "story:\n  title: T\n  start: s.0\n  acts: {one: {title: One}}\n  places: {yard: Y}\n"
        f"  endings: {{end: {{title: E, debrief: D.}}}}\n  variables: {{{variables}}}\nscenes:\n{scenes}"
    )
    return root


def test_long_expressions_are_played_not_handed_back(tmp_path: Path) -> None:
    """`a + a + ... + a` (250 terms) would nest too deeply as Python source: such an
    expression calls the engine's closure, and the runs stay on the fast path."""
    chain = " + ".join(["a"] * 250)
    root = _story(
        tmp_path / "story",
        "a: {type: int, default: 1}",
        f"  s.0: {{act: one, date: 1954-05-16, place: yard, title: A, text: 'Sum {{{chain}}}.',\n"
        f"        choices: [{{text: Go, goto: s.1, if: '{chain} >= 250', set: {{a: '{chain}'}}}}, {{text: Stay, goto: s.0}}]}}\n"
        "  s.1: {act: one, date: 1954-05-16, place: yard, title: B, text: 'Now {a}.', ending: end}\n",
    )
    story = load_story(root)
    walker = Walker(story, MAX_STEPS)
    assert all(walker.play(seed, None) is not None for seed in range(50))
    assert_same(story, range(200))
    one, two = random_test(story, 400, 0, 1), random_test(story, 400, 0, 2)  # two: compiled before the workers fork
    assert (one.endings, one.choices, sorted(one.words)) == (two.endings, two.choices, sorted(two.words))


def test_a_perspective_variable_of_another_type_is_counted_as_run_counts_it(tmp_path: Path) -> None:
    root = _story(
        tmp_path / "story",
        "perspective: {type: int, default: 0}",
        "  s.0: {act: one, date: 1954-05-16, place: yard, title: A, text: Start., choices: [{text: Go, goto: s.1}]}\n"
        "  s.1: {act: one, date: 1954-05-16, place: yard, title: B, text: End., ending: end}\n",
    )
    story = load_story(root)
    assert_same(story, range(20))
    assert set(_compiled(story, range(20)).by_perspective) == {"0"}


def test_runs_the_walker_cannot_finish_are_reported_by_run(tmp_path: Path) -> None:
    """A dead end and a loop come back as None and are played again by the reference."""
    root = tmp_path / "story"
    root.mkdir()
    (root / "story.yaml").write_text(
        "story:\n  title: T\n  start: s.0\n  acts: {one: {title: One}}\n  places: {yard: Y}\n"
        "  endings: {end: {title: E, debrief: D.}}\n  variables: {a: {type: int, default: 0}}\n"
        "scenes:\n"
        "  s.0: {act: one, date: 1954-05-16, place: yard, title: A, text: Start.,\n"
        "        choices: [{text: Arm, goto: s.0, set: {a: 1}}, {text: Stop, goto: s.1, if: a > 0},\n"
        "                  {text: Circle, goto: s.3, if: a > 0}, {text: Onward, goto: s.2}]}\n"
        "  s.1: {act: one, date: 1954-05-16, place: yard, title: B, text: Stuck., choices: [{text: Never, goto: s.2, if: a > 5}]}\n"
        "  s.2: {act: one, date: 1954-05-16, place: yard, title: C, text: End., ending: end}\n"
        "  s.3: {act: one, date: 1954-05-16, place: yard, title: D, text: Round., choices: [{text: Again, goto: s.3}]}\n"
    )
    try:
        story = load_story(root)
    except StoryError as error:  # the checker may prove the dead end; the tester must find it either way
        raise AssertionError(f"the fixture should load with warnings only: {error}") from None
    walker = Walker(story, MAX_STEPS)
    outcomes = [walker.play(seed, None) for seed in range(200)]
    assert any(o is None for o in outcomes) and any(o is not None for o in outcomes)
    assert_same(story, range(200))
    tally = _compiled(story, range(200))
    messages = {(f.scene, f.message.split(" '")[0].split(" after")[0]) for f in tally.failures}
    assert messages == {("s.1", "no choice can be taken in"), ("s.3", "no ending")}, messages


def test_counting_in_pieces_counts_every_run_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """play_many counts every COUNT_EVERY runs (its lists stay small): pieces that do not divide
    the seeds evenly must still give the reference's tally, run for run."""
    from game.writers.playtest import runs as playtest

    monkeypatch.setattr(playtest, "COUNT_EVERY", 7)
    story = load_story(ROOT / "story")
    assert_same(story, range(3, 53))
