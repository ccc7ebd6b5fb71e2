"""The story map's pages as a writer sees them: opened in headless Chromium (Debian's, driven by
Playwright, as tests/web does) in a laptop's window, at 100 %.

.ci/run installs chromium and Graphviz; where either is missing (the workflow's macOS and
Windows runners) these tests are skipped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.session.paths import CHECKOUT
from tests.cli.test_cli import run_cli
from tests.web.test_browser import CHROMIUM

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or shutil.which("dot") is None, reason="needs Debian's chromium and Graphviz's dot (.ci/run installs both)"
)

LAPTOP = {"width": 1366, "height": 768}

# For each box drawn, how far its words reach past its right edge (0 when they fit).
OVERFLOW = """() => [...document.querySelectorAll("g.node")].map(node => {
  const shape = node.querySelector("path, polygon");
  const box = shape.getBoundingClientRect();
  const right = Math.max(...[...node.querySelectorAll("text")].map(t => t.getBoundingClientRect().right));
  return [node.id, Math.max(0, right - box.right)];
})"""


@pytest.fixture(scope="module")
def shipped_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("map")
    code, out = run_cli("graph", str(CHECKOUT / "story"), "--format", "html", "-o", str(folder))
    assert code == 0, out
    return folder


def test_every_act_fits_a_laptop_screen_across_and_loads_nothing(shipped_map: Path, browser: object) -> None:
    context = browser.new_context(viewport=LAPTOP)  # type: ignore[attr-defined]
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    pages = sorted(shipped_map.glob("*-*.html"))
    assert len(pages) == 15
    for path in pages:
        page.goto(path.as_uri())
        width, height = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        assert width <= LAPTOP["width"], f"{path.name} is {width} pixels wide: a writer would scroll sideways"
        # a writer scrolls down an act (the second draft's longest, the political forty days, is
        # about four screens), never sideways
        assert height <= 5 * LAPTOP["height"], f"{path.name} is {height} pixels tall"
        sizes = page.evaluate("[...document.querySelectorAll('svg text')].map(t => parseFloat(getComputedStyle(t).fontSize))")
        assert min(sizes) >= 12, path.name  # legible at 100 %
        overflowing = [(node, by) for node, by in page.evaluate(OVERFLOW) if by > 2]
        assert not overflowing, f"{path.name}: words past the edge of their box: {overflowing}"
    assert all(url.startswith("file://") for url in requests), [u for u in requests if not u.startswith("file://")]
    assert len(requests) == len(pages)  # each page, and nothing it would load
    context.close()


def test_a_stub_opens_the_scene_it_names_on_the_next_act(shipped_map: Path, browser: object) -> None:
    context = browser.new_context(viewport=LAPTOP)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto((shipped_map / "woman-forty_days.html").as_uri())
    page.click('g[id$="-to:assault.warning"] a')
    page.wait_for_url("**/woman-assault.html#assault.warning")
    top = page.evaluate("document.getElementById('assault.warning').getBoundingClientRect().top")
    assert 0 <= top < LAPTOP["height"]  # scrolled to the scene, on the screen
    context.close()
