"""Describe and why questions: the quote that holds the description or the cause.

A why question's event is often restated after a consequence word ("…。因此村里决定修建…"):
its cause is the text before, so the quote is the window that holds a cause (`cause`). A
describe question names its subject and an attribute ("…的卵有什么特征"): the answer is the
clause that opens with the attribute ("卵为淡黄色"), not the definition that names the
subject (`attribute_opens`), and a creature's habits are written 栖息 / 觅食 / 为食, never
习性. "被称为什么", "封为什么官职" ask for a name, not a reason.
"""

from __future__ import annotations

import pytest

from retrieval.answers import WINDOW_FEATURES, asks_for, definition_pattern, holds_cause, opens_with, window_table
from tests.conftest import archive_of_pages
from tests.test_answer_kinds import filler_pages

BRIDGE = """河东村建成新石桥

本报讯 河东村新修的石桥日前正式通行。过去村民到对岸的镇上赶集要绕行五公里山路，每逢雨季河水上涨，常有学生无法按时上学。因此村里决定修建这座石桥。石桥全长三十米，宽四米，可以通行小型货车。

"""

FISH = """海洋馆新添青斑石鱼

本报讯 市海洋馆近日展出了一批青斑石鱼。青斑石鱼是一种近海小型鱼类，为鲈形目石鱼科的其中一种。体长可达十公分，体色青灰。卵为淡黄色，一次约三十粒。本鱼多栖息在礁石缝隙之间，白天躲藏，夜间出来觅食，以小虾为食。

"""


EXHIBIT = """海洋馆新添展品

本报讯 市海洋馆近日新添一批展品，其中有渔民捐赠的青斑石鱼标本，青斑石鱼是近海小型鱼类，属石鱼科。体长可达十公分，体色青灰。卵为淡黄色，一次约三十粒。

"""


GLOSSARY = """农技小词典

本报讯 秋收以后，不少农户来信询问怎样施肥，记者为此走访了县农技站。测土配方施肥（简称配方肥）是指以土壤测试和肥料田间试验为基础，提出氮、磷、钾等肥料的施用数量和时期。县农技站每年都组织测土配方施肥培训。

"""

VOLUNTEER = """社区里的热心人

本报讯 退休教师王秀兰今年六十五岁，在社区已经住了三十年。王秀兰退休前在县第一中学教了三十多年语文，带出过许多优秀学生。她平时喜欢书法和养花，每周都到社区活动室教孩子们写毛笔字。

"""


SHELL = """海洋馆新添金纹石鱼

本报讯 市海洋馆近日又展出了一批沿海渔民捐赠的观赏鱼，其中有十多条金纹石鱼。

金纹石鱼体呈长椭圆形而侧扁。体色金黄，体侧有五条黑色横纹。尾鳍截形，边缘黑色。这种鱼游得很慢，常常停在水草之间。

"""


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    pages = {"2023-05-06.txt": BRIDGE, "2023-05-07.txt": FISH, "2023-05-08.txt": EXHIBIT,
                                                                     "2023-05-09.txt": GLOSSARY, "2023-05-10.txt": VOLUNTEER,
                                                                     "2023-05-11.txt": SHELL} | filler_pages()
    return archive_of_pages(tmp_path_factory.mktemp("describe-why"), pages)


def test_a_why_question_quotes_the_cause_not_the_restated_consequence(archive):
    first = archive.ask("河东村为什么要修建石桥？").answers[0]
    assert "绕行五公里" in first.quote


def test_a_describe_question_quotes_the_clause_that_names_the_attribute(archive):
    first = archive.ask("青斑石鱼的卵有什么特征？").answers[0]
    assert "卵为淡黄色" in first.quote


def test_a_describe_questions_subject_counts_as_known_like_a_title(archive):
    # the headline does not name the fish: the sentence naming it must not win for naming it
    answers = archive.ask("青斑石鱼标本的卵有什么特征？").answers
    first = next(a for a in answers if "海洋馆新添展品" in a.paragraph.title)
    assert "卵为淡黄色" in first.quote


@pytest.mark.parametrize("question", ["测土配方施肥的定义是什么？", "测土配方施肥指的是什么？", "什么是测土配方施肥？"])
def test_a_what_is_x_question_quotes_the_sentence_that_defines_x(archive, question):
    assert "是指以土壤测试" in archive.ask(question).answers[0].quote


def test_only_the_sentence_that_defines_the_term_is_marked(archive):
    text = "县农技站每年都组织测土配方施肥培训。测土配方施肥（简称配方肥）是指以土壤测试为基础施肥。"
    marked = {text[lo:hi] for (lo, hi), row in zip(*window_table(text, archive.query("什么是测土配方施肥？"), 160))
              if row[WINDOW_FEATURES.index("defines")]}
    assert marked == {"测土配方施肥（简称配方肥）是指以土壤测试为基础施肥。", text}
    assert definition_pattern(archive.query("测土配方施肥有什么好处？")) is None


def test_a_hobby_is_written_as_what_one_likes(archive):
    assert "喜欢书法和养花" in archive.ask("王秀兰有什么爱好？").answers[0].quote


def test_a_description_may_run_over_three_sentences(archive):
    quote = archive.ask("金纹石鱼的外形有什么特征？").answers[0].quote
    assert "体呈长椭圆形" in quote and "尾鳍截形" in quote


def test_only_a_clause_opening_with_the_attribute_is_marked(archive):
    query = archive.query("青斑石鱼的卵有什么特征？")
    text = "每年春季，雌鱼在礁石下产卵。卵为淡黄色，一次约三十粒。"
    windows, rows = window_table(text, query, 160, "海洋馆新添青斑石鱼")
    marked = {text[lo:hi] for (lo, hi), row in zip(windows, rows) if row[WINDOW_FEATURES.index("attribute_opens")]}
    assert "卵为淡黄色，一次约三十粒。" in marked and "每年春季，雌鱼在礁石下产卵。" not in marked


def test_habits_are_written_as_what_the_creature_does(archive):
    first = archive.ask("青斑石鱼的生活习性是怎样的？").answers[0]
    assert "栖息在礁石缝隙" in first.quote


@pytest.mark.parametrize("question", ["这种理论又被称为什么理论？", "和语在日语中被称为什么？", "五月艾在四川称之为什么？"])
def test_what_a_thing_is_called_is_an_alias_question(question):
    assert asks_for(question) == "alias"


@pytest.mark.parametrize("question", ["李思摩被册封为什么官职？", "华北陆块成为什么的一部分？"])
def test_a_verbs_wei_before_shenme_is_no_why(question):
    assert asks_for(question) != "reason"


def test_why_is_still_why():
    assert asks_for("司马晏为什么被抓？") == "reason" and asks_for("为什么要修建石桥？") == "reason"


def test_a_cause_is_a_cause_word_or_text_before_a_consequence():
    assert holds_cause("由于河水上涨，学生无法上学。")
    assert holds_cause("雨季常有学生无法上学。因此村里决定修桥。")
    assert not holds_cause("因此村里决定修建这座石桥。")


def test_the_attribute_opens_a_clause():
    assert opens_with("体长可达十公分，卵为淡黄色。", ("卵",))
    assert not opens_with("雌鱼每次产下许多卵。", ("卵",))
