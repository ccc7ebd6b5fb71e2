"""Shared fixtures: the small engine story, a fixed clock so that nothing depends on time, and
one headless Chromium per test module for the browser tests (tests/web, the story map's)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.format import load_story
from game.model import Story

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


# CI explores the same examples every run (a fixed seed), so that a run's verdict depends on the
# code, not on the draw; elsewhere hypothesis draws new examples each time and finds new bugs.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests first: under pytest-xdist one worker then spends the longest test (mostly
    waiting for frames) while the others share the rest, instead of starting it last."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    from tests.web.test_browser import ARGS, CHROMIUM

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()
