"""A day of the archive (/day DATE): its pages in print order and their articles.

Enter opens the chosen article in the source view; [ and ] go to the previous and next
day; Esc closes. The screen is given the callables it needs: `load_day(DAY)` (runs
the engine in a worker and calls `show_listing` back) and `open_paragraph(ID)`.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from retrieval.browse import DayListing, PageEntry

from ..render import safe


def page_heading(page: PageEntry) -> Text:
    label = page.page or (f"page {page.number}" if page.number is not None else "")
    heading = Text(" · ".join(part for part in (safe(page.source), label) if part) or "page", style="bold")
    where = safe(page.path) + ("" if page.record is None else f" #{page.record + 1}")
    heading.append(f"   {where}", style="dim")
    return heading


def listing_note(listing: DayListing) -> Text:
    count = len(listing.pages)
    note = Text(f"{count} page{'s' if count != 1 else ''}" if count else "No page of the archive is dated that day.")
    steps = [f"[ {listing.previous}" if listing.previous else "", f"{listing.next} ]" if listing.next else ""]
    if any(steps):
        note.append("   " + "   ".join(s for s in steps if s), style="dim")
    if listing.undated_pages:
        one = listing.undated_pages == 1
        note.append(f"\n{listing.undated_pages} page{'' if one else 's'} of the archive "
                    f"{'has' if one else 'have'} no exact date and {'is' if one else 'are'} on no day.",
                    style="dim italic")
    return note


class DayScreen(ModalScreen[None]):
    """One day's pages, articles selectable."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close"),
        Binding("left_square_bracket", "day(-1)", "◀ Day"),
        Binding("right_square_bracket", "day(1)", "Day ▶"),
    ]

    def __init__(self, listing: DayListing, load_day: Callable[[str], object],
                 open_paragraph: Callable[[str], None]) -> None:
        super().__init__()
        self.listing = listing
        self.load_day = load_day
        self.open_paragraph = open_paragraph

    def compose(self) -> ComposeResult:
        with Vertical(id="day"):
            yield Static(id="day-title", markup=False)
            yield OptionList(id="day-list", markup=False, compact=True)
            yield Static(id="day-note", markup=False)

    def on_mount(self) -> None:
        self.show_listing(self.listing)

    def show_listing(self, listing: DayListing) -> None:
        self.listing = listing
        self.query_one("#day-title", Static).update(
            Text(f"{listing.date} — Enter reads an article · [ ] other days · Esc closes", style="bold"))
        options = self.query_one("#day-list", OptionList)
        options.clear_options()
        for page in listing.pages:
            options.add_option(Option(page_heading(page), disabled=True))
            for article in page.articles:
                title = Text("  " + (safe(article.title) or "(untitled)"))
                title.append(f"  {article.paragraphs} ¶", style="dim")
                options.add_option(Option(title, id=article.paragraph_id))
        first = next((i for i in range(options.option_count) if not options.get_option_at_index(i).disabled), None)
        options.highlighted = first
        options.focus()
        self.query_one("#day-note", Static).update(listing_note(listing))

    def action_day(self, step: int) -> None:
        day = self.listing.previous if step < 0 else self.listing.next
        if day is None:
            self.notify(f"No {'earlier' if step < 0 else 'later'} day in the archive.", markup=False)
            return
        self.load_day(day)

    @on(OptionList.OptionSelected, "#day-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_paragraph(event.option.id)
