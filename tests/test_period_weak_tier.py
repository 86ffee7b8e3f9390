"""A period the question names prefers its passages only where they answer about as well:
a year in a question about history must not put a passage that merely falls in that year
(or whose open date range reaches into it) ahead of the one that answers."""

from __future__ import annotations

import json

import pytest

from retrieval.search import Archive
from tests.conftest import archive_of_pages

RECORDS = [
    # dated in the question's year, sharing one of its words
    ("club13", "2013-06-02", "平遥县举办了一场乒乓球比赛，吸引了许多市民参加。比赛在新建的体育馆举行，共有八支队伍参赛，"
                             "赛程持续三天。组委会介绍，观众席全部坐满。赛后，王晓峰的状态不错，他为市民签名。"),
    ("club14", "2014-03-01", "平遥县新建的体育馆对市民免费开放，每天接待上千人。"),
    # undated: the passage that answers
    ("player", "", "2013年，王晓峰伤愈复出，状态发生了很大变化：状态回升，再次入选国家队，并在全国锦标赛上夺得男单冠军。"),
    ("other", "", "刘建国出生于平遥县，自幼喜爱体育。"),
    ("player16", "", "2016年，王晓峰的状态变化明显，状态下滑。"),
] + [(f"filler{i}", "", text) for i, text in enumerate((  # enough passages for every word's idf to count
    "太原市今年新建公园十座，绿化面积继续扩大。", "大同市的古城墙修缮工程全面完工。", "运城市盐湖景区游客人数创新高。",
    "晋中市出台措施支持小微企业发展。", "临汾市的冬小麦长势良好，农民忙于田间管理。", "长治市开通了三条新的公交线路。"))]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    lines = [json.dumps({"id": rid, "date": day, "title": "", "text": text}, ensure_ascii=False)
             for rid, day, text in RECORDS]
    return archive_of_pages(tmp_path_factory.mktemp("weak-tier"), {"records.jsonl": "\n".join(lines) + "\n"})


def test_a_weak_passage_of_the_period_does_not_come_before_the_answer(archive):
    answers = archive.ask("2013年王晓峰的状态有了什么变化？", top=2)
    assert answers.answers[0].paragraph.text.startswith("2013年，王晓峰伤愈复出")
    assert answers.period is not None and answers.period.applied != "filter"


def test_a_period_passage_that_answers_as_well_still_comes_first(archive):
    answers = archive.ask("2013年平遥县举办了什么比赛？", top=2)
    assert answers.answers[0].paragraph.text.startswith("平遥县举办了一场乒乓球比赛")
    assert answers.period.applied in ("filter", "boost")


def test_when_no_passage_of_the_period_answers_its_words_are_search_terms_again(archive):
    answers = archive.ask("2013年王晓峰的状态有了什么变化？", top=2)
    assert any("2013" in term for term in answers.terms)
    assert answers.answers[0].paragraph.text.startswith("2013年，王晓峰伤愈复出")  # not the 2016 one
    kept = archive.ask("2013年平遥县举办了什么比赛？", top=2)  # a passage of 2013 answers: the period is used
    assert not any("2013" in term for term in kept.terms)


OPEN_RANGE_RECORDS = [
    # undated (names no year): the passage that answers
    ("answer", "", "王晓峰伤愈复出后，状态发生了很大变化，再次入选国家队，并夺得男单冠军。"),
    # reports two days of 2015 as past, so its date is only "2015 or later": it overlaps 2016
    # as it does every later year
    ("open", "", "2015年3月8日，王晓峰的状态很好，他在平遥县举办了一场签名活动。2015年5月1日，他又去了太原。"),
    ("other", "", "刘建国出生于平遥县，自幼喜爱体育。"),
] + RECORDS[5:]  # the fillers


@pytest.fixture(scope="module")
def open_range_archive(tmp_path_factory) -> Archive:
    lines = [json.dumps({"id": rid, "title": "", "text": text}, ensure_ascii=False)
             for rid, _, text in OPEN_RANGE_RECORDS]
    return archive_of_pages(tmp_path_factory.mktemp("open-range"), {"records.jsonl": "\n".join(lines) + "\n"})


def test_a_date_range_open_at_one_end_is_no_evidence_of_the_period(open_range_archive):
    opened = open_range_archive.ask("签名活动", top=1).answers[0].paragraph
    assert opened.date_min and not opened.date_max  # the fixture is what it means to be
    answers = open_range_archive.ask("2016年王晓峰的状态有了什么变化？", top=2)
    assert answers.answers[0].paragraph.text.startswith("王晓峰伤愈复出后")
