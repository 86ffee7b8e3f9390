"""The conversation: questions and answers scroll above an input line.

The screen knows nothing of the app that shows it: it is given the history to restore,
and it tells its owner what the user did through messages — `ChatScreen.Asked` (a
question, with the exchange view to fill in), `ChatScreen.CommandEntered` (a /command),
and `AnswerCard.Requested` (open, copy, edit), which bubble up to the app. The owner
calls back `answered`, `say`, `show_status`.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, ProgressBar, Static

from retrieval.models import AnswerSet

from ..history import HistoryError, HistoryStore, filters_label
from ..widgets.answer import AnswerCard, ExchangeView, plain
from .commands import Command, CommandError, parse_command

RESTORED_EXCHANGES = 30  # older ones stay reachable through the history view
WELCOME = (
    "Ask a question about the archive in your own words: answers quote the page, with date and source.\n"
    "Filters: /since 2021  /until 2022-06  /k 5  /clear    A day's pages: /day 2021-01-07    Keys: F1"
)


class QuestionInput(Input):
    """The question line: Enter asks, Up/Down recall earlier questions."""

    BINDINGS = [
        Binding("up", "recall(-1)", "Earlier question", show=False),
        Binding("down", "recall(1)", "Later question", show=False),
    ]

    def __init__(self, questions: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.questions = list(questions)
        self._position = len(self.questions)
        self._draft = ""

    def remember(self, question: str) -> None:
        if question in self.questions:
            self.questions.remove(question)
        self.questions.append(question)
        self._position = len(self.questions)

    def forget_all(self) -> None:
        self.questions.clear()
        self._position = 0

    def action_recall(self, step: int) -> None:
        if self._position == len(self.questions):
            self._draft = self.value  # keep what was being typed, for Down to return to
        position = min(max(self._position + step, 0), len(self.questions))
        if position == self._position:
            return
        self._position = position
        self.value = self.questions[position] if position < len(self.questions) else self._draft
        self.cursor_position = len(self.value)


class ChatScreen(Screen):
    """Questions, answers and the line to ask the next one."""

    BINDINGS = [
        Binding("tab", "toggle_focus", "Answers ↔ ask"),
        Binding("ctrl+r", "app.show_history", "History"),
        Binding("f1", "app.show_help", "Help"),
        Binding("question_mark", "app.show_help", "Help", show=False),
    ]

    class Asked(Message):
        """A question was asked; `view` waits for its answers (`answered`, `view.show_error`)."""

        def __init__(self, view: ExchangeView) -> None:
            super().__init__()
            self.view = view

    class CommandEntered(Message):
        """A /command was typed in the question line."""

        def __init__(self, command: Command) -> None:
            super().__init__()
            self.command = command

    def __init__(self, history: HistoryStore) -> None:
        super().__init__()
        self.history = history
        self.filters_shown = ""  # the active filters, as a question's exchange shows them
        self._status: tuple[Text, str, tuple[int, int] | None] | None = None
        self._composed = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="conversation"):
            yield Static(WELCOME, markup=False, id="welcome")
        with Horizontal(id="status-bar"):
            yield Static(id="status", markup=False)
            yield ProgressBar(id="progress", show_eta=False, show_percentage=True)
        yield QuestionInput(
            self._past_questions(),
            id="question",
            placeholder="Ask a question…   (/help for commands, F1 for keys)",
        )
        yield Footer()

    def _past_questions(self) -> list[str]:
        try:
            return self.history.questions()
        except HistoryError:
            return []

    async def on_mount(self) -> None:
        self._composed = True
        if self._status is not None:
            self.show_status(*self._status)
        await self.restore_history()
        self.query_one(QuestionInput).focus()

    # --- the conversation ---------------------------------------------------------

    @property
    def conversation(self) -> VerticalScroll:
        return self.query_one("#conversation", VerticalScroll)

    @property
    def exchanges(self) -> list[ExchangeView]:
        return list(self.conversation.query(ExchangeView))

    async def restore_history(self) -> None:
        try:
            past = self.history.exchanges(limit=RESTORED_EXCHANGES)
        except HistoryError as exc:
            self.say(str(exc), error=True)
            return
        views = [
            ExchangeView(ex.question, filters_label(ex.answer_set.since, ex.answer_set.until), ex.id, ex.answer_set)
            for ex in past
        ]
        if views:
            await self.conversation.mount_all(views)
            total = len(self.history)
            more = f"; Ctrl+R searches all {total}" if total > len(views) else "; Ctrl+R searches them"
            self.say(f"↑ {len(views)} earlier question{'s' if len(views) > 1 else ''} from the history{more}")
            self.conversation.scroll_end(animate=False, immediate=True)

    def say(self, message: str | Text, *, error: bool = False) -> Static:
        """A line from wenbao itself in the conversation (command results, problems)."""
        text = message if isinstance(message, Text) else plain(message)
        notice = Static(text, markup=False, classes="notice -error" if error else "notice")
        self.conversation.mount(notice)
        self.conversation.scroll_end(animate=False)
        return notice

    async def clear_conversation(self) -> None:
        await self.conversation.query(".exchange, .notice").remove()
        self.query_one(QuestionInput).forget_all()

    async def reopen(self, exchange_id: int, answer_set: AnswerSet) -> None:
        """Bring a past exchange into view and select its first answer."""
        view = next((v for v in self.exchanges if v.exchange_id == exchange_id), None)
        if view is None:
            filters = filters_label(answer_set.since, answer_set.until)
            view = ExchangeView(answer_set.question, filters, exchange_id, answer_set)
            await self.conversation.mount(view)
        cards = view.cards
        if cards:
            cards[0].focus()
        view.scroll_visible(animate=False, top=True)

    def prefill(self, text: str) -> None:
        """Put a command in the question line for the user to finish."""
        question = self.query_one(QuestionInput)
        question.value = text
        question.cursor_position = len(text)
        question.focus()

    # --- status line --------------------------------------------------------------

    def show_status(self, status: Text, sub_title: str, progress: tuple[int, int] | None) -> None:
        """The status line; `progress` (done, total) shows the bar while the index builds."""
        self._status = (status, sub_title, progress)
        if not self._composed:
            return  # on_mount shows it
        self.query_one("#status", Static).update(status)
        self.sub_title = sub_title
        bar = self.query_one("#progress", ProgressBar)
        bar.display = progress is not None
        if progress is not None:
            done, total = progress
            bar.update(total=total or None, progress=done)

    # --- asking -------------------------------------------------------------------

    @on(Input.Submitted, "#question")
    async def submitted(self, event: Input.Submitted) -> None:
        line = event.value.strip()
        event.input.value = ""
        if not line:
            return
        try:
            command = parse_command(line)
        except CommandError as exc:
            self.say(str(exc), error=True)
            return
        if command is None:
            await self.ask(line[1:] if line.startswith("//") else line)  # '//' escapes a leading '/'
        else:
            self.post_message(self.CommandEntered(command))

    async def ask(self, question: str) -> None:
        self.query_one(QuestionInput).remember(question)
        self.query_one("#welcome").display = False
        view = ExchangeView(question, self.filters_shown)
        await self.conversation.mount(view)
        self.conversation.scroll_end(animate=False)
        self.post_message(self.Asked(view))

    async def answered(self, view: ExchangeView, answer_set: AnswerSet) -> None:
        exchange_id = None
        try:
            exchange_id = self.history.add(answer_set).id
        except HistoryError as exc:
            self.say(str(exc), error=True)
        at_bottom = self.conversation.is_vertical_scroll_end
        await view.show_answers(answer_set, exchange_id)
        if at_bottom:
            self.conversation.scroll_end(animate=False)

    # --- selecting answers --------------------------------------------------------

    def _selectable_cards(self) -> list[AnswerCard]:
        """Answers that can take focus now: not those folded away in a Collapsible."""
        return [widget for widget in self.focus_chain if isinstance(widget, AnswerCard)]

    def action_toggle_focus(self) -> None:
        """Tab: from the question line to the latest answer, and back."""
        question = self.query_one(QuestionInput)
        cards = self._selectable_cards()
        if self.focused is question and cards:
            cards[-1].focus()
        else:
            question.focus()

    def action_focus_input(self) -> None:
        self.query_one(QuestionInput).focus()

    def action_select_quote(self, step: int) -> None:
        cards = self._selectable_cards()
        if not cards:
            return
        current = self.focused
        index = cards.index(current) if current in cards else len(cards)
        target = index + step
        if target >= len(cards):
            self.query_one(QuestionInput).focus()  # past the last answer: back to asking
        else:
            cards[max(target, 0)].focus()
