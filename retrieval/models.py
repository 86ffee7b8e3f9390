"""The plain typed objects every front end renders.

Nothing here knows about terminals: `tui/` turns these into text, JSON or widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# progress(stage, done, total): front ends draw it; total 0 means "unknown".
Progress = Callable[[str, int, int], None]
# warn(message): a file or line that was skipped, said to the user.
Warn = Callable[[str], None]

# Where a paragraph's date came from, most trustworthy first.
DATE_SOURCES = (
    "front_matter",  # YAML front matter of a .md/.txt file
    "record",  # a date field of a .jsonl/.json/.csv record
    "path",  # a date in the file name or folder path
    "user",  # a date the user gave for a folder (a wenbao-dates.yaml `date:`) or the corpus (config `dates:`)
    "dateline",  # the article's own dateline ("本报讯 1月7日"), year inferred from the page
    "page",  # the page's date, for an article that has no dateline
    "inferred",  # only a year inferred from what the text says (date is None, year is set)
    "folder",  # the year the self-dated files of its folder agree on (date_folders; its range allows it)
    "none",  # nothing to go on
)


@dataclass(frozen=True)
class SourceDoc:
    """One unit of input text: a whole page (.txt/.md) or one record (.jsonl/.json/.csv)."""

    path: str  # display path: relative to the corpus root, '/' separated
    text: str  # decoded body text (front matter removed)
    first_line: int = 1  # line in the file where `text` starts (1-based)
    meta: dict[str, str] = field(default_factory=dict)  # title, date, source, page
    record: int | None = None  # 0-based record number for record formats


@dataclass(frozen=True)
class Paragraph:
    """A clean, citable paragraph that knows its article, its date and its place."""

    id: str
    path: str
    line_start: int
    line_end: int
    title: str  # the article title ("" when the page gives none)
    date: str | None  # YYYY-MM-DD, or None when no full date is known
    date_source: str  # one of DATE_SOURCES
    text: str  # original text as printed, column breaks joined
    source: str = ""  # newspaper name, when the input names it
    page: str = ""  # page (版) when the input names it
    article: int = 0  # article number within its SourceDoc
    record: int | None = None
    year: int | None = None  # set with `date`, or alone when only the year is inferred
    # The range the paragraph's print date certainly lies in (YYYY-MM-DD, inclusive), always
    # given when anything is known; `date`/`year` above are a point shown only when earned.
    # None at an end means unbounded that way ("2019 or later": date_min only).
    date_min: str | None = None
    date_max: str | None = None
    # Short human-readable evidence: "dateline 2月3日; 猪年 → 2019".
    date_evidence: str = ""
    # The line its article's headline starts on (a headline may be the quote, cited there);
    # None when the title was not printed on the page (none, a record's or front matter's).
    title_line: int | None = None

    @property
    def location(self) -> str:
        if self.line_start == self.line_end:
            return f"{self.path}:{self.line_start}"
        return f"{self.path}:{self.line_start}-{self.line_end}"


@dataclass(frozen=True)
class Answer:
    """One ranked passage with the quote that answers the question."""

    rank: int
    quote: str  # one or two sentences of the paragraph, verbatim
    quote_start: int  # offset of `quote` inside `paragraph.text`
    score: float
    paragraph: Paragraph
    highlights: tuple[tuple[int, int], ...] = ()  # question terms, offsets in `quote`
    answer_spans: tuple[tuple[int, int], ...] = ()  # the number/date/name asked for, in `quote`
    passage_highlights: tuple[tuple[int, int], ...] = ()  # question terms in the whole paragraph
    # The short answer itself (the text of the asked-for span: "1.14亿元", "1月6日晚"),
    # None when no span was found — never a guess.
    answer: str | None = None
    # Where the quote is: "passage" (paragraph.text) or "title" (the article's headline,
    # which holds the asked-for span; cited to paragraph.title_line). quote_start is into it.
    quote_in: str = "passage"

    @property
    def passage(self) -> str:
        return self.paragraph.text

    @property
    def quoted_text(self) -> str:
        """The text the quote is cut from: the passage, or the headline."""
        return self.paragraph.title if self.quote_in == "title" else self.paragraph.text

    @property
    def lines(self) -> tuple[int, int]:
        """The lines the quote is cited to: the headline's, or the paragraph's."""
        p = self.paragraph
        if self.quote_in == "title" and p.title_line is not None:
            return p.title_line, p.title_line
        return p.line_start, p.line_end

    @property
    def location(self) -> str:
        """'file:line' or 'file:first-last' of the quote."""
        start, end = self.lines
        return f"{self.paragraph.path}:{start}" if start == end else f"{self.paragraph.path}:{start}-{end}"


@dataclass(frozen=True)
class Period:
    """A span of days a question names, resolved to dates (inclusive ends, YYYY-MM-DD)."""

    start: str
    end: str
    text: str  # the words of the question it was read from ("2021年1月", "去年")
    # How the search used it: "filter" (every answer lies in the period), "boost" (the period's
    # passages first, then others), "none" (no passage of the period answers), "ignored"
    # (--since/--until were given and win); "" before a search.
    applied: str = ""


@dataclass(frozen=True)
class AnswerSet:
    """Everything `ask` returns for one question."""

    question: str
    answers: tuple[Answer, ...]
    terms: tuple[str, ...]  # the question's matching terms, as normalised
    asks_for: str | None = None  # number, time, person, place, reason, alias, origin, describe, or None
    since: str | None = None
    until: str | None = None
    top: int = 3
    hint: str | None = None  # why nothing was found, and what to try
    # The period the question itself names ("2021年1月", "去年", "国庆期间"), as understood.
    period: Period | None = None
    elapsed_ms: float = 0.0
    # What the answer had to do without: "shard tcp://host2:33333 (cannot connect): left out".
    warnings: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


@dataclass(frozen=True)
class DateCoverage:
    """How an index's paragraphs are dated: a point from their text, their folder's year
    (date_folders), a range only, or nothing — and the year most of the text's points share
    (a hint that the whole corpus may be from it)."""

    points: int
    ranges: int
    unknown: int
    common_year: int | None = None
    common_year_points: int = 0
    folder_points: int = 0


@dataclass(frozen=True)
class IndexSummary:
    """What an index build or update did."""

    files: int
    paragraphs: int
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: tuple[SkippedFile, ...] = ()
    seconds: float = 0.0
    rebuilt_reason: str | None = None  # why the whole index was rebuilt
    engine: str = ""
