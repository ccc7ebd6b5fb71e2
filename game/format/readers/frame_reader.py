"""Reads the story's frame: acts, places, variables, endings, perspectives and prompts."""

from __future__ import annotations

from typing import Any

from game.format.fields import Fields, describe
from game.format.readers.reader_base import ReaderBase
from game.format.yaml_data import YList, YMap
from game.model import Act, EndingKind, Perspective, Prompt, Variable, did_you_mean
from game.model import expressions as ex


class FrameReader(ReaderBase):
    def build_acts(self, meta: YMap) -> dict[str, Act]:
        acts = {}
        for order, (act_id, value, pos) in enumerate(self.entries(meta, "acts")):
            m = self.mapping(value, pos, f"act '{act_id}'")
            if m is None:
                continue
            f = Fields(m, f"act '{act_id}'", self.problems, ("title",), ())
            acts[act_id] = Act(act_id, f.text("title"), order, pos)
        return acts

    def build_places(self, meta: YMap) -> dict[str, str]:
        places = {}
        for place_id, value, pos in self.entries(meta, "places"):
            if not isinstance(value, str):
                self.problems.error(pos, "wrong-type", f"place '{place_id}' must be its name as text, found {describe(value)}")
                continue
            places[place_id] = value
        return places

    def build_variables(self, meta: YMap) -> dict[str, Variable]:
        variables = {}
        for var_id, value, pos in self.entries(meta, "variables"):
            m = self.mapping(value, pos, f"variable '{var_id}'")
            if m is None:
                continue
            what = f"variable '{var_id}'"
            f = Fields(m, what, self.problems, ("type", "default"), ("min", "max", "values", "label", "shown", "description"))
            kind = f.text("type")
            if kind not in ex.TYPES:
                self.problems.error(f.pos("type"), "wrong-type", f"{what} has type '{kind}'", "types are int, bool and str")
                continue
            default: Any = m.get("default")
            if ex.type_of(default) != kind:
                self.problems.error(f.pos("default"), "wrong-type", f"the default of {what} must be {kind}, found {describe(default)}")
                continue
            minimum, maximum = (f.integer("min"), f.integer("max")) if kind == "int" else (None, None)
            for key in ("min", "max"):
                if key in m and kind != "int":
                    self.problems.error(m.key_pos[key], "unknown-key", f"'{key}' only applies to int variables")
            values: tuple[str, ...] = ()
            if "values" in m:
                if kind != "str":
                    self.problems.error(m.key_pos["values"], "unknown-key", "'values' only applies to str variables")
                else:
                    raw = m["values"]
                    if isinstance(raw, YList) and all(isinstance(v, str) for v in raw):
                        values = tuple(raw)
                    else:
                        self.problems.error(f.pos("values"), "wrong-type", f"'values' of {what} must be a list of words")
            if (minimum is not None and default < minimum) or (maximum is not None and default > maximum):
                self.problems.error(
                    f.pos("default"), "value-out-of-range", f"the default {default} of {what} is outside {minimum}..{maximum}"
                )
            if values and default not in values:
                self.problems.error(
                    f.pos("default"),
                    "value-out-of-range",
                    f"the default '{default}' of {what} is not one of its values",
                    did_you_mean(default, values),
                )
            variables[var_id] = Variable(
                var_id,
                kind,
                default,
                minimum,
                maximum,
                values,
                f.text("label"),
                f.flag("shown"),
                f.text("description"),
                pos,
            )
        return variables

    def build_endings(self, meta: YMap) -> dict[str, EndingKind]:
        endings = {}
        for end_id, value, pos in self.entries(meta, "endings"):
            m = self.mapping(value, pos, f"ending '{end_id}'")
            if m is not None:
                f = Fields(m, f"ending '{end_id}'", self.problems, ("title", "debrief"), ())
                endings[end_id] = EndingKind(end_id, f.text("title"), f.text("debrief"), pos)
        return endings

    def build_perspectives(self, meta: YMap) -> dict[str, Perspective]:
        out = {}
        for pid, value, pos in self.entries(meta, "perspectives"):
            m = self.mapping(value, pos, f"perspective '{pid}'")
            if m is None:
                continue
            f = Fields(m, f"perspective '{pid}'", self.problems, ("title", "start"), ("blurb",))
            start = f.text("start")
            if start and start not in self.scene_ids:
                self.unknown(f.pos("start"), "scene", start, self.scene_ids)
            out[pid] = Perspective(pid, f.text("title"), start, f.text("blurb"), pos)
        return out

    def build_prompts(self, meta: YMap) -> dict[str, Prompt]:
        out = {}
        for pid, value, pos in self.entries(meta, "prompts"):
            m = self.mapping(value, pos, f"prompt '{pid}'")
            if m is None:
                continue
            f = Fields(m, f"prompt '{pid}'", self.problems, ("text",), ("act", "perspectives"))
            act = f.text("act")
            if act and act not in self.acts:
                self.unknown(f.pos("act"), "act", act, self.acts)
            perspectives = []
            for perspective, ppos in f.ids("perspectives"):
                if perspective not in self.perspectives:
                    self.unknown(ppos, "perspective", perspective, self.perspectives)
                perspectives.append(perspective)
            out[pid] = Prompt(pid, f.text("text"), act, tuple(perspectives), pos)
        return out
