"""Answer-type-aware re-rank of the top BM25 candidates.

BM25 finds the right article; which of its paragraphs answers depends on what is asked.
Each candidate gets its best quote (answers.best_window), then a score from a few
RERANK_FEATURES weighted by RERANK_WEIGHTS (retrieval/weights.py, fitted on CMRC 2018 by
bench/fit_answers.py): its BM25 score against the first one's, its quote's score, whether
the quote holds the asked-for span, how much of the question the paragraph and its
headline cover, and — newspaper facts CMRC cannot teach, so set by hand — a dateline for
a when-question and a photo caption. Then one rule: a caption is never ahead of body
text from the candidates that covers the question as well and holds what the caption holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .answers import Query, best_window, dateline_end, question_form
from .layout import looks_like_caption
from .models import Paragraph
from .normalize import fold
from .weights import RERANK_WEIGHTS

RERANK_FEATURES = (
    "bm25",       # BM25 score / the first candidate's
    "first",      # BM25 ranked it first
    "window",     # its best quote's score (answers.WINDOW_FEATURES · WINDOW_WEIGHTS)
    "typed",      # that quote holds a span of the asked-for kind
    "coverage",   # share of the question's words in headline + paragraph (idf-weighted)
    "dateline",   # time questions: the paragraph opens with a dateline (hand-set)
    "caption",    # the paragraph is a photo caption (hand-set)
    "names_title",  # the question names the paragraph's title in full (前肛鳗, not 异齿前肛鳗)
)
RERANK_DEPTH = 8  # candidates considered, at least (more when more are shown)
RERANK_FLOOR = 0.5  # of the first hit's BM25 score: below it, a hit is not worth a quote unless shown


@dataclass
class Candidate:
    """One BM25 hit with its chosen quote."""

    row: int
    paragraph: Paragraph
    folded: str
    bm25: float
    window: tuple[int, int]
    window_score: float
    window_row: list[float]
    coverage: float
    caption: bool = False
    score: float = 0.0

    @classmethod
    def of(cls, row: int, paragraph: Paragraph, folded: str, bm25: float, query: Query, max_chars: int,
           coverage: float) -> Candidate:
        lo, hi, score, features = best_window(paragraph.text, query, max_chars, paragraph.title, folded)
        return cls(row, paragraph, folded, bm25, (lo, hi), score, features, coverage, looks_like_caption(folded))


def features(candidate: Candidate, query: Query, top_bm25: float, first: bool) -> list[float]:
    typed = candidate.window_row[2]  # WINDOW_FEATURES "typed"
    dateline = float(query.asks_for == "time" and dateline_end(candidate.folded) > 0)
    return [candidate.bm25 / top_bm25 if top_bm25 > 0 else 0.0, float(first), candidate.window_score, typed,
            candidate.coverage, dateline, float(candidate.caption), float(names_title(query, candidate.paragraph.title))]


# A title's qualifier: "雅芳河 (布里斯托)", "大曲车站（秋田县）" — what tells namesakes apart, rarely asked with.
_QUALIFIER = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def names_title(query: Query, title: str) -> bool:
    """Whether the question names `title` (without its qualifier) in full: a question about
    前肛鳗 names that article, not 异齿前肛鳗 whose title merely holds the words. One
    character counts only as one of the question's words (䲟, not the 人 of 多少人)."""
    name = fold(_QUALIFIER.sub("", title)).strip()
    if not name:
        return False
    return name in query.heads if len(name) == 1 else name in question_form(query.text)


def rerank(candidates: list[Candidate], query: Query) -> list[Candidate]:
    """The candidates (BM25 order in) in answer order."""
    if len(candidates) < 2:
        return candidates
    top_bm25 = candidates[0].bm25
    for i, candidate in enumerate(candidates):
        candidate.score = sum(w * x for w, x in zip(RERANK_WEIGHTS, features(candidate, query, top_bm25, i == 0)))
    ordered = sorted(candidates, key=lambda c: -c.score)  # stable: ties keep BM25 order
    return _captions_after_body(ordered)


def _captions_after_body(ordered: list[Candidate]) -> list[Candidate]:
    """A caption moves behind the first body paragraph that says the same with more."""
    out = list(ordered)
    i = 0
    while i < len(out):
        caption = out[i]
        if caption.caption:
            body = next((j for j in range(i + 1, len(out)) if _says_more(out[j], caption)), None)
            if body is not None:
                out.insert(body, out.pop(i))
                continue
        i += 1
    return out


def _says_more(body: Candidate, caption: Candidate) -> bool:
    return (not body.caption and body.coverage >= caption.coverage
            and body.window_row[2] >= caption.window_row[2] and len(body.paragraph.text) > len(caption.paragraph.text))
