"""`kengir serve`: the game in a lab's browsers (textual-serve)."""

from __future__ import annotations

import argparse
from typing import Any


def serve(args: argparse.Namespace, err: Any = None) -> int:
    """`kengir serve` (game/web/server.py). Imported on call, so that the fork server
    (game/web/forkserver.py), which lives in this package too, never loads aiohttp."""
    from game.web.server import serve as run

    return run(args, err)


__all__ = ["serve"]
