"""SourceDoc -> list[Paragraph]: layout, dates and stable ids in one pass.

Every body block of every article becomes one Paragraph that knows its file and
lines, its article's title and number, and its date with where that came from.
Title-only articles (a page of nothing but headlines, a "见第3版" teaser) have no
body and so give no paragraphs.
"""

from __future__ import annotations

import hashlib

from .date_hints import DateHint
from .dates import dates_of_articles
from .layout import split_articles
from .models import Paragraph, SourceDoc


def paragraph_id(path: str, record: int | None, line_start: int) -> str:
    """10 hex characters, stable across runs and machines: blake2b of path, record and first line."""
    key = f"{path}\x00{'' if record is None else record}\x00{line_start}"
    return hashlib.blake2b(key.encode("utf-8"), digest_size=5).hexdigest()


def paragraphs_from_doc(doc: SourceDoc, hint: DateHint | None = None) -> list[Paragraph]:
    """The whole pipeline for one page or record, paragraphs in reading order.

    `hint`: what the user said about the dates (config `dates:` or a folder's wenbao-dates.yaml)."""
    articles = [a for a in split_articles(doc) if a.blocks]
    dates = dates_of_articles(doc, articles, hint)
    meta = doc.meta or {}
    source, page = str(meta.get("source") or ""), str(meta.get("page") or "")
    given_title = str(meta.get("title") or "").strip()
    paragraphs = []
    for number, (article, dated) in enumerate(zip(articles, dates)):
        title = _title(article.title, given_title, doc.record is not None)
        title_line = article.title_line if title and title == article.title else None
        for block in article.blocks:
            paragraphs.append(Paragraph(
                id=paragraph_id(doc.path, doc.record, block.line_start),
                path=doc.path,
                line_start=block.line_start,
                line_end=block.line_end,
                title=f"{title} {block.section}".strip() if block.section else title,
                date=dated.date,
                date_source=dated.source,
                year=dated.year,
                date_min=dated.date_min,
                date_max=dated.date_max,
                date_evidence=dated.evidence,
                text=block.text,
                source=source,
                page=page,
                article=number,
                record=doc.record,
                title_line=title_line,
            ))
    return paragraphs


def _title(printed: str, given: str, is_record: bool) -> str:
    """A record's own title field wins; a page's front-matter title stands in for a missing headline."""
    if is_record and given:
        return given
    return printed or given
