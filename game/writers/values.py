"""What each variable may hold as a scene is entered, over every path of the story: a sound
over-approximation, for the lints that say "never" (lints.py).

Each variable, and each visit count and note a condition reads, gets the set of values it may
hold as each scene is entered: from the declared defaults, through the `set` effects of every
choice and route that leads there. A choice's condition (and, for a fallback, the other
choices' conditions) narrows what passes along it. The sets are kept per variable, not per
state: two variables' values are not tied together, so a set holds every value some path gives,
and perhaps more. "Never", said from them, is true on every path. A set of more than MAX_VALUES
values, or an expression with more than MAX_COMBINATIONS combinations of values to try, is
"any value" (ANY), from which nothing is ever proved.

Play begins at the story's start, at each perspective's start, and at the first scene of each
act on each perspective's path (where an assignment with `from: ACT` begins), each with the
declared defaults. A writer's `--from` and `--set`, and an assignment that begins at a named
scene, are not paths of the story.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from game.model import Choice, Scene, Story, Variable, scene_expressions
from game.model import expressions as ex
from game.runtime import Assignment, AssignmentError

MAX_VALUES = 64
MAX_COMBINATIONS = 4096
ANY = None
Domain = frozenset[Any] | None
Env = dict[Any, Domain]  # a variable's id, ("visits", scene) or ("seen", note) -> what it may hold
BOOLS: frozenset[Any] = frozenset((False, True))

_OPERATORS = ex.BINARY_OPERATORS
_COMPARISONS = frozenset(("==", "!=", "<", "<=", ">", ">=", "and", "or"))


def _capped(values: set[Any] | frozenset[Any]) -> Domain:
    return frozenset(values) if len(values) <= MAX_VALUES else ANY


def _key(call: ex.Call) -> Any:
    """What a call reads: its own draw for roll(), else the visits of a scene or a note seen."""
    if call.function == "roll":
        return call
    return ("seen" if call.function == "seen" else "visits", call.argument)


def reads_of(node: ex.Node) -> list[Any]:
    """What `node` reads, each once, in order."""
    if isinstance(node, ex.Name):
        return [node.name]
    if isinstance(node, ex.Call):
        return [_key(node)]
    if isinstance(node, ex.Unary):
        return reads_of(node.operand)
    if isinstance(node, ex.Binary):
        return list(dict.fromkeys(reads_of(node.left) + reads_of(node.right)))
    return []


def _compile(node: ex.Node, keys: list[Any]) -> Callable[[tuple[Any, ...]], Any]:
    """`node` as a function of the values of what it reads (`keys`, in order), evaluated as
    rules.py evaluates it (tried for each combination of values, so compiled once)."""
    if isinstance(node, ex.Literal):
        constant = node.value
        return lambda values: constant
    if isinstance(node, ex.Name):
        place = keys.index(node.name)
        return lambda values: values[place]
    if isinstance(node, ex.Call):
        place = keys.index(_key(node))
        if node.function == "visited":
            return lambda values: values[place] > 0
        return lambda values: values[place]
    if isinstance(node, ex.Unary):
        operand = _compile(node.operand, keys)
        if node.op == "not":
            return lambda values: not operand(values)
        return lambda values: -operand(values)
    left, right = _compile(node.left, keys), _compile(node.right, keys)
    if node.op == "and":
        return lambda values: left(values) and right(values)
    if node.op == "or":
        return lambda values: left(values) or right(values)
    function = _OPERATORS[node.op]
    return lambda values: function(left(values), right(values))


class _Form(NamedTuple):
    """An expression ready to be tried: what it reads, and itself as a function of their values."""

    keys: list[Any]
    evaluate: Callable[[tuple[Any, ...]], Any]


class Reach:
    """The values each variable may hold as each scene is entered (`entered`, for the scenes
    some path reaches), and what an expression may give there."""

    def __init__(self, story: Story):
        self.story = story
        self._trees: dict[str, ex.Node] = {}
        self._forms: dict[int, _Form] = {}  # by id() of a node of a tree kept in _trees
        # Results by (node, what its keys may hold): scenes share conditions, and mostly values.
        self._possible: dict[tuple[int, tuple[Domain, ...]], Domain] = {}
        self._narrowed: dict[tuple[int, tuple[Domain, ...], bool], tuple[frozenset[Any], ...] | None] = {}
        self._rolls: dict[str, list[ex.Call]] = {}
        self._clamped: dict[tuple[str, Domain], Domain] = {}
        self.tracked = self._tracked()
        self.entered: dict[str, Env] = {}
        self._solve()

    def tree(self, expr: ex.Expr) -> ex.Node:
        found = self._trees.get(expr.source)
        if found is None:
            found = self._trees[expr.source] = ex.parse(expr.source)
        return found

    def _tracked(self) -> list[Any]:
        """The visit counts and notes some expression reads."""
        keys: dict[Any, None] = {}
        seen: set[int] = set()
        for scene in self.story.scenes.values():
            for expr in scene_expressions(scene):
                if id(expr) not in seen and "(" in expr.source:
                    seen.add(id(expr))
                    keys.update((key, None) for key in reads_of(self.tree(expr)) if isinstance(key, tuple) and not isinstance(key, ex.Call))
        return list(keys)

    # ------------------------------------------------------------ expressions over sets of values

    def domain(self, key: Any, env: Env) -> Domain:
        """What `key` may hold in `env`; for a roll, what it drew as the scene was entered."""
        if key in env or not isinstance(key, ex.Call):
            return env[key]
        return self.drawn(key, env)

    def drawn(self, roll: ex.Call, env: Env) -> Domain:
        """Every number `roll` may draw in `env`."""
        assert isinstance(roll.argument, tuple)  # roll's argument is an expression
        sides = self.possible(roll.argument, env)
        if sides is ANY or max(sides) > MAX_VALUES:
            return ANY
        return frozenset(range(1, max(1, max(sides)) + 1))  # rules: fewer than 2 sides draw 1

    def form(self, node: ex.Node) -> _Form:
        found = self._forms.get(id(node))
        if found is None:
            keys = reads_of(node)
            found = self._forms[id(node)] = _Form(keys, _compile(node, keys))
        return found

    def _tried(self, form: _Form, env: Env) -> tuple[tuple[Domain, ...], bool]:
        """What the keys of `form` may hold, and whether every combination can be tried."""
        domains = tuple(self.domain(key, env) for key in form.keys)
        feasible = all(d is not ANY for d in domains) and math.prod(len(d) for d in domains if d is not ANY) <= MAX_COMBINATIONS
        return domains, feasible

    def possible(self, node: ex.Node, env: Env) -> Domain:
        """Every value `node` may give in `env` (ANY: perhaps any; a condition's ANY is both)."""
        if isinstance(node, ex.Literal):
            return frozenset((node.value,))
        if isinstance(node, ex.Name):
            return env[node.name]
        form = self.form(node)
        domains, feasible = self._tried(form, env)
        memo = (id(node), domains)
        if memo in self._possible:
            return self._possible[memo]
        if feasible:
            found = _capped({form.evaluate(values) for values in itertools.product(*domains)})  # type: ignore[arg-type]
        else:
            found = self._composed(node, env)
        self._possible[memo] = found
        return found

    def _composed(self, node: ex.Node, env: Env) -> Domain:
        """`possible` part by part, for an expression whose values cannot all be tried together."""
        boolean = isinstance(node, ex.Binary) and node.op in _COMPARISONS or isinstance(node, ex.Unary) and node.op == "not"
        if isinstance(node, ex.Call):
            found = self.domain(_key(node), env)
            if node.function == "visited":
                return BOOLS if found is ANY else frozenset(v > 0 for v in found)
            return BOOLS if found is ANY and node.function == "seen" else found
        if isinstance(node, ex.Unary):
            operand = self.possible(node.operand, env)
            if operand is ANY:
                return BOOLS if boolean else ANY
            return _capped({(not v) if node.op == "not" else -v for v in operand})
        if not isinstance(node, ex.Binary):
            return self.possible(node, env)
        left, right = self.possible(node.left, env), self.possible(node.right, env)
        if node.op in ("and", "or"):
            left, right = left or BOOLS, right or BOOLS
        if left is ANY or right is ANY or len(left) * len(right) > MAX_COMBINATIONS:
            return BOOLS if boolean else ANY
        if node.op in ("and", "or"):
            join = (lambda a, b: a and b) if node.op == "and" else (lambda a, b: a or b)
            return frozenset(join(a, b) for a in left for b in right)
        return _capped({_OPERATORS[node.op](a, b) for a in left for b in right})

    def can_be(self, expr: ex.Expr, env: Env, wanted: bool) -> bool:
        """Whether the condition `expr` may be `wanted` in `env`."""
        found = self.possible(self.tree(expr), env)
        return found is ANY or any(bool(v) == wanted for v in found)

    def narrowed(self, expr: ex.Expr, env: Env, wanted: bool) -> Env | None:
        """`env` kept to the values with which the condition may be `wanted` (None: it never is)."""
        node = self.tree(expr)
        form = self.form(node)
        domains, feasible = self._tried(form, env)
        if not feasible:
            return env if self.can_be(expr, env, wanted) else None
        memo = (id(node), domains, wanted)
        if memo not in self._narrowed:
            kept: list[set[Any]] = [set() for _ in form.keys]
            for values in itertools.product(*domains):  # type: ignore[arg-type]
                if bool(form.evaluate(values)) == wanted:
                    for held, value in zip(kept, values):
                        held.add(value)
            holds = bool(kept[0]) if form.keys else bool(form.evaluate(())) == wanted
            self._narrowed[memo] = tuple(frozenset(held) for held in kept) if holds else None
        found = self._narrowed[memo]
        if found is None:
            return None
        narrowed = dict(env)
        # Not the rolls: two roll() written alike are two draws with one key (the same node).
        narrowed.update((key, held) for key, held in zip(form.keys, found) if not isinstance(key, ex.Call))
        return narrowed

    # ------------------------------------------------------------ the paths of the story

    def starts(self) -> Iterator[tuple[str, Env]]:
        """Where play may begin, each with what the variables hold there."""
        story = self.story
        defaults: Env = {var.id: frozenset((var.default,)) for var in story.variables.values()}
        defaults.update((key, frozenset((0 if key[0] == "visits" else False,))) for key in self.tracked)
        perspectives: list[str | None] = [None, *story.perspectives]
        for perspective in perspectives:
            env = dict(defaults)
            if perspective:
                env["perspective"] = frozenset((perspective,))
            begin = story.perspectives[perspective].start if perspective else story.start
            yield begin, env
            for act in story.acts:
                try:
                    first = Assignment(id="", title="", start=act).first_scene(story, perspective)
                except AssignmentError:  # the act is not on this perspective's path
                    continue
                if first and first != begin:
                    yield first, env

    def rolls(self, scene: Scene) -> list[ex.Call]:
        """The roll() calls of `scene`'s expressions (the keys of what they drew)."""
        found = self._rolls.get(scene.id)
        if found is None:
            found = self._rolls[scene.id] = list(
                dict.fromkeys(
                    key for expr in scene_expressions(scene) for key in self.form(self.tree(expr)).keys if isinstance(key, ex.Call)
                )
            )
        return found

    def enter(self, scene: Scene, env: Env) -> Env:
        """What entering `scene` does: one more visit, its rolls drawn (kept while the player is
        there), its notes found (rules.enter, in that order)."""
        env = dict(env)
        visits = ("visits", scene.id)
        if visits in env:
            count = env[visits]
            env[visits] = ANY if count is ANY else _capped({v + 1 for v in count})
        if scene.rolls:
            for roll in self.rolls(scene):
                env[roll] = self.drawn(roll, env)
        for note in scene.notes:
            if ("seen", note) in env:
                env["seen", note] = frozenset((True,))
        for block in scene.text:
            for note in block.notes:
                held = env.get(("seen", note), ANY)
                if held is not ANY:
                    env["seen", note] = frozenset((True,)) if block.condition is None else held | {True}
        return env

    def taken(self, scene: Scene, choice: Choice, env: Env) -> Env | None:
        """`env` as it may be when `choice` is taken (None: it never is)."""
        if not choice.fallback:
            return self.narrowed(choice.condition, env, True) if choice.condition is not None else env
        for other in scene.choices:  # a fallback is shown only when no other choice is open
            if other.fallback or other.once:  # (a once-only choice may be gone)
                continue
            if other.condition is None:
                return None
            narrowed = self.narrowed(other.condition, env, False)
            if narrowed is None:
                return None
            env = narrowed
        return env

    def leave(self, scene: Scene, choice: Choice, env: Env) -> Iterator[tuple[str, Env]]:
        """Where `choice` may lead from `scene` entered with `env`, and what the variables hold
        then (rules.take: effects in order, clamped, then the first route that holds)."""
        state = self.taken(scene, choice, env)
        if state is None:
            return
        state = dict(state)
        for effect in choice.effects:
            found = self.possible(self.tree(effect.value), state)
            memo = (effect.variable, found)
            if memo not in self._clamped:
                self._clamped[memo] = clamped(self.story.variables[effect.variable], found)
            state[effect.variable] = self._clamped[memo]
        rest = state
        for route in choice.routes:
            there = self.narrowed(route.condition, rest, True)
            if there is not None:
                yield route.target, _leaving(scene, there)
            left = self.narrowed(route.condition, rest, False)
            if left is None:
                return
            rest = left
        yield choice.goto, _leaving(scene, rest)

    def _solve(self) -> None:
        """Spread the values from the starts along every choice until nothing changes."""
        scenes = self.story.scenes
        order = {scene_id: number for number, scene_id in enumerate(scenes)}
        arriving: dict[str, Env] = {}
        # Scenes to (re)visit, earliest in the story first, each once however often its values grew.
        queue: list[tuple[int, str]] = []
        queued: set[str] = set()

        def arrive(scene_id: str, env: Env) -> None:
            if scene_id in scenes and _join(arriving, scene_id, env) and scene_id not in queued:
                queued.add(scene_id)
                heapq.heappush(queue, (order[scene_id], scene_id))

        for begin, env in self.starts():
            arrive(begin, env)
        while queue:
            _, scene_id = heapq.heappop(queue)
            queued.discard(scene_id)
            scene = scenes[scene_id]
            env = self.entered[scene_id] = self.enter(scene, arriving[scene_id])
            for choice in scene.choices:
                for target, after in self.leave(scene, choice, env):
                    arrive(target, after)


def _leaving(scene: Scene, env: Env) -> Env:
    """`env` as the player leaves `scene`: its rolls were drawn for it alone."""
    return {key: held for key, held in env.items() if not isinstance(key, ex.Call)} if scene.rolls else env


def clamped(var: Variable, found: Domain) -> Domain:
    """What a `set` of `var` may store, given what its expression may give (rules.take clamps)."""
    if found is not ANY:
        return _capped({var.clamp(v) for v in found})
    if var.type == ex.BOOL:
        return BOOLS
    if var.type == ex.INT and var.minimum is not None and var.maximum is not None and var.maximum - var.minimum < MAX_VALUES:
        return frozenset(range(var.minimum, var.maximum + 1))
    return ANY


def _join(arriving: dict[str, Env], scene_id: str, env: Env) -> bool:
    """Add `env` to what may arrive at `scene_id`; whether that changed anything."""
    old = arriving.get(scene_id)
    if old is None:
        arriving[scene_id] = dict(env)  # its own: the same values may arrive at two scenes
        return True
    changed = False
    for key, new in env.items():
        held = old[key]
        if held is ANY or (new is not ANY and new <= held):
            continue
        old[key] = ANY if new is ANY else _capped(held | new)
        changed = True
    return changed
