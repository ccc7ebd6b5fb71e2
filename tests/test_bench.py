"""The benchmark (tests/bench/run.py) is run by hand; this checks only that it runs and what
its JSON looks like, never a timing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parent / "bench" / "run.py"


def test_the_bench_writes_its_figures_as_json(tmp_path):
    target = tmp_path / "results.json"
    subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--only", "load", "--json", str(target)], check=True, capture_output=True, timeout=120
    )
    doc = json.loads(target.read_text())
    assert {"command", "quick", "date", "machine", "figures"} <= set(doc)
    assert doc["quick"] is True and doc["machine"]["cores"] >= 1
    keys = [f["key"] for f in doc["figures"]]
    parts = ["import_yaml", "import_readers", "read_files", "parse", "build", "total", "libyaml", "events"]
    assert keys == ["load.cold", "load.cold_imported", "load.cold_filling", "load.warm", *(f"load.part.{p}" for p in parts)]
    for figure in doc["figures"]:
        assert figure["min"] <= figure["median"] <= figure["max"]
        assert figure["runs"] == len(figure["samples"]) >= 1
        # A figure with a goal says whether it met it; one given for comparison has neither.
        assert (isinstance(figure["met"], bool) and figure["goal"]) or (figure["met"] is None and not figure["goal"])
    assert [f["key"] for f in doc["figures"] if f["goal"]] == ["load.cold", "load.cold_filling", "load.warm"]


def test_pytest_collects_nothing_from_the_bench_folder():
    assert not list(BENCH.parent.glob("test_*.py")) and not list(BENCH.parent.glob("*_test.py"))
