"""The conversation's building blocks: one exchange (a question and its answers) and
one answer card (date badge, source label, the quote with its highlights).

Corpus text only ever reaches the screen as `rich.text.Text` built by
`tui.render.highlighted`, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Collapsible, LoadingIndicator, Static

from retrieval.models import Answer, AnswerSet

from ..history import DATE_NOTES
from ..render import answer_citation, exact_date, highlighted, paragraph_date, period_line, safe
from ..wrap import CJKWrapped


def plain(text: str, style: str = "") -> Text:
    """User or corpus text as literal Rich text (no markup, no control characters)."""
    return Text(safe(text), style=style)


LINKS = "[@click=request('open')]open[/]  [@click=request('copy')]copy[/]"  # our markup, no corpus text


class AnswerCard(Static, can_focus=True):
    """One answer, selectable: Enter opens its source, c copies, e opens the editor.

    One widget per answer (a conversation holds hundreds): the first line is the rank,
    the date badge, the source label and the 'open'/'copy' links; then the quote.
    """

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
        paragraph = answer.paragraph
        self.answer = answer
        self.date_text = paragraph_date(paragraph)
        self.inferred = not exact_date(paragraph)  # a range, an estimate or unknown: shown as such
        self.quote_text = highlighted(answer.quote, answer.highlights, answer.answer_spans)
        # CJKWrapped: the quote wraps by character, not at a stray space (tui/wrap.py)
        super().__init__(CJKWrapped.of(self._content()), classes="answer -inferred" if self.inferred else "answer")
        how = DATE_NOTES.get(paragraph.date_source, paragraph.date_source)
        evidence = safe(" ".join(paragraph.date_evidence.split()))
        self.tooltip = f"Date: {how}" + (f" ({evidence})" if evidence else "")

    def _content(self) -> Content:
        date_style = "italic $warning on $warning 15%" if self.inferred else "$success on $success 15%"
        # the short answer, when there is one, in the badge beside its date: " 1.14亿元 · 2022-01-12 "
        short = safe(self.answer.answer.replace("\n", " ")) if self.answer.answer else ""
        badge = ([(f" {short} · ", f"bold {date_style}"), (f"{self.date_text} ", date_style)] if short
                 else [(f" {self.date_text} ", date_style)])
        return Content.assemble(
            (f"{self.answer.rank} ", "bold $text-muted"),
            *badge,
            "  ",
            (safe(answer_citation(self.answer)), "$text-muted"),  # plain text, never parsed as markup
            "  ",
            Content.from_markup(LINKS),
            "\n",
            Content.from_rich_text(self.quote_text),
        )

    def request(self, action: str) -> None:
        self.focus()
        self.post_message(self.Requested(self, action))

    def action_request(self, action: str) -> None:
        self.request(action)

    def on_click(self, event) -> None:
        if event.chain >= 2:  # a double click opens, like in a file manager
            self.request("open")

    async def action_toggle_more(self) -> None:
        """Unfold this exchange's further passages (selecting the first), or fold them."""
        exchange = next((a for a in self.ancestors if isinstance(a, ExchangeView)), None)
        more = exchange.folded if exchange is not None else None
        if more is None:
            return
        if more.collapsed:
            await more.unfold()
            more.query(AnswerCard).first().focus()
        else:
            more.collapsed = True
            exchange.cards[0].focus()


class FoldedPassages(Collapsible):
    """The further passages of an answer: folded, and only built when first unfolded
    (a restored conversation holds hundreds of them)."""

    def __init__(self, answers: list[Answer]) -> None:
        title = f"{len(answers)} more passage" + ("s" if len(answers) > 1 else "")
        super().__init__(title=title, collapsed=True, classes="more")
        self.answers = answers
        self._built = False

    async def build(self) -> None:
        if not self._built:
            self._built = True
            await self.query_one(Collapsible.Contents).mount_all(AnswerCard(a) for a in self.answers)

    async def on_collapsible_expanded(self, event: Collapsible.Expanded) -> None:
        if event.collapsible is self:
            await self.build()

    async def unfold(self) -> None:
        self.collapsed = False
        await self.build()


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
        if self.answer_set is None:
            yield LoadingIndicator(classes="searching")
        else:
            yield from answer_widgets(self.answer_set)

    async def show_answers(self, answer_set: AnswerSet, exchange_id: int | None = None) -> None:
        self.answer_set = answer_set
        self.exchange_id = exchange_id
        await self._replace_answers(*answer_widgets(answer_set))

    async def show_error(self, message: str) -> None:
        await self._replace_answers(Static(plain(message), markup=False, classes="error"))

    async def _replace_answers(self, *widgets: Widget) -> None:
        await self.remove_children([child for child in self.children if not child.has_class("question")])
        await self.mount_all(widgets)

    @property
    def cards(self) -> list[AnswerCard]:
        """The answers on screen (folded passages count once unfolded)."""
        return list(self.query(AnswerCard))

    @property
    def folded(self) -> FoldedPassages | None:
        found = self.query(FoldedPassages)
        return found.first() if found else None


def no_answer_text(answer_set: AnswerSet) -> Text:
    text = Text("No answer found.", style="bold")
    hint = answer_set.hint or "Try other words, or widen the date filters (/clear)."
    text.append("  ")
    text.append(safe(hint), style="italic")
    return text


def period_text(answer_set: AnswerSet) -> Text:
    """The period the question named, as understood, and how it was used."""
    return Text.assemble(("period ", "bold"), (period_line(answer_set.period), ""))


def answer_widgets(answer_set: AnswerSet) -> list[Widget]:
    """The period understood (if any); the lead answer in full; the further passages folded away."""
    widgets: list[Widget] = []
    if answer_set.period is not None:
        widgets.append(Static(period_text(answer_set), markup=False, classes="period"))
    if not answer_set.answers:
        return [*widgets, Static(no_answer_text(answer_set), markup=False, classes="no-answer")]
    lead, *more = answer_set.answers
    widgets.append(AnswerCard(lead))
    if more:
        widgets.append(FoldedPassages(more))
    return widgets
