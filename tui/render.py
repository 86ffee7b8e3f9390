"""Turning answers into Rich text: shared by the command line and the chat app.

Corpus text is always wrapped in `rich.text.Text` objects (never parsed as markup) and
stripped of control characters, so a page can neither inject Rich markup nor drive
the terminal with escape sequences.
"""

from __future__ import annotations

import re

from rich.text import Text

from retrieval.models import Paragraph

# C0 controls except tab and newline, DEL, and C1 controls (ESC starts every escape sequence).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

TERM_STYLE = "bold yellow"
ANSWER_STYLE = "bold black on yellow"
INFERRED_DATE_SOURCES = ("page", "inferred", "none")


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


def date_label(date: str | None, year: int | None, date_source: str) -> str:
    """'2021-01-07', '≈2021-01-07' for a date taken from the page, '2021?' for a year guess."""
    if date:
        return date if date_source not in INFERRED_DATE_SOURCES else f"≈{date}"
    if year:
        return f"{year}?"
    return "date unknown"


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


def citation(paragraph: Paragraph) -> str:
    """'000_page.txt · Article title · lines 3–5' — where a quote comes from."""
    if paragraph.line_start == paragraph.line_end:
        lines = f"line {paragraph.line_start}"
    else:
        lines = f"lines {paragraph.line_start}–{paragraph.line_end}"
    parts = [paragraph.path, paragraph.title.strip(), lines]
    return " · ".join(part for part in parts if part)
