"""Reflections of an assigned session: the question modal, and the list of answers to revise."""

from __future__ import annotations

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from game.tui.game_app import GameApp
from game.tui.widgets.footer import GameFooter
from game.tui.widgets.reading import ReadingPane


class ReflectionScreen(ModalScreen[str | None]):
    """One question and a text area. Dismisses with the answer (ctrl+s) or None (escape: the
    question waits in Reflections until the end of the session)."""

    app = getters.app(GameApp)

    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            "Save answer",
            id="reflect-save",
            priority=True,
            tooltip="Keep this answer (you can revise it in Reflections, r)",
        ),
        Binding("escape", "skip", "Skip for now", id="reflect-skip", priority=True, tooltip="Answer later from Reflections (r)"),
    ]

    def __init__(self, question: str, answer: str = "", *, heading: str = "Reflect", kept: bool = True):
        super().__init__()
        self.question = question
        self.answer = answer
        self.heading = heading
        self.kept = kept  # an assigned session's answers go into the record; free play's stay in the save

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="reflection"):
            yield Static(self.heading, classes="dialog-title")
            yield Static(self.question, id="question", markup=False)
            area = TextArea(self.answer, soft_wrap=True, show_line_numbers=False, id="answer")
            area.cursor_blink = not self.app.is_headless  # a steady cursor keeps tests stable
            yield area
            if self.kept:
                hint = "Write as many lines as you like. ctrl+s keeps it; escape leaves it for later."
            else:
                hint = "Think it over, or write a few lines for yourself (kept with your save): ctrl+s keeps them, escape goes on."
            yield Static(hint, id="reflect-hint")
        yield GameFooter()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_skip(self) -> None:
        self.dismiss(None)


class ReflectionsScreen(Screen[None]):
    """Every question asked so far, with its answer; Enter writes or revises one."""

    app = getters.app(GameApp)

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="reflections-back"),
        Binding("tab", "app.focus_next", "Switch pane", id="reflections-switch", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Reflections", classes="screen-title")
        with Horizontal(id="notes-body"):
            yield OptionList(id="reflections-list")
            yield ReadingPane(id="reflection-text")
        yield Static("Enter: write or revise the highlighted answer", id="notes-count")
        yield GameFooter()

    def on_mount(self) -> None:
        self.refresh_list()

    def refresh_list(self, keep: str | None = None) -> None:
        prompts = self.app.reflection_prompts()
        answers = self.app.in_play.answers
        menu = self.query_one("#reflections-list", OptionList)
        menu.clear_options()
        for prompt in prompts:
            mark = "✓" if prompt.id in answers else "·"
            short = prompt.text if len(prompt.text) <= 60 else prompt.text[:57] + "…"
            menu.add_option(Option(Text(f"{mark} {short}"), id=prompt.id))
        if not prompts:
            self.query_one(ReadingPane).show("No questions yet. They come as you play.")
            return
        ids = [p.id for p in prompts]
        menu.highlighted = ids.index(keep) if keep in ids else 0  # None after clear_options
        self.show_answer(ids[menu.highlighted])
        menu.focus()

    def show_answer(self, prompt_id: str) -> None:
        run = self.app.in_play
        prompt = run.prompt(prompt_id)
        if prompt is None:
            return
        answer = run.answers.get(prompt_id)
        # Two spaces before a newline: the student's own line breaks stay line breaks in Markdown.
        body = answer.text.replace("\n", "  \n") if answer and answer.text else "*Not answered yet: press Enter to write.*"
        self.query_one(ReadingPane).show(f"**{prompt.text}**\n\n{body}")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_answer(event.option.id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        prompt_id = event.option.id or ""
        run = self.app.in_play
        prompt = run.prompt(prompt_id)
        if prompt is None:
            return
        old = run.answers[prompt_id].text if prompt_id in run.answers else ""

        def keep(text: str | None) -> None:
            if text is not None:
                self.app.answer_prompt(prompt_id, text)
            self.refresh_list(keep=prompt_id)

        self.app.push_screen(ReflectionScreen(prompt.text, old, heading="Revise your answer"), keep)
