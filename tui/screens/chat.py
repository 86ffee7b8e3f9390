"""The conversation: questions and answers scroll above an input line.

Searching runs in a thread worker, so the screen never freezes; results come back
through `App.call_from_thread`. Slash commands (/since, /k, /export, …) are handled
here too; the app object holds the state they change (filters, history, archive).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, ProgressBar, Static

from retrieval.errors import WenbaoError
from retrieval.models import AnswerSet

from ..history import HistoryError, filters_label
from ..widgets.answer import AnswerCard, ExchangeView, plain
from .commands import Command, CommandError, Filters, apply_filter, parse_command

if TYPE_CHECKING:
    from ..app import WenbaoApp

RESTORED_EXCHANGES = 30  # older ones stay reachable through the history view
WELCOME = (
    "Ask a question about the archive in your own words: answers quote the page, with date and source.\n"
    "Filters: /since 2021  /until 2022-06  /k 5  /clear    Keys: F1    Commands: Ctrl+P"
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

    app: WenbaoApp

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
            return self.app.history.questions()
        except HistoryError:
            return []

    async def on_mount(self) -> None:
        await self.restore_history()
        self.refresh_status()
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
            past = self.app.history.exchanges(limit=RESTORED_EXCHANGES)
        except HistoryError as exc:
            self.say(str(exc), error=True)
            return
        views = [
            ExchangeView(ex.question, filters_label(ex.answer_set.since, ex.answer_set.until), ex.id, ex.answer_set)
            for ex in past
        ]
        if views:
            await self.conversation.mount_all(views)
            total = len(self.app.history)
            more = f"; Ctrl+R searches all {total}" if total > len(views) else "; Ctrl+R searches them"
            self.say(f"↑ {len(views)} earlier question{'s' if len(views) > 1 else ''} from the history{more}")
            self.conversation.scroll_end(animate=False, immediate=True)

    def say(self, message: str, *, error: bool = False) -> Static:
        """A line from wenbao itself in the conversation (command results, problems)."""
        notice = Static(plain(message), markup=False, classes="notice -error" if error else "notice")
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

    # --- status line --------------------------------------------------------------

    def refresh_status(self) -> None:
        app = self.app
        status = Text()
        if app.archive is None:
            status.append(app.open_error or app.progress_text(), style="bold red" if app.open_error else "")
        else:
            status.append(f"{app.corpus_name} · {len(app.archive):,} paragraphs")
        status.append("  │  ", style="dim")
        filters = app.filters.describe()
        status.append(filters, style="bold" if app.filters.active else "dim")
        self.query_one("#status", Static).update(status)
        self.sub_title = f"{app.corpus_name} · {filters}"
        self._refresh_progress()

    def _refresh_progress(self) -> None:
        bar = self.query_one("#progress", ProgressBar)
        _stage, done, total = self.app.progress
        bar.display = self.app.archive is None and self.app.open_error is None
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
            await self.run_command(command)

    async def ask(self, question: str) -> None:
        self.query_one(QuestionInput).remember(question)
        self.query_one("#welcome").display = False
        view = ExchangeView(question, self.app.filters.describe() if self.app.filters.active else "")
        await self.conversation.mount(view)
        self.conversation.scroll_end(animate=False)
        if self.app.archive is not None:
            self.search(view, self.app.filters)
        elif self.app.open_error:
            await view.show_error(self.app.open_error)
        else:
            self.app.waiting.append((view, self.app.filters))  # asked while the index is being built

    @work(thread=True, group="ask")
    def search(self, view: ExchangeView, filters: Filters) -> None:
        app = self.app
        try:
            with app.archive_lock:
                answer_set = app.archive.ask(
                    view.question, top=filters.top, since=filters.since, until=filters.until, today=app.today
                )
        except WenbaoError as exc:
            app.call_from_thread(view.show_error, str(exc))
            return
        except Exception as exc:  # an engine bug must not take the conversation down
            app.call_from_thread(view.show_error, f"Search failed: {type(exc).__name__}: {exc}")
            return
        app.call_from_thread(self.answered, view, answer_set)

    async def answered(self, view: ExchangeView, answer_set: AnswerSet) -> None:
        exchange_id = None
        try:
            exchange_id = self.app.history.add(answer_set).id
        except HistoryError as exc:
            self.say(str(exc), error=True)
        at_bottom = self.conversation.is_vertical_scroll_end
        await view.show_answers(answer_set, exchange_id)
        if at_bottom:
            self.conversation.scroll_end(animate=False)

    # --- commands -----------------------------------------------------------------

    async def run_command(self, command: Command) -> None:
        app = self.app
        if command.name in ("since", "until", "k", "clear"):
            try:
                app.set_filters(apply_filter(app.filters, command))
            except CommandError as exc:
                self.say(str(exc), error=True)
                return
            self.say(f"Filters: {app.filters.describe()}")
        elif command.name == "export":
            app.export_conversation(command.argument)
        elif command.name == "history":
            app.action_show_history()
        elif command.name == "forget":
            app.action_forget_history()
        elif command.name == "help":
            app.action_show_help()
        elif command.name == "quit":
            app.exit(0)

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

    @on(AnswerCard.Requested)
    def answer_requested(self, event: AnswerCard.Requested) -> None:
        self.app.handle_request(event.action, event.answer)
