"""Which of the leading articles answers a count question.

A paper reports one subject in several articles: a picture story on the village's poetry
contest and, pages later, the feature that says how many poets it has; a profile that says
how many trees the city planted and a column that only asks "一年种了多少棵树". BM25 and the
re-rank score them alike — they share the subject's words — but only one states a count
in the unit the question asks in ("多少位农民诗人": "约80位"). So when the leading
article (the paragraphs focus.py weighs) states no such count and one of the next
candidates' articles does, that candidate leads; focus.py then finds its paragraph.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .answers import Query
from .focus import asked_unit, holds_count, unit_pattern
from .models import Paragraph
from .normalize import fold

ARTICLES_TRIED = 4  # candidates whose articles are read, the leading one included


def article_with_unit(candidates: Sequence[Paragraph], query: Query,
                      article_of: Callable[[Paragraph], list[Paragraph]]) -> int:
    """The index of the first of `candidates` (in answer order, at most ARTICLES_TRIED)
    whose article states a count in the unit a number question asks in; 0 when the first
    one's does, when none does, or when the question names no unit."""
    if query.asks_for != "number" or (unit := asked_unit(query.text)) is None:
        return 0
    pattern = unit_pattern(unit)
    seen: set[tuple] = set()
    for i, paragraph in enumerate(candidates[:ARTICLES_TRIED]):
        key = (paragraph.path, paragraph.record, paragraph.article)
        if key in seen:
            continue
        seen.add(key)
        if holds_count(pattern, fold(paragraph.title)) or any(holds_count(pattern, fold(p.text))
                                                              for p in article_of(paragraph)):
            return i
    return 0
