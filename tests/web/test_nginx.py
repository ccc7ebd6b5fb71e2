"""Two `kengir serve` instances behind Debian's nginx, as docs/DEPLOY.md sets them up.

nginx runs in its own prefix under tmp (its main configuration, pid file, logs and temporary
folders there, as no system nginx.conf is used), on a free loopback port, in front of two
instances that share one folder for save folders and records. The site configuration is the
nginx block of docs/DEPLOY.md itself, with this test's ports: `hash $cookie_kengir_session
consistent` keeps a browser on one instance. Headless Chromium plays through nginx.

.ci/run installs nginx; in CI (env CI set) this test is never skipped: a missing nginx fails it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.web.serving import LOOP_STORY, ROOT, ServerProcess, free_port
from tests.web.test_browser import CHROMIUM, Tab
from tests.web.test_teacher import teacher_address

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
CI = bool(os.environ.get("CI"))

pytestmark = [
    pytest.mark.skipif(NGINX is None and not CI, reason="Debian's nginx is not installed (.ci/run installs it: apt-get install nginx)"),
    pytest.mark.skipif(CHROMIUM is None and not CI, reason="Debian's chromium is not installed (.ci/run installs it)"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kengir serve is tested on Linux (the lab server's system)"),
]

# An assignment of the loop story: from the first room, Leave is the end (a record is written).
ASSIGNMENT = """\
assignment:
  id: loop_out
  title: Out of the loop
  ask_name: false
"""

DEPLOY = ROOT / "docs" / "DEPLOY.md"

# The main configuration a system's nginx.conf would give, in tmp; DEPLOY.md's site inside.
MAIN = """\
daemon off;
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    access_log {prefix}/access.log;
    # The test's own log (never DEPLOY.md's): which instance served each browser's requests.
    log_format routed '$cookie_kengir_session $upstream_addr "$request" $status';
    access_log {prefix}/routed.log routed;
    include {prefix}/kengir.conf;
}}
"""


def deploy_site(port: int, upstreams: list[int], prefix: Path) -> str:
    """DEPLOY.md's nginx block, with this test's ports in place of 80, 8001 and 8002, and its
    access log in `prefix`, beside the test's own two (a server's access_log replaces the
    http block's, so they are named here too)."""
    [block] = re.findall(r"```nginx\n(.*?)```", DEPLOY.read_text(encoding="utf-8"), re.S)
    logs = f"access_log {prefix}/kengir.log kengir; access_log {prefix}/access.log; access_log {prefix}/routed.log routed;"
    for old, new in (
        ("listen 80 ", f"listen 127.0.0.1:{port} "),
        ("127.0.0.1:8001;", f"127.0.0.1:{upstreams[0]};"),
        ("127.0.0.1:8002;", f"127.0.0.1:{upstreams[1]};"),
        ("access_log /var/log/nginx/kengir.log kengir;", logs),
    ):
        assert block.count(old) == 1, f"DEPLOY.md's nginx block has no single {old!r}"
        block = block.replace(old, new)
    return block


class Nginx:
    """Debian's nginx in the foreground, everything it writes under `prefix`."""

    def __init__(self, prefix: Path, upstreams: list[int]):
        assert NGINX is not None, "nginx is not installed; .ci/run installs it (apt-get install nginx)"
        prefix.mkdir(parents=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.prefix = prefix
        # Run as root (a container), nginx would hand its workers to `nobody`, who cannot enter tmp.
        user = "user root;" if os.geteuid() == 0 else ""
        (prefix / "nginx.conf").write_text(MAIN.format(user=user, prefix=prefix), encoding="utf-8")
        (prefix / "kengir.conf").write_text(deploy_site(self.port, upstreams, prefix), encoding="utf-8")
        self.process = subprocess.Popen(
            [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=(prefix / "stderr.log").open("wb"),
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise TimeoutError(f"nginx did not listen within 15 s:\n{self.log()}")

    def log(self) -> str:
        return "\n".join(
            p.read_text(encoding="utf-8", errors="replace") for p in (self.prefix / "stderr.log", self.prefix / "error.log") if p.exists()
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: the workers finish, then the master
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def session_cookie(tab: Tab) -> str:
    [value] = [c["value"] for c in tab.context.cookies() if c["name"] == "kengir_session"]
    return value


def starts(server: ServerProcess, token: str) -> int:
    """How many games `server` has started for the browser holding `token` (its log's lines)."""
    return len(re.findall(rf"session {token[:6]} started", server.output()))


def start_game(tab: Tab) -> None:
    """From the title to the loop story's first room (through the content note if shown)."""
    tab.page.wait_for_timeout(150)
    since = tab.sent()
    tab.page.focus(".xterm-helper-textarea")
    tab.page.keyboard.press("n")
    tab.page.wait_for_function("(since) => /Alpha room|Full scenes/.test(window.__kengir.text.slice(since))", arg=since, timeout=30_000)
    if "Full scenes" in tab.page.evaluate("(since) => window.__kengir.text.slice(since)", since):
        tab.press("1", "Alpha room")


def wait_for_records(folder: Path, count: int) -> list[Path]:
    deadline = time.monotonic() + 20
    while len(list(folder.glob("*.json"))) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)


def test_two_instances_behind_nginx_keep_each_browser_and_share_records(browser: object, tmp_path: Path) -> None:
    if NGINX is None:
        pytest.fail("nginx is not installed; in CI .ci/run installs it (apt-get install nginx)")
    shared = tmp_path / "shared"  # the folder every instance shares (DEPLOY.md: /srv/kengir)
    records = shared / "records"
    assignment = tmp_path / "assignment.yaml"
    assignment.write_text(ASSIGNMENT, encoding="utf-8")
    for work in ("a", "b"):
        (tmp_path / work).mkdir()
    # Every instance is given the one key in the shared folder (DEPLOY.md): the same teacher's
    # address on each, and every record signed so that any instance's page says it holds.
    key = shared / "lab.key"
    options = ("--assignment", str(assignment), "--saves", str(shared / "browser"), "--records", str(records), "--key", str(key))
    with (
        ServerProcess(tmp_path / "a", *options, story=LOOP_STORY) as a,
        ServerProcess(tmp_path / "b", *options, story=LOOP_STORY) as b,
    ):
        nginx = Nginx(tmp_path / "nginx", [a.port, b.port])
        wanted = {"a": 1, "b": 2}  # students per instance: b's second will see b stop
        tabs: dict[str, list[Tab]] = {"a": [], "b": []}
        try:
            # New students until each instance has its own (the cookie's hash decides; bounded).
            for _ in range(30):
                tab = Tab(browser, nginx.url)
                tab.wait_for("New game")
                token = session_cookie(tab)
                on = [name for name, server in (("a", a), ("b", b)) if starts(server, token)]
                assert len(on) == 1, f"one instance started this browser's game, not {on}"
                if len(tabs[on[0]]) < wanted[on[0]]:
                    tabs[on[0]].append(tab)
                else:
                    tab.close()
                if all(len(tabs[name]) == n for name, n in wanted.items()):
                    break
            assert all(len(tabs[name]) == n for name, n in wanted.items()), "thirty browsers, and an instance still lacks one"

            # A browser stays on its instance: every reload starts its game there again.
            tab, token = tabs["a"][0], session_cookie(tabs["a"][0])
            for _ in range(3):
                tab.page.reload()
                tab.wait_for("New game")
            assert starts(a, token) == 4 and starts(b, token) == 0
            assert session_cookie(tab) == token

            # A student on each instance plays to the end: each record lands in the shared folder.
            start_game(tabs["a"][0])
            tabs["a"][0].press("2", "Outside")  # Leave: the ending
            assert len(wait_for_records(records, 1)) == 1, "instance a wrote its record"
            start_game(tabs["b"][0])
            tabs["b"][0].press("2", "Outside")
            found = wait_for_records(records, 2)
            assert len(found) == 2, f"records in the shared folder: {[p.name for p in found]}"

            # The teacher opens the printed address through nginx: whichever instance answers
            # shows both records from the shared folder, signed with the shared key, and lists
            # the games it runs itself.
            address = teacher_address(a).replace(a.url, nginx.url)
            assert teacher_address(b).split("token=")[1] == address.split("token=")[1]
            teacher = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
            with teacher.open(address, timeout=10) as response:
                assert response.status == 200
            with teacher.open(nginx.url + "teacher/status", timeout=10) as response:
                status = json.loads(response.read())
            assert sorted(r["file"] for r in status["records"]) == sorted(p.name for p in found)
            assert {r["signature"] for r in status["records"]} == {"signed by this server"}
            assert status["sessions"], "the answering instance lists its own games"
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(nginx.url + "teacher/status", timeout=10)  # no cookie: refused
            assert refused.value.code == 403
            # DEPLOY.md's own log keeps the teacher's path, never the token in its query.
            kept = (nginx.prefix / "kengir.log").read_text(encoding="utf-8")
            assert '"GET /teacher" 200' in kept and address.split("token=")[1] not in kept

            # An instance stops: its browser is sent to the other, which finds its save folder.
            moved, moved_token = tabs["b"][1], session_cookie(tabs["b"][1])
            start_game(moved)
            b.stop()
            moved.page.reload()
            moved.wait_for("Continue")
            assert starts(a, moved_token) == 1
            moved.press("c", "Alpha room")

            # Every request of a browser that had its cookie went to one instance (nginx's own log).
            routes: dict[str, set[str]] = {}
            for line in (nginx.prefix / "routed.log").read_text(encoding="utf-8").splitlines():
                cookie, upstream = line.split()[:2]
                if cookie != "-" and upstream != "-":
                    routes.setdefault(cookie, set()).add(upstream)
            assert routes and all(len(routes[c]) == 1 for c in routes if c != moved_token), routes
            # The games' websockets went through nginx (101: switched to the websocket protocol).
            access = (nginx.prefix / "access.log").read_text(encoding="utf-8")
            assert re.search(r'"GET /ws\?width=\d+&height=\d+ HTTP/1.1" 101 ', access), access[-2000:]
        finally:
            for tab in tabs["a"] + tabs["b"]:
                tab.close()
            nginx.stop()
