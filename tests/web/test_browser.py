"""`kengir serve` in a real headless Chromium (Debian's `chromium`, driven by Playwright).

.ci/run installs chromium and the `test` extra installs Playwright's Python package; nothing is
downloaded here (Playwright is pointed at the system's browser, never `playwright install`).
The page's terminal is drawn on a canvas, so the tests read what the game sent: a script added
before the page's own wraps WebSocket and keeps the terminal bytes in `window.__kengir.text`.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from game.format import load_story
from game.runtime import Run
from game.session.paths import story_dir
from tests.web.serving import ROOT, ServerProcess

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Skipped only where chromium is truly absent; CI (which .ci/run gives chromium) never skips.
# The lab server is tested on Linux, its system (the workflow's macOS and Windows runners skip it).
pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)",
    ),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kengir serve is tested on Linux (the lab server's system)"),
]

RECORD_BYTES = """
window.__kengir = {text: "", meta: []};
(function () {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  function Recorded(url, protocols) {
    const ws = protocols ? new Native(url, protocols) : new Native(url);
    ws.addEventListener("message", (e) => {
      if (typeof e.data === "string") window.__kengir.meta.push(e.data);
      else window.__kengir.text += decoder.decode(e.data, {stream: true});
    });
    return ws;
  }
  Recorded.prototype = Native.prototype;
  for (const k of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Recorded[k] = Native[k];
  window.WebSocket = Recorded;
})();
"""


class Tab:
    """One browser tab on the game, with the terminal's bytes readable."""

    def __init__(self, browser: object, url: str, accept_downloads: bool = False):
        self.context = browser.new_context(viewport={"width": 1200, "height": 800}, accept_downloads=accept_downloads)  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.page.add_init_script(RECORD_BYTES)
        self.page.goto(url)

    def sent(self) -> int:
        return int(self.page.evaluate("window.__kengir.text.length"))

    def wait_for(self, text: str, since: int = 0, timeout: float = 30.0) -> None:
        self.page.wait_for_function(
            "([t, since]) => window.__kengir.text.indexOf(t, since) >= 0", arg=[text, since], timeout=timeout * 1000
        )

    def press(self, key: str, then: str, settle: float = 0.15) -> None:
        """Press `key` in the terminal and wait until `then` is on it."""
        self.page.wait_for_timeout(settle * 1000)  # let the previous screen finish painting
        since = self.sent()
        self.page.focus(".xterm-helper-textarea")
        self.page.keyboard.press(key)
        self.wait_for(then, since)

    def close(self) -> None:
        self.context.close()


def test_browser_plays_a_choice_and_screenshots(browser: object, tmp_path: Path) -> None:
    story = load_story(story_dir())
    run = Run.start(story, seed=1)  # no perspective yet: the story's opening scene asks it
    opening = run.scene.title
    run.choose(0)
    first_scene = run.scene.title
    choice = next(view.index for view in run.choices if view.enabled)
    run.choose(choice)
    second_scene = run.scene.title

    with ServerProcess(tmp_path) as server:
        tab = Tab(browser, server.url)
        try:
            tab.wait_for("New game")
            tab.page.screenshot(path=str(tmp_path / "title.png"))
            tab.press("n", "Full scenes")  # the content note, shown before a first game
            tab.press("1", opening)
            tab.press("1", first_scene)
            tab.press(str(choice + 1), second_scene)
            tab.page.wait_for_timeout(300)
            shot = tmp_path / "browser-second-scene.png"
            tab.page.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000
        finally:
            tab.close()
    [folder] = (tmp_path / "browsers").iterdir()
    assert any(folder.rglob("autosave-*")), "the game autosaved in this browser's own folder"


def test_browser_downloads_what_the_game_delivers(browser: object, tmp_path: Path) -> None:
    """App.deliver_text reaches the browser as a download through KengirServer's page and route."""
    from tests.web.deliver_app import RECORD_TEXT

    program = (str(ROOT / "tests" / "web" / "deliver_app.py"),)
    with ServerProcess(tmp_path, program=program) as server:
        tab = Tab(browser, server.url, accept_downloads=True)
        try:
            tab.wait_for("Press d for the record")
            tab.page.wait_for_timeout(150)
            tab.page.focus(".xterm-helper-textarea")
            with tab.page.expect_download(timeout=15_000) as caught:
                tab.page.keyboard.press("d")
            download = caught.value
            assert download.suggested_filename == "record of a test.json"
            saved = tmp_path / "downloaded.json"
            download.save_as(str(saved))
            assert saved.read_text() == RECORD_TEXT
        finally:
            tab.close()
