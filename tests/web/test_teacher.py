"""The teacher's page of `kengir serve` and its signed records, without a browser.

Servers run as subprocesses on free loopback ports (tests/web/serving.py) and play the loop
story's assignment (tests/web/loop_assignment.yaml): a name, one choice to the ending, one
question. tests/web/test_teacher_browser.py shows the same page in Chromium.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import aiohttp
import pytest

from game.classroom.signature import check_signature, load_key
from game.web.teacher import csv_available
from tests.web.serving import LOOP_STORY, ROOT, GameClient, ServerProcess, free_port

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kengir serve is tested on Linux (the lab server's system)"),
]

ASSIGNMENT = ROOT / "tests" / "web" / "loop_assignment.yaml"
SAVE = "\x13"  # ctrl+s: keep the answer


def teacher_address(server: ServerProcess) -> str:
    """The teacher's address as the server printed it at start."""
    for line in server.output().splitlines():
        if "/teacher?token=" in line:
            return line.strip()
    raise AssertionError(f"no teacher's address in:\n{server.output()}")


def jar() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def as_teacher(server: ServerProcess) -> aiohttp.ClientSession:
    session = jar()
    async with session.get(teacher_address(server)) as response:
        assert response.status == 200  # the cookie, and a page that moves on to /teacher
    async with session.get(server.url + "teacher") as response:
        assert response.status == 200
    return session


async def status(teacher: aiohttp.ClientSession, server: ServerProcess) -> dict:
    async with teacher.get(server.url + "teacher/status") as response:
        assert response.status == 200
        return await response.json()


async def wait_until(teacher: aiohttp.ClientSession, server: ServerProcess, condition, timeout: float = 20.0) -> dict:
    for _ in range(int(timeout / 0.1)):
        found = await status(teacher, server)
        if condition(found):
            return found
        await asyncio.sleep(0.1)
    raise TimeoutError(f"the teacher's page never showed it: {found}")


async def press(client: GameClient, key: str, then: bytes) -> None:
    await client.drain(0.1)
    since = len(client.output)
    await client.press(key)
    await client.expect(then, since)


async def start_named(client: GameClient, name: str) -> None:
    """From the title to the Alpha room, through the content note and the name."""
    await client.expect(b"New game", timeout=60)
    await press(client, "n", b"Full scenes")
    await press(client, "2", b"Your name")
    await client.drain(0.2)
    await client.press(name)
    await press(client, "\r", b"Alpha room")


async def leave_and_answer(client: GameClient, answer: str) -> None:
    await press(client, "2", b"What did you see")
    await client.drain(0.3)
    since = len(client.output)
    await client.press(answer)
    await client.expect(answer.encode(), since)  # in the answer's box, before it is kept
    await press(client, SAVE, b"Your record")


# ------------------------------------------------------------------ who may see it


def test_the_token_is_traded_for_a_strict_cookie_and_never_logged(tmp_path: Path) -> None:
    async def scenario(server: ServerProcess) -> None:
        address = teacher_address(server)
        token = address.split("token=")[1]
        async with jar() as stranger:
            for path in ("teacher", "teacher/status", "teacher/records.zip", "teacher/summary.html", "teacher/page.js"):
                async with stranger.get(server.url + path) as response:
                    assert response.status == 403, path
            async with stranger.get(server.url + "teacher?token=" + "0" * 32) as response:
                assert response.status == 403
        async with jar() as teacher:
            async with teacher.get(address, allow_redirects=False) as response:
                assert response.status == 200
                # The page moves on to the address without the token at once (tests/web/test_teacher_browser.py).
                assert '<meta http-equiv="refresh" content="0; url=/teacher">' in await response.text()
                cookie = response.headers["Set-Cookie"]
                assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/teacher" in cookie
                assert token not in cookie
                assert response.headers["Referrer-Policy"] == "no-referrer"
            async with teacher.get(server.url + "teacher") as response:
                assert response.status == 200
                assert "Sessions on this server" in await response.text()
            assert (await status(teacher, server))["sessions"] == []
        # A student's own cookie opens nothing of the teacher's.
        async with jar() as student:
            async with student.get(server.url) as response:
                assert response.status == 200 and "kengir_session" in response.cookies
            async with student.get(server.url + "teacher/status") as response:
                assert response.status == 403
        assert server.output().count(token) == 1  # printed once at start, never logged after

    with ServerProcess(tmp_path, story=LOOP_STORY) as server:
        asyncio.run(scenario(server))


def test_every_instance_with_the_same_key_prints_the_same_teachers_address(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    key = tmp_path / "shared.key"
    with ServerProcess(tmp_path / "a", "--key", str(key), story=LOOP_STORY) as first:
        token = teacher_address(first).split("token=")[1]
    with ServerProcess(tmp_path / "b", "--key", str(key), story=LOOP_STORY) as second:
        assert teacher_address(second).split("token=")[1] == token


# ------------------------------------------------------------------ what it shows


def test_the_teacher_sees_two_students_and_a_signed_record(tmp_path: Path) -> None:
    async def scenario(server: ServerProcess) -> None:
        teacher = await as_teacher(server)
        async with jar() as ada_jar, jar() as ben_jar:
            ada = await GameClient(server.url).open(ada_jar)
            ben = await GameClient(server.url).open(ben_jar)
            await start_named(ada, "Ada")
            await start_named(ben, "Ben <b>")
            await press(ben, "1", b"Omega room")
            seen = await wait_until(  # Ben's autosave is written just after his scene is drawn
                teacher,
                server,
                lambda s: (
                    {r.get("student") for r in s["sessions"]} == {"Ada", "Ben <b>"}
                    and s["connected"] == 2
                    and any(r.get("scene") == "Omega room" for r in s["sessions"])
                ),
            )
            by_name = {row["student"]: row for row in seen["sessions"]}
            assert by_name["Ben <b>"]["scene"] == "Omega room" and by_name["Ben <b>"]["choices"] == 1
            assert by_name["Ada"]["scene"] == "Alpha room" and by_name["Ada"]["choices"] == 0
            assert by_name["Ada"]["act"] == "The loop" and not by_name["Ada"]["finished"]
            assert all(row["idle_seconds"] < 60 for row in seen["sessions"])
            assert seen["records"] == []

            await leave_and_answer(ada, "A stove")
            done = await wait_until(teacher, server, lambda s: len(s["records"]) == 1 and any(r.get("reflections") for r in s["sessions"]))
            ada_row = next(r for r in done["sessions"] if r["student"] == "Ada")
            assert ada_row["finished"] and ada_row["ending"] == "Out of the loop" and ada_row["reflections"] == 1
            [record_row] = done["records"]
            assert record_row["student"] == "Ada" and record_row["signature"] == "signed by this server"
            assert record_row["ending"] == "Out of the loop" and record_row["reflections"] == 1

            # The zip holds the record as written; its signature holds with the server's key.
            async with teacher.get(server.url + "teacher/records.zip") as response:
                assert response.status == 200 and "attachment" in response.headers["Content-Disposition"]
                archive = zipfile.ZipFile(io.BytesIO(await response.read()))
            [name] = archive.namelist()
            assert name == record_row["file"]
            record = json.loads(archive.read(name))
            assert record == json.loads((server.records / name).read_text())
            assert check_signature(record, load_key(server.key))[0]
            assert record["student"] == "Ada" and record["reflections"][0]["answer"] == "A stove", record["reflections"]

            async with teacher.get(server.url + "teacher/records/" + name) as response:
                assert response.status == 200 and json.loads(await response.read()) == record
            async with teacher.get(server.url + "teacher/records/..%2Flab.key") as response:
                assert response.status == 404
            async with teacher.get(server.url + "teacher/summary.html") as response:
                assert response.status == 200
                assert "Class summary" in await response.text()
            async with teacher.get(server.url + "teacher/summary.csv") as response:
                if csv_available():  # the classroom's CSV (one row per student), where this version has it
                    assert response.status == 200 and "attachment" in response.headers["Content-Disposition"]
                    rows = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
                    assert len(rows) == 2 and rows[1][0] == "Ada" and "A stove" in rows[1]
                else:
                    assert response.status == 404 and not done["csv"]

            # An answer changed on disk: the page says the signature no longer holds.
            record["reflections"][0]["answer"] = "A tank"
            (server.records / name).write_text(json.dumps(record))
            changed = await wait_until(teacher, server, lambda s: s["records"][0]["signature"] != "signed by this server")
            assert changed["records"][0]["signature"] == "signature does not hold"

            await ada.close()
            left = await wait_until(teacher, server, lambda s: s["connected"] == 1)
            assert not next(r for r in left["sessions"] if r["student"] == "Ada")["connected"]
            await ben.close()
        await teacher.close()

    with ServerProcess(tmp_path, "--assignment", str(ASSIGNMENT), story=LOOP_STORY) as server:
        asyncio.run(asyncio.wait_for(scenario(server), 120))


# ------------------------------------------------------------------ the key


def test_the_key_is_made_private_at_first_start_and_a_readable_one_is_refused(tmp_path: Path) -> None:
    with ServerProcess(tmp_path, story=LOOP_STORY) as server:
        assert stat.S_IMODE(server.key.stat().st_mode) == 0o600
        assert f"Records are signed with the key in {server.key}" in server.output()
        first = server.key.read_bytes()
    with ServerProcess(tmp_path, story=LOOP_STORY) as server:
        assert server.key.read_bytes() == first, "a second start keeps the key"
    os.chmod(server.key, 0o644)
    result = subprocess.run(
        [sys.executable, "-m", "game", "serve", "--port", str(free_port()), "--key", str(server.key), "--story", str(LOOP_STORY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert (
        result.stderr == f"kengir serve: {server.key}: other users can read the signing key; make it private with: chmod 600 {server.key}\n"
    )


def test_serve_help_says_where_the_key_is() -> None:
    result = subprocess.run([sys.executable, "-m", "game", "serve", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert "--key FILE" in result.stdout and "lab.key" in result.stdout and "0600" in result.stdout


# ------------------------------------------------------------------ a session's line, from its autosave


def test_a_sessions_line_comes_from_its_autosave_replayed_with_the_shipped_story(tmp_path: Path) -> None:
    """Perspective, act, scene, choices and answers as the page shows them, for the real story."""
    from game.format import load_assignment, load_story
    from game.runtime import Run
    from game.saves import SaveStore
    from game.session.paths import story_dir
    from game.web.teacher import newest_autosave, status_of_save

    story = load_story(story_dir())
    assignment = load_assignment(ROOT / "docs" / "assignments" / "strike.yaml", story)
    run = Run.start(story, seed=5, perspective="woman", assignment=assignment, student="Aigerim")
    store = SaveStore(tmp_path)
    store.autosave(run)
    for _ in range(3):
        run.choose(next(view.index for view in run.choices if view.enabled))
        store.autosave(run)
    latest = newest_autosave(tmp_path)
    assert latest is not None and latest.name == "autosave-000004.json"
    line = status_of_save(story, json.loads(latest.read_text()))
    assert line == {
        "student": "Aigerim",
        "perspective": story.perspectives["woman"].title,
        "act": story.acts[run.scene.act].title,
        "scene": run.scene.title,
        "choices": 3,
        "reflections": 0,
        "finished": False,
        "ending": "",
    }
    assert status_of_save(story, {"run": "not a run"}) == {"state": "unreadable save"}
    assert status_of_save(story, {"run": {"seed": "x", "log": 7}}) == {"state": "unreadable save"}
    assert status_of_save(story, {"run": {"log": [1, 2], "events": "x"}}) == {"state": "unreadable save"}
