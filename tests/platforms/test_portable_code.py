"""Code and file names that every system accepts."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from game.classroom import record_file_name
from game.saves import SaveError, check_slot_name

PACKAGE = Path(__file__).resolve().parents[2] / "game"
# Modules that Windows' Python does not have; importing one at a module's top level would stop
# the whole command there.
POSIX_ONLY = {"fcntl", "termios", "tty", "pty", "readline", "resource", "grp", "pwd", "posix", "curses", "crypt", "syslog"}
WINDOWS_ONLY = {"msvcrt", "winreg", "_winapi", "winsound"}


def _unguarded_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """Imports of one system's modules at a module's top level, outside `try` blocks that catch
    ImportError and outside `if sys.platform ...` blocks."""
    found: list[tuple[int, str]] = []

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Import):
                found.extend((node.lineno, alias.name.split(".")[0]) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((node.lineno, node.module.split(".")[0]))
            elif isinstance(node, ast.Try):
                catches = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
                if not catches & {"ImportError", "ModuleNotFoundError", "(ImportError, AttributeError)"}:
                    visit(node.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, ast.If):
                if "platform" not in ast.unparse(node.test) and "os.name" not in ast.unparse(node.test):
                    visit(node.body)
                    visit(node.orelse)

    visit(tree.body)
    return [(line, module) for line, module in found if module in POSIX_ONLY | WINDOWS_ONLY]


def test_no_module_imports_one_systems_modules_at_its_top_level() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{path.relative_to(PACKAGE.parent)}:{line}: import {module}" for line, module in _unguarded_imports(tree)]
    assert offenders == [], "import these inside the function that needs them, guarded:\n" + "\n".join(offenders)


def test_the_import_check_finds_what_it_looks_for() -> None:
    tree = ast.parse(
        "import os\nimport fcntl\ntry:\n    import readline\nexcept ImportError:\n    pass\n"
        "if sys.platform == 'win32':\n    import msvcrt\nfrom termios import FIONREAD\n"
    )
    assert _unguarded_imports(tree) == [(2, "fcntl"), (9, "termios")]


# Windows refuses these characters, names and endings in a file name.
_WINDOWS_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def windows_accepts(name: str) -> bool:
    stem = name.split(".")[0].lower()
    return (
        bool(name)
        and len(name) <= 255
        and not _WINDOWS_BAD.search(name)
        and not name.endswith((" ", "."))
        and stem not in _WINDOWS_RESERVED
    )


@given(
    student=st.text(max_size=80),
    assignment=st.from_regex(r"[a-z][a-z0-9_]{0,20}(\.[a-z0-9_]{1,10}){0,2}", fullmatch=True),
    finished=st.datetimes().map(lambda d: d.isoformat(timespec="seconds")),
    seed=st.integers(0, 2**32),
)
def test_record_file_names_are_valid_on_windows(student: str, assignment: str, finished: str, seed: int) -> None:
    name = record_file_name({"student": student, "assignment": {"id": assignment}, "finished_at": finished, "seed": seed})
    assert windows_accepts(name), name
    assert name.isascii()


def test_a_students_letters_survive_in_the_record_name() -> None:
    name = record_file_name({"student": "Ona Žukauskaitė", "assignment": {"id": "strike"}, "finished_at": "2026-12-05T10:00:00+00:00"})
    assert name.startswith("strike_Ona-Zukauskaite_20261205T100000")
    assert record_file_name({"student": "CON"}).startswith("free-play_CON_")


@given(st.text(max_size=60))
def test_every_save_name_accepted_is_valid_on_windows(name: str) -> None:
    try:
        check_slot_name(name)
    except SaveError:
        return
    assert windows_accepts(f"{name}.json"), name
