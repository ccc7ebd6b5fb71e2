"""What each page of the story map holds, and the story order its rows follow (no drawing)."""

from __future__ import annotations

from pathlib import Path

from game.format import load_story
from game.model import Story
from game.session.paths import CHECKOUT
from game.writers.map_pages import Measures, columns, map_pages, page_of, rows, visible
from tests.writers.map_stories import long_story


def test_each_act_page_holds_exactly_the_scenes_its_perspective_sees() -> None:
    story = load_story(CHECKOUT / "story")
    pages = map_pages(story)
    assert len(pages) == len(story.perspectives) * len(story.acts)
    for page in pages:
        assert page.perspective is not None
        expected = {s.id for s in story.scenes.values() if s.act == page.act.id and visible(s, page.perspective)}
        assert page.scene_ids == expected, page.name
    for perspective in story.perspectives:
        seen = [scene.id for page in map_pages(story, perspective) for scene in page.scenes]
        assert len(seen) == len(set(seen))  # each scene on one page of a path
        assert set(seen) == {s.id for s in story.scenes.values() if not s.perspectives or perspective in s.perspectives}


def test_mini_pages_per_perspective_and_act_and_the_shared_scene_on_both(mini: Story) -> None:
    pages = {page.name: page for page in map_pages(mini)}
    assert list(pages) == ["woman-one", "woman-two", "thief-one", "thief-two"]
    assert pages["woman-one"].scene_ids == {"a.start"}  # t.start is the thief's alone
    assert pages["thief-one"].scene_ids == {"a.start", "t.start"}
    assert [s.id for s in pages["woman-two"].endings] == ["c.good", "c.bad"]
    assert [page.name for page in map_pages(mini, "thief")] == ["thief-one", "thief-two"]


def test_arrows_leaving_the_act_are_exits_and_arrows_coming_in_are_entries(mini: Story) -> None:
    pages = {page.name: page for page in map_pages(mini)}
    one, two = pages["woman-one"], pages["woman-two"]
    assert one.exits == ("b.mid",)  # Join tech and Locked both lead there: one stub
    assert sorted(a.port for a in one.arrows if a.target == "b.mid") == ["c1", "c3"]
    assert two.entries == (("a.start", "b.mid"),)
    assert pages["thief-two"].entries == (("a.start", "b.mid"), ("t.start", "b.mid"))
    marry = next(a for a in one.arrows if a.port == "c2")
    assert marry.target == "a.start" and marry.dashed  # a condition: dashed
    assert not next(a for a in one.arrows if a.port == "c0").dashed


def test_a_choice_with_routes_has_an_arrow_per_route_from_its_own_row(tmp_path: Path) -> None:
    story = load_story(long_story(tmp_path / "long", length=6))
    last = next(page for page in map_pages(story) if page.act.id == "long")
    routes = [a for a in last.arrows if a.source == "long.s5" and a.choice.index == 0]
    assert [(a.port, a.target, a.dashed) for a in routes] == [("c0r0", "after.end", True), ("c0r1", "after.gate", True)]
    assert last.exits == ("after.end", "after.gate")


def test_columns_follow_story_order_and_a_loop_back_does_not_push_scenes_on(tmp_path: Path) -> None:
    story = load_story(long_story(tmp_path / "long", length=8))
    page = map_pages(story)[0]
    column = columns(page)
    assert [column[f"long.s{i}"] for i in range(3)] == [0, 1, 2]
    assert column["long.side2"] == 3 and column["long.s3"] == 4  # s2 -> side2 -> s3 is longer than s2 -> s3
    assert column["long.s7"] == column["long.s6"] + 1  # s7 leads back to s6: that arrow is a loop


def test_rows_fit_the_width_in_story_order_and_cut_where_fewest_arrows_cross(tmp_path: Path) -> None:
    story = load_story(long_story(tmp_path / "long", length=30))
    page = map_pages(story)[0]
    column = columns(page)
    # A column is a 300-pixel box and a 40-pixel gap; a row has 40 pixels of margin, and a column
    # of 160-pixel stubs (and its gap) at each end where arrows come in or go out.
    measures = Measures(lambda scene: 300.0, lambda scene_id: 160.0, 40.0, 40.0)
    cut = rows(page, measures, 1600)
    assert sorted(s.id for row in cut for s in row) == sorted(page.scene_ids)  # every scene once
    spans = []
    for row in cut:
        used = {column[s.id] for s in row}
        assert used == set(range(min(used), max(used) + 1))  # whole columns
        spans.append(len(used))
    assert spans[0] <= 4 and max(spans[1:]) <= 3  # 4 * 340 + 200 fits 1600 without stubs coming in; 4 * 340 + 400 does not
    assert len(cut) == 1 + -(-(len(set(column.values())) - 4) // 3)  # no more rows than that needs
    firsts = [min(column[s.id] for s in row) for row in cut]
    assert firsts == sorted(firsts)
    roomy = rows(page, measures, 2200)  # five columns a row: some room to choose where to cut
    assert len(roomy) == 8
    for i, row in enumerate(roomy[1:], 1):
        before = {s.id for earlier in roomy[:i] for s in earlier}
        here = {s.id for s in row}
        assert sum(a.source in before and a.target in here for a in page.arrows) == 2  # a beat's two choices, no side way
    assert len(rows(page, measures, 100)) == len(set(column.values()))  # a column wider than the budget: a row each


def test_a_stub_links_to_the_page_of_its_own_perspective_when_it_can_see_the_scene(mini: Story) -> None:
    pages = map_pages(mini)
    woman, thief = mini.perspectives["woman"], mini.perspectives["thief"]
    assert page_of(pages, mini.scenes["b.mid"], thief).name == "thief-two"
    assert page_of(pages, mini.scenes["b.mid"], woman).name == "woman-two"
    assert page_of(pages, mini.scenes["t.start"], woman).name == "thief-one"
    assert page_of(map_pages(mini, "woman"), mini.scenes["t.start"], woman) is None  # not written
