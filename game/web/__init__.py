"""`kengir serve`: the game in a lab's browsers (textual-serve)."""

from game.web.server import serve

__all__ = ["serve"]
