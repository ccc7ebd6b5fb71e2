"""Which variables a perspective's scenes use: the stats panel shows a player only their own."""

from __future__ import annotations

from game.format import load_story
from game.model import variables_of
from game.runtime import Run
from game.session.paths import CHECKOUT
from game.tui.widgets.stats import shown_stats


def test_each_perspective_sees_only_the_stats_its_scenes_use() -> None:
    story = load_story(CHECKOUT / "story")
    woman, political, thief = (variables_of(story, p) for p in ("woman", "political", "thief"))
    assert "trust.olena" in woman and "trust.olena" not in thief
    assert "thief.law" in thief and "thief.law" not in woman and "thief.law" not in political
    labels = [label for label, _ in shown_stats(Run.start(story, perspective="woman"))]
    assert "Olena's trust" in labels and "The thieves' law" not in labels
