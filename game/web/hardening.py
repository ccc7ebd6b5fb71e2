"""What keeps `kengir serve` standing in a school: the origin of a websocket, the pace of new
games, and secrets kept out of logs.

- **Origin.** A browser sends the page's origin with every websocket; a page from another site
  (one a student is lured to) could otherwise open a game here in the student's name, since the
  browser sends the session cookie along. A websocket whose Origin is not this server's own
  host is refused with 403 before anything starts. A client that sends no Origin (not a
  browser: the load test, curl) is let through, as a browser always sends one.
- **Pace.** Each new game is a process; a script (or a class whose thirty browsers open in the
  same second) could start them faster than the machine starts them. `StartPace` lets a
  second's worth of starts through at once and spaces the rest, so a class still gets in, a
  little later; a start that would wait longer than `MAX_WAIT` seconds is refused. There is no
  limit per address: a whole lab often shares one address behind the school's router.
- **Logs.** The teacher's token travels once, in the address of the first visit; `Redacted`
  keeps it out of any log line (aiohttp's access log records the request line with its query).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_WAIT = 30.0  # seconds a new game may be held back before it is refused


def same_origin(origin: str | None, host: str | None) -> bool:
    """May a websocket with this Origin header, sent to this Host, start a game?

    None (no header: not a browser) passes; "null" (a sandboxed frame, a file) and any origin
    whose host and port are not the request's own fail. The scheme is not compared: behind a
    TLS proxy the page is https while the server sees plain http."""
    if origin is None:
        return True
    if not host:
        return False
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:
        return False
    return bool(netloc) and netloc.lower() == host.lower()


@dataclass
class StartPace:
    """At most `per_second` new games a second, `per_second` of them at once (a token bucket,
    written as GCRA: `next_at` is when the bucket would be full again)."""

    per_second: float
    max_wait: float = MAX_WAIT
    next_at: float = field(default=0.0)

    def delay(self, now: float | None = None) -> float | None:
        """Seconds this start must wait (0: now), or None when it would wait too long (refused).
        A start that is given a delay holds its place: call it once per start."""
        now = time.monotonic() if now is None else now
        interval = 1.0 / self.per_second
        burst = max(1.0, self.per_second)
        at = max(self.next_at, now)
        wait = max(0.0, at - now - (burst - 1) * interval)
        if wait > self.max_wait:
            return None
        self.next_at = at + interval
        return wait


SECRET_IN_QUERY = re.compile(r"(?i)(token=)[^&\s\"']+")


class Redacted(logging.Filter):
    """Replaces the value of any `token=` in a log line with `…` (the line is kept)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "token=" in message.lower():
            record.msg = SECRET_IN_QUERY.sub(r"\1…", message)
            record.args = None
        return True


def redact_logs(*names: str) -> None:
    """Put `Redacted` on these loggers (aiohttp's access and server logs by default)."""
    for name in names or ("aiohttp.access", "aiohttp.server", "aiohttp.web"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, Redacted) for f in logger.filters):
            logger.addFilter(Redacted())
