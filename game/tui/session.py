"""An assigned session in the terminal game: its progress line and its record.

The engine decides what an assignment allows and when it is over; this module only says it on
the screen and writes the record the way plain mode does (same JSON, same file name), so a
teacher cannot tell which front end a student used.
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen

from .guard import guarded

if TYPE_CHECKING:
    from ..engine import Prompt, Run, Story
    from ..engine.assignment import Assignment


def assigned_acts(story: Story, assignment: Assignment, first_scene: str) -> list[str]:
    """The acts the assignment covers, in story order: from the act play began in up to the
    act named by `until` (not included) or the act of the `until` scene (included)."""
    acts = sorted(story.acts.values(), key=lambda a: a.order)
    low = story.acts[story.scenes[first_scene].act].order
    high = None
    if assignment.until in story.acts:
        high = story.acts[assignment.until].order - 1
    elif assignment.until in story.scenes:
        high = story.acts[story.scenes[assignment.until].act].order
    return [a.id for a in acts if a.order >= low and (high is None or a.order <= high)]


def progress_line(run: Run) -> str:
    """'Assignment: The strike — act 1 of 2', or '' for free play.

    Counted in acts because they are what the teacher named; a perspective that skips an act
    still counts it, so the number can jump, but it never claims more than was played.
    """
    assignment = run.assignment
    if assignment is None:
        return ""
    first = run.log[0].scene if run.log else run.state.scene
    acts = assigned_acts(run.story, assignment, first)
    line = f"Assignment: {assignment.title}"
    if run.scene.act in acts and len(acts) > 0:
        line += f" — act {acts.index(run.scene.act) + 1} of {len(acts)}"
    if run.student:
        line += f" · {run.student}"
    return line


def record_text(run: Run, finished_at: float | None = None) -> tuple[str, str]:
    """(file name, JSON text) of the run's record, as plain mode writes it."""
    from ..engine.record import build_record
    from ..plain import record_name

    record = build_record(run, finished_at=time.time() if finished_at is None else finished_at)
    return record_name(record), json.dumps(record, indent=1, ensure_ascii=False)


def write_record(run: Run, folder: Path, path: Path | None = None) -> tuple[Path, str, str]:
    """Write the record into `folder` (or over `path`, the session's earlier record, so that a
    revised answer does not leave the teacher two records). Returns (path, name, text);
    raises OSError."""
    from ..engine.saves import write_atomic

    name, text = record_text(run)
    target = path if path is not None else folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text)
    return target, target.name, text


class AssignedSession:
    """KengirApp's side of an assigned session: asking the questions due, keeping answers,
    writing the record. The app sets `record_path`, `_asked` and `_settling`."""

    def unasked(self, run: Run) -> list[Prompt]:
        """Questions due now that the student has neither answered nor been asked here."""
        if run.assignment is None:
            return []
        return [p for p in run.prompts_due if p.id not in run.answers and (run.state.step, p.id) not in self._asked]

    @work(group="reflect", exit_on_error=False)
    @guarded
    async def settle(self, then_choose: int | None = None) -> None:
        """Put the reflection questions due to the student, then go on.

        A scene's questions are asked when the student leaves it (`then_choose`, the choice
        they picked), so that the text they are about is read first and not hidden by the
        question; once the assigned part is over they are asked at once, and the record is
        written after them. Each question is put once per scene: a skipped one waits in
        Reflections. Free play shows questions in the text only (PlayScreen) and asks nothing.
        """
        from .screens.reflection import ReflectionScreen

        if self._settling:  # a question is already on the screen
            return
        run = self.current_run
        if run is None or run.assignment is None:
            return
        over = run.finished or run.ended is not None
        if then_choose is None and not over:
            return
        self._settling = True
        try:
            step = run.state.step
            for prompt in self.unasked(run):
                self._asked.add((step, prompt.id))
                run.ask(prompt.id)
                text = await self.push_screen_wait(ReflectionScreen(prompt.text))
                if run is not self.current_run or run.state.step != step:
                    return  # the run changed under the question (loaded, reloaded): ask nothing more
                if text is not None:
                    self.answer_prompt(prompt.id, text)
        finally:
            self._settling = False
        if then_choose is not None:
            self.choose(then_choose)
        elif self.record_path is None:
            self.write_record()

    def answer_prompt(self, prompt_id: str, text: str) -> None:
        """Keep an answer (or a revision); a record already written is written again with it."""
        run = self.current_run
        if run is None:
            return
        run.answer(prompt_id, text)
        self.autosave()
        if self.record_path is not None:
            self.write_record()
        else:
            self.notify("Answer kept. You can revise it in Reflections (r).", timeout=3)

    def reflection_prompts(self) -> list[Prompt]:
        """The questions of this session so far (asked, answered, or due here), in order."""
        run = self.current_run
        if run is None:
            return []
        prompts: dict[str, Prompt] = {}
        for prompt_id in run.prompts_asked:  # kept in the run: a skipped question survives Continue
            prompt = run.prompt(prompt_id)
            if prompt is not None:
                prompts[prompt.id] = prompt
        if run.assignment is not None:
            for prompt in run.prompts_due:
                prompts.setdefault(prompt.id, prompt)
        return list(prompts.values())

    @property
    def records_folder(self) -> Path:
        return self.records or self.store.folder / "records"

    @guarded
    def write_record(self) -> None:
        """Write the session's record (kept in the records folder), say where, and in a browser
        also hand it over as a download."""
        run = self.current_run
        if run is None or run.assignment is None:
            self.notify("Records are written for assigned sessions (kengir --assignment FILE).", timeout=5)
            return
        try:
            path, name, text = write_record(run, self.records_folder, self.record_path)
        except OSError as err:
            where = "" if self.is_web else f" to {self.records_folder}"  # a server's folder means nothing in a browser
            self.notify(f"Could not write the record{where}: {err.strerror or err}. Tell your teacher.",
                        severity="error", timeout=10)
            return
        self.record_path = path
        self.autosave()
        if self.is_web:
            # In a browser the path is on the server, which the student cannot open: the record
            # comes to them as a download, and the teacher has the server's copy.
            # (In a terminal deliver_text would copy it to ~/Downloads as well: one copy is enough.)
            self.notify(f"Your record is downloading as {name}; your teacher also has a copy.", title="Record", timeout=8)
            self.deliver_text(io.StringIO(text), save_filename=name)
        else:
            self.notify(f"Your record is saved: {path}", title="Record", timeout=8)
        for screen in self.screen_stack:
            self.show_record_line(screen)

    def show_record_line(self, screen: Screen[Any]) -> None:
        """Fill a screen's #record-line (ending, end of the assigned part) once there is a record."""
        from textual.widgets import Static

        if self.record_path is None:
            return
        if hasattr(screen, "record_written"):
            screen.record_written()
        if self.is_web:
            said = f"Your record: {self.record_path.name}, downloaded by your browser.\nYour teacher has a copy too."
        else:
            said = f"Your record: {self.record_path}\nHand this file to your teacher."
        for line in screen.query("#record-line").results(Static):
            line.update(said)
            line.remove_class("-empty")
