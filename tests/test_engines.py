"""rank-bm25 (the reference) and bm25s (sparse, memory-mapped) rank alike."""

import numpy as np
import pytest

from retrieval.engines import choose_engine
from retrieval.search import Archive

QUESTIONS = [
    "城市建设管理工作专题会要加快推进什么行动？",
    "首批揭榜挂帅技术攻关的企业发放了多少补助？",
    "奥密克戎变异株的传染性提高了多少？",
    "太忻一体化经济区",
    "养老服务站",
    "五一劳动奖表彰大会",
]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    from tests.conftest import SAMPLE_CORPUS, _config_with

    out = {}
    for engine in ("rank-bm25", "bm25s"):
        folder = tmp_path_factory.mktemp(engine)
        out[engine] = Archive.open(_config_with(folder, SAMPLE_CORPUS, engine=engine))
    return out


@pytest.mark.parametrize("question", QUESTIONS)
def test_engines_return_the_same_ranking(both, question):
    ref, sparse = both["rank-bm25"], both["bm25s"]
    assert ref.engine.name == "rank-bm25" and sparse.engine.name == "bm25s"
    ids = [ref.index.term_ids[t] for t in ref.analyzer.terms(question) if t in ref.index.term_ids]
    a, b = ref.engine.scores(ids), sparse.engine.scores(ids)
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)
    top_a = [x.paragraph.id for x in ref.ask(question, top=5).answers]
    top_b = [x.paragraph.id for x in sparse.ask(question, top=5).answers]
    assert top_a == top_b


def test_auto_picks_by_corpus_size():
    assert choose_engine("auto", 100, 20000) == "rank-bm25"
    assert choose_engine("auto", 20001, 20000) == "bm25s"
    assert choose_engine("bm25s", 10, 20000) == "bm25s"


def test_postings_do_not_depend_on_how_the_build_is_chunked(monkeypatch):
    import retrieval.engines as engines

    rng = np.random.default_rng(7)
    row_ptr = np.concatenate([[0], np.cumsum(rng.integers(0, 30, 200))])
    terms = np.concatenate([np.sort(rng.choice(50, row_ptr[i + 1] - row_ptr[i], replace=False))
                            for i in range(200)]).astype(np.int32)
    counts = rng.integers(1, 300, len(terms)).astype(np.uint16)
    whole = engines.build_postings(terms, counts, row_ptr, 50)
    monkeypatch.setattr(engines, "_CHUNK_PAIRS", 37)
    pieces = engines.build_postings(terms, counts, row_ptr, 50)
    for a, b in zip(whole, pieces):
        np.testing.assert_array_equal(a, b)
    ptr, docs, tf, doc_freq = whole
    assert tf.dtype == np.uint16  # a count above 255 needs it; otherwise uint8
    for term in (0, 17, 49):  # each term's postings: its rows, in order, with their counts
        rows = [i for i in range(200) if term in terms[row_ptr[i]:row_ptr[i + 1]]]
        assert docs[ptr[term]:ptr[term + 1]].tolist() == rows and doc_freq[term] == len(rows)


def test_bm25s_scores_are_the_documented_float32_formula_to_the_bit():
    """The in-place arithmetic of BM25sEngine.scores gives exactly the plain expression."""
    from retrieval.engines import BM25sEngine

    rng = np.random.default_rng(3)
    n, terms = 5_000, 6

    class Postings:
        manifest = {"k1": 1.5, "b": 0.75}
        doc_len = rng.integers(1, 400, n).astype(np.int32)
        lists = [np.sort(rng.choice(n, rng.integers(1, n), replace=False)).astype(np.int32) for _ in range(terms)]
        counts = [rng.integers(1, 300, len(d)).astype(np.uint16) for d in lists]
        doc_freq = np.array([len(d) for d in lists], dtype=np.int32)

        def __len__(self):
            return n

        def postings(self, tid):
            return self.lists[tid], self.counts[tid]

    index = Postings()
    engine = BM25sEngine(index, 1.5, 0.75)
    expected = np.zeros(n, dtype=np.float32)
    for tid in range(terms):
        docs, tf = index.lists[tid], index.counts[tid].astype(np.float32)
        expected[docs] += engine.idf[tid] * (tf * engine.k1_plus_1) / (tf + engine.norm[docs])
    got = engine.scores(list(range(terms)))
    assert got.dtype == np.float32 and np.array_equal(got.view(np.uint32), expected.view(np.uint32))


@pytest.mark.parametrize("engine", ["rank-bm25", "bm25s"])
def test_a_second_pass_with_more_terms_scores_only_the_added_ones(both, engine):
    """A question asked again with its period's words as search words (search.py) must rank
    exactly as a fresh search would, while scoring only the words it adds."""
    archive = both[engine]
    retriever, term_ids = archive.retriever, archive.index.term_ids
    first = [t for t in archive.analyzer.terms("城市建设管理工作专题会") if t in term_ids]
    added = [t for t in archive.analyzer.terms("2022年1月") if t in term_ids]
    assert first and added
    fresh = archive.engine.scores([term_ids[t] for t in first + added])
    scored = []
    real = retriever.engine.scores
    retriever._engine.scores = lambda ids: scored.append(list(ids)) or real(ids)  # observe, not replace
    try:
        retriever._last = None
        list(retriever.tiers(first, 5, None, None, None)[0])
        ranked = [(p.id, s) for p, s in retriever.tiers(first + added, 50, None, None, None)[0]]
    finally:
        del retriever._engine.scores
    assert scored[1] == [term_ids[t] for t in added]
    top = np.argsort(-fresh, kind="stable")[:len(ranked)]
    assert [p for p, _ in ranked] == [archive.index.paragraph(int(r)).id for r in top]
    np.testing.assert_allclose([s for _, s in ranked], fresh[top], rtol=1e-6)


@pytest.mark.parametrize("seed", range(5))
def test_the_k_best_rows_are_a_full_sorts_first_k_ties_to_the_earlier_paragraph(seed):
    """The top-k shortcut (only rows above a threshold are listed) and the tie rule give
    exactly what sorting every scoring row by (score desc, row) gives."""
    from retrieval.retrievers import _best_rows, _top_rows

    rng = np.random.default_rng(seed)
    scores = np.zeros(50_000, dtype=np.float32)
    hit = rng.choice(len(scores), 8_000, replace=False)
    scores[hit] = rng.choice(np.float32([0.5, 1.0, 2.0, 7.5, 7.5, 30.0]), len(hit))  # many ties
    scores[rng.choice(hit, 3)] = 90.0
    for k in (1, 3, 29, 500, 20_000):
        full = sorted(np.flatnonzero(scores > 0).tolist(), key=lambda r: (-scores[r], r))[:k]
        assert _top_rows(scores, k, _best_rows(scores, k)) == full
        assert _top_rows(scores, k) == full
    assert _top_rows(np.zeros(10, np.float32), 3, _best_rows(np.zeros(10, np.float32), 3)) == []
