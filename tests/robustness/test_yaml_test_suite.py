"""The error cases of the public YAML test suite: each is a problem at a position, never a traceback.

The inputs are in tests/data/yaml-test-suite/ (README.md says where from). libyaml, which
our reader is built on, accepts five of them; for those the test pins what they read as, so
that a change in libyaml (or a check added to our reader) shows up here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.format.yaml_reader import read_yaml_bytes
from game.model import Problems

CASES = Path(__file__).parents[1] / "data" / "yaml-test-suite"

# Invalid YAML that libyaml reads anyway, and what it reads. Each is harmless for a story (the
# meaning is unambiguous), and catching them would need checks libyaml does not make.
LIBYAML_ACCEPTS = {
    "9C9N": {"flow": ["a", "b", "c"]},  # flow sequence lines not indented under their key
    "QB6E": {"quoted": "a b c"},  # the same for a quoted scalar
    "S98Z": {"empty block scalar": ""},  # blank lines more indented than the (missing) content
    "SU5Z": {"key": "value"},  # "value"# with no space before the comment
    "X4QW": {"block": "scalar\n"},  # >#comment with no space
}


def test_every_case_is_here() -> None:
    assert len(list(CASES.glob("*.yaml"))) == 94
    assert (CASES / "License").read_text().startswith("MIT License")


@pytest.mark.parametrize("case", sorted(CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_an_error_case_is_a_problem_with_a_position(case: Path) -> None:
    problems = Problems()
    data = read_yaml_bytes(case.read_bytes(), case.name, problems)  # must not raise
    if case.stem in LIBYAML_ACCEPTS:
        assert data == LIBYAML_ACCEPTS[case.stem] and not problems.items
        return
    assert data is None and problems.errors
    for problem in problems.items:
        assert problem.pos.file == case.name and problem.pos.line >= 1 and problem.pos.column >= 1, problem
        assert problem.message and "\n" not in str(problem)
