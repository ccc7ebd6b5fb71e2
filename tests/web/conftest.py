"""What the browser tests of tests/web share: one headless Chromium per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.test_browser import ARGS, CHROMIUM


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()
