"""Answers on the bundled corpus: the quote, its date, its source."""

import pytest

from retrieval.answers import asks_for, split_sentences
from retrieval.errors import QuestionError
from retrieval.normalize import fold


def test_city_renewal_question_is_answered_by_the_first_quote(sample_archive):
    answers = sample_archive.ask("城市建设管理工作专题会要加快推进什么行动？")
    first = answers.answers[0]
    assert "城市更新行动" in first.quote
    assert first.paragraph.date == "2021-01-07"
    assert first.paragraph.path == "000_7762fb5599fe387a.txt"


def test_subsidy_question_quotes_the_amount_and_marks_it(sample_archive):
    answers = sample_archive.ask("首批揭榜挂帅技术攻关的企业发放了多少补助？")
    first = answers.answers[0]
    assert "1.14亿元" in first.quote
    assert first.paragraph.date == "2022-01-12"
    assert answers.asks_for == "number"
    marked = [first.quote[s:e] for s, e in first.answer_spans]
    assert any("1.14亿元" in m for m in marked)


def test_traditional_question_finds_simplified_text(sample_archive):
    answers = sample_archive.ask("高級技能人才的年工資是多少？")
    assert any("13.56万元" in a.paragraph.text for a in answers.answers)


def test_quote_is_verbatim_and_shorter_than_the_paragraph(sample_archive):
    for answer in sample_archive.ask("城市建设管理工作专题会要加快推进什么行动？").answers:
        text = answer.paragraph.text
        assert text[answer.quote_start:answer.quote_start + len(answer.quote)] == answer.quote
        assert len(answer.quote) <= len(text)


def test_highlights_land_on_question_terms_in_the_original_text(sample_archive):
    answers = sample_archive.ask("高級技能人才的年工資")
    first = answers.answers[0]
    assert first.highlights
    for start, end in first.highlights:
        assert set(fold(first.quote[start:end])) <= set("高级技能人才的年工资")  # adjacent terms merge


def test_each_answer_carries_its_citation(sample_archive):
    for answer in sample_archive.ask("太忻一体化经济区").answers:
        p = answer.paragraph
        assert p.id and p.path and p.line_start <= p.line_end and p.date_source
        assert answer.score > 0


def test_no_meaningful_match_says_so_with_a_hint(sample_archive):
    answers = sample_archive.ask("量子计算机的超导芯片")
    assert not answers.found
    assert answers.hint and answers.hint.startswith("未找到相关内容")


def test_only_punctuation_is_no_answer_not_an_error(sample_archive):
    answers = sample_archive.ask("？？！。")
    assert not answers.found and answers.hint


@pytest.mark.parametrize("question", ["", "   ", "问" * 10_000])
def test_empty_or_huge_questions_are_input_errors(sample_archive, question):
    with pytest.raises(QuestionError):
        sample_archive.ask(question)


def test_date_filters_keep_only_passages_in_range(sample_archive):
    answers = sample_archive.ask("人才工作", top=10, since="2022", until="2022-12")
    assert answers.found
    assert all(a.paragraph.date.startswith("2022") for a in answers.answers)
    assert not sample_archive.ask("人才工作", since="2030").found


def test_bad_date_filter_is_an_input_error(sample_archive):
    with pytest.raises(QuestionError, match="--since"):
        sample_archive.ask("人才", since="last year")


def test_near_identical_passages_are_shown_once(make_config, tmp_path):
    from retrieval.search import Archive

    corpus = tmp_path / "reprints"
    corpus.mkdir()
    story = "本报讯 3月5日，某市新建的图书馆正式开放，藏书达到120万册，日均接待读者3000人次。"
    (corpus / "a.txt").write_text(f"图书馆开放\n\n{story}\n", encoding="utf-8")
    (corpus / "b.txt").write_text(f"图书馆开放\n\n{story}\n", encoding="utf-8")
    (corpus / "c.txt").write_text("其他新闻\n\n本报讯 3月6日，某市的公园完成改造。\n", encoding="utf-8")
    answers = Archive.open(make_config(corpus)).ask("图书馆藏书达到多少？")
    assert sum("图书馆" in a.paragraph.text for a in answers.answers) == 1


def test_question_kinds():
    assert asks_for("发放了多少补助？") == "number"
    assert asks_for("会议是什么时候召开的？") == "time"
    assert asks_for("哪一年成立？") == "time"
    assert asks_for("谁主持了会议？") == "person"
    assert asks_for("会议在哪里举行？") == "place"
    assert asks_for("要推进什么行动？") is None
    assert asks_for("为什么要加快城市更新？") == "reason"
    assert asks_for("北海道狼又叫做什么？") == "alias"
    assert asks_for("西土城站的名字有什么由来？") == "origin"
    assert asks_for("这种鱼有什么特征？") == "describe"



def test_sentences_keep_closing_quotes():
    text = "他说：“今年要加快。”随后离开。"
    assert [text[s:e] for s, e in split_sentences(text)] == ["他说：“今年要加快。”", "随后离开。"]


def test_year_only_dates_count_by_their_year():
    import numpy as np

    from retrieval.periods import overlap_masks
    from retrieval.search import date_bound

    # 2021-01-07, the year 2021, 2022-03-12, unknown
    lo = np.array([20210107, 20210101, 20220312, 0], dtype=np.int32)
    hi = np.array([20210107, 20211231, 20220312, 0], dtype=np.int32)
    points = np.array([20210107, 20210000, 20220312, 0], dtype=np.int32)
    inside, partly = overlap_masks(points, lo, hi, date_bound("2021-06", False, "--since"),
                                   date_bound("2021-12", True, "--until"))
    assert inside.tolist() == [False, False, False, False]
    assert partly.tolist() == [False, True, False, False]  # a bare 2021 may lie in June-December
