"""One readable line instead of a traceback: handlers that fail tell the player and go on.

The run lives on the app, not in a handler, so a failed handler never loses it.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode

F = TypeVar("F", bound=Callable[..., Any])


def complain(node: DOMNode, error: BaseException) -> None:
    """Show `error` as one line in a notification (and in the Textual log)."""
    from game.model import StoryError
    from game.runtime import RunError  # not before the title is painted
    from game.saves import SaveError

    if isinstance(error, (RunError, SaveError)):
        message, severity = player_message(node, str(error)), "warning"
    elif isinstance(error, StoryError):
        message, severity = f"The story has an error: {error.problems[0] if error.problems else error}", "error"
    else:
        from game.tui.crash import one_line, write_crash_log

        app: Any = node.app
        folder = getattr(app, "logs_folder", None)
        log = write_crash_log(folder, error, app.where_we_are()) if folder is not None else None
        message, severity = one_line(error, log, bool(getattr(app, "is_web", False))), "error"
    node.log.error(repr(error))
    node.app.notify(message, severity=severity, timeout=8)  # type: ignore[arg-type]


def player_message(node: DOMNode, message: str) -> str:
    """`message` as the player should read it: in a browser, paths name no server folder."""
    if getattr(node.app, "is_web", False):
        from game.tui.crash import without_folders

        return without_folders(message)
    return message


def guarded(handler: F) -> F:
    """Wrap a handler (sync or async) so an exception becomes a notification."""
    if inspect.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def async_wrapper(self: DOMNode, *args: Any, **kwargs: Any) -> Any:
            try:
                return await handler(self, *args, **kwargs)
            except Exception as error:  # noqa: BLE001 - the point is to catch everything
                complain(self, error)
                return None

        return async_wrapper  # type: ignore[return-value]

    @functools.wraps(handler)
    def wrapper(self: DOMNode, *args: Any, **kwargs: Any) -> Any:
        try:
            return handler(self, *args, **kwargs)
        except Exception as error:  # noqa: BLE001
            complain(self, error)
            return None

    return wrapper  # type: ignore[return-value]
