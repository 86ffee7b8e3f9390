"""The asked-for span in the words text uses for it: a transliterated name joined by "·", a
country or continent named bare."""

from __future__ import annotations

import pytest

from retrieval.answers import typed_spans
from retrieval.normalize import fold


def spans(kind: str, text: str) -> list[str]:
    folded = fold(text)
    return [folded[s:e] for s, e in typed_spans(kind, folded, 0, len(folded), [])]


@pytest.mark.parametrize("text, name", [
    ("这部小说由史蒂芬·金在1987年出版。", "史蒂芬·金"),          # a foreign name: its parts joined by ·
    ("首任总统是拉姆·巴兰·亚达夫，任期五年。", "拉姆·巴兰·亚达夫"),
])
def test_a_name_is_a_person_span(text, name):
    assert name in spans("person", text)


@pytest.mark.parametrize("text, place", [
    ("这种蛇主要分布于非洲。", "非洲"), ("它是栖息在南亚的野驴亚种。", "南亚"), ("他是巴西足球运动员。", "巴西"),
])
def test_a_country_or_continent_is_a_place_span(text, place):
    assert place in spans("place", text)


def test_a_sentence_without_a_name_has_no_person_span():
    assert spans("person", "这条公路全长十二公里，设计时速八十公里。") == []


def test_sentence_spans_joined_are_the_window_searched_whole(monkeypatch):
    # The chooser finds each sentence's words and spans once and joins them for a window of whole
    # sentences; searching every window on its own must give the same feature rows.
    from retrieval import answers
    from retrieval.answers import Query, window_table

    text = ("东城区第十届秋季运动会于9月18日上午在区体育中心开幕，共有32支代表队的1500名运动员参加。"
            "区体育局局长李华介绍，本届运动会首次设立了老年人项目。\n比赛由史蒂芬·金和王明担任裁判，"
            "赛期五天，各街道组织了啦啦队，巴西和非洲的来宾也到场观看。去年的运动会有1200名运动员参加，"
            "今年增加了300名。")
    for question, kind in (("运动会有多少名运动员参加？", "number"), ("谁担任裁判？", "person"),
                           ("来宾来自哪里？", "place"), ("运动会什么时候开幕？", "time")):
        terms = ("运动会", "运动员", "参加", "裁判", "担任", "来宾", "开幕")
        query = Query(question, terms, {t: 1.0 for t in terms}, kind, terms)
        joined = window_table(text, query, 80)
        monkeypatch.setattr(answers._SentenceSpans, "window", lambda self, lo, hi, sentences: self._search(lo, hi))
        searched = window_table(text, query, 80)
        monkeypatch.undo()
        assert joined == searched, question
