"""`kengir prose`'s echoes and watched phrases: a paragraph one perspective rewords from another's
is found at both places, however it is reworded, while the reference's sentence count misses it;
one event's shared words below the threshold are not; the watched phrases beyond their limits."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from game.writers.prose import prose_report, to_json
from tests.conftest import FIXTURES

PARAGRAPH = (
    "In the morning the column goes out through the gate in fives, and the dogs walk beside it "
    "with their heads low. At the brick works the clay is wet from the night and heavy on the spade."
)
# The same paragraph with its punctuation and two words changed: no sentence of it is the same.
REWORDED = (
    "In the morning the column goes out through the gate in fives; the dogs walk beside it "
    "with their heads down. At the brick works the clay is wet from the night and heavy on your spade."
)


def story_with(tmp_path: Path, woman: dict[str, str], thief: dict[str, str]) -> Path:
    """The prose fixture with extra scenes (id: text) in the woman's and the thief's files."""
    root = tmp_path / "prose"
    shutil.copytree(FIXTURES / "prose", root)
    for name, perspective, scenes in (("woman", "woman", woman), ("thief", "thief", thief)):
        path = root / "scenes" / f"{name}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for sid, text in scenes.items():
            data["scenes"][sid] = {"act": "two", "title": sid, "perspectives": [perspective], "text": text, "ending": "end"}
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return root


def codes(root: Path, code: str) -> list[str]:
    return [str(p) for p in prose_report(root, spelling=False).findings if p.code == code]


def test_a_reworded_paragraph_in_two_perspectives_is_an_echo_at_both_places(tmp_path: Path) -> None:
    root = story_with(tmp_path, {"w.column": PARAGRAPH}, {"t.column": REWORDED})
    report = prose_report(root, spelling=False)
    assert len(report.figures.shared) == 1  # only the fixture's own: the sentence count cannot see it
    found = codes(root, "echo")
    assert len(found) == 2
    assert found[0].startswith("prose/scenes/thief.yaml:") and "t.column shares" in found[0] and "with w.column (woman)" in found[0]
    assert found[1].startswith("prose/scenes/woman.yaml:") and "w.column shares" in found[1] and "with t.column (thief)" in found[1]
    assert '"At the brick works the clay is wet from the night and heavy on' in found[1]  # the longest run, as written
    echo = to_json(report)["echoes"][0]
    assert echo["words"] >= 18 and echo["runs"] == 3


def test_words_one_event_shares_below_the_threshold_are_no_echo(tmp_path: Path) -> None:
    order = "Stay in the barracks and do not resist the soldiers."  # one broadcast, heard on both sides
    root = story_with(
        tmp_path, {"w.order": f"The loudspeaker says: {order} Olena holds your hand."}, {"t.order": f"A voice: {order} You spit."}
    )
    assert codes(root, "echo") == []


def test_the_same_paragraph_in_one_perspective_is_no_echo(tmp_path: Path) -> None:
    root = story_with(tmp_path, {"w.column": PARAGRAPH, "w.again": REWORDED}, {})
    assert codes(root, "echo") == []


def test_watched_phrases_are_found_beyond_their_limits(tmp_path: Path) -> None:
    two_similes = "He looks at the wire the way a man looks at weather. She waits the way you wait for bread. The way out is shut."
    one_simile = "He folds the paper the way a clerk folds it."
    buttons = {f"w.button{i}": "He does not shout. He does not need to." for i in range(3)}
    root = story_with(tmp_path, {"w.similes": two_similes, "w.simile": one_simile, **buttons}, {})
    found = codes(root, "watched")
    similes = [f for f in found if "simile" in f]
    assert len(similes) == 2 and all("in w.similes" in f for f in similes)  # one scene over its limit; "the way out" is no simile
    assert len([f for f in found if "does not need to" in f]) == 3  # three in the story, the limit is two
    root = story_with(tmp_path / "fewer", {"w.simile": one_simile, "w.button": "He does not need to."}, {})
    assert codes(root, "watched") == []
