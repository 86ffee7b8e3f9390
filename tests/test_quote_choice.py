"""The quote is short and holds the answer: one sentence when one sentence says it, the
asked-for span found whatever script the question is written in, and the window weights
fitted under a limit on the median quote's length (bench/fit_answers.py)."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.answers import WINDOW_FEATURES, asks_for
from tests.conftest import archive_of_pages
from tests.test_answer_kinds import filler_pages

PAGE = """东城区举办秋季运动会

本报讯 东城区第十届秋季运动会于9月18日上午在区体育中心开幕，共有32支代表队的1500名运动员参加。比赛设田径、游泳、篮球、足球、乒乓球、羽毛球等12个大项，赛期五天，各街道都组织了啦啦队和志愿者服务队，现场气氛十分热烈。

区体育局局长李华介绍，本届运动会首次设立了老年人项目和亲子项目。

"""


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return archive_of_pages(tmp_path_factory.mktemp("quote-choice"), {"2023-09-19.txt": PAGE} | filler_pages())


@pytest.mark.parametrize("question", [
    "运动会是什么时候开幕的？", "運動會是什麼時候開幕的？", "運動會是甚麼時候開幕的？", "運動會甚麼時間開幕？",
    "運動會幾時開幕？", "运动会几时开幕？", "運動會何時開幕？",
])
def test_when_is_asked_in_every_spelling(question):
    assert asks_for(question) == "time"


def test_count_words_stay_count_questions():
    assert asks_for("運動會有幾個大項？") == "number" and asks_for("共有多少名運動員？") == "number"


@pytest.mark.parametrize("question", ["東城區秋季運動會甚麼時候開幕？", "东城区秋季运动会几时开幕？"])
def test_a_traditional_when_question_gets_the_time_as_its_answer(archive, question):
    first = archive.ask(question).answers[0]
    assert "9月18日上午" in first.quote and first.answer == "9月18日上午"


def test_one_sentence_that_says_it_is_the_whole_quote(archive):
    # the sentence with the count answers; the next one (same paragraph, none of the question's words) only adds length
    first = archive.ask("东城区秋季运动会有多少名运动员参加？").answers[0]
    assert first.answer == "1500名"
    assert first.quote == "本报讯 东城区第十届秋季运动会于9月18日上午在区体育中心开幕，共有32支代表队的1500名运动员参加。"


def _group(right_short: bool, right_long: bool) -> tuple[np.ndarray, np.ndarray]:
    """One question's two candidate windows: one sentence (40 characters) and two (140)."""
    rows = np.zeros((2, len(WINDOW_FEATURES)))
    rows[:, WINDOW_FEATURES.index("coverage")] = 0.5
    rows[0, WINDOW_FEATURES.index("length")], rows[1, WINDOW_FEATURES.index("length")] = 40 / 160, 140 / 160
    rows[1, WINDOW_FEATURES.index("sentences")] = 1 / 3
    return rows, np.array([right_short, right_long])


def test_fitted_window_weights_keep_the_median_quote_under_the_limit():
    from bench.fit_answers import fit_windows, median_chars, top1

    # the longer window holds the answer more often: unconstrained, the fit would always pick it
    groups = [_group(True, True)] * 6 + [_group(False, True)] * 3 + [_group(True, False)]
    start = np.zeros(len(WINDOW_FEATURES))
    start[WINDOW_FEATURES.index("sentences")] = 3.0  # prefers two sentences
    assert median_chars(groups, start, 160) == 140
    weights = fit_windows(groups, start, max_median=80, max_chars=160, logit=False)
    assert median_chars(groups, weights, 160) <= 80
    assert top1(groups, weights) == pytest.approx(0.7)  # the best any short choice can do here


def test_a_count_in_the_asked_unit_about_something_else_does_not_replace_the_quote(archive):
    from retrieval.focus import unit_window
    from retrieval.normalize import fold

    text = "救援队连夜搜救，共救出被困群众12户。现场另有志愿者80人维持秩序，医护人员5名待命。"
    window = (0, text.index("。") + 1)  # the sentence that answers, counted in households
    query = archive.query("救援队共救出被困群众多少人？")
    # quotes of at most 30 characters: the two sentences together are no candidate
    replaced = unit_window(text, query, 30, "", fold(text), window) or window
    assert "救出被困群众12户" in text[replaced[0]:replaced[1]]  # "志愿者80人" says nothing of the rescued
    asked = archive.query("现场有多少人维持秩序？")  # a quote without the asked unit still gives way to one with it
    assert unit_window(text, asked, 30, "", fold(text), window) == (window[1], len(text))


def test_a_sentence_keeping_a_character_of_the_questions_predicate_outscores_one_keeping_none():
    # "食物" is not in the answer, "为食" is: no word and no character pair in common, one character
    from retrieval.answers import Query, question_chars, window_score, window_table

    text = "灰背鸫是鸫科的一种鸣禽。冬季以昆虫和浆果为食。它们常在林下落叶间活动。"
    heads = ("灰背鸫", "食物")
    query = Query("灰背鸫的食物是什么？", heads, {h: 3.0 for h in heads}, None, heads)
    assert question_chars(query.text, "灰背鸫") == {"食", "物"}  # not the subject's, not the question word's
    windows, rows = window_table(text, query, 160, "灰背鸫")
    score = {text[lo:hi]: window_score(row) for (lo, hi), row in zip(windows, rows)}
    assert score["冬季以昆虫和浆果为食。"] > score["它们常在林下落叶间活动。"]


def test_a_feature_fitted_alone_leaves_the_other_weights_as_committed():
    from bench.fit_answers import fit_windows, top1

    chars = WINDOW_FEATURES.index("chars")
    right, wrong = np.zeros(len(WINDOW_FEATURES)), np.zeros(len(WINDOW_FEATURES))
    right[chars] = 0.5  # only the new feature tells the right window from the wrong one
    groups = [(np.array([wrong, right]), np.array([False, True]))] * 4
    start = np.linspace(0.1, 1.0, len(WINDOW_FEATURES))
    start[chars] = 0.0
    weights = fit_windows(groups, start, max_median=160, max_chars=160, polish=False, only=("chars",))
    assert weights[chars] > 0 and top1(groups, weights) == 1.0
    others = [i for i in range(len(WINDOW_FEATURES)) if i != chars]
    assert weights[others] == pytest.approx(np.where(np.array(WINDOW_FEATURES)[others] == "dateline", 3.0, start[others]))
