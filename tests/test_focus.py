"""The leading article's answering paragraph: a news story names its subject first and
states the asked-for value further on (retrieval/focus.py). Made-up pages only."""

from __future__ import annotations

import pytest

from retrieval.focus import asked_unit, holds_count, unit_pattern
from tests.conftest import archive_of_pages
from tests.test_answer_kinds import filler_pages
from tests.test_newspaper_layout import LIST_PAGE

INDENT = "\u3000\u3000"

# The subject (the depot, the dispatcher's job) is in the first paragraph, which shares
# most of the question's words; the count is in the next one, which names her only.
DEPOT_PAGE = "\n".join([
    "守护万家灯火的调度员",
    "",
    f"{INDENT}“哪有时间休息，眼下最要紧的是不能让一个加油站断油。”在江北省青湾市石河油库，油品调度员周晓梅笑着说。",
    f"{INDENT}春节车多人急，一刻也不能停。周晓梅管理着318座加油站的供需，每天要接几百个电话。",
    f"{INDENT}她说，守住岗位就是守住万家团圆。",
    "",
])

# The event's date is the dateline; a later paragraph repeats the event's words with another date.
MEETING_PAGE = "\n".join([
    "东岭区召开春季植树动员会",
    "",
    f"{INDENT}本报东岭3月2日电  2日，东岭区举行春季植树动员会，部署今年的植树工作。",
    f"{INDENT}会议回顾说，东岭区2021年召开的春季植树动员会效果很好，今年要再上台阶。",
    "",
])


# One paragraph: the subject and the words of the question first, the sum two sentences on.
SALES_PAGE = "\n".join([
    "平台经济带火农产品",
    "",
    f"{INDENT}南岭县是传统的农业大县，近年来通过电商卖农产品，加快构建电商服务体系。去年以来，南岭县与多家平台签订合作协议。"
    f"借助电商的东风，全年销售累计金额2.3亿元。",
    "",
])


# Any kind of question: the first paragraph repeats the question's setting, the next one
# says what the new way is (and names the setting only in part).
HOLIDAY_PAGE = "\n".join([
    "南湖区假日见闻",
    "",
    f"{INDENT}国庆假期，南湖区游客众多。微信里传来焦急的声音，南湖区街道干部立刻赶往地铁站口，疏导游客，服务游客。",
    f"{INDENT}“干部巡街+景区指挥部”成为南湖区假期服务的新办法。干部轮流上街巡逻，戴上红袖章，实现景区网格化管控。",
    f"{INDENT}南湖区的假日经济也越来越红火。",
    "",
])


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    pages = {"depot.txt": DEPOT_PAGE, "meeting.txt": MEETING_PAGE, "jobs.txt": LIST_PAGE,
             "sales.txt": SALES_PAGE, "holiday.txt": HOLIDAY_PAGE}
    return archive_of_pages(tmp_path_factory.mktemp("focus"), pages | filler_pages())


def test_count_in_the_paragraph_after_the_one_naming_the_subject(archive):
    first = archive.ask("青湾市石河油库的油品调度员要保障多少座加油站供油？").answers[0]
    assert "318座" in first.quote
    assert first.paragraph.line_start == 4


def test_dateline_paragraph_answers_when_over_one_repeating_the_event(archive):
    first = archive.ask("东岭区春季植树动员会是哪天召开的？").answers[0]
    assert first.paragraph.line_start == 3 and "3月2日" in first.quote


def test_paragraph_saying_what_is_asked_over_one_repeating_the_setting(archive):
    first = archive.ask("国庆假期南湖区用什么新办法服务游客？").answers[0]
    assert first.paragraph.line_start == 4 and "干部巡街+景区指挥部" in first.quote


def test_quote_holds_the_sum_a_money_question_asks_for(archive):
    first = archive.ask("南岭县通过电商一年卖出多少钱的农产品？").answers[0]
    assert "2.3亿元" in first.quote and first.answer == "2.3亿元"


def test_list_question_quotes_the_items_of_a_list_set_as_paragraphs(archive):
    first = archive.ask("东岭区出台了哪些稳就业措施？").answers[0]
    assert "一是扩大岗位供给" in first.quote and "二是加强技能培训" in first.quote


@pytest.mark.parametrize("question, unit", [
    ("青湾市的调度员要保障多少座加油站？", "座"),
    ("毛里湖的水质达到了几类？", "类"),
    ("这条公路有多少公里长？", "公里"),
    ("武汉三年种了多少棵树？", "棵"),
    ("双边贸易额有多少？", None),
    ("林永康有几个孩子？", None),  # 个 is every noun's measure word: the answer may say 3名子女
    ("这个村有几位农民诗人？", "位"),
    ("一年卖出多少钱的农产品？", "元"),
    ("两人见面只有多长时间？", None),  # a length of time comes in any unit
])
def test_the_unit_a_number_question_asks_in(question, unit):
    assert asked_unit(question) == unit


def test_a_count_is_a_number_in_that_unit_or_its_other_written_form():
    trees = unit_pattern("棵")
    assert holds_count(trees, "三年来累计种树36万株")
    assert holds_count(unit_pattern("公里"), "凿出一条公路，长度十一公里")
    assert not holds_count(unit_pattern("座"), "不能让一座加油站断油")  # "a filling station"
    assert not holds_count(unit_pattern("座"), "有226个加油站")
    assert holds_count(unit_pattern("元"), "斥资77亿美元收购")  # a sum in any currency
    assert holds_count(unit_pattern("米"), "跟踪距离40km")
