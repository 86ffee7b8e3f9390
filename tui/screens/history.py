"""The history view: search past questions, reopen an answer, clear the history.

Also the small yes/no screen that guards clearing.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..history import Exchange, HistoryError, HistoryStore
from ..render import safe


def local_time(asked_at: str) -> str:
    try:
        return datetime.fromisoformat(asked_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return asked_at[:16]


def exchange_prompt(exchange: Exchange) -> Text:
    count = len(exchange.answer_set.answers)
    prompt = Text(f"{local_time(exchange.asked_at)}  ", style="dim")
    prompt.append(f"{count} answer{'s' if count != 1 else ''}  " if count else "no answer  ", style="italic")
    prompt.append(safe(exchange.question))
    return prompt


class HistoryScreen(ModalScreen["Exchange | None"]):
    """Past questions, newest first; Enter reopens one."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("ctrl+d", "app.forget_history", "Clear history", priority=True),  # over the Input's delete
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, history: HistoryStore) -> None:
        super().__init__()
        self.history = history
        self.found: list[Exchange] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="history"):
            yield Static("History — type to search · Enter reopens · Ctrl+D clears · Esc closes", id="history-title")
            yield Input(placeholder="search past questions", id="history-search", compact=True)
            yield OptionList(id="history-list", markup=False, compact=True)
            yield Static(id="history-count", markup=False)

    def on_mount(self) -> None:
        self.refresh_list("")
        self.query_one("#history-search", Input).focus()

    @on(Input.Changed, "#history-search")
    def search_changed(self, event: Input.Changed) -> None:
        self.refresh_list(event.value)

    def refresh_list(self, text: str) -> None:
        try:
            self.found = self.history.search(text)
        except HistoryError as exc:
            self.found = []
            self.notify(str(exc), severity="error", markup=False)
        options = self.query_one("#history-list", OptionList)
        options.clear_options()
        options.add_options([Option(exchange_prompt(ex), id=str(ex.id)) for ex in self.found])
        if self.found:
            options.highlighted = 0
        total = len(self.history)
        shown = f"{len(self.found)} of {total} questions" if text.strip() else f"{total} questions"
        self.query_one("#history-count", Static).update(Text(shown, style="dim"))

    def action_move(self, step: int) -> None:
        """Up/Down choose a question while the cursor stays in the search box."""
        options = self.query_one("#history-list", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -step
            options.highlighted = min(max(current + step, 0), options.option_count - 1)

    @on(Input.Submitted, "#history-search")
    def search_submitted(self) -> None:
        options = self.query_one("#history-list", OptionList)
        if options.highlighted is not None:
            self.dismiss(self.found[options.highlighted])

    @on(OptionList.OptionSelected, "#history-list")
    def option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.found[event.option_index])


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; y/Enter on Yes confirms, n/Esc cancels."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Text(self.question), markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Yes, clear", variant="error", id="yes")
                yield Button("No", variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
