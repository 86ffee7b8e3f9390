"""Which of the leading articles answers a count question (retrieval/article_choice.py):
two articles on one subject, only one states a count in the unit asked. Made-up pages only."""

from __future__ import annotations

import pytest

from retrieval.answers import Query
from retrieval.article_choice import article_with_unit
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


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    pages = {"contest.txt": CONTEST_PAGE, "feature.txt": FEATURE_PAGE}
    return archive_of_pages(tmp_path_factory.mktemp("articles"), pages | filler_pages())


def test_the_article_stating_a_count_in_the_asked_unit_leads(archive):
    first = archive.ask(QUESTION).answers[0]
    assert first.paragraph.path == "feature.txt" and first.answer == "60位"


def test_a_question_naming_no_unit_keeps_the_order(archive):
    first = archive.ask("东坝乡石门村的赛诗会是什么时候举行的？").answers[0]
    assert first.paragraph.path == "contest.txt"


def _paragraph(path: str, text: str, title: str = "") -> Paragraph:
    return Paragraph(id=path, path=path, line_start=1, line_end=1, title=title, date=None, date_source="none",
                     text=text)


def test_first_article_stating_the_count_wins_and_the_lead_keeps_its_place_when_it_does():
    query = Query(QUESTION, ("石门村",), {"石门村": 1.0}, "number")
    none, states, also = (_paragraph("a", "石门村的赛诗会。"), _paragraph("b", "诗人约60位。"),
                          _paragraph("c", "诗人有70位。"))
    alone = lambda p: [p]  # noqa: E731 (each paragraph its own article)
    assert article_with_unit([none, states, also], query, alone) == 1
    assert article_with_unit([also, none, states], query, alone) == 0
    assert article_with_unit([none, _paragraph("d", "赛诗会", title="村里诗人约60位")], query, alone) == 1
    assert article_with_unit([none, none], query, alone) == 0
