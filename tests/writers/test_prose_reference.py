"""`kengir prose` gives the figures of the reference script, `../shared/tools/prose_stats.py`
(beside the checkout; CI has it), on the shipped story and on the prose fixture: the second
draft's targets are stated in the reference's numbers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from game.session.paths import CHECKOUT
from game.writers.prose import prose_report, to_json
from tests.conftest import FIXTURES

WORD = re.compile(r"[\w'’-]+")
SAME = (
    "scenes",
    "words",
    "scenes_per_perspective_act",
    "words_per_perspective_act",
    "historians_in_prose",
    "nobody_per_1000",
    "as_if_per_1000",
    "shared_sentences_across_perspectives",
)


def _reference() -> Path:
    """The reference script: ../shared/tools beside the checkout (or beside a folder holding it,
    as for a developer's work tree)."""
    for folder in CHECKOUT.parents:
        script = folder / "shared" / "tools" / "prose_stats.py"
        if script.is_file():
            return script
    if os.environ.get("CI"):
        pytest.fail("../shared/tools/prose_stats.py is missing beside the checkout")
    pytest.skip("no ../shared/tools/prose_stats.py beside this checkout")


@pytest.mark.parametrize("story", [CHECKOUT / "story", FIXTURES / "prose"], ids=["shipped", "fixture"])
def test_the_figures_are_the_reference_scripts(story: Path) -> None:
    result = subprocess.run([sys.executable, str(_reference()), str(story)], capture_output=True, text=True, check=True, timeout=120)
    reference = json.loads(result.stdout)
    ours = to_json(prose_report(story, spelling=False))
    assert {key: ours[key] for key in SAME} == {key: reference[key] for key in SAME}
    # The same sentences and scenes behind the shared count, and the same historians (the
    # reference shows the first few of each).
    shared = [
        {"sentence": " ".join(WORD.findall(s["sentence"].lower()))[:90], "scenes": sorted(p["scene"] for p in s["places"])}
        for s in ours["shared_sentences"]
    ]
    assert all(example in shared for example in reference["shared_examples"])
    found = Counter(f"{h['scene']}: {h['text']}" for h in ours["historians"])
    assert not Counter(reference["historians_examples"]) - found
