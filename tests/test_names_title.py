"""A question that names an article's title in full asks about that article, not about a
namesake whose title merely holds the same words (前肛鳗 / 异齿前肛鳗): the re-rank's
names_title feature (fitted on CMRC trial, bench/fit_answers.py --only names_title)."""

from __future__ import annotations

import json

import pytest

from retrieval.answers import Query
from retrieval.rerank import names_title
from tests.conftest import archive_of_pages
from tests.test_answer_kinds import filler_pages

RECORDS = [
    # the article the question names: long, so BM25 alone puts it second
    ("银鲳", "银鲳是鲳科的一种海鱼，体形侧扁而高，头较小，吻圆钝，口小，牙细弱，背鳍和臀鳍呈镰刀状，尾鳍深叉形，"
             "体背部青灰色，腹部银白色，全身具细小圆鳞，容易脱落。主要分布于西太平洋沿岸，夏季洄游至近岸产卵，"
             "以浮游动物和小型底栖生物为食，是重要的经济鱼类。"),
    # a namesake: short, dense with the question's words
    ("灰银鲳", "灰银鲳以银鲳幼鱼为食。银鲳与灰银鲳同科。"),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    lines = [json.dumps({"id": f"r{i}", "title": title, "text": text}, ensure_ascii=False)
             for i, (title, text) in enumerate(RECORDS)]
    return archive_of_pages(tmp_path_factory.mktemp("names-title"), {"fish.jsonl": "\n".join(lines) + "\n"} | filler_pages())


def test_the_article_the_question_names_comes_before_its_namesake(archive):
    answers = archive.ask("银鲳以什么为食？").answers
    assert [a.paragraph.title for a in answers[:2]] == ["银鲳", "灰银鲳"]
    assert "浮游动物" in answers[0].quote


def _query(text: str, heads: tuple[str, ...]) -> Query:
    return Query(text, heads, {h: 1.0 for h in heads}, None, heads)


@pytest.mark.parametrize("title, named", [
    ("前肛鳗", True), ("异齿前肛鳗", False),
    ("雅芳河 (布里斯托)", True), ("大曲车站（秋田县）", False),  # a qualifier is not asked with
])
def test_a_title_is_named_in_full_without_its_qualifier(title, named):
    query = _query("前肛鳗和雅芳河有什么关系？", ("前肛鳗", "雅芳河", "关系"))
    assert names_title(query, title) is named


def test_a_one_character_title_counts_only_as_a_word_of_the_question():
    assert names_title(_query("䲟又叫做什么？", ("䲟", "叫做")), "䲟")
    assert not names_title(_query("全国有多少人？", ("全国", "多少")), "人")  # the 人 of 多少人 is no name


def test_a_question_naming_its_article_is_answered_though_the_archive_lacks_its_other_words(tmp_path):
    # 晚年, 官途, 最终, 终止 and 职位 are in no passage: the named article covers under the gate's 30 %
    records = [("许明远", "许明远，字致之，宋代官员，广东海阳人。历任知州、转运使，官至刑部郎中。")] + RECORDS
    lines = [json.dumps({"id": f"r{i}", "title": title, "text": text}, ensure_ascii=False)
             for i, (title, text) in enumerate(records)]
    archive = archive_of_pages(tmp_path, {"people.jsonl": "\n".join(lines) + "\n"} | filler_pages())
    answers = archive.ask("许明远晚年的官途最终终止于什么职位？").answers
    assert answers and answers[0].paragraph.title == "许明远"
    assert not archive.ask("李国华晚年的官途最终终止于什么职位？").answers  # no article named: still no answer
