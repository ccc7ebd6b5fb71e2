"""KengirApp: holds the story, the save store, the player's settings and the run in play.

Screens read `app.current_run` and ask the app to act on it (choose, undo, load), so the run
outlives any screen and a failing handler never loses it. Every run-changing action autosaves,
which is why ctrl+q at any moment loses nothing.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from game.session.paths import meta_dir
from game.session.player_files import Settings, endings_found, record_ending
from game.tui.assigned import AssignedSession
from game.tui.game_app import LaunchError
from game.tui.guard import guarded, player_message
from game.tui.reload import LiveReload

if TYPE_CHECKING:  # the engine is imported after the first frame (see `loader`)
    from concurrent.futures import Future, ThreadPoolExecutor

    from game.model import Story
    from game.runtime import Assignment, Run
    from game.saves import SaveStore
    from game.tui.watcher import StoryWatcher


ScreenT = TypeVar("ScreenT")

SAVE_AT_THE_LATEST = 0.25  # seconds after a change: its autosave is handed to the writer thread
SCREEN_STYLES = "screens.tcss"  # beside kengir.tcss, read after the first frame (load_screen_styles)


class KengirApp(LiveReload, AssignedSession):
    """The terminal game."""

    TITLE = "Kengir: Forty Days"
    CSS_PATH = "kengir.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, tooltip="Leave the game; the last autosave keeps your place"),
        Binding("f1,question_mark", "help", "Help", id="help", key_display="?", tooltip="Every key, on one page"),
        Binding("f2", "settings", "Settings", id="settings", show=False, tooltip="Theme, intensity, animations"),
    ]

    def __init__(
        self,
        story: Story | None,
        store: SaveStore | None,
        settings_path: Path | None = None,
        *,
        seed: int | None = None,
        perspective: str | None = None,
        intensity: str | None = None,
        resume: bool = False,
        loader: Callable[[], tuple[Story, SaveStore]] | None = None,
        configure: Callable[[Story], dict[str, Any]] | None = None,
        assignment: Assignment | None = None,
        student: str = "",
        records: Path | None = None,
        start: str | None = None,
        variables: Mapping[str, object] | None = None,
        watch: Path | None = None,
        reload_interval: float = 0.75,
        collector_paused: bool = False,
    ):
        """Either `story` and `store`, or a `loader` giving both, called once the title is painted.

        `configure(story)` gives, once the story is loaded, any of the keyword arguments below
        that need it (the launcher's assignment, --set values, the folder to watch):
        `assignment` a teacher's assignment (with `student` from --name, `records` the folder
        for records); `start` and `variables` where and how a writer's run begins (--from,
        --set); `watch` a story folder to reload when its files change. `collector_paused`: the
        launcher turned the garbage collector off before importing Textual (cli._terminal_game);
        the app turns it on once the story is loaded (story_ready).
        """
        super().__init__()
        self.collector_paused = collector_paused
        # None only until `loader` has run: every screen that reads them comes after.
        self.story = cast("Story", story)
        self.store = cast("SaveStore", store)
        self.loader = loader
        self.launch_error: LaunchError | None = None
        if settings_path is None:
            assert store is not None
            settings_path = meta_dir(store.folder) / "settings.json"
        self.settings_path = settings_path
        self.endings_path = self.settings_path.parent / "endings.json"
        self.settings = Settings.load(self.settings_path)
        self.seed = seed
        self.perspective_arg = perspective
        self.intensity_arg = intensity
        self.resume = resume
        self.current_run: Run | None = None
        self.configure = configure
        self.configure_session(assignment=assignment, student=student, records=records, start=start, variables=variables, watch=watch)
        self.reload_interval = reload_interval
        self.watcher: StoryWatcher | None = None
        # The assigned session in play: its record once written, and which questions were already
        # put to the student here (the run itself keeps which were asked: a skipped one waits in Reflections).
        self.record_path: Path | None = None
        self._settling = False
        self._saver: ThreadPoolExecutor | None = None
        self._pending_save: Future[Path] | None = None
        self._unsubmitted: list[Callable[[], Path]] = []  # autosaves taken, waiting for their frame

    def configure_session(
        self,
        *,
        perspective: str | None = None,
        assignment: Assignment | None = None,
        student: str = "",
        records: Path | None = None,
        start: str | None = None,
        variables: Mapping[str, object] | None = None,
        watch: Path | None = None,
        sign_key: bytes | None = None,
    ) -> None:
        self.assignment = assignment
        self.sign_key = sign_key  # a lab server's key (kengir serve): records are signed with it
        self.student_arg = student
        self.records = records
        self.start_arg = start
        self.variables = dict(variables or {})
        self.watch_root = watch
        if perspective is not None:  # the launcher's --perspective, now checked against the story
            self.perspective_arg = perspective

    # ------------------------------------------------------------ start-up

    def get_default_screen(self) -> Screen:
        from game.tui.screens.title import TitleScreen

        return self._sized(TitleScreen())

    # A new screen gets its width's class (-narrow, -wide) before it is styled. Textual adds it
    # on the screen's first resize, just after it is shown, and then styles every widget of the
    # screen a second time: 5-15 ms of processor time for each screen opened (a lab's forked
    # games opened three of them to start, and the terminal's title one before its first frame).

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        return super().push_screen(self._sized(screen), *args, **kwargs)

    def switch_screen(self, screen: Any) -> Any:
        return super().switch_screen(self._sized(screen))

    def _sized(self, screen: ScreenT) -> ScreenT:
        width = self.size.width
        if isinstance(screen, Screen) and not screen.is_attached and width:
            shown = next((name for at, name in sorted(self.HORIZONTAL_BREAKPOINTS, reverse=True) if width >= at), None)
            # (not styled now: it is styled as it is mounted)
            screen.update_classes({name: name == shown for _, name in self.HORIZONTAL_BREAKPOINTS}, update=False)
        return screen

    def on_mount(self) -> None:
        self.apply_settings()
        self.watch_terminal()
        if self.is_web:
            # In a browser the page's own loading hides the first frame's few milliseconds, and
            # reading the rest later would style every widget a second time (a lab's games start
            # together): all at once. (A forked game finds both files already parsed.)
            self.load_screen_styles()
        if self.loader is not None:
            self.call_after_refresh(self.finish_loading)
        else:
            self.load_screen_styles()
            self.story_ready()

    def load_screen_styles(self) -> None:
        """Read the styles of every screen but the title (screens.tcss), before any is shown.
        The first frame needs only kengir.tcss: parsing the rest, and styling the title with it,
        took 4 ms of a 200 ms start-up, done instead once the title is painted."""
        path = Path(__file__).with_name(SCREEN_STYLES)
        if self.stylesheet.has_source(str(path), ""):
            return
        self.stylesheet.read(path)
        self.refresh_css(animate=False)

    def watch_terminal(self) -> None:
        """Leave, saved, when the terminal hangs up without a SIGHUP (see hangup.py)."""
        from game.tui.hangup import CHECK_EVERY, hang_up_check, terminal_fd

        fd = None if self.is_web else terminal_fd()
        hung_up = hang_up_check(fd) if fd is not None else None
        if hung_up is None:  # no terminal, or a system where nothing can tell (Windows)
            return

        def check() -> None:
            if hung_up():
                self.exit()  # as quitting: the autosave is flushed first

        self.set_interval(CHECK_EVERY, check, name="hangup-watch")

    def finish_loading(self) -> None:
        """Load the story behind the painted title; keys pressed meanwhile wait their turn."""
        from game.tui.screens.title import TitleScreen

        assert self.loader is not None
        self.load_screen_styles()
        try:
            self.story, self.store = self.loader()
            if self.configure is not None:
                self.configure_session(**self.configure(self.story))
        except LaunchError as error:
            self.launch_error = error
            self.exit(return_code=error.code)
            return
        self.loader = None
        title = self.screen_stack[0] if self.screen_stack else None
        if isinstance(title, TitleScreen):
            title.story_loaded()
        self.story_ready()

    def story_ready(self) -> None:
        """The story is loaded: watch it (writers), then jump in (--from) or continue (--continue)."""
        if self.collector_paused:
            # The collector has been off since the launcher imported Textual. One collection
            # now, while the player looks at the title, frees the start's garbage; then what is
            # left (the story, Textual, the app) is set aside from the collector, whose full
            # passes went through it all during play (20-30 ms, a key now and then waited that
            # long). Freed by reference counting as ever. On from here for what the game makes.
            self.collector_paused = False
            gc.collect()
            gc.freeze()
            gc.enable()
        self.start_watching()
        if self.start_arg:
            self.action_new_game()
        elif self.resume:
            self.action_continue()

    # ------------------------------------------------------------ runs

    def show_run(self, run: Run, *, autosave: bool = True) -> None:
        """Make `run` the one in play: drop every screen above the title, then show it."""
        if run is not self.current_run:  # a new session: nothing asked or recorded yet
            self.record_path = None
        self.current_run = run
        if autosave:
            self.autosave()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(self.screen_for(run)())
        self.settle()

    @staticmethod
    def screen_for(run: Run) -> type[Screen[None]]:
        """The screen that shows `run`: its ending, the end of its assigned part, or play."""
        from game.tui.screens.ending import EndingScreen
        from game.tui.screens.finished import FinishedScreen
        from game.tui.screens.play import PlayScreen

        return EndingScreen if run.ended else FinishedScreen if run.finished else PlayScreen

    def autosave(self) -> None:
        """Autosave the run: its content now, the file written on a background thread once the
        frame this change brings is on the screen.

        Writing (with two fsyncs) on the event loop delayed the next scene by whole frames now
        and then. Written at once on the thread, its JSON took turns with drawing the new scene
        (about 1 ms a key, more as the log grows), so the writing starts after the frame. One
        writer thread keeps the autosaves in order; `flush_saves` hands over those still waiting
        and waits for them all, and the interpreter joins the thread before it exits, so
        quitting loses nothing.
        """
        if self.current_run is None:
            return
        self._unsubmitted.append(self.store.autosave_later(self.current_run))
        self.call_after_refresh(self._submit_saves)
        # A screen closed before it repaints drops what was to run after its refresh: a quarter
        # of a second at the latest, then.
        try:
            asyncio.get_running_loop().call_later(SAVE_AT_THE_LATEST, self._submit_saves)
        except RuntimeError:  # no event loop (the app is not running): at once
            self._submit_saves()

    def _submit_saves(self) -> None:
        """Hand the autosaves taken so far to the writer thread, in the order they were taken
        (one at a time: one that cannot be handed over stays for flush_saves)."""
        while self._unsubmitted:
            if self._saver is None:
                from concurrent.futures import ThreadPoolExecutor

                self._saver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
            self._pending_save = self._saver.submit(self._unsubmitted[0])
            del self._unsubmitted[0]
            self._pending_save.add_done_callback(self._saved)

    def _saved(self, future: Future[Path]) -> None:
        from game.saves import SaveError

        error = future.exception()
        if isinstance(error, SaveError):
            # (notify posts a message, which is safe from this thread and never waits: the event
            # loop may itself be waiting for this thread, closing the app)
            self.notify(player_message(self, f"Could not autosave: {error}"), severity="warning", timeout=8)

    def _handle_exception(self, error: Exception) -> None:
        """An error nothing else caught: log it with its traceback, keep the autosave, and leave
        with one readable line instead of a traceback on the player's screen."""
        from game.tui.crash import one_line, write_crash_log

        log = write_crash_log(self.logs_folder, error, self.where_we_are())
        try:
            # Through the writer thread, after what it is writing: two writers at once could
            # both pick the next autosave's number.
            self.autosave()
            self.flush_saves()
        except Exception:  # noqa: BLE001 - the older autosaves are still there
            pass
        if self._running:  # Textual's own flag: the app is up and can still exit cleanly
            self.flush_saves()
            super().exit(return_code=1, message=one_line(error, log, self.is_web))
        else:
            super()._handle_exception(error)

    @property
    def logs_folder(self) -> Path:
        return self.settings_path.parent / "logs"

    def where_we_are(self) -> str:
        run = self.current_run
        if run is None:
            return "no run in progress"
        return f"scene {run.scene.id}, {len(run.log)} choices made, seed {run.seed}, story {run.story.fingerprint}"

    def exit(self, result: None = None, return_code: int = 0, message: Any = None) -> None:
        self.flush_saves()  # ctrl+q right after a choice: its autosave is on disk before we go
        super().exit(result, return_code, message)

    def flush_saves(self) -> None:
        """Wait until every autosave taken so far is on disk."""
        self._submit_saves()
        if self._pending_save is not None:
            self._pending_save.exception()  # waits; a failure was already reported

    def on_unmount(self) -> None:
        """The app is closing: its autosaves are on disk, and its writer thread ends with it (a
        thread left behind would keep the process that ran the app from forking safely)."""
        self.flush_saves()
        if self._saver is not None:
            self._saver.shutdown(wait=True)
            self._saver = None

    @guarded
    def choose(self, index: int) -> None:
        """Take choice `index` of `run.choices`; a closed choice says why, and nothing changes."""
        run = self.current_run
        if run is None:
            return
        views = run.choices
        if not 0 <= index < len(views):
            return
        if not views[index].enabled:
            self.clear_notifications()  # pressing it again should not pile up the same message
            self.notify(views[index].reason or "That choice is not open.", title="Not now", timeout=5)
            return
        if run.prompts_now:  # leaving the scene: its questions first, then the choice is taken
            self.settle(then_choose=index)
            return
        run.take(views[index])  # the views just shown: not worked out again
        self.autosave()
        self.after_change()

    def after_change(self) -> None:
        """Show the run's new state on the screen in play (or its ending), then ask what is due."""
        from game.tui.screens.play import PlayScreen

        run = self.current_run
        if run is None:
            return
        wanted = self.screen_for(run)
        if wanted is PlayScreen and not isinstance(self.screen, PlayScreen):
            self.show_run(run, autosave=False)
            return
        if not isinstance(self.screen, wanted):
            self.switch_screen(wanted())
        elif isinstance(self.screen, PlayScreen):
            self.screen.refresh_scene()
        self.settle()

    def record_ending(self) -> set[str]:
        """Remember the ending reached (across all runs on this machine); return all found."""
        run = self.current_run
        if run is None or run.ended is None:
            return endings_found(self.endings_path)
        try:
            return record_ending(self.endings_path, run.ended.id)
        except OSError:
            return endings_found(self.endings_path) | {run.ended.id}

    def new_seed(self) -> int:
        from game.runtime import new_seed

        return self.seed if self.seed is not None else new_seed()

    # ------------------------------------------------------------ actions (keys and palette)

    @work(exclusive=True, group="new-game", exit_on_error=False)
    @guarded
    async def action_new_game(self) -> None:
        """Content note (first time only), perspective, the student's name (if the assignment
        asks it), then the first scene (or --from's)."""
        from game.runtime import Run
        from game.tui.screens.content_note import ContentNoteScreen
        from game.tui.screens.name import NameScreen
        from game.tui.screens.perspective import PerspectiveScreen

        assignment = self.assignment
        fixed = assignment.intensity if assignment is not None and assignment.intensity != "student" else ""
        intensity = self.intensity_arg or self.settings.intensity
        if not self.settings.content_note_seen and not self.start_arg:  # (--from: a writer testing a scene)
            chosen = await self.push_screen_wait(ContentNoteScreen(fixed or intensity, fixed=bool(fixed)))
            if chosen is None:
                return
            if not fixed:
                intensity = chosen
                self.settings.intensity = chosen
            self.settings.content_note_seen = True
            self.save_settings()
        perspective = self.perspective_arg
        allowed = [p for p in self.story.perspectives if assignment is None or assignment.allows(p)]
        # From the beginning with every perspective open, the story's opening scene comes first:
        # who is real in this game, then whom to follow (its choices). An assignment that starts
        # later, or allows only some, asks here instead.
        opening = assignment is None or (not assignment.start and len(allowed) == len(self.story.perspectives))
        if perspective is None and assignment is not None and len(allowed) == 1:
            perspective = allowed[0]  # the teacher chose it: nothing to ask
        elif perspective is None and allowed and not self.start_arg and not opening:  # --from: the writer chose the scene
            perspective = await self.push_screen_wait(PerspectiveScreen(self.story, allowed))
            if perspective is None:
                return
        student: str | None = self.student_arg
        if assignment is not None and assignment.ask_name and not student:
            student = await self.push_screen_wait(NameScreen(assignment.title))
            if student is None:
                return
        run = Run.start(
            self.story,
            seed=self.new_seed(),
            perspective=perspective or None,
            intensity=intensity,
            start=self.start_arg or None,
            variables=self.variables or None,
            assignment=assignment,
            student=student or "",
        )
        self.show_run(run)
        if run.caught_up:
            from game.session.texts import STARTS_LATER

            self.notify(STARTS_LATER, title="Starting later in the story", timeout=15)

    def continuable_run(self) -> Run | None:
        """The latest autosave, unless its session is over (an ending, or the end of the
        assigned part) or it belongs to another assignment than the one given."""
        if self.store is None or self.story is None:
            return None
        return self.store.continuable(self.story, self.assignment.id if self.assignment is not None else None)

    @guarded
    def action_continue(self) -> None:
        run = self.continuable_run()
        if run is None:
            self.notify("There is no game in progress to continue.", timeout=5)
            return
        self.show_run(run, autosave=False)

    @guarded
    def load_slot(self, slot: str) -> None:
        """Load a named save or an autosave; a save from an edited story resumes where it still fits."""
        from game.saves import SaveError

        try:
            run = self.store.load(slot, self.story)
        except SaveError as err:
            replay = getattr(err, "replay", None)
            if replay is None:
                raise
            self.notify(player_message(self, f"{err}. Continuing from choice {replay.step} of the save."), severity="warning", timeout=10)
            run = replay.run
        self.show_run(run)
        self.notify(f"Loaded '{slot}'.", timeout=3)

    @guarded
    def action_undo(self) -> None:
        run = self.current_run
        if run is None:
            return
        run.undo()
        self.autosave()
        self.after_change()

    def _with_run(self) -> bool:
        """Whether a run is in play (the notes, glossary, people, timeline and history need
        one); says so when not."""
        if self.current_run is None:
            self.notify("Start or continue a game first.", timeout=4)
            return False
        return True

    @guarded
    def action_notes(self, note_id: str = "") -> None:
        from game.tui.screens.notes import NotesScreen

        if self._with_run():
            self.push_screen(NotesScreen(note_id=note_id))

    @guarded
    def action_reflections(self) -> None:
        from game.tui.screens.reflection import ReflectionsScreen

        if self.current_run is None or not self.reflection_prompts():
            self.notify("No reflection questions yet: they come as you leave a scene.", timeout=4)
        elif not isinstance(self.screen, ReflectionsScreen):
            self.push_screen(ReflectionsScreen())

    def action_write_record(self) -> None:
        self.write_record()

    @guarded
    def action_glossary(self) -> None:
        from game.tui.screens.glossary import GlossaryScreen

        if self._with_run():
            self.push_screen(GlossaryScreen())

    @guarded
    def action_people(self) -> None:
        from game.tui.screens.people import PeopleScreen

        if self._with_run():
            self.push_screen(PeopleScreen())

    @guarded
    def action_timeline(self) -> None:
        from game.tui.screens.timeline import TimelineScreen

        if self._with_run():
            self.push_screen(TimelineScreen())

    @guarded
    def action_history(self) -> None:
        from game.tui.screens.history import HistoryScreen

        if self._with_run():
            self.push_screen(HistoryScreen())

    @guarded
    def action_save(self) -> None:
        from game.tui.screens.saves import SavesScreen

        self.push_screen(SavesScreen(saving=self.current_run is not None))

    @guarded
    def action_load(self) -> None:
        from game.tui.screens.saves import SavesScreen

        self.push_screen(SavesScreen(saving=False))

    @guarded
    def action_help(self) -> None:
        from game.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    @guarded
    def action_settings(self) -> None:
        from game.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The game's own commands first; then Textual's, without its keys panel (which
        squeezes the footer and duplicates Help) and the maximise commands."""
        run = self.current_run
        if run is not None:
            yield SystemCommand("Notes", "The historical notes you have found", self.action_notes)
            yield SystemCommand("Glossary", "Words the story uses", self.action_glossary)
            yield SystemCommand("People", "Historical and composite people", self.action_people)
            yield SystemCommand("Timeline", "The real events of 1954, and where you are", self.action_timeline)
            yield SystemCommand("History", "The scenes of this run and the choices you made", self.action_history)
            yield SystemCommand("Save", "Save this game under a name", self.action_save)
            if run.can_undo:
                yield SystemCommand("Undo", "Take back your last choice", self.action_undo)
            if self.reflection_prompts():
                yield SystemCommand("Reflections", "Your answers so far: read, write or revise them", self.action_reflections)
            if run.assignment is not None:
                yield SystemCommand("Write my record now", "Save the record of this session for your teacher", self.action_write_record)
        yield SystemCommand("Load", "Load a saved game", self.action_load)
        yield SystemCommand("Help", "Every key, on one page", self.action_help)
        yield SystemCommand("Settings", "Theme, intensity of violent scenes, animations", self.action_settings)
        for command in super().get_system_commands(screen):
            if command.title not in ("Keys", "Maximize", "Minimize"):
                yield command
