"""GameFooter: one rebuild for a burst of binding changes, none when the keys shown are the
same, a key turned on or off in place, and the play screen's keys there from its first frame."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets._footer import FooterKey

from game.tui.widgets.footer import GameFooter
from tests.tui.helpers import new_game


class KeysApp(App[None]):
    BINDINGS = [Binding("x", "act", "Act"), Binding("y", "other", "Other"), Binding("z", "hidden", "Hidden", show=False)]

    def __init__(self) -> None:
        super().__init__()
        self.lit = False  # "x": dimmed until lit
        self.with_y = True  # "y": shown or not at all
        self.rebuilds = 0

    def compose(self) -> ComposeResult:
        footer = GameFooter()
        recompose = footer.recompose

        async def counted() -> None:
            self.rebuilds += 1
            await recompose()

        footer.recompose = counted  # type: ignore[method-assign]
        yield footer

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act":
            return True if self.lit else None
        if action == "other":
            return self.with_y
        return True

    def keys(self) -> dict[str, FooterKey]:
        return {key.key: key for key in self.query_one(GameFooter).query(FooterKey)}

    async def changed(self, pilot, times: int = 5) -> None:
        for _ in range(times):
            self.screen.refresh_bindings()
        await pilot.pause()


async def test_a_burst_of_changes_rebuilds_once_and_the_same_keys_never() -> None:
    app = KeysApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        assert set(app.keys()) == {"x", "y", "ctrl+p"}  # and the command palette's
        rebuilds = app.rebuilds
        await app.changed(pilot)
        assert app.rebuilds == rebuilds, "the same keys: nothing rebuilt"
        app.with_y = False
        await app.changed(pilot)
        assert app.rebuilds == rebuilds + 1, "five signals, one rebuild"
        assert set(app.keys()) == {"x", "ctrl+p"}


async def test_a_key_turned_on_or_off_changes_in_place() -> None:
    app = KeysApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        act = app.keys()["x"]
        assert act.has_class("-disabled") and act._disabled
        rebuilds = app.rebuilds
        app.lit = True
        await app.changed(pilot)
        assert app.keys()["x"] is act and not act.has_class("-disabled") and not act._disabled
        app.lit = False
        await app.changed(pilot, 1)
        assert act.has_class("-disabled") and act._disabled
        assert app.rebuilds == rebuilds


async def test_the_play_screen_has_its_keys_without_waiting_for_a_rebuild(make_app, monkeypatch) -> None:
    rebuilt_on: list[str] = []
    recompose = GameFooter.recompose

    async def recorded(self: GameFooter) -> None:
        rebuilt_on.append(type(self.screen).__name__)
        await recompose(self)

    monkeypatch.setattr(GameFooter, "recompose", recorded)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await new_game(pilot)
        footer = app.screen.query_one(GameFooter)
        assert {"1", "u", "f1"} <= {k.key for k in footer.query(FooterKey)}
        assert "PlayScreen" not in rebuilt_on, "its keys were composed with it, in its first frame"
        undo = next(k for k in footer.query(FooterKey) if k.key == "u")
        assert undo.has_class("-disabled"), "nothing to undo yet"
