"""Reads scenes: their text (with conditions and {expressions}), choices and effects."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from game.format.fields import DATE_PATTERN, Fields, Where, check_date, describe, text_position
from game.format.fields import at as _at
from game.format.gather import Entry
from game.format.readers.reader_base import ReaderBase, where_defined
from game.format.vocabulary import BLOCK_KEYS, SCENE_OPTIONAL, SCENE_REQUIRED
from game.format.yaml_data import YList, YMap, empty_map
from game.model import Choice, Effect, Pos, RollSite, Route, Scene, Template, TextBlock, Variable, did_you_mean
from game.model import expressions as ex


class SceneReader(ReaderBase):
    # The scene being read, and the roll() sites found in it so far (see RollSite).
    _scene_id: str = ""
    _rolls: list[RollSite]

    def compiled(self, source: str, want: str | None) -> ex.Expr:
        """Compile an expression once per story: the same condition recurs in many scenes. An
        expression that rolls is compiled for its own place: each roll() is a site of its own."""
        key = (source, want)
        found = self._expressions.get(key)
        if found is not None:
            return found
        found = ex.compile_expression(source, self.scope, want)
        if "roll" not in source:
            self._expressions[key] = found
            return found
        arguments = ex.roll_arguments(ex.parse(source))
        if not arguments:  # "roll" was only part of a name
            self._expressions[key] = found
            return found
        sites = []
        for argument in arguments:
            site = f"{self._scene_id}#{len(self._rolls)}"
            reads: set[str] = set()
            ex.check(argument, self.scope, reads)
            self._rolls.append(RollSite(site, ex.Expr(ex.unparse(argument), ex.INT, None, frozenset(reads))))
            sites.append(site)
        return replace(found, sites=tuple(sites))

    def expr(self, source: Any, pos: Where, want: str | None = None, subject: str = "") -> ex.Expr | None:
        if source.__class__ is str:  # the usual case
            found = self._expressions.get((source, want))
            if found is not None:
                return found
        elif isinstance(source, bool):
            source = "true" if source else "false"
        elif isinstance(source, int):
            source = str(source)
        if not isinstance(source, str):
            self.problems.error(_at(pos), "wrong-type", f"expected an expression, found {describe(source)}", subject=subject)
            return None
        try:
            return self.compiled(source, want)
        except ex.ExprError as err:
            self.problems.error(_at(pos).shifted(err.offset), err.code, err.message, err.hint, subject)
            return None

    def template(self, text: Any, where: Where, what: str) -> Template:
        if text.__class__ is not str:
            if isinstance(text, int) and not isinstance(text, bool):
                text = str(text)
            if not isinstance(text, str):
                self.problems.error(_at(where), "wrong-type", f"{what} must be text, found {describe(text)}", "put the text in quotes")
                return Template(("",))
        if "{" not in text and "}" not in text:
            return Template((text,), text)  # fixed text: nothing to fill in
        pos = _at(where)
        parts: list[str | ex.Expr] = []
        buf: list[str] = []
        i = 0
        while i < len(text):
            ch = text[i]
            if ch in "{}" and text.startswith(ch * 2, i):
                buf.append(ch)
                i += 2
            elif ch == "{":
                end = text.find("}", i)
                if end < 0:
                    self.problems.error(
                        text_position(pos, text, i), "expr-syntax", "a '{' with no closing '}'", "write {{ for a literal brace"
                    )
                    return Template(("".join(buf),))
                source = text[i + 1 : end]
                try:
                    compiled = self.compiled(source, None)
                except ex.ExprError as err:
                    self.problems.error(text_position(pos, text, i + 1 + err.offset), err.code, err.message, err.hint)
                    compiled = None
                parts.append("".join(buf))
                buf = []
                if compiled is not None:
                    parts.append(compiled)
                i = end + 1
            elif ch == "}":
                self.problems.error(text_position(pos, text, i), "expr-syntax", "a '}' with no opening '{'", "write }} for a literal brace")
                i += 1
            else:
                buf.append(ch)
                i += 1
        parts.append("".join(buf))
        parts = [p for p in parts if p != ""] or [""]
        return Template(tuple(parts))

    def build_scene(self, e: Entry) -> Scene:
        what = f"scene '{e.id}'"
        self._scene_id, self._rolls = e.id, []
        m = self.mapping(e.data, e.pos, what) or empty_map(e.pos)
        f = Fields(m, what, self.problems, SCENE_REQUIRED, SCENE_OPTIONAL)
        act, place, date = f.text("act"), f.text("place"), f.text("date")
        if act and act not in self.acts:
            self.unknown(f.pos("act"), "act", act, self.acts)
        if place and place not in self.places:
            self.unknown(f.pos("place"), "place", place, self.places)
        if date and not DATE_PATTERN.match(date):
            check_date(date, f.pos("date"), self.problems)
        ending = f.text("ending")
        if ending and ending not in self.endings:
            self.unknown(f.pos("ending"), "ending", ending, self.endings)
        text = self.build_text(m, what)  # before the choices: its rolls are numbered first, as written
        choices = self.build_choices(m, e.id, what)
        if ending and choices:
            self.problems.error(
                m.key_pos["choices"], "ending-with-choices", f"{what} is an ending and has choices", "remove the choices, or the ending"
            )
        if not ending and not choices and not (isinstance(m.get("choices"), YList) and m["choices"]):
            self.problems.error(e.pos, "dead-end", f"{what} has no choices and is not an ending", "add choices, or `ending: <id>`")
        violence = f.flag("violence")
        summary = f.text("summary")
        if violence and not summary:
            self.problems.error(
                e.pos,
                "violence-needs-summary",
                f"{what} depicts violence but has no summary",
                "add `summary:` for the summary intensity, or mark only the violent text blocks (`violence: true` and `summary:` on each)",
            )
        elif summary and not violence:
            self.problems.warning(
                m.key_pos["summary"], "summary-without-violence", f"{what} has a summary but no `violence: true`", "add `violence: true`"
            )
        if summary and any(block.summary is not None for block in text):
            self.problems.warning(
                m.key_pos["summary"],
                "block-summaries-unused",
                f"{what} has a summary of its own, which stands for the whole scene: its blocks' summaries are never shown",
                "drop the scene's `violence` and `summary` and keep the blocks' summaries",
            )
        perspectives = []
        for pid, pos in f.ids("perspectives"):
            if pid not in self.perspectives:
                self.unknown(pos, "perspective", pid, self.perspectives)
            perspectives.append(pid)
        prompts = []
        for pid, pos in f.ids("prompts"):
            if pid not in self.prompts:
                self.unknown(pos, "prompt", pid, self.prompts)
            prompts.append(pid)
        return Scene(
            id=e.id,
            act=act,
            date=date,
            place=place,
            title=f.text("title"),
            text=text,
            choices=choices,
            summary=summary,
            violence=violence,
            notes=self.id_refs(f, "notes"),
            terms=self.id_refs(f, "terms"),
            people=self.id_refs(f, "people"),
            prompts=tuple(prompts),
            perspectives=tuple(perspectives),
            ending=ending,
            debrief=f.text("debrief"),
            rolls=tuple(self._rolls),
            pos=e.pos,
        )

    def id_refs(self, f: Fields, key: str) -> tuple[str, ...]:
        """Ids a scene lists; whether they exist is checked once every section is built."""
        refs = f.ids(key)
        if not refs:
            return ()
        self.pending.extend((key, ref, pos) for ref, pos in refs)
        return tuple(ref for ref, _ in refs)

    def build_text(self, m: YMap, what: str) -> tuple[TextBlock, ...]:
        if "text" not in m:
            return ()
        value, pos = m["text"], m.value_pos["text"]
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return (TextBlock(self.template(value, pos, f"the text of {what}")),)
        if not isinstance(value, YList):
            self.problems.error(pos, "wrong-type", f"the text of {what} must be text or a list of blocks, found {describe(value)}")
            return ()
        blocks = []
        for item, item_pos in zip(value, value.item_pos):
            if isinstance(item, YMap):
                f = Fields(item, f"a text block of {what}", self.problems, ("text",), BLOCK_KEYS[1:])
                condition = self.expr(item.get("if"), f.where("if"), ex.BOOL) if "if" in item else None
                otherwise = self.template(item["else"], f.where("else"), "else") if "else" in item else None
                if "else" in item and "if" not in item:
                    self.problems.error(item.key_pos["else"], "else-without-if", f"a text block of {what} has `else` but no `if`")
                text = self.template(item.get("text", ""), f.where("text"), "a text block")
                violence, summary = self.block_summary(item, f, what)
                blocks.append(TextBlock(text, condition, otherwise, self.id_refs(f, "notes"), violence, summary))
            else:
                blocks.append(TextBlock(self.template(item, item_pos, f"the text of {what}")))
        return tuple(blocks)

    def block_summary(self, item: YMap, f: Fields, what: str) -> tuple[bool, Template | None]:
        """A text block's `violence` flag and `summary` (shown in place of its text under the
        summary intensity), checked as a scene's are: violence needs a summary."""
        violence = f.flag("violence")
        summary = self.template(item["summary"], f.where("summary"), "a block's summary") if "summary" in item else None
        if summary is not None and not "".join(p for p in summary.parts if isinstance(p, str)).strip() and len(summary.parts) == 1:
            summary = None  # an empty summary is no summary
        if violence and summary is None:
            self.problems.error(
                item.key_pos["violence"],
                "violence-needs-summary",
                f"a text block of {what} depicts violence but has no summary",
                "add `summary:` to the block: a few plain sentences shown in its place under the summary intensity",
            )
        elif summary is not None and not violence:
            self.problems.warning(
                item.key_pos["summary"],
                "summary-without-violence",
                f"a text block of {what} has a summary but no `violence: true`",
                "add `violence: true` to the block",
            )
        if violence and "else" in item:
            self.problems.error(
                item.key_pos["violence"],
                "violence-with-else",
                f"a violent text block of {what} has an `else`, which its summary would not stand for",
                "give the `else` a block of its own (`if: not (...)`), marked on its own if it is violent",
            )
        return violence, summary

    def build_choices(self, m: YMap, scene_id: str, what: str) -> tuple[Choice, ...]:
        value = m.get("choices")
        if value is None:
            return ()
        if not isinstance(value, YList):
            self.problems.error(m.value_pos["choices"], "wrong-type", f"the choices of {what} must be a list, found {describe(value)}")
            return ()
        choices = []
        for index, (item, pos) in enumerate(zip(value, value.item_pos)):
            cwhat = f"choice {index + 1} of {what}"
            if not isinstance(item, YMap):
                self.problems.error(pos, "wrong-type", f"{cwhat} must be a mapping with text and goto, found {describe(item)}")
                continue
            f = Fields(item, cwhat, self.problems, ("text", "goto"), ("if", "else", "set", "once", "fallback"))
            goto, routes = self.build_goto(item, f, cwhat)
            condition = self.expr(item["if"], f.where("if"), ex.BOOL) if "if" in item else None
            reason = f.text("else")
            if reason and "if" not in item:
                self.problems.error(item.key_pos["else"], "else-without-if", f"{cwhat} has an 'else' reason but no 'if'")
            fallback = f.flag("fallback")
            if fallback and "if" in item:
                self.problems.error(
                    item.key_pos["if"],
                    "fallback-with-if",
                    f"{cwhat} is a fallback and has a condition",
                    "a fallback is taken only when nothing else can be",
                )
            choices.append(
                Choice(
                    index=index,
                    text=self.template(item.get("text", ""), f.where("text"), f"the text of {cwhat}"),
                    goto=goto,
                    condition=condition,
                    reason=reason,
                    effects=self.build_effects(item, cwhat),
                    once=f.flag("once"),
                    fallback=fallback,
                    pos=pos,
                    routes=routes,
                )
            )
        return tuple(choices)

    def build_goto(self, item: YMap, f: Fields, what: str) -> tuple[str, tuple[Route, ...]]:
        """Where a choice leads: one scene, or routes tried in order, `{if: CONDITION, to: SCENE}`,
        the last without `if` (where it leads when none holds). Returns (that last, the routes)."""
        value = item.get("goto")
        if not isinstance(value, YList):
            goto = f.text("goto")
            self.check_target(goto, f.pos("goto"), what)
            return goto, ()
        routes: list[Route] = []
        last = ""
        for number, (route, pos) in enumerate(zip(value, value.item_pos), 1):
            rwhat = f"route {number} of {what}"
            if not isinstance(route, YMap):
                self.problems.error(pos, "wrong-type", f"{rwhat} must be a mapping: `{{if: CONDITION, to: SCENE}}`")
                continue
            rf = Fields(route, rwhat, self.problems, ("to",), ("if",))
            target = rf.text("to")
            self.check_target(target, rf.pos("to"), rwhat)
            final = number == len(value)
            if "if" not in route and not final:
                self.problems.error(
                    pos,
                    "route-never-tried",
                    f"{rwhat} has no `if`, so the routes after it are never tried",
                    "only the last route goes without a condition",
                )
            elif "if" in route and final:
                self.problems.error(
                    route.key_pos["if"],
                    "route-without-default",
                    f"{rwhat} is the last and has an `if`",
                    "the last route says where the choice leads when no condition holds: drop its `if`",
                )
            if final:
                last = target
            elif "if" in route:
                condition = self.expr(route["if"], rf.where("if"), ex.BOOL)
                if condition is not None:
                    routes.append(Route(condition, target, pos))
        if not len(value):
            self.problems.error(item.value_pos["goto"], "missing-key", f"{what} has an empty list of routes")
        return last, tuple(routes)

    def check_target(self, target: str, pos: Pos, what: str) -> None:
        if target and target not in self.scene_ids:
            self.problems.error(
                pos,
                "unknown-scene",
                f"{what} goes to '{target}', which is not a scene",
                did_you_mean(target, self.scene_ids) or where_defined("scene"),
            )

    def build_effects(self, item: YMap, what: str) -> tuple[Effect, ...]:
        value = item.get("set")
        if value is None:
            return ()
        if not isinstance(value, YMap):
            self.problems.error(item.value_pos["set"], "wrong-type", f"'set' of {what} must be a mapping of variable: value")
            return ()
        effects = []
        for name, source in value.items():
            # Positions found only for a problem: every choice of a large story has effects.
            pos = partial(_value_pos, value, name)
            var = self.variables.get(name)
            if var is None:
                self.problems.error(
                    value.key_pos[name],
                    "unknown-variable",
                    f"'{name}' is not a declared variable",
                    did_you_mean(str(name), self.variables) or "declare it under story: variables:",
                )
                continue
            if var.type == "str" and isinstance(source, str) and var.values and source not in self.variables and not _quoted(source):
                if source not in var.values:
                    self.problems.error(
                        pos(),
                        "value-out-of-range",
                        f"'{source}' is not one of the values of '{name}'",
                        did_you_mean(source, var.values) or f"values: {', '.join(var.values)}",
                        subject=name,
                    )
                    continue
                source = repr(source)
            # Typed here rather than by `expr`, whose hint is meant for conditions ("compare it").
            compiled = self.expr(source, pos, None, subject=name)
            if compiled is not None and compiled.type != var.type:
                self.problems.error(
                    pos(),
                    "type-mismatch",
                    f"'{name}' is {_KIND[var.type]}, but this sets it to {_KIND[compiled.type]}",
                    _effect_hint(var),
                    subject=name,
                )
            elif compiled is not None:
                effects.append(Effect(name, compiled))
        return tuple(effects)


def _quoted(source: str) -> bool:
    """Whether a `set` value is text in quotes (an expression), not a bare value such as `tech`."""
    return len(source) >= 2 and source[0] == source[-1] and source[0] in "'\""


_KIND = {ex.INT: "a whole number", ex.BOOL: "true or false", ex.STR: "text"}


def _effect_hint(var: Variable) -> str:
    """How to write a value of `var`'s type in `set:`."""
    name = var.id
    if var.type == ex.BOOL:
        return f"write `{name}: true` or `{name}: false` (or a condition)"
    if var.type == ex.INT:
        return f"write a whole number or a sum, e.g. `{name}: {name} + 1`"
    if var.values:
        return f"write one of its values: {', '.join(v for v in var.values if v)}"
    return f'put the text in quotes: `{name}: "..."`'


def _value_pos(m: YMap, key: str) -> Pos:
    return m.value_pos[key]
