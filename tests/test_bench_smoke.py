"""Tiny runs of the benchmarks, so the harness keeps working as the engine changes.

The real runs (python -m bench.quality, python -m bench.speed) are not tests; these
check that each one runs end to end on a small input and reports what it promises.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import DEFAULT_CMRC, parse_count, update_doc_section
from bench.cmrc import CmrcQuestion
from bench.gen_corpus import generate
from bench.quality import Outcome, Retrieved, score

HAVE_CMRC = (DEFAULT_CMRC / "cmrc2018_dev.json").is_file() and (DEFAULT_CMRC / "cmrc2018_trial.json").is_file()


def _outcome(results: list[tuple[int, str]], record: int = 7, answers=("1998年",)) -> Outcome:
    question = CmrcQuestion("Q", "哪一年？", answers, record, "P")
    return Outcome(question, tuple(Retrieved(r, q) for r, q in results), 0.001)


def test_metrics_count_rank_and_quotes():
    outcomes = [
        _outcome([(7, "他生于1998年。")]),  # right paragraph, answer in the lead quote
        _outcome([(3, "别的。"), (7, "生于1998年。")]),  # gold at rank 2, answer in quote 2
        _outcome([(3, "别的。")] * 9 + [(7, "无关。")]),  # gold at rank 10, no answer
        _outcome([]),  # nothing found
    ]
    scores = score("test", outcomes, 0.0)
    assert scores.recall_at_1 == 0.25
    assert scores.recall_at_5 == 0.5
    assert scores.mrr_at_10 == pytest.approx((1 + 1 / 2 + 1 / 10) / 4)
    assert scores.answer_hit_at_1 == 0.25
    assert scores.answer_hit_at_3 == 0.5
    assert scores.median_quote_chars == 3  # lead quotes of 7, 3 and 3 characters


def test_sizes_parse():
    assert [parse_count(s) for s in ("2000", "10k", "1M", "2.5k")] == [2000, 10_000, 1_000_000, 2500]
    with pytest.raises(ValueError):
        parse_count("ten")


def test_doc_section_is_replaced_not_appended(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\nintro\n", encoding="utf-8")
    update_doc_section("speed", "first", doc)
    update_doc_section("speed", "second", doc)
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nintro\n") and "second" in text and "first" not in text


def test_generated_corpus_is_seeded_and_cached(tmp_path):
    first = generate(300, seed=5, out_dir=tmp_path / "a")
    again = generate(300, seed=5, out_dir=tmp_path / "a")
    other = generate(300, seed=5, out_dir=tmp_path / "b")
    assert first == again  # reused from the manifest
    assert first.paragraphs == 300 and first.pages >= 6
    files_a = sorted(p.relative_to(first.path) for p in Path(first.path).rglob("*.txt"))
    files_b = sorted(p.relative_to(other.path) for p in Path(other.path).rglob("*.txt"))
    assert files_a == files_b
    assert all((Path(first.path) / f).read_bytes() == (Path(other.path) / f).read_bytes() for f in files_a)


@pytest.mark.skipif(not HAVE_CMRC, reason=f"CMRC 2018 data not found at {DEFAULT_CMRC} (../shared/data/cmrc2018)")
def test_quality_smoke(tmp_path, capsys):
    from bench.quality import main

    assert main(["--limit", "30", "--engines", "bm25s", "--out", str(tmp_path)]) == 0
    table = capsys.readouterr().out
    assert "| baseline |" in table and "| wenbao bm25s |" in table
    corpus = (tmp_path / "cmrc2018.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(corpus) == 30
    dump = [json.loads(line) for line in (tmp_path / "failures-wenbao-bm25s.jsonl").open(encoding="utf-8")]
    for row in dump:
        assert {"question", "answers", "gold_paragraph", "retrieved_paragraph", "lead_quote"} <= row.keys()
        assert row["miss"]


def test_speed_smoke(tmp_path, capsys):
    from bench.speed import main

    assert main(["--sizes", "2k", "--engines", "bm25s", "--queries", "5", "--cold-runs", "1",
                 "--no-startup", "--out", str(tmp_path)]) == 0
    table = capsys.readouterr().out
    assert "| 2k | bm25s |" in table
    (row,) = json.loads((tmp_path / "speed" / "results.json").read_text(encoding="utf-8"))
    assert row["paragraphs"] > 1500 and row["queries"] == 5
    assert row["p50_ms"] > 0 and row["peak_build_bytes"] > 0 and row["index_bytes"] > 0
    assert row["cold_ask_status"] in (0, 1)


def test_failure_classes_place_the_answer_relative_to_the_quote():
    from bench.failures import quote_class, retrieval_class

    gold = "甲城是一个城市。它位于河边。它有很多桥。人口是100万。"

    def row(lead: str, answer: str = "100万") -> dict:
        return {"answers": [answer], "lead_quote": lead}

    assert quote_class(row("甲城是一个城市。"), gold) == "answer two or more sentences away"
    assert quote_class(row("它有很多桥。"), gold) == "answer in the sentence next to the quote"
    assert quote_class(row("它有很多桥。", "它有很多桥。人口是100万。"), gold).startswith("quote holds part")
    miss = {"question": "该城有多少人？", "lead_quote": "它位于河边。", "gold_rank": None}
    assert retrieval_class(miss).startswith("question names no subject")
    assert retrieval_class({**miss, "question": "甲城有多少人？", "gold_rank": 2}) == "gold paragraph at rank 2"
    assert retrieval_class({**miss, "lead_quote": None}) == "no answer at all"
