"""Two `kengir serve` instances behind Debian's nginx, as docs/DEPLOY.md sets them up.

nginx runs unprivileged in its own prefix under tmp (its configuration, pid file, logs and
temporary folders there), on a free loopback port, in front of two instances that share one
folder for save folders and records. The upstream block is DEPLOY.md's: `hash
$cookie_kengir_session consistent`, so a browser, once it holds its session cookie, always
reaches the same instance. Headless Chromium plays through nginx (the websocket included).

.ci/run installs nginx; in CI (env CI set) this test is never skipped: a missing nginx fails it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.serving import LOOP_STORY, ServerProcess, free_port
from tests.web.test_browser import ARGS, CHROMIUM, Tab

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

# DEPLOY.md's configuration, with the paths and ports of this test (the lines marked `test`
# are what a system-wide nginx sets in its own nginx.conf).
CONF = """\
daemon off;                                              # test: run in the foreground
{user}
worker_processes 1;
pid {prefix}/nginx.pid;                                  # test
error_log {prefix}/error.log info;                       # test
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/access.log;                      # test
    client_body_temp_path {prefix}/client_body;          # test
    proxy_temp_path {prefix}/proxy;                      # test
    fastcgi_temp_path {prefix}/fastcgi;                  # test
    uwsgi_temp_path {prefix}/uwsgi;                      # test
    scgi_temp_path {prefix}/scgi;                        # test

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    upstream kengir {{
        hash $cookie_kengir_session consistent;
        server 127.0.0.1:{port_a};
        server 127.0.0.1:{port_b};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://kengir;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
        }}
    }}
}}
"""


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
        conf = CONF.format(user=user, prefix=prefix, port=self.port, port_a=upstreams[0], port_b=upstreams[1])
        (prefix / "nginx.conf").write_text(conf)
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
        return "\n".join(p.read_text(errors="replace") for p in (self.prefix / "stderr.log", self.prefix / "error.log") if p.exists())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: the workers finish, then the master
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def session_cookie(tab: Tab) -> str:
    [value] = [c["value"] for c in tab.context.cookies() if c["name"] == "kengir_session"]
    return value


def starts(server: ServerProcess, token: str) -> int:
    """How many games `server` has started for the browser holding `token` (its log's lines)."""
    return len(re.findall(rf"session {token[:6]} started", server.output()))


def test_two_instances_behind_nginx_keep_each_browser_and_share_records(browser: object, tmp_path: Path) -> None:
    if NGINX is None:
        pytest.fail("nginx is not installed; in CI .ci/run installs it (apt-get install nginx)")
    shared = tmp_path / "shared"  # the folder every instance shares (DEPLOY.md: /srv/kengir)
    assignment = tmp_path / "assignment.yaml"
    assignment.write_text(ASSIGNMENT)
    for work in ("a", "b"):
        (tmp_path / work).mkdir()
    options = ("--assignment", str(assignment), "--saves", str(shared / "browser"), "--records", str(shared / "records"))
    with (
        ServerProcess(tmp_path / "a", *options, story=LOOP_STORY) as a,
        ServerProcess(tmp_path / "b", *options, story=LOOP_STORY) as b,
    ):
        nginx = Nginx(tmp_path / "nginx", [a.port, b.port])
        tabs: dict[str, Tab] = {}  # instance -> the student's tab it serves
        try:
            # New students until each instance has one (the cookie's hash decides; bounded).
            for _ in range(16):
                tab = Tab(browser, nginx.url)
                tab.wait_for("New game")
                token = session_cookie(tab)
                on = [name for name, server in (("a", a), ("b", b)) if starts(server, token)]
                assert len(on) == 1, f"one instance started this browser's game, not {on}"
                if on[0] in tabs:
                    tab.close()
                    continue
                tabs[on[0]] = tab
                if len(tabs) == 2:
                    break
            assert set(tabs) == {"a", "b"}, "sixteen browsers all hashed to one instance"

            # A browser stays on its instance: every reload starts its game there again.
            tab, token = tabs["a"], session_cookie(tabs["a"])
            for _ in range(3):
                tab.page.reload()
                tab.wait_for("New game")
            assert starts(a, token) == 4 and starts(b, token) == 0
            assert session_cookie(tab) == token

            # Both students play to the end through nginx; each record lands in the shared folder.
            for tab in tabs.values():
                tab.page.wait_for_timeout(150)
                since = tab.sent()
                tab.page.focus(".xterm-helper-textarea")
                tab.page.keyboard.press("n")
                tab.page.wait_for_function(
                    "(since) => /Alpha room|Full scenes/.test(window.__kengir.text.slice(since))", arg=since, timeout=30_000
                )
                if "Full scenes" in tab.page.evaluate("(since) => window.__kengir.text.slice(since)", since):
                    tab.press("1", "Alpha room")  # the content note, before a first game
                tab.press("2", "Outside")  # Leave: the ending
            records = shared / "records"
            deadline = time.monotonic() + 20
            while len(list(records.glob("*.json"))) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
            found = sorted(records.glob("*.json"))
            assert len(found) == 2, f"records in the shared folder: {[p.name for p in found]}"
            for server in (a, b):
                assert "session" in server.output() and "started" in server.output()
            # Each student's save folder is in the shared folder, whichever instance served it.
            folders = list((shared / "browser").iterdir())
            assert len(folders) >= 2
            # The games' websockets went through nginx (101: switched to the websocket protocol).
            access = (nginx.prefix / "access.log").read_text()
            assert re.search(r'"GET /ws\?width=\d+&height=\d+ HTTP/1.1" 101 ', access), access[-2000:]
        finally:
            for tab in tabs.values():
                tab.close()
            nginx.stop()
