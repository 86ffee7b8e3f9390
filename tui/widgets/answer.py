"""The conversation's building blocks: one exchange (a question and its answers) and
one answer card (date badge, source label, the quote with its highlights).

Corpus text only ever reaches the screen as `rich.text.Text` built by
`tui.render.highlighted`, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Collapsible, LoadingIndicator, Static

from retrieval.models import Answer, AnswerSet

from ..history import DATE_NOTES, citation, paragraph_date
from ..render import INFERRED_DATE_SOURCES, highlighted, safe


def plain(text: str, style: str = "") -> Text:
    """User or corpus text as literal Rich text (no markup, no control characters)."""
    return Text(safe(text), style=style)


class DateBadge(Static):
    """The answer's date; inferred dates look different and say why on hover."""

    def __init__(self, answer: Answer) -> None:
        paragraph = answer.paragraph
        inferred = paragraph.date_source in INFERRED_DATE_SOURCES
        super().__init__(
            plain(paragraph_date(paragraph)), markup=False, classes="date -inferred" if inferred else "date"
        )
        self.tooltip = DATE_NOTES.get(paragraph.date_source, paragraph.date_source)


class CardLink(Static):
    """A clickable word on a card ('open', 'copy') for mouse users."""

    def __init__(self, label: str, action: str) -> None:
        super().__init__(label, markup=False, classes="card-link")
        self.action = action

    def on_click(self, event) -> None:
        event.stop()
        card = next(a for a in self.ancestors if isinstance(a, AnswerCard))
        card.request(self.action)


class AnswerCard(Widget, can_focus=True):
    """One answer, selectable: Enter opens its source, c copies, e opens the editor."""

    BINDINGS = [
        Binding("enter,o", "request('open')", "Open"),
        Binding("c", "request('copy')", "Copy"),
        Binding("e", "request('edit')", "Edit"),
        Binding("space", "toggle_more", "More"),
        Binding("up,k", "screen.select_quote(-1)", "Previous", show=False),
        Binding("down,j", "screen.select_quote(1)", "Next", show=False),
        Binding("escape,i", "screen.focus_input", "Ask", show=False),
    ]

    class Requested(Message):
        """The user wants to open, copy or edit this answer's source."""

        def __init__(self, card: AnswerCard, action: str) -> None:
            super().__init__()
            self.card = card
            self.action = action

        @property
        def answer(self) -> Answer:
            return self.card.answer

    def __init__(self, answer: Answer) -> None:
        super().__init__(classes="answer")
        self.answer = answer

    def compose(self) -> ComposeResult:
        answer = self.answer
        with Horizontal(classes="card-meta"):
            yield Static(f"{answer.rank}", markup=False, classes="rank")
            yield DateBadge(answer)
            yield Static(plain(citation(answer.paragraph)), markup=False, classes="source")
            yield CardLink("open", "open")
            yield CardLink("copy", "copy")
        quote = highlighted(answer.quote, answer.highlights, answer.answer_spans)
        yield Static(quote, markup=False, classes="quote")

    def request(self, action: str) -> None:
        self.focus()
        self.post_message(self.Requested(self, action))

    def action_request(self, action: str) -> None:
        self.request(action)

    def on_click(self, event) -> None:
        if event.chain >= 2:  # a double click opens, like in a file manager
            self.request("open")

    def action_toggle_more(self) -> None:
        """Unfold this exchange's further passages (selecting the first), or fold them."""
        exchange = next((a for a in self.ancestors if isinstance(a, ExchangeView)), None)
        more = exchange.query(Collapsible).first() if exchange and exchange.query(Collapsible) else None
        if more is None:
            return
        more.collapsed = not more.collapsed
        if more.collapsed:
            exchange.cards[0].focus()
        else:
            self.call_after_refresh(more.query(AnswerCard).first().focus)


class ExchangeView(Vertical):
    """A question and, once the search is done, its answers (or why there are none)."""

    def __init__(
        self,
        question: str,
        filters: str = "",
        exchange_id: int | None = None,
        answer_set: AnswerSet | None = None,
    ) -> None:
        """With `answer_set` (an exchange from the history) the answers show at once."""
        super().__init__(classes="exchange")
        self.question = question
        self.filters = filters
        self.exchange_id = exchange_id
        self.answer_set = answer_set

    def compose(self) -> ComposeResult:
        line = Text.assemble(("❯ ", "bold"), plain(self.question, "bold"))
        if self.filters:
            line.append(f"   {self.filters}", style="dim")
        yield Static(line, markup=False, classes="question")
        with Vertical(classes="body"):
            if self.answer_set is None:
                yield LoadingIndicator(classes="searching")
            else:
                yield from answer_widgets(self.answer_set)

    async def show_answers(self, answer_set: AnswerSet, exchange_id: int | None = None) -> None:
        self.answer_set = answer_set
        self.exchange_id = exchange_id
        await self._replace_body(*answer_widgets(answer_set))

    async def show_error(self, message: str) -> None:
        await self._replace_body(Static(plain(message), markup=False, classes="error"))

    async def _replace_body(self, *widgets: Widget) -> None:
        body = self.query_one(".body", Vertical)
        await body.remove_children()
        await body.mount_all(widgets)

    @property
    def cards(self) -> list[AnswerCard]:
        return list(self.query(AnswerCard))


def no_answer_text(answer_set: AnswerSet) -> Text:
    text = Text("No answer found.", style="bold")
    hint = answer_set.hint or "Try other words, or widen the date filters (/clear)."
    text.append("  ")
    text.append(safe(hint), style="italic")
    return text


def answer_widgets(answer_set: AnswerSet) -> list[Widget]:
    """The lead answer in full; the further passages folded away."""
    if not answer_set.answers:
        return [Static(no_answer_text(answer_set), markup=False, classes="no-answer")]
    lead, *more = answer_set.answers
    widgets: list[Widget] = [AnswerCard(lead)]
    if more:
        title = f"{len(more)} more passage" + ("s" if len(more) > 1 else "")
        widgets.append(Collapsible(*(AnswerCard(a) for a in more), title=title, classes="more"))
    return widgets
