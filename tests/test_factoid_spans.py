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
