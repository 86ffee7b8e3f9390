"""The dating engine: each kind of evidence on short made-up texts, the misleading ones too,
and how the page's estimate turns into points, ranges and unknowns."""

from __future__ import annotations

import pytest

from retrieval.date_evidence import combine, page_evidence
from retrieval.dates import dates_of_articles, estimate_year
from retrieval.layout import split_articles
from retrieval.models import SourceDoc
from retrieval.normalize import fold


def estimate(*texts: str, datelines=()):
    return estimate_year([fold(t) for t in texts], list(datelines))


def kinds(text: str, day=None) -> set[str]:
    return {e.kind for e in page_evidence(fold(text), day)}


# --- kinds of evidence that earn a point ---------------------------------------------------


@pytest.mark.parametrize("text, year", [
    ("今年是新中国成立70周年，各地举办活动。", 2019),
    ("今年是中国共产党成立100周年。", 2021),
    ("今年是“十四五”开局之年。", 2021),
    ("今年是“十三五”收官之年。", 2020),
    ("今年是改革开放四十周年。", 2018),
])
def test_a_page_that_names_its_year(text, year):
    found = estimate(text)
    assert found.year == year and found.kind == "stated"
    assert "今年是" in found.label() and str(year) in found.label()


def test_anniversaries_covered_in_their_year():
    text = "庆祝新中国成立70周年。群众游行庆祝中华人民共和国成立70周年。"
    assert estimate(text, datelines=[(10, 2)]).year == 2019


def test_an_anniversary_early_in_the_year_may_be_last_years():
    # In February a page still looks back on December's "改革开放40周年" celebration.
    text = "庆祝改革开放40周年大会隆重举行。改革开放40周年成就展。"
    assert estimate(text, datelines=[(2, 14)]).year is None
    assert estimate(text, datelines=[(10, 14)]).year == 2018


def test_an_anniversary_phrased_in_the_past_is_no_evidence():
    assert "anniversary" not in kinds("去年是改革开放40周年，今年各地继续推进。")
    assert "anniversary" not in kinds("学习在庆祝改革开放40周年大会上的讲话精神。")
    assert "anniversary" not in kinds("明年是新中国成立70周年。")


def test_a_zodiac_year_needs_something_else_to_pick_its_cycle():
    assert estimate("猪年春节到来，家家户户贴春联。").year is None  # 2019, 2007, 1995 …
    assert estimate("猪年春节到来。2019年春运开始。").year == 2019


def test_a_ganzhi_year():
    assert estimate("农历己亥年春节，2019年春运。").year == 2019
    # Names of history are no calendar: 辛亥革命 and 甲午战争 say nothing of the page.
    assert not {"ganzhi", "zodiac"} & kinds("纪念辛亥革命，回顾甲午战争。")


def test_a_weekday_printed_with_a_date_fixes_the_year():
    found = estimate("本报记者 2月3日(星期日)报道。2018年，全市经济增长。")
    assert found.year == 2019  # 2月3日 was a Sunday in 2019 (and 2013, 2008, …), and 2018年 is near
    assert found.kind == "weekday"


# --- floors, ceilings and ranges -------------------------------------------------------------


def test_words_that_did_not_exist_before_give_a_floor():
    found = estimate("各地做好新冠肺炎疫情防控工作。")
    assert found.year is None and found.lo == 2020 and found.hi is None


def test_an_ordinal_event_gives_a_floor():
    found = estimate("深入学习贯彻党的十九届四中全会精神。")
    assert found.year is None and found.lo == 2018  # a preview may come the year before
    assert estimate("十三届全国人大二次会议开幕。").lo == 2018
    assert estimate("第二届中国国际进口博览会。").lo == 2018


def test_a_history_is_not_the_page_year():
    found = estimate("1942年5月，延安文艺座谈会召开。1942年5月23日，毛泽东作总结讲话。")
    assert found.year is None and found.lo == 1942
    assert estimate("1942年5月，延安文艺座谈会召开。", "今年是新中国成立70周年。").year == 2019


def test_plans_and_targets_are_not_the_present():
    found = estimate("到2035年基本实现现代化。2030年前实现目标。力争2025年建成。")
    assert found.year is None and found.lo is None


def test_a_january_review_of_last_year_is_not_dated_last_year():
    review = ("2018年，全市经济增长6.6%。2018年12月，新机场通航。2018年11月，大桥通车。"
              "2018年全年，城镇新增就业1361万人。")
    found = estimate(review, datelines=[(1, 15)])
    assert found.year is None and found.lo == 2018  # 2018 or later: never 2018 as a fact


def test_a_reviewed_year_and_a_planned_year_meet():
    found = estimate("我市召开2024年度人才工作述职会，总结2024年度工作，部署2025年度任务。")
    assert (found.year, found.kind) == (2025, "bounds")


def test_an_event_still_ahead_gives_a_ceiling():
    found = estimate("以实际行动迎接党的二十大胜利召开。")
    assert found.year is None and (found.lo, found.hi) == (2021, 2022)  # the word itself: 2021+


def test_an_event_ahead_in_a_history_bounds_nothing():
    # A history retold: "迎接新中国成立10周年" says nothing of when the page was printed.
    found = estimate("1959年春，工人们夜以继日，迎接新中国成立10周年。")
    assert found.hi is None
    # Beside something that places the page in its era, it is still a ceiling.
    found = estimate("喜迎新中国成立70周年。学习十九大精神。")
    assert (found.lo, found.hi) == (2017, 2019)


def test_a_ceiling_that_contradicts_the_floors_gives_way():
    text = "为迎接新中国成立10周年，1958年建成。2019年1月，2019年2月，市里举办活动。"
    found = estimate(text)
    assert found.lo == 2019 and found.hi is None


def test_no_evidence_is_unknown():
    found = estimate("各地积极行动。")
    assert (found.year, found.lo, found.hi) == (None, None, None)
    assert combine([]).year is None


# --- articles: point, range or unknown, with the evidence in words ---------------------------


def article_dates(text: str):
    doc = SourceDoc(path="made-up.txt", text=text)
    return dates_of_articles(doc, [a for a in split_articles(doc) if a.blocks])


def test_a_dateline_on_a_page_with_a_point_year():
    found = article_dates("会议召开\n\n本报北京10月8日电 今年是新中国成立70周年，会议召开。\n")[0]
    assert (found.date, found.year, found.source) == ("2019-10-08", 2019, "dateline")
    assert found.date_min == "2019-10-08" and found.date_max == "2019-10-22"
    assert found.evidence.startswith("dateline 10月8日; 今年是新中国成立70周年 → 2019")


def test_a_dateline_on_a_page_without_a_point_year_is_a_range():
    found = article_dates("抗疫\n\n本报北京2月3日电 各地做好新冠肺炎疫情防控工作。\n")[0]
    assert (found.date, found.year, found.source) == (None, None, "inferred")
    assert found.date_min == "2020-02-03" and found.date_max is None  # "2020 or later"
    assert "新冠肺炎 → 2020+" in found.evidence


def test_an_article_with_nothing_is_unknown():
    found = article_dates("综述\n\n各地积极行动。\n")[0]
    assert (found.date, found.year, found.source, found.date_min, found.date_max) == (None, None, "none", None, None)


def test_every_article_of_a_page_shares_its_year():
    text = ("甲\n\n本报北京10月8日电 会议召开。\n\n乙\n\n近日，各地积极行动。\n\n"
            "丙\n\n今年是新中国成立70周年。\n")
    found = article_dates(text)
    assert {d.year for d in found} == {2019}
    assert [d.source for d in found] == ["dateline", "page", "page"]


@pytest.mark.parametrize("text, year", [
    ("今天是第六个国家扶贫日，各地开展活动。", 2019),
    ("在第35个教师节到来之际，向全国教师致以节日的祝贺。", 2019),
    ("第二个“中国农民丰收节”在各地举行。", 2019),
])
def test_the_nth_yearly_day_names_its_year(text, year):
    found = estimate(text)
    assert (found.year, found.kind) == (year, "observance")
    assert str(year) in found.label()


def test_an_ordinal_that_is_no_yearly_day_is_no_evidence():
    assert "observance" not in kinds("这是他第六个在岗位上度过的春节。第二个工作日。")


def test_a_lunar_year_the_bounds_leave_alone_is_a_point():
    # 猪年 is 2007, 2019, 2031 …; "十九大" (2016 or later) leaves 2019 while 2031 is to come.
    assert estimate("猪年春节到来，家家户户学习十九大精神。").year == 2019
    assert estimate("猪年春节到来，家家户户贴春联。").year is None  # nothing bounds it


def test_a_weekday_of_an_earlier_event_is_not_the_page_year():
    # 11月28日 was a Monday in 2016 and 2022, and "十九届" (2017 or later) leaves 2022 alone:
    # but the event may be years before the page.
    text = "调查显示，11月28日(星期一)上午，他向程某谎称案卷丢失。学习十九届中央委员会精神。"
    assert estimate(text).year is None
