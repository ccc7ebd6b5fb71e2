"""A run through a story: the small API every front end steps through (modelled on ink's).

run = Run.start(story, seed=7, perspective="woman")
run.scene, run.text, run.choices      # what to show
run.choose(0); run.undo()             # what the player does
run.ended                             # the ending reached, or None
run.to_dict()                         # a save; game.saves.restore(story, data) replays it
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from game.model import Choice, Prompt, Scene, Story
from game.model.expressions import type_of
from game.runtime.assignment import Assignment, story_prompt_ids
from game.runtime.catch_up import catch_up as draw_catch_up
from game.runtime.passages import passages
from game.runtime.rules import ChoiceView, enter, open_choices, scene_text, take
from game.runtime.state import State

INTENSITIES = ("full", "summary")
PROMPTS_AT_ONCE = 2  # reflection questions asked together as a scene is left
SAVE_FORMAT = "kengir-run"
SAVE_VERSION = 1


class LogEntry(NamedTuple):
    """One choice taken: in which scene, which of its choices (by place in the story file), when,
    and what the scene's rolls gave (its sites and numbers; none for most scenes)."""

    scene: str
    choice: int
    text: str
    at: float  # seconds since the epoch, from the run's clock
    rolls: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"scene": self.scene, "choice": self.choice, "text": self.text, "at": iso_time(self.at)}
        if self.rolls:
            entry["rolls"] = dict(self.rolls)
        return entry


@dataclass(frozen=True)
class EndingView:
    id: str
    title: str
    debrief: str


class Answer(NamedTuple):
    """A student's answer to a reflection prompt: the latest version counts."""

    prompt: str
    question: str
    text: str
    at: float
    step: int


class RunError(Exception):
    """A request the run cannot honour (a disabled choice, undo at the start, ...)."""


class ReplayError(Exception):
    """A saved log no longer fits the story. `run` stands at the furthest consistent point."""

    def __init__(self, message: str, step: int, run: Run):
        super().__init__(message)
        self.message = message
        self.step = step
        self.run = run


def _int(value: Any) -> int:
    """A step number from saved events (which a hand-edited file may have spoiled)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


@functools.lru_cache(maxsize=4096)  # a save writes the time of every choice in the log, at every choice
def iso_time(seconds: float) -> str:
    """A moment as ISO 8601 in UTC, to the second."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


def parse_time(text: str) -> float | None:
    try:
        return datetime.fromisoformat(text).timestamp()
    except (TypeError, ValueError):
        return None


class Run:
    """One playthrough. Create it with `Run.start`, or restore a saved one with game.saves.restore."""

    def __init__(
        self,
        story: Story,
        state: State,
        *,
        perspective: str = "",
        intensity: str = "full",
        start: str = "",
        overrides: Mapping[str, Any] | None = None,
        allow_undo: bool = True,
        clock: Callable[[], float] = time.time,
        assignment: Assignment | None = None,
        student: str = "",
    ):
        if intensity not in INTENSITIES:
            raise RunError(f"intensity must be one of {', '.join(INTENSITIES)}, not {intensity!r}")
        self.story = story
        self.state = state
        self.perspective_start = perspective
        self.intensity = intensity
        self.start_scene = start
        self.overrides = dict(overrides or {})
        self.allow_undo = allow_undo
        self.clock = clock
        self.log: list[LogEntry] = []
        self.new_notes: tuple[str, ...] = ()
        self.prompts_due: tuple[Prompt, ...] = ()
        self._due: list[Prompt] = []  # every prompt due so far, each once, in order (see prompts_now)
        self._history: list[tuple[State, tuple[str, ...], tuple[Prompt, ...], int]] = []
        self._scene: Scene = story.scenes[state.scene]
        # An assigned session: its rules, who plays, what they wrote and read, and whether it is over.
        self.assignment = assignment
        self.student = student
        self.started_at = clock()
        self.answers: dict[str, Answer] = {}
        self.events: list[dict[str, Any]] = []
        self.finished = False
        # The earlier choices drawn for a mid-story assignment (scene title, choice), or None.
        self.caught_up: tuple[tuple[str, str], ...] | None = None

    # ------------------------------------------------------------ starting

    @classmethod
    def start(
        cls,
        story: Story,
        *,
        seed: int = 0,
        perspective: str | None = None,
        intensity: str = "full",
        start: str | None = None,
        variables: Mapping[str, Any] | None = None,
        allow_undo: bool = True,
        clock: Callable[[], float] = time.time,
        assignment: Assignment | None = None,
        student: str = "",
        catch_up: bool | None = None,
    ) -> Run:
        """Begin a run at the story's start, a perspective's start, or (for writers) any scene.

        `variables` overrides declared defaults, e.g. {"trust.olena": 3}; unknown names or
        wrong types raise RunError. An `assignment` sets where play starts and stops, whether
        undo is allowed, the intensity (unless the student chooses) and the perspectives allowed.

        An assignment that begins later in the story starts from a state drawn by `seed` from
        those play reaches there (game/runtime/catch_up.py): `catch_up` None does so unless a
        `start` scene is given (a writer's --from), True always (a save that did), False never.
        """
        caught = None
        if (
            assignment is not None
            and assignment.start
            and perspective in story.perspectives
            and (catch_up if catch_up is not None else not start)
        ):
            caught = draw_catch_up(story, seed, perspective, assignment.start)
            if caught is not None:
                start = caught.scene
        if assignment is not None:
            if perspective and not assignment.allows(perspective):
                raise RunError(f"this assignment is played as {', '.join(assignment.perspectives)}, not {perspective}")
            allow_undo = allow_undo and assignment.undo
            if assignment.intensity != "student":
                intensity = assignment.intensity
            start = start or assignment.first_scene(story, perspective)
        values = {v.id: v.default for v in story.variables.values()}
        first = story.start
        if perspective:
            if perspective not in story.perspectives:
                raise RunError(f"there is no perspective {perspective!r}; there are: {', '.join(story.perspectives)}")
            values["perspective"] = perspective
            first = story.perspectives[perspective].start
        for name, value in (variables or {}).items():
            var = story.variables.get(name)
            if var is None:
                raise RunError(f"there is no variable {name!r}")
            if type_of(value) != var.type:
                raise RunError(f"{name} is {var.type}; {value!r} is not")
            values[name] = var.clamp(value)
        if start:
            if start not in story.scenes:
                raise RunError(f"there is no scene {start!r}")
            first = start
        state = State(first, values, seed=seed)
        if caught is not None:
            state = caught.state.copy()
            state.vars.update({name: values[name] for name in variables or {}})  # a writer's --set still wins
        run = cls(
            story,
            state,
            perspective=perspective or "",
            intensity=intensity,
            start=start or "",
            overrides=variables,
            allow_undo=allow_undo,
            clock=clock,
            assignment=assignment,
            student=student,
        )
        run.caught_up = caught.choices if caught is not None else None
        run._enter(first, previous_act="")
        return run

    # ------------------------------------------------------------ what to show

    @property
    def scene(self) -> Scene:
        return self._scene

    @property
    def seed(self) -> int:
        return self.state.seed

    @property
    def perspective(self) -> str:
        return str(self.state.vars.get("perspective", ""))

    @property
    def text(self) -> str:
        """The scene's Markdown for the current state. Under the summary intensity, a scene with
        a summary of its own shows only that; otherwise each block with a summary shows it in
        place of its text, and every other block is shown in full."""
        scene = self._scene
        if self.intensity == "summary" and scene.summarised:
            return scene.summary or scene_text(scene, self.state, summary=True)
        if scene.fixed_text is not None:
            return scene.fixed_text
        return scene_text(scene, self.state)

    @property
    def passages(self) -> list[tuple[str, tuple[str, ...]]]:
        """The text as shown, block by block, each with the ids of the notes it explains. Under
        the summary intensity a scene's own summary stands for all its blocks, with every note;
        a block's summary stands for its block, with the block's notes."""
        scene = self._scene
        summary = self.intensity == "summary"
        shown = passages(scene, self.state, summary)
        if summary and scene.summary:
            return [(scene.summary, tuple(n for _, notes in shown for n in notes))]
        return shown

    @property
    def choices(self) -> list[ChoiceView]:
        """The choices to show: enabled ones, disabled ones with a reason, or else the fallbacks."""
        return [] if self.finished else open_choices(self._scene, self.state)

    @property
    def ended(self) -> EndingView | None:
        scene = self._scene
        if not scene.ending:
            return None
        kind = self.story.endings[scene.ending]
        debrief = "\n\n".join(part.strip() for part in (kind.debrief, scene.debrief) if part.strip())
        return EndingView(kind.id, kind.title, debrief)

    @property
    def stuck(self) -> bool:
        """True when the run has not ended and no choice can be taken (a story bug)."""
        return not self.scene.ending and not any(c.enabled for c in self.choices)

    @property
    def can_undo(self) -> bool:
        return self.allow_undo and bool(self._history)

    # ------------------------------------------------------------ what the player does

    def choose(self, index: int) -> None:
        """Take the choice at `index` of `run.choices`."""
        views = self.choices
        if not 0 <= index < len(views):
            raise RunError(f"there is no choice {index + 1}; there are {len(views)}")
        self.take(views[index])

    def take(self, view: ChoiceView) -> None:
        """Take a choice from the current `run.choices` (saves computing them again)."""
        if not view.enabled:
            raise RunError(f"that choice is not open: {view.reason}")
        if view.choice is None or view.choice not in self._scene.choices:  # identity: choices have eq=False
            raise RunError("that choice belongs to another scene")
        self._take(view.choice, view.text)

    def _take(self, choice: Choice, text: str) -> None:
        state = self.state
        if self.allow_undo:
            self._history.append((state.copy(), self.new_notes, self.prompts_due, len(self._due)))
        self.log.append(LogEntry(state.scene, choice.index, text, self.clock(), tuple(state.rolls.items())))
        target = take(choice, state, self.story.variables)
        assignment = self.assignment
        if (
            assignment is not None
            and assignment.until in self.story.acts
            and assignment.stops_at(self.story, target)
            and not self.story.scenes[target].ending
        ):
            # The assigned part ends with this act: the next act's scene is not entered at all.
            # (An ending is still shown: a student whose story ends early sees how, and the debrief.)
            self.finished = True
            self.new_notes = ()
            self.prompts_due = self._prompts_due(self._scene, self._scene.act, ending_act=self._scene.act, arriving=False)
            self._queue(self.prompts_due)
            return
        self._enter(target, previous_act=self._scene.act)

    def _enter(self, scene_id: str, previous_act: str) -> None:
        scene = self._scene = self.story.scenes[scene_id]
        self.new_notes = enter(scene, self.state)
        assignment = self.assignment
        if assignment is not None:
            self.finished = bool(scene.ending) or assignment.stops_at(self.story, scene_id)
        if scene.prompts or (previous_act != scene.act and previous_act) or scene.ending or assignment is not None:
            self.prompts_due = self._prompts_due(scene, previous_act, scene.act if self.finished else "")
            self._queue(self.prompts_due)
        else:
            self.prompts_due = ()

    def _queue(self, prompts: tuple[Prompt, ...]) -> None:
        known = {p.id for p in self._due}
        self._due += [p for p in prompts if p.id not in known]

    def _prompts_due(self, scene: Scene, previous_act: str, ending_act: str = "", arriving: bool = True) -> tuple[Prompt, ...]:
        """Reflection prompts asked now: the scene's own (when `arriving` there), then those of an
        act that has just ended (the story's, filtered by perspective and by the assignment, and
        the teacher's)."""
        assignment = self.assignment
        wanted = None if assignment is None or assignment.story_prompts else story_prompt_ids(assignment)
        own = scene.prompts if arriving else ()
        due = [self.story.prompts[p] for p in own if wanted is None or p in wanted]
        ended_acts = {a for a in (previous_act if previous_act != scene.act else "", scene.act if scene.ending else "", ending_act) if a}
        if scene.ending:
            ended_acts |= self._acts_after(scene.act)
        perspective = self.perspective
        for prompt in self.story.prompts.values():
            if (
                prompt.act in ended_acts
                and prompt not in due
                and (not prompt.perspectives or perspective in prompt.perspectives)
                and (wanted is None or prompt.id in wanted)
            ):
                due.append(prompt)
        if assignment is not None:
            at_scene = set(assignment.at.get(scene.id, ())) if arriving else set()
            due += [p for p in assignment.prompts if p.id in at_scene or (p.act and p.act in ended_acts)]
        return tuple(due)

    def _acts_after(self, act: str) -> set[str]:
        """The acts after `act` that an ending there closes too: the story is over, so their
        questions ("after: epilogue", the epilogue's own) are asked at the ending rather than
        never (a student killed in the assault still answers the question set for the end).
        Only acts of the assigned part count: those before its `until` act."""
        acts = self.story.acts
        order = acts[act].order
        until = self.assignment.until if self.assignment is not None else ""
        last = acts[until].order if until in acts else None
        return {a.id for a in acts.values() if a.order > order and (last is None or a.order < last)}

    # ------------------------------------------------------------ what the student writes and reads

    def answer(self, prompt_id: str, text: str) -> None:
        """Keep (or revise) the answer to a reflection prompt."""
        prompt = self.prompt(prompt_id)
        if prompt is None:
            raise RunError(f"there is no reflection prompt {prompt_id!r}")
        at = self.clock()
        self.answers[prompt_id] = Answer(prompt_id, prompt.text, text.strip(), at, self.state.step)
        self.events.append({"type": "answer", "prompt": prompt_id, "text": text.strip(), "at": iso_time(at), "step": self.state.step})

    def ask(self, prompt_id: str) -> None:
        """Record that a reflection question was put to the student (once per question): one
        they skip then stays in their Reflections, and in the record as not answered."""
        if self.prompt(prompt_id) is not None and prompt_id not in self.prompts_asked:
            self.events.append({"type": "asked", "prompt": prompt_id, "at": iso_time(self.clock()), "step": self.state.step})

    @property
    def prompts_waiting(self) -> list[Prompt]:
        """Reflection questions that came due on the path and have not been put to the player."""
        asked = set(self.prompts_asked)
        return [p for p in self._due if p.id not in asked]

    @property
    def prompts_now(self) -> list[Prompt]:
        """The questions to ask now, by the one rule every front end follows: as the player
        leaves a scene (having chosen, before the choice takes them on), at most two, the rest
        as they leave the next scene; at an ending, or the end of an assigned part, every one
        still waiting, before the debrief. A scene's own questions come after its text has been
        read, never between the text and its choices."""
        waiting = self.prompts_waiting
        return waiting if self.finished or self._scene.ending else waiting[:PROMPTS_AT_ONCE]

    @property
    def prompts_asked(self) -> list[str]:
        """Questions put to the student or answered, each once, in the order first asked."""
        return list(
            dict.fromkeys(e["prompt"] for e in self.events if e.get("type") in ("asked", "answer") and isinstance(e.get("prompt"), str))
        )

    @property
    def unanswered(self) -> list[Prompt]:
        """Questions put to the student that they have not answered (skipped, or left for later)."""
        asked = (self.prompt(p) for p in self.prompts_asked if p not in self.answers)
        return [p for p in asked if p is not None]

    def prompt(self, prompt_id: str) -> Prompt | None:
        """A prompt of the story or of the assignment, by id."""
        if prompt_id in self.story.prompts:
            return self.story.prompts[prompt_id]
        if self.assignment is not None:
            return next((p for p in self.assignment.prompts if p.id == prompt_id), None)
        return None

    def restore_events(self, events: list[dict[str, Any]]) -> None:
        """Take back what a student did in a saved run (answers, questions asked, notes opened):
        replaying the choices gives the path, not these, which are theirs."""
        self.events = events
        self.answers = {}
        for event in events:
            if event.get("type") == "answer" and isinstance(event.get("prompt"), str):
                prompt = self.prompt(event["prompt"])
                when = parse_time(str(event.get("at", ""))) or self.started_at
                if prompt is not None:
                    self.answers[prompt.id] = Answer(prompt.id, prompt.text, str(event.get("text", "")), when, _int(event.get("step")))

    def open_note(self, note_id: str) -> None:
        """Record that the player opened a note they have found (teachers see what was read)."""
        if note_id in self.state.seen:
            self.events.append({"type": "note", "note": note_id, "at": iso_time(self.clock()), "step": self.state.step})

    @property
    def notes_opened(self) -> list[str]:
        """Notes opened, each once, in the order first opened."""
        return list(dict.fromkeys(e["note"] for e in self.events if e.get("type") == "note"))

    def undo(self) -> None:
        """Go back one choice, exactly to the state before it."""
        if not self.allow_undo:
            raise RunError("undo is switched off for this session")
        if not self._history:
            raise RunError("this is the start of the run; there is nothing to undo")
        self.state, self.new_notes, self.prompts_due, due = self._history.pop()
        del self._due[due:]
        self._scene = self.story.scenes[self.state.scene]
        self.finished = False
        self.log.pop()
        # A question put in a scene now undone was never asked on the path the student keeps
        # (what they wrote stays: answers are theirs).
        step = self.state.step
        self.events = [e for e in self.events if not (e.get("type") == "asked" and _int(e.get("step")) > step)]

    # ------------------------------------------------------------ saving

    def to_dict(self) -> dict[str, Any]:
        """Everything needed to restore this run: how it started, the choice log, and a snapshot."""
        return {
            "format": SAVE_FORMAT,
            "version": SAVE_VERSION,
            "story": {"title": self.story.title, "fingerprint": self.story.fingerprint},
            "seed": self.state.seed,
            "perspective": self.perspective_start,
            "intensity": self.intensity,
            "start": self.start_scene,
            "overrides": dict(self.overrides),
            "allow_undo": self.allow_undo,
            "assignment": self.assignment.to_dict() if self.assignment else None,
            "student": self.student,
            "catch_up": self.caught_up is not None,
            "started_at": iso_time(self.started_at),
            "log": [entry.to_dict() for entry in self.log],
            "events": list(self.events),
            "state": self.state.to_dict(),
        }
