"""Factoid questions name a relation of their subject (国籍, 职业, 籍贯, 又叫) that the answering
sentence states without the question's word: "巴西排球运动员", "江西吉安人", "又名花背蛙". The quote
is that sentence, not a later one that happens to print the question's word ("担任", "叫声")."""

from __future__ import annotations

import pytest

from retrieval.relations import relations_asked
from tests.conftest import archive_of_pages
from tests.test_answer_kinds import filler_pages

# Made-up articles written as encyclopedias and newspapers introduce a person or a thing:
# the first sentence says what it is, the rest tells its story.
PAGES = {
    "2021-03-02.txt": """京剧演员周明远

周明远（1932年－2001年），中国京剧演员，工老生。周明远自幼随父学戏，十七岁登台，唱腔苍劲。1950年他进入北京京剧团，此后担任主演多年，演出剧目上百出。晚年他在北京戏曲学校任教，培养了许多学生。

""",
    "2021-03-03.txt": """排球名将桑托斯

玛丽亚·桑托斯（1985年－），巴西排球运动员，司职主攻。她身高1米88，弹跳出色，扣球力量很大。桑托斯先后效力于意大利、土耳其和日本的俱乐部，在每一支球队都是得分最多的球员。2004年桑托斯入选国家队，此后代表国家队参加了三届奥运会。

""",
    "2021-03-04.txt": """明代学者刘承德

刘承德，字子厚，江西吉安人。明代学者，嘉靖年间进士。刘承德为官清廉，在地方上兴修水利，百姓称颂。后来刘承德辞官，移居南昌府城，与当地的文人一起讲学著书，门人众多。

""",
    "2021-03-06.txt": """清代大臣王承业

王承业，字子敬，直隶人，清代大臣。顺治年间中进士，历任知县、知府，为官勤勉。康熙十年他病逝于任上，朝廷追赠太子太保，谥文恪。他的号是静庵，著有文集十卷，流传后世。

""",
    "2021-03-08.txt": """画家陈远山

陈远山，字伯高，浙江绍兴人，清代画家。他早年随叔父学画，中年游历各地，画风渐成。1894年他病逝于苏州，年六十二岁。他的画作多藏于江南的寺院和藏家手中。后人为他编印了画集，流传很广。当年随他学画、卒业于书院的弟子多达百人。

""",
    "2021-03-05.txt": """山溪里的石斑蛙

石斑蛙（学名：），又名花背蛙，是一种生活在山溪里的蛙。它们体长约8厘米，背部有深色斑点，以昆虫为食。冬季它们躲在石缝中冬眠，春天醒来。繁殖季节雄蛙在夜间发出响亮的叫声，石斑蛙的叫声在很远处都能听到，这也是它名字的来历。

""",
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return archive_of_pages(tmp_path_factory.mktemp("relations"), PAGES | filler_pages())


@pytest.mark.parametrize("question, answer", [
    ("周明远的职业是什么？", "京剧演员"),          # not "此后担任主演多年" (担任: a synonym of 职业)
    ("玛丽亚·桑托斯的国籍是哪个国家？", "巴西"),    # not the sentence of the countries she played in
    ("刘承德的籍贯是哪里？", "江西吉安"),            # not the city he moved to
    ("石斑蛙又可以叫什么名字？", "花背蛙"),        # not the sentence that prints 叫 in 叫声
    ("王承业的谥号是什么？", "文恪"),              # not the sentence that prints 号 in 他的号是
    ("陈远山卒于哪一年？", "1894年"),              # 病逝, not the sentence printing 卒 in 卒业
])
def test_the_sentence_that_states_the_relation_is_the_quote(archive, question, answer):
    first = archive.ask(question).answers[0]
    assert answer in first.quote, first.quote


@pytest.mark.parametrize("question, asked", [
    ("他的国籍是哪个国家？", "国籍"), ("张三的职业是什么？", "职业"), ("李四是哪里人？", "哪里人"),
    ("《某书》的作者是谁？", "作者"), ("这种鸟又叫什么？", "又叫"), ("该物种分布在哪个地区？", "哪个地区"),
    ("某某的谥号是什么？", "谥号"), ("这场战役的结果是什么？", "战役的结果"), ("这种恐龙生活在什么时期？", "什么时期"),
])
def test_the_relation_asked_is_found_in_the_question(question, asked):
    assert asked in [words for words, _ in relations_asked(question)]


def test_a_question_naming_no_relation_asks_none():
    assert relations_asked("东城区秋季运动会有多少名运动员参加？") == ()
