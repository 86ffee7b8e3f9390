"""Two BM25 engines behind one interface: scores for every paragraph, given term ids.

- `rank-bm25`: rank_bm25.BM25Okapi, the reference. Built in memory from the stored
  postings when the index is opened; a query costs O(paragraphs x terms).
- `bm25s`: the sparse engine (bm25s's design: a term x paragraph matrix, memory-mapped).
  The index stores each term's postings as paragraph rows (int32) and term counts (uint8,
  or uint16 when some count needs it) rather than bm25s's float32 weights: 5 bytes a
  posting instead of 8. A query computes its terms' BM25 weights from the counts with the
  same float32 arithmetic the weights were precomputed with, so scores are unchanged.

Both use Okapi BM25 with rank-bm25's idf (negative idf replaced by epsilon x mean
idf), so they rank a corpus the same way. Postings are built here with numpy in
chunks of paragraphs, so memory stays near the size of the postings themselves.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

EPSILON = 0.25  # rank_bm25.BM25Okapi's default
MIN_IDF = 0.01
_CHUNK_PAIRS = 2_000_000  # (term, count) pairs sorted at a time (~30 bytes each)


class Engine(Protocol):
    name: str

    def scores(self, term_ids: list[int]) -> np.ndarray: ...


def okapi_idf(doc_freq: np.ndarray, n_docs: int) -> np.ndarray:
    """rank_bm25's idf: log((N - df + .5) / (df + .5)); negatives become eps x mean idf."""
    present = doc_freq > 0
    idf = np.zeros(len(doc_freq), dtype=np.float64)
    idf[present] = np.log(n_docs - doc_freq[present] + 0.5) - np.log(doc_freq[present] + 0.5)
    if present.any():
        # rank_bm25's floor; on tiny corpora the mean itself can be negative, and a
        # term found in most paragraphs must still count for a little, never against.
        floor = max(EPSILON * idf[present].mean(), MIN_IDF)
        idf[present & (idf < 0)] = floor
    return idf


def _chunks(row_ptr: np.ndarray) -> list[tuple[int, int]]:
    """Runs of whole paragraphs of about _CHUNK_PAIRS pairs each."""
    n_docs = len(row_ptr) - 1
    out, lo = [], 0
    while lo < n_docs:
        hi = int(np.searchsorted(row_ptr, row_ptr[lo] + _CHUNK_PAIRS, side="right")) - 1
        hi = min(max(hi, lo + 1), n_docs)
        out.append((lo, hi))
        lo = hi
    return out


def build_postings(terms: np.ndarray, counts: np.ndarray, row_ptr: np.ndarray, n_terms: int):
    """Postings (ptr, docs, counts) by term, and document frequencies, from each paragraph's
    distinct terms and counts (row i: terms[row_ptr[i]:row_ptr[i+1]]).

    Two passes over chunks of paragraphs: the first counts document frequencies, the
    second writes each chunk's postings straight into their place (a counting sort),
    so memory holds the finished arrays plus one chunk, never a global sort.
    """
    chunks = _chunks(row_ptr)
    doc_freq = np.zeros(n_terms, dtype=np.int64)
    max_count = 0
    for lo, hi in chunks:
        a, b = row_ptr[lo], row_ptr[hi]
        doc_freq += np.bincount(terms[a:b], minlength=n_terms)
        max_count = max(max_count, int(counts[a:b].max(initial=0)))
    ptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(doc_freq, out=ptr[1:])
    docs_out = np.zeros(int(ptr[-1]), dtype=np.int32)
    counts_out = np.zeros(int(ptr[-1]), dtype=np.uint8 if max_count <= 255 else np.uint16)
    fill = ptr[:-1].copy()  # next free slot of each term's postings
    for lo, hi in chunks:  # chunks in doc order: each term's postings stay sorted by doc
        a, b = row_ptr[lo], row_ptr[hi]
        chunk_terms = np.asarray(terms[a:b])
        order = np.argsort(chunk_terms, kind="stable")
        chunk_terms = chunk_terms[order]
        chunk_docs = np.repeat(np.arange(lo, hi, dtype=np.int32), np.diff(row_ptr[lo:hi + 1]))[order]
        present, first, count = np.unique(chunk_terms, return_index=True, return_counts=True)
        slots = np.repeat(fill[present] - first, count) + np.arange(len(chunk_terms))
        docs_out[slots] = chunk_docs
        counts_out[slots] = np.asarray(counts[a:b])[order]
        fill[present] += count
    return ptr, docs_out, counts_out, doc_freq.astype(np.int32)


def length_norms(doc_len: np.ndarray, k1: float, b: float) -> np.ndarray:
    """k1 * (1 - b + b * |d| / avgdl) per paragraph, float32."""
    lengths = np.asarray(doc_len).astype(np.float32)
    avgdl = float(lengths.mean()) if len(lengths) and lengths.sum() else 1.0
    return k1 * (1 - b + b * lengths / avgdl)


class BM25sEngine:
    name = "bm25s"

    def __init__(self, index, k1: float, b: float) -> None:
        self.index = index
        self.num_docs = len(index)
        self.k1_plus_1 = k1 + 1
        self.norm = length_norms(index.doc_len, k1, b)
        self.idf = okapi_idf(np.asarray(index.doc_freq), self.num_docs).astype(np.float32)

    def scores(self, term_ids: list[int]) -> np.ndarray:
        """BM25 of every paragraph: idf * (tf * (k1 + 1)) / (tf + norm), in float32.

        Computed in place in two arrays per term rather than one temporary per operation
        (a common term has a posting for a third of the archive), in the same order of
        float32 operations, so the scores are the same to the bit (tests/test_engines.py).
        """
        out = np.zeros(self.num_docs, dtype=np.float32)
        for tid in term_ids:
            docs, counts = self.index.postings(tid)
            weight = counts.astype(np.float32)
            denominator = self.norm[docs]
            denominator += weight  # tf + norm
            weight *= self.k1_plus_1  # tf * (k1 + 1)
            weight *= self.idf[tid]  # idf * that
            weight /= denominator
            out[docs] += weight  # a term's postings hold each paragraph once: a fancy-index add is exact
        return out


class RankBM25Engine:
    name = "rank-bm25"

    def __init__(self, index, k1: float, b: float) -> None:
        from rank_bm25 import BM25Okapi

        self.num_docs = n = len(index)
        ptr, terms, counts = index.row_pairs(0, n) if n else (np.zeros(1, np.int64), [], [])
        # a paragraph's bag of terms, each repeated as often as it occurs (order is irrelevant to BM25)
        counts = np.asarray(counts, dtype=np.int64)
        bags = np.repeat(np.asarray(terms), counts).tolist()
        bounds = np.concatenate([[0], np.cumsum(counts)])[ptr].tolist()
        corpus = [bags[bounds[i]:bounds[i + 1]] for i in range(n)]
        self.model = BM25Okapi(corpus, k1=k1, b=b, epsilon=EPSILON) if corpus and any(corpus) else None
        if self.model is not None:
            # BM25Okapi's idf with the one change okapi_idf documents (a positive floor)
            idf = okapi_idf(np.asarray(index.doc_freq), self.num_docs)
            self.model.idf = {term: float(idf[term]) for term in self.model.idf}

    def scores(self, term_ids: list[int]) -> np.ndarray:
        if self.model is None:
            return np.zeros(self.num_docs, dtype=np.float32)
        return self.model.get_scores(term_ids).astype(np.float32)


def choose_engine(setting: str, paragraphs: int, threshold: int) -> str:
    if setting != "auto":
        return setting
    return "rank-bm25" if paragraphs <= threshold else "bm25s"


def open_engine(name: str, index) -> Engine:
    k1, b = index.manifest["k1"], index.manifest["b"]
    if name == "bm25s":
        return BM25sEngine(index, k1, b)
    return RankBM25Engine(index, k1, b)
