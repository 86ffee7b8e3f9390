"""Turning answers into Rich text: shared by the command line and the chat app.

Corpus text is always wrapped in `rich.text.Text` objects (never parsed as markup) and
stripped of control characters, so a page can neither inject Rich markup nor drive
the terminal with escape sequences.
"""

from __future__ import annotations

import datetime as _dt
import re

from rich.text import Text

from retrieval.models import Answer, Paragraph, Period

# C0 controls except tab and newline, DEL, and C1 controls (ESC starts every escape sequence).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

TERM_STYLE = "bold yellow"
ANSWER_STYLE = "bold black on yellow"
# A point from these sources is the page's date or an inference (from the text or the folder's
# other pages), not the article's own: shown with ≈.
APPROXIMATE_DATE_SOURCES = ("page", "inferred", "folder")


def safe(text: str) -> str:
    """Corpus text with every control character replaced by a visible placeholder.

    One character for one, so highlight offsets stay valid.
    """
    return _CONTROL.sub("\ufffd", text)


def highlighted(text: str, highlights=(), answer_spans=(), base_style: str = "") -> Text:
    """`text` as Rich Text with question terms and answer spans styled (offsets into `text`)."""
    out = Text(safe(text), style=base_style)
    for start, end in highlights:
        out.stylize(TERM_STYLE, start, end)
    for start, end in answer_spans:
        out.stylize(ANSWER_STYLE, start, end)
    return out


def date_label(date: str | None, year: int | None, date_source: str,
               date_min: str | None = None, date_max: str | None = None) -> str:
    """How a paragraph's date is shown: a point as a date, a range as a range, else unknown.

    '2021-01-07', '2021' (a year), '≈2021-01-07' (a point taken from the page or inferred,
    not printed with the article), '2018-12 … 2019-03', '2019 or later', 'by 2019',
    'date unknown'. A year is never shown with a '?': what is not known is shown as a range.
    """
    if date or year:
        point = date or str(year)
        return f"≈{point}" if date_source in APPROXIMATE_DATE_SOURCES else point
    return range_label(date_min, date_max)


def paragraph_date(paragraph: Paragraph) -> str:
    return date_label(paragraph.date, paragraph.year, paragraph.date_source, paragraph.date_min, paragraph.date_max)


def date_how(paragraph: Paragraph) -> str:
    """How the date was found, short: 'dateline', or 'page: dateline 2月3日; 猪年 → 2019'."""
    evidence = " ".join(paragraph.date_evidence.split())
    if len(evidence) > _EVIDENCE_CHARS:
        evidence = evidence[:_EVIDENCE_CHARS - 1] + "…"
    if not evidence or evidence.startswith(paragraph.date_source):  # 'dateline 1月6日; …' names it already
        return safe(evidence or paragraph.date_source)
    return safe(f"{paragraph.date_source}: {evidence}")


_EVIDENCE_CHARS = 60


def exact_date(paragraph: Paragraph) -> bool:
    """A point printed with the article or given by the user (shown without any caveat)."""
    return bool(paragraph.date or paragraph.year) and paragraph.date_source not in APPROXIMATE_DATE_SOURCES


def range_label(start: str | None, end: str | None) -> str:
    """An inclusive span of days (YYYY-MM-DD, None = open) as compactly as it stays true.

    Whole years as years ('2019', '2018 … 2019'), whole or long spans as months
    ('2019-02', '2018-12 … 2019-03': a month shown is a month the span reaches), short
    ones as days; one open end: '2019 or later', 'by 2019-03'.
    """
    if start is None and end is None:
        return "date unknown"
    if end is None:
        return f"{_bound(start, True)} or later"
    if start is None:
        return f"by {_bound(end, False)}"
    if start == end:
        return start
    lo, hi = _dt.date.fromisoformat(start), _dt.date.fromisoformat(end)
    if (lo.month, lo.day, hi.month, hi.day) == (1, 1, 12, 31):
        a, b = start[:4], end[:4]
    elif (lo.day == 1 and _month_end(hi)) or (hi - lo).days > _DAYS_SHOWN_AS_DAYS:
        a, b = start[:7], end[:7]
    else:
        a, b = start, end
    return a if a == b else f"{a} … {b}"


_DAYS_SHOWN_AS_DAYS = 62  # a span longer than two months is shown by its months


# How the search used a question's period (Period.applied), said to the user.
PERIOD_USES = {
    "filter": "only passages of this period",
    "boost": "passages of this period first, then others",
    "none": "no passage of this period answers; other dates shown",
    "ignored": "not applied: a since/until filter is set",
}


def period_line(period: Period) -> str:
    """'2021-01 (2021年1月) · only passages of this period' — the period a question named."""
    use = PERIOD_USES.get(period.applied, "")
    return f"{range_label(period.start, period.end)} ({safe(period.text)})" + (f" · {use}" if use else "")


def _bound(value: str, lower: bool) -> str:
    """One end of an open span, at the unit it is aligned to: 2019, 2019-03 or 2019-03-15."""
    day = _dt.date.fromisoformat(value)
    if (day.month, day.day) == ((1, 1) if lower else (12, 31)):
        return value[:4]
    if day.day == 1 if lower else _month_end(day):
        return value[:7]
    return value


def _month_end(day: _dt.date) -> bool:
    return (day + _dt.timedelta(days=1)).day == 1


_MD_SPECIAL = "\\`*_[]<>#|"


def md_escape(text: str) -> str:
    """Corpus text shown literally by Markdown renderers."""
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in safe(text))


def md_code(text: str) -> str:
    """Corpus text (a file name) as a Markdown code span: control characters made visible,
    and a fence longer than any run of backticks inside it."""
    text = safe(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def citation(paragraph: Paragraph, lines: tuple[int, int] | None = None, headline: bool = False) -> str:
    """'000_page.txt · Article title · lines 3–5' — where a quote comes from; a quote that is
    the article's headline: '… · headline, line 2' (`lines`: the quote's, default the paragraph's)."""
    start, end = lines or (paragraph.line_start, paragraph.line_end)
    where = f"line {start}" if start == end else f"lines {start}–{end}"
    parts = [paragraph.path, paragraph.title.strip(), f"headline, {where}" if headline else where]
    return " · ".join(part for part in parts if part)


def answer_citation(answer: Answer) -> str:
    """Where an answer's quote comes from: its paragraph's lines, or its headline's line."""
    return citation(answer.paragraph, answer.lines, answer.quote_in == "title")
