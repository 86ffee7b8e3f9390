"""Which of the leading articles answers a count question (retrieval/article_choice.py):
two articles on one subject, only one states a count in the unit asked. Made-up pages only."""

from __future__ import annotations

import pytest

from retrieval.answers import Query
from retrieval.article_choice import article_with_unit, covering_more
from retrieval.models import Paragraph
from tests.conftest import archive_of_pages
from tests.test_answer_kinds import filler_pages

INDENT = "\u3000\u3000"

# A picture story: the subject's words again and again, no count of poets.
CONTEST_PAGE = "\n".join([
    "门前搭台 田埂赛诗",
    "",
    f"{INDENT}2月5日，大年初一，在江北省东坝乡石门村，一场赛诗会正在举行。石门村的农民诗人登台朗诵，"
    f"农民诗人用一首首诗歌赞颂新时代，台下的村民为农民诗人喝彩。",
    "",
])
# The feature pages later: the village's poets counted, in a paragraph that names them once.
FEATURE_PAGE = "\n".join([
    "乡土里满溢醉人诗情",
    "",
    f"{INDENT}走进东坝乡石门村，几位农民诗友正在村民家里朗诵诗歌。",
    f"{INDENT}村里的诗歌黑板报一块接一块。村里现有诗人约60位，每年都自发举行大小赛诗会二三十场。",
    "",
])
QUESTION = "东坝乡石门村有多少位农民诗人？"

# The subject's words (in the headline too), a figure for another span of time...
QUARTERS_PAGE = "\n".join([
    "青湾市居民人均可支配收入稳步增长",
    "",
    f"{INDENT}前三季度青湾市居民人均可支配收入实际增长6.1%，跑赢经济增速。",
    "",
])
# ...and, in a long paragraph under an unrelated headline, the figure the question's
# qualifiers (改革开放40年, 增加到) ask for.
FORTY_YEARS_PAGE = "\n".join([
    "坚定信心 砥砺前行",
    "",
    f"{INDENT}改革开放40年来，我们始终坚持以人民为中心，不断改善人民生活、增进人民福祉，教育、医疗、养老、住房等"
    f"各项事业全面进步，城乡面貌焕然一新，群众出行更方便，看病就医更便捷，孩子上学更舒心，文化生活更丰富，"
    f"街巷更整洁，公园更多了。40年来，青湾市居民人均可支配收入由171元增加到2.8万元，中等收入群体持续扩大。",
    "",
])
# The qualifiers are common words of the archive, as 改革开放40年 was in 2019.
HISTORY_PAGES = {f"history{n}.txt": f"{town}的变迁\n\n{INDENT}改革开放40年来，{town}的粮食产量增加了{n + 2}倍，"
                 f"道路里程增加到{n + 30}公里。\n"
                 for n, town in enumerate(("北山县", "南湖区", "西岭镇", "东坝乡", "青石市", "白沙县", "红河镇", "金田乡"))}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    pages = {"contest.txt": CONTEST_PAGE, "feature.txt": FEATURE_PAGE, "quarters.txt": QUARTERS_PAGE,
             "forty.txt": FORTY_YEARS_PAGE}
    return archive_of_pages(tmp_path_factory.mktemp("articles"), pages | HISTORY_PAGES | filler_pages())


def test_the_article_stating_a_count_in_the_asked_unit_leads(archive):
    first = archive.ask(QUESTION).answers[0]
    assert first.paragraph.path == "feature.txt" and first.answer == "60位"


def test_a_question_naming_no_unit_keeps_the_order(archive):
    first = archive.ask("东坝乡石门村的赛诗会是什么时候举行的？").answers[0]
    assert first.paragraph.path == "contest.txt"


def test_the_candidate_covering_the_questions_qualifiers_leads(archive):
    first = archive.ask("改革开放40年青湾市居民人均可支配收入增加到了多少？").answers[0]
    assert first.paragraph.path == "forty.txt" and "2.8万元" in first.quote


def test_covering_more_needs_a_clear_gap_and_a_span_of_the_asked_kind():
    assert covering_more([0.6, 0.7, 0.95], [1.0, 1.0, 1.0]) == 2
    assert covering_more([0.6, 0.7, 0.95], [1.0, 1.0, 0.0]) == 0
    assert covering_more([0.6, 0.85], [1.0, 1.0]) == 0


def _paragraph(path: str, text: str, title: str = "") -> Paragraph:
    return Paragraph(id=path, path=path, line_start=1, line_end=1, title=title, date=None, date_source="none",
                     text=text)


def test_first_article_stating_the_count_wins_and_the_lead_keeps_its_place_when_it_does():
    query = Query(QUESTION, ("石门村",), {"石门村": 1.0}, "number")
    none, states, also = (_paragraph("a", "石门村的赛诗会。"), _paragraph("b", "诗人约60位。"),
                          _paragraph("c", "诗人有70位。"))
    alone = lambda p: [p]  # noqa: E731 (each paragraph its own article)
    same = [0.5, 0.5, 0.5]
    assert article_with_unit([none, states, also], same, query, alone) == 1
    assert article_with_unit([also, none, states], same, query, alone) == 0
    assert article_with_unit([none, _paragraph("d", "赛诗会", title="村里诗人约60位")], same, query, alone) == 1
    assert article_with_unit([none, none], same, query, alone) == 0
    # a count about another subject (covering less of the question) does not lead
    assert article_with_unit([none, states, also], [0.5, 0.3, 0.6], query, alone) == 2

