"""`kengir serve`: the game in a lab's browsers, one game process per browser (textual-serve).

How it works
------------
textual-serve runs an aiohttp server: `GET /` returns a page whose script opens a websocket to
`/ws`, and each websocket starts one game process (a shell command) that talks Textual's web
driver protocol over its stdin and stdout. textual-serve itself gives every visitor the same
command, so every visitor would share one save folder. This module subclasses its `Server` to
give each browser its own folder, and changes nothing in how the game is drawn.

Which folder a browser gets
---------------------------
- `GET /` hands the browser a session id in a cookie (`kengir_session`): 32 random hex digits
  from `secrets`, made by the server. A first visit is sent back to `/?session=1` with the
  cookie, and gets its page there (so a proxy that routes by the cookie sends the page and the
  game to the same instance). The cookie is HttpOnly, SameSite=Lax, and lives until
  the browser is closed, so a lab machine's next class does not inherit the last student's
  game. `GET /new` forgets it and hands out a fresh one (a new student at the same browser).
- The websocket of the same page carries the cookie (same origin; the page points the websocket
  at the host the browser used, not at the address the server was bound to).
- The id is accepted only if it is exactly 32 lowercase hex digits; anything else is ignored
  and replaced. The folder's name is not the id but `s-` and the first 32 hex digits of
  SHA-256("kengir-session:" + id): the client never supplies a path or a name, and whoever can
  list the server's folders cannot read a browser's id off them to take over its saves.
- The game process runs `kengir play --saves SAVES/s-<hash> --records RECORDS` (and
  `--assignment FILE`, `--story DIR` when given). On Linux it is forked from a process that has
  already imported the game and loaded the story (game/web/forkserver.py: a class starts at
  once, in less memory); elsewhere, with `--start spawn`, or if that process cannot fork, it is
  started as `python -m game play ...` by a shell, the arguments quoted with `shlex`.
  The game keeps its saves, settings and endings found in that folder (game/session/paths.py), so
  a session can never list, load or overwrite another's saves.
- The same browser coming back (a reload, the "Restart" button, a reconnect after the network
  dropped) gets the same folder, and the title screen offers Continue. One browser plays one
  game at a time: a second tab of the same browser takes the game over, and the first tab's
  process is asked to quit (and killed if it has not within a few seconds) before the new one
  starts, so two processes never write the same folder at once.
- A websocket without a valid cookie (a client that never loaded the page) gets a fresh id of
  its own for that one connection: it can play, but cannot Continue later.

Records and downloads
---------------------
Every session writes the record of an assigned session into the one folder the teacher names
(`--records`; the file names carry the student's name, time and seed). When the game hands the
record to the browser with `App.deliver_text`, textual-serve announces a download key on the
websocket and the page fetches `/download/<key>`. textual.js opens that URL with `window.open`,
which a browser's pop-up blocker may stop when no key was pressed just before; the page served
here turns such a same-origin download URL into a link click instead, which browsers allow.

Capacity
--------
`--max-sessions N` counts the games running plus the pages handed out in the last 30 seconds
whose websocket has not connected yet. Past N, `GET /` answers 503 with a readable page that
tries again by itself, and a websocket past N (a race, or a client that skipped the page) is
told so on the terminal and closed; no game process is started for either. A browser that
already holds a place (a reload, a second tab) is never refused.

Signed records and the teacher's page
-------------------------------------
At start the server reads its key (`--key`, made with mode 0600 on the first start) and gives
each game `play --sign-key FILE`, so the records it writes are signed (game/classroom/signature.py).
The teacher's page, /teacher, opens with a token derived from the key (game/web/teacher.py).
The websocket refuses pages of other sites, and new games start at most `--starts-per-second`
a second (game/web/hardening.py).

Students need no password: the server binds 127.0.0.1 unless `--host` says otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import html
import logging
import os
import re
import secrets
import shlex
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from game.web.hardening import StartPace, redact_logs, same_origin

try:  # the `web` extra
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    from game.web.teacher import TeacherDesk

    HAVE_WEB = True
except ImportError:  # reported by serve(), which is the only way in
    HAVE_WEB = False
    Server = object  # type: ignore[misc,assignment]
    AppService = object  # type: ignore[misc,assignment]

from game.web.forkserver import ForkedProcess, ForkServer, fork_available

log = logging.getLogger("kengir.serve")

COOKIE = "kengir_session"
TOKEN = re.compile(r"[0-9a-f]{32}")
FOLDER = re.compile(r"s-[0-9a-f]{32}")
RESERVATION_SECONDS = 30.0
STOP_SECONDS = 5.0
FIRST_VISIT = "session"  # the mark on the address a first visit is sent back to with its cookie

INSTALL_HINT = (
    "kengir serve needs the optional `web` extra (textual-serve), which is not installed.\n"
    "Install it with:\n"
    "  pip install -e '.[web]'      (from a checkout of the game's source)\n"
    "  pip install 'kengir[web]'    (otherwise)\n"
    "using the same Python (or virtual environment) that runs `kengir`.\n"
)


# ------------------------------------------------------------------ sessions and folders


def new_token() -> str:
    return secrets.token_hex(16)


def valid_token(value: str | None) -> str | None:
    """The session id if it is exactly 32 lowercase hex digits, else None."""
    return value if value is not None and TOKEN.fullmatch(value) else None


def folder_name(token: str) -> str:
    """The name of a session's save folder: a hash of its id (never anything the client sent)."""
    if not TOKEN.fullmatch(token):
        raise ValueError("not a session id")
    return "s-" + hashlib.sha256(f"kengir-session:{token}".encode()).hexdigest()[:32]


@dataclass
class Places:
    """The --max-sessions book: running games, and pages handed out whose websocket is awaited."""

    limit: int | None
    running: dict[str, Any] = field(default_factory=dict)  # token -> its AppService
    reserved: dict[str, float] = field(default_factory=dict)  # token -> when the reservation lapses

    def _expire(self, now: float) -> None:
        for token, until in list(self.reserved.items()):
            if until <= now:
                del self.reserved[token]

    def taken(self, now: float | None = None) -> int:
        self._expire(time.monotonic() if now is None else now)
        return len(self.running.keys() | self.reserved.keys())

    def holds(self, token: str) -> bool:
        return token in self.running or token in self.reserved

    def reserve(self, token: str, now: float | None = None) -> bool:
        """Keep a place for the page just handed to `token`; False when the class is full."""
        now = time.monotonic() if now is None else now
        if not self.holds(token) and self.limit is not None and self.taken(now) >= self.limit:
            return False
        if token not in self.running:
            self.reserved[token] = now + RESERVATION_SECONDS
        return True

    def admit(self, token: str, now: float | None = None) -> bool:
        """May `token`'s websocket start (or take over) a game?"""
        now = time.monotonic() if now is None else now
        return self.holds(token) or self.limit is None or self.taken(now) < self.limit


@dataclass(frozen=True)
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    saves: Path = Path("saves/browser")
    records: Path = Path("saves/records")
    assignment: Path | None = None
    story: Path | None = None
    max_sessions: int | None = None
    python: str = sys.executable
    fork: bool = False  # fork each game from the fork server (game/web/forkserver.py)
    key: Path | None = None  # the signing key's file (teacher.py, game/classroom/signature.py)
    starts_per_second: float = 10.0

    def play_args(self, folder: Path) -> list[str]:
        """The arguments of `kengir play` for the session whose save folder is `folder`."""
        argv = ["play", "--saves", str(folder), "--records", str(self.records)]
        if self.story is not None:
            argv += ["--story", str(self.story)]
        if self.assignment is not None:
            argv += ["--assignment", str(self.assignment)]
        if self.key is not None:
            argv += ["--sign-key", str(self.key)]
        return argv

    def command(self, folder: Path) -> str:
        """The shell command of one session's game process (textual-serve runs it with a shell)."""
        return shlex.join([self.python, "-m", "game", *self.play_args(folder)])

    def load_story(self) -> Any:
        """The story the games play (the teacher's page replays their autosaves with it)."""
        from game.format import load_story
        from game.session.paths import cache_dir, story_dir

        return load_story(story_dir(self.story), cache_dir())


# ------------------------------------------------------------------ pages

PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>{title}</title>
    <link rel="stylesheet" href="/static/css/xterm.css">
    <style>
      /* The font travels with textual-serve: a lab without internet access looks the same. */
      @font-face {{ font-family: "Roboto Mono"; src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf"); }}
      @font-face {{ font-family: "Roboto Mono"; font-style: italic; src: url("/static/fonts/RobotoMono-Italic-VariableFont_wght.ttf"); }}
      html, body {{ margin: 0; height: 100%; background: #0c181f; }}
      .dialog-container {{ position: absolute; width: 100vw; height: 100vh; display: flex;
        align-items: center; justify-content: center; z-index: 10; }}
      .shade {{ position: absolute; width: 100%; height: 100%; background: #0c181f; }}
      .intro {{ width: 640px; min-height: 200px; font-size: 18px; z-index: 20;
        font-family: "Roboto Mono", monospace; text-align: center; color: rgba(255,255,255,.95);
        background-color: #12232d; display: flex; flex-direction: column; align-items: center;
        justify-content: center; margin: 32px; padding: 16px; }}
      body.-first-byte .intro-dialog {{ display: none; }}
      body .textual-terminal {{ opacity: 0; width: 100vw; height: 100vh; }}
      body.-first-byte .textual-terminal {{ opacity: 1; transition: opacity .3s ease-out; }}
      button {{ padding: 12px 28px; background-color: #5e0ba7; color: #fff; border: none;
        font-family: "Roboto Mono", monospace; font-size: 16px; margin: 16px; cursor: pointer; }}
      button:hover {{ background: #ac5af4; }}
      .closed-dialog {{ display: none; }}
      body.-closed .closed-dialog {{ display: flex; }}
      .small {{ font-size: 14px; opacity: .8; }}
    </style>
    <script>
      // textual.js opens a download with window.open, which pop-up blockers may stop;
      // a click on a same-origin link downloads without a pop-up.
      (function () {{
        const open = window.open.bind(window);
        window.open = function (url, target, features) {{
          try {{
            const u = new URL(url, window.location.href);
            if (u.origin === window.location.origin && u.pathname.startsWith("/download/")) {{
              const a = document.createElement("a");
              a.href = u.href;
              a.download = "";
              document.body.appendChild(a);
              a.click();
              a.remove();
              return null;
            }}
          }} catch (e) {{}}
          return open(url, target, features);
        }};
      }})();
      function restart() {{ window.location.href = "/"; }}
    </script>
    <script src="/static/js/textual.js"></script>
  </head>
  <body>
    <div class="dialog-container intro-dialog">
      <div class="shade"></div>
      <div class="intro"><div>{title}</div><div class="small">Starting the game…</div></div>
    </div>
    <div class="dialog-container closed-dialog">
      <div class="shade"></div>
      <div class="intro">
        <div>The game has ended, or was opened in another tab of this browser.</div>
        <div class="small">Your progress is saved: Restart, then Continue.</div>
        <button type="button" onclick="restart()">Restart</button>
      </div>
    </div>
    <div id="terminal" class="textual-terminal"
         data-session-websocket-url="{websocket}" data-font-size="{font_size}"></div>
    <noscript>This game needs JavaScript.</noscript>
    <script>
      // The websocket goes back the way the page came: through a proxy in front of the server
      // (nginx, docs/DEPLOY.md), with wss:// when the page came over https. textual.js reads
      // the address when the page has loaded, after this.
      (function () {{
        const terminal = document.getElementById("terminal");
        const url = new URL("/ws", window.location.href);
        url.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
        terminal.dataset.sessionWebsocketUrl = url.href;
      }})();
    </script>
  </body>
</html>
"""

FULL_PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta http-equiv="refresh" content="20">
    <title>The class is full: {title}</title>
    <style>
      body {{ background: #0c181f; color: #f2f2f2; font-family: sans-serif; font-size: 20px;
        display: flex; align-items: center; justify-content: center; min-height: 90vh; }}
      main {{ max-width: 36em; background: #12232d; padding: 2em; line-height: 1.5; }}
    </style>
  </head>
  <body>
    <main>
      <h1>The class is full</h1>
      <p>All {limit} places on this server are taken, so the game cannot start here yet.</p>
      <p>This page tries again every 20 seconds. If it goes on saying this, ask your teacher:
         a student may have left a tab open, or the server may allow more places
         (<code>kengir serve --max-sessions</code>).</p>
    </main>
  </body>
</html>
"""

BUSY_TERMINAL = "\r\n  Many games are starting on this server at once.\r\n  Wait a minute, then reload this page.\r\n"

FULL_TERMINAL = (
    "\r\n  The class is full: all {limit} places on this server are taken.\r\n  Close this tab, or ask your teacher, then try again.\r\n"
)


def _font_size(value: str) -> int:
    try:
        return min(max(int(value), 8), 48)
    except ValueError:
        return 16


# ------------------------------------------------------------------ the server


class KengirServer(Server):
    """textual-serve's Server, with a save folder per browser and a limit on sessions."""

    def __init__(self, config: ServeConfig, key: bytes | None = None) -> None:
        super().__init__(config.command(config.saves), host=config.host, port=config.port, title="Kengir: Forty Days")
        self.config = config
        self.places = Places(config.max_sessions)
        self.pace = StartPace(config.starts_per_second)
        self.teacher = TeacherDesk(config.records, key, config.load_story) if key is not None else None
        self.locks: dict[str, asyncio.Lock] = {}
        self.started = 0
        self.forks: ForkServer | None = None

    def initialize_logging(self) -> None:
        """One plain line per session started or ended; no log line per request."""
        logging.basicConfig(level="DEBUG" if self.debug else "INFO", format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
        redact_logs()  # the teacher's token never reaches a log, whatever the level

    # -------------------------------------------------------- routes

    async def _make_app(self) -> web.Application:
        app = web.Application()
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/new", self.handle_new, name="new"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
                *(self.teacher.routes() if self.teacher is not None else []),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def _set_cookie(self, response: web.StreamResponse, token: str) -> None:
        response.set_cookie(COOKIE, token, httponly=True, samesite="Lax", path="/")

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        token = valid_token(request.cookies.get(COOKIE))
        if token is None and FIRST_VISIT not in request.query:
            # A first visit gets its cookie before its page. Behind a proxy that sends each
            # browser to an instance by this cookie (docs/DEPLOY.md), the page then comes from
            # the instance that will run its game, and its place is booked there. A browser that
            # keeps no cookies comes back with the mark and gets the page all the same.
            query = {**request.query, FIRST_VISIT: "1"}
            redirect = web.Response(status=302, headers={"Location": f"/?{urlencode(query)}", "Cache-Control": "no-store"})
            self._set_cookie(redirect, new_token())
            return redirect
        token = token or new_token()
        if not self.places.reserve(token):
            log.warning("refused a page: all %s places are taken", self.places.limit)
            response: web.StreamResponse = web.Response(
                status=503,
                content_type="text/html",
                headers={"Retry-After": "20"},
                text=FULL_PAGE.format(title=html.escape(self.title), limit=self.places.limit),
            )
        else:
            scheme = "wss" if request.secure else "ws"
            page = PAGE.format(
                title=html.escape(self.title),
                font_size=_font_size(request.query.get("fontsize", "16")),
                websocket=html.escape(f"{scheme}://{request.host}/ws"),
            )
            response = web.Response(text=page, content_type="text/html", headers={"Cache-Control": "no-store"})
        self._set_cookie(response, token)
        return response

    async def handle_new(self, request: web.Request) -> web.StreamResponse:
        """A fresh session id (a new student at the same browser), then the game."""
        response = web.Response(status=302, headers={"Location": "/", "Cache-Control": "no-store"})
        self._set_cookie(response, new_token())
        return response

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's download, with the file name quoted (a name may hold spaces)."""
        key = request.match_info["key"]
        try:
            meta = await self.download_manager.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text="This download has expired; the record is kept on the server.") from None
        response = web.StreamResponse()
        response.content_type = meta.mime_type
        if meta.encoding:
            response.charset = meta.encoding
        disposition = "inline" if meta.open_method == "browser" else "attachment"
        name = re.sub(r"[^A-Za-z0-9._ -]+", "_", meta.file_name) or "download"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
        await response.prepare(request)
        async for chunk in self.download_manager.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    # -------------------------------------------------------- games

    def folder_for(self, token: str) -> Path:
        name = folder_name(token)
        assert FOLDER.fullmatch(name)
        folder = self.config.saves / name
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not same_origin(request.headers.get("Origin"), request.host):
            log.warning("refused a websocket from another site's page")
            raise web.HTTPForbidden(text="This game opens from its own page only.")
        websocket = web.WebSocketResponse(heartbeat=15)
        token = valid_token(request.cookies.get(COOKIE)) or new_token()
        width = _clamp(request.query.get("width", "80"), 80, 20, 500)
        height = _clamp(request.query.get("height", "24"), 24, 8, 300)
        await websocket.prepare(request)
        if not self.places.admit(token):
            log.warning("refused a websocket: all %s places are taken", self.places.limit)
            await websocket.send_bytes(FULL_TERMINAL.format(limit=self.places.limit).encode())
            await websocket.close()
            return websocket
        wait = self.pace.delay()
        if wait is None:
            log.warning("refused a websocket: too many games starting at once")
            await websocket.send_bytes(BUSY_TERMINAL.encode())
            await websocket.close()
            return websocket
        await asyncio.sleep(wait)  # a class opening at once gets in, spaced out
        lock = self.locks.setdefault(token, asyncio.Lock())
        service: GameService | None = None
        folder = self.folder_for(token)

        async def close_websocket() -> None:
            await websocket.close()

        try:
            async with lock:
                previous = self.places.running.get(token)
                if previous is not None:  # the same browser again (a second tab): the newest wins
                    log.info("session %s taken over by a new tab", token[:6])
                    await previous.stop_within(STOP_SECONDS)
                    with contextlib.suppress(ConnectionError, RuntimeError):
                        await previous.remote_close()
                folder = self.folder_for(token)
                service = GameService(
                    self.config.command(folder),
                    play_args=self.config.play_args(folder),
                    forks=self.forks,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=close_websocket,
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                self.places.running[token] = service
                self.places.reserved.pop(token, None)
                await service.start(width, height)
                self.started += 1
                if self.teacher is not None:
                    self.teacher.started(folder, service)
                log.info("session %s started (%d running)", token[:6], len(self.places.running))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # a broken client must not take the server down
            log.exception(error)
        finally:
            if service is not None:
                if self.teacher is not None:
                    self.teacher.ended(folder, service)
                await service.stop_within(STOP_SECONDS)
                if self.places.running.get(token) is service:
                    del self.places.running[token]
                    log.info("session %s ended (%d running)", token[:6], len(self.places.running))
        return websocket

    async def on_startup(self, app: web.Application) -> None:
        self.config.records.mkdir(parents=True, exist_ok=True)
        self.config.saves.mkdir(parents=True, exist_ok=True)
        if self.config.fork and not self.debug:
            forks = ForkServer(self.config.python, self.config.story, web_environment())
            if await forks.start():
                self.forks = forks
            else:
                log.warning("the fork server did not start: each game starts as a new process (python -m game play)")
        print(startup_message(self.config, self.teacher.token if self.teacher else None), flush=True)

    async def on_shutdown(self, app: web.Application) -> None:
        await asyncio.gather(*(service.stop_within(STOP_SECONDS) for service in list(self.places.running.values())), return_exceptions=True)
        if self.forks is not None:
            await self.forks.close()


def _clamp(value: str, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value), low), high)
    except ValueError:
        return default


def web_environment(width: int = 80, height: int = 24) -> dict[str, str]:
    """The environment textual-serve gives a game (Textual's web driver, the terminal's size):
    the fork server imports Textual in it, since Textual reads its settings once, on import."""
    from types import SimpleNamespace

    return AppService._build_environment(SimpleNamespace(debug=False), width, height)  # type: ignore[arg-type]


class GameService(AppService):
    """One game process, forked by the fork server when there is one; stopping it never waits
    for ever."""

    def __init__(self, command: str, *, play_args: list[str], forks: ForkServer | None, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.play_args = play_args
        self.forks = forks

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        if self.forks is not None and self.forks.alive:
            try:
                process = await self.forks.fork(self.play_args, self._build_environment(width, height))
            except OSError as error:
                log.warning("could not fork a game (%s): starting it as a new process", error)
            else:
                self._process = process  # type: ignore[assignment]  # it has what AppService.run reads of a process
                self._stdin = process.stdin
                return process
        return await super()._open_app_process(width, height)

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            if isinstance(self._process, ForkedProcess):
                self._process.close()

    last_input = 0.0  # time.monotonic() of the browser's last key: the teacher's page shows idle time

    async def start(self, width: int, height: int) -> None:
        self.last_input = time.monotonic()
        await super().start(width, height)

    async def send_bytes(self, data: bytes) -> bool:
        self.last_input = time.monotonic()
        return bool(await super().send_bytes(data))

    async def stop_within(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self.stop(), seconds)
        except Exception:  # (a TimeoutError among them) a process that will not quit is killed
            process = self._process
            if isinstance(process, ForkedProcess):
                process.kill()
            elif process is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    _kill_tree(process.pid)
            if self._task is not None:
                self._task.cancel()
                with contextlib.suppress(BaseException):
                    await self._task
                self._task = None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid


def _kill_tree(pid: int) -> None:
    """Kill the shell textual-serve started and the game under it (their pids, no names).
    The game's pid is found in Linux's /proc; elsewhere only the shell is killed (on Windows
    os.kill ends the process with TerminateProcess, whatever the number)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        for child in children.read_text(encoding="ascii").split():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(child), 9)
    os.kill(pid, 9)


# ------------------------------------------------------------------ the command


def addresses(host: str, port: int) -> list[str]:
    """The addresses a browser can open."""
    if host in ("0.0.0.0", "::", ""):
        names: set[str] = set()
        with contextlib.suppress(OSError):
            names.update(a for a in socket.gethostbyname_ex(socket.gethostname())[2] if not a.startswith("127."))
        urls = [f"http://{a}:{port}/" for a in sorted(names)]
        return urls or [f"http://THIS-COMPUTER'S-ADDRESS:{port}/"]
    shown = f"[{host}]" if ":" in host else host
    return [f"http://{shown}:{port}/"]


def startup_message(config: ServeConfig, teacher_token: str | None = None) -> str:
    lines = ["Kengir: Forty Days is being served. Open this address in the students' browsers:"]
    lines += [f"    {url}" for url in addresses(config.host, config.port)]
    if config.host in ("127.0.0.1", "localhost", "::1"):
        lines.append("(Only this computer can reach it; `--host 0.0.0.0` serves the whole network, without passwords.)")
    lines.append(f"Each browser saves in its own folder under {config.saves}")
    lines.append(f"Records of assigned sessions are kept in {config.records}")
    if config.assignment is not None:
        lines.append(f"Assignment: {config.assignment}")
    if config.max_sessions is not None:
        lines.append(f"At most {config.max_sessions} games at once; the next browser is asked to wait.")
    lines.append("A new student at a browser already used: open /new. Press Ctrl+C to stop.")
    if teacher_token is not None:
        lines.append("The teacher's page (keep this address to yourself; it is the same while the key is):")
        lines += [f"    {url}teacher?token={teacher_token}" for url in addresses(config.host, config.port)[:1]]
    if config.key is not None:
        lines.append(f"Records are signed with the key in {config.key}; `kengir verify --key {config.key}` checks them.")
    return "\n".join(lines)


def config_from_args(args: argparse.Namespace) -> ServeConfig:
    from game.session.paths import lab_key_path, records_dir, saves_dir

    root = saves_dir(None)
    saves = Path(args.saves) if args.saves else root / "browser"
    records = records_dir(args.records, root)
    return ServeConfig(
        host=args.host,
        port=args.port,
        saves=saves.resolve(),
        records=records.resolve(),
        assignment=Path(args.assignment).resolve() if args.assignment else None,
        story=Path(args.story).resolve() if args.story else None,
        max_sessions=args.max_sessions,
        fork=(args.start or ("fork" if fork_available() else "spawn")) == "fork",
        key=Path(args.key or lab_key_path()).resolve(),
        starts_per_second=args.starts_per_second,
    )


def open_key(path: Path, err: Any) -> bytes | None:
    """The signing key at `path`, made (mode 0600) on first start; None after one line to `err`
    when it cannot be made or read, or when other users could read it."""
    from game.classroom import KeyFileError, load_or_create_key

    try:
        key = load_or_create_key(path)
    except KeyFileError as exc:
        err.write(f"kengir serve: {exc}\n")
        return None
    if os.name == "posix" and path.stat().st_mode & 0o077:
        err.write(f"kengir serve: {path}: other users can read the signing key; make it private with: chmod 600 {path}\n")
        return None
    return key


def serve(args: argparse.Namespace, err: Any = None) -> int:
    """`kengir serve`: check what can be checked before binding, then serve until Ctrl+C."""
    err = err or sys.stderr
    if not HAVE_WEB:
        err.write(INSTALL_HINT)
        return 2
    if not 0 < args.starts_per_second <= 1000:
        err.write("kengir serve: --starts-per-second must be more than 0 and at most 1000\n")
        return 2
    if args.max_sessions is not None and args.max_sessions < 1:
        err.write("kengir serve: --max-sessions must be at least 1\n")
        return 2
    if not 0 < args.port < 65536:
        err.write("kengir serve: --port must be between 1 and 65535\n")
        return 2
    if args.start == "fork" and not fork_available():
        err.write(f"kengir serve: --start fork works on Linux only; on {sys.platform} each game is started as a new process\n")
        return 2
    config = config_from_args(args)
    from game.session.story import load_story_or_report

    story = load_story_or_report(str(config.story) if config.story else None, err)
    if story is None:
        return 1
    if config.assignment is not None:
        from game.format import AssignmentError, load_assignment

        try:
            load_assignment(config.assignment, story)
        except AssignmentError as exc:
            for problem in exc.problems:
                err.write(f"{problem}\n")
            err.write("kengir serve: the assignment has errors; nothing was served.\n")
            return 1
    assert config.key is not None
    key = open_key(config.key, err)
    if key is None:
        return 1
    try:
        with socket.create_server((config.host, config.port), reuse_port=False):
            pass
    except OSError as exc:
        err.write(f"kengir serve: cannot listen on {config.host}:{config.port}: {exc.strerror or exc}\n")
        return 1
    KengirServer(config, key).serve()
    return 0
