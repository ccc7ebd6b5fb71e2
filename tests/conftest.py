"""Shared fixtures: the small engine story, and a fixed clock so that nothing depends on time."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import Story, load_story

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


class FixedClock:
    """A clock that advances one second each time it is read."""

    def __init__(self, start: float = 1_000_000_000.0):
        self.now = start

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture
def mini() -> Story:
    return load_story(MINI)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture(autouse=True)
def private_story_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or fill the user's real story cache."""
    monkeypatch.setenv("KENGIR_CACHE", str(tmp_path_factory.mktemp("story-cache")))
