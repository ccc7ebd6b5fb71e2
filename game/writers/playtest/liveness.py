"""What the rest of a story can still read, scene by scene: the part of a state that matters.

The explorer (explore.py) keeps in a state only what some expression may still read that can
change where a run goes. Five kinds of thing can be read, each a *slot* named by a string:

    "v:name"      a variable                       (a name in an expression)
    "n:scene"     a scene's visit count            (visited(scene), visits(scene))
    "s:note"      whether a note was found         (seen(note))
    "t:scene#i"   whether a once-only choice was taken (its scene offers it or not)
    "r:scene#n"   a roll of the scene in play      (roll(...), drawn as the scene was entered)

Only *control* expressions count: a choice's condition (which choices are open, and so whether
the fallbacks are offered), its effects, its routes, the sides of a roll, and the condition of
a text block that has notes (whether they are found). Text, a paragraph's condition without
notes and a choice's wording are shown and nothing else: they cannot open a choice, change a
variable or choose a scene, so what only they read is not kept.

`Liveness(story)` gives, for each scene, the slots that may be read from the moment the scene
has been entered onward (its choices, then the scenes they lead to, entered in turn, and so
on): a backward data-flow analysis (a compiler's "live variables") over the scene graph, routes
included, to a fixed point. It is exact about what overwrites a slot: an effect `x: y + 1` reads
y only where x is itself live after it, and leaves x dead before it; a once-only choice taken, a
note found on entering whatever the state, a roll drawn anew are overwritten too. A read on one
path counts on all. The analysis is over the whole story, whatever the perspective.

`caps` gives, for each scene whose visits are read, the count past which no control expression
can tell two counts apart: read only by visited(X) (count > 0) and by visits(X) compared with a
constant k, the counts above max(k) + 1 all give the same answers, and stay so as they grow by
one. A visits(X) used any other way (arithmetic, against a variable) gets no cap (None). The
section "How the explorer proves a story" of docs/WRITING.md says why this is sound.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from game.model import Choice, Scene, Story
from game.model.expressions import Binary, Call, Expr, Literal, Node, Unary, parse

COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}


def _calls(node: Node) -> Iterator[tuple[Call, Node | None]]:
    """Every visits()/visited()/seen() call in `node`, with the constant it is compared with
    directly (`visits(X) > 2`, `2 <= visits(X)`), or None."""
    if isinstance(node, Call):
        if isinstance(node.argument, str):
            yield node, None
        else:
            yield from _calls(node.argument)
    elif isinstance(node, Unary):
        yield from _calls(node.operand)
    elif isinstance(node, Binary):
        for side, other in ((node.left, node.right), (node.right, node.left)):
            if node.op in COMPARISONS and isinstance(side, Call) and side.function == "visits" and isinstance(other, Literal):
                yield side, other
            else:
                yield from _calls(side)


def control_expressions(scene: Scene) -> Iterator[Expr]:
    """The expressions of a scene that can change where a run goes (see the module)."""
    for block in scene.text:
        if block.notes and block.condition is not None:
            yield block.condition
    for choice in scene.choices:
        if choice.condition is not None:
            yield choice.condition
        for effect in choice.effects:
            yield effect.value
        for route in choice.routes:
            yield route.condition
    for roll in scene.rolls:
        yield roll.sides


class Reads:
    """The slots each expression reads, and how each visit count is used; each source parsed once."""

    def __init__(self) -> None:
        self._slots: dict[str, frozenset[str]] = {}
        self.caps: dict[str, int | None] = {}  # scene -> the largest count that matters (None: all)

    def of(self, expr: Expr) -> frozenset[str]:
        slots = self._slots.get(expr.source + "\0" + " ".join(expr.sites))
        if slots is not None:
            return slots
        found = {f"v:{name}" for name in expr.reads} | {f"r:{site}" for site in expr.sites}
        for call, constant in _calls(parse(expr.source)):
            target = str(call.argument)
            if call.function == "seen":
                found.add(f"s:{target}")
                continue
            found.add(f"n:{target}")
            cap: int | None = None
            if call.function == "visited":
                cap = 1  # none, or some
            elif isinstance(constant, Literal) and type(constant.value) is int:
                cap = max(0, constant.value + 1)  # below, at, or above the constant
            old = self.caps.get(target, 0)
            self.caps[target] = None if cap is None or old is None else max(cap, old)
        slots = self._slots[expr.source + "\0" + " ".join(expr.sites)] = frozenset(found)
        return slots

    def of_all(self, exprs: Iterable[Expr]) -> set[str]:
        found: set[str] = set()
        for expr in exprs:
            found |= self.of(expr)
        return found


def _offered(scene: Scene, reads: Reads) -> set[str]:
    """Slots read in deciding which choices the scene offers: their conditions, once-only marks.
    (Effects and routes are read only when their choice is taken: see _before_choice.)"""
    offered = reads.of_all(c.condition for c in scene.choices if c.condition is not None)
    offered.update(f"t:{scene.id}#{c.index}" for c in scene.choices if c.once)
    return offered


def _before_choice(scene: Scene, choice: Choice, after: set[str], reads: Reads) -> set[str]:
    """Slots live just before `choice` is taken, given those live once it has been (`after`:
    what the scenes it may lead to read as they are entered). As rules.take: the once-only
    mark, then the effects in order, then the routes."""
    live = after | reads.of_all(route.condition for route in choice.routes)
    for effect in reversed(choice.effects):
        slot = f"v:{effect.variable}"
        if slot in live:  # an effect on a variable nothing reads later is dead, and so are its reads
            live.discard(slot)
            live |= reads.of(effect.value)
    if choice.once:
        live.discard(f"t:{scene.id}#{choice.index}")
    return live


def _noted_blocks(scene: Scene, after: set[str]) -> Iterator[Expr]:
    """Conditions of the scene's blocks whose notes may be read later (they decide if found)."""
    for block in scene.text:
        if block.notes and block.condition is not None and any(f"s:{n}" in after for n in block.notes):
            yield block.condition


class Liveness:
    """The slots live in each scene, the rolls that decide something there, and the visit caps."""

    def __init__(self, story: Story):
        self.reads = reads = Reads()
        scenes = story.scenes
        for scene in scenes.values():  # every cap, even of a read found dead (a cap only loosens)
            reads.of_all(control_expressions(scene))
        self.caps = dict(reads.caps)
        offered = {sid: _offered(scene, reads) for sid, scene in scenes.items()}
        callers: dict[str, set[str]] = {sid: set() for sid in scenes}
        for sid, scene in scenes.items():
            for choice in scene.choices:
                for target in choice.targets:
                    callers[target].add(sid)
        # A fixed point: a scene's live slots grow with what the scenes after it read as they
        # are entered; when that grows for a scene, the scenes leading to it are looked at
        # again. Sets only grow, over finitely many slots: it ends.
        live = {sid: set(slots) for sid, slots in offered.items()}
        entered = {sid: self._before_entering(scene, live[sid]) for sid, scene in scenes.items()}
        pending = list(scenes)
        waiting = set(pending)
        while pending:
            sid = pending.pop()
            waiting.discard(sid)
            scene = scenes[sid]
            now = set(offered[sid])
            for choice in scene.choices:
                after: set[str] = set()
                for target in choice.targets:
                    after |= entered[target]
                now |= _before_choice(scene, choice, after, reads)
            if now == live[sid]:
                continue
            live[sid] = now
            before = self._before_entering(scene, now)
            if before != entered[sid]:
                entered[sid] = before
                for caller in callers[sid]:
                    if caller not in waiting:
                        waiting.add(caller)
                        pending.append(caller)
        self.live = {sid: frozenset(slots) for sid, slots in live.items()}
        # The rolls whose numbers matter: read once the scene is entered, or by a noted block.
        self.rolled = {
            sid: tuple(
                r.site for r in scene.rolls if f"r:{r.site}" in live[sid] or f"r:{r.site}" in reads.of_all(_noted_blocks(scene, live[sid]))
            )
            for sid, scene in scenes.items()
        }

    def _before_entering(self, scene: Scene, after: set[str]) -> set[str]:
        """Slots live just before `scene` is entered, given those live once it has been. As
        rules.enter: the visit counted (a live count stays live), the rolls drawn (their sides
        read, if a roll matters; the old numbers overwritten), and the notes found: the scene's
        own and those of blocks without a condition whatever the state (overwritten), those of
        a block with one as its condition says (read, if the note is)."""
        reads = self.reads
        found = {*scene.notes, *(n for b in scene.text if b.condition is None for n in b.notes)}
        live = after - {f"s:{note}" for note in found}
        live |= reads.of_all(_noted_blocks(scene, after))
        sites = {f"r:{r.site}" for r in scene.rolls}
        if sites & live:
            live |= reads.of_all(r.sides for r in scene.rolls if f"r:{r.site}" in live)
        return live - sites
