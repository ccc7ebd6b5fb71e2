"""The story's expression language: parsed and type-checked at load, compiled to closures.

A tiny, total language (no loops, no Python `eval`): literals, variables, arithmetic,
comparisons, and/or/not, and four functions. Every error carries the offset where it is.
Division and remainder by zero give 0, so that a running game can never fail on arithmetic.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from game.model.problems import did_you_mean

INT, BOOL, STR = "int", "bool", "str"
TYPES = (INT, BOOL, STR)
MAX_LENGTH = 2000  # characters; a condition longer than this is a mistake, not a story


def type_of(value: Any) -> str | None:
    """The expression type of a Python value (bool before int: True is an int in Python)."""
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if isinstance(value, str):
        return STR
    return None


class ExprError(Exception):
    """A problem in an expression, at `offset` characters from its start."""

    def __init__(self, message: str, offset: int, hint: str = "", code: str = "expr-syntax"):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint
        self.code = code


class EvalState(Protocol):
    """What an expression may read while the game runs."""

    vars: dict[str, Any]
    visits: dict[str, int]
    seen: set[str]
    rolls: dict[str, int]  # the rolls of the scene in play, by site (drawn as it was entered)


Evaluator = Callable[[EvalState], Any]

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<int>[0-9]+)
      | (?P<str>"[^"\\]*"|'[^'\\]*')
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)
      | (?P<op>==|!=|<=|>=|[-+*/%<>(),])
    """,
    re.VERBOSE,
)
KEYWORDS = {"and", "or", "not", "true", "false"}
FUNCTIONS = {"visited": (BOOL, "scene"), "visits": (INT, "scene"), "seen": (BOOL, "note"), "roll": (INT, INT)}


class Token(NamedTuple):
    kind: str
    text: str
    offset: int


def tokenize(source: str) -> list[Token]:
    """Split an expression into tokens, or raise ExprError at the first character that fits none."""
    if len(source) > MAX_LENGTH:
        raise ExprError(f"the expression is {len(source)} characters long; at most {MAX_LENGTH}", 0)
    tokens: list[Token] = []
    pos = 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if not m:
            ch = source[pos]
            hint = "text in an expression needs quotes" if ch.isalpha() or ch in "\"'" else ""
            if source.startswith(("&&", "||"), pos):
                hint = "write `and` / `or`"
            elif ch == "=":
                hint = "compare with `==`"
            elif ch == "!":
                hint = "write `not`, or `!=` to compare"
            raise ExprError(f"unexpected character {ch!r}", pos, hint)
        kind = m.lastgroup or ""
        if kind != "space":
            text = m.group()
            if kind == "name" and text in KEYWORDS:
                kind = text
            tokens.append(Token(kind, text, pos))
        pos = m.end()
    tokens.append(Token("end", "", len(source)))
    return tokens


# ---------------------------------------------------------------- syntax tree


# Named tuples rather than dataclasses: they cost a tenth as much to define, and every
# command that starts the game defines them.
class Literal(NamedTuple):
    offset: int
    value: Any


class Name(NamedTuple):
    offset: int
    name: str


class Call(NamedTuple):
    offset: int
    function: str
    argument: Node | str  # a node for roll(n); an id for visited/visits/seen
    argument_offset: int


class Unary(NamedTuple):
    offset: int
    op: str
    operand: Node


class Binary(NamedTuple):
    offset: int
    op: str
    left: Node
    right: Node


Node = Literal | Name | Call | Unary | Binary


_BINDING = {"or": 1, "and": 2, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}


class _Parser:
    def __init__(self, source: str):
        self.tokens = tokenize(source)
        self.i = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, kind: str, what: str) -> Token:
        tok = self.token
        if tok.kind != kind and tok.text != kind:
            found = f"'{tok.text}'" if tok.text else "the end"
            raise ExprError(f"expected {what}, found {found}", tok.offset)
        return self.take()

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise ExprError("the expression is empty", 0)
        node = self.expression(0, 0)
        if self.token.kind != "end":
            tok = self.token
            hint = "join conditions with `and` / `or`" if tok.kind in ("name", "int", "str") else ""
            raise ExprError(f"unexpected '{tok.text}'", tok.offset, hint)
        return node

    def expression(self, min_binding: int, depth: int) -> Node:
        if depth > 60:
            raise ExprError("the expression nests too deeply", self.token.offset)
        left = self.prefix(depth)
        while True:
            tok = self.token
            op = tok.text if tok.kind in ("op", "and", "or") else ""
            binding = _BINDING.get(op, 0)
            if binding <= min_binding:
                return left
            self.take()
            # comparisons do not chain: `a < b < c` is a mistake, not a range test
            right = self.expression(binding if binding != 4 else 4, depth + 1)
            if binding == 4 and _BINDING.get(self.token.text, 0) == 4:
                raise ExprError("comparisons cannot be chained", self.token.offset, "join them with `and`")
            left = Binary(tok.offset, op, left, right)

    def prefix(self, depth: int) -> Node:
        tok = self.take()
        if tok.kind == "int":
            return Literal(tok.offset, int(tok.text))
        if tok.kind == "str":
            return Literal(tok.offset, tok.text[1:-1])
        if tok.kind in ("true", "false"):
            return Literal(tok.offset, tok.kind == "true")
        if tok.kind == "not":
            return Unary(tok.offset, "not", self.expression(3, depth + 1))
        if tok.text == "-":
            return Unary(tok.offset, "-", self.expression(7, depth + 1))
        if tok.text == "(":
            inner = self.expression(0, depth + 1)
            self.expect(")", "')'")
            return inner
        if tok.kind == "name":
            if self.token.text == "(":
                return self.call(tok, depth)
            return Name(tok.offset, tok.text)
        found = f"'{tok.text}'" if tok.text else "the end"
        raise ExprError(f"expected a value, found {found}", tok.offset)

    def call(self, name: Token, depth: int) -> Node:
        if name.text not in FUNCTIONS:
            raise ExprError(f"unknown function '{name.text}'", name.offset, did_you_mean(name.text, FUNCTIONS), "unknown-function")
        self.take()  # (
        kind = FUNCTIONS[name.text][1]
        arg_tok = self.token
        argument: Node | str
        if kind == INT:
            argument = self.expression(0, depth + 1)
        else:
            tok = self.take()
            if tok.kind != "name":
                raise ExprError(f"{name.text}() takes a {kind} id", tok.offset, f"for example {name.text}(strike.yard)")
            argument = tok.text
        self.expect(")", "')'")
        return Call(name.offset, name.text, argument, arg_tok.offset)


def parse(source: str) -> Node:
    """Parse an expression into a syntax tree, or raise ExprError."""
    return _Parser(source).parse()


# ---------------------------------------------------------------- types


@dataclass
class Scope:
    """What names an expression may use: declared variables and known ids."""

    variables: Mapping[str, str]
    scenes: Mapping[str, object] = field(default_factory=dict)
    notes: Mapping[str, object] = field(default_factory=dict)


def check(node: Node, scope: Scope, reads: set[str] | None = None) -> str:
    """Return the type of `node`, or raise ExprError. Adds each variable read to `reads`."""
    if isinstance(node, Literal):
        return BOOL if isinstance(node.value, bool) else INT if isinstance(node.value, int) else STR
    if isinstance(node, Name):
        if node.name not in scope.variables:
            raise ExprError(
                f"'{node.name}' is not a declared variable",
                node.offset,
                did_you_mean(node.name, scope.variables) or "declare it under story: variables:",
                "unknown-variable",
            )
        if reads is not None:
            reads.add(node.name)
        return scope.variables[node.name]
    if isinstance(node, Call):
        result, kind = FUNCTIONS[node.function]
        if kind == INT:
            assert isinstance(node.argument, Node)
            if node.function == "roll" and roll_arguments(node.argument):
                raise ExprError("roll() inside roll()", node.argument_offset, "roll once, and use the number", "expr-syntax")
            _want(node.argument, INT, scope, reads, f"{node.function}() takes a whole number")
        else:
            assert isinstance(node.argument, str)
            known = scope.scenes if kind == "scene" else scope.notes
            if node.argument not in known:
                raise ExprError(
                    f"'{node.argument}' is not a {kind}",
                    node.argument_offset,
                    did_you_mean(node.argument, known),
                    f"unknown-{kind}",
                )
        return result
    if isinstance(node, Unary):
        if node.op == "not":
            _want(node.operand, BOOL, scope, reads, "`not` needs a true/false value")
            return BOOL
        _want(node.operand, INT, scope, reads, "`-` needs a number")
        return INT
    assert isinstance(node, Binary)
    if node.op in ("and", "or"):
        _want(node.left, BOOL, scope, reads, f"`{node.op}` joins true/false values")
        _want(node.right, BOOL, scope, reads, f"`{node.op}` joins true/false values")
        return BOOL
    left = check(node.left, scope, reads)
    right = check(node.right, scope, reads)
    if node.op in ("==", "!="):
        if left != right:
            raise ExprError(f"cannot compare {left} with {right}", node.offset, "both sides must be the same type", "type-mismatch")
        return BOOL
    if node.op == "+" and left == STR and right == STR:
        return STR
    if left != INT or right != INT:
        bad = node.left if left != INT else node.right
        raise ExprError(
            f"`{node.op}` needs numbers, found {left if left != INT else right}",
            bad.offset,
            "text joins with + only" if STR in (left, right) else "",
            "type-mismatch",
        )
    return BOOL if node.op in ("<", "<=", ">", ">=") else INT


def _want(node: Node, wanted: str, scope: Scope, reads: set[str] | None, hint: str) -> None:
    found = check(node, scope, reads)
    if found != wanted:
        raise ExprError(f"expected {wanted}, found {found}", node.offset, hint, "type-mismatch")


# ---------------------------------------------------------------- evaluation


def div_or_zero(a: int, b: int) -> int:
    return a // b if b else 0


def mod_or_zero(a: int, b: int) -> int:
    return a % b if b else 0


# What each binary operator does to two values, shared with the checker's value analysis
# (game/writers/values.py), so both compute alike.
BINARY_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": div_or_zero,
    "%": mod_or_zero,
}


def roll_arguments(node: Node) -> list[Node]:
    """The argument of every roll() in `node`, in the order they are written (their sites)."""
    if isinstance(node, Call):
        return [node.argument] if node.function == "roll" and isinstance(node.argument, Node) else []
    if isinstance(node, Unary):
        return roll_arguments(node.operand)
    if isinstance(node, Binary):
        return roll_arguments(node.left) + roll_arguments(node.right)
    return []


def unparse(node: Node) -> str:
    """Source text for a syntax tree (fully bracketed), to compile a part of an expression alone."""
    if isinstance(node, Literal):
        value = node.value
        return ("true" if value else "false") if isinstance(value, bool) else repr(value) if isinstance(value, str) else str(value)
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Call):
        argument = node.argument if isinstance(node.argument, str) else unparse(node.argument)
        return f"{node.function}({argument})"
    if isinstance(node, Unary):
        return f"not ({unparse(node.operand)})" if node.op == "not" else f"-({unparse(node.operand)})"
    return f"({unparse(node.left)}) {node.op} ({unparse(node.right)})"


def compile_node(node: Node, sites: Iterator[str] | None = None) -> Evaluator:
    """Turn a checked syntax tree into a closure `state -> value`. `sites` names each roll() in
    the order written (Expr.sites): its number was drawn as the scene was entered."""
    if isinstance(node, Literal):
        value = node.value
        return lambda s: value
    if isinstance(node, Name):
        name = node.name
        return lambda s: s.vars[name]
    if isinstance(node, Call):
        if node.function == "roll":
            site = next(sites, None) if sites is not None else None
            if site is None:  # pragma: no cover - the story reader gives every roll its place
                raise ValueError("roll() is drawn only in a scene, which names its place")
            return lambda s: s.rolls[site]
        target = node.argument
        if node.function == "visited":
            return lambda s: s.visits.get(target, 0) > 0  # type: ignore[arg-type]
        if node.function == "visits":
            return lambda s: s.visits.get(target, 0)  # type: ignore[arg-type]
        return lambda s: target in s.seen
    if isinstance(node, Unary):
        operand = compile_node(node.operand, sites)
        if node.op == "not":
            return lambda s: not operand(s)
        return lambda s: -operand(s)
    assert isinstance(node, Binary)
    left, right = compile_node(node.left, sites), compile_node(node.right, sites)
    if node.op == "and":
        return lambda s: left(s) and right(s)
    if node.op == "or":
        return lambda s: left(s) or right(s)
    fn = BINARY_OPERATORS[node.op]
    # The common case, `variable OP constant`, in one step: conditions run on every choice shown.
    if isinstance(node.left, Name) and isinstance(node.right, Literal):
        name, constant = node.left.name, node.right.value
        return lambda s: fn(s.vars[name], constant)
    return lambda s: fn(left(s), right(s))


@dataclass(frozen=True, slots=True)
class Expr:
    """A parsed and checked expression, with its source for tools to show; compiled into a
    closure when first evaluated."""

    source: str
    type: str
    compiled: Evaluator | None = field(default=None, compare=False, repr=False)
    reads: frozenset[str] = frozenset()
    sites: tuple[str, ...] = ()  # where each roll() in it stands, "scene#n" (see RollSite)

    @property
    def evaluate(self) -> Evaluator:
        """The expression as a function of the state. Compiled on first use, not as the story
        loads: a scene's expressions are needed only once it is shown, and compiling every one
        again was a third of a warm start (closures cannot be pickled)."""
        fn = self.compiled
        if fn is None:
            fn = compile_node(parse(self.source), iter(self.sites))  # checked when the story was first loaded
            object.__setattr__(self, "compiled", fn)
        return fn

    def __reduce__(self) -> tuple[Any, ...]:
        # A cached story keeps the source, and compiles it again when it is first evaluated.
        return (_recompile, (self.source, self.type, self.reads, self.sites))


def _recompile(source: str, type_: str, reads: frozenset[str], sites: tuple[str, ...] = ()) -> Expr:
    """Rebuild an expression that was checked when the story was first loaded."""
    return Expr(source, type_, None, reads, sites)


def compile_expression(source: str, scope: Scope, want: str | None = None) -> Expr:
    """Parse and check `source` (compiled when first evaluated); raise ExprError if it is wrong
    or not of type `want`."""
    node = parse(source)
    reads: set[str] = set()
    found = check(node, scope, reads)
    if want is not None and found != want:
        hint = "compare it, for example `x > 0`" if want == BOOL else ""
        raise ExprError(f"expected {want}, found {found}", 0, hint, "type-mismatch")
    return Expr(source, found, None, frozenset(reads))
