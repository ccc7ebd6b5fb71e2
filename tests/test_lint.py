"""The linters CI relies on (ruff, its formatter, mypy, import-linter), run as tests so that the
README's one test command covers them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "game", "tests"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_text_file_is_opened_with_its_encoding() -> None:
    """Windows opens text files in its ANSI code page unless told: saves, records and story files
    would then be read or written as cp1252. (ruff's PLW1514, still a preview rule, run alone.)"""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--preview", "--select", "PLW1514", "game", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "format", "--check", "game", "tests"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    """The whole package: strictly for the engine and the shared layer (pyproject.toml says which)."""
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_import_contracts_hold() -> None:
    """import-linter's contracts in pyproject.toml: the layers, and no Textual below the front ends."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    assert len(commands) >= 2, "the quick start has an install-and-play and an install-and-test command"
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
