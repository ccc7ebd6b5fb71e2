"""The engine, the shared layer, the plain player and the tools never import Textual (Harlequin's check: a real
import in a subprocess, then a look at sys.modules)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "game.model",
        "game.format",
        "game.runtime",
        "game.saves",
        "game.session.story",
        "game.classroom",
        "game.writers.check",
        "game.writers.commands",
        "game.plain.launch",
        "game.cli",
    ],
)
def test_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_plain_play_does_not_import_textual(tmp_path) -> None:
    code = (
        "import sys, io; from game.cli import main;"
        f"main(['play', '--plain', '--saves', {str(tmp_path)!r}, '--seed', '1'], stdin=io.StringIO(''), stdout=io.StringIO());"
        "print([m for m in sys.modules if m.startswith('textual')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
