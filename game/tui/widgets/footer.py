"""The key footer of every screen: Textual's Footer, rebuilt only when its keys change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # Textual 8.2.8 (pinned): one widget per key


class GameFooter(Footer):
    """Textual's Footer builds all its keys again (a widget each, 10 to 25 ms here) on every
    "bindings updated" signal, and a new screen sends several at once: focus moves, the screen
    stack changes, the game refreshes its keys. The play screen's keys were built five times
    over just after it was painted, and a first key pressed then waited 60 to 100 ms.

    Here a signal only asks for the keys the screen has now: if they are the keys shown,
    nothing is built; if only some were turned on or off (undo, after the first choice), those
    are dimmed or lit in place; else the keys are built again.
    """

    _shown: tuple[Any, ...] | None = None  # the keys as last composed (see _keys)

    def __init__(self, *, compact: bool = True, at_once: bool = True) -> None:
        """`at_once` (the default): show the screen's keys in the footer's first frame. Textual's
        way (False) composes the footer empty and builds its keys in a rebuild just after, in
        case focus brings keys of its own; here a change of keys after the first frame is
        caught by `_update` all the same, and a screen's footer is composed once instead of
        twice (a key pressed as soon as the play screen appears does not wait for a rebuild)."""
        super().__init__(compact=compact)
        if at_once:
            self.set_reactive(Footer._bindings_ready, True)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        # As Footer.bindings_changed in Textual 8.2.8 (pinned), which recomposes every time.
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._update)

    async def _update(self) -> None:
        if not self.is_attached or self._pruning:  # (a screen being closed)
            return
        keys = self._keys()
        if keys == self._shown:
            return
        if self._shown is not None and _layout(keys) == _layout(self._shown):
            # Only keys turned on or off (undo after the first choice): dim or light them in place.
            enabled = {key: on for key, *_, on, _tooltip in keys[:-1]}
            for widget in self.query(FooterKey):
                off = not enabled.get(widget.key, not widget._disabled)
                widget._disabled = off  # as FooterKey.__init__ sets them: a click on a dim key rings the bell
                widget.set_class(off, "-disabled")
            self._shown = keys
            return
        await self.recompose()

    def compose(self) -> ComposeResult:
        self._shown = self._keys() if self._bindings_ready else None
        yield from super().compose()

    def _keys(self) -> tuple[Any, ...]:
        """What the footer shows of the screen's keys (those shown, and the command palette's),
        and whether each can be pressed. Keys that focus brings but the footer does not show
        (a list's arrows) change nothing."""
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING if self.show_command_palette and app.ENABLE_COMMAND_PALETTE else None
        shown: Iterable[tuple[Any, ...]] = (  # (see _layout)
            (key, app.get_key_display(binding), binding.description, binding.action, binding.group, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )
        return (*shown, palette)


def _layout(keys: tuple[Any, ...]) -> tuple[Any, ...]:
    """The keys as GameFooter._keys gives them, without whether each is enabled."""
    return (
        *((key, display, description, action, group, tooltip) for key, display, description, action, group, _on, tooltip in keys[:-1]),
        keys[-1],
    )
