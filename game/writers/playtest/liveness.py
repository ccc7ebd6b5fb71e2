"""What the rest of a story can still read, scene by scene: the part of a state that matters.

The explorer (explore.py) keeps in a state only what some expression may still read that can
change where a run goes, and of it only what tells values apart. Five kinds of thing can be
read, each a *slot* named by a string:

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

`Liveness(story).live[scene]` maps each slot that may be read from the moment the scene has been
entered onward (its choices, then the scenes they lead to, entered in turn, and so on) to the
partition of its values that those reads can tell apart (values.py): `x >= 3` tells only below
3 from 3 and above; `visited(x)` none from some; `x * 2` everything. It is a backward data-flow
analysis (a compiler's "live variables", with values) over the scene graph, routes included, to
a fixed point, exact about what overwrites a slot and about effects that move it by a constant:
before `x: x + 1`, x's partition is the one after it shifted down by one (and clamped to x's
range); before `x: y + 2` or `x: y`, y takes x's partition shifted; before `x: 3` x is dead; an
effect on a slot nothing reads later is dead, and so are its reads. A once-only choice taken, a
note found on entering whatever the state, a roll drawn anew are overwritten too; a visit
counted shifts the count's partition by one. A read on one path counts on all.

The section "How the explorer proves a story" of docs/WRITING.md says why this is sound.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from game.model import Choice, Scene, Story, choice_expressions
from game.model.expressions import Binary, Call, Expr, Literal, Name, Node, Unary, parse
from game.writers.playtest.values import ALL, COUNT, FLAG, ROLL, Domain, Partition, copied, cuts, join, marks, shifted

COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}
MIRROR = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
Live = dict[str, Partition]


def control_expressions(scene: Scene) -> Iterator[Expr]:
    """The expressions of a scene that can change where a run goes (see the module)."""
    for block in scene.text:
        if block.notes and block.condition is not None:
            yield block.condition
    yield from choice_expressions(scene)


def _literal(node: Node) -> object:
    """The constant a node stands for (`3`, `-3`, `"tech"`), or None."""
    if isinstance(node, Literal) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, Unary) and node.op == "-" and isinstance(node.operand, Literal) and type(node.operand.value) is int:
        return -node.operand.value
    return None


def _roll_sites(node: Node, sites: Iterator[str], found: dict[int, str]) -> None:
    """Each roll() of a tree with its site, in the order expressions.compile_node takes them."""
    if isinstance(node, Call):
        if node.function == "roll":
            found[id(node)] = next(sites)
    elif isinstance(node, Unary):
        _roll_sites(node.operand, sites, found)
    elif isinstance(node, Binary):
        _roll_sites(node.left, sites, found)
        _roll_sites(node.right, sites, found)


class Reads:
    """The slots each expression reads, with the partition each read makes; each parsed once."""

    def __init__(self, story: Story):
        self.domains = {f"v:{v.id}": Domain.of(v) for v in story.variables.values()}
        self._cache: dict[tuple[str, tuple[str, ...]], Live] = {}

    def domain(self, slot: str) -> Domain:
        kind = slot[0]
        return self.domains[slot] if kind == "v" else COUNT if kind == "n" else ROLL if kind == "r" else FLAG

    def of(self, expr: Expr) -> Live:
        key = (expr.source, expr.sites)
        found = self._cache.get(key)
        if found is None:
            node = parse(expr.source)
            sites: dict[int, str] = {}
            _roll_sites(node, iter(expr.sites), sites)
            found = self._cache[key] = {}
            self._walk(node, sites, found)
        return found

    def of_all(self, exprs: Iterable[Expr]) -> Live:
        live: Live = {}
        for expr in exprs:
            merge(live, self.of(expr))
        return live

    def _slot(self, node: Node, sites: dict[int, str]) -> str | None:
        """The slot a node reads directly, if it is a name, visits() or roll()."""
        if isinstance(node, Name):
            return f"v:{node.name}"
        if isinstance(node, Call) and node.function == "visits":
            return f"n:{node.argument}"
        if isinstance(node, Call) and node.function == "roll":
            return f"r:{sites[id(node)]}"
        return None

    def _walk(self, node: Node, sites: dict[int, str], out: Live) -> None:
        if isinstance(node, Binary) and node.op in COMPARISONS:
            for side, other, op in ((node.left, node.right, node.op), (node.right, node.left, MIRROR[node.op])):
                slot, constant = self._slot(side, sites), _literal(other)
                if slot is not None and constant is not None:
                    _add(out, slot, self._compared(slot, op, constant))
                    return
        if isinstance(node, Binary):
            self._walk(node.left, sites, out)
            self._walk(node.right, sites, out)
        elif isinstance(node, Unary):
            self._walk(node.operand, sites, out)
        elif isinstance(node, Call):
            if node.function == "visited":
                _add(out, f"n:{node.argument}", cuts(COUNT, [1]))  # none, or some
            elif node.function == "seen":
                _add(out, f"s:{node.argument}", ALL)
            else:  # visits() or roll() not compared with a constant: every value (a roll's sides are read where it is drawn)
                _add(out, str(self._slot(node, sites)), ALL)
        elif isinstance(node, Name):
            _add(out, f"v:{node.name}", ALL)

    def _compared(self, slot: str, op: str, constant: object) -> Partition | None:
        """The partition `slot OP constant` makes of the slot's values."""
        domain = self.domain(slot)
        if isinstance(constant, str) and domain.kind == "str":
            return marks(domain, [constant])
        if type(constant) is int and domain.kind == "int":
            points = {"<": [constant], ">=": [constant], "<=": [constant + 1], ">": [constant + 1]}.get(op, [constant, constant + 1])
            return cuts(domain, points)
        return ALL  # pragma: no cover - the checker refuses a comparison of two types


def _add(live: Live, slot: str, partition: Partition | None) -> None:
    joined = join(live.get(slot), partition)
    if joined is not None:
        live[slot] = joined


def merge(live: Live, more: Live) -> None:
    for slot, partition in more.items():
        _add(live, slot, partition)


def _offered(scene: Scene, reads: Reads) -> Live:
    """Slots read in deciding which choices the scene offers: their conditions, once-only marks.
    (Effects and routes are read only when their choice is taken: see _before_choice.)"""
    offered = reads.of_all(c.condition for c in scene.choices if c.condition is not None)
    for choice in scene.choices:
        if choice.once:
            offered[f"t:{scene.id}#{choice.index}"] = ALL
    return offered


def _before_choice(scene: Scene, choice: Choice, after: Live, reads: Reads) -> Live:
    """Slots live just before `choice` is taken, given those live once it has been (`after`:
    what the scenes it may lead to read as they are entered). As rules.take: the once-only
    mark, then the effects in order, then the routes."""
    live = dict(after)
    merge(live, reads.of_all(route.condition for route in choice.routes))
    for effect in reversed(choice.effects):
        slot = f"v:{effect.variable}"
        partition = live.pop(slot, None)
        if partition is None:
            continue  # an effect on a variable nothing reads later is dead, and so are its reads
        node, target = parse(effect.value.source), reads.domain(slot)
        if _literal(node) is not None or (isinstance(node, Literal) and isinstance(node.value, bool)):
            continue  # a constant: what was there before does not matter
        moved = _moved(node)
        if moved is not None and reads.domain(f"v:{moved[0]}").kind == target.kind:
            source = f"v:{moved[0]}"
            before = (
                copied(partition, reads.domain(source)) if moved[1] == 0 else shifted(partition, moved[1], reads.domain(source), target)
            )
            _add(live, source, before)
        else:
            merge(live, reads.of(effect.value))
    if choice.once:
        live.pop(f"t:{scene.id}#{choice.index}", None)
    return live


def _moved(node: Node) -> tuple[str, int] | None:
    """`y`, `y + c`, `y - c` or `c + y` (c a whole number): the variable and the shift."""
    if isinstance(node, Name):
        return node.name, 0
    if isinstance(node, Binary) and node.op in ("+", "-"):
        left, right = node.left, node.right
        if isinstance(left, Name) and type(_literal(right)) is int:
            shift = _literal(right)
            assert isinstance(shift, int)
            return left.name, shift if node.op == "+" else -shift
        if node.op == "+" and isinstance(right, Name) and type(_literal(left)) is int:
            shift = _literal(left)
            assert isinstance(shift, int)
            return right.name, shift
    return None


def _noted_blocks(scene: Scene, after: Live) -> Iterator[Expr]:
    """Conditions of the scene's blocks whose notes may be read later (they decide if found)."""
    for block in scene.text:
        if block.notes and block.condition is not None and any(f"s:{n}" in after for n in block.notes):
            yield block.condition


class Liveness:
    """The slots live in each scene with their partitions, and the rolls that decide something."""

    def __init__(self, story: Story):
        self.reads = reads = Reads(story)
        scenes = story.scenes
        offered = {sid: _offered(scene, reads) for sid, scene in scenes.items()}
        callers: dict[str, set[str]] = {sid: set() for sid in scenes}
        for sid, scene in scenes.items():
            for choice in scene.choices:
                for target in choice.targets:
                    callers[target].add(sid)
        # A fixed point: a scene's live slots grow (and their partitions get finer) with what
        # the scenes after it read as they are entered; when that changes for a scene, the
        # scenes leading to it are looked at again. Partitions only get finer, over finitely
        # many slots and cuts (values.MAX_CUTS): it ends.
        live = {sid: dict(slots) for sid, slots in offered.items()}
        entered = {sid: self._before_entering(scene, live[sid]) for sid, scene in scenes.items()}
        pending = list(scenes)
        waiting = set(pending)
        while pending:
            sid = pending.pop()
            waiting.discard(sid)
            scene = scenes[sid]
            now = dict(offered[sid])
            for choice in scene.choices:
                after: Live = {}
                for target in choice.targets:
                    merge(after, entered[target])
                merge(now, _before_choice(scene, choice, after, reads))
            # A roll that only a choice's effects or routes read is tried as the choice is taken
            # (see `deferred`): its sides are read then, from the state in the scene.
            merge(now, reads.of_all(r.sides for r in scene.rolls if f"r:{r.site}" in now and f"r:{r.site}" not in offered[sid]))
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
        self.live = live
        # The rolls, scene by scene, by when their numbers are tried (one of each class):
        # `keyed`: those a condition reads, or a noted block and an effect or a route, or two
        # choices: kept in the state, tried as the scene is entered; `entered`: these, and those
        # only a noted block reads (they decide which notes are found); `deferred`, for each
        # choice: those only its own effects and routes read, tried as it is taken (a scene that
        # rolls for each of four choices would otherwise keep every combination of the four).
        self.keyed: dict[str, dict[str, Partition]] = {}
        self.entered: dict[str, dict[str, Partition]] = {}
        self.deferred: dict[str, dict[int, dict[str, Partition]]] = {}
        for sid, scene in scenes.items():
            here, noted = live[sid], reads.of_all(_noted_blocks(scene, live[sid]))
            sites = [f"r:{r.site}" for r in scene.rolls]
            read_by_choices = [reads.of_all([*(e.value for e in c.effects), *(r.condition for r in c.routes)]) for c in scene.choices]
            keyed = {
                s: here[s]
                for s in sites
                if s in here and (s in offered[sid] or s in noted or sum(s in read for read in read_by_choices) > 1)
            }
            self.keyed[sid] = {s[2:]: p for s, p in keyed.items()}
            self.entered[sid] = {s[2:]: p for s in sites if (p := join(keyed.get(s), noted.get(s))) is not None}
            # Only a roll one choice alone reads is deferred: then whether every state here can
            # still reach an ending is whether some choice can for every number of its own rolls
            # (explore.py); a roll two choices read stays in the state.
            self.deferred[sid] = {}
            for choice, read in zip(scene.choices, read_by_choices):
                late = {s[2:]: here[s] for s in sites if s in read and s in here and s not in keyed}
                if late:
                    self.deferred[sid][choice.index] = late

    def _before_entering(self, scene: Scene, after: Live) -> Live:
        """Slots live just before `scene` is entered, given those live once it has been. Backwards
        through rules.enter: the notes found (the scene's own and those of blocks without a
        condition whatever the state: overwritten; those of a block with one as its condition
        says, read then), the rolls drawn (the old numbers overwritten; the sides read if a roll
        matters), and first of all the visit counted (the count's partition shifted by one)."""
        reads = self.reads
        live = dict(after)
        for note in (*scene.notes, *(n for b in scene.text if b.condition is None for n in b.notes)):
            live.pop(f"s:{note}", None)
        merge(live, reads.of_all(_noted_blocks(scene, after)))
        drawn = [r for r in scene.rolls if f"r:{r.site}" in live]
        for roll in scene.rolls:
            live.pop(f"r:{roll.site}", None)
        merge(live, reads.of_all(r.sides for r in drawn))
        count = f"n:{scene.id}"
        if count in live:
            _add(live, count, shifted(live.pop(count), 1, COUNT, COUNT))
        return live
