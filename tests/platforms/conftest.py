"""The terminal game's fixtures (the fixture story, a save folder, an app), for the hang-up tests."""

from tests.tui.conftest import make_app, saves, story  # noqa: F401  (fixtures, found by name)
