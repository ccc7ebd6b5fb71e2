"""Live reload for writers: notice that a story file changed on disk.

The app polls (`App.set_interval`) rather than subscribing to file-system events. A story is a
few dozen YAML files, so reading their mtimes and sizes twice a second costs well under a
millisecond, works the same on every OS and file system (network mounts and editors that
replace files included), and needs no new dependency such as watchfiles.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .guard import guarded, player_message

if TYPE_CHECKING:
    from ..engine import Story

Signature = dict[str, tuple[int, int]]


def reload_wanted(story_path: Path, explicit: bool) -> bool:
    """Watch a story a writer can edit: one given with --story/KENGIR_STORY or the checkout's,
    never the copy inside an installed package; KENGIR_RELOAD=off switches it off."""
    from ..locations import PACKAGE

    if os.environ.get("KENGIR_RELOAD", "").lower() in ("off", "0", "no", "false"):
        return False
    if explicit:
        return True
    try:
        return not story_path.resolve().is_relative_to(PACKAGE)
    except OSError:
        return False


class StoryWatcher:
    """Remembers the story files' (mtime, size) and says when they differ."""

    def __init__(self, root: Path):
        self.root = root
        self.signature = self.read()

    def read(self) -> Signature:
        from ..engine.loader import story_files

        signature: Signature = {}
        try:
            files = story_files(self.root)
        except OSError:
            return signature
        for path in files:
            try:
                stat = path.stat()
            except OSError:  # removed between listing and stat: it counts as a change next time
                continue
            signature[str(path)] = (stat.st_mtime_ns, stat.st_size)
        return signature

    def changed(self) -> bool:
        """True (once) when a file was added, removed or rewritten since the last call."""
        now = self.read()
        if now == self.signature:
            return False
        self.signature = now
        return True


class LiveReload:
    """KengirApp's live reload: `watch_root`, `reload_interval` and `watcher` are set by the app."""

    # (the attributes and methods of App used here: story, current_run, screen, set_interval,
    # push_screen, pop_screen, notify, autosave, assignment)

    def start_watching(self) -> None:
        if self.watch_root is None or self.watcher is not None:
            return
        self.watcher = StoryWatcher(self.watch_root)
        self.set_interval(self.reload_interval, self.check_story_files, name="story-watcher")

    @guarded
    def check_story_files(self) -> None:
        """Reload the story if its files changed; a story that does not load shows its errors
        and changes nothing."""
        from ..engine import StoryError, load_story
        from .screens.story_errors import StoryErrorsScreen

        if self.watcher is None or not self.watcher.changed():
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
        from ..engine import ReplayError, RunError, StoryError
        from ..engine.assignment import assignment_from_dict
        from .screens.play import PlayScreen

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
            new = type(run).from_dict(story, run.to_dict())
        except (ReplayError, RunError) as err:
            self.notify(f"Story reloaded, but this game no longer fits it: {err}. You go on in the story "
                        "as it was; a new game uses the new one.", severity="warning", timeout=12)
            return
        self.current_run = new
        self.autosave()
        if isinstance(self.screen, PlayScreen):
            self.screen.refresh_scene()
        self.notify("Story reloaded; you are where you were.", timeout=2)

    def apply_settings(self) -> None:
        """Theme and animations from the settings (an unknown theme name is ignored)."""
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.animation_level = "full" if self.settings.animations else "none"

    def save_settings(self) -> None:
        try:
            self.settings.save(self.settings_path)
        except OSError as err:
            self.notify(player_message(self, f"Could not keep the settings: {err}"), severity="warning")
