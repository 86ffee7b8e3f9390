"""A question that spells out "中国和俄罗斯" finds the page that prints "中俄" (and back)."""

from __future__ import annotations

from retrieval.abbreviations import expansions
from tests.conftest import archive_of_pages

PAGES = {
    "a.txt": "中俄经贸\n\n　　2018年中俄双边贸易额达到创纪录的1070.6亿美元，增幅27.1%。\n",
    "b.txt": "留学热\n\n　　两国双边贸易额实现大幅增长，俄罗斯国内对汉语人才需求急剧增加，汉语学习日渐火热。\n",
    "c.txt": "中美对话\n\n　　美国商界代表团访华，与中方企业就农产品贸易展开对话。\n",
}


def test_a_pair_spelled_out_searches_for_its_short_form_and_back():
    assert expansions("中国和俄罗斯的双边贸易额有多少？") == ["中俄"]
    assert expansions("俄罗斯与中国的贸易额") == ["中俄"]
    assert expansions("中美关系如何") == ["美国"]
    # Words that only begin with 中 + a country's character are no pair.
    assert expansions("中西医结合") == [] and expansions("中美洲的咖啡") == [] and expansions("中国人民") == []


def test_the_page_that_prints_the_short_form_answers(tmp_path):
    archive = archive_of_pages(tmp_path, PAGES)
    found = archive.ask("中国和俄罗斯的双边贸易额有多少？").answers
    assert found[0].paragraph.path == "a.txt" and "1070.6亿美元" in found[0].quote
    archive.index.close()
