"""The CI workflow for a code host runs the README's test command on Linux, macOS and Windows."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def _readme_test_command() -> str:
    commands = re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))
    return commands[1]


def test_every_system_runs_the_readme_test_command_on_both_pythons() -> None:
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    systems = {job["runs-on"]: job for job in jobs.values()}
    assert set(systems) == {"ubuntu-latest", "macos-latest", "windows-latest"}
    for job in systems.values():
        assert job["strategy"]["matrix"]["python"] == ["3.11", "3.13"]
    runs = {name: [step.get("run", "") for step in job["steps"]] for name, job in systems.items()}
    assert "bash .ci/run" in runs["ubuntu-latest"], "Linux runs CI's own script, which runs the README's command"
    assert _readme_test_command() in runs["macos-latest"]
    windows = (
        _readme_test_command()
        .replace("python3 -m venv", "py -${{ matrix.python }} -m venv")
        .replace(".venv/bin/", ".venv\\Scripts\\")
        .replace("'", '"')
        .split(" && ")
    )
    steps = [run for run in runs["windows-latest"] if run]
    assert windows == steps[:3], "Windows runs the same three steps with its own paths"
