"""The screens a player opens from play: notes, glossary, people, timeline, history, help,
settings, and the command palette entries for them."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import OptionList, RadioSet, Select, Static, Switch

from game.session.player_files import Settings
from game.tui.screens.glossary import GlossaryScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.history import HistoryScreen
from game.tui.screens.notes import NotesScreen
from game.tui.screens.people import PeopleScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.settings import SettingsScreen
from game.tui.screens.timeline import MARK, TimelineScreen, timeline_markdown
from game.tui.widgets.reading import ReadingPane
from tests.tui.helpers import new_game, press


def page(app) -> str:
    return app.screen.query_one(ReadingPane).source


async def test_notes_archive_groups_found_notes_and_counts_the_rest(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await press(pilot, "3", "a")  # strike.yard unlocks the contested shooting note
        assert isinstance(app.screen, NotesScreen)
        menu = app.screen.query_one("#notes-list", OptionList)
        labels = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        assert labels == ["The camp", "  Steplag's third division [fact]", "The strike", "  Shooting in the service yard [contested]"]
        assert "The choir" not in "".join(labels)  # not found: counted, never shown
        assert str(app.screen.query_one("#notes-count", Static).render()) == "2 found · 1 more to find"
        assert "**FACT: documented in the sources**" in page(app)
        assert "Applebaum" in page(app)
        await press(pilot, "down")
        assert "**CONTESTED: the sources disagree**" in page(app)
        assert "<http://memorial.krsk.ru/Articles/2012/2012Formozov.htm>" in page(app)
        assert "N. Formozov, *Kites over the zone*, 2012" in page(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, PlayScreen)


async def test_glossary_people_timeline_history(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await press(pilot, "g")
        assert isinstance(app.screen, GlossaryScreen)
        assert "**zek**: A Gulag prisoner" in page(app)
        await press(pilot, "escape", "p")
        assert isinstance(app.screen, PeopleScreen)
        text = page(app)
        assert "**Kapiton Kuznetsov** · Chairman of the prisoners' commission  \n*Historical person*" in text
        assert "**Olena** · A seamstress in barracks 4  \n*Composite: not a real person" in text
        await press(pilot, "escape", "1", "1", "t")
        assert isinstance(app.screen, TimelineScreen)
        text = page(app)  # the run is on 17 May: after the strike began, before the assault
        assert text.index("The strike begins") < text.index(MARK) < text.index("The assault")
        assert f"**{MARK}** (17 May 1954)" in text
        await press(pilot, "escape", "h")
        assert isinstance(app.screen, HistoryScreen)
        assert page(app).splitlines()[:2] == [
            "1. **Evening in the barracks**: Listen to the whispering",
            "2. **The whisper**: Go out into the yard",
        ]
        assert "Now: **The service yard**" in page(app)


def test_timeline_marks_before_the_first_event_and_after_the_last():
    events = [("1954-05-16", "A", ""), ("1954-06-26", "B", "")]
    assert timeline_markdown(events, "1954-05-01").startswith(f"**{MARK}**")
    assert timeline_markdown(events, "1954-07-01").endswith(f"**{MARK}** (1 July 1954)")
    same_day = timeline_markdown(events, "1954-05-16")
    assert same_day.index("A") < same_day.index(MARK) < same_day.index("B")


async def test_help_lists_every_binding(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = page(app)
        for binding in PlayScreen.BINDINGS:
            if binding.key not in {str(i) for i in range(2, 10)}:
                assert f"**{binding.description}**" in text, binding
        assert "- `1-9` **Choose**" in text and "- `^q` **Quit**" in text and "**Commands**" in text
        await press(pilot, "escape")
        assert isinstance(app.screen, PlayScreen)


async def test_settings_are_applied_and_kept(make_app, saves):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await press(pilot, "f2")
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one(Select).value = "ansi-light"
        app.screen.query_one("#summary").value = True
        app.screen.query_one(Switch).value = False
        await pilot.pause()
        assert app.theme == "ansi-light" and app.animation_level == "none"
        assert app.current_run.intensity == "summary"
        assert app.screen.query_one(RadioSet).pressed_button.id == "summary"
    kept = Settings.load(saves / "meta" / "settings.json")
    assert (kept.theme, kept.intensity, kept.animations) == ("ansi-light", "summary", False)
    again = make_app(noted=False)  # keep the settings file as the first app left it
    async with again.run_test(size=(80, 24)):
        assert again.theme == "ansi-light" and again.animation_level == "none"


async def test_command_palette_offers_the_game_actions(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        await press(pilot, "1")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Notes", "Glossary", "People", "Timeline", "History", "Save", "Load", "Undo", "Help", "Settings"} <= titles
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        for key in "undo":
            await pilot.press(key)
        await pilot.pause(0.3)
        await press(pilot, "enter")
        assert isinstance(app.screen, PlayScreen) and not app.current_run.log
        assert "Undo" not in {c.title for c in app.get_system_commands(app.screen)}


async def test_a_screen_is_styled_once_when_first_shown_and_after_as_textual_does(make_app, monkeypatch):
    """StyledOnce: Textual styled a new screen's widgets as they were mounted and all again as
    it was first shown. Only that second styling is left out; a later showing is styled as
    Textual decides (the event is left as Textual sent it)."""
    from textual import events

    from game.tui.screens.styled_once import StyledOnce

    restyled: list[object] = []
    original = PlayScreen.update_node_styles

    def counted(self, animate: bool = True) -> None:
        restyled.append(self)
        original(self, animate)

    monkeypatch.setattr(PlayScreen, "update_node_styles", counted)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen) and play.has_class("-narrow")  # its width's class from the start
        assert restyled == []

    screen = StyledOnce()
    first, later = events.ScreenResume(), events.ScreenResume()
    screen.on_screen_resume(first)
    screen.on_screen_resume(later)
    assert first.refresh_styles is False and later.refresh_styles is True
