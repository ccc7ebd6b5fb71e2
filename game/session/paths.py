"""Where the game finds its story and keeps the player's files.

From a checkout, the story is `story/` and saves go to `saves/` beside it; from an installed
wheel, the story travels inside the package and saves go to the user's data folder. A flag or
an environment variable overrides either (tests and `kengir serve` rely on that).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # the game package (an installed wheel keeps its story here)
CHECKOUT = PACKAGE.parent
APP_NAME = "kengir"


def in_checkout() -> bool:
    """True when running from the project folder (an editable install or `python -m game`)."""
    return (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "story").is_dir()


def story_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The story folder: --story, then KENGIR_STORY, then the checkout's, then the packaged one."""
    if override:
        return Path(override)
    if os.environ.get("KENGIR_STORY"):
        return Path(os.environ["KENGIR_STORY"])
    if in_checkout():
        return CHECKOUT / "story"
    return PACKAGE / "story"


def _user_data() -> Path:
    try:
        from platformdirs import user_data_path  # a Textual dependency already; imported only when needed
    except ImportError:  # `python -m game` from a bare checkout: the XDG default, as platformdirs gives on Linux
        return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / APP_NAME
    return user_data_path(APP_NAME, appauthor=False)


def lab_key_path() -> Path:
    """Where `kengir serve` keeps its signing key unless --key says: the user's data folder (on
    Linux ~/.local/share/kengir/lab.key), in a checkout too: never in the records folder that a
    teacher zips and shares, nor in a project folder that is copied around."""
    return _user_data() / "lab.key"


def saves_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The save folder: --saves, then KENGIR_SAVES, then the checkout's saves/, then user data."""
    if override:
        return Path(override)
    if os.environ.get("KENGIR_SAVES"):
        return Path(os.environ["KENGIR_SAVES"])
    if in_checkout():
        return CHECKOUT / "saves"
    return _user_data() / "saves"


def records_dir(override: str | os.PathLike[str] | None, saves: Path) -> Path:
    """Where records of assigned sessions go: --records, then KENGIR_RECORDS, then the save
    folder's records/ (so that a --saves override keeps a student's files together)."""
    if override:
        return Path(override)
    if os.environ.get("KENGIR_RECORDS"):
        return Path(os.environ["KENGIR_RECORDS"])
    return Path(saves) / "records"


def meta_dir(saves: Path) -> Path:
    """Settings, logs and the endings found across runs: inside the save folder, so that a
    --saves override (a test, a browser session) keeps all of a player's files together."""
    return saves / "meta"


def cache_dir() -> Path | None:
    """Where loaded stories are cached: KENGIR_CACHE (or `off`), else the user's cache folder."""
    value = os.environ.get("KENGIR_CACHE", "")
    if value.lower() in ("off", "0", "no", "false"):
        return None
    if value:
        return Path(value)
    try:
        from platformdirs import user_cache_path
    except ImportError:  # run without the project's dependencies (a writer's bare `python3 -m game check`): no cache
        return None
    return user_cache_path(APP_NAME, appauthor=False) / "stories"
