"""Dates: front matter, path, datelines, the page's date and year, in that order."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.dates import date_articles, date_from_path, page_year, parse_date_value
from retrieval.layout import split_articles
from retrieval.models import DATE_SOURCES, SourceDoc
from retrieval.normalize import fold

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def sample(prefix: str) -> SourceDoc:
    path = next(p for p in sorted(CORPUS.glob("*.txt")) if p.name.startswith(prefix))
    return SourceDoc(path=path.name, text=path.read_text(encoding="utf-8"))


def dated(doc: SourceDoc) -> list[tuple]:
    """(article, (date, year, source)) for the articles that have body text."""
    articles = [a for a in split_articles(doc) if a.blocks]
    return list(zip(articles, date_articles(doc, articles)))


def date_of(doc: SourceDoc, needle: str) -> tuple:
    found = [d for a, d in dated(doc) if any(needle in b.text for b in a.blocks)]
    assert len(found) == 1, f"{needle!r} is in {len(found)} articles"
    return found[0]


def page(text: str, path: str = "made-up.txt", **meta) -> SourceDoc:
    return SourceDoc(path=path, text=text, meta=meta)


# --- parse_date_value / date_from_path ----------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("2021-01-08", ("2021-01-08", 2021)),
    ("2021/1/8", ("2021-01-08", 2021)),
    ("20210108", ("2021-01-08", 2021)),
    ("2021年1月8日", ("2021-01-08", 2021)),
    ("２０２１年１月８日", ("2021-01-08", 2021)),
    ("2021.01.08", ("2021-01-08", 2021)),
    ("2021-01-08T09:30:00+08:00", ("2021-01-08", 2021)),
    ("2021-01-08 09:30", ("2021-01-08", 2021)),
    ("2021-01", (None, 2021)),
    ("2021年1月", (None, 2021)),
    ("2021", (None, 2021)),
    (" 2021 ", (None, 2021)),
    ("2021-02-30", (None, None)),
    ("2021-13", (None, None)),
    ("yesterday", (None, None)),
    ("", (None, None)),
    ("12345", (None, None)),
])
def test_parse_date_value(value, expected):
    assert parse_date_value(value) == expected


@pytest.mark.parametrize("path, expected", [
    ("2021-01-08.txt", ("2021-01-08", 2021)),
    ("rmrb/20210108_01.txt", ("2021-01-08", 2021)),
    ("papers/2021/01/08/page1.txt", ("2021-01-08", 2021)),
    ("papers/2021_01_08/page1.md", ("2021-01-08", 2021)),
    ("2020-12-31/2021-01-08-a.txt", ("2021-01-08", 2021)),
    ("archive/2021/page1.txt", (None, 2021)),
    ("000_7762fb5599fe387a.txt", (None, None)),
    ("scans/20211399.txt", (None, None)),
    ("page-12345678901.txt", (None, None)),
    ("", (None, None)),
])
def test_date_from_path(path, expected):
    assert date_from_path(path) == expected


# --- the five sample pages, read correctly ----------------------------------------


def test_sample_000_is_january_2021():
    doc = sample("000")
    assert date_of(doc, "人力资源和社会保障部7日宣布") == ("2021-01-07", 2021, "dateline")
    assert date_of(doc, "劳模事迹宣讲报告会。") == ("2021-01-06", 2021, "dateline")
    assert date_of(doc, "汾河治理PPP项目现场1月5日施工时情形") == ("2021-01-05", 2021, "dateline")
    # "近日" is no date: the page's most recent dateline stands in.
    assert date_of(doc, "近日，市政府党组书记") == ("2021-01-07", 2021, "page")


def test_sample_001_is_january_2022():
    doc = sample("001")
    assert date_of(doc, "市委人才工作会议举行") == ("2022-01-12", 2022, "dateline")
    assert date_of(doc, "太原忻州两市举行工作对接座谈会,就") == ("2022-01-11", 2022, "dateline")
    assert date_of(doc, "揭榜挂帅”技术攻关的7家企业和13户") == ("2022-01-12", 2022, "dateline")
    assert date_of(doc, "近期,我国部分地区先后出现") == ("2022-01-12", 2022, "page")


def test_sample_002_is_march_2025():
    doc = sample("002")
    assert date_of(doc, "我市召开2024年度人才工作述职会,全面总结") == ("2025-03-11", 2025, "dateline")
    # A feature that opens on "2024年7月1日" is not dated by a year the page looks back on.
    assert date_of(doc, "2024年7月1日,平定县") == ("2025-03-11", 2025, "page")


def test_sample_003_is_april_2021():
    doc = sample("003")
    assert date_of(doc, "“为民创城不停步”工作推进会召开。") == ("2021-04-27", 2021, "dateline")
    assert date_of(doc, "太原市五一劳动奖表彰暨工人先锋号命名大会隆重举行") == ("2021-04-28", 2021, "dateline")


def test_sample_004_is_september_2022():
    doc = sample("004")
    assert date_of(doc, "9月20日，市委常委会召开会议") == ("2022-09-20", 2022, "dateline")
    assert date_of(doc, "9月19日以线上线下方式在太原举行") == ("2022-09-19", 2022, "dateline")
    # "将于9月25日" is an event still to come, not the article's date.
    assert date_of(doc, "将于9月25日") == ("2022-09-20", 2022, "page")
    assert date_of(doc, "清徐县徐沟镇清德铺村") == ("2022-09-20", 2022, "dateline")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_sample_article_has_a_full_date(prefix):
    for _, (date, year, source) in dated(sample(prefix)):
        assert date is not None and year == int(date[:4])
        assert source in ("dateline", "page")


# --- where the date comes from -------------------------------------------------------

MEETING = "会议召开\n\n本报讯 1月7日，会议召开。\n\n综述\n\n近日，各地积极行动。\n"


def test_front_matter_date_beats_the_text():
    doc = page(MEETING + "今年是中国共产党成立100周年。\n", date="2019-05-04")
    assert {d for _, d in dated(doc)} == {("2019-05-04", 2019, "front_matter")}


def test_record_date_is_a_record_source():
    doc = SourceDoc(path="news.jsonl", text=MEETING, meta={"date": "2019/5/4"}, record=3)
    assert {d for _, d in dated(doc)} == {("2019-05-04", 2019, "record")}


def test_path_date_beats_the_text_and_front_matter_beats_the_path():
    doc = page(MEETING, path="2020/05/06/page1.txt")
    assert {d for _, d in dated(doc)} == {("2020-05-06", 2020, "path")}
    doc = page(MEETING, path="2020/05/06/page1.txt", date="2019-05-04")
    assert {d for _, d in dated(doc)} == {("2019-05-04", 2019, "front_matter")}


def test_a_year_from_front_matter_or_path_dates_the_datelines():
    by_meta = [d for _, d in dated(page(MEETING, date="2018"))]
    by_path = [d for _, d in dated(page(MEETING, path="2018/page3.txt"))]
    assert by_meta == by_path == [("2018-01-07", 2018, "dateline"), ("2018-01-07", 2018, "page")]


def test_year_only_when_no_day_is_known():
    doc = page("综述\n\n今年是改革开放40周年，各地积极行动。\n")
    assert [d for _, d in dated(doc)] == [(None, 2018, "inferred")]


def test_nothing_to_go_on():
    assert [d for _, d in dated(page("综述\n\n各地积极行动。\n"))] == [(None, None, "none")]
    # A dateline without any year on the page cannot make a full date.
    assert [d for _, d in dated(page("会议\n\n本报讯 1月7日，会议召开。\n"))] == [(None, None, "none")]


def test_sources_are_known_and_year_alone_means_inferred():
    docs = [sample(p) for p in ("000", "001", "002", "003", "004")]
    docs += [page(MEETING), page("综述\n\n2019年，各地积极行动。\n"), page(MEETING, date="2018")]
    for doc in docs:
        for _, (date, year, source) in dated(doc):
            assert source in DATE_SOURCES
            if date is not None:
                assert len(date) == 10 and date[4] == "-" and year == int(date[:4])
            elif year is not None:
                assert source == "inferred"


def test_dateline_forms():
    text = (
        "甲\n\n新华社北京3月5日电 会议开幕。\n\n"
        "乙\n\n本报讯（记者 王文军）3月6日晚，晚会举行。\n\n"
        "丙\n\n本报讯 三月七日，植树活动举行。\n\n"
        "丁\n\n本报讯 第二届论坛3月4日在京开幕。\n\n"
        "戊\n\n本报讯 去年12月30日，工程开工。\n\n"
        "己\n\n3月8日是国际妇女节。今年是“十四五”开局之年。\n"
    )
    got = [d for _, d in dated(page(text))]
    assert got == [
        ("2021-03-05", 2021, "dateline"),
        ("2021-03-06", 2021, "dateline"),
        ("2021-03-07", 2021, "dateline"),
        ("2021-03-04", 2021, "dateline"),
        ("2020-12-30", 2020, "dateline"),
        ("2021-03-07", 2021, "page"),  # later than every dateline: not this article's date
    ]


# --- the page's year -----------------------------------------------------------------


def years(*texts: str, datelines=()) -> int | None:
    return page_year([fold(t) for t in texts], list(datelines))


def test_page_states_its_year():
    assert years("今年是中国共产党成立100周年。") == 2021
    assert years("今年是新中国成立70周年。") == 2019
    assert years("今年是“十四五”开局之年。") == 2021
    assert years("今年是“十三五”收官之年。") == 2020
    assert years("今年是我们党百年华诞。") == 2021
    assert years("今年是中國共產黨成立一百週年。") == 2021  # traditional characters, Chinese numerals


def test_a_lone_year_mention_is_no_point():
    # "2020年" may be this year's news or last year's figures: no point, and targets no floor.
    assert years("到2035年基本实现现代化。2030年前碳达峰。2020年，经济增长。") is None
    assert years("2021年新认定的企业技术中心。") is None
    assert years("各地积极行动。") is None


def test_a_year_reviewed_and_a_year_planned_meet():
    assert years("部署2025年度任务，全面总结2024年度工作。") == 2025


def test_a_past_day_later_than_the_datelines_moves_the_year_on():
    # Floor 2021 (two days of 2021 reported as past), ceiling 2022 (the congress still ahead):
    # a page of January 12th that looks back on November 9th is from 2022.
    text = "该毒株于2021年11月9日首次检测到，2021年10月起开展监测。以实际行动迎接党的二十大胜利召开。"
    assert years(text, datelines=[(1, 12)]) == 2022
    assert years(text, datelines=[(12, 1)]) == 2021


def test_datelines_across_new_year_belong_to_two_years():
    text = ("年终\n\n本报讯 12月30日，年会召开。\n\n新年\n\n本报讯 1月2日，新年音乐会举行。\n\n"
            "回顾\n\n2021年12月28日，大桥建成通车。2021年12月20日，隧道贯通。各地迎接党的二十大。\n")
    got = [d for _, d in dated(page(text))]
    assert got == [
        ("2021-12-30", 2021, "dateline"),
        ("2022-01-02", 2022, "dateline"),
        ("2022-01-02", 2022, "page"),
    ]


def test_page_header_gives_the_page_date():
    text = "人民日报 2021年1月8日 星期五\n\n大会召开\n\n本报讯 1月7日，大会召开。\n\n年终回顾\n\n本报讯 12月30日，年会召开。\n\n综述\n\n各地积极行动。\n"
    assert [d for _, d in dated(page(text))] == [
        ("2021-01-07", 2021, "dateline"),
        ("2020-12-30", 2020, "dateline"),
        ("2021-01-08", 2021, "page"),
    ]


def test_no_articles_no_dates():
    assert date_articles(page(""), []) == []
