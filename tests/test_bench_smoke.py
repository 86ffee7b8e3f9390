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


# -- the newspaper question sets ------------------------------------------------------------

_PAGE_A = """春城日报

新建跨江大桥今日通车

本报讯 3月8日上午，全长2.4公里的跨江大桥正式通车，设计时速60公里。

大桥由市路桥集团承建，工期历时三年，总投资18亿元。

图为通车仪式现场。 记者 李明 摄
"""
_PAGE_B = """春城日报

老城区改造惠及八千户

本报讯 今年老城区改造涉及居民8000户，计划年底前完工。

改造的主要措施有：一是拆除违章建筑，二是更换供水管网，三是增设停车位。
"""
_QUESTIONS = [
    {"id": "t-1", "question": "跨江大桥是哪天通车的？", "answers": ["3月8日"], "file": "a.txt", "line": 5, "kind": "when"},
    {"id": "t-2", "question": "建跨江大桥一共花了多少钱？", "answers": ["18亿元"], "file": "a.txt", "line": 7, "kind": "how-many"},
    {"id": "t-3", "question": "老城区改造有哪些措施？", "answers": ["拆除违章建筑"], "file": "b.txt", "line": 7, "kind": "how"},
]


def _news_fixture(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "pages"
    corpus.mkdir()
    (corpus / "a.txt").write_text(_PAGE_A, encoding="utf-8")
    (corpus / "b.txt").write_text(_PAGE_B, encoding="utf-8")
    questions = tmp_path / "questions.jsonl"
    questions.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in _QUESTIONS), encoding="utf-8")
    return corpus, questions


def test_news_set_runs_through_archive_and_the_cli_batch_alike(tmp_path, capsys):
    from bench.failures import main as failures_main
    from bench.quality import main

    corpus, questions = _news_fixture(tmp_path)
    out = tmp_path / "out"
    assert main(["--set", "sample", "--data", str(corpus), "--questions", str(questions), "--out", str(out),
                 "--via", "api,batch"]) == 0
    table = capsys.readouterr().out
    row = next(line for line in table.splitlines() if line.startswith("| wenbao bm25s |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == "1.000"  # the right page first for every question
    assert "| wenbao bm25s via batch |" in table
    assert "the same passages and quotes as via api for 3 of 3 questions" in table
    assert "| when | 1 |" in table and "| how | 1 |" in table
    assert (out / "sample-bm25s" / "index").is_dir()  # indexed once, kept for the next run
    assert failures_main(["--set", "sample", "--questions", str(questions),
                          str(out / "failures-sample-wenbao-bm25s.jsonl")]) == 0
    assert "of 3 questions missed" in capsys.readouterr().out


def test_a_malformed_question_line_is_named(tmp_path):
    from bench.questions import QuestionSetError, load_questions

    bad = tmp_path / "q.jsonl"
    bad.write_text(json.dumps(_QUESTIONS[0], ensure_ascii=False) + "\n{\"question\": \"缺少字段\"}\n", encoding="utf-8")
    with pytest.raises(QuestionSetError, match=r"q\.jsonl:2: "):
        load_questions(bad)


def test_checked_in_sets_point_at_lines_that_hold_their_answers():
    from bench.questions import DEFAULT_RMRB, QUESTIONS_DIR, check_against_corpus, load_questions
    from bench import SAMPLE_CORPUS

    sample = load_questions(QUESTIONS_DIR / "sample.jsonl")
    assert len(sample) >= 20
    assert check_against_corpus(sample, SAMPLE_CORPUS) == []
    rmrb = load_questions(QUESTIONS_DIR / "rmrb2019.jsonl")
    assert len(rmrb) >= 60 and len({q.file for q in rmrb}) >= 15
    assert len({q.id for q in rmrb}) == len(rmrb)
    holdout = load_questions(QUESTIONS_DIR / "rmrb2019-holdout.jsonl")
    assert len(holdout) >= 40 and len({q.id for q in rmrb + holdout}) == len(rmrb) + len(holdout)
    assert not {q.file for q in holdout} & {q.file for q in rmrb}  # held out: pages the dev set never uses
    if not DEFAULT_RMRB.is_dir():
        pytest.skip(f"People's Daily pages not found at {DEFAULT_RMRB} (../shared/data/rmrb-2019/pages)")
    assert check_against_corpus(rmrb, DEFAULT_RMRB) == []
    assert check_against_corpus(holdout, DEFAULT_RMRB) == []


def test_fold_misses_count_characters_the_table_leaves_alone():
    from bench.traditional import fold_misses

    misses, compared, skipped = fold_misses(["答复软件", "干净", "不同长度"], ["答覆軟件", "乾淨", "不同"])
    assert compared == 6 and skipped == 1
    assert misses == {("覆", "覆", "复"): 1}  # 乾 and 淨, 軟 fold; 覆 (答覆 but 覆盖) does not


def test_question_dates_runs_on_a_tiny_made_up_archive(tmp_path):
    from bench.question_dates import VARIANTS, run

    data = tmp_path / "data"
    (data / "articles").mkdir(parents=True)
    rows = ["relpath\tnote\tgold_date"]
    days = ["2019-02-06", "2019-02-12", "2019-10-03", "2019-10-09", "2019-02-20", "2019-10-20"]
    for n, day in enumerate(days):
        name = f"article_{n}.txt"
        body = (f"　　第{n}号新闻：某市第{n}届文化节在市中心广场隆重开幕，吸引了大量市民前来参观。"
                f"主办方介绍，本届活动共设置{n + 3}个展区，展出各类作品数百件，持续一周时间。")
        (data / "articles" / name).write_text(f"\r\n标题{n}\r\n\r\n{body}\r\n", encoding="utf-8")
        rows.append(f"{name}\t\t{day}")
    (data / "articles.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    table = run(data, count=6, work=tmp_path / "work")
    assert "| absolute month (6) |" in table and "| holiday (4) |" in table
    assert all(name in table for name in VARIANTS)


def test_shards_smoke_with_the_local_database_merged_from_the_shards(tmp_path, capsys):
    """bench.shards end to end on a tiny archive: 3 xapian-tcpsrv shards, the local database
    as their merge (xapian-compact), identical answers both ways, a killed and a stopped shard."""
    import shutil

    pytest.importorskip("xapian", reason='the Xapian bindings are not installed: pip install "wenbao[xapian]"')
    if shutil.which("xapian-tcpsrv") is None:
        pytest.skip("xapian-tcpsrv is missing (Debian/Ubuntu: apt-get install xapian-tools)")
    from bench.shards import main

    assert main(["--size", "2k", "--questions", "8", "--cold-runs", "1", "--timeout", "1",
                 "--local-from-shards", "--out", str(tmp_path)]) == 0
    table = capsys.readouterr().out
    assert "| 2k | xapian (local) |" in table and "| 2k | xapian (3 loopback shards) |" in table
    row = json.loads((tmp_path / "shards" / "results-2k.json").read_text(encoding="utf-8"))
    assert row["same"]["differ"] == 0 and row["same"]["same"] > 0 and row["merge_s"] > 0
    assert row["faults"]["killed"]["warning"] and row["faults"]["stopped"]["seconds"] < 3
