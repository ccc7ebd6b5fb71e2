"""`kengir test`: random play-testing over compiled scenes, shared out over processes, and the
exhaustive exploration of every state."""

from game.writers.playtest.runs import MAX_STEPS, Failure, Tally, format_report, play_many, play_one, random_test, run_random

__all__ = ["MAX_STEPS", "Failure", "Tally", "format_report", "play_many", "play_one", "random_test", "run_random"]
