"""Where each article's date comes from, most trustworthy first.

1. front matter / record field (`doc.meta["date"]`): the whole page has that date;
2. a date in the path (`2021-01-08`, `20210108`, `2021/01/08/`);
3. the article's dateline ("本报讯 1月7日", "新华社北京1月7日电") or a date early in
   its first sentence ("……研讨会9月19日以线上线下方式在太原举行"), with the page's year;
4. the page's date (its most recent dateline) for an article without one;
5. only the page's year ("inferred"), when no month and day can be found.

Datelines give month and day. The year is the page's: given by front matter or
path when they name one, else inferred from what the page says (`page_year`):
"今年是中国共产党成立100周年" names it outright; otherwise it is the latest year the
page reports as past or current ("2021年新认定的……", "部署2025年度任务"), never a
target ("到2035年", "2030年前"), moved on by one when the page reports as past a
day of that year later than its own datelines (a January page recalling
"2021年11月9日" is from 2022).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from dataclasses import dataclass

from .layout import DATELINE, PAGE_HEADER, Article, Block
from .models import SourceDoc
from .normalize import fold

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGITS["零"] = 0
_CN_DIGITS["两"] = 2
_NUM = "(?:\\d{1,2}|[一二三四五六七八九十]{1,3})"
_CN_YEAR = re.compile("[〇零一二三四五六七八九]{4}(?=年)")

# A date in running text: "2021年1月7日", "1月7日", "一月七日"; folded text.
_TEXT_DATE = re.compile(f"(?:(?<!\\d)((?:19|20)\\d{{2}})\\s*年\\s*)?(?<!\\d)({_NUM})\\s*月\\s*({_NUM})\\s*[日号]")
# A year named in running text, with its month and day when given.
_YEAR_MENTION = re.compile(
    f"(?<!\\d)((?:19|20)\\d{{2}})\\s*年(?:度)?(?:\\s*({_NUM})\\s*月(?:\\s*({_NUM})\\s*[日号])?)?"
)
# Not the page's present: still to come ("到2035年", "将于9月25日", "2030年前", "自……起施行"),
# or a span of time ("2000年历史").
_FUTURE_BEFORE = re.compile("(?:到|至|迄|直至|将|拟|定于|争取|力争|预计|计划|展望|迈向|面向|迎接|自|明年|后年)[于在]?\\s*$")
_FUTURE_AFTER = re.compile("^\\s*(?:前|以前|之前|底前|起|以后|之后|远景|愿景|目标|规划|将|拟|即将|历史)")
_WINDOW = 4
# An article's own date sits in its first sentence, within this many characters.
_LEAD_CHARS = 150
_SENTENCE_END = re.compile("[。!?]")
_HEADER_HINT = re.compile("星期|礼拜|禮拜|[周週][一二三四五六日天]|版|农历|農曆")
_HEADER_MAX_CHARS = 80

# "今年是中国共产党成立100周年,是“十四五”开局之年": the page names its own year.
_THIS_YEAR_IS = re.compile("今年(?:是|为|适逢|恰逢|正值|既是|也是|又是)([^。!?;]{0,80})")
_ANNIVERSARY_BASES = (
    ("中国共产党", 1921), ("共产党", 1921), ("我们党", 1921), ("建党", 1921), ("党", 1921),
    ("新中国", 1949), ("中华人民共和国", 1949), ("共和国", 1949),
    ("改革开放", 1978), ("人民军队", 1927), ("建军", 1927), ("中国人民解放军", 1927),
    ("抗日战争胜利", 1945), ("抗战胜利", 1945), ("世界反法西斯战争胜利", 1945),
    ("香港回归", 1997), ("澳门回归", 1999), ("五四运动", 1919), ("长征胜利", 1936), ("辛亥革命", 1911),
)
_BASE_OF = dict(_ANNIVERSARY_BASES)
_ANNIVERSARY = re.compile(
    "(" + "|".join(sorted(_BASE_OF, key=len, reverse=True)) + ")[^,。;!?]{0,6}?"
    "(\\d{1,3}|[一二三四五六七八九十百]{1,4})\\s*周年"
)
_PARTY_CENTENARY = re.compile("(?:党|建党)(?:的)?百年华诞|建党百年|党的百年")
# "“十四五”开局之年" = 2021; "“十三五”收官之年" = 2020.
_FIVE_YEAR_PLAN = re.compile("十([一二三四五六七八九])五[”\"]?(?:规划)?(?:的)?(开局|起步|开篇|收官|决胜|最后一)")

# A path date: "2021-01-08", "2021_01_08", "2021.01.08", "20210108", "2021/01/08", "2021年1月8日".
_PATH_DATE = re.compile(
    "(?<!\\d)((?:19|20)\\d{2})(?:([-_./])(\\d{1,2})\\2(\\d{1,2})|(\\d{2})(\\d{2})|年(\\d{1,2})月(\\d{1,2})日)(?!\\d)"
)
_PATH_YEAR = re.compile("(?<!\\d)((?:19|20)\\d{2})(?:[-_.]\\d{1,2}|年\\d{1,2}月|年)?$")
_VALUE_DATE = re.compile(
    "^\\s*((?:19|20)\\d{2})\\s*(?:[-/._年]\\s*(\\d{1,2})\\s*(?:[-/._月]\\s*(\\d{1,2})\\s*日?)?\\s*月?"
    "|(\\d{2})(\\d{2}))?(?:[t\\s].*)?$"
)


def _number(text: str) -> int:
    """Arabic or Chinese numerals up to 999: "12", "十二", "二十一", "一百"."""
    if text.isdigit():
        return int(text)
    if "百" in text:
        head, _, rest = text.partition("百")
        return (_CN_DIGITS.get(head, 1) if head else 1) * 100 + (_number(rest) if rest else 0)
    if "十" in text:
        head, _, rest = text.partition("十")
        return (_CN_DIGITS.get(head, 1) if head else 1) * 10 + (_CN_DIGITS.get(rest, 0) if rest else 0)
    value = 0
    for char in text:
        value = value * 10 + _CN_DIGITS.get(char, 0)
    return value


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date_value(value: str) -> tuple[str | None, int | None]:
    """A front-matter or record date -> (YYYY-MM-DD or None, year or None).

    Accepts 2021-01-08, 2021/1/8, 2021.1.8, 20210108, 2021年1月8日, 2021-01-08T09:00,
    and the partial 2021-01 / 2021年1月 / 2021 (year only).
    """
    text = fold(str(value)).strip()
    match = _VALUE_DATE.match(text)
    if not match:
        return None, None
    year = int(match.group(1))
    month, day = match.group(2) or match.group(4), match.group(3) or match.group(5)
    if month and day:
        iso = _iso(year, int(month), int(day))
        return (iso, year) if iso else (None, None)
    if month and not 1 <= int(month) <= 12:
        return None, None
    return None, year


def date_from_path(path: str) -> tuple[str | None, int | None]:
    """A date named by the file name or its folders; the last one wins (the file is most specific).

    A folder that is only a year ("2021/", "2021-01/") gives the year alone.
    """
    text = fold(path.replace("\\", "/"))
    for match in reversed(list(_PATH_DATE.finditer(text))):
        year = int(match.group(1))
        month = match.group(3) or match.group(5) or match.group(7)
        day = match.group(4) or match.group(6) or match.group(8)
        iso = _iso(year, int(month), int(day))
        if iso:
            return iso, year
    for part in reversed(text.split("/")[:-1]):
        match = _PATH_YEAR.search(part) if part.strip().startswith(("19", "20")) else None
        if match and match.start() == 0:
            return None, int(match.group(1))
    return None, None


@dataclass(frozen=True)
class _Lead:
    """The date an article's first sentence gives."""

    month: int
    day: int
    year: int | None  # written out ("2021年1月5日")
    shift: int  # 0 this year, -1 "去年"
    dateline: bool  # opened by a dateline ("本报讯", "……电")


def _is_future(folded: str, start: int, end: int) -> bool:
    return bool(_FUTURE_BEFORE.search(folded[max(0, start - _WINDOW):start]) or _FUTURE_AFTER.match(folded[end:]))


def _first_sentence(folded: str) -> str:
    match = _SENTENCE_END.search(folded, 0, _LEAD_CHARS)
    return folded[: match.end() if match else _LEAD_CHARS]


def _lead_date(folded: str) -> _Lead | None:
    """The first past or present "M月D日" of the first sentence."""
    sentence = _first_sentence(folded)
    for match in _TEXT_DATE.finditer(sentence):
        if _is_future(sentence, match.start(), match.end()):
            continue
        month, day = _number(match.group(2)), _number(match.group(3))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        before = sentence[max(0, match.start() - 2):match.start()]
        year = int(match.group(1)) if match.group(1) else None
        shift = -1 if before.endswith("去年") and year is None else 0
        return _Lead(month, day, year, shift, bool(DATELINE.match(folded)))
    return None


def _lead_block_texts(article: Article) -> list[str]:
    """The text to read an article's date from: its first body block, or its captions when all it has."""
    body = [b for b in article.blocks if not getattr(b, "caption", False)]
    return [_folded(b) for b in (body[:1] if body else article.blocks)]


def _folded(block: Block) -> str:
    return getattr(block, "folded", "") or fold(block.text)


def _article_lead(article: Article) -> _Lead | None:
    for text in _lead_block_texts(article):
        lead = _lead_date(text)
        if lead:
            return lead
    return None


def _stated_years(folded: str) -> list[int]:
    """Years the page states as its own: "今年是……100周年", "今年是“十四五”开局之年"."""
    years = []
    for clause in _THIS_YEAR_IS.finditer(folded):
        text = clause.group(1)
        for match in _ANNIVERSARY.finditer(text):
            years.append(_BASE_OF[match.group(1)] + _number(match.group(2)))
        if _PARTY_CENTENARY.search(text):
            years.append(2021)
        for match in _FIVE_YEAR_PLAN.finditer(text):
            start = 2001 + 5 * _CN_DIGITS[match.group(1)]
            years.append(start + 4 if match.group(2) in ("收官", "决胜", "最后一") else start)
    return years


def _mentions(folded: str, latest_year: int) -> list[tuple[int, int, int]]:
    """(year, month or 0, day or 0) for every year the page reports as past or current."""
    found = []
    for match in _YEAR_MENTION.finditer(folded):
        year = int(match.group(1))
        if year > latest_year or _is_future(folded, match.start(), match.end()):
            continue
        month = _number(match.group(2)) if match.group(2) else 0
        day = _number(match.group(3)) if match.group(3) else 0
        found.append((year, month if 1 <= month <= 12 else 0, day))
    return found


def page_year(texts: list[str], dateline_days: list[tuple[int, int]]) -> int | None:
    """The year a page was printed, from what it says; None when it gives no clue.

    `texts` are folded; `dateline_days` the (month, day) of its datelines in this year.
    """
    folded = "\n".join(_CN_YEAR.sub(lambda m: "".join(str(_CN_DIGITS[c]) for c in m.group()), t) for t in texts)
    stated = _stated_years(folded)
    if stated:
        return Counter(stated).most_common(1)[0][0]
    mentions = _mentions(folded, _dt.date.today().year)
    if not mentions:
        return None
    year = max(m[0] for m in mentions)
    if dateline_days:
        latest = max(dateline_days)
        if any(y == year and m and (m, d) > latest for y, m, d in mentions):
            year += 1  # the page looks back on a day of that year later than its own
    return year


def _split_wrap(months: list[int]) -> int | None:
    """Datelines spanning a new year (12月 and 1月 on one page): months above this are last year's."""
    if months and max(months) - min(months) > 6:
        return min(months) + 6
    return None


def _meta_source(doc: SourceDoc) -> str:
    return "front_matter" if doc.record is None else "record"


def _given_date(doc: SourceDoc) -> tuple[str | None, int | None, str]:
    """A date stated by front matter / record field, else by the path; else a year either states."""
    value = doc.meta.get("date") if doc.meta else None
    meta_iso, meta_year = parse_date_value(str(value)) if value else (None, None)
    if meta_iso:
        return meta_iso, meta_year, _meta_source(doc)
    path_iso, path_year = date_from_path(doc.path)
    if path_iso:
        return path_iso, path_year, "path"
    return None, meta_year or path_year, ""


def date_articles(doc: SourceDoc, articles: list[Article]) -> list[tuple[str | None, int | None, str]]:
    """(date YYYY-MM-DD or None, year or None, date_source) for each article."""
    given, given_year, source = _given_date(doc)
    if given:
        return [(given, given_year, source)] * len(articles)
    leads = [_article_lead(a) for a in articles]
    header = _header_date(doc)
    if header:
        year = given_year or int(header[:4])
        dated = [_not_after(_lead_iso(lead, year, None), lead, header) for lead in leads]
        return [_article_date(lead, iso, header, year) for lead, iso in zip(leads, dated)]
    # Only a bare "M月D日" is this page's own day; "2021年…" and "去年…" say their year.
    bare = [lead for lead in leads if lead and lead.year is None and lead.shift == 0]
    plain = [(lead.month, lead.day) for lead in bare if lead.dateline] or [(lead.month, lead.day) for lead in bare]
    wrap = _split_wrap([m for m, _ in plain])
    this_year_days = [md for md in plain if wrap is None or md[0] <= wrap]
    year = given_year or page_year(_page_texts(articles), this_year_days)
    dated = [_lead_iso(lead, year, wrap) for lead in leads]
    page = _page_date(leads, dated, year, wrap)
    return [_article_date(lead, iso, page, year) for lead, iso in zip(leads, dated)]


def _header_date(doc: SourceDoc) -> str | None:
    """The date a page prints in its own header ("2021年1月8日 星期五"), if it does."""
    if not _HEADER_HINT.search(doc.text):
        return None
    for line in doc.text.split("\n"):
        if "年" in line and len(line) <= _HEADER_MAX_CHARS:
            match = PAGE_HEADER.match(fold(line.strip()))
            iso = match and _iso(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            if iso:
                return iso
    return None


def _not_after(iso: str | None, lead: _Lead | None, header: str) -> str | None:
    """A dateline later in the year than the page's own date is from the year before."""
    if iso and lead is not None and lead.year is None and iso > header:
        return _iso(int(iso[:4]) - 1, lead.month, lead.day)
    return iso


def _page_texts(articles: list[Article]) -> list[str]:
    texts = []
    for article in articles:
        if article.title:
            texts.append(fold(article.title))
        texts.extend(_folded(block) for block in article.blocks)
    return texts


def _lead_iso(lead: _Lead | None, year: int | None, wrap: int | None) -> str | None:
    if lead is None:
        return None
    if lead.year is not None:
        # A written-out year dates the article only when it is the page's own (or a dateline's).
        return _iso(lead.year, lead.month, lead.day) if lead.dateline or lead.year == year else None
    if year is None:
        return None
    shift = lead.shift or (-1 if wrap is not None and lead.month > wrap else 0)
    return _iso(year + shift, lead.month, lead.day)


def _page_date(leads: list[_Lead | None], dated: list[str | None], year: int | None, wrap: int | None) -> str | None:
    """The page's most recent dateline date (any article's date when none has a dateline)."""
    own = [iso for lead, iso in zip(leads, dated) if iso and lead and lead.dateline]
    pool = own or [iso for iso in dated if iso]
    if year is not None:
        pool = [iso for iso in pool if int(iso[:4]) >= year - (1 if wrap is not None else 0)]
    return max(pool) if pool else None


def _article_date(lead: _Lead | None, iso: str | None, page: str | None,
                  year: int | None) -> tuple[str | None, int | None, str]:
    if iso and lead is not None and (lead.dateline or page is None or iso <= page):
        return iso, int(iso[:4]), "dateline"
    if page:
        return page, int(page[:4]), "page"
    if year is not None:
        return None, year, "inferred"
    return None, None, "none"
