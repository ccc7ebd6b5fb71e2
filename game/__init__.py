"""Kengir: Forty Days, a narrative game about the Kengir uprising of 1954."""

__version__ = "0.1.0"
