"""A writer may run `python3 -m game check` from a checkout without installing the dependencies:
what can work (check, plain play) works, and what cannot says what to install, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Makes the named modules unimportable in the child process, as on a machine without them.
BLOCK = (
    "import sys; [sys.modules.__setitem__(m, None) for m in ('platformdirs', 'textual')]; "
    "sys.argv = ['kengir', *sys.argv[1:]]; from game.cli import main; sys.exit(main())"
)


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT / "saves"), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", BLOCK, *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=120)


def test_check_works_without_platformdirs() -> None:
    result = run("check", "story")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines[-2].startswith("Kengir: Forty Days (story): ") and lines[-1].startswith("0 errors, ")  # warnings are the story's


def test_the_terminal_game_without_textual_says_what_to_install(tmp_path: Path) -> None:
    result = run("--saves", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "pip install -e ." in result.stderr and "kengir play --plain" in result.stderr
    plain = run("play", "--plain", "--seed", "1", "--saves", str(tmp_path), "--intensity", "full", stdin="quit\n")
    assert plain.returncode == 0 and "Goodbye." in plain.stdout


def test_a_report_needs_no_yaml(tmp_path: Path) -> None:
    """A teacher's machine with only the checkout: a record still renders (no version note, since
    the story cannot be read without PyYAML)."""
    import json

    from game.classroom import build_record
    from game.format import load_assignment, load_story
    from game.runtime import Run

    story = load_story(ROOT / "tests" / "fixtures" / "mini")
    run_ = Run.start(
        story, seed=3, perspective="woman", assignment=load_assignment(ROOT / "tests" / "fixtures" / "mini_assignment.yaml", story)
    )
    record = tmp_path / "record.json"
    record.write_text(json.dumps(build_record(run_, 2e9)))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    blocked = BLOCK.replace("('platformdirs', 'textual')", "('platformdirs', 'textual', 'yaml')")
    result = subprocess.run(
        [sys.executable, "-c", blocked, "report", str(record)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "# " in result.stdout and "another version" not in result.stdout
