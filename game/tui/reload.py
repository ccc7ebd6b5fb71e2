"""Live reload for writers: the story reloaded when its files change (watcher.py says when),
the run in play replayed on it, or the story's errors shown and the run left as it was."""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.tui.game_app import GameApp
from game.tui.guard import guarded
from game.tui.watcher import StoryWatcher

if TYPE_CHECKING:
    from game.model import Story


class LiveReload(GameApp):
    """KengirApp's live reload: `watch_root`, `reload_interval` and `watcher` are set by the app."""

    def start_watching(self) -> None:
        if self.watch_root is None or self.watcher is not None:
            return
        self.watcher = StoryWatcher(self.watch_root)
        self.set_interval(self.reload_interval, self.check_story_files, name="story-watcher")

    @guarded
    def check_story_files(self) -> None:
        """Reload the story if its files changed; a story that does not load shows its errors
        and changes nothing."""
        from game.format import load_story
        from game.model import StoryError
        from game.tui.screens.story_errors import StoryErrorsScreen

        if self.watch_root is None or self.watcher is None or not self.watcher.changed():
            return
        try:
            story = load_story(self.watch_root)
        except StoryError as err:
            if isinstance(self.screen, StoryErrorsScreen):
                self.screen.show(err.problems)
            else:
                self.push_screen(StoryErrorsScreen(err.problems, str(self.watch_root)))
            return
        if isinstance(self.screen, StoryErrorsScreen):
            self.pop_screen()
        self.story_reloaded(story)

    def story_reloaded(self, story: Story) -> None:
        """Continue the run in play on the new story by replaying its log; a run that no longer
        fits is kept as it was (on the old story), and the message says where it parted."""
        from game.format import assignment_from_dict
        from game.model import StoryError
        from game.runtime import ReplayError, RunError
        from game.saves import restore
        from game.tui.screens.play import PlayScreen

        self.story = story
        if self.assignment is not None:
            try:
                self.assignment = assignment_from_dict(self.assignment.to_dict(), story)
            except StoryError as err:
                self.notify(f"The assignment no longer fits the edited story: {err}", severity="warning", timeout=8)
        run = self.current_run
        if run is None:
            self.notify("Story reloaded.", timeout=2)
            return
        try:
            new = restore(story, run.to_dict())
        except (ReplayError, RunError) as err:
            self.notify(
                f"Story reloaded, but this game no longer fits it: {err}. You go on in the story as it was; a new game uses the new one.",
                severity="warning",
                timeout=12,
            )
            return
        self.current_run = new
        self.autosave()
        if isinstance(self.screen, PlayScreen):
            self.screen.refresh_scene()
        self.notify("Story reloaded; you are where you were.", timeout=2)
