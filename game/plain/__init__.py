"""`kengir play --plain`: the whole game as plain lines, for screen readers and pipes."""

from game.plain.player import PlainPlayer

__all__ = ["PlainPlayer"]
