"""Loads a story folder into a checked `Story`, or reports every problem at file:line:col.

Reading happens in three steps: each YAML file into positioned data (yaml_reader), the
sections' entries gathered by id across files (duplicates refused), then each entry built into
model records with its references and expressions checked.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import cache
from . import expressions as ex
from .fields import DATE_PATTERN, Fields, Where, check_date, check_id, describe
from .fields import at as _at
from .model import (
    NOTE_KINDS,
    PERSON_KINDS,
    RELIABILITY,
    Act,
    Choice,
    Effect,
    EndingKind,
    Event,
    Note,
    Person,
    Perspective,
    Prompt,
    Scene,
    Source,
    Story,
    Template,
    Term,
    TextBlock,
    Variable,
)
from .problems import Pos, Problems, StoryError, did_you_mean
from .yaml_reader import MAX_FILE_BYTES, YList, YMap, empty_map, read_yaml_bytes

SECTIONS = ("story", "scenes", "notes", "sources", "terms", "people", "events", "variables", "prompts", "places")
# Parts of the story frame that may also stand as sections of their own, so that a folder of
# scenes (one perspective, say) can bring its own variables, prompts and places.
FRAME_SECTIONS = ("variables", "prompts", "places")
STORY_KEYS = ("title", "start", "acts", "places", "perspectives", "endings", "prompts", "variables")
SCENE_KEYS = (
    "act", "date", "place", "title", "text", "summary", "violence", "notes", "terms", "people",
    "prompts", "perspectives", "choices", "ending", "debrief",
)
CHOICE_KEYS = ("text", "goto", "if", "else", "set", "once", "fallback")


@dataclass
class _Entry:
    """One id'd entry of a section, before it is built."""

    id: str
    data: Any
    pos: Pos


@dataclass
class _Gathered:
    sections: dict[str, dict[str, _Entry]] = field(default_factory=lambda: {s: {} for s in SECTIONS if s != "story"})
    story: YMap | None = None
    files: list[str] = field(default_factory=list)


def story_files(root: Path) -> list[Path]:
    """Every YAML file under `root`, in a stable order, hidden folders left out."""
    found = [
        p for p in root.rglob("*")
        if p.suffix in (".yaml", ".yml") and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def load_story(path: str | Path, cache_dir: Path | None = None) -> Story:
    """Load and check the story in folder `path`; raise StoryError listing every error.

    With `cache_dir`, a story loaded before from the very same files comes from the cache.
    """
    story, problems = read_story(path, cache_dir)
    if story is None or problems.errors:
        raise StoryError(problems.errors and sorted(problems.errors, key=lambda p: (p.pos, p.code)))
    return story


def read_story(path: str | Path, cache_dir: Path | None = None) -> tuple[Story | None, Problems]:
    """Load the story in `path`, returning it (None if it cannot be built) and all problems."""
    problems = Problems()
    root = Path(path)
    if not root.exists():
        problems.error(Pos(str(root)), "no-story", "there is no story folder here", "pass --story DIR, or run from the project folder")
        return None, problems
    if not root.is_dir():
        problems.error(Pos(str(root)), "no-story", "the story must be a folder of YAML files")
        return None, problems
    # The collector is paused while we build many small objects: it would otherwise run
    # hundreds of times over data that is all still alive (it triples a large load).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        files = _read_files(root, problems)
        key = cache_key(files)
        if cache_dir is not None and not problems.items:
            cached = cache.fetch(cache_dir, key)
            if cached is not None:
                # Same files, maybe another folder (a copy, an installed wheel): say where it is now.
                return dataclasses.replace(cached[0], root=str(root)), cached[1]
        gathered = _gather(files, problems)
        story = _Builder(gathered, problems).build(root, key)
        if cache_dir is not None and story is not None and not problems.errors:
            cache.store(cache_dir, key, story, problems)
    finally:
        if was_enabled:
            gc.enable()
    return story, problems


def _display_name(root: Path, file: Path) -> str:
    try:
        return (root.name / file.relative_to(root)).as_posix() if root.name else file.as_posix()
    except ValueError:
        return file.as_posix()


@dataclass
class _File:
    relative: str  # inside the story folder, for the fingerprint
    name: str  # as shown to writers
    raw: bytes | None  # None when it could not be read (already reported)


def _read_files(root: Path, problems: Problems) -> list[_File]:
    files = []
    paths = story_files(root)
    if not paths:
        problems.error(Pos(str(root)), "no-story", "the story folder has no .yaml files")
    for path in paths:
        name = _display_name(root, path)
        raw: bytes | None = None
        try:
            if path.is_dir():
                problems.error(Pos(name), "not-a-file", "this is a folder named like a YAML file")
            elif path.stat().st_size > MAX_FILE_BYTES:
                # Refused before reading: a file of gigabytes must not be read into memory first.
                problems.error(Pos(name), "file-too-large", f"the file is {path.stat().st_size // (1024 * 1024)} MB; "
                               f"story files may be at most {MAX_FILE_BYTES // (1024 * 1024)} MB", "split it into several files")
            else:
                raw = path.read_bytes()
        except OSError as exc:
            problems.error(Pos(name), "unreadable", f"cannot read the file: {exc.strerror or exc}")
        files.append(_File(path.relative_to(root).as_posix(), name, raw))
    return files


def cache_key(files: list[_File]) -> str:
    """The story's fingerprint: a hash of every file's place and bytes."""
    digest = hashlib.sha256()
    for f in files:
        if f.raw is not None:
            digest.update(f.relative.encode() + b"\0" + f.raw + b"\0")
    return digest.hexdigest()


def _gather(files: list[_File], problems: Problems) -> _Gathered:
    gathered = _Gathered()
    for file in files:
        name = file.name
        gathered.files.append(name)
        if file.raw is None:
            continue
        data = read_yaml_bytes(file.raw, name, problems)
        if data is None:
            continue
        for section, value in data.items():
            key_pos = data.key_pos[section]
            if section not in SECTIONS:
                problems.error(
                    key_pos, "unknown-section", f"'{section}' is not a section",
                    did_you_mean(str(section), SECTIONS) or f"sections are: {', '.join(SECTIONS)}",
                )
                continue
            if not isinstance(value, YMap):
                if value is None:
                    continue  # an empty section while a writer drafts is harmless
                problems.error(data.value_pos[section], "wrong-type", f"'{section}' must be a mapping of ids, found {describe(value)}")
                continue
            if section == "story":
                if gathered.story is not None:
                    problems.error(key_pos, "duplicate-id", "a second 'story' section", f"the first is at {gathered.story.pos}")
                else:
                    gathered.story = value
                continue
            entries = gathered.sections[section]
            for entry_id, entry in value.items():
                pos = value.key_pos[entry_id]
                if not check_id(entry_id, pos, problems, section.rstrip("s") if section != "people" else "person"):
                    continue
                if entry_id in entries:
                    problems.error(pos, "duplicate-id", f"'{entry_id}' is defined twice in {section}", f"the first is at {entries[entry_id].pos}")
                    continue
                entries[entry_id] = _Entry(entry_id, entry, pos)
    return gathered


class _Builder:
    """Builds model records from gathered entries, checking every reference."""

    def __init__(self, gathered: _Gathered, problems: Problems):
        self.g = gathered
        self.problems = problems
        self.scene_ids = gathered.sections["scenes"]
        self.note_ids = gathered.sections["notes"]
        self._pending: list[tuple[str, str, Pos]] = []  # (section, id, where) to check at the end
        self._expressions: dict[tuple[str, str | None], ex.Expr] = {}

    def build(self, root: Path, fingerprint: str) -> Story | None:
        meta = self.g.story
        if meta is None:
            if self.g.files and not self.problems.errors:
                self.problems.error(Pos(self.g.files[0]), "missing-key", "no file has a 'story' section", "add story.yaml with `story:` (see docs/WRITING.md)")
            return None
        f = Fields(meta, "the story", self.problems, ("title", "start", "acts", "places"), STORY_KEYS[4:])
        self.acts = self.build_acts(meta)
        self.places = self.build_places(meta)
        self.variables = self.build_variables(meta)
        self.endings = self.build_endings(meta)
        self.perspectives = self.build_perspectives(meta)
        if self.perspectives:
            values = ("", *self.perspectives)
            self.variables.setdefault("perspective", Variable("perspective", "str", "", values=values, label="Perspective"))
        self.prompts = self.build_prompts(meta)
        self.scope = ex.Scope({v.id: v.type for v in self.variables.values()}, self.scene_ids, self.note_ids)
        start = f.text("start")
        if start and start not in self.scene_ids:
            self.unknown(f.pos("start"), "scene", start, self.scene_ids)
        sources = {e.id: self.build_source(e) for e in self.g.sections["sources"].values()}
        self.source_ids = sources
        story = Story(
            title=f.text("title"),
            start=start,
            scenes={e.id: self.build_scene(e) for e in self.scene_ids.values()},
            variables=self.variables,
            acts=self.acts,
            places=self.places,
            perspectives=self.perspectives,
            endings=self.endings,
            prompts=self.prompts,
            notes={e.id: self.build_note(e) for e in self.note_ids.values()},
            sources=sources,
            terms={e.id: self.build_term(e) for e in self.g.sections["terms"].values()},
            people={e.id: self.build_person(e) for e in self.g.sections["people"].values()},
            events={e.id: self.build_event(e) for e in self.g.sections["events"].values()},
            fingerprint=fingerprint[:16],
            root=str(root),
            files=tuple(self.g.files),
        )
        self.check_references(story)
        return story

    # ------------------------------------------------------------ helpers

    def compiled(self, source: str, want: str | None) -> ex.Expr:
        """Compile an expression once per story: the same condition recurs in many scenes."""
        key = (source, want)
        found = self._expressions.get(key)
        if found is None:
            found = self._expressions[key] = ex.compile_expression(source, self.scope, want)
        return found

    def unknown(self, pos: Pos, kind: str, value: str, known: Any) -> None:
        self.problems.error(pos, f"unknown-{kind}", f"'{value}' is not a known {kind}", did_you_mean(value, known))

    def entries(self, meta: YMap, key: str) -> list[tuple[str, Any, Pos]]:
        """The id'd entries of a mapping inside the story section, and of a section of that name."""
        value = meta.get(key)
        out = []
        if value is not None and not isinstance(value, YMap):
            self.problems.error(meta.value_pos[key], "wrong-type", f"'{key}' must be a mapping of ids, found {describe(value)}")
        elif value is not None:
            for entry_id, entry in value.items():
                pos = value.key_pos[entry_id]
                if check_id(entry_id, pos, self.problems, key.rstrip("s")):
                    out.append((entry_id, entry, pos))
        if key in FRAME_SECTIONS:
            first = {entry_id: pos for entry_id, _, pos in out}
            for e in self.g.sections[key].values():
                if e.id in first:
                    self.problems.error(e.pos, "duplicate-id", f"'{e.id}' is defined twice in {key}", f"the first is at {first[e.id]}")
                else:
                    out.append((e.id, e.data, e.pos))
        return out

    def mapping(self, value: Any, pos: Pos, what: str) -> YMap | None:
        if isinstance(value, YMap):
            return value
        self.problems.error(pos, "wrong-type", f"{what} must be a mapping of keys, found {describe(value)}")
        return None

    def expr(self, source: Any, pos: Where, want: str | None = None) -> ex.Expr | None:
        if isinstance(source, bool):
            source = "true" if source else "false"
        elif isinstance(source, int):
            source = str(source)
        if not isinstance(source, str):
            self.problems.error(_at(pos), "wrong-type", f"expected an expression, found {describe(source)}")
            return None
        try:
            return self.compiled(source, want)
        except ex.ExprError as err:
            self.problems.error(_at(pos).shifted(err.offset), err.code, err.message, err.hint)
            return None

    def template(self, text: Any, where: Where, what: str) -> Template:
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str):
            self.problems.error(_at(where), "wrong-type", f"{what} must be text, found {describe(text)}", "put the text in quotes")
            return Template(("",))
        if "{" not in text and "}" not in text:
            return Template((text,))
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
                    self.problems.error(_text_pos(pos, text, i), "expr-syntax", "a '{' with no closing '}'", "write {{ for a literal brace")
                    return Template(("".join(buf),))
                source = text[i + 1 : end]
                try:
                    compiled = self.compiled(source, None)
                except ex.ExprError as err:
                    self.problems.error(_text_pos(pos, text, i + 1 + err.offset), err.code, err.message, err.hint)
                    compiled = None
                parts.append("".join(buf))
                buf = []
                if compiled is not None:
                    parts.append(compiled)
                i = end + 1
            elif ch == "}":
                self.problems.error(_text_pos(pos, text, i), "expr-syntax", "a '}' with no opening '{'", "write }} for a literal brace")
                i += 1
            else:
                buf.append(ch)
                i += 1
        parts.append("".join(buf))
        parts = [p for p in parts if p != ""] or [""]
        return Template(tuple(parts))

    # ------------------------------------------------------------ story section

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
                self.problems.error(f.pos("default"), "value-out-of-range", f"the default {default} of {what} is outside {minimum}..{maximum}")
            if values and default not in values:
                self.problems.error(f.pos("default"), "value-out-of-range", f"the default '{default}' of {what} is not one of its values", did_you_mean(default, values))
            variables[var_id] = Variable(
                var_id, kind, default, minimum, maximum, values,
                f.text("label"), f.flag("shown"), f.text("description"), pos,
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

    # ------------------------------------------------------------ scenes

    def build_scene(self, e: _Entry) -> Scene:
        what = f"scene '{e.id}'"
        m = self.mapping(e.data, e.pos, what) or empty_map(e.pos)
        required = ["act", "date", "place", "title", "text"]
        f = Fields(m, what, self.problems, required, [k for k in SCENE_KEYS if k not in required])
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
        choices = self.build_choices(m, e.id, what)
        if ending and choices:
            self.problems.error(m.key_pos["choices"], "ending-with-choices", f"{what} is an ending and has choices", "remove the choices, or the ending")
        if not ending and not choices and not (isinstance(m.get("choices"), YList) and m["choices"]):
            self.problems.error(e.pos, "dead-end", f"{what} has no choices and is not an ending", "add choices, or `ending: <id>`")
        violence = f.flag("violence")
        summary = f.text("summary")
        if violence and not summary:
            self.problems.error(e.pos, "violence-needs-summary", f"{what} depicts violence but has no summary", "add `summary:` for the summary intensity")
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
            id=e.id, act=act, date=date, place=place, title=f.text("title"),
            text=self.build_text(m, what), choices=choices, summary=summary, violence=violence,
            notes=self.id_refs(f, "notes"), terms=self.id_refs(f, "terms"), people=self.id_refs(f, "people"),
            prompts=tuple(prompts), perspectives=tuple(perspectives), ending=ending,
            debrief=f.text("debrief"), pos=e.pos,
        )

    def id_refs(self, f: Fields, key: str) -> tuple[str, ...]:
        """Ids a scene lists; whether they exist is checked once every section is built."""
        refs = f.ids(key)
        self._pending.extend((key, ref, pos) for ref, pos in refs)
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
                f = Fields(item, f"a text block of {what}", self.problems, ("if", "text"), ("else",))
                condition = self.expr(item.get("if"), f.where("if"), ex.BOOL) if "if" in item else None
                otherwise = self.template(item["else"], f.where("else"), "else") if "else" in item else None
                blocks.append(TextBlock(self.template(item.get("text", ""), f.where("text"), "a text block"), condition, otherwise))
            else:
                blocks.append(TextBlock(self.template(item, item_pos, f"the text of {what}")))
        return tuple(blocks)

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
            goto = f.text("goto")
            if goto and goto not in self.scene_ids:
                self.problems.error(
                    f.pos("goto"), "unknown-scene", f"{cwhat} goes to '{goto}', which is not a scene",
                    did_you_mean(goto, self.scene_ids),
                )
            condition = self.expr(item["if"], f.where("if"), ex.BOOL) if "if" in item else None
            reason = f.text("else")
            if reason and "if" not in item:
                self.problems.error(item.key_pos["else"], "else-without-if", f"{cwhat} has an 'else' reason but no 'if'")
            fallback = f.flag("fallback")
            if fallback and "if" in item:
                self.problems.error(item.key_pos["if"], "fallback-with-if", f"{cwhat} is a fallback and has a condition", "a fallback is taken only when nothing else can be")
            choices.append(Choice(
                index=index, text=self.template(item.get("text", ""), f.where("text"), f"the text of {cwhat}"),
                goto=goto, condition=condition, reason=reason, effects=self.build_effects(item, cwhat),
                once=f.flag("once"), fallback=fallback, pos=pos,
            ))
        return tuple(choices)

    def build_effects(self, item: YMap, what: str) -> tuple[Effect, ...]:
        value = item.get("set")
        if value is None:
            return ()
        if not isinstance(value, YMap):
            self.problems.error(item.value_pos["set"], "wrong-type", f"'set' of {what} must be a mapping of variable: value")
            return ()
        effects = []
        for name, source in value.items():
            name_pos, pos = value.key_pos[name], value.value_pos[name]
            var = self.variables.get(name)
            if var is None:
                self.problems.error(name_pos, "unknown-variable", f"'{name}' is not a declared variable", did_you_mean(str(name), self.variables) or "declare it under story: variables:")
                continue
            if var.type == "str" and isinstance(source, str) and var.values and source not in self.variables:
                if source not in var.values:
                    self.problems.error(pos, "value-out-of-range", f"'{source}' is not one of the values of '{name}'", did_you_mean(source, var.values) or f"values: {', '.join(var.values)}")
                    continue
                source = repr(source)
            compiled = self.expr(source, pos, var.type)
            if compiled is not None:
                effects.append(Effect(name, compiled))
        return tuple(effects)

    # ------------------------------------------------------------ reference material

    def sources_of(self, f: Fields) -> tuple[str, ...]:
        refs = f.ids("sources")
        self._pending.extend(("sources", ref, pos) for ref, pos in refs)
        return tuple(ref for ref, _ in refs)

    def kind_of(self, f: Fields, allowed: tuple[str, ...], what: str) -> str:
        kind = f.text("kind")
        if kind and kind not in allowed:
            self.problems.error(f.pos("kind"), "bad-kind", f"the kind of {what} is '{kind}'", did_you_mean(kind, allowed) or f"kinds: {', '.join(allowed)}")
        return kind

    def build_note(self, e: _Entry) -> Note:
        what = f"note '{e.id}'"
        m = self.mapping(e.data, e.pos, what) or empty_map(e.pos)
        f = Fields(m, what, self.problems, ("title", "kind", "body", "sources"), ("topic",))
        return Note(e.id, f.text("title"), self.kind_of(f, NOTE_KINDS, what), f.text("body"), self.sources_of(f), f.text("topic"), e.pos)

    def build_source(self, e: _Entry) -> Source:
        what = f"source '{e.id}'"
        m = self.mapping(e.data, e.pos, what) or empty_map(e.pos)
        f = Fields(m, what, self.problems, ("title",), ("author", "year", "published", "reliability", "url"))
        reliability = f.text("reliability")
        if reliability and reliability not in RELIABILITY:
            self.problems.error(f.pos("reliability"), "bad-kind", f"the reliability of {what} is '{reliability}'", did_you_mean(reliability, RELIABILITY) or f"one of: {', '.join(RELIABILITY)}")
        return Source(e.id, f.text("title"), f.text("author"), f.text("year"), f.text("published"), reliability, f.text("url"), e.pos)

    def build_term(self, e: _Entry) -> Term:
        what = f"term '{e.id}'"
        m = self.mapping(e.data, e.pos, what) or empty_map(e.pos)
        f = Fields(m, what, self.problems, ("term", "definition"), ("sources",))
        return Term(e.id, f.text("term"), f.text("definition"), self.sources_of(f), e.pos)

    def build_person(self, e: _Entry) -> Person:
        what = f"person '{e.id}'"
        m = self.mapping(e.data, e.pos, what) or empty_map(e.pos)
        f = Fields(m, what, self.problems, ("name", "kind"), ("role", "bio", "sources"))
        return Person(e.id, f.text("name"), self.kind_of(f, PERSON_KINDS, what), f.text("role"), f.text("bio"), self.sources_of(f), e.pos)

    def build_event(self, e: _Entry) -> Event:
        what = f"event '{e.id}'"
        m = self.mapping(e.data, e.pos, what) or empty_map(e.pos)
        f = Fields(m, what, self.problems, ("date", "title", "sources"), ("text",))
        date = f.text("date")
        if date:
            check_date(date, f.pos("date"), self.problems)
        return Event(e.id, date, f.text("title"), f.text("text"), self.sources_of(f), e.pos)

    def check_references(self, story: Story) -> None:
        known: dict[str, Mapping[str, object]] = {"notes": story.notes, "terms": story.terms, "people": story.people, "sources": story.sources}
        kind = {"notes": "note", "terms": "term", "people": "person", "sources": "source"}
        for section, ref, pos in self._pending:
            if ref not in known[section]:
                self.unknown(pos, kind[section], ref, known[section])




def _text_pos(base: Pos, text: str, offset: int) -> Pos:
    """Where character `offset` of a text value is: exact on its first line, by line after."""
    newlines = text.count("\n", 0, offset)
    if not newlines:
        return base.shifted(offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return Pos(base.file, base.line + newlines, base.column + offset - line_start)
