"""Live reload for writers: which story may be watched, and whether its files changed.

The app polls (`App.set_interval`) rather than subscribing to file-system events. A story is a
few dozen YAML files, so reading their mtimes and sizes twice a second costs well under a
millisecond, works the same on every OS and file system (network mounts and editors that
replace files included), and needs no new dependency such as watchfiles.
"""

from __future__ import annotations

import os
from pathlib import Path

Signature = dict[str, tuple[int, int]]


def reload_wanted(story_path: Path, explicit: bool) -> bool:
    """Watch a story a writer can edit: one given with --story/KENGIR_STORY or the checkout's,
    never the copy inside an installed package; KENGIR_RELOAD=off switches it off."""
    from game.session.paths import PACKAGE

    if os.environ.get("KENGIR_RELOAD", "").lower() in ("off", "0", "no", "false"):
        return False
    if explicit:
        return True
    try:
        return not story_path.resolve().is_relative_to(PACKAGE)
    except OSError:
        return False


class StoryWatcher:
    """Remembers the story files' (mtime, size) and says when they differ."""

    def __init__(self, root: Path):
        self.root = root
        self.signature = self.read()

    def read(self) -> Signature:
        from game.format import story_files

        signature: Signature = {}
        try:
            files = story_files(self.root)
        except OSError:
            return signature
        for path in files:
            try:
                stat = path.stat()
            except OSError:  # removed between listing and stat: it counts as a change next time
                continue
            signature[str(path)] = (stat.st_mtime_ns, stat.st_size)
        return signature

    def changed(self) -> bool:
        """True (once) when a file was added, removed or rewritten since the last call."""
        now = self.read()
        if now == self.signature:
            return False
        self.signature = now
        return True
