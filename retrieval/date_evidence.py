"""What a page says about the year it was printed: evidence, each with its bounds and weight.

Each kind of evidence is one small function from the page's folded text to `Evidence`:
the years it allows (`years`, None = any), whether that is certain (`hard`: the page
cannot be from another year) or a vote (`weight`), and the words it was read from.
`combine` intersects the hard bounds, adds up the votes and gives one `YearEstimate`
per page: a point year only when the votes make it safe, else the range that holds.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from dataclasses import dataclass

from . import date_tables as tables

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGITS["零"] = 0
_CN_DIGITS["两"] = 2
_CN_YEAR = re.compile("[〇零一二三四五六七八九]{4}(?=年)")


def number(text: str) -> int:
    """Arabic or Chinese numerals up to 999: "12", "十二", "二十一", "一百"."""
    if text.isdigit():
        return int(text)
    if "百" in text:
        head, _, rest = text.partition("百")
        return (_CN_DIGITS.get(head, 1) if head else 1) * 100 + (number(rest) if rest else 0)
    if "十" in text:
        head, _, rest = text.partition("十")
        return (_CN_DIGITS.get(head, 1) if head else 1) * 10 + (_CN_DIGITS.get(rest, 0) if rest else 0)
    value = 0
    for char in text:
        value = value * 10 + _CN_DIGITS.get(char, 0)
    return value


def arabic_years(folded: str) -> str:
    """"二〇一九年" -> "2019年" (same length, so offsets still hold)."""
    return _CN_YEAR.sub(lambda m: "".join(str(_CN_DIGITS[c]) for c in m.group()), folded)


@dataclass(frozen=True)
class Evidence:
    kind: str  # stated, anniversary, observance, zodiac, ganzhi, plan, event, new word, year, date, weekday, user
    text: str  # the words it was read from, as shown in date_evidence
    years: tuple[int, ...] | None  # the print years it allows; None: no constraint of its own
    weight: float = 0.0  # its vote for each of `years`; 0: a bound only
    hard: bool = False  # the page cannot be from a year outside `years`
    lo: int | None = None  # bounds (instead of listing years): the page is from lo..hi
    hi: int | None = None

    def allows(self, year: int) -> bool:
        if self.years is not None:
            return year in self.years
        return (self.lo is None or year >= self.lo) and (self.hi is None or year <= self.hi)

    def label(self) -> str:
        if self.kind in ("given", "header", "user"):  # says its year itself
            return self.text
        if self.years is not None and len(self.years) == 1:
            return f"{self.text} → {self.years[0]}"
        if self.years is None and self.lo is not None:
            return f"{self.text} → {self.lo}+" if self.hi is None else f"{self.text} → {self.lo}–{self.hi}"
        return self.text


# -- kinds of evidence ------------------------------------------------------------------------

_NUM = "(\\d{1,3}|[一二三四五六七八九十百]{1,4})"
_FOUNDING = re.compile(
    "(" + "|".join(sorted(map(re.escape, tables.FOUNDING_YEARS), key=len, reverse=True)) + ")"
    "[^,。;!?、]{0,6}?" + _NUM + "\\s*周年"
)
_THIS_YEAR_IS = re.compile("今年(?:是|为|适逢|恰逢|正值|既是|也是|又是)([^。!?;]{0,80})")
_PARTY_CENTENARY = re.compile("(?:党|建党)(?:的)?百年华诞|建党百年")
_PLAN_MILESTONE = re.compile("十([一二三四五六七八九])五[”\"]?(?:规划)?(?:的)?(开局|起步|开篇|收官|决胜|最后一)")
# Said about another year: a speech at last year's celebration, next year's anniversary.
_ANNIVERSARY_ELSEWHERE = re.compile("(?:去年|前年|明年|后年|迎接|将迎来|即将迎来|\\d{4}年)[^,。;!?]{0,12}$")
_ANNIVERSARY_SPEECH = re.compile("^[^,。;!?]{0,8}(?:大会上的讲话|上的重要讲话|讲话精神)")


def stated(folded: str) -> list[Evidence]:
    """"今年是新中国成立70周年" / "今年是“十四五”开局之年": the page names its own year."""
    found = []
    for clause in _THIS_YEAR_IS.finditer(folded):
        text = clause.group(1)
        for match in _FOUNDING.finditer(text):
            year = tables.FOUNDING_YEARS[match.group(1)] + number(match.group(2))
            found.append(Evidence("stated", "今年是" + match.group(0), (year,), 6.0))
        if _PARTY_CENTENARY.search(text):
            found.append(Evidence("stated", "今年是建党百年", (2021,), 6.0))
        for match in _PLAN_MILESTONE.finditer(text):
            start, end = tables.plan_years(10 + _CN_DIGITS[match.group(1)])
            year = end if match.group(2) in ("收官", "决胜", "最后一") else start
            found.append(Evidence("stated", "今年是" + match.group(0), (year,), 6.0))
    return found


# In January to March (or on a page whose day is unknown) a page still looks back on last
# year's anniversaries ("庆祝改革开放40周年大会" was held in December): it votes for the
# year after, too.
_LOOKING_BACK_MONTHS = 3
_LOOKING_BACK_WEIGHT = 0.7
_ANNIVERSARY_CAP = 3  # one anniversary repeated all over a page is still one anniversary


def anniversaries(folded: str, page_day: tuple[int, int] | None = None) -> list[Evidence]:
    """"庆祝新中国成立70周年": coverage of an anniversary is printed in its year (a vote)."""
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for match in _FOUNDING.finditer(folded) if "周年" in folded else ():
        before = folded[max(0, match.start() - 16):match.start()]
        if _ANNIVERSARY_ELSEWHERE.search(before) or _ANNIVERSARY_SPEECH.match(folded[match.end():]):
            continue
        count = number(match.group(2))
        if 1 <= count <= 300:
            counts[(tables.FOUNDING_YEARS[match.group(1)] + count, match.group(0))] += 1
    found = []
    looking_back = page_day is None or page_day[0] <= _LOOKING_BACK_MONTHS
    for (year, text), n in counts.items():
        n = min(n, _ANNIVERSARY_CAP)
        found.append(Evidence("anniversary", text, (year,), 1.0 * n))
        if looking_back:
            found.append(Evidence("looking back", text, (year + 1,), _LOOKING_BACK_WEIGHT * n))
    return found


_ZODIAC = re.compile(f"([{tables.ZODIAC}])年(?=春节|新春|春晚|除夕|到来|来临|伊始|吉祥|大吉|生肖|邮票|贺岁|将至|行大运|[,。!、”])")
_LUNAR_YEAR = re.compile(f"([{tables.STEMS}])([{tables.BRANCHES}])(?:年)?(?:春节|新春|除夕)|农历([{tables.STEMS}])([{tables.BRANCHES}])年")


def cycles(folded: str) -> list[Evidence]:
    """"猪年春节", "农历己亥年": the Spring Festival coverage of a lunar year (its Gregorian year)."""
    found = []
    if "农历" not in folded and not any(animal + "年" in folded for animal in tables.ZODIAC) \
            and not ("春节" in folded or "新春" in folded or "除夕" in folded):
        return found  # a cheap test first: pages are long, and most say nothing of the lunar year
    for match in _ZODIAC.finditer(folded):
        years = tuple(tables.zodiac_years(match.group(1)))
        found.append(Evidence("zodiac", match.group(1) + "年", years, 2.0))
    for match in _LUNAR_YEAR.finditer(folded):
        stem, branch = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        years = tuple(tables.ganzhi_years(stem, branch))
        found.append(Evidence("ganzhi", stem + branch + "年", years, 3.0))
    return found


_PLENUM = re.compile("(十[一二三四五六七八九]|二十)届(?:中央)?([一二三四五六七])中全会")
_NPC = re.compile("(十[一二三四五六七八九]|二十)届全国(?:人大|人民代表大会|政协)(?:常委会)?(?:第)?([一二三四五])次(?:全体)?会议"
                  "|第(十[一二三四五六七八九]|二十)届全国(?:人民代表大会|委员会)第([一二三四五])次会议")
_NTH = re.compile("第([一二三四五六七八九十]{1,3}|\\d{1,2})届")


def events(folded: str) -> list[Evidence]:
    """"十九届四中全会", "十三届全国人大二次会议", "第二届进博会": the page is no older than
    the year before the event (previews come first), and votes for the event's year."""
    found = []
    if "届" not in folded:
        return found
    for match in _PLENUM.finditer(folded):
        year = tables.plenum_year(number(match.group(1)), number(match.group(2)))
        if year:
            found.append(_event(match.group(0), year))
    for match in _NPC.finditer(folded):
        term, session = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        year = tables.npc_session_year(number(term), number(session))
        if year:
            found.append(_event(match.group(0), year))
    for match in _NTH.finditer(folded):
        tail = folded[match.end():match.end() + 16]
        for name, first, period in tables.RECURRING_EVENTS:
            if period and tail.startswith(name):
                year = first + period * (number(match.group(1)) - 1)
                found.append(_event(match.group(0) + name, year))
                break
    return found


def _event(text: str, year: int) -> Evidence:
    return Evidence("event", text, None, 0.0, hard=True, lo=year - 1)


_OBSERVANCE = re.compile(
    "第" + _NUM + "个[“\"]?(" + "|".join(sorted(map(re.escape, tables.ANNUAL_DAYS), key=len, reverse=True)) + ")")
_OBSERVANCE_CAP = 2


def observances(folded: str) -> list[Evidence]:
    """"第六个国家扶贫日": the N-th of a yearly day falls in one year, and its coverage is printed
    then (a vote as strong as a page naming its year; one day repeated counts twice at most)."""
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for match in _OBSERVANCE.finditer(folded) if "个" in folded else ():
        count = number(match.group(1))
        if 1 <= count <= 200:
            counts[(tables.ANNUAL_DAYS[match.group(2)] + count - 1, match.group(0))] += 1
    return [Evidence("observance", text, (year,), 2.0 * min(n, _OBSERVANCE_CAP)) for (year, text), n in counts.items()]


def new_words(folded: str) -> list[Evidence]:
    """"新冠肺炎" -> 2020 or later: words that did not exist before a year (a hard bound).
    ("第二十届" is no "二十届": an ordinal of something else.)"""
    found = []
    for word, year in tables.FIRST_USED.items():
        at = folded.find(word)
        while at > 0 and folded[at - 1] == "第":
            at = folded.find(word, at + 1)
        if at >= 0:
            found.append(Evidence("new word", word, None, 0.0, hard=True, lo=year))
    return found


# A year named in running text, with its month and day when given.
_YEAR_MENTION = re.compile(
    "(?<![\\d.])((?:19|20)\\d{2})\\s*年(度)?(?:\\s*(\\d{1,2}|[一二三四五六七八九十]{1,2})\\s*月"
    "(?:\\s*(\\d{1,2}|[一二三四五六七八九十]{1,3})\\s*[日号])?)?"
)
# Not the page's present: still to come ("到2035年", "2030年前", "2022年北京冬奥会"),
# the far end of a span ("2018—2022年"), or a name ("2030年可持续发展议程").
_FUTURE_BEFORE = re.compile("(?:到|(?<!截)至|迄|直至|将|拟|定于|争取|力争|确保|预计|预测|计划|展望|迈向|面向|迎接|明年|后年|—|-|~|～)[于在到]?\\s*$")
_FUTURE_AFTER = re.compile(
    "^\\s*(?:度?(?:前|以前|之前|底前|年底前|起|以后|之后|后|远景|愿景|目标|规划|将|拟|即将|历史|—|-|~|～|至|到)"
    "|[^,。;!?、]{0,6}(?:冬奥|奥运|亚运|世博|世界杯|全运会|大运会|冬残奥|残奥|议程|愿景|远景|目标))"
)
_WINDOW = 4


@dataclass(frozen=True)
class YearMention:
    year: int
    month: int  # 0 when not given
    day: int
    text: str


def year_mentions(folded: str) -> list[YearMention]:
    """Every year the page reports as past or current, with its month and day when given."""
    found = []
    for match in _YEAR_MENTION.finditer(folded):
        start, end = match.start(), match.end()
        if _FUTURE_BEFORE.search(folded[max(0, start - _WINDOW):start]) or _FUTURE_AFTER.match(folded[end:end + 10]):
            continue
        month = number(match.group(3)) if match.group(3) else 0
        day = number(match.group(4)) if match.group(4) else 0
        found.append(YearMention(int(match.group(1)), month if 1 <= month <= 12 else 0, day, match.group(0)))
    return found


def weekday_dates(folded: str) -> list[Evidence]:
    """"2月3日(星期日)": the years in which that day was that weekday."""
    found = []
    if not _WEEKDAY_WORD.search(folded):
        return found
    for match in _WEEKDAY_DATE.finditer(folded):
        month, day = number(match.group(1)), number(match.group(2))
        weekday = tables.WEEKDAYS.index("日" if match.group(3) == "天" else match.group(3))
        years = []
        for year in range(tables.EARLIEST_YEAR, tables.latest_year() + 1):
            try:
                if _dt.date(year, month, day).weekday() == weekday:
                    years.append(year)
            except ValueError:
                break
        if years:
            found.append(Evidence("weekday", match.group(0).replace(" ", ""), tuple(years), 4.0))
    return found


_WEEKDAY_WORD = re.compile("星期|礼拜|周[一二三四五六日天]")
_WEEKDAY_DATE = re.compile(
    "(?<!\\d)(\\d{1,2}|[一二三四五六七八九十]{1,2})\\s*月\\s*(\\d{1,2}|[一二三四五六七八九十]{1,3})\\s*日"
    "\\s*[(（,]?\\s*(?:星期|礼拜|周)([一二三四五六日天])"
)


# -- year mentions, weighted by how they are used --------------------------------------------

# A month named with its year is nearly always the page's past ("2019年1月", "2018年12月31日"):
# the page is from the first year whose print day (its datelines' day) comes after it.
MONTH_MENTION_WEIGHT = 1.0
# A year alone is often last year's figures, a history or a name: a weaker vote, split
# between that year and the next (a January review of "2018年").
YEAR_MENTION_WEIGHT = 0.4
YEAR_MENTION_NEXT = 0.3
_MENTION_CAP = 3  # a page that repeats a year many times says no more than three times


def mention_evidence(mentions: list[YearMention], page_day: tuple[int, int] | None) -> list[Evidence]:
    """Votes (and the floor they give: the page is no older than a month it reports as past)."""
    votes: dict[tuple[str, int], list] = defaultdict(list)
    for mention in mentions:
        if mention.month:
            after_page_day = page_day is not None and (mention.month, mention.day) > page_day
            year = mention.year + (1 if after_page_day else 0)
            votes[("date", year)].append(mention)
        else:
            votes[("year", mention.year)].append(mention)
    found = []
    # The floor: a page reports no month that is still to come, but one "2021年12月通车" may be
    # a plan — so the floor is the year that two such mentions reach.
    dated = sorted((m for m in mentions if m.month), key=lambda m: m.year, reverse=True)
    if len(dated) >= 2:
        found.append(Evidence("date", dated[1].text.replace(" ", ""), None, 0.0, lo=dated[1].year))
    for (kind, year), group in votes.items():
        count = min(len(group), _MENTION_CAP)
        text = group[0].text.replace(" ", "")
        if kind == "date":  # a vote, not a floor
            found.append(Evidence("date vote", text, (year,), MONTH_MENTION_WEIGHT * count))
        else:
            found.append(Evidence("year", text, (year,), YEAR_MENTION_WEIGHT * count))
            found.append(Evidence("year", text, (year + 1,), YEAR_MENTION_NEXT * count))
    return found


def page_evidence(folded: str, page_day: tuple[int, int] | None) -> list[Evidence]:
    """Every piece of evidence a page's text offers. `page_day`: its datelines' latest (month, day)."""
    text = arabic_years(folded)
    return (stated(text) + anniversaries(text, page_day) + observances(text) + cycles(text) + events(text)
            + new_words(text)
            + weekday_dates(text) + over_and_ahead(text) + mention_evidence(year_mentions(text), page_day))


# -- one estimate per page ---------------------------------------------------------------------

# The kinds that can earn a point. Mentions of years only break ties between them: on real
# pages "2018年" is as often last year's review as this year's news. A cycle (zodiac, ganzhi,
# weekday) names many years, so it counts only for a year something else also supports.
STRONG_KINDS = frozenset({"stated", "anniversary", "observance", "zodiac", "ganzhi", "weekday", "user"})
CYCLIC_KINDS = frozenset({"zodiac", "ganzhi", "weekday"})
LUNAR_KINDS = frozenset({"zodiac", "ganzhi"})
DOUBT_KINDS = frozenset({"looking back"})  # another reading of strong evidence: only narrows its lead
WEAK_CAP = 0.9  # year mentions together never outweigh one piece of strong evidence
# A point year is shown when its strong votes reach POINT_SCORE and it leads the next year
# by POINT_MARGIN (strong and weak votes together).
POINT_SCORE = 2.0
POINT_MARGIN = 1.0


@dataclass(frozen=True)
class YearEstimate:
    """The print year of a page: `year` when earned; else it lies in lo..hi (None: open)."""

    year: int | None
    lo: int | None
    hi: int | None
    evidence: tuple[Evidence, ...] = ()  # what decided it, strongest first
    kind: str = ""  # the kind of evidence that decided the point (or the range)

    def label(self) -> str:
        return "; ".join(dict.fromkeys(e.label() for e in self.evidence))


UNKNOWN = YearEstimate(None, None, None)


CEILING_KINDS = frozenset({"plan", "ahead", "user"})
# Between a floor and a ceiling one year apart, year mentions may pick the year when one
# leads the other by this much.
TIE_MARGIN = 0.5


def _bounds(evidence: list[Evidence]) -> tuple[int | None, int, list[Evidence], list[Evidence]]:
    """The years the bounds allow: lo (None: no floor) .. hi, and the evidence that set each.

    Floors (new words, events, reviews, past dates) outnumber ceilings (plans, things
    ahead) and are surer: when they disagree, the ceilings give way (a user's never do)."""
    lows = [e for e in evidence if (e.hard or e.kind == "date") and e.lo is not None]
    highs = [e for e in evidence if e.hard and e.hi is not None]
    if not any(e.kind != "ahead" for e in lows):
        # "迎接新中国成立10周年" may be a history's words: with nothing else placing the page
        # in its era, an event ahead bounds nothing.
        highs = [e for e in highs if e.kind != "ahead"]
    lo = max((e.lo for e in lows), default=None)
    latest = tables.latest_year()
    hi = min([latest] + [e.hi for e in highs])
    if lo is not None and lo > hi:
        highs = [e for e in highs if e.kind == "user"]
        hi = min([latest] + [e.hi for e in highs])
        if lo > hi:
            lows = [e for e in lows if e.kind == "user"]
            lo = max((e.lo for e in lows), default=None)
    return lo, hi, [e for e in lows if e.lo == lo], [e for e in highs if e.hi == hi]


def _scores(evidence: list[Evidence], lo: int | None, hi: int) -> tuple[dict, dict, dict]:
    strong: dict[int, float] = defaultdict(float)
    weak: dict[int, float] = defaultdict(float)
    support: dict[int, list[Evidence]] = defaultdict(list)
    for item in evidence:
        if not item.weight or item.years is None:
            continue
        if item.kind in DOUBT_KINDS:
            continue
        for year in item.years:
            if (lo is None or year >= lo) and year <= hi:
                (strong if item.kind in STRONG_KINDS else weak)[year] += item.weight
                support[year].append(item)
    for year in list(strong):
        backed = any(e.kind not in CYCLIC_KINDS or _only_year_in(e, lo, hi) for e in support[year])
        if not backed:
            strong[year] = 0.0  # a cycle alone names every twelfth (or sixtieth) year
    for year in weak:
        weak[year] = min(weak[year], WEAK_CAP)
    for item in evidence:  # a doubt is not capped: it is as strong as the claim it doubts
        if item.kind in DOUBT_KINDS and item.years is not None:
            for year in item.years:
                if (lo is None or year >= lo) and year <= hi:
                    weak[year] += item.weight
    return strong, weak, support


def _only_year_in(item: Evidence, lo: int | None, hi: int) -> bool:
    """A lunar year backs itself when the bounds leave it one year: "猪年春节" on a page that
    says "十九大" (2016 or later) can only be 2019 until 2031 comes. (Not a weekday: it dates
    the event it is printed with, which may be years before the page.)"""
    return item.kind in LUNAR_KINDS and lo is not None and sum(lo <= y <= hi for y in item.years or ()) == 1


def combine(evidence: list[Evidence]) -> YearEstimate:
    """Intersect the bounds, add up the votes inside them, emit a point only when it is safe."""
    if not evidence:
        return UNKNOWN
    lo, hi, floor, ceiling = _bounds(evidence)
    bounding = tuple(floor[:1] + ceiling[:1])
    strong, weak, support = _scores(evidence, lo, hi)
    total = {y: strong.get(y, 0.0) + weak.get(y, 0.0) for y in set(strong) | set(weak)}
    ranked = sorted(total.items(), key=lambda kv: (-kv[1], -kv[0])) + [(None, 0.0), (None, 0.0)]
    (best, score), (_, runner_up) = ranked[0], ranked[1]
    if best is not None and strong.get(best, 0.0) >= POINT_SCORE and score - runner_up >= POINT_MARGIN:
        backing = sorted(support[best], key=lambda e: (e.kind not in STRONG_KINDS, -e.weight))
        return YearEstimate(best, best, best, tuple(backing[:3]), backing[0].kind)
    if lo is not None and ceiling and lo == hi:
        return YearEstimate(lo, lo, lo, bounding, "bounds")
    if lo is not None and ceiling and hi - lo == 1 and best is not None and score - runner_up >= TIE_MARGIN:
        return YearEstimate(best, best, best, bounding + tuple(support[best][:1]), "bounds")
    kind = floor[0].kind if floor else (ceiling[0].kind if ceiling else "")
    return YearEstimate(None, lo, hi if ceiling else None, bounding, kind)


# -- what a page says is over, and what it says is still to come ----------------------------

_Y = "((?:19|20)\\d{2})\\s*年(?:度)?"
# A year's work reviewed (a 述职会, a 总结, a 统计公报) is over: the page is from a later year.
_REVIEWED = re.compile(
    f"(?:总结|回顾|盘点|述职)[^。,;!?]{{0,6}}?{_Y}(?=[^。,;!?]{{0,12}}(?:工作|成绩|成效|情况))"
    f"|{_Y}(?=[^。,;!?]{{0,14}}(?:述职会|述职评议|工作总结|统计公报|总结表彰|年终总结|考核结果))"
)
# A year's tasks being set ("部署2025年度任务") are ahead: the page is from that year or the one before.
_PLANNED = re.compile(f"(?:部署|安排|谋划)[^。,;!?]{{0,4}}?{_Y}(?=[^。,;!?]{{0,4}}(?:工作|任务|重点|目标))")
# An event or anniversary still ahead ("迎接党的二十大胜利召开", "喜迎新中国成立70周年").
_AHEAD = re.compile("(?:迎接|喜迎|献礼|即将召开的|即将举行的|即将迎来)[^。,;!?]{0,4}?$")
_REVIEW_WORD = re.compile("总结|回顾|盘点|述职|统计公报|考核结果")
_PLAN_WORD = re.compile("部署|安排|谋划")
_AHEAD_WORD = re.compile("迎接|喜迎|献礼|即将")
_CONGRESS = re.compile("(十[二三四五六七八九]|二十|二十[一二三])大")


def over_and_ahead(folded: str) -> list[Evidence]:
    """Reviews give a floor (the year after the one reviewed), plans and things ahead a ceiling."""
    found = []
    for match in _REVIEWED.finditer(folded) if _REVIEW_WORD.search(folded) else ():
        year = int(match.group(1) or match.group(2))
        found.append(Evidence("review", match.group(0), None, 0.0, hard=True, lo=year + 1))
    for match in _PLANNED.finditer(folded) if _PLAN_WORD.search(folded) else ():
        year = int(match.group(1))
        found.append(Evidence("plan", match.group(0), None, 0.0, hard=True, lo=year - 1, hi=year))
    for text, year in _ahead_events(folded):
        found.append(Evidence("ahead", text, None, 0.0, hard=True, lo=year - 2, hi=year))
    return found


def _ahead_events(folded: str) -> list[tuple[str, int]]:
    found = []
    if not _AHEAD_WORD.search(folded):
        return found
    for match in _CONGRESS.finditer(folded):
        before = folded[max(0, match.start() - 12):match.start()]
        ahead = _AHEAD.search(before.replace("党的", ""))
        year = tables.congress_year(number(match.group(1)))
        if ahead and year:
            found.append((ahead.group(0).rstrip() + match.group(0), year))
    for match in _FOUNDING.finditer(folded):
        ahead = _AHEAD.search(folded[max(0, match.start() - 12):match.start()])
        if ahead:
            year = tables.FOUNDING_YEARS[match.group(1)] + number(match.group(2))
            found.append((ahead.group(0).rstrip() + match.group(0), year))
    return found
