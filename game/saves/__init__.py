"""A player's saves: named slots and rotating autosaves, written atomically, and a saved run
restored by replaying its log against the story."""

from game.saves.replay import restore
from game.saves.store import AUTOSAVE_PREFIX, AUTOSAVES_KEPT, SaveError, SaveInfo, SaveStore, check_slot_name

__all__ = ["AUTOSAVES_KEPT", "AUTOSAVE_PREFIX", "SaveError", "SaveInfo", "SaveStore", "check_slot_name", "restore"]
