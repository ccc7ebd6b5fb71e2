"""Fixtures for the terminal game's tests: the fixture story, a fresh save folder, an app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from game.format import load_story
from game.model import Story
from game.saves import SaveStore
from game.session.player_files import Settings
from game.tui.app import KengirApp

FIXTURE_STORY = Path(__file__).parent / "fixture_story"


@pytest.fixture(scope="session")
def story() -> Story:
    return load_story(FIXTURE_STORY)


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    return tmp_path / "saves"


@pytest.fixture
def make_app(story: Story, saves: Path) -> Callable[..., KengirApp]:
    """Build an app over the fixture story; `noted=True` marks the content note as read."""

    def make(*, noted: bool = True, **kwargs: object) -> KengirApp:
        """(`perspective` defaults to the woman's, so a new game starts at her first scene; pass
        perspective=None for the story's opening scene, where the player chooses.)"""
        settings_path = saves / "meta" / "settings.json"
        if noted:
            Settings(content_note_seen=True).save(settings_path)
        kwargs.setdefault("seed", 7)
        kwargs.setdefault("perspective", "woman")
        return KengirApp(story, SaveStore(saves), settings_path, **kwargs)  # type: ignore[arg-type]

    return make
