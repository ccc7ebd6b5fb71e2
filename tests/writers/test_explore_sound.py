"""The explorer's reduced states against plain ones: the reduction hides nothing.

The explorer keys a state by what can still change where a run goes (liveness.py, projection.py).
A plain exploration keys it by everything: every variable, visit count, note, once-only mark
and roll. On stories small enough for both, hypothesis-written with every feature of the format:

- every reduced state stands for a real one: following the reduced graph from the start, each
  state's key is the key of a state the plain rules reach by the same choice and rolls, and from
  that real state the moves lead to exactly the keys the reduced graph has (a bisimulation);
- when the plain exploration finishes, the reduced one does, with the same verdicts (the scenes
  where some state cannot reach an ending, or is stuck) and the same scenes, choices and
  endings reached, and every plain state's key is among the reduced states;
- when only the reduced one finishes, the plain one's partial finds are among its finds.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import product
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings

from game.format import load_story
from game.model import Story, StoryError
from game.runtime import State
from game.writers.playtest.explore import Exploration, StateGraph, search
from game.writers.playtest.moves import Mover
from game.writers.playtest.projection import Projection
from tests.conftest import MINI
from tests.writers.test_compiled_playtest import stories

PLAIN_LIMIT = 1_500
REDUCED_LIMIT = 3_000


def every_roll(story: Story, perspective: str | None) -> Mover:
    """Moves by the plain rules: every roll tried, every state whole."""
    return Mover(story, perspective, Projection.plain(story).layouts)


def with_rolls(story: Story, state: State, keyed: set[str]) -> list[State]:
    """`state` with every combination of numbers for the rolls of its scene that a reduced key
    does not keep (the explorer tries them only as a choice is taken): the real states a
    reduced state stands for."""
    rolls = [r for r in story.scenes[state.scene].rolls if r.site not in keyed]
    found = []
    for numbers in product(*(range(1, max(1, r.sides.evaluate(state)) + 1) for r in rolls)):
        real = state.copy()
        real.rolls.update(zip((r.site for r in rolls), numbers))
        found.append(real)
    return found


def assert_reduced_states_are_real(story: Story, graph: StateGraph, perspective: str | None = None) -> None:
    """Walk the reduced graph in the order found, keeping for each state a real one (reached by
    the plain rules along the path that found it, with the numbers the rolls were given) whose
    reduced key is its key; from the real states it stands for, the moves must lead to the very
    keys the reduced state leads to."""
    reduced, mover = graph.projection, every_roll(story, perspective)
    real: list[State] = []
    starts = {reduced.key(s): s for s in mover.start()}
    for number, key in enumerate(graph.keys):
        parent = graph.parent[number]
        if parent < 0:
            real.append(starts[key])
        else:
            scene, index = graph.choices[graph.via[number]]
            taking = real[parent].copy()
            if graph.rolled[number] >= 0:  # the rolls the explorer tried as the choice was taken
                taking.rolls.update(graph.numbers[graph.rolled[number]])
            move = next(m for m in mover.moves(taking) if m.choice.index == index)
            real.append(next(s for s in move.states if reduced.key(s) == key))
        assert reduced.key(real[number]) == key
    for number in range(graph.expanded):
        keyed = {site for site, _ in reduced.layouts[graph.keys[number][0]].sites}
        expected = {reduced.key(s) for r in with_rolls(story, real[number], keyed) for m in mover.moves(r) for s in m.states}
        assert expected == {graph.keys[j] for j in graph.moves_of(number)}, graph.keys[number]


def assert_every_real_state_moves_as_its_key(story: Story, plain: StateGraph, graph: StateGraph, perspective: str | None) -> None:
    """Every state the plain search found has its key among the reduced states, and its moves
    lead to keys among those its key leads to: all of them, but where the explorer tries a roll
    as a choice is taken (the real state has drawn one number; its key stands for them all)."""
    reduced, mover = graph.projection, every_roll(story, perspective)
    found: dict[tuple[object, ...], set[tuple[object, ...]]] = {}
    for key in plain.keys:
        state = plain.projection.state(key)
        number = graph.number[reduced.key(state)]
        leads = {reduced.key(s) for m in mover.moves(state) for s in m.states}
        expected = {graph.keys[j] for j in graph.moves_of(number)}
        assert leads <= expected if reduced.layouts[state.scene].deferred else leads == expected, graph.keys[number]
        found.setdefault(graph.keys[number], set()).update(leads)
    assert all(leads == {graph.keys[j] for j in graph.moves_of(graph.number[key])} for key, leads in found.items())


def _no_event(name: str) -> None:
    pass


def assert_same_finds(
    story: Story, perspective: str | None = None, event: Callable[[str], None] = _no_event
) -> tuple[Exploration, Exploration]:
    plain, plain_graph = search(story, perspective, PLAIN_LIMIT, Projection.plain(story))
    reduced, graph = search(story, perspective, REDUCED_LIMIT)
    if not reduced.complete:  # a number that grows without end, read by a condition: neither finishes
        assert not plain.complete
        event("neither search finishes")
        return plain, reduced
    assert reduced.states <= plain.states or not plain.complete
    assert_reduced_states_are_real(story, graph, perspective)
    if plain.complete:
        event("both finish: compared in full")
        for name in ("scenes", "choices", "endings", "doomed", "stuck"):
            assert getattr(reduced, name) == getattr(plain, name), name
        assert bool(reduced.failures) == bool(plain.failures)
        assert_every_real_state_moves_as_its_key(story, plain_graph, graph, perspective)
    else:
        event("only the reduced search finishes")
        for name in ("scenes", "choices", "endings", "stuck"):
            assert getattr(plain, name) <= getattr(reduced, name), name
    return plain, reduced


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=stories())
def test_random_stories_reduced_exploration_finds_what_a_plain_one_finds(tmp_path_factory, text: str) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("story")
    (root / "story.yaml").write_text(text)
    try:
        story = load_story(root)
    except StoryError as error:
        assert all(p.code in {"dead-end", "unreachable", "no-ending"} for p in error.problems), error
        return
    assert_same_finds(story, event=event)


def test_mini_story_reduced_exploration_finds_what_a_plain_one_finds() -> None:
    story = load_story(MINI)
    for perspective in (None, *story.perspectives):
        plain, reduced = assert_same_finds(story, perspective)
        assert plain.complete and reduced.complete
        # From a.start, the die rolled for `dice` (which only a paragraph shows) and the count of
        # visits to a.start (a condition asks only whether there was one) make plain states that
        # the reduced search does not tell apart.
        assert reduced.states < plain.states or perspective == "thief"


LOOP = """\
story:
  title: Loops
  start: s.0
  acts: {one: {title: One}}
  places: {yard: Y}
  endings: {end: {title: E, debrief: D.}}
  variables:
    shown: {type: int, default: 0}
    bread: {type: int, default: 0, min: 0, max: 9}
    t: {type: str, default: ''}
scenes:
  s.0:
    act: one
    date: 1954-05-16
    place: yard
    title: The queue
    text: 'You have queued {shown} times{t}. {visits(s.0)}'
    choices:
      - {text: Queue again, goto: s.0, set: {shown: shown + 1, bread: bread + 1, t: 't + "!"'}}
      - {text: Leave, goto: s.1, if: visits(s.0) >= 3 or bread > 4}
  s.1: {act: one, date: 1954-05-16, place: yard, title: B, text: 'End.', ending: end}
"""


def test_a_loop_whose_counts_only_text_reads_is_proved(tmp_path: Path) -> None:
    """A plain search never ends here (`shown` and `t` grow for ever, and so does the visit
    count); the reduced one keeps `bread` (0 to 9, as declared) and counts visits up to 4
    ("more than 3": all that `visits(s.0) >= 3` can tell apart), and proves it."""
    (tmp_path / "story.yaml").write_text(LOOP)
    story = load_story(tmp_path)
    plain, reduced = assert_same_finds(story)
    assert not plain.complete and reduced.complete and not reduced.failures
    assert reduced.choices == {("s.0", 0), ("s.0", 1)} and reduced.endings == {"end"}
