"""The teacher's page in a real headless Chromium, while two students play in two others.

Like tests/web/test_browser.py (whose tabs and skips this borrows), nothing is downloaded:
Playwright drives Debian's chromium. The screenshots are kept in the test's folder; set
KENGIR_SCREENSHOTS=DIR to keep a copy (a person looks at them: the tables must be readable).
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

from game.classroom.signature import check_signature, load_key
from tests.web.serving import LOOP_STORY, ServerProcess
from tests.web.test_browser import ARGS, CHROMIUM, Tab, pytestmark  # noqa: F401  (pytestmark: the same skips)
from tests.web.test_teacher import ASSIGNMENT, teacher_address


def keep(shot: Path) -> None:
    folder = os.environ.get("KENGIR_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(folder) / shot.name)


def start_named(tab: Tab, name: str) -> None:
    tab.wait_for("New game", timeout=60)
    tab.press("n", "Full scenes")
    tab.press("2", "Your name")
    tab.page.wait_for_timeout(200)
    tab.page.keyboard.type(name)
    tab.press("Enter", "Alpha room")


def row_text(page: object, table: str) -> list[str]:
    return page.locator(f"#{table} tbody tr").all_inner_texts()  # type: ignore[attr-defined]


def test_teacher_page_shows_two_students_playing_and_their_records(browser: object, tmp_path: Path) -> None:
    with ServerProcess(tmp_path, "--assignment", str(ASSIGNMENT), story=LOOP_STORY) as server:
        teacher = Tab(browser, teacher_address(server), accept_downloads=True)
        tabs = [teacher]
        try:
            page = teacher.page
            page.wait_for_url(server.url + "teacher", timeout=15_000)  # the token is gone from the address
            assert page.evaluate("document.cookie") == "", "the teacher's cookie is HttpOnly"
            page.wait_for_selector("text=No browser has opened the game yet.", timeout=10_000)
            ada = Tab(browser, server.url)
            tabs.append(ada)
            ben = Tab(browser, server.url)
            tabs.append(ben)

            start_named(ada, "Ada Lovelace")
            start_named(ben, "Ben")
            ben.press("1", "Omega room")
            page.wait_for_function("document.querySelectorAll('#sessions tbody tr').length == 2", timeout=15_000)
            page.wait_for_selector("#sessions td:text('Omega room')", timeout=15_000)
            rows = row_text(page, "sessions")
            assert any("Ada Lovelace" in r and "Alpha room" in r and "playing" in r for r in rows), rows
            assert any("Ben" in r and "Omega room" in r for r in rows), rows
            playing = tmp_path / "teacher-two-students-playing.png"
            page.screenshot(path=str(playing), full_page=True)
            keep(playing)

            # Ada leaves the loop and answers; her record reaches the page, signed.
            ada.press("2", "What did you see")
            ada.page.wait_for_timeout(300)
            ada.page.keyboard.type("A stove, a bucket.")
            ada.press("Control+s", "Your record")
            page.wait_for_selector("#records td:has-text('signed by this server')", timeout=15_000)
            page.wait_for_selector("#sessions td:has-text('finished: Out of the loop')", timeout=15_000)
            [record_row] = row_text(page, "records")
            assert "Ada Lovelace" in record_row and "Out of the loop" in record_row
            finished = tmp_path / "teacher-a-record-arrives.png"
            page.screenshot(path=str(finished), full_page=True)
            keep(finished)
            assert playing.stat().st_size > 20_000 and finished.stat().st_size > 20_000

            # The zip, as the teacher downloads it from the page.
            with page.expect_download(timeout=15_000) as caught:
                page.click("#zip")
            saved = tmp_path / "records.zip"
            caught.value.save_as(str(saved))
            [name] = zipfile.ZipFile(saved).namelist()
            record = json.loads(zipfile.ZipFile(saved).read(name))
            assert record["student"] == "Ada Lovelace" and record["reflections"][0]["answer"] == "A stove, a bucket."
            assert check_signature(record, load_key(server.key))[0]

            # A student's page cannot read the teacher's: the same server, another cookie.
            answer = ben.page.evaluate("fetch('/teacher/status').then(r => r.status)")
            assert answer == 403
        finally:
            for tab in tabs:
                tab.close()


def test_teacher_page_shows_a_students_name_as_text(browser: object, tmp_path: Path) -> None:
    """A name that looks like HTML is shown as typed, and runs nothing on the teacher's page."""
    name = '<img src=x onerror="document.title=1">'
    with ServerProcess(tmp_path, "--assignment", str(ASSIGNMENT), story=LOOP_STORY) as server:
        student = Tab(browser, server.url)
        teacher = Tab(browser, teacher_address(server))
        try:
            teacher.page.wait_for_url(server.url + "teacher", timeout=15_000)
            start_named(student, name)
            teacher.page.wait_for_function("document.querySelectorAll('#sessions tbody tr').length == 1", timeout=15_000)
            teacher.page.wait_for_function(
                "(n) => document.querySelector('#sessions tbody td').textContent === n", arg=name, timeout=15_000
            )
            assert teacher.page.locator("#sessions img").count() == 0
            assert teacher.page.title() != "1"
        finally:
            student.close()
            teacher.close()


def test_teacher_page_opens_from_a_link_on_another_site_and_leaves_no_token_in_history(browser: object, tmp_path: Path) -> None:
    """A teacher who clicks the address in a chat or an e-mail: the navigation starts on another
    site (here http://localhost:PORT, another site than 127.0.0.1), which makes browsers withhold
    a SameSite=Strict cookie across an HTTP redirect; the page's own refresh carries it."""
    with ServerProcess(tmp_path, story=LOOP_STORY) as server:
        address = teacher_address(server)
        elsewhere = server.url.replace("127.0.0.1", "localhost") + "teacher"
        tab = Tab(browser, elsewhere)
        try:
            assert "403" in tab.page.inner_text("h1")
            with tab.page.expect_navigation(url=server.url + "teacher", timeout=15_000):
                tab.page.evaluate("(a) => { window.location.href = a; }", address)
            tab.page.wait_for_selector("text=Sessions on this server", timeout=15_000)
            tab.page.go_back()
            assert tab.page.url == elsewhere, "the address with the token is not in the history"
        finally:
            tab.close()


def test_teacher_summary_opens_in_the_browser(browser: object, tmp_path: Path) -> None:
    with ServerProcess(tmp_path, story=LOOP_STORY) as server:
        teacher = Tab(browser, teacher_address(server))
        try:
            teacher.page.wait_for_url(server.url + "teacher", timeout=15_000)
            teacher.page.goto(server.url + "teacher/summary.html")
            assert "Class summary" in teacher.page.inner_text("h1")
            stranger = Tab(browser, server.url + "teacher/summary.html")
            try:
                assert "403" in stranger.page.inner_text("h1")
            finally:
                stranger.close()
        finally:
            teacher.close()
