"""Reading a scene to its end at 80×24 and 60×20: the "more below" line, the choices that wait
for the end, the opening scene, new notes in turn, the keys a small terminal keeps, the player's
standing a key away, and the command palette's order."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import yaml
from textual.widgets import Static

from game.format import load_story
from game.saves import SaveStore
from game.session.player_files import Settings
from game.tui.app import KengirApp
from game.tui.screens.notes import NotesScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.standing import StandingScreen
from game.tui.widgets.choices import ChoiceList
from game.tui.widgets.footer import GameFooter
from game.tui.widgets.reading import ReadingPane
from tests.tui.conftest import FIXTURE_STORY
from tests.tui.helpers import new_game, press

PARAGRAPHS = 24
SHORT = 6  # lines of text that fit 80×24 only without the choices (found by trying)


def story_with(tmp_path: Path, paragraphs: list[str]):
    """The fixture story with the woman's first scene holding `paragraphs`, then a last one that
    names the person a choice is about (as real scenes do), and a second note."""
    root = tmp_path / "story"
    shutil.copytree(FIXTURE_STORY, root)
    path = root / "scenes" / "intro.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    scene = data["scenes"]["intro.woman"]
    scene["text"] = [*paragraphs, "Last of all, Olena comes to your bunk."]
    scene["notes"] = ["kengir_camp", "yard_shooting"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_story(root)


@pytest.fixture
def long_story(tmp_path: Path):
    return story_with(
        tmp_path, [f"Paragraph {i} of the evening, long enough to fill a line or so of the screen." for i in range(PARAGRAPHS)]
    )


def app_over(story, tmp_path: Path, **kwargs) -> KengirApp:
    settings = tmp_path / "saves" / "meta" / "settings.json"
    Settings(content_note_seen=True).save(settings)
    kwargs.setdefault("perspective", "woman")
    return KengirApp(story, SaveStore(tmp_path / "saves"), settings, seed=7, **kwargs)


def footer_keys(screen) -> set[str]:
    """What the footer offers within the screen's width, by name (Menu, Quit, More...)."""
    footer = screen.query_one(GameFooter)
    return {key.description for key in footer.query("FooterKey") if key.region.width > 0 and key.region.right <= screen.size.width}


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_long_scene_says_more_below_and_its_choices_wait_for_its_end(long_story, tmp_path, size):
    app = app_over(long_story, tmp_path)
    async with app.run_test(size=size) as pilot:
        await new_game(pilot)
        await pilot.pause(0.2)
        screen = app.screen
        more = screen.query_one("#more", Static)
        choices = screen.query_one(ChoiceList)
        pane = screen.query_one(ReadingPane)
        assert more.display and "more below" in str(more.render()).lower()
        assert not choices.display, "the choices wait until the end has been seen"
        assert "More" in footer_keys(screen), "the footer names the key that reads on"

        await press(pilot, "1")  # a number before the end reads on, it never chooses unseen
        await pilot.pause(0.1)
        assert app.current_run.scene.id == "intro.woman" and not app.current_run.log
        assert 0 < pane.scroll_y < pane.max_scroll_y and not choices.display
        for _ in range(20):
            if choices.display:
                break
            await press(pilot, "space")
            await pilot.pause(0.1)
        assert choices.display and choices.has_focus and not more.display
        assert pane.scroll_y == pane.max_scroll_y > 0, "the end, just read, is kept in view"

        await press(pilot, "1")  # now it chooses
        assert app.current_run.scene.id == "intro.listen"


async def test_a_text_that_fits_only_without_the_choices_asks_for_a_key(tmp_path):
    """Shown whole at first, so nothing is below; the choices would push its first lines off the
    top unread: the line below the text says a key brings them, and they come with that key."""
    story = story_with(tmp_path, [f"Line {i}." for i in range(SHORT)])
    app = app_over(story, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await pilot.pause(0.2)
        screen = app.screen
        pane = screen.query_one(ReadingPane)
        choices = screen.query_one(ChoiceList)
        more = screen.query_one("#more", Static)
        assert pane.max_scroll_y == 0 and not choices.display, "the whole text, the choices waiting"
        assert more.display and "space: the choices" in str(more.render()).lower()
        await press(pilot, "space")
        await pilot.pause(0.1)
        assert choices.display and choices.has_focus and app.current_run.scene.id == "intro.woman"


async def test_space_reads_on_a_page_at_a_time(long_story, tmp_path):
    app = app_over(long_story, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await pilot.pause(0.2)
        pane = app.screen.query_one(ReadingPane)
        choices = app.screen.query_one(ChoiceList)
        positions = []
        for _ in range(10):
            if choices.display:
                break
            await press(pilot, "space")
            await pilot.pause(0.1)
            positions.append(pane.scroll_y)
        assert len(positions) >= 2 and positions == sorted(positions), "each press a page further"
        assert choices.display and app.current_run.scene.id == "intro.woman"


async def test_a_short_scene_shows_its_choices_at_once(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await pilot.pause(0.1)
        assert app.screen.query_one(ChoiceList).display
        assert not app.screen.query_one("#more", Static).display


async def test_the_opening_scene_comes_first_when_no_perspective_is_given(make_app):
    app = make_app(perspective=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        assert app.current_run.scene.id == "intro.choose"
        assert "Who are you?" in str(app.screen.query_one("#scene-title", Static).render())
        await pilot.pause(0.1)
        await press(pilot, "1")
        assert app.current_run.scene.id == "intro.woman"


async def test_n_goes_through_every_new_note_in_turn(long_story, tmp_path):
    app = app_over(long_story, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        line = app.screen.query_one("#new-note", Static)
        assert "New notes:" in str(line.render())
        read = []
        for _ in range(2):
            await press(pilot, "n")
            assert isinstance(app.screen, NotesScreen)
            read.append(app.screen.note_id)
            await press(pilot, "escape")
        assert read == ["kengir_camp", "yard_shooting"]
        assert not line.display, "both read: the line is gone"
        await press(pilot, "n")
        assert isinstance(app.screen, PlayScreen), "nothing unread: n does nothing"


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_menu_and_quit_stay_in_the_footer(make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await new_game(pilot)
        await pilot.pause(0.1)
        keys = footer_keys(app.screen)
        assert {"Menu", "Quit"} <= keys, keys
        palette = app.screen.query_one(GameFooter).query_one("FooterKey.-command-palette")
        assert palette.region.right == size[0], "the palette key covers the last column: no key shows beneath it"


async def test_i_shows_where_the_player_stands_at_80_by_24(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        assert not app.screen.query_one("#stats").display, "no side panel at 80 columns"
        await press(pilot, "1", "i")
        assert isinstance(app.screen, StandingScreen)
        text = app.screen.markdown()
        assert "**Resolve**: 2" in text
        await press(pilot, "escape")
        assert isinstance(app.screen, PlayScreen)


async def test_the_palette_lists_the_games_commands_first_and_no_keys_panel(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles[0] == "Notes" and titles.index("Settings") < titles.index("Quit")
        assert not {"Keys", "Maximize", "Minimize"} & set(titles)


async def test_a_toast_never_covers_the_choices(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await new_game(pilot)
        app.notify("A message for the player", timeout=5)
        await pilot.pause(0.2)
        toasts = list(app.screen.query("Toast"))
        assert toasts
        choices = app.screen.query_one(ChoiceList).region
        for toast in toasts:
            assert not toast.region.overlaps(choices), (toast.region, choices)


async def test_a_number_pressed_before_a_new_scene_is_measured_is_not_lost(make_app):
    """A quick player (or a script) presses the next number as the scene appears. After a choice
    the new scene's layout is worked out before its first frame, so a short scene's choices are
    open at once; while a scene is being measured (the first one, or after a resize), the number
    is kept until it is, then chosen."""
    from game.tui.screens.play import Phase

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await pilot.pause(0.1)
        screen = app.screen
        app.choose(0)  # Listen to the whispering: the next scene, not yet on the screen
        assert screen.phase is Phase.CHOOSING  # known before its first frame
        screen.phase = Phase.MEASURING  # as on a first scene or a resize
        await pilot.press("2")  # Stay inside
        await pilot.pause(0.2)
        assert [entry.text for entry in app.current_run.log] == ["Listen to the whispering", "Stay inside"]


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_reflection_keeps_its_question_and_its_keys_on_a_small_screen(make_app, size):
    """The longest question of the shipped story, in the question dialog of a small terminal: the
    question, the place to write and the line saying how to keep or leave the answer all show."""
    from textual.widgets import TextArea

    from game.tui.screens.reflection import ReflectionScreen

    shipped = load_story(Path(__file__).parents[2] / "story")
    question = max((prompt.text for prompt in shipped.prompts.values()), key=len)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await new_game(pilot)
        app.push_screen(ReflectionScreen(question))
        await pilot.pause(0.2)
        screen = app.screen
        footer_top = screen.query_one(GameFooter).region.y
        for part in (screen.query_one("#question"), screen.query_one(TextArea), screen.query_one("#reflect-hint")):
            assert part.region.height > 0 and part.region.bottom <= footer_top, (part.id, part.region, footer_top)
        assert screen.query_one(TextArea).region.height >= 3  # room to write a few lines


async def test_the_layout_worked_out_before_a_frame_is_the_one_measured(long_story, tmp_path):
    """After a choice the play screen decides between choosing and reading before the scene's
    first frame (PlayScreen._predicted_fit); the first frame checks it. A long scene reached by a
    choice is read first, a short one offers its choices, and neither hides text behind them."""
    from game.tui.screens.play import Phase

    app = app_over(long_story, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        screen = app.screen
        pane = screen.query_one(ReadingPane)
        assert screen.phase is Phase.READING  # the long first scene, measured
        seen = []
        for _ in range(4):
            await pilot.press("end")
            await pilot.press("space")
            await pilot.pause(0.1)
            if screen.phase is not Phase.CHOOSING:
                break
            app.choose(next(v.index for v in app.current_run.choices if v.enabled))
            decided = screen.phase
            assert decided is not Phase.MEASURING
            await pilot.pause(0.2)
            assert screen.phase is decided  # the first frame agreed
            if decided is Phase.CHOOSING:
                assert pane.max_scroll_y == 0  # the whole text above the choices
            else:
                assert screen.more_below() or pane.max_scroll_y == 0
            seen.append(decided)
        assert seen


def test_the_scene_text_is_drawn_as_richs_own_markdown_draws_it():
    """The play screen parses scene text with one parser kept for every scene; what it draws must
    be what Rich's Markdown draws of the same text, links left unlinked (a Rich that configured
    its parser differently would show here)."""
    from rich.console import Console
    from rich.markdown import Markdown

    from game.tui.widgets.reading import parsed_markdown

    text = (
        "The yard at *night*, the **wire**, ~~struck~~ and `code`.\n\n"
        "> ◆ *New note (n):* **The camp**  \n> ◇ *Note, read:* The wall\n\n"
        "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nA [link](https://example.org) and https://example.org."
    )

    def drawn(markdown: object, styles: bool = True) -> str:
        console = Console(width=60, record=True, color_system="truecolor", file=io.StringIO())
        console.print(markdown)
        return console.export_text(styles=styles)

    assert drawn(parsed_markdown(text)) == drawn(Markdown(text, hyperlinks=False))
    assert "link (https://example.org)" in drawn(parsed_markdown(text), styles=False)  # spelt out, not a link to click
    first, second = parsed_markdown("one"), parsed_markdown("two")
    assert drawn(first, False).strip() == "one" and drawn(second, False).strip() == "two"  # nothing shared between texts
