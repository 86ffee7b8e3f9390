"""Dates in questions, end to end: a made-up archive of records dated on different days
(and one with only a year, one undated); the period a question names puts its passages
first; --since/--until win; every output format says which period was understood."""

from __future__ import annotations

import json

import numpy as np
import pytest

from retrieval.models import Answer, AnswerSet, Paragraph, Period
from retrieval.periods import overlap_masks
from retrieval.search import Archive, newest_date
from retrieval.store import OPEN_END, date_range_key
from tests.conftest import archive_of_pages
from tui.cli import main
from tui.history import answer_set_from_json, answer_set_to_json, conversation_markdown
from tui.output import answerset_dict, markdown_answers
from tui.render import date_label, paragraph_date, range_label

RECORDS = [
    ("spring19", "2019-02-11", "春节期间，太原市接待游客120万人次，旅游总收入15亿元，同比增长一成。"),
    ("golden19", "2019-10-08", "国庆期间，太原市接待游客300万人次，旅游总收入30亿元，创历史新高。"),
    ("golden18", "2018-10-08", "国庆期间，太原市接待游客250万人次，旅游总收入24亿元，同比增长。"),
    ("year19", "2019", "太原市全年接待游客数量持续增长，旅游总收入稳步提高。"),
    ("undated", "", "太原市接待游客的服务设施不断完善，旅游总收入结构优化。"),
    ("golden16", "2016-10-09", "国庆期间，太原市接待游客180万人次，旅游总收入16亿元。"),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    lines = [json.dumps({"id": rid, "date": day, "title": "太原旅游", "text": text}, ensure_ascii=False)
             for rid, day, text in RECORDS]
    return archive_of_pages(tmp_path_factory.mktemp("question-dates"), {"news.jsonl": "\n".join(lines) + "\n"})


def first_words(answers: AnswerSet) -> list[str]:
    return [a.paragraph.text[:12] for a in answers.answers]


def test_the_corpus_is_dated_as_the_records_say(archive):
    # the newest date is the latest point: 今年 is 2019 here
    assert newest_date(np.asarray(archive.index.dates), np.asarray(archive.index.date_hi)).isoformat() == "2019-10-08"


def test_a_named_period_puts_its_passages_first(archive):
    answers = archive.ask("2018年国庆期间太原接待游客多少？", top=3)
    assert answers.period == Period("2018-10-01", "2018-10-07", "2018年国庆期间", "boost")
    assert answers.answers[0].paragraph.text.startswith("国庆期间，太原市接待游客250万")  # printed the 8th: reports follow
    lead = archive.ask("2018年国庆期间太原接待游客多少？", top=1)
    assert lead.period.applied == "filter" and len(lead.answers) == 1


def test_relative_words_count_from_the_newest_date_or_today(archive):
    this_year = archive.ask("今年国庆期间太原接待游客多少？", top=1)
    assert (this_year.period.start, this_year.answers[0].paragraph.date) == ("2019-10-01", "2019-10-08")
    last_year = archive.ask("去年国庆期间太原接待游客多少？", top=1)
    assert last_year.answers[0].paragraph.date == "2018-10-08"
    assert "去年" not in last_year.terms and "今年" not in this_year.terms  # another year in every passage
    moved = archive.ask("去年国庆期间太原接待游客多少？", top=1, today="2017-05-01")
    assert moved.period.start == "2016-10-01" and moved.answers[0].paragraph.date == "2016-10-09"
    spring = archive.ask("今年春节期间太原接待游客多少？", top=1)
    assert spring.period.start == "2019-02-04" and spring.answers[0].paragraph.date == "2019-02-11"


def test_a_period_with_no_passage_still_answers_and_says_so(archive):
    answers = archive.ask("2010年国庆期间太原接待游客多少？", top=2)
    assert answers.found and answers.period.applied == "none"
    # a period the archive has no date in is history: its words stay search terms
    assert "2010" in "".join(answers.terms)
    assert not any("2018" in t for t in archive.ask("2018年国庆期间太原接待游客多少？").terms)


def test_a_year_only_date_overlaps_a_period_and_comes_after_the_exact_ones(archive):
    answers = archive.ask("2019年10月太原旅游总收入多少？", top=3)
    dates = [(a.paragraph.date, a.paragraph.year) for a in answers.answers]
    assert dates[:2] == [("2019-10-08", 2019), (None, 2019)]  # inside, then the year that may be October
    assert answers.period.applied == "boost"


def test_since_until_win_and_keep_partly_overlapping_ranges_after(archive):
    answers = archive.ask("国庆期间太原接待游客多少？", since="2019-10", until="2019-10", top=5)
    assert answers.period.applied == "ignored"
    got = [(a.paragraph.date, a.paragraph.year) for a in answers.answers]
    assert got == [("2019-10-08", 2019), (None, 2019)]  # the undated one and other days are out


def test_a_bad_today_is_an_error(archive):
    from retrieval.errors import QuestionError

    with pytest.raises(QuestionError, match="--today"):
        archive.ask("去年", today="2019-02-30")


def test_overlap_masks_on_open_and_unknown_ranges():
    # a day; 2019 or later; by 2018; unknown; 2018-12 … 2019-03
    points = np.array([20190203, 0, 0, 0, 0], dtype=np.int32)
    lo = np.array([20190203, 20190101, 0, 0, 20181201], dtype=np.int32)
    hi = np.array([20190203, OPEN_END, 20181231, 0, 20190331], dtype=np.int32)
    inside, partly = overlap_masks(points, lo, hi, 20190201, 20190228)
    assert inside.tolist() == [True, False, False, False, False]
    assert partly.tolist() == [False, True, False, False, True]


def test_a_point_decides_inside_its_range_only_whether_it_may_be():
    # a dateline of 10-05 printed up to two weeks later: its point is in the period
    points = np.array([20191005, 20190928], dtype=np.int32)
    lo = np.array([20191005, 20190928], dtype=np.int32)
    hi = np.array([20191019, 20191012], dtype=np.int32)
    inside, partly = overlap_masks(points, lo, hi, 20191001, 20191014)
    assert inside.tolist() == [True, False] and partly.tolist() == [False, True]


def _p(**kw) -> Paragraph:
    base = dict(id="p1", path="a.txt", line_start=1, line_end=1, title="标题", date=None, date_source="none", text="正文。")
    return Paragraph(**(base | kw))


@pytest.mark.parametrize("fields, key", [
    ({"date": "2019-02-03", "year": 2019, "date_source": "dateline"}, (20190203, 20190203)),
    ({"year": 2019, "date_source": "inferred"}, (20190101, 20191231)),
    ({"date_min": "2018-12-01", "date_max": "2019-03-31"}, (20181201, 20190331)),
    ({"date_min": "2020-01-01"}, (20200101, OPEN_END)),
    ({"date_max": "2019-12-31"}, (0, 20191231)),
    ({}, (0, 0)),
])
def test_the_index_keeps_each_paragraphs_range(fields, key):
    assert date_range_key(_p(**fields)) == key


@pytest.mark.parametrize("fields, label", [
    ({"date": "2019-02-03", "year": 2019, "date_source": "dateline"}, "2019-02-03"),
    ({"date": "2019-02-03", "year": 2019, "date_source": "page"}, "≈2019-02-03"),
    ({"year": 2019, "date_source": "path"}, "2019"),
    ({"year": 2019, "date_source": "inferred"}, "≈2019"),
    ({"date_min": "2018-12-01", "date_max": "2019-03-31"}, "2018-12 … 2019-03"),
    ({"date_min": "2019-02-01", "date_max": "2019-03-31"}, "2019-02 … 2019-03"),
    ({"date_min": "2019-01-01", "date_max": "2019-12-31"}, "2019"),
    ({"date_min": "2018-01-01", "date_max": "2019-12-31"}, "2018 … 2019"),
    ({"date_min": "2019-02-01", "date_max": "2019-02-28"}, "2019-02"),
    ({"date_min": "2019-02-01", "date_max": "2019-02-03"}, "2019-02-01 … 2019-02-03"),
    ({"date_min": "2018-12-10", "date_max": "2019-03-20"}, "2018-12 … 2019-03"),  # months it reaches
    ({"date_min": "2019-01-01"}, "2019 or later"),
    ({"date_min": "2019-03-01"}, "2019-03 or later"),
    ({"date_max": "2019-12-31"}, "by 2019"),
    ({"date_max": "2019-03-15"}, "by 2019-03-15"),
    ({}, "date unknown"),
    ({"date_source": "inferred"}, "date unknown"),
])
def test_every_date_label(fields, label):
    assert paragraph_date(_p(**fields)) == label


def test_no_guessed_year_with_a_question_mark():
    assert "?" not in date_label(None, 2021, "inferred") and range_label(None, None) == "date unknown"


# --- the period in every output format --------------------------------------------------

def _answer_set(period: Period | None) -> AnswerSet:
    paragraph = _p(date_min="2018-12-01", date_max="2019-03-31", date_source="inferred",
                   date_evidence="去年 → 2018; 猪年 → 2019")
    answer = Answer(rank=1, quote="正文。", quote_start=0, score=1.0, paragraph=paragraph)
    return AnswerSet(question="2019年2月的消息", answers=(answer,), terms=("消息",), period=period)


PERIOD = Period("2019-02-01", "2019-02-28", "2019年2月", "boost")


def test_json_has_the_period_or_null():
    assert answerset_dict(_answer_set(PERIOD))["period"] == {
        "start": "2019-02-01", "end": "2019-02-28", "text": "2019年2月", "applied": "boost"}
    assert answerset_dict(_answer_set(None))["period"] is None


def test_markdown_and_the_export_say_the_period_and_the_range():
    md = markdown_answers(_answer_set(PERIOD))
    assert "*Period: 2019-02 (2019年2月) · passages of this period first, then others*" in md
    assert "2018-12 … 2019-03 (inferred: 去年 → 2018; 猪年 → 2019)" in md
    export = conversation_markdown([_answer_set(PERIOD)])
    assert "*Period: 2019-02 (2019年2月)" in export and "2018-12 … 2019-03" in export


def test_the_history_keeps_the_period():
    again = answer_set_from_json(answer_set_to_json(_answer_set(PERIOD)))
    assert again.period == PERIOD and again.answers[0].paragraph.date_min == "2018-12-01"


def test_cli_text_json_and_today(archive, capsys):
    config = str(archive.config.files[-1])
    code = main(["ask", "去年国庆期间太原接待游客多少？", "--config", config, "-k", "1"])
    out = capsys.readouterr().out
    assert code == 0
    assert "期 2018-10-01 … 2018-10-07 (去年国庆期间) · only passages of this period" in out
    assert "2018-10-08" in out and "record" in out
    code = main(["ask", "去年国庆期间太原接待游客多少？", "--config", config, "-k", "1", "--today", "2017-01-01",
                 "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["period"]["start"] == "2016-10-01" and data["answers"][0]["date"] == "2016-10-09"
    code = main(["ask", "国庆期间游客", "--config", config, "--today", "yesterday"])
    assert code == 2 and "--today 'yesterday'" in capsys.readouterr().err
    assert main(["chat", "--config", config, "--today", "2019-02-30"]) == 2
    assert "--today '2019-02-30'" in capsys.readouterr().err
