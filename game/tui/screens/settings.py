"""Settings: theme, intensity of violent scenes, animations; kept between runs."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, RadioButton, RadioSet, Select, Static, Switch

from game.session.player_files import THEMES
from game.tui.game_app import GameApp
from game.tui.widgets.footer import GameFooter


class SettingsScreen(Screen[None]):
    app = getters.app(GameApp)

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="settings-back")]

    def compose(self) -> ComposeResult:
        settings = self.app.settings
        themes = [t for t in THEMES if t in self.app.available_themes]
        yield Static("Settings", classes="screen-title")
        with VerticalScroll(id="settings-form"):
            yield Label("Theme (ansi-dark and ansi-light use your terminal's own colours)")
            yield Select(
                [(t, t) for t in themes], value=settings.theme if settings.theme in themes else themes[0], allow_blank=False, id="theme"
            )
            yield Label("Violent scenes")
            with RadioSet(id="intensity"):
                yield RadioButton("In full", value=settings.intensity == "full", id="full")
                yield RadioButton("As short summaries", value=settings.intensity == "summary", id="summary")
            yield Label("Animations")
            yield Switch(value=settings.animations, id="animations")
        yield GameFooter()

    def on_mount(self) -> None:
        self.query_one("#theme", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.app.settings.theme = event.value
            self.app.theme = event.value
            self.app.save_settings()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        intensity = event.pressed.id or "full"
        self.app.settings.intensity = intensity
        run = self.app.current_run
        fixed = run is not None and run.assignment is not None and run.assignment.intensity != "student"
        if fixed:
            self.notify("Your teacher set this for the assignment; it applies to your next free game.", timeout=5)
        elif run is not None:
            # `Run.intensity` is a plain attribute the engine reads each time it renders a scene
            # (and writes into saves), so setting it is the whole API: no setter needed.
            run.intensity = intensity
        self.app.save_settings()

    def on_switch_changed(self, event: Switch.Changed) -> None:
        self.app.settings.animations = event.value
        self.app.animation_level = "full" if event.value else "none"
        self.app.save_settings()
