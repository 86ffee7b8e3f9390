"""Two BM25 engines behind one interface: scores for every paragraph, given term ids.

- `rank-bm25`: rank_bm25.BM25Okapi, the reference. Built in memory from the stored
  token ids when the index is opened; a query costs O(paragraphs x terms).
- `bm25s`: the same BM25Okapi weights precomputed into a sparse term x paragraph
  matrix, saved and memory-mapped by bm25s; a query touches only its terms' postings.

Both use Okapi BM25 with rank-bm25's idf (negative idf replaced by epsilon x mean
idf), so they rank a corpus the same way. The matrix is built here with numpy in
chunks of paragraphs, so memory stays near the size of the postings themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

EPSILON = 0.25  # rank_bm25.BM25Okapi's default
MIN_IDF = 0.01
_CHUNK_TOKENS = 2_000_000  # tokens counted at a time (~40 bytes each while counting)


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


def _chunk_pairs(tokens: np.ndarray, offsets: np.ndarray, lo: int, hi: int):
    """(term, doc, tf) of paragraphs lo..hi, one row per distinct pair, sorted by term then doc."""
    width = hi - lo
    chunk = np.asarray(tokens[offsets[lo]:offsets[hi]], dtype=np.int64)
    local_doc = np.repeat(np.arange(width, dtype=np.int64), np.diff(offsets[lo:hi + 1]))
    keys, counts = np.unique(chunk * width + local_doc, return_counts=True)
    return (keys // width).astype(np.int32), (keys % width + lo).astype(np.int32), counts.astype(np.float32)


def _chunks(offsets: np.ndarray) -> list[tuple[int, int]]:
    """Runs of whole paragraphs of about _CHUNK_TOKENS tokens each."""
    n_docs = len(offsets) - 1
    out, lo = [], 0
    while lo < n_docs:
        hi = int(np.searchsorted(offsets, offsets[lo] + _CHUNK_TOKENS, side="right")) - 1
        hi = min(max(hi, lo + 1), n_docs)
        out.append((lo, hi))
        lo = hi
    return out


def build_bm25_matrix(tokens: np.ndarray, offsets: np.ndarray, n_terms: int, k1: float, b: float):
    """CSC arrays (data, indices, indptr) of BM25 weights, column = term; plus doc freqs.

    Two passes over chunks of paragraphs: the first counts document frequencies, the
    second writes each chunk's postings straight into their place (a counting sort),
    so memory holds the finished arrays plus one chunk, never a global sort.
    """
    n_docs = len(offsets) - 1
    chunks = _chunks(offsets)
    doc_freq = np.zeros(n_terms, dtype=np.int64)
    for lo, hi in chunks:
        terms, _, _ = _chunk_pairs(tokens, offsets, lo, hi)
        doc_freq += np.bincount(terms, minlength=n_terms)
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(doc_freq, out=indptr[1:])
    doc_len = np.diff(offsets).astype(np.float32)
    avgdl = float(doc_len.mean()) if n_docs and doc_len.sum() else 1.0
    idf = okapi_idf(doc_freq, n_docs).astype(np.float32)
    norm = k1 * (1 - b + b * doc_len / avgdl)
    data = np.zeros(int(indptr[-1]), dtype=np.float32)
    indices = np.zeros(int(indptr[-1]), dtype=np.int32)
    fill = indptr[:-1].copy()  # next free slot of each term's postings
    for lo, hi in chunks:  # chunks in doc order: each term's postings stay sorted by doc
        terms, docs, tf = _chunk_pairs(tokens, offsets, lo, hi)
        present, first, count = np.unique(terms, return_index=True, return_counts=True)
        slots = np.repeat(fill[present] - first, count) + np.arange(len(terms))
        data[slots] = idf[terms] * (tf * (k1 + 1)) / (tf + norm[docs])
        indices[slots] = docs
        fill[present] += count
    return data, indices, indptr, doc_freq.astype(np.int32)


def save_bm25s(folder: Path, data, indices, indptr, n_docs: int, k1: float, b: float) -> None:
    import bm25s

    model = bm25s.BM25(k1=k1, b=b, method="robertson")
    model.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": n_docs}
    model.vocab_dict = {}  # term ids come from wenbao's own vocabulary
    model.nonoccurrence_array = None  # only BM25L/BM25+ need it
    model.save(str(folder))


class BM25sEngine:
    name = "bm25s"

    def __init__(self, folder: Path) -> None:
        import bm25s

        self.model = bm25s.BM25.load(str(folder), mmap=True, load_vocab=False)
        self.indptr = np.asarray(self.model.scores["indptr"])
        self.num_docs = int(self.model.scores["num_docs"])

    def scores(self, term_ids: list[int]) -> np.ndarray:
        # bm25s's own scorer uses np.add.at; a term's postings hold each paragraph once,
        # so a plain fancy-index add gives the same sums several times faster.
        data, indices = self.model.scores["data"], self.model.scores["indices"]
        out = np.zeros(self.num_docs, dtype=np.float32)
        for tid in term_ids:
            start, end = self.indptr[tid], self.indptr[tid + 1]
            out[indices[start:end]] += data[start:end]
        return out


class RankBM25Engine:
    name = "rank-bm25"

    def __init__(self, tokens: np.ndarray, offsets: np.ndarray, doc_freq: np.ndarray, k1: float, b: float) -> None:
        from rank_bm25 import BM25Okapi

        all_tokens = np.asarray(tokens).tolist()
        bounds = np.asarray(offsets).tolist()
        corpus = [all_tokens[bounds[i]:bounds[i + 1]] for i in range(len(bounds) - 1)]
        self.model = BM25Okapi(corpus, k1=k1, b=b, epsilon=EPSILON) if corpus and any(corpus) else None
        self.num_docs = len(corpus)
        if self.model is not None:
            # BM25Okapi's idf with the one change okapi_idf documents (a positive floor)
            idf = okapi_idf(np.asarray(doc_freq), self.num_docs)
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
    if name == "bm25s":
        return BM25sEngine(index.folder / "bm25s")
    return RankBM25Engine(index.tokens, index.token_offsets, index.doc_freq, index.manifest["k1"], index.manifest["b"])
