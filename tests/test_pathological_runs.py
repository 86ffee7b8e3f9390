"""Unbroken runs (a 2 MB line of letters, a CSV cell of text without punctuation, a line
of digits) cost the tokenizer the same per character as ordinary text: jieba never sees
a run longer than MAX_RUN, and the number regex tries each number once."""

import re
import time

import pytest

from retrieval import tokenize
from retrieval.tokenize import MAX_RUN, Analyzer

_RUN = re.compile(r"[\w+#&.%\-]+")


@pytest.fixture(scope="module")
def analyzer():
    from retrieval.config import load_config

    return Analyzer(load_config())


@pytest.fixture
def jieba_inputs(analyzer, monkeypatch):
    """Every text the analyzer hands to jieba."""
    seen: list[str] = []
    tk = analyzer._tokenizer()
    real = tk.tokenize
    monkeypatch.setattr(tk, "tokenize", lambda text, **kw: (seen.append(text), real(text, **kw))[1])
    return seen


def _longest_run(text: str) -> int:
    return max((len(m.group()) for m in _RUN.finditer(text)), default=0)


def test_a_huge_run_without_ideographs_is_tokenised_only_up_to_max_run(analyzer, jieba_inputs):
    terms = analyzer.terms("开头的话 " + "q" * 2_000_000 + " 结尾的话")
    assert sum(len(t) for t in jieba_inputs) < 3 * MAX_RUN
    assert "开头" in terms and "结尾" in terms


def test_a_long_run_of_ideographs_is_cut_into_pieces_and_every_piece_is_searchable(analyzer, jieba_inputs):
    text = "城市建设管理工作" * 500 + "揭榜挂帅"  # 4,004 ideographs, no punctuation
    terms = analyzer.terms(text)
    assert max(_longest_run(t) for t in jieba_inputs) <= MAX_RUN
    assert sum(len(t) for t in jieba_inputs) == len(text)
    assert "揭榜" in terms and terms.count("城市") >= 400


def test_offsets_after_a_cut_still_point_at_the_original_text(analyzer):
    text = "中" * 450 + "补助" + "a" * 1000 + "，发放补助"
    for term, start, end in analyzer.spans(text):
        if not term.startswith(tokenize.BIGRAM_MARK):
            assert text[start:end] == term
    assert [start for term, start, _ in analyzer.spans(text) if term == "补助"] == [450, 1455]


def test_number_with_unit_regex_is_linear_in_a_run_of_digits():
    started = time.perf_counter()
    assert list(tokenize._NUMBER_UNIT.finditer("1" * 20_000)) == []
    assert [m.group() for m in tokenize._NUMBER_UNIT.finditer("7" * 20_000 + "元")] == ["7" * 20_000 + "元"]
    # was 23 s (quadratic); now a few milliseconds: the bound is a hundred times that
    assert time.perf_counter() - started < 2.0


def test_numbers_and_units_are_still_found(analyzer):
    terms = analyzer.terms("发放补助1.14亿元和3900万元，增长12.5%，2021年1月7日")
    assert {"1.14亿元", "3900万元", "12.5%", "2021年1月7日"} <= set(terms)
