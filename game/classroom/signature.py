"""Signed records: what proves that a record's answers, name and times are the ones the game
wrote, which replay alone cannot.

A record's `digest` is a SHA-256 of its content with no secret, so anyone can recompute it
after editing the record; it catches damage and casual edits, nothing more. A signature is an
HMAC-SHA-256 over the same canonical JSON made with a key the students never see (the lab
server's), so only a holder of the key can make one that holds. Terminal play has no such key:
its records stay unsigned and say so.

The lab server calls `load_or_create_key(path)` once at start and passes the key to
`game.classroom.write_record(..., key=key)`; `kengir verify --key FILE` reads it with `load_key`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

KEY_BYTES = 32
KEY_HEADER = "kengir-record-key 1"  # the first line of a key file: a record or a save is not a key
ALGORITHM = "hmac-sha256"


class KeyFileError(Exception):
    """A key file that cannot be read or made: one line naming the file and why."""


def canonical(record: dict[str, Any], leave_out: tuple[str, ...]) -> bytes:
    """The record's content as the exact bytes that are hashed and signed: every field (answers,
    names, times, the run) but those left out, keys sorted, no spaces, UTF-8."""
    body = {k: v for k, v in record.items() if k not in leave_out}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def key_id(key: bytes) -> str:
    """A short name for a key, kept in each signature, so that a record signed with another
    server's key is told apart from a forged one. It reveals nothing of the key."""
    return hashlib.sha256(b"kengir key id/" + key).hexdigest()[:12]


def sign(record: dict[str, Any], key: bytes) -> dict[str, Any]:
    """The signature of `record` (everything in it but the signature itself)."""
    mac = hmac.new(key, canonical(record, ("signature",)), hashlib.sha256).hexdigest()
    return {"algorithm": ALGORITHM, "key": key_id(key), "value": mac}


def check_signature(record: dict[str, Any], key: bytes | None) -> tuple[bool, str]:
    """(holds, what to tell the teacher) for the record's signature and the key given (if any).
    An unsigned record does not hold: it proves the path only."""
    signature = record.get("signature")
    if signature is None:
        return False, "unsigned (terminal play: proves the path only)"
    if not isinstance(signature, dict) or signature.get("algorithm") != ALGORITHM or not isinstance(signature.get("value"), str):
        return False, "its signature is damaged"
    if key is None:
        return False, "signed, not checked (give the server's key with --key FILE)"
    if signature.get("key") != key_id(key):
        return False, "signed with another key than the one given (another server, or a new key)"
    if not hmac.compare_digest(sign(record, key)["value"], signature["value"]):
        return False, "SIGNATURE DOES NOT HOLD: the record was changed after the server signed it"
    return True, "signed, signature holds: answers, name and times are as the server wrote them"


def _read_key(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read the key: {exc.strerror or exc}") from None
    lines = raw.decode("ascii", errors="replace").split("\n")
    if len(raw) > 200 or not lines or lines[0].strip() != KEY_HEADER:
        raise KeyFileError(f'{path}: not a Kengir key file (its first line is not "{KEY_HEADER}")')
    try:
        key = bytes.fromhex(lines[1].strip()) if len(lines) > 1 else b""
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"{path}:2: not a Kengir key file (the key is not {KEY_BYTES} bytes in hexadecimal)")
    return key


def load_key(path: str | Path) -> bytes:
    """The key in the file at `path`; raise KeyFileError (one line) if it is missing or not a key."""
    return _read_key(Path(path))


def load_or_create_key(path: str | Path) -> bytes:
    """The key at `path`, made first if there is no file there: 32 random bytes from `secrets`,
    written to a new file readable by its owner only (mode 0600), never over an existing file.
    A file that is there but is not a key is refused (KeyFileError), never overwritten."""
    path = Path(path)
    if path.exists():
        return _read_key(path)
    key = secrets.token_bytes(KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole to a temporary file (mkstemp makes it 0600), then linked into place:
        # linking never replaces a file, so two servers starting together cannot both write a
        # key, and the one that loses reads the winner's, complete.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(f"{KEY_HEADER}\n{key.hex()}\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.link(tmp, path)
        finally:
            os.unlink(tmp)
    except FileExistsError:
        return _read_key(path)
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot create the key: {exc.strerror or exc}") from None
    return key
