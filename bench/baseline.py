"""The plain baseline every wenbao number is compared with.

jieba `lcut` + rank-bm25 `BM25Okapi` over whole paragraphs, no normalisation, no
stop words; the lead quote is the sentence sharing the most distinct tokens with the
question (the first one on a tie). It is what a first afternoon's prototype does, so
each of wenbao's improvements shows up as a difference from it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import jieba
from rank_bm25 import BM25Okapi

from . import split_sentences

_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class BaselineHit:
    record: int  # index of the paragraph in the list given to BaselineBM25
    score: float
    quote: str


def tokens(text: str) -> list[str]:
    """jieba's words, without the tokens that are only spaces or punctuation."""
    return [t for t in jieba.lcut(text) if _WORD.search(t)]


def best_sentence(question_tokens: set[str], text: str) -> str:
    """The sentence with the largest token overlap with the question."""
    best, best_overlap = "", -1
    for sentence in split_sentences(text) or [text]:
        overlap = len(question_tokens & set(tokens(sentence)))
        if overlap > best_overlap:
            best, best_overlap = sentence, overlap
    return best


class BaselineBM25:
    """BM25Okapi over whole paragraphs; `ask` mirrors Archive.ask's ranked quotes."""

    def __init__(self, paragraphs: Sequence[str]) -> None:
        self.paragraphs = list(paragraphs)
        self.bm25 = BM25Okapi([tokens(text) or [""] for text in self.paragraphs])

    def ask(self, question: str, top: int = 10) -> list[BaselineHit]:
        query = tokens(question)
        if not query:
            return []
        scores = self.bm25.get_scores(query)
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:top]
        wanted = set(query)
        return [BaselineHit(i, float(scores[i]), best_sentence(wanted, self.paragraphs[i])) for i in order]
