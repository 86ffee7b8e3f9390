"""Which paragraph of the leading article answers: the newspaper's way of telling a fact.

BM25 finds the article; its paragraphs share the headline's words (indexed with each of
them), so a short paragraph that only names the subject outranks the longer one that
holds the number. A news story names its subject once — in the headline, the lead, the
paragraph before — and states the fact further on, with a pronoun or nothing at all for
the subject ("2014年至2018年底，累计投入资金40亿元"). So the paragraphs near the leading one
in its article are weighed again by what a reader of that paragraph knows and what it says:

  own      the share of the question's words the paragraph itself says (idf-weighted)
  context  the same share over the headline, the paragraph before and the paragraph
  near     its best quote holds a span of the asked-for kind (a number, a time, a person,
           a place, a reason…) close to a question word
  unit     a number question names its measure word ("多少座", "几类", "多少亩"): the
           paragraph holds a number with that unit
  dateline a time question: the paragraph opens with the article's dateline ("本报北京2月
           20日电 …20日，…召开"), which dates the event the article reports

The highest sum leads; the others keep their order. Weights are equal (each feature is
0..1) but for `unit`, which names the answer's own form and so says more than nearness.
In the paragraph that leads, a quote without a count in the asked unit gives way to the
best one with it (`unit_window`): the number is often a sentence or two after the subject.
"""

from __future__ import annotations

import math
import re

from .answers import (WINDOW_FEATURES, Query, best_window, coverage_ratio, dateline_end, question_anchor, term_spans,
                      typed_spans, window_score, window_table)
from .models import Paragraph
from .normalize import fold

FOCUS_REACH = 10  # paragraphs either side of the leading one that are weighed again
_COVERAGE, _TYPED_NEAR = WINDOW_FEATURES.index("coverage"), WINDOW_FEATURES.index("typed_near")
UNIT_WEIGHT = 1.5

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
# The measure word a number question asks in: 多少座 / 几类 / 多少万吨 / 多少公里.
_ASKED_UNIT = re.compile(
    r"(?:多少|几)(?:[万亿千百]*)"
    r"(?P<unit>平方公里|平方米|公里|千米|人次|小时|分钟|公斤|千克|美元|[名家项次人岁年天位种所条批件台辆座户倍类级亩吨米元张届期部架艘只头本首层栋间株棵])"
)  # not 个: the default measure word, "几个孩子" is answered "3名子女"
# Words a unit is also written as in the text (a question's 棵 is a text's 株).
_UNIT_ALIASES = {"棵": "棵株", "株": "株棵", "人": "人名位", "名": "名人位", "位": "位名人"}
# Units written in more than one way: a sum in any currency, a length in any scale.
_UNIT_FORMS = {"元": "(?:美|港|欧|日|韩|澳|新台)?元|英镑|卢布|美金", "美元": "美元|美金",
               "米": "(?:千|厘|毫)?米|公里|km|m", "公里": "公里|千米|km"}


# Questions that ask for money name no measure word but imply one. (A length of time —
# 多久, 多长时间 — is not matched: its answer comes in any unit, "一分钟", "两年", "7-8周",
# and a quote that holds one duration may well be the wrong one.)
_ASKED_MONEY = re.compile(r"多少(?:钱|资金|经费|费用|投资)|(?:投入|投资|花费|收入|销售额|营业额)(?:了)?多少")


def asked_unit(question: str) -> str | None:
    """The measure word a number question asks in ("多少座加油站" -> 座; "多少钱" -> 元), else None."""
    folded = fold(question)
    match = _ASKED_UNIT.search(folded)
    if match:
        return match.group("unit")
    return "元" if _ASKED_MONEY.search(folded) else None


def unit_pattern(unit: str) -> re.Pattern:
    """A number written with `unit` (or its aliases): "226座", "约80位", "十一公里", "Ⅲ类"."""
    units = _UNIT_ALIASES.get(unit, unit) if len(unit) == 1 else unit
    if unit in _UNIT_FORMS:
        written = f"(?:{_UNIT_FORMS[unit]})"
    else:
        written = f"[{units}]" if len(unit) == 1 else re.escape(unit)
    return re.compile(rf"(?P<n>\d+(?:[.,]\d+)*|[{_CN_DIGITS}]+|[ⅰ-ⅻⅠ-Ⅻ]+)\s*(?:[万亿千百]?(?:余|多)?){written}")


def holds_count(pattern: re.Pattern, folded: str) -> bool:
    """A number in the asked unit; a lone 一 ("一座加油站", "a filling station") is no count."""
    return any(m.group("n") != "一" for m in pattern.finditer(folded))


def unit_window(text: str, query: Query, max_chars: int, title: str, folded: str,
                window: tuple[int, int]) -> tuple[int, int] | None:
    """For a number question naming its unit: when the quote `window` holds no count in that
    unit and another quote of the paragraph that covers at least half as much of the question does, the
    best-scoring such quote; else None."""
    if query.asks_for != "number" or (unit := asked_unit(query.text)) is None:
        return None
    pattern = unit_pattern(unit)
    if holds_count(pattern, folded[window[0]:window[1]]) or not holds_count(pattern, folded):
        return None
    # a count in the unit is no answer in a sentence about something else ("高4.7米" for 跟踪距离)
    return _best_holding(text, query, max_chars, title, folded, lambda lo, hi: holds_count(pattern, folded[lo:hi]),
                         window, share=0.5)


def named_window(text: str, query: Query, max_chars: int, title: str, folded: str,
                 window: tuple[int, int]) -> tuple[int, int] | None:
    """For a question asking what a thing is called ("用什么模式"): when the quote `window`
    prints no quoted name bound to what it names and another quote of the paragraph does,
    the best-scoring such quote; else None. The binding is the evidence: a paragraph says
    "这种“…”的模式" about its own subject, however few of the question's words that
    sentence repeats (the subject was named sentences before)."""
    if query.asks_for != "named":
        return None

    def names(lo: int, hi: int) -> bool:
        return bool(typed_spans("named", folded, lo, hi, ()))

    if names(*window) or not names(0, len(folded)):
        return None
    return _best_holding(text, query, max_chars, title, folded, names)


def _best_holding(text: str, query: Query, max_chars: int, title: str, folded: str, holds,
                  window: tuple[int, int] | None = None, share: float = 0.0) -> tuple[int, int] | None:
    """The best-scoring quote of the paragraph for which holds(lo, hi), covering at least
    `share` of what the quote `window` covers of the question; None when there is none."""
    windows, rows = window_table(text, query, max_chars, title, folded)
    covered = max((row[_COVERAGE] for w, row in zip(windows, rows) if w == window), default=0.0)
    holding = [(window_score(row), w) for w, row in zip(windows, rows)
               if row[_COVERAGE] >= covered * share and holds(*w)]
    return max(holding)[1] if holding else None


# Names stand beside every verb of a story. (Place questions keep nearness to any word:
# their words beside 哪 are often the subject itself — "贺某在哪所学校工作" — measured on
# rmrb2019 dev: anchoring them lost one question and won none.)
ANCHORED_KINDS = ("person",)


def anchored_near(folded: str, lo: int, hi: int, query: Query) -> float | None:
    """For a person question, how close a name in folded[lo:hi] is to
    the question's words beside its question word ("由谁来查明": 查明; "歌词是谁写的": 歌词,
    写), exp(-characters / 8), 0 when none is; None when the question has no such words (then
    nearness to any question word counts). "读者薛某认为" is near the question's 认为, which
    belongs to the person the question names ("王某认为…由谁来查明"), not to the one asked for."""
    if query.asks_for not in ANCHORED_KINDS:
        return None
    anchors, _ = question_anchor(query)
    if not anchors:
        return None
    beside = term_spans(folded, anchors, lo, hi)
    spans = typed_spans(query.asks_for, folded, lo, hi, term_spans(folded, query.terms, lo, hi)) if beside else []
    if not spans:
        return 0.0
    gap = min(max(0, max(s, a) - min(e, b)) for s, e in spans for a, b in beside)
    return math.exp(-gap / 8)


def refocus(lead: Paragraph, article: list[Paragraph], query: Query, max_chars: int) -> Paragraph | None:
    """A paragraph of the lead's article (its paragraphs in reading order) that answers
    better than the lead, or None to keep the lead."""
    if len(article) < 2:
        return None
    at = next((i for i, p in enumerate(article) if p.id == lead.id), None)
    if at is None:
        return None
    unit = unit_pattern(unit) if query.asks_for == "number" and (unit := asked_unit(query.text)) else None
    lo, hi = max(0, at - FOCUS_REACH), min(len(article), at + FOCUS_REACH + 1)
    near = article[lo:hi]
    folded = [fold(p.text) for p in near]
    title = fold(lead.title)
    cheap = []  # every feature but `near`, which needs the paragraph's quotes
    for i in range(len(near)):
        before = folded[i - 1] if i > 0 else ""
        score = coverage_ratio(folded[i], query) + coverage_ratio(f"{title}\n{before}\n{folded[i]}", query)
        if unit is not None and holds_count(unit, folded[i]):
            score += UNIT_WEIGHT
        if query.asks_for == "time" and dateline_end(folded[i]) > 0:
            score += 1.0
        cheap.append(score)

    def full(i: int) -> float:
        lo, hi, _, row = best_window(near[i].text, query, max_chars, near[i].title, folded[i])
        anchored = anchored_near(folded[i], lo, hi, query)
        return cheap[i] + (row[_TYPED_NEAR] if anchored is None else anchored)

    here = at - lo
    best, best_score = here, full(here)
    for i in sorted(range(len(near)), key=lambda i: -cheap[i]):
        if cheap[i] + 1.0 <= best_score:
            break  # `near` is at most 1: nothing further down can win
        if i != here and (score := full(i)) > best_score:
            best, best_score = i, score
    return None if best == here else near[best]
