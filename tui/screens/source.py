"""The source view: the whole article (or page) an answer was quoted from.

The quoted paragraph is highlighted and scrolled into view; Up/Down step through the
paragraphs, `a` switches between the article and the whole page, Esc goes back to the
conversation exactly where it was.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static

from retrieval.models import Answer, Paragraph

from ..history import paragraph_date
from ..render import citation, highlighted, safe

QUOTE_STYLE = "underline"
# load(scope, paragraph_id) -> the paragraphs of that article or page, in reading order
Loader = Callable[[str, str], "list[Paragraph]"]
SCOPES = ("article", "page")


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
        yield Static(self.text, markup=False, classes="paragraph-text")

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

    def __init__(self, answer: Answer, load: Loader, scope: str = "article") -> None:
        super().__init__()
        self.answer = answer
        self.load = load
        self.scope = scope
        self.paragraphs: list[Paragraph] = []
        self.title = "wenbao 问报"
        self.sub_title = safe(citation(answer.paragraph))

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
        paragraph = self.answer.paragraph
        title = Text(safe(paragraph.title) or "(untitled)", style="bold")
        title.append(f"   {paragraph_date(paragraph)}", style="italic")
        title.append(f"   {safe(paragraph.path)}", style="dim")
        title.append(f"   whole {self.scope}", style="dim")
        self.query_one("#source-title", Static).update(title)

    @work(thread=True, exclusive=True, group="source")
    def fetch(self, scope: str) -> None:
        try:
            paragraphs = self.load(scope, self.answer.paragraph.id)
        except KeyError:
            paragraphs, note = [], ""  # show() explains
        except Exception as exc:  # show what we have rather than nothing
            paragraphs, note = [], f"Cannot load the {scope}: {exc}"
        else:
            note = ""
        self.app.call_from_thread(self.show, scope, paragraphs, note)

    async def show(self, scope: str, paragraphs: list[Paragraph], note: str = "") -> None:
        quoted_id = self.answer.paragraph.id
        if not any(p.id == quoted_id for p in paragraphs):
            note = note or "This paragraph is no longer in the index: the corpus changed since."
            paragraphs = [self.answer.paragraph]  # the stored copy is still worth reading
        self.scope, self.paragraphs = scope, paragraphs
        views = [
            ParagraphView(p, quoted_text(self.answer) if p.id == quoted_id else Text(safe(p.text)), p.id == quoted_id)
            for p in paragraphs
        ]
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
            status.append("  ·  quoted", style="italic")
        self.query_one("#source-status", Static).update(status)

    def on_descendant_focus(self) -> None:
        self.refresh_status()

    def action_step(self, step: int) -> None:
        views = list(self.query(ParagraphView))
        if not views:
            return
        index = views.index(self.current) if self.current in views else 0
        views[min(max(index + step, 0), len(views) - 1)].focus()

    def action_switch_scope(self) -> None:
        self.fetch(SCOPES[1 - SCOPES.index(self.scope)])

    def action_back(self) -> None:
        self.dismiss()

    def action_copy(self) -> None:
        if self.current is not None:
            self.post_message(self.Requested("copy", self.current.paragraph))

    def action_edit(self) -> None:
        paragraph = self.current.paragraph if self.current is not None else self.answer.paragraph
        self.post_message(self.Requested("edit", paragraph))
