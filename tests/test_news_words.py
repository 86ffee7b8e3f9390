"""How newspapers name what a question asks: people by their role ("首席研究员赵某"), a
founder as 创始人 for a question's 创立. Made-up sentences."""

from __future__ import annotations

import pytest

from retrieval.answers import Query, asks_for, best_quote, typed_spans
from retrieval.normalize import fold


@pytest.mark.parametrize("text, name", [
    ("全国人大代表、青湾市农科院首席研究员林秋禾 让稻田长出好日子", "林秋禾"),
    ("“汴梁灯笼王”传承人王小川 好灯笼 代代传", "王小川"),
    ("青湾市焊接技术协会会长赵明远说，焊工要耐得住寂寞。", "赵明远"),
])
def test_a_person_named_by_a_newspaper_role_is_a_person_span(text, name):
    folded = fold(text)
    assert name in [folded[s:e] for s, e in typed_spans("person", folded, 0, len(folded), [])]


def test_a_role_followed_by_is_does_not_start_a_name():
    folded = fold("目前社长是藤岛茱莉景子。")
    assert typed_spans("person", folded, 0, len(folded), []) == []


def test_founded_is_asked_as_created_and_printed_as_founder():
    """创立 in the question, 创始人 in the text: the sentence naming the founder is the quote."""
    text = "“灯笼王”第七代传人王小川说，扎灯笼是手艺活儿。“灯笼王”创始人王大有擅长书画，会画、会写、会印。"
    question = "“灯笼王”是谁创立的？"
    heads = ("灯笼", "王", "创立")
    query = Query(question, heads, {"灯笼": 3.0, "王": 1.0, "创立": 4.0}, asks_for(question), heads)
    lo, hi = best_quote(text, query, 30)
    assert text[lo:hi].startswith("“灯笼王”创始人王大有")


def test_joining_the_army_is_printed_as_becoming_a_soldier():
    """参军 in the question, 战士 / 入伍 in the text: the sentence with the year he joined."""
    text = "1956年初春，他回到家乡，学会了生活自理。1947年，14岁的他成为一名解放军战士，参加了上百次战斗。"
    question = "他是哪一年参军的？"
    query = Query(question, ("年", "参军"), {"年": 0.5, "参军": 4.0}, asks_for(question), ("年", "参军"))
    lo, hi = best_quote(text, query, 40)
    assert text[lo:hi].startswith("1947年")
