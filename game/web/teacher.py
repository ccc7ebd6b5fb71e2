"""The teacher's page of `kengir serve`: the class live, the records as they arrive, downloads.

Who may see it
--------------
The server prints an address with a token, `/teacher?token=…`. The first visit trades the token
for a cookie (`kengir_teacher`: HttpOnly, SameSite=Strict, path /teacher) and the page moves on
to `/teacher` at once, so the token stays in no browser history and no Referer after that first
request; the server never logs it (hardening.Redacted; a proxy in front should log paths without
their query, docs/DEPLOY.md). Everything under /teacher answers 403 without the cookie.
The students' pages never link here, and their cookie (`kengir_session`) opens nothing here.

The token and the cookie are HMACs of fixed words under the server's signing key, so every
instance sharing the key (docs/DEPLOY.md) prints the same address and honours the same cookie,
and a restart keeps them. A new key (delete the key file) makes a new address.

How the page learns where each student is
-----------------------------------------
From the autosave the game already writes, atomically, after every choice and answer into the
session's own folder (game/saves/store.py): the server reads the newest one, replays it with the
engine (the same replay that Continue uses), and keeps the result until a newer autosave
appears. Nothing is added to the game or to the websocket protocol, a game process that dies
leaves its last state readable, and the server only ever reads folders it made itself. Idle time
is the time since the browser last sent a key (counted where the server passes keys on).

The page polls `/teacher/status` (JSON) every few seconds and fills its tables with textContent
only: a student's name or answer is never parsed as HTML.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
import json
import logging
import re
import sys
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web

log = logging.getLogger("kengir.serve")

COOKIE = "kengir_teacher"
PATH = "/teacher"
RECORD_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,200}\.json")
HERE = Path(__file__).parent
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
}
FORBIDDEN = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Teacher's page</title></head>
<body style="font:18px/1.5 sans-serif;max-width:36em;margin:3em auto">
<h1>403: this is the teacher's page</h1>
<p>Open it with the address that <code>kengir serve</code> printed when it started
(<code>/teacher?token=…</code>), in this browser.</p></body></html>
"""

OPENING = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0; url=/teacher"><title>Teacher's page</title></head>
<body style="font:18px/1.5 sans-serif;max-width:36em;margin:3em auto">
<p>Opening <a href="/teacher">the teacher's page</a>…</p></body></html>
"""


def derived(key: bytes, purpose: str, length: int) -> str:
    return hmac.new(key, f"kengir teacher's page: {purpose}".encode(), hashlib.sha256).hexdigest()[:length]


@dataclass
class Seen:
    """A browser session this server has run: its folder, its game while it runs, and when."""

    folder: Path
    started: float  # time.time()
    service: Any = None  # its GameService while connected
    ended: float | None = None


def _iso(when: float) -> str:
    return datetime.fromtimestamp(when, UTC).isoformat(timespec="seconds")


def newest_autosave(folder: Path) -> Path | None:
    names = sorted(folder.glob("autosave-*.json"))
    return names[-1] if names else None


def status_of_save(story: Any, document: dict[str, Any]) -> dict[str, Any]:
    """Where a saved run stands, replayed with the engine (a log that no longer fits the story
    stops where it stops fitting, as Continue would)."""
    from game.runtime import ReplayError, RunError
    from game.saves import restore

    data = document.get("run") if isinstance(document, dict) else None
    if not isinstance(data, dict):
        return {"state": "unreadable save"}
    try:
        run = restore(story, data)
    except ReplayError as err:
        run = err.run
    except (RunError, KeyError, TypeError, ValueError, AttributeError):
        # The game wrote it, but one damaged file must not take the class's page down with it.
        return {"state": "unreadable save"}
    perspective = story.perspectives.get(run.perspective)
    act = story.acts.get(run.scene.act)
    ending = run.ended
    return {
        "student": run.student or "",
        "perspective": perspective.title if perspective else "",
        "act": act.title if act else run.scene.act,
        "scene": run.scene.title,
        "choices": len(run.log),
        "reflections": len(run.answers),
        "finished": bool(run.finished or ending is not None),
        "ending": ending.title if ending else "",
    }


class TeacherDesk:
    """The teacher's routes and what they show; the server tells it when sessions start and end."""

    def __init__(self, records: Path, key: bytes, story_loader: Any):
        self.records = records
        self.key = key
        self.token = derived(key, "token", 32)
        self.cookie = derived(key, "cookie", 64)
        self.story_loader = story_loader
        self._story: Any = None
        self.sessions: dict[str, Seen] = {}  # the session's folder name -> Seen (never its cookie)
        self._saves: dict[Path, tuple[tuple[str, int], dict[str, Any]]] = {}
        self._records: dict[str, tuple[tuple[int, int], dict[str, Any] | None]] = {}

    # -------------------------------------------------------- what the server tells

    def started(self, folder: Path, service: Any) -> None:
        seen = self.sessions.get(folder.name)
        if seen is None:
            seen = self.sessions[folder.name] = Seen(folder, time.time())
        seen.service, seen.ended = service, None

    def ended(self, folder: Path, service: Any) -> None:
        seen = self.sessions.get(folder.name)
        if seen is not None and seen.service is service:
            seen.service, seen.ended = None, time.time()

    # -------------------------------------------------------- routes

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get(PATH, self.handle_page),
            web.get(f"{PATH}/", self.handle_page),
            web.get(f"{PATH}/page.js", self.handle_script),
            web.get(f"{PATH}/status", self.handle_status),
            web.get(f"{PATH}/records.zip", self.handle_zip),
            web.get(f"{PATH}/records/{{name}}", self.handle_record),
            web.get(f"{PATH}/summary.html", self.handle_summary_html),
            web.get(f"{PATH}/summary.csv", self.handle_summary_csv),
        ]

    def allowed(self, request: web.Request) -> bool:
        return hmac.compare_digest(request.cookies.get(COOKIE, ""), self.cookie)

    def _guard(self, request: web.Request) -> None:
        if not self.allowed(request):
            raise web.HTTPForbidden(text=FORBIDDEN, content_type="text/html", headers=SECURITY_HEADERS)

    async def handle_page(self, request: web.Request) -> web.StreamResponse:
        given = request.query.get("token")
        if given is not None:
            if not hmac.compare_digest(given, self.token):
                raise web.HTTPForbidden(text=FORBIDDEN, content_type="text/html", headers=SECURITY_HEADERS)
            # The token is traded for the cookie, and dropped from the address at once. Not by an
            # HTTP redirect: a browser that followed a link from another site (a chat, an e-mail)
            # counts the redirect as that site's too and withholds the SameSite=Strict cookie;
            # this page's own refresh is a same-site navigation, and replaces the entry in history.
            response = web.Response(text=OPENING, content_type="text/html", headers=SECURITY_HEADERS)
            response.set_cookie(COOKIE, self.cookie, httponly=True, samesite="Strict", path=PATH, secure=request.secure)
            return response
        self._guard(request)
        return web.Response(text=(HERE / "teacher.html").read_text(encoding="utf-8"), content_type="text/html", headers=SECURITY_HEADERS)

    async def handle_script(self, request: web.Request) -> web.StreamResponse:
        self._guard(request)
        text = (HERE / "teacher.js").read_text(encoding="utf-8")
        return web.Response(text=text, content_type="application/javascript", headers=SECURITY_HEADERS)

    async def handle_status(self, request: web.Request) -> web.StreamResponse:
        self._guard(request)
        status = await asyncio.to_thread(self.status)
        return web.json_response(status, headers=SECURITY_HEADERS)

    async def handle_zip(self, request: web.Request) -> web.StreamResponse:
        self._guard(request)
        data = await asyncio.to_thread(self.records_zip)
        name = f"kengir-records-{datetime.now().strftime('%Y%m%d-%H%M')}.zip"
        headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
        return web.Response(body=data, content_type="application/zip", headers=headers)

    async def handle_record(self, request: web.Request) -> web.StreamResponse:
        self._guard(request)
        name = request.match_info["name"]
        path = self.records / name
        if not RECORD_NAME.fullmatch(name) or not path.is_file():
            raise web.HTTPNotFound(text="No such record in the records folder.")
        headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
        return web.Response(body=path.read_bytes(), content_type="application/json", headers=headers)

    async def handle_summary_html(self, request: web.Request) -> web.StreamResponse:
        self._guard(request)
        text = await asyncio.to_thread(self.summary, "html")
        return web.Response(text=text, content_type="text/html", headers=SECURITY_HEADERS)

    async def handle_summary_csv(self, request: web.Request) -> web.StreamResponse:
        self._guard(request)
        if not csv_available():
            raise web.HTTPNotFound(text="This version of the game has no CSV class summary yet.")
        text = await asyncio.to_thread(self.summary, "csv")
        name = f"kengir-class-{datetime.now().strftime('%Y%m%d-%H%M')}.csv"
        headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
        # A byte-order mark: spreadsheets then read the file as UTF-8 (names with accents).
        return web.Response(body=("\ufeff" + text).encode("utf-8"), content_type="text/csv", charset="utf-8", headers=headers)

    # -------------------------------------------------------- what the page shows

    @property
    def story(self) -> Any:
        if self._story is None:
            self._story = self.story_loader()
        return self._story

    def session_row(self, name: str, seen: Seen, now: float) -> dict[str, Any]:
        row: dict[str, Any] = {"session": name[2:8], "connected": seen.service is not None, "since": _iso(seen.started)}
        service = seen.service
        if service is not None:
            row["idle_seconds"] = round(time.monotonic() - getattr(service, "last_input", time.monotonic()))
        else:
            row["idle_seconds"] = round(now - (seen.ended or now))
        save = newest_autosave(seen.folder)
        if save is None:
            row.update(state="on the title screen")
            return row
        try:
            mark = (save.name, save.stat().st_mtime_ns)
        except OSError:  # replaced by a newer one between the listing and now
            return row
        cached = self._saves.get(seen.folder)
        if cached is None or cached[0] != mark:
            try:
                document = json.loads(save.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return row
            try:
                cached = (mark, status_of_save(self.story, document))
            except Exception:  # a bug of ours for one save: logged, and the rest of the class still shown
                log.exception("the teacher's page could not read %s", save)
                cached = (mark, {"state": "unreadable save"})
            self._saves[seen.folder] = cached
        row.update(cached[1])
        return row

    def record_rows(self) -> list[dict[str, Any]]:
        from game.classroom.signature import check_signature

        rows = []
        try:
            files = sorted(self.records.glob("*.json"), key=lambda p: p.stat().st_mtime)
        except OSError:
            files = []
        for path in files:
            if not RECORD_NAME.fullmatch(path.name):
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            mark = (stat.st_mtime_ns, stat.st_size)
            cached = self._records.get(path.name)
            if cached is None or cached[0] != mark:
                cached = (mark, self._record_row(path, check_signature))
                self._records[path.name] = cached
            if cached[1] is not None:
                rows.append(cached[1])
        return rows

    def _record_row(self, path: Path, check_signature: Any) -> dict[str, Any] | None:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"file": path.name, "student": "", "signature": "not a readable record"}
        if not isinstance(record, dict) or record.get("format") != "kengir-record":
            return None
        holds, _ = check_signature(record, self.key)
        signature = "signed by this server" if holds else "unsigned" if record.get("signature") is None else "signature does not hold"
        ending = record.get("ending") if isinstance(record.get("ending"), dict) else None
        assignment = record["assignment"] if isinstance(record.get("assignment"), dict) else {}
        return {
            "file": path.name,
            "student": str(record.get("student") or ""),
            "assignment": str(assignment.get("title") or ""),
            "perspective": str(record.get("perspective_title") or record.get("perspective") or ""),
            "ending": str(ending.get("title")) if ending else "",
            "complete": bool(record.get("complete")),
            "reflections": len(record.get("reflections") or []),
            "finished_at": str(record.get("finished_at") or ""),
            "signature": signature,
        }

    def status(self) -> dict[str, Any]:
        now = time.time()
        sessions = sorted(self.sessions.items(), key=lambda item: item[1].started)
        rows = [self.session_row(name, seen, now) for name, seen in sessions]
        return {
            "now": _iso(now),
            "connected": sum(1 for row in rows if row["connected"]),
            "sessions": rows,
            "records": self.record_rows(),
            "csv": csv_available(),
        }

    def _records_read(self) -> list[tuple[Path, dict[str, Any]]]:
        from game.classroom import RecordError, parse_record

        found = []
        for path in sorted(self.records.glob("*.json")):
            if not RECORD_NAME.fullmatch(path.name):
                continue
            try:
                found.append((path, parse_record(path.read_text(encoding="utf-8"), path.name)))
            except (OSError, UnicodeDecodeError, RecordError):
                continue
        return found

    def records_zip(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(self.records.glob("*.json")):
                if RECORD_NAME.fullmatch(path.name):
                    try:
                        archive.writestr(path.name, path.read_bytes())
                    except OSError:
                        continue
        return buffer.getvalue()

    def summary(self, form: str) -> str:
        """The class summary of every record in the folder, names included (this page is the
        teacher's own), with each record checked by replay where this version can."""
        import game.classroom as classroom
        from game.classroom import summary as summary_module

        found = self._records_read()
        # Where this version checks records with the key (the classroom's check_record), the
        # summary marks those that fail and counts the rest; else every record is counted.
        check = getattr(classroom, "check_record", None) or getattr(sys.modules.get("game.classroom.record"), "check_record", None)
        summarise_class = getattr(summary_module, "summarise_class", None)
        if check is not None and summarise_class is not None:
            entries = [(path, record, check(self.story, record, self.key)) for path, record in found]
            summary = summarise_class(self.story, entries, names=True)
        else:
            summary = summary_module.summarise([record for _, record in found], names=True)
        to_csv = getattr(summary_module, "to_csv", None)  # the classroom's CSV, where this version has it
        if form == "csv" and to_csv is not None:
            return str(to_csv(summary))
        return str(summary_module.to_html(summary))


def csv_available() -> bool:
    from game.classroom import summary as summary_module

    return hasattr(summary_module, "to_csv") and hasattr(summary_module, "summarise_class")
