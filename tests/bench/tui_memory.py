"""Peak resident memory of the terminal game after a full playthrough (run in a fresh process).

The game is driven headless through Textual's Pilot, taking the first open choice in every scene
(the number key reads on first while a long scene's end is unread) and skipping the reflection
questions asked as scenes are left, until the ending screen; then this process's peak resident set size
(VmHWM) is printed as JSON. Headless or in a terminal, it is the same app with the same screens.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def peak_kb() -> int:
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


async def play(perspective: str) -> int:
    from game.format import load_story
    from game.saves import SaveStore
    from game.tui.app import KengirApp
    from game.tui.screens.ending import EndingScreen
    from game.tui.screens.play import PlayScreen

    saves = Path(tempfile.mkdtemp())
    (saves / "meta").mkdir()
    (saves / "meta" / "settings.json").write_text(json.dumps({"content_note_seen": True}))
    app = KengirApp(load_story(ROOT / "story"), SaveStore(saves), saves / "meta" / "settings.json", seed=1, perspective=perspective)
    choices = 0
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        while not isinstance(app.screen, EndingScreen) and choices < 200:
            if not isinstance(app.screen, PlayScreen):  # a reflection question as a scene is left
                await pilot.press("escape")  # "Skip for now"
                await pilot.pause()
                continue
            run = app.current_run
            assert run is not None
            first = next(v for v in run.choices if v.enabled)
            app.choose(first.index)  # as the number key does once the scene's end is read
            await pilot.pause()
            choices += 1
        assert isinstance(app.screen, EndingScreen), "the playthrough did not reach its ending"
    return choices


if __name__ == "__main__":
    made = asyncio.run(play(sys.argv[1] if len(sys.argv) > 1 else "woman"))
    print(json.dumps({"choices": made, "peak_mb": peak_kb() / 1024}))
