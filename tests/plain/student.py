"""A student at the keyboard of the plain player, for tests that play a whole assignment: it
reads what the game has printed since its last line and answers as a student would (a name, a
random open choice, a few words to each question)."""

from __future__ import annotations

import io
import random
import re


class Student(io.StringIO):
    """stdin for `kengir play --plain` that reads the game's output (`screen`) to decide."""

    def __init__(self, screen: io.StringIO, seed: int = 0, limit: int = 3000):
        super().__init__()
        self.screen, self.seen, self.rng = screen, 0, random.Random(seed)
        self.answering = False
        self.answers = 0
        self.limit = limit

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        self.limit -= 1
        if self.limit < 0:
            return ""  # the end of input: a test that loops stops here
        new = self.screen.getvalue()[self.seen :]
        self.seen += len(new)
        if self.answering:
            self.answering = False
            return "\n"
        if "Write your answer; end it with an empty line." in new:
            self.answering = True
            self.answers += 1
            return f"Answer number {self.answers}.\n"
        if "Your name, for your teacher's record:" in new:
            return "Ana\n"
        if "What would you like to do?" in new or "Type 'new' to start again" in new:
            return ""
        options = [n for n, text in re.findall(r"^(\d+)\. (.*)$", new, re.M) if "(not available" not in text]
        if options:
            return self.rng.choice(options) + "\n"
        return ""
