"""`kengir play --plain`: the whole game as plain lines, for screen readers, pipes and tests.

Shaped like Python's `cmd` module: streams are injected, each command is a `do_*` method, and
nothing here imports Textual. No box drawing, no colour: one thing a line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from game.classroom import write_record
from game.model import Story
from game.plain.line_input import LineInput
from game.runtime import ReplayError, Run, RunError
from game.saves import SaveError, SaveStore
from game.session.paths import records_dir
from game.session.texts import plain_text, pretty_date, sentence

HELP = """\
Type the number of a choice and press Enter. Other commands:
  notes        list the notes you have found
  note ID      read a note (its kind and sources too)
  history      the scenes so far and the choices you made
  undo         take back your last choice
  save NAME    save the game under NAME
  load NAME    load the game saved under NAME
  saves        list the saves
  answers      your reflection answers so far (assigned sessions)
  revise ID    write an answer again
  record       write the record of this session now (assigned sessions)
  help         this list
  quit         save automatically and leave"""


class PlainPlayer:
    """Plays one run over text streams."""

    def __init__(
        self,
        story: Story,
        run: Run,
        store: SaveStore,
        stdin: TextIO,
        stdout: TextIO,
        records: Path | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.story = story
        self.run = run
        self.store = store
        self.stdin = stdin
        self.stdout = stdout
        self.input = LineInput(stdin, stdout)
        self.records = records if records is not None else records_dir(None, store.folder)
        self.clock = clock
        self.record_path: Path | None = None

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")

    # ------------------------------------------------------------ the loop

    def play(self) -> int:
        """Play until an ending (exit 0), quit, or the end of input (autosave, exit 0)."""
        assignment = self.run.assignment
        if assignment is not None:
            self.say(f"Assignment: {assignment.title}")
            if assignment.ask_name and not self.run.student:
                self.say("Your name, for your teacher's record:")
                self.run.student = self.input.read().strip()
        self.show_scene()
        while True:
            if self.run.finished and not self.run.ended:
                self.say()
                self.say("This is the end of the assigned part.")
                self.finish_session()
                return 0
            if self.run.ended:
                self.show_ending()
                self.show_prompts()  # asked after the debrief, which the questions may draw on
                if assignment is not None:
                    self.finish_session()
                return 0
            try:
                line = self.input.read("> ")
            except KeyboardInterrupt:
                line = ""  # ctrl+c at the prompt: save and leave, like the end of input
            if not line:
                self.say()
                self.autosave("End of input.")
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

    def autosave(self, why: str) -> None:
        try:
            path = self.store.autosave(self.run)
            self.say(f"{why} Saved automatically ({path.stem}).")
        except SaveError as err:
            self.say(f"{why} Could not save: {err}")

    # ------------------------------------------------------------ showing

    def show_scene(self) -> None:
        run, scene = self.run, self.run.scene
        act = self.story.acts[scene.act].title
        place = self.story.places.get(scene.place, scene.place)
        self.say()
        self.say(f"== {scene.title} ==")
        self.say(f"{act}. {pretty_date(scene.date)}. {place}.")
        self.say()
        self.say(plain_text(run.text))
        for note_id in run.new_notes:
            note = self.story.notes[note_id]
            self.say()
            self.say(f"New note: {note.title} ({note.kind}). Type 'note {note_id}' to read it.")
        if run.ended:
            return  # the ending and its debrief come first, then any prompts (see play)
        self.show_prompts()
        if run.finished:
            return
        self.say()
        for view in run.choices:
            if view.enabled:
                self.say(f"{view.index + 1}. {plain_text(view.text)}")
            else:
                self.say(f"{view.index + 1}. {plain_text(view.text)} (not available: {view.reason})")
        if run.stuck:
            self.say("No choice can be taken here: this is a mistake in the story. Type 'undo' or 'quit'.")

    def show_prompts(self) -> None:
        run = self.run
        for prompt in run.prompts_due:
            self.say()
            self.say(f"Reflect: {prompt.text}")
            if run.assignment is not None and prompt.id not in run.answers:
                run.ask(prompt.id)
                self.ask_answer(prompt.id)

    def show_ending(self) -> None:
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
        before = self.run.state.step
        try:
            self.run.choose(number - 1)
        except RunError as err:
            self.say(sentence(str(err)))
            return
        if self.run.state.step == before:  # the assigned part ended here: no new scene to show
            self.show_prompts()
            return
        self.show_scene()

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
                self.show_scene()
            return
        self.say(f"Loaded '{arg}'.")
        self.show_scene()

    def do_saves(self, arg: str) -> None:
        saves = self.store.list()
        if not saves:
            self.say("No saves yet.")
        for info in saves:
            self.say(f"{info.slot}: {info.title}, {pretty_date(info.date)} ({info.saved_at})")

    def do_help(self, arg: str) -> None:
        self.say(HELP)

    # ------------------------------------------------------------ an assigned session

    def ask_answer(self, prompt_id: str) -> None:
        """Read an answer: lines until an empty line (or the end of input)."""
        self.say("Write your answer; end it with an empty line.")
        lines = []
        while True:
            line = self.input.read()
            if not line or not line.strip():
                break
            lines.append(line.rstrip("\n"))
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

    def do_record(self, arg: str) -> None:
        if self.run.assignment is None:
            self.say("Records are written for assigned sessions (kengir play --assignment FILE).")
            return
        self.write_record()

    def write_record(self) -> None:
        """Write the session's record (again over the same file, when an answer was revised)."""
        try:
            self.record_path, _, _ = write_record(self.run, self.records, self.record_path, self.clock())
        except OSError as exc:
            self.say(f"Could not write the record to {self.records}: {exc.strerror or exc}")
            return
        self.say(f"Your record is saved: {self.record_path}")
        self.say("Hand this file to your teacher.")

    def finish_session(self) -> None:
        self.write_record()
        self.autosave("Session over.")

    def do_quit(self, arg: str) -> str:
        self.autosave("Goodbye.")
        return "quit"
