"""An assigned session in the terminal game: asking its questions, keeping the answers, and
writing its record.

The runtime decides what an assignment allows and when it is over; the record is written by
game.classroom, as plain mode writes it (same JSON, same file name), so a teacher cannot tell
which front end a student used.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen

from game.tui.game_app import GameApp
from game.tui.guard import guarded

if TYPE_CHECKING:
    from game.model import Prompt


class AssignedSession(GameApp):
    """KengirApp's side of reflection and of an assigned session: asking the questions due
    (in free play too), keeping answers, writing the record. The app sets `record_path` and
    `_settling`."""

    @work(group="reflect", exit_on_error=False)
    @guarded
    async def settle(self, then_choose: int | None = None) -> None:
        """Put the reflection questions due now to the player, by the runtime's one rule
        (Run.prompts_now), then go on.

        A scene's questions are asked as the player leaves it (`then_choose`, the choice they
        picked), never between its text and its choices; at most two, the rest as they leave
        the next scene. At an ending, or the end of an assigned part, every question still
        waiting is asked, before the debrief (the page shows it once they are done), and then
        an assigned session's record is written. A skipped question waits in Reflections."""
        from game.tui.screens.reflection import ReflectionScreen

        if self._settling:  # a question is already on the screen
            return
        run = self.current_run
        if run is None:
            return
        over = run.finished or run.ended is not None
        if then_choose is None and not over:
            return
        self._settling = True
        try:
            step = run.state.step
            for prompt in run.prompts_now:
                run.ask(prompt.id)
                text = await self.push_screen_wait(ReflectionScreen(prompt.text, kept=run.assignment is not None))
                if run is not self.current_run or run.state.step != step:
                    return  # the run changed under the question (loaded, reloaded): ask nothing more
                if text is not None:
                    self.answer_prompt(prompt.id, text)
        finally:
            self._settling = False
        if then_choose is not None:
            self.choose(then_choose)
            return
        for screen in self.screen_stack:
            if hasattr(screen, "questions_done"):
                screen.questions_done()  # the debrief, now that the questions are answered
        if run.assignment is not None and self.record_path is None:
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
        elif run.assignment is not None:
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
        for prompt in run.prompts_waiting:
            prompts.setdefault(prompt.id, prompt)
        return list(prompts.values())

    @property
    def records_folder(self) -> Path:
        from game.session.paths import records_dir

        return self.records if self.records is not None else records_dir(None, self.store.folder)

    @guarded
    def write_record(self) -> None:
        """Write the session's record (kept in the records folder), say where, and in a browser
        also hand it over as a download."""
        run = self.current_run
        if run is None or run.assignment is None:
            self.notify("Records are written for assigned sessions (kengir --assignment FILE).", timeout=5)
            return
        from game.classroom import write_record

        try:
            path, name, text = write_record(run, self.records_folder, self.record_path, key=self.sign_key)
        except OSError as err:
            where = "" if self.is_web else f" to {self.records_folder}"  # a server's folder means nothing in a browser
            self.notify(f"Could not write the record{where}: {err.strerror or err}. Tell your teacher.", severity="error", timeout=10)
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
