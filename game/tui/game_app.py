"""GameApp: what the game's screens, widgets and the app's own mixins may use of the app.

The state the app holds is declared here (KengirApp sets it), and so are the actions screens
call (KengirApp and its mixins define them). A screen gets the app typed with Textual's getter,

    class PlayScreen(Screen[None]):
        app = getters.app(GameApp)

so mypy checks every `self.app.current_run`, and neither the screens nor this module import
the app itself: KengirApp imports its screens, and they only know this base.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.screen import Screen

from game.session.player_files import Settings

if TYPE_CHECKING:  # the engine is imported after the first frame (see KengirApp.loader)
    from game.model import Prompt, Story
    from game.runtime import Assignment, Run
    from game.saves import SaveStore
    from game.tui.watcher import StoryWatcher


class LaunchError(Exception):
    """The story cannot be played; `message` goes to stderr once the terminal is restored."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.message = message
        self.code = code


class GameApp(App[None]):
    """The terminal game's app, as its parts see it (KengirApp is the one made)."""

    # The story and the player's files: set once the story is loaded (before, the title only).
    story: Story
    store: SaveStore
    settings: Settings
    settings_path: Path
    # The run in play, and the teacher's assignment it belongs to (if any).
    current_run: Run | None
    assignment: Assignment | None
    records: Path | None  # where records go (None: the save folder's records/)
    sign_key: bytes | None  # the lab server's key that signs records (None: unsigned)
    record_path: Path | None  # this session's record, once written
    _settling: bool  # a reflection question is on the screen now
    # A writer's live reload: the folder watched, how often, and the watcher.
    watch_root: Path | None
    reload_interval: float
    watcher: StoryWatcher | None

    @property
    def in_play(self) -> Run:
        """The run in play, for the screens that exist only while there is one (play, notes,
        an ending, reflections...)."""
        assert self.current_run is not None, "this screen is shown only with a run in play"
        return self.current_run

    # ------------------------------------------------------------ actions (KengirApp's)

    def choose(self, index: int) -> None:
        raise NotImplementedError

    def autosave(self) -> None:
        raise NotImplementedError

    def record_ending(self) -> set[str]:
        raise NotImplementedError

    def load_slot(self, slot: str) -> None:
        raise NotImplementedError

    def continuable_run(self) -> Run | None:
        raise NotImplementedError

    def action_undo(self) -> None:
        raise NotImplementedError

    def action_reflections(self) -> None:
        raise NotImplementedError

    def action_notes(self, note_id: str = "") -> None:
        raise NotImplementedError

    # ------------------------------------------------------------ an assigned session's (AssignedSession's)

    def reflection_prompts(self) -> list[Prompt]:
        raise NotImplementedError

    def answer_prompt(self, prompt_id: str, text: str) -> None:
        raise NotImplementedError

    def write_record(self) -> None:
        raise NotImplementedError

    def show_record_line(self, screen: Screen[Any]) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------ settings

    def apply_settings(self) -> None:
        """Theme and animations from the settings (an unknown theme name is ignored)."""
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.animation_level = "full" if self.settings.animations else "none"

    def save_settings(self) -> None:
        from game.tui.guard import player_message

        try:
            self.settings.save(self.settings_path)
        except OSError as err:
            self.notify(player_message(self, f"Could not keep the settings: {err}"), severity="warning")
