"""The source view: the whole article (or page) an answer was quoted from, and from
there the rest of the paper.

The quoted paragraph is highlighted and scrolled into view; Up/Down step through the
paragraphs, `a` switches between the article and the whole page, Left/Right go to the
previous/next article on the page, p/n to the previous/next page of the same day,
[/] to the previous/next day of the same paper; Esc goes back to the conversation
exactly where it was. The screen is given its two engine calls (`load`, `step`),
which run in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static

from retrieval.models import Answer, Paragraph

from ..render import citation, highlighted, paragraph_date, safe
from ..wrap import CJKWrapped

QUOTE_STYLE = "underline"
# load(scope, paragraph_id) -> the paragraphs of that article or page, in reading order
Loader = Callable[[str, str], "list[Paragraph]"]
# step(paragraph_id, unit, ±1) -> first paragraph of the neighbouring article/page/day, or None
Stepper = Callable[[str, str, int], "Paragraph | None"]
SCOPES = ("article", "page")
UNIT_NAMES = {"article": "article on this page", "page": "page of this day", "day": "day of this paper"}


class ParagraphView(Horizontal, can_focus=True):
    """One paragraph of the source, its line numbers in a gutter on the left."""

    # Here, not only on the screen: the scrolling container would take Up/Down first.
    BINDINGS = [
        Binding("up,k", "screen.step(-1)", "Previous ¶", show=False),
        Binding("down,j", "screen.step(1)", "Next ¶", show=False),
    ]

    def __init__(self, paragraph: Paragraph, text: Text, quoted: bool) -> None:
        super().__init__(classes="paragraph -quoted" if quoted else "paragraph")
        self.paragraph = paragraph
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(_lines(self.paragraph), markup=False, classes="gutter")
        # CJKWrapped: Chinese wraps by character, not at a stray space (tui/wrap.py)
        yield Static(CJKWrapped.of(Content.from_rich_text(self.text)), markup=False, classes="paragraph-text")

    def on_click(self) -> None:
        self.focus()


def _lines(paragraph: Paragraph) -> str:
    if paragraph.line_start == paragraph.line_end:
        return f"{paragraph.line_start}"
    return f"{paragraph.line_start}–{paragraph.line_end}"


def quoted_text(answer: Answer) -> Text:
    """The answer's paragraph: question terms, the answer span and the quote itself marked."""
    spans = [(s + answer.quote_start, e + answer.quote_start) for s, e in answer.answer_spans]
    text = highlighted(answer.paragraph.text, answer.passage_highlights, spans)
    text.stylize(QUOTE_STYLE, answer.quote_start, answer.quote_start + len(answer.quote))
    return text


class SourceScreen(Screen):
    """The article or page behind one answer."""

    BINDINGS = [
        Binding("escape,q", "back", "Back"),
        Binding("up,k", "step(-1)", "Previous ¶"),
        Binding("down,j", "step(1)", "Next ¶"),
        Binding("a", "switch_scope", "Article/page"),
        # Stepping through the paper (F1 lists them; the footer keeps to what fits 80 columns).
        Binding("left,h", "go('article', -1)", "◀ Article", show=False),
        Binding("right,l", "go('article', 1)", "Article ▶", show=False),
        Binding("p", "go('page', -1)", "◀ Page", show=False),
        Binding("n", "go('page', 1)", "Page ▶", show=False),
        Binding("left_square_bracket", "go('day', -1)", "◀ Day", show=False),
        Binding("right_square_bracket", "go('day', 1)", "Day ▶", show=False),
        Binding("c", "copy", "Copy ¶"),
        Binding("e", "edit", "Editor"),
        Binding("f1,question_mark", "app.show_help", "Help"),
    ]

    class Requested(Message):
        """The user wants to copy a paragraph or open it in the editor (the app does it)."""

        def __init__(self, action: str, paragraph: Paragraph) -> None:
            super().__init__()
            self.action = action
            self.paragraph = paragraph

    def __init__(self, answer: Answer | None, load: Loader, scope: str = "article", *,
                 paragraph: Paragraph | None = None, step: Stepper | None = None) -> None:
        """An answer's source (its quote marked), or any `paragraph` in its article."""
        super().__init__()
        self.answer = answer
        self.target: Paragraph = paragraph if paragraph is not None else answer.paragraph  # type: ignore[union-attr]
        self.load = load
        self.step_to = step
        self.scope = scope
        self.paragraphs: list[Paragraph] = []
        self.title = "wenbao 问报"
        self.sub_title = safe(citation(self.target))

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="source-title", markup=False)
        with VerticalScroll(id="source"):
            yield LoadingIndicator()
        yield Static(id="source-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_title()
        self.fetch(self.scope)

    def refresh_title(self) -> None:
        paragraph = self.target
        title = Text(safe(paragraph.title) or "(untitled)", style="bold")
        title.append(f"   {paragraph_date(paragraph)}", style="italic")
        title.append(f"   {safe(paragraph.path)}", style="dim")
        title.append(f"   whole {self.scope}", style="dim")
        self.query_one("#source-title", Static).update(title)

    @work(thread=True, exclusive=True, group="source")
    def fetch(self, scope: str) -> None:
        try:
            paragraphs = self.load(scope, self.target.id)
        except KeyError:
            paragraphs, note = [], ""  # show() explains
        except Exception as exc:  # show what we have rather than nothing
            paragraphs, note = [], f"Cannot load the {scope}: {exc}"
        else:
            note = ""
        self.app.call_from_thread(self.show, scope, paragraphs, note)

    def _text(self, paragraph: Paragraph) -> Text:
        if self.answer is not None and paragraph.id == self.answer.paragraph.id:
            return quoted_text(self.answer)
        return Text(safe(paragraph.text))

    async def show(self, scope: str, paragraphs: list[Paragraph], note: str = "") -> None:
        quoted_id = self.target.id
        if not any(p.id == quoted_id for p in paragraphs):
            note = note or "This paragraph is no longer in the index: the corpus changed since."
            paragraphs = [self.target]  # the stored copy is still worth reading
        self.scope, self.paragraphs = scope, paragraphs
        views = [ParagraphView(p, self._text(p), p.id == quoted_id) for p in paragraphs]
        source = self.query_one("#source", VerticalScroll)
        await source.remove_children()
        if note:
            note += "  Showing the copy kept with the answer."
            await source.mount(Static(Text(note, style="italic"), markup=False, classes="notice -error"))
        await source.mount_all(views)
        self.refresh_title()
        quoted = source.query_one(".-quoted", ParagraphView)
        quoted.focus(scroll_visible=False)
        self.call_after_refresh(quoted.scroll_visible, animate=False, top=False)
        self.refresh_status()

    @property
    def current(self) -> ParagraphView | None:
        return self.focused if isinstance(self.focused, ParagraphView) else None

    def refresh_status(self) -> None:
        views = list(self.query(ParagraphView))
        current = self.current
        if current is None or current not in views:
            return
        paragraph = current.paragraph
        status = Text(f"¶ {views.index(current) + 1}/{len(views)} of the {self.scope}", style="bold")
        lines = "line" if paragraph.line_start == paragraph.line_end else "lines"
        status.append(f"  ·  {lines} {_lines(paragraph)}  ·  {paragraph_date(paragraph)}")
        if "-quoted" in current.classes:
            status.append("  ·  quoted" if self.answer is not None and self.target is self.answer.paragraph
                          else "  ·  here", style="italic")
        self.query_one("#source-status", Static).update(status)

    def on_descendant_focus(self) -> None:
        self.refresh_status()

    def action_step(self, step: int) -> None:
        views = list(self.query(ParagraphView))
        if not views:
            return
        index = views.index(self.current) if self.current in views else 0
        views[min(max(index + step, 0), len(views) - 1)].focus()

    def action_go(self, unit: str, step: int) -> None:
        """To the first paragraph of the previous/next article, page or day."""
        if self.step_to is None:
            self.notify("Stepping through the archive needs the index.", markup=False)
            return
        start = self.current.paragraph if self.current is not None else self.target
        self._go(start, unit, step)

    @work(thread=True, exclusive=True, group="source-step")
    def _go(self, start: Paragraph, unit: str, step: int) -> None:
        try:
            found = self.step_to(start.id, unit, step)  # type: ignore[misc]
        except KeyError:
            found = None
        except Exception as exc:  # noqa: BLE001 - say it and stay where we are
            self.app.call_from_thread(self.notify, f"Cannot step: {exc}", severity="error", markup=False)
            return
        self.app.call_from_thread(self._arrived, start, unit, step, found)

    def _arrived(self, start: Paragraph, unit: str, step: int, found: Paragraph | None) -> None:
        if found is None:
            if unit != "article" and not start.date:
                why = "This page has no exact date, so it is on no day."
            else:
                why = f"No {'previous' if step < 0 else 'next'} {UNIT_NAMES[unit]}."
            self.notify(why, markup=False)
            return
        self.target = found
        self.sub_title = safe(citation(found))
        self.fetch(self.scope)

    def action_switch_scope(self) -> None:
        self.fetch(SCOPES[1 - SCOPES.index(self.scope)])

    def action_back(self) -> None:
        self.dismiss()

    def action_copy(self) -> None:
        if self.current is not None:
            self.post_message(self.Requested("copy", self.current.paragraph))

    def action_edit(self) -> None:
        paragraph = self.current.paragraph if self.current is not None else self.target
        self.post_message(self.Requested("edit", paragraph))
