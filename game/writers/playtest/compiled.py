"""The play-tester's compiled walker: each scene turned into one small Python function.

`kengir test` plays tens of thousands of runs. Stepped through `Run` (the API the game uses),
a choice costs about ten microseconds, most of it in calls: a closure per condition, a named
tuple per choice shown, a log entry with a timestamp. Here each scene becomes one generated
function that evaluates its conditions inline, evaluates its `{holes}`, counts the words a player
would read and returns the choices open, in the order `Run.choices` shows them.

The generated source is built only from our own checked syntax trees (expressions.parse);
writers' text and ids enter it only as `repr()` literals, so a story cannot inject code.

`Run` stays the reference: the rules live in game/runtime/rules.py, and this module must do
exactly what they do. A run this walker cannot finish normally (no choice open, a loop, an
error) is played again through `Run` by `runs.play_one`, so failures are reported exactly as
before. tests/writers/test_one_rulebook.py plays both engines over every story of the project
and fails unless every branch of the rules is taken while they agree.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from game.model import INT_LIMIT, Choice, Scene, Story, Template, Variable
from game.model.expressions import Binary, Call, Expr, Literal, Name, Node, Unary, div_or_zero, mod_or_zero, parse
from game.runtime import State, draw, once_mark
from game.writers.playtest.code_cache import compile_cached
from game.writers.playtest.words import TemplateWords

# A choice as the walker takes it, a plain tuple to unpack in one step:
# (key: (scene, index in the story file) as the tally counts it, goto (a scene, or a function
#  (V, S) -> scene for a choice with routes), once: its "scene#index"
#  mark or "", effects: a function (V, S) -> None or None)
Option = tuple[tuple[str, int], str | Callable[[dict[str, Any], State], str], str, Callable[[dict[str, Any], State], None] | None]
# (V, VS, SEEN, TAKEN, S) -> (words, the options open, or None at an ending)
StepFunction = Callable[..., tuple[int, list[Option] | None]]


_SAME_AS_PYTHON = {"==", "!=", "<", "<=", ">", ">=", "+", "-", "*"}


def expression_code(node: Node, sites: Iterator[str] | None = None) -> str:
    """Python source for a checked expression; the same values as expressions.compile_node.
    `sites` names each roll() in the order written (Expr.sites), as compile_node takes them."""
    if isinstance(node, Literal):
        return repr(node.value)
    if isinstance(node, Name):
        return f"V[{node.name!r}]"
    if isinstance(node, Call):
        if node.function == "roll":
            site = next(sites, None) if sites is not None else None
            if site is None:
                raise ValueError("roll() is drawn only in a scene, which names its place")
            return f"S.rolls[{site!r}]"  # drawn as the scene was entered
        target = repr(node.argument)
        if node.function == "visited":
            return f"(VS.get({target}, 0) > 0)"
        if node.function == "visits":
            return f"VS.get({target}, 0)"
        return f"({target} in SEEN)"
    if isinstance(node, Unary):
        operand = expression_code(node.operand, sites)
        return f"(not {operand})" if node.op == "not" else f"(-{operand})"
    assert isinstance(node, Binary)
    left = expression_code(node.left, sites)
    right = expression_code(node.right, sites)
    if node.op in ("and", "or") or node.op in _SAME_AS_PYTHON:
        return f"({left} {node.op} {right})"
    return f"{'_div' if node.op == '/' else '_mod'}({left}, {right})"


# Deeper than this, an expression calls the engine's own compiled closure instead of being
# written out: Python refuses source nested 200 parentheses deep, and `a + a + ... + a` nests
# one per operator.
MAX_INLINE_DEPTH = 40


def _depth(node: Node) -> int:
    if isinstance(node, Binary):
        return 1 + max(_depth(node.left), _depth(node.right))
    if isinstance(node, Unary):
        return 1 + _depth(node.operand)
    if isinstance(node, Call) and not isinstance(node.argument, str):
        return 1 + _depth(node.argument)
    return 1


@lru_cache(maxsize=1 << 16)
def _inline_code(source: str, sites: tuple[str, ...]) -> str | None:
    """Python source for an expression's text, None if too deep to write out. Remembered: a
    story repeats its expressions (`trust + 1`, `not married`), and parsing them again for each
    use was most of the time of compiling a 1,000-scene story (0.8 s of 1.0 s)."""
    node = parse(source)
    return expression_code(node, iter(sites)) if _depth(node) <= MAX_INLINE_DEPTH else None


def _expr(expr: Expr, names: dict[str, Any]) -> str:
    """Python source for an expression; `names` receives what the source refers to."""
    code = _inline_code(expr.source, expr.sites)
    if code is not None:
        return code
    name = f"X{len(names)}"
    names[name] = expr.evaluate
    return f"{name}(S)"


def _template_words_code(template: Template, names: dict[str, Any]) -> str:
    """Source for a template's words (only called for templates with holes): a look-up of its
    holes' values in the template's own memo of words by value (words.py). Each hole's
    expression is still evaluated at every step; only counting a value met before is saved."""
    constants = [""]
    holes = []
    for part in template.parts:
        if isinstance(part, str):
            constants[-1] += part
        else:
            holes.append(_expr(part, names))
            constants.append("")
    memo = f"W{len(names)}"
    names[memo] = TemplateWords(constants, len(holes))
    key = holes[0] if len(holes) == 1 else "(" + ", ".join(holes) + ",)"
    return f"{memo}[{key}]"


def _words(text: str) -> int:
    return len(text.split())


class _Source:
    """Lines of generated Python with indentation."""

    def __init__(self, names: dict[str, Any]) -> None:
        self.names = names  # what the source refers to beyond the builtins
        self.lines: list[str] = []
        self.depth = 1
        self.constant = 0  # words always shown: added once, to the result

    def add(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)


def _add_template_words(out: _Source, template: Template, target: str = "w") -> None:
    """Add a template's words to `target`: counted once here when it has no holes."""
    if template.fixed is not None:
        count = _words(template.fixed)
        if count and target == "w" and out.depth == 1:
            out.constant += count  # shown whatever the state
        elif count:
            out.add(f"{target} += {count}")
    else:
        out.add(f"{target} += {_template_words_code(template, out.names)}")


def _notes_code(scene: Scene, out: _Source) -> None:
    """The notes found on entering, as rules.enter finds them: the scene's own, and those of
    each block whose condition holds before any of them is counted as seen."""
    if not scene.block_notes:
        if scene.notes:
            out.add(f"SEEN.update({scene.notes!r})")
        return
    out.add(f"F = {list(scene.notes)!r}")
    for block in scene.text:
        if not block.notes:
            continue
        if block.condition is None:
            out.add(f"F.extend({block.notes!r})")
        else:
            out.add(f"if {_expr(block.condition, out.names)}:")
            out.add(f"    F.extend({block.notes!r})")
    out.add("SEEN.update(F)")


def _text_code(scene: Scene, out: _Source, summary: bool) -> None:
    """The scene's words as `Run.text` shows them: conditions evaluated, holes filled; with
    `summary` (the summary intensity), the scene's summary, or each block's in its place.

    The words of paragraphs joined by blank lines are the sum of each paragraph's words,
    so paragraphs without holes are counted when compiled and never again."""
    out.add("w = 0")
    summary = summary and scene.summarised
    if summary and scene.summary:
        out.constant += _words(scene.summary)
        return
    if scene.fixed_text is not None and not summary:
        out.constant += _words(scene.fixed_text)
        return
    for block in scene.text:
        shown = block.summary if summary and block.summary is not None else block.text
        if block.condition is None:
            _add_template_words(out, shown)
            continue
        out.add(f"if {_expr(block.condition, out.names)}:")
        out.depth += 1
        _add_template_words(out, shown)
        out.add("pass")
        out.depth -= 1
        if block.otherwise is not None:
            out.add("else:")
            out.depth += 1
            _add_template_words(out, block.otherwise)
            out.add("pass")
            out.depth -= 1


def _routes_source(choice: Choice, name: str, names: dict[str, Any]) -> str:
    """Source of a function (V, S) -> the scene a choice with routes leads to, decided on the
    state after its effects (as rules.take decides it): the first route that holds, else goto."""
    out = _Source(names)
    out.add("VS = S.visits")
    out.add("SEEN = S.seen")
    for route in choice.routes:
        out.add(f"if {_expr(route.condition, names)}:")
        out.add(f"    return {route.target!r}")
    out.add(f"return {choice.goto!r}")
    return f"def {name}(V, S):\n" + "\n".join(out.lines) + "\n"


def _effects_source(choice: Choice, variables: dict[str, Variable], name: str, names: dict[str, Any]) -> str:
    """Source of a function (V, S) -> None applying a choice's effects, in order, clamped."""
    out = _Source(names)
    # Effects read visits and notes too (visited(x), seen(n)), through the state.
    out.add("VS = S.visits")
    out.add("SEEN = S.seen")
    for effect in choice.effects:
        var = variables[effect.variable]
        out.add(f"x = {_expr(effect.value, names)}")
        if var.type == "int":
            # As Variable.clamp: the declared range, or else +-INT_LIMIT.
            low = var.minimum if var.minimum is not None else -INT_LIMIT
            high = var.maximum if var.maximum is not None else INT_LIMIT
            out.add(f"V[{var.id!r}] = {low} if x < {low} else {high} if x > {high} else x")
        else:
            out.add(f"V[{var.id!r}] = x")
    return f"def {name}(V, S):\n" + "\n".join(out.lines) + "\n"


def uses_roll(story: Story) -> bool:
    """Whether any scene rolls (then the walker keeps the step, which fixes the rolls)."""
    return any(scene.rolls for scene in story.scenes.values())


def scene_source(story: Story, scene_id: str, number: int, count_steps: bool, names: dict[str, Any], summary: bool = False) -> str:
    """Source of `step_<number>`: the scene as a function (V, VS, SEEN, TAKEN, S) -> (words,
    options), the options None at an ending. It enters the scene as Run._enter does, then gives
    exactly the words and the enabled choices `Run` would show. With `count_steps` it also keeps
    the step and the draws that roll() depends on (without roll() the step is needed only at
    the end). With `summary` it counts the words shown under the summary intensity. Each choice is a module constant `C_<number>_<index>`, with its effects function."""
    scene = story.scenes[scene_id]
    head: list[str] = []
    out = _Source(names)
    if count_steps:
        out.add("S.step += 1")
    out.add(f"VS[{scene_id!r}] = VS.get({scene_id!r}, 0) + 1")
    if scene.rolls:  # drawn as rules.enter draws them, each with its sides read now
        draws = ", ".join(f"{r.site!r}: _draw(S.seed, S.step, {r.site!r}, {_expr(r.sides, out.names)})" for r in scene.rolls)
        out.add(f"S.rolls = {{{draws}}}")
    elif count_steps:
        out.add("if S.rolls:")
        out.add("    S.rolls = {}")
    _notes_code(scene, out)
    _text_code(scene, out, summary)
    text_words = out.constant  # before the choices' fixed words join it
    if scene.ending:
        out.add(f"return w + {out.constant}, None")
    else:
        out.add("o = []")
        # Words of disabled choices shown with their reason: not shown when fallbacks replace them.
        shown = "shown" if any(c.fallback for c in scene.choices) else "w"
        if shown == "shown":
            out.add("shown = 0")
        fallbacks = []
        for choice in scene.choices:
            name = f"C_{number}_{choice.index}"
            once = once_mark(scene_id, choice.index) if choice.once else ""
            effects = "None"
            if choice.effects:
                effects = f"effects_{number}_{choice.index}"
                head.append(_effects_source(choice, story.variables, effects, names))
            goto = repr(choice.goto)
            if choice.routes:
                goto = f"route_{number}_{choice.index}"
                head.append(_routes_source(choice, goto, names))
            head.append(f"{name} = (({scene_id!r}, {choice.index}), {goto}, {once!r}, {effects})\n")
            if choice.fallback:
                fallbacks.append((choice, name))
                continue
            if choice.once:
                out.add(f"if {once!r} not in TAKEN:")
                out.depth += 1
            if choice.condition is None:
                _add_template_words(out, choice.text)
                out.add(f"o.append({name})")
            else:
                out.add(f"if {_expr(choice.condition, out.names)}:")
                out.depth += 1
                _add_template_words(out, choice.text)
                out.add(f"o.append({name})")
                out.depth -= 1
                if choice.reason:
                    out.add("else:")
                    out.depth += 1
                    _add_template_words(out, choice.text, shown)
                    out.add("pass")
                    out.depth -= 1
            if choice.once:
                out.depth -= 1
        if fallbacks:
            # Shown instead of everything else when no other choice is open (Run.choices);
            # the words counted so far are the scene's text only.
            out.add("if not o:")
            out.depth += 1
            out.add("fw = 0")
            for choice, name in fallbacks:
                if choice.once:
                    out.add(f"if {once_mark(scene_id, choice.index)!r} not in TAKEN:")
                    out.depth += 1
                _add_template_words(out, choice.text, "fw")
                out.add(f"o.append({name})")
                if choice.once:
                    out.depth -= 1
            out.add("if o:")
            out.add(f"    return w + fw + {text_words}, o")
            out.depth -= 1
            out.add(f"return w + shown + {out.constant}, o")
        else:
            out.add(f"return w + {out.constant}, o")
    return "".join(head) + f"def step_{number}(V, VS, SEEN, TAKEN, S):\n" + "\n".join(out.lines) + "\n"


def compile_scenes(
    story: Story, scene_ids: list[str], count_steps: bool, cache_dir: Path | None = None, summary: bool = False
) -> dict[str, StepFunction]:
    """Compile scenes into step functions, all in one module (one compile call, not hundreds);
    with `cache_dir`, the byte code of a module compiled before is reused (see code_cache).

    Should Python refuse the module, each scene is compiled alone, and a scene it refuses
    still gets a step function: one that fails, so that its runs are played through Run."""
    namespace: dict[str, Any] = {"_div": div_or_zero, "_mod": mod_or_zero, "_draw": draw}
    source = "\n".join(scene_source(story, scene_id, n, count_steps, namespace, summary) for n, scene_id in enumerate(scene_ids))
    try:
        code = compile_cached(source, "<kengir test: compiled scenes>", cache_dir)
        exec(code, namespace)  # noqa: S102 - our own generated code
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        if len(scene_ids) > 1:
            compiled: dict[str, StepFunction] = {}
            for scene_id in scene_ids:
                compiled.update(compile_scenes(story, [scene_id], count_steps, summary=summary))
            return compiled
        return {scene_ids[0]: _not_compiled(scene_ids[0])}
    return {scene_id: namespace[f"step_{n}"] for n, scene_id in enumerate(scene_ids)}


def _not_compiled(scene_id: str) -> StepFunction:
    def step(*_: Any) -> tuple[int, list[Option] | None]:
        raise RuntimeError(f"scene {scene_id} could not be compiled for the tester")

    return step


class _Scenes(dict[str, StepFunction]):
    """Scenes compiled on first entry: a run of a huge story compiles only what it reaches."""

    def __init__(self, story: Story, summary: bool = False):
        super().__init__()
        self.story = story
        self.count_steps = uses_roll(story)
        self.summary = summary  # words counted as the summary intensity shows them

    def __missing__(self, scene_id: str) -> StepFunction:
        compiled = self[scene_id] = compile_scenes(self.story, [scene_id], self.count_steps, summary=self.summary)[scene_id]
        return compiled


class RunResult(NamedTuple):
    state: State  # at the ending: variables, visits, notes found, once-only choices taken
    log: list[tuple[str, int]]
    ending: str
    words: int
    act_words: dict[str, int]  # the words seen in each act's scenes (choices' words included)


class Walker:
    """Plays random runs over a compiled story. `play` returns None for any run that did not
    reach an ending normally; the caller replays that one through Run for its report.
    `intensity` is the one whose words are counted ("full" or "summary")."""

    def __init__(self, story: Story, max_steps: int, cache_dir: Path | None = None, intensity: str = "full"):
        self.story = story
        self.max_steps = max_steps
        self.cache_dir = cache_dir  # for compile_all's byte code
        self.intensity = intensity
        self.scenes = _Scenes(story, intensity == "summary")
        self.defaults = {v.id: v.default for v in story.variables.values()}
        self.acts = {scene.id: scene.act for scene in story.scenes.values()}

    def compile_all(self) -> None:
        """Compile every scene now, reached or not (and so check its generated code)."""
        missing = [scene_id for scene_id in self.story.scenes if scene_id not in self.scenes]
        self.scenes.update(compile_scenes(self.story, missing, self.scenes.count_steps, self.cache_dir, self.scenes.summary))

    def play(self, seed: int, perspective: str | None) -> RunResult | None:
        story = self.story
        pick = random.Random(seed).random  # the same draws as runs.play_one
        values = dict(self.defaults)
        first = story.start
        if perspective:
            values["perspective"] = perspective
            first = story.perspectives[perspective].start
        state = State(first, values, seed=seed)
        visits, seen, taken = state.visits, state.seen, state.taken
        scenes = self.scenes
        log: list[tuple[str, int]] = []
        append = log.append
        words = 0
        acts = self.acts
        act_words: dict[str, int] = {}
        scene_id = first
        try:
            for _ in range(self.max_steps):
                counted, options = scenes[scene_id](values, visits, seen, taken, state)
                words += counted
                act = acts[scene_id]
                act_words[act] = act_words.get(act, 0) + counted
                if options is None:
                    state.scene = scene_id
                    if not scenes.count_steps:
                        state.step = len(log) + 1
                    return RunResult(state, log, story.scenes[scene_id].ending, words, act_words)
                if not options:
                    return None
                key, goto, once, effects = options[int(pick() * len(options))]
                append(key)
                if once:
                    taken.add(once)
                if effects is not None:
                    effects(values, state)
                scene_id = goto if isinstance(goto, str) else goto(values, state)  # routes: decided after the effects
        except Exception:  # noqa: BLE001 - the reference run reports it with its place
            return None
        return None  # no ending after max_steps choices: a loop
