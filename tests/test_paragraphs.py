"""SourceDoc -> Paragraph: the whole pipeline, ids, titles, places and dates."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from retrieval.models import DATE_SOURCES, SourceDoc
from retrieval.paragraphs import paragraph_id, paragraphs_from_doc

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SAMPLES = sorted(CORPUS.glob("*.txt"))
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def sample(prefix: str, **meta) -> SourceDoc:
    path = next(p for p in SAMPLES if p.name.startswith(prefix))
    return SourceDoc(path=path.name, text=path.read_text(encoding="utf-8"), meta=meta)


def the(paragraphs, needle: str):
    found = [p for p in paragraphs if needle in p.text]
    assert len(found) == 1, f"{needle!r} is in {len(found)} paragraphs"
    return found[0]


def test_paragraph_id_is_ten_hex_of_blake2b_and_stable():
    expected = hashlib.blake2b(b"corpus/a.txt\x00\x009", digest_size=5).hexdigest()
    assert paragraph_id("corpus/a.txt", None, 9) == expected
    assert re.fullmatch("[0-9a-f]{10}", expected)
    ids = {
        paragraph_id("a.txt", None, 9), paragraph_id("a.txt", 0, 9),
        paragraph_id("a.txt", None, 10), paragraph_id("b.txt", None, 9), paragraph_id("a.txt", 1, 9),
    }
    assert len(ids) == 5


def test_the_joined_paragraph_knows_its_file_lines_title_and_date():
    paragraph = the(paragraphs_from_doc(sample("000")), "人才年工资仅13.56万元。")
    assert paragraph.path == "000_7762fb5599fe387a.txt"
    assert (paragraph.line_start, paragraph.line_end) == (9, 11)
    assert paragraph.location == "000_7762fb5599fe387a.txt:9-11"
    assert paragraph.title == "我国大力推动“蓝领”评职称、涨待遇"
    assert (paragraph.date, paragraph.year, paragraph.date_source) == ("2021-01-07", 2021, "dateline")
    assert paragraph.id == paragraph_id(paragraph.path, None, 9)


def test_titles_reach_every_paragraph_of_an_article():
    paragraphs = paragraphs_from_doc(sample("001"))
    award = [p for p in paragraphs if p.title == "太原为20家单位颁奖并发放补助1.53亿元"]
    assert len(award) == 2 and award[0].text.startswith("本报讯 1月12日召开的")
    assert len({p.article for p in award}) == 1
    renewal = [p for p in paragraphs_from_doc(sample("000")) if "大力推进城市更新行动" in p.title]
    assert len(renewal) == 4


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name[:3])
def test_sample_pages_give_clean_dated_paragraphs(path):
    doc = SourceDoc(path=path.name, text=path.read_text(encoding="utf-8"))
    paragraphs = paragraphs_from_doc(doc)
    lines = doc.text.split("\n")
    assert paragraphs
    assert len({p.id for p in paragraphs}) == len(paragraphs)
    for p in paragraphs:
        assert p.date_source in DATE_SOURCES
        assert p.date is None or ISO.match(p.date)
        assert p.date is None or p.year == int(p.date[:4])
        assert p.text[:12] in lines[p.line_start - 1]  # a user jumping to line_start sees it
        assert p.text[-4:] in lines[p.line_end - 1]
        assert "下转" not in p.text and not p.title.startswith("#")
    articles = [p.article for p in paragraphs]
    assert articles == sorted(articles) and set(articles) == set(range(max(articles) + 1))


def test_sample_years_are_those_the_pages_report():
    expected = {"000": 2021, "001": 2022, "002": 2025, "003": 2021, "004": 2022}
    for prefix, year in expected.items():
        assert {p.year for p in paragraphs_from_doc(sample(prefix))} == {year}, prefix


def test_source_and_page_come_from_meta():
    doc = sample("003", source="太原日报", page="1", date="2021-04-28")
    paragraphs = paragraphs_from_doc(doc)
    assert {(p.source, p.page) for p in paragraphs} == {("太原日报", "1")}
    assert {(p.date, p.date_source) for p in paragraphs} == {("2021-04-28", "front_matter")}


def test_front_matter_offset_keeps_true_file_lines():
    text = "标题\n\n本报讯 1月7日，会议召开，研究\n\n部署工作。\n"
    doc = SourceDoc(path="x/2021-01-08.md", text=text, first_line=6, meta={"title": "第1版"})
    [paragraph] = paragraphs_from_doc(doc)
    assert (paragraph.line_start, paragraph.line_end) == (8, 10)
    assert paragraph.title == "标题"  # the printed headline, not the page's front-matter title
    assert (paragraph.date, paragraph.date_source) == ("2021-01-08", "path")


def test_front_matter_title_stands_in_for_a_missing_headline():
    doc = SourceDoc(path="p.md", text="正文第一段。\n", meta={"title": "第1版 要闻"})
    assert [p.title for p in paragraphs_from_doc(doc)] == ["第1版 要闻"]


def test_record_title_comes_from_its_field_and_the_text_is_still_cleaned():
    text = "大会召开\n\n本报讯 1月7日，大会召开，研究\n\n部署工作。（下转第2版）\n"
    doc = SourceDoc(path="news.jsonl", text=text, first_line=3, record=4,
                    meta={"title": "大会召开了", "date": "2021-01-08"})
    [paragraph] = paragraphs_from_doc(doc)
    assert paragraph.title == "大会召开了"
    assert paragraph.text == "本报讯 1月7日，大会召开，研究部署工作。"
    assert paragraph.record == 4 and paragraph.id == paragraph_id("news.jsonl", 4, 5)
    assert (paragraph.date, paragraph.date_source) == ("2021-01-08", "record")


def test_original_punctuation_is_shown():
    doc = SourceDoc(path="w.txt", text="标题\n\n本报讯（记者 王文军）１月７日，会议召开。\n")
    [paragraph] = paragraphs_from_doc(doc)
    assert paragraph.text == "本报讯（记者 王文军）１月７日，会议召开。"


def test_headline_only_and_empty_pages_give_no_paragraphs():
    assert paragraphs_from_doc(SourceDoc(path="h.txt", text="头版导读\n\n## 春耕备耕正当时\n")) == []
    assert paragraphs_from_doc(SourceDoc(path="e.txt", text="")) == []


def test_traditional_page_end_to_end():
    text = "市委召開全體會議\n\n本報訊（記者 王文軍）1月7日，市委召開會議。今年是中國共產黨成立100週年。\n"
    [paragraph] = paragraphs_from_doc(SourceDoc(path="t.txt", text=text))
    assert paragraph.title == "市委召開全體會議"
    assert (paragraph.date, paragraph.date_source) == ("2021-01-07", "dateline")


def test_shuffled_and_broken_pages_keep_every_invariant():
    import random

    pool = [line for path in SAMPLES for line in path.read_text(encoding="utf-8").split("\n")]
    pool += ["（下转第3版）", "## ", "#", "---", "梁琛摄", "(张波)", "本报讯", "）", "“", "\u3000", "\r",
             "2021年1月8日 星期五", "1月32日", "二〇二一年一月八日", "a" * 300]
    rng = random.Random(20210108)
    for _ in range(200):
        text = "\n".join(rng.choice(pool)[: rng.randint(0, 200)] for _ in range(rng.randint(0, 30)))
        first_line = rng.randint(1, 4)
        doc = SourceDoc(path="x/y.txt", text=text, first_line=first_line, record=rng.choice([None, 2]),
                        meta=rng.choice([{}, {"date": "2021"}, {"date": "2021-13-01"}]))
        paragraphs = paragraphs_from_doc(doc)
        last_line = first_line + len(text.split("\n")) - 1
        assert len({p.id for p in paragraphs}) == len(paragraphs)
        for p in paragraphs:
            assert first_line <= p.line_start <= p.line_end <= last_line
            assert p.text and p.text == p.text.strip()
            assert p.date_source in DATE_SOURCES
            assert (p.date is None and (p.year is None or p.date_source == "inferred")) or (
                ISO.match(p.date) and p.year == int(p.date[:4]))
