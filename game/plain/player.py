"""`kengir play --plain`: the whole game as plain lines, for screen readers, pipes and tests.

Shaped like Python's `cmd` module: streams are injected, each command is a `do_*` method, and
nothing here imports Textual. No box drawing, no colour: one thing a line.

It keeps the terminal game's promises: every choice is autosaved as it is made (a hang-up or
kill -9 loses at most the choice being typed); reflection questions are asked as a scene is
left, never between its text and its choices; an ending's questions come before its debrief,
and after the ending the player can still read its notes before leaving.
"""

from __future__ import annotations

import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from game.classroom import write_record
from game.model import Story
from game.plain.line_input import LineInput
from game.runtime import ReplayError, Run, RunError
from game.saves import SaveError, SaveStore
from game.session.console import visible
from game.session.paths import records_dir
from game.session.texts import STARTS_LATER, plain_text, pretty_date, sentence

HELP = """\
Type the number of a choice and press Enter. Other commands:
  notes        list the notes you have found
  note ID      read a note (its kind and sources too)
  history      the scenes so far and the choices you made
  undo         take back your last choice
  save NAME    save the game under NAME
  load NAME    load the game saved under NAME
  saves        list the saves
  answers      your reflection answers so far
  revise ID    write an answer again
  record       write the record of this session now (assigned sessions)
  help         this list
  quit         leave (every choice is already saved)"""

AFTER_THE_END = "The end. Type 'notes' or 'note ID' to read the notes, 'history' for your choices, or 'quit' to leave."


def fit(text: str, width: int | None) -> str:
    """Each line wrapped to `width` (a terminal's), or left whole (None: a screen reader or a pipe)."""
    if width is None or len(text) <= width:
        return text
    return "\n".join(textwrap.fill(line, width) if line else "" for line in text.split("\n"))


class PlainPlayer:
    """Plays one run over text streams. `width`: wrap paragraphs to this many columns (None:
    one line a paragraph, as a screen reader and a pipe want them)."""

    def __init__(
        self,
        story: Story,
        run: Run,
        store: SaveStore,
        stdin: TextIO,
        stdout: TextIO,
        records: Path | None = None,
        clock: Callable[[], float] = time.time,
        width: int | None = None,
        key: bytes | None = None,
    ):
        self.story = story
        self.run = run
        self.store = store
        self.stdin = stdin
        self.stdout = stdout
        self.input = LineInput(stdin, stdout)
        self.records = records if records is not None else records_dir(None, store.folder)
        self.clock = clock
        self.width = width
        self.key = key  # a lab server's key, which signs the records (None: unsigned)
        self.record_path: Path | None = None
        self.over = False  # the run has reached its ending or the end of its assigned part

    def say(self, text: str = "") -> None:
        """One or more lines, with control characters made visible (text we did not write
        must not command the terminal), each paragraph wrapped when a width is set."""
        self.stdout.write(fit(visible(text), self.width) + "\n")

    # ------------------------------------------------------------ the loop

    def play(self) -> int:
        """Play until the player quits or the input ends (every choice already autosaved)."""
        assignment = self.run.assignment
        if assignment is not None:
            self.say(f"Assignment: {assignment.title}")
            if self.run.caught_up and not self.run.log:  # a new session, not one continued
                self.say(STARTS_LATER)
            if assignment.ask_name and not self.run.student:
                self.say("Your name, for your teacher's record:")
                self.run.student = self.input.read().strip()
        self.show_scene()
        self.after_arriving()
        while True:
            try:
                line = self.input.read("> ")
            except KeyboardInterrupt:
                line = ""  # ctrl+c at the prompt: leave, like the end of input
            if not line:
                self.say()
                self.leave("End of input.")
                return 0
            command, _, arg = line.strip().partition(" ")
            if not command:
                continue
            if command.isdigit():
                self.do_choose(int(command))
                continue
            handler = getattr(self, f"do_{command.lower()}", None)
            if handler is None:
                self.say(f"Unknown command '{command}'. Type a choice number, or 'help'.")
                continue
            if handler(arg.strip()) == "quit":
                return 0

    def autosave(self) -> bool:
        """Save the run as it is now (atomically; the ten newest autosaves are kept)."""
        try:
            self.store.autosave(self.run)
        except SaveError as err:
            self.say(f"Could not save: {err}")
            return False
        return True

    def leave(self, why: str) -> None:
        """Say goodbye; the run is saved (again, in case the last thing done was not a choice)."""
        if self.autosave():
            self.say(f"{why} Your game is saved; `kengir play --plain --continue` goes on from here.")

    # ------------------------------------------------------------ showing

    def show_scene(self) -> None:
        run, scene = self.run, self.run.scene
        act = self.story.acts[scene.act].title
        place = self.story.places.get(scene.place, scene.place)
        self.say()
        self.say(f"== {scene.title} ==")
        self.say(f"{act}. {pretty_date(scene.date)}. {place}.")
        new = set(run.new_notes)
        for text, note_ids in run.passages:
            if text:
                self.say()
                self.say(plain_text(text))
            for note_id in note_ids:  # the note beside the paragraph it explains
                note = self.story.notes.get(note_id)
                if note is not None and note_id in new:
                    self.say(f"[New note: {note.title} ({note.kind}). Type 'note {note_id}' to read it.]")
        if run.ended or run.finished:
            return
        self.say()
        for view in run.choices:
            if view.enabled:
                self.say(f"{view.index + 1}. {plain_text(view.text)}")
            else:
                self.say(f"{view.index + 1}. {plain_text(view.text)} (not available: {view.reason})")
        if run.stuck:
            self.say("No choice can be taken here: this is a mistake in the story. Type 'undo' or 'quit'.")

    def ask_prompts(self) -> None:
        """The reflection questions due now (Run.prompts_now: two as a scene is left, every one
        left at an ending), each put once."""
        for prompt in self.run.prompts_now:
            self.run.ask(prompt.id)
            self.say()
            self.say(f"Reflect: {prompt.text}")
            self.ask_answer(prompt.id)

    def after_arriving(self) -> None:
        """At an ending or the end of an assigned part: its questions, then what happened, the
        record, and what the player can still do."""
        run = self.run
        if self.over or not (run.ended or run.finished):
            return
        self.over = True
        self.ask_prompts()  # before the debrief, which would answer them
        if run.ended:
            self.show_debrief()
        else:
            self.say()
            self.say("This is the end of the assigned part.")
        if run.assignment is not None:
            self.write_record()
        self.autosave()
        self.say()
        self.say(AFTER_THE_END)

    def show_debrief(self) -> None:
        ending = self.run.ended
        assert ending is not None
        self.say()
        self.say(f"Ending: {ending.title}")
        self.say()
        self.say("What really happened:")
        self.say(plain_text(ending.debrief))
        found = len(self.run.state.seen)
        self.say()
        made = len(self.run.log)
        self.say(f"This run: {made} choice{'' if made == 1 else 's'} made, {found} of {len(self.story.notes)} notes found.")

    # ------------------------------------------------------------ commands

    def do_choose(self, number: int) -> None:
        if self.over:
            self.say("The story has ended here. " + AFTER_THE_END)
            return
        views = self.run.choices
        if not 1 <= number <= len(views):
            self.say(sentence(f"there is no choice {number}; there are {len(views)}"))
            return
        view = views[number - 1]
        if not view.enabled:
            self.say(sentence(f"that choice is not open: {view.reason}"))
            return
        self.ask_prompts()  # leaving the scene: its questions, now that its text has been read
        before = self.run.state.step
        self.run.take(view)
        self.autosave()
        if self.run.state.step != before:  # (the end of an assigned part enters no new scene)
            self.show_scene()
        self.after_arriving()

    def do_notes(self, arg: str) -> None:
        seen = [n for n in self.story.notes.values() if n.id in self.run.state.seen]
        if not seen:
            self.say("No notes found yet.")
        for note in seen:
            self.say(f"{note.id}: {note.title} ({note.kind})")
        hidden = len(self.story.notes) - len(seen)
        self.say(f"{len(seen)} found, {hidden} not yet found.")

    def do_note(self, arg: str) -> None:
        note = self.story.notes.get(arg)
        if note is None or note.id not in self.run.state.seen:
            self.say(f"You have not found a note '{arg}'. Type 'notes' for the list.")
            return
        self.run.open_note(note.id)
        self.say(f"{note.title} ({note.kind})")
        self.say(plain_text(note.body.strip()))
        self.say("Sources:")
        for source_id in note.sources:
            self.say(f"- {plain_text(self.story.sources[source_id].citation())}")

    def do_history(self, arg: str) -> None:
        if not self.run.log:
            self.say("No choices made yet.")
        for number, entry in enumerate(self.run.log, 1):
            self.say(f"{number}. {self.story.scenes[entry.scene].title}: {entry.text}")
        self.say(f"Now: {self.run.scene.title}")

    def do_undo(self, arg: str) -> None:
        try:
            self.run.undo()
        except RunError as err:
            self.say(sentence(str(err)))
            return
        self.over = False
        self.autosave()
        self.say("Undone.")
        self.show_scene()

    def do_save(self, arg: str) -> None:
        try:
            self.store.save(self.run, arg)
            self.say(f"Saved as '{arg}'.")
        except SaveError as err:
            self.say(str(err))

    def do_load(self, arg: str) -> None:
        try:
            self.run = self.store.load(arg, self.story)
        except SaveError as err:
            self.say(str(err))
            replay: ReplayError | None = getattr(err, "replay", None)
            if replay is not None:
                self.say(f"Continuing from the furthest point that still fits: choice {replay.step} of the save.")
                self.run = replay.run
                self.over = False
                self.show_scene()
                self.after_arriving()
            return
        self.say(f"Loaded '{arg}'.")
        self.over = False
        self.show_scene()
        self.after_arriving()

    def do_saves(self, arg: str) -> None:
        saves = self.store.list()
        if not saves:
            self.say("No saves yet.")
        for info in saves:
            self.say(f"{info.slot}: {info.title}, {pretty_date(info.date)} ({info.saved_at})")

    def do_help(self, arg: str) -> None:
        self.say(HELP)

    # ------------------------------------------------------------ reflections and records

    def ask_answer(self, prompt_id: str) -> None:
        """Read an answer: lines until an empty line (or the end of input). In free play it is
        the player's own (kept in the save); an empty line goes on without one."""
        if self.run.assignment is not None:
            self.say("Write your answer; end it with an empty line.")
        else:
            self.say("Write a few lines for yourself if you like (kept with your save); an empty line ends them, or goes on without.")
        lines = []
        while True:
            line = self.input.read()
            if not line or not line.strip():
                break
            lines.append(line.rstrip("\n"))
        if lines or self.run.assignment is not None:
            self.run.answer(prompt_id, "\n".join(lines))
            self.say("Answer kept. (Type 'revise " + prompt_id + "' to write it again.)")

    def do_answers(self, arg: str) -> None:
        if not self.run.answers:
            self.say("No answers yet.")
        for answer in self.run.answers.values():
            self.say(f"{answer.prompt}: {answer.question}")
            self.say(f"  {answer.text or '(blank)'}")

    def do_revise(self, arg: str) -> None:
        prompt = self.run.prompt(arg)
        if prompt is None or arg not in self.run.answers:
            self.say(f"There is no answer '{arg}' to revise. Type 'answers' for the list.")
            return
        self.say(f"Reflect: {prompt.text}")
        self.ask_answer(prompt.id)
        self.autosave()
        if self.record_path is not None:
            self.write_record()

    def do_record(self, arg: str) -> None:
        if self.run.assignment is None:
            self.say("Records are written for assigned sessions (kengir play --assignment FILE).")
            return
        self.write_record()

    def write_record(self) -> None:
        """Write the session's record (again over the same file, when an answer was revised)."""
        try:
            self.record_path, _, _ = write_record(self.run, self.records, self.record_path, self.clock(), self.key)
        except OSError as exc:
            self.say(f"Could not write the record to {self.records}: {exc.strerror or exc}")
            return
        self.say(f"Your record is saved: {self.record_path}")
        self.say("Hand this file to your teacher.")

    def do_quit(self, arg: str) -> str:
        self.leave("Goodbye.")
        return "quit"
