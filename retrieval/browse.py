"""Stepping through the archive as a reader of the paper does: a day's pages in print
order, the articles of a page, the next article, page or day.

    browser = Browser(index)
    listing = browser.day("2021-01-07")          # DayListing: pages in order, article titles
    browser.neighbour(paragraph_id, "page", +1)   # first paragraph of the next page that day

A *page* is a file of the corpus, or one record of a record file (.jsonl/.csv). Its
*day* is the point date most of its paragraphs carry (Paragraph.date); a page whose
paragraphs carry none (only a year, only a range) is on no day, and listings say how
many such pages there are. Pages of a day are in print order: by the page number the
front matter (`page: 第2版`) or the file name (`2021-01-07/02.txt`, `A03.txt`) gives,
else by path. "The same paper" is the page's `source` (front matter or record field);
pages that name none are one paper.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np

from .errors import QuestionError
from .models import Paragraph

UNITS = ("article", "page", "day")
_DATE_IN_NAME = re.compile(r"(?<!\d)(?:1[89]|20)\d{2}[-_.]?(?:0?[1-9]|1[0-2])[-_.]?(?:0?[1-9]|[12]\d|3[01])(?!\d)")
_NAME_PAGE = re.compile(r"^(?:[A-Za-z]{0,4})(\d{1,3})$")  # "02", "A03", "p7", "page12"
_DAY_ARG = re.compile(r"^(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*[-/.月]?\s*(\d{1,2})\s*日?$")
_PRINTED_PAGE = re.compile(r"(\d{1,3})")  # front matter "第2版", "A3", "2"


@dataclass(frozen=True)
class ArticleEntry:
    """An article of a page: its headline and where it starts."""

    title: str  # "" when the page gives none
    paragraph_id: str  # its first paragraph
    line: int  # the first paragraph's first line
    paragraphs: int


@dataclass(frozen=True)
class PageEntry:
    """A printed page (a file, or a record of a record file) and its articles in order."""

    path: str
    record: int | None
    page: str  # the page as the input names it ("第2版", "02"), "" when nothing does
    number: int | None  # the page number used for ordering, None when nothing gives one
    source: str  # the paper, when the input names it
    date: str | None  # the page's day
    articles: tuple[ArticleEntry, ...]

    @property
    def paragraph_id(self) -> str:
        """The page's first paragraph."""
        return self.articles[0].paragraph_id


@dataclass(frozen=True)
class DayListing:
    """One day of the archive: its pages in print order."""

    date: str  # YYYY-MM-DD
    pages: tuple[PageEntry, ...]
    undated_pages: int  # pages of the archive on no day at all (no point date)
    previous: str | None  # the nearest earlier day with pages, if any
    next: str | None  # the nearest later day with pages, if any


def parse_day(value: str) -> str:
    """'2021-01-07', '2021-1-7', '2021/01/07', '20210107', '2021年1月7日' -> '2021-01-07'."""
    found = _DAY_ARG.match(value.strip())
    if found:
        year, month, day = (int(g) for g in found.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            raise QuestionError(f"{value!r}: there is no such day") from None
    raise QuestionError(f"{value!r}: give a day as YYYY-MM-DD, e.g. 2021-01-07")


def page_number(paragraph: Paragraph) -> int | None:
    """The page number: from the page's own label, else from the file name, else None."""
    if paragraph.page:
        found = _PRINTED_PAGE.search(paragraph.page)
        if found:
            return int(found.group(1))
    stem = paragraph.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = _DATE_IN_NAME.sub(" ", stem)
    for token in reversed(re.split(r"[^0-9A-Za-z]+", stem)):
        found = _NAME_PAGE.match(token)
        if found:
            return int(found.group(1))
    return None


def _day_of(paragraphs: list[Paragraph]) -> str | None:
    """The point date most of a page's paragraphs carry (ties: the earliest)."""
    counts = Counter(p.date for p in paragraphs if p.date)
    if not counts:
        return None
    best = max(counts.values())
    return min(d for d, n in counts.items() if n == best)


def _key(date: str) -> int:
    return int(date.replace("-", ""))


def _iso(key: int) -> str:
    return f"{key // 10000:04d}-{key // 100 % 100:02d}-{key % 100:02d}"


def _print_order(page: PageEntry) -> tuple:
    return (page.number is None, page.number or 0, page.path, page.record if page.record is not None else -1)


class Browser:
    """Days, pages and neighbours of an open index (store.IndexData)."""

    def __init__(self, index) -> None:
        self.index = index
        self._day_keys: np.ndarray | None = None
        self._undated: int | None = None

    # -- pages ---------------------------------------------------------------------------
    def _page_rows(self, row: int) -> range:
        """The rows of the page (file, or record of a file) that holds `row`."""
        entry = self.index.file_of(row)
        record = self.index.paragraph(row).record
        start, end = row, row + 1
        if record is None:
            return range(entry.start, entry.start + entry.count)
        while start > entry.start and self.index.paragraph(start - 1).record == record:
            start -= 1
        while end < entry.start + entry.count and self.index.paragraph(end).record == record:
            end += 1
        return range(start, end)

    def _pages_of_file(self, entry) -> list[list[Paragraph]]:
        paragraphs = [self.index.paragraph(r) for r in range(entry.start, entry.start + entry.count)]
        pages: list[list[Paragraph]] = []
        for p in paragraphs:
            if pages and pages[-1][0].record == p.record:
                pages[-1].append(p)
            else:
                pages.append([p])
        return pages

    @staticmethod
    def _page_entry(paragraphs: list[Paragraph]) -> PageEntry:
        first = paragraphs[0]
        articles: list[ArticleEntry] = []
        last_article = None
        for p in paragraphs:
            if articles and p.article == last_article:
                a = articles[-1]
                articles[-1] = ArticleEntry(a.title, a.paragraph_id, a.line, a.paragraphs + 1)
            else:
                articles.append(ArticleEntry(p.title, p.id, p.line_start, 1))
            last_article = p.article
        return PageEntry(first.path, first.record, first.page, page_number(first), first.source,
                         _day_of(paragraphs), tuple(articles))

    # -- days ----------------------------------------------------------------------------
    def _candidate_keys(self) -> np.ndarray:
        """Every full date some paragraph carries, sorted (a superset of the pages' days)."""
        if self._day_keys is None:
            dates = self.index.dated()[0]
            self._day_keys = np.unique(dates[dates % 100 != 0])  # no year-only (yyyy0000), no unknown (0)
        return self._day_keys

    def pages_on(self, date: str, source: str | None = None) -> list[PageEntry]:
        """The pages whose day is `date` (of paper `source` when given), in print order."""
        key = _key(date)
        rows = np.flatnonzero(self.index.dated()[0] == key)
        pages: list[PageEntry] = []
        seen: set[str] = set()
        for row in rows.tolist():
            entry = self.index.file_of(row)
            if entry.path in seen:
                continue
            seen.add(entry.path)
            for paragraphs in self._pages_of_file(entry):
                page = self._page_entry(paragraphs)
                if page.date == date and (source is None or page.source == source):
                    pages.append(page)
        return sorted(pages, key=_print_order)

    def undated_pages(self) -> int:
        """How many pages carry no point date at all (and so are on no day)."""
        if self._undated is None:
            dates = self.index.dated()[0]
            self._undated = sum(
                1 for f in self.index.files
                if f.count and not (dates[f.start:f.start + f.count] % 100 != 0).any()
            )
        return self._undated

    def next_day(self, date: str, step: int, source: str | None = None) -> str | None:
        """The nearest day before (step -1) or after (+1) `date` with pages of `source`."""
        keys = self._candidate_keys()
        at = int(np.searchsorted(keys, _key(date), side="right" if step > 0 else "left"))
        candidates = keys[at:] if step > 0 else keys[:at][::-1]
        for key in candidates.tolist():
            if self.pages_on(_iso(key), source):
                return _iso(key)
        return None

    def day(self, date: str) -> DayListing:
        return DayListing(date, tuple(self.pages_on(date)), self.undated_pages(),
                          self.next_day(date, -1), self.next_day(date, 1))

    # -- neighbours ----------------------------------------------------------------------
    def page_of(self, paragraph_id: str) -> PageEntry:
        rows = self._page_rows(self.index.row_of(paragraph_id))
        return self._page_entry([self.index.paragraph(r) for r in rows])

    def neighbour(self, paragraph_id: str, unit: str, step: int) -> Paragraph | None:
        """The first paragraph of the previous/next article on the page, page of the same day
        and paper, or day of the same paper; None at either end."""
        if unit not in UNITS:
            raise ValueError(f"unit {unit!r}: one of {', '.join(UNITS)}")
        page = self.page_of(paragraph_id)
        target = self.index.paragraph(self.index.row_of(paragraph_id))
        found: str | None = None
        if unit == "article":
            ids = [a.paragraph_id for a in page.articles]
            here = next(i for i, a in enumerate(page.articles) if _holds(a, page, target))
            if 0 <= here + step < len(ids):
                found = ids[here + step]
        elif page.date is None:
            return None  # a page on no day has no neighbouring pages or days
        elif unit == "page":
            pages = self.pages_on(page.date, page.source)
            here = next(i for i, p in enumerate(pages) if (p.path, p.record) == (page.path, page.record))
            if 0 <= here + step < len(pages):
                found = pages[here + step].paragraph_id
        else:
            day = self.next_day(page.date, step, page.source)
            if day is not None:
                found = self.pages_on(day, page.source)[0].paragraph_id
        return None if found is None else self.index.paragraph(self.index.row_of(found))


def _holds(article: ArticleEntry, page: PageEntry, paragraph: Paragraph) -> bool:
    """Whether `paragraph` belongs to `article` (articles are consecutive runs of the page)."""
    index = page.articles.index(article)
    nxt = page.articles[index + 1] if index + 1 < len(page.articles) else None
    return article.line <= paragraph.line_start and (nxt is None or paragraph.line_start < nxt.line)
