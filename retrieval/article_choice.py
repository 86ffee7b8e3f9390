"""Which of the leading candidates answers: the one that says what is asked about.

A paper reports one subject in several articles: a picture story on the village's poetry
contest and, pages later, the feature that says how many poets it has; a profile that says
how many trees the city planted and a column that only asks "一年种了多少棵树". BM25 and the
re-rank score them alike — they share the subject's words — but only one states a count
in the unit the question asks in ("多少位农民诗人": "约80位"). So when the leading
article (the paragraphs focus.py weighs) states no such count and one of the next
candidates' articles does, that candidate leads; focus.py then finds its paragraph.
And a candidate that covers much more of the question than the lead (its qualifiers: "改革
开放40年…增加到") and holds a span of the asked kind leads over one that only shares the
subject's words (`covering_more`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .answers import Query
from .focus import asked_unit, holds_count, unit_pattern
from .models import Paragraph
from .normalize import fold

ARTICLES_TRIED = 4  # candidates whose articles are read, the leading one included


def article_with_unit(candidates: Sequence[Paragraph], coverages: Sequence[float], query: Query,
                      article_of: Callable[[Paragraph], list[Paragraph]]) -> int:
    """The index of the first of `candidates` (in answer order, at most ARTICLES_TRIED)
    whose article states a count in the unit a number question asks in and which covers
    the question (`coverages`: headline + paragraph) at least as well as the first — the
    same subject, not another town's count; 0 when the first one's article states one,
    when none does, or when the question names no unit."""
    if query.asks_for != "number" or (unit := asked_unit(query.text)) is None:
        return 0
    pattern = unit_pattern(unit)
    seen: set[tuple] = set()
    for i, paragraph in enumerate(candidates[:ARTICLES_TRIED]):
        key = (paragraph.path, paragraph.record, paragraph.article)
        if key in seen or coverages[i] < coverages[0]:
            continue
        seen.add(key)
        if holds_count(pattern, fold(paragraph.title)) or any(holds_count(pattern, fold(p.text))
                                                              for p in article_of(paragraph)):
            return i
    return 0



# Of the question's words (idf-weighted, headline + paragraph), the share by which a later
# candidate must cover more than the lead to lead instead (measured on rmrb2019 dev: 0.2
# and 0.3 win one question, 0.4 none; CMRC loses none at 0.3).
COVERAGE_GAP = 0.3


def covering_more(coverages: Sequence[float], typed: Sequence[float]) -> int:
    """The index of the first candidate (after the lead, among the first 2 × ARTICLES_TRIED)
    whose headline and paragraph cover COVERAGE_GAP more of the question than the lead's
    and whose quote holds a span of the asked-for kind; 0: none, the lead stays.

    The lead then reports the same kind of figure for something else — "前三季度全国居民
    人均可支配收入实际增长6.1%" for "改革开放40年…收入增加到了多少": the question's
    qualifiers (改革开放, 40年, 增加) are what tells the two apart, and BM25 gives them
    little against the subject's many repeated words."""
    for i in range(1, min(len(coverages), 2 * ARTICLES_TRIED)):
        if coverages[i] >= coverages[0] + COVERAGE_GAP and typed[i]:
            return i
    return 0
