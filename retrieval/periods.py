"""Dates in questions: the period a question names, resolved to a span of days.

    find_period("2021年1月运城举办了什么报告会？", today)  -> Period("2021-01-01", "2021-01-31", "2021年1月")
    find_period("去年国庆期间游客多少？", date(2019, 10, 31)) -> Period("2018-10-01", "2018-10-07", "去年国庆期间")

What is read (folded text, so full-width digits and traditional characters count too):
- a year, a month, a day, or a range of years: "2019年", "二〇一九年", "2021年1月", "2019年2月3日",
  "2019-02-03", "2019年至2021年", "2019年以来" (up to `today`);
- a part of a year: 上半年 / 下半年, 一季度 … 四季度, 前三季度, 5月上旬 / 中旬 / 下旬, a run of
  months from January (1至3月, 1—11月, 前三个月), 年初 (Jan–Feb), 年底 / 年末 (December; "年底前"
  is a deadline, not a period), 两会 (1–20 March);
- a holiday or festival: 春节 (除夕 … 初七), 除夕, 元宵, 春运 (the 40 days around it), 元旦 (1–3
  Jan), 清明 (4–6 Apr), 五一 / 劳动节 (1–5 May), 端午, 中秋, 国庆 (1–7 Oct); the lunar ones from
  a fact table (resources/lunar_festivals.txt, 1950–2050, scripts/make_lunar_table.py);
- words relative to `today`: 今年, 去年, 前年, 本月, 上个月, 今年以来.
A month, day or holiday named without a year is its latest occurrence not after `today`
(an archive is asked about the past). `today` is the newest date of the corpus, or the
user's `--today`.

What is not a period: a year the text looks forward to ("到2035年", "2035年远景目标",
"2020年前", "计划2025年") — a plan or target is a topic, not when the news was printed.
Several periods in one question give the span that covers them all.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from .config import resource_path
from .models import Period
from .normalize import fold

_CN = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_CN_NUM = "[一二三四五六七八九十]{1,3}"
_YEAR = "(?:19|20)\\d{2}|[〇零一二三四五六七八九]{4}"
_MONTH = f"1[0-2]|0?[1-9]|{_CN_NUM}"
_DAY = f"3[01]|[12]\\d|0?[1-9]|{_CN_NUM}"
_RELATIVE_YEAR = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2}
_HOLIDAY = "春节|除夕|元宵节?|春运|元旦|清明节|清明(?=期间|假期|小长假|前后)|五一|劳动节|端午节?|中秋节?|国庆节?"
_HOLIDAY_TAIL = "(?:期间|假期|长假|黄金周|前后|当天|节日)?"
# Parts of a year: halves, quarters, a run of months counted from January ("1至3月", "1—9月",
# "前三个月"), its two ends ("年初", "年底"), and the March sessions of the NPC and CPPCC ("两会").
_YEAR_PART = ("上半年|下半年|前三季度|(?:第)?[一二三四1-4]季度"
              f"|(?:1|一)\\s*[-—–~～至到]\\s*(?:{_MONTH})月份?|前(?:{_CN_NUM}|\\d{{1,2}})个月"
              "|年初|年底|年末|全国两会|两会")
_PART = (f"{_YEAR_PART}|(?<=年)[初底末]"  # "2018年底": the year's own 年 ends it
         f"|(?:(?P<pm>{_MONTH})月份?(?:(?P<pd>{_DAY})[日号]|(?P<third>上旬|中旬|下旬))?)"
         f"|(?P<holiday>{_HOLIDAY}){_HOLIDAY_TAIL}")
# A year, absolute or relative, optionally followed by a part of it; a range of years; a bare
# part (a month with or without a day, a holiday) that takes its year from `today`.
_PERIOD = re.compile(
    f"(?P<y1>{_YEAR})\\s*年?\\s*[-—–~～至到]\\s*(?P<y2>{_YEAR})\\s*年"  # 2019年至2021年, 2019-2021年
    f"|(?P<iso>(?<!\\d)(?:19|20)\\d{{2}})[-/.](?P<im>1[0-2]|0?[1-9])(?:[-/.](?P<id>3[01]|[12]\\d|0?[1-9]))?(?!\\d)"
    f"|(?:(?P<year>(?<!\\d)(?:{_YEAR}))\\s*年度?|(?P<rel>今年|本年|去年|上年|前年))\\s*(?P<part>{_PART})?(?P<since>以来)?"
    f"|(?P<bare>(?<![\\d个])(?:(?P<bm>\\d{{1,2}})月份?|(?P<cm>{_CN_NUM})月份)(?:(?P<bd>{_DAY})[日号]|(?P<bthird>上旬|中旬|下旬))?"
    f"|(?P<cmd>{_CN_NUM})月(?P<cdd>{_CN_NUM})[日号]"
    f"|(?P<bholiday>{_HOLIDAY}){_HOLIDAY_TAIL}"
    f"|(?P<bpart>{_YEAR_PART}))"
    f"|(?P<month_rel>本月|这个月|上个月|上月)"
)
# The year is looked forward to, not reported: "到2035年", "力争2025年", "2020年前", "2035年远景目标".
_TARGET_BEFORE = re.compile("(?:到|至|迄|直至|将|拟|定于|争取|力争|预计|计划|展望|迈向|面向|迎接|实现)[于在]?\\s*$")
_TARGET_AFTER = re.compile("^\\s*(?:前|以前|之前|底前|年底前|以后|之后|后|远景|愿景|目标|规划|计划|将|拟|即将)")
_TARGET_WINDOW = 4


# News follows events: a period's passages include those printed this many days after it.
REPORT_DAYS = 7


def overlap_masks(points: np.ndarray, date_lo: np.ndarray, date_hi: np.ndarray,
                  start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
    """(inside, partly): rows dated inside [start, end] (yyyymmdd), and rows that may be.

    A row is inside when its point, the full date shown for it (`points`, yyyymmdd; a year
    alone, yyyy0000, or 0 is no point), lies in the span — else when its whole date range
    [date_lo, date_hi] (date_hi 0: unknown) does. It is partly inside when the range only
    overlaps the span: a date that may or may not lie in it.
    """
    overlap = (date_hi > 0) & (date_lo <= end) & (date_hi >= start)
    has_day = points % 10000 != 0
    inside = np.where(has_day, (points >= start) & (points <= end), overlap & (date_lo >= start) & (date_hi <= end))
    return inside, overlap & ~inside


def period_bounds(period: Period) -> tuple[int, int]:
    """The yyyymmdd window a question's period prefers: the period and the days it is reported."""
    end = date.fromisoformat(period.end) + timedelta(days=REPORT_DAYS)
    return int(period.start.replace("-", "")), int(end.strftime("%Y%m%d"))


@dataclass(frozen=True)
class _Span:
    start: date
    end: date


def find_period(question: str, today: date) -> Period | None:
    """The period `question` names, resolved against `today`; None when it names none."""
    folded = fold(question)
    spans: list[tuple[int, int, _Span]] = []
    for m in _PERIOD.finditer(folded):
        if _is_target(folded, m):
            continue
        span = _resolve(m, today)
        if span is not None and span.start <= span.end:
            spans.append((m.start(), m.end(), span))
    if not spans:
        return None
    start = min(s.start for _, _, s in spans)
    end = max(s.end for _, _, s in spans)
    text = "、".join(question[a:b] for a, b, _ in spans)
    return Period(start.isoformat(), end.isoformat(), text)


def period_words(question: str, today: date) -> list[tuple[int, int]]:
    """Offsets of the calendar words of the periods `question` names: they are not search terms.

    The period itself narrows the search instead: "去年" printed in 2018 means 2017, and
    "2019年10月" is rarely printed next to what happened then. A holiday's name stays a
    term ("国庆", "春节"): reports name it.
    """
    folded = fold(question)
    out = []
    for m in _PERIOD.finditer(folded):
        if _is_target(folded, m) or _resolve(m, today) is None:
            continue
        holiday = next((m.span(g) for g in ("holiday", "bholiday") if m.group(g)), None)
        if holiday is None:
            out.append(m.span())
        else:
            out += [span for span in ((m.start(), holiday[0]), (holiday[1], m.end())) if span[0] < span[1]]
    return out


def _is_target(folded: str, m: re.Match) -> bool:
    after = folded[m.end():]
    if m.group("bpart") and folded[max(0, m.start() - 1):m.start()] == "每":
        return True  # "每年底": every year's, not one period
    if m.group("part") and m.group("part").endswith(("底", "末")) and _TARGET_AFTER.match(after):
        return True  # "2020年底前", "今年年底前": a deadline
    if m.group("rel") or m.group("month_rel") or m.group("bholiday") or m.group("bpart") or m.group("since"):
        return False
    if m.group("part") and m.group("year"):
        return False  # "2019年前三季度", "2019年上半年": a part of the year, reported
    before = folded[max(0, m.start() - _TARGET_WINDOW):m.start()]
    return bool(_TARGET_BEFORE.search(before) or _TARGET_AFTER.match(after))


def _resolve(m: re.Match, today: date) -> _Span | None:
    try:
        if m.group("y1"):
            first, last = _year(m.group("y1")), _year(m.group("y2"))
            return _Span(date(first, 1, 1), date(last, 12, 31)) if first <= last else None
        if m.group("iso"):
            return _day_or_month(int(m.group("iso")), int(m.group("im")), m.group("id"))
        if m.group("month_rel"):
            back = 1 if m.group("month_rel") in ("上个月", "上月") else 0
            first = (today.replace(day=1) - timedelta(days=1)).replace(day=1) if back else today.replace(day=1)
            return _month(first.year, first.month)
        if m.group("bare"):
            return _bare(m, today)
        year = _year(m.group("year")) if m.group("year") else today.year + _RELATIVE_YEAR[m.group("rel")]
        span = _part(m, year) if m.group("part") else _Span(date(year, 1, 1), date(year, 12, 31))
        if span is not None and m.group("since"):
            return _Span(span.start, max(today, span.start))
        return span
    except (ValueError, KeyError):  # 2月30日; a year outside the festival table
        return None


def _part(m: re.Match, year: int) -> _Span | None:
    part = m.group("part")
    if m.group("holiday"):
        return _holiday(m.group("holiday"), year)
    if m.group("pm"):
        month = _number(m.group("pm"))
        if m.group("pd"):
            return _day_or_month(year, month, m.group("pd"))
        return _third(year, month, m.group("third")) if m.group("third") else _month(year, month)
    return _year_part(part, year)


def _year_part(part: str, year: int) -> _Span:
    if part == "上半年":
        return _Span(date(year, 1, 1), date(year, 6, 30))
    if part == "下半年":
        return _Span(date(year, 7, 1), date(year, 12, 31))
    if part == "前三季度":
        return _Span(date(year, 1, 1), date(year, 9, 30))
    if part in ("年初", "初"):
        return _Span(date(year, 1, 1), date(year, 2, 28))
    if part in ("年底", "年末", "底", "末"):
        return _Span(date(year, 12, 1), date(year, 12, 31))
    if part.endswith("两会"):  # held in the first half of March every year since 1985
        return _Span(date(year, 3, 1), date(year, 3, 20))
    if part.endswith("月") or part.endswith("月份"):  # 1至3月, 前三个月: January to the month named
        last = _number(re.findall(f"(?:{_MONTH})(?=个?月)", part)[-1])
        if not 1 <= last <= 12:
            raise ValueError(part)
        return _Span(date(year, 1, 1), _month(year, last).end)
    quarter = _number(part.lstrip("第")[0])
    return _Span(date(year, 3 * quarter - 2, 1), _month(year, 3 * quarter).end)


def _bare(m: re.Match, today: date) -> _Span | None:
    """A month, a day or a holiday without a year: its latest occurrence not after today."""
    for year in (today.year, today.year - 1):
        if m.group("bholiday"):
            span = _holiday(m.group("bholiday"), year)
        elif m.group("bpart"):
            span = _year_part(m.group("bpart"), year)
        else:
            month = _number(m.group("bm") or m.group("cm") or m.group("cmd"))
            day = m.group("bd") or m.group("cdd")
            if day:
                span = _day_or_month(year, month, day)
            elif m.group("bthird"):
                span = _third(year, month, m.group("bthird"))
            else:
                span = _month(year, month)
        if span is not None and span.start <= today:
            return span
    return span


def _holiday(name: str, year: int) -> _Span | None:
    name = name.rstrip("节") or name
    fixed = {"元旦": ((1, 1), (1, 3)), "清明": ((4, 4), (4, 6)), "五一": ((5, 1), (5, 5)),
             "劳动": ((5, 1), (5, 5)), "国庆": ((10, 1), (10, 7))}
    if name in fixed:
        (m1, d1), (m2, d2) = fixed[name]
        return _Span(date(year, m1, d1), date(year, m2, d2))
    if name in ("端午", "中秋"):
        day = _lunar_table()[year][1 if name == "端午" else 2]
        return _Span(day, day)
    new_year = _lunar_table()[year][0]
    start, end = {"春": (-1, 6), "除夕": (-1, -1), "元宵": (14, 14), "春运": (-15, 24)}[name]
    return _Span(new_year + timedelta(days=start), new_year + timedelta(days=end))


@lru_cache(maxsize=1)
def _lunar_table() -> dict[int, tuple[date, date, date]]:
    """year -> (春节, 端午, 中秋) as Gregorian dates."""
    table = {}
    for line in resource_path("lunar_festivals.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            year, *days = line.split("\t")
            table[int(year)] = tuple(date.fromisoformat(d) for d in days)
    return table


def _month(year: int, month: int) -> _Span:
    return _Span(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def _third(year: int, month: int, which: str) -> _Span:
    whole = _month(year, month)
    first = {"上旬": 1, "中旬": 11, "下旬": 21}[which]
    last = {"上旬": 10, "中旬": 20, "下旬": whole.end.day}[which]
    return _Span(date(year, month, first), date(year, month, last))


def _day_or_month(year: int, month: int, day: str | None) -> _Span:
    if day is None:
        return _month(year, month)
    point = date(year, month, _number(day))
    return _Span(point, point)


def _year(text: str) -> int:
    return int(text) if text.isdigit() and text.isascii() else int("".join(str(_CN[c]) for c in text))


def _number(text: str) -> int:
    """'12', '十二', '二十五', '三十一' -> int."""
    if text.isascii():
        return int(text)
    if "十" not in text:
        return _CN[text]
    tens, _, units = text.partition("十")
    return (_CN[tens] if tens else 1) * 10 + (_CN[units] if units else 0)
