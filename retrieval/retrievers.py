"""Where Archive gets its paragraphs from: the small interface every engine serves.

A Retriever answers "the k best paragraphs for these terms, dated in this range" and
looks paragraphs up by id or by place. Two kinds serve it:

- ScoringRetriever: the local index (store.py) with an engine that scores every
  paragraph (engines.py: rank-bm25, bm25s); the top k are picked here.
- XapianRetriever (xapian_backend.py): one Xapian database or several shards, local
  or remote, that return their top k themselves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

import numpy as np

from .engines import choose_engine, open_engine
from .models import Paragraph
from .periods import overlap_masks
from .store import OPEN_END


class Retriever(Protocol):
    name: str
    warnings: list[str]  # what the last call had to leave out (a shard that did not answer)

    def stats(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """(paragraphs, {term: paragraphs that hold it})."""

    def tiers(self, terms: Sequence[str], k: int, since: int | None, until: int | None,
              period: tuple[int, int] | None) -> list[Iterable[tuple[Paragraph, float]]]:
        """The k best of each date tier, the preferred tier first (see ScoringRetriever.tiers)."""

    def paragraph(self, paragraph_id: str) -> Paragraph:
        """Raises KeyError when there is none."""

    def page(self, paragraph_id: str) -> list[Paragraph]:
        """Every paragraph of the page (file or record) this paragraph belongs to, in order."""

    def find(self, path: str, line: int) -> Paragraph | None: ...

    def lexicon(self) -> Mapping[str, int] | None:
        """The words a question is cut into (None: jieba's own dictionary)."""

    def forget(self) -> None:
        """Let go of what was kept for a second pass over the same question."""

    def __len__(self) -> int: ...


class ScoringRetriever:
    """The local index and an engine that scores every paragraph."""

    warnings: list[str] = []
    ranks_by_period = True  # it holds every paragraph's date range: a question's period can rank

    def __init__(self, index, setting: str, auto_threshold: int) -> None:
        self.index = index
        self.name = choose_engine(setting, len(index), auto_threshold)
        self._engine = None
        self._last: tuple[Counter, np.ndarray] | None = None  # the last terms scored, and their scores

    @property
    def engine(self):
        if self._engine is None:
            self._engine = open_engine(self.name, self.index)
        return self._engine

    def stats(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        term_ids, doc_freq = self.index.term_ids, self.index.doc_freq
        return len(self.index), {t: int(doc_freq[term_ids[t]]) if t in term_ids else 0 for t in terms}

    def tiers(self, terms: Sequence[str], k: int, since: int | None, until: int | None,
              period: tuple[int, int] | None) -> list[Iterable[tuple[Paragraph, float]]]:
        """The scoring rows split by date, in order of preference, k best of each.

        --since/--until: passages dated inside the range (their point, else their whole date
        range), then those whose range only partly overlaps it (an open or wide range, a point
        outside it whose range reaches in), nothing else. A question's period: the same two
        (but a range open at one end is no evidence: it goes with the rest), then every other
        passage, so a period nothing in the archive matches still answers.
        """
        term_ids = self.index.term_ids
        scores = self._scores([term_ids[t] for t in terms if t in term_ids])
        if since is None and until is None and period is None:
            groups = [_best_rows(scores, k)]
        else:
            rows = np.flatnonzero(scores > 0)
            start, end = (since or 0, until or OPEN_END) if since is not None or until is not None else period
            dates, date_lo, date_hi = self.index.dated()
            lo, hi = date_lo[rows], date_hi[rows]
            inside, partly = overlap_masks(dates[rows], lo, hi, start, end)
            if since is None and until is None:
                # A question's period: a range open at one end ("2014 or later": a text that
                # names a year) overlaps every period on that side, so it says no more than no
                # date at all — it ranks with the undated. (--since/--until keep it: it may be.)
                partly &= (lo > 0) & (hi < OPEN_END)
                groups = [rows[inside], rows[partly], rows[~(inside | partly)]]
            else:
                groups = [rows[inside], rows[partly]]
        # lazily: the caller often stops after the first few
        return [((self.index.paragraph(r), float(scores[r])) for r in _top_rows(scores, k, g)) for g in groups]

    def _scores(self, ids: list[int]) -> np.ndarray:
        """BM25 of every paragraph for these term ids.

        BM25 adds up term by term, so when the terms are the last call's plus some (a
        question asked again with its period's words put back as search words), only the
        added terms are scored and added: the second pass costs their postings, not a
        whole new scoring of the archive.
        """
        wanted, last = Counter(ids), self._last
        if last is not None and last[0] == wanted:
            return last[1]
        if last is not None and not last[0] - wanted:  # the last terms are all among these
            scores = last[1] + self.engine.scores(list((wanted - last[0]).elements()))
        else:
            scores = self.engine.scores(ids)
        self._last = (wanted, scores)  # one tuple: a reader in another thread sees a matching pair
        return scores

    def forget(self) -> None:
        """Drop the last scores (a question is answered): a score array kept from one question
        to the next costs the next one ~0.4 ms at 1M paragraphs (fresh pages for its own)."""
        self._last = None

    def paragraph(self, paragraph_id: str) -> Paragraph:
        return self.index.paragraph(self.index.row_of(paragraph_id))

    def page(self, paragraph_id: str) -> list[Paragraph]:
        row = self.index.row_of(paragraph_id)
        entry = self.index.file_of(row)
        target = self.index.paragraph(row)
        before, after = [], []
        for step, out in ((-1, before), (1, after)):  # a record's rows are contiguous
            r = row + step
            while entry.start <= r < entry.start + entry.count:
                p = self.index.paragraph(r)
                if p.record != target.record:
                    break
                out.append(p)
                r += step
        return before[::-1] + [target] + after

    def find(self, path: str, line: int) -> Paragraph | None:
        for entry in self.index.files:
            if entry.path == path:
                for row in range(entry.start, entry.start + entry.count):
                    p = self.index.paragraph(row)
                    if p.line_start <= line <= p.line_end:
                        return p
        return None

    def lexicon(self) -> Mapping[str, int]:
        return self.index.lexicon()

    def __len__(self) -> int:
        return len(self.index)


def _top_rows(scores: np.ndarray, k: int, candidates: np.ndarray | None = None) -> list[int]:
    """Rows of the k best positive scores (among `candidates`, rows that score), best first
    (ties: earlier paragraph first).

    Most paragraphs score 0 for a question; argpartition over an array that is mostly
    ties is slow (5 ms at 100k rows), so it runs on the scoring rows only (0.5 ms).
    """
    if candidates is None:
        candidates = np.flatnonzero(scores > 0)
    if len(candidates) > k:
        values = scores[candidates]
        kth = values[np.argpartition(values, len(candidates) - k)[len(candidates) - k:]].min()
        above = candidates[values > kth]
        tied = candidates[values == kth]  # candidates are in row order: the earliest of a tie wins
        candidates = np.concatenate([above, tied[:k - len(above)]])
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order].tolist()


def _best_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """The rows, in order, of every score at or above a threshold that at least k positive scores
    reach (or every positive score): a superset of the k best that skips listing the many weak
    matches of a common word (listing every scoring row of 1M took ~1 ms a question; this ~0.2).
    Every row left out scores below every row kept, so the k best are the same."""
    top = float(scores.max()) if len(scores) else 0.0
    threshold = top / 4
    while threshold > top * 1e-4:
        rows = np.flatnonzero(scores >= threshold)
        if len(rows) >= k:
            return rows
        threshold /= 8
    return np.flatnonzero(scores > 0)
