"""When the article's headline is the quote.

A newspaper headline often states the very fact a question asks for — the person of a
profile ("全国政协委员、某研究院首席研究员赵某 让群众…"), the sum of a report ("…发放补助
1.53亿元") — while the body, which the reader reads after it, tells the story around it
and never repeats it. When the question asks for a value (a number, a time, a person),
the quote the body gives holds no such span and the headline does, the headline is the
quote, cited to its own line (Paragraph.title_line). A number question that names its unit
("多少位") asks for a count in that unit: "2018年" in the body is no answer to it, and
"约80位" in the headline is.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .answers import VALUE_KINDS, Query, compose_answer, coverage_ratio, term_spans, typed_spans
from .focus import asked_unit, holds_count, unit_pattern
from .models import Answer
from .normalize import fold

# A headline names many things; it answers only when it is about the question's subject:
# at least this share of the question's words (idf-weighted), and no less than the quote.
HEADLINE_COVERAGE = 0.5
# A question for a day ("哪天开幕") is not answered by a year ("距2019年…开幕还有10天").
_ASKS_DAY = re.compile(r"哪天|哪一天|几号|几日|几月几|日期")
_DAY = re.compile(r"\d+[日号]|[月][一二三四五六七八九十]+日")


def _holds_value(folded: str, query: Query) -> bool:
    """`folded` holds a span of the asked-for kind outside the question's own words; for a
    number question naming its unit, a count in that unit."""
    if query.asks_for == "number" and (unit := asked_unit(query.text)) is not None:
        return holds_count(unit_pattern(unit), folded)
    spans = typed_spans(query.asks_for, folded, 0, len(folded), term_spans(folded, query.terms))
    if query.asks_for == "time" and _ASKS_DAY.search(fold(query.text)):
        return any(_DAY.search(folded, s, e) for s, e in spans)
    return bool(spans)


def headline_answer(answer: Answer, query: Query, max_chars: int) -> Answer | None:
    """The answer with the headline as its quote, when the headline holds the asked-for value
    and the body's quote does not, and it names the question's subject as well as that quote
    does; else None (keep the body's quote)."""
    p = answer.paragraph
    if query.asks_for not in VALUE_KINDS or p.title_line is None or not p.title.strip():
        return None
    if len(p.title) > max_chars or _holds_value(fold(answer.quote), query):
        return None
    title = fold(p.title)
    # the value must be the question's: the headline names its subject as well as the quote does
    covered = coverage_ratio(title, query)
    if covered < HEADLINE_COVERAGE or covered < coverage_ratio(fold(answer.quote), query) or not _holds_value(title, query):
        return None
    head = compose_answer(answer.rank, replace(p, text=p.title), answer.score, query, max_chars,
                          window=(0, len(p.title)))
    if head.answer is None:
        return None
    return replace(head, paragraph=p, passage_highlights=answer.passage_highlights, quote_in="title")
