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
from dataclasses import dataclass

from .date_evidence import Evidence, YearEstimate, combine, page_evidence
from .date_evidence import number as _number
from .date_hints import DateHint
from .layout import DATELINE, PAGE_HEADER, Article, Block
from .models import SourceDoc
from .normalize import fold

# Stored with every index: a change to how pages are dated rebuilds old indexes.
DATING_VERSION = 4  # 4: a folder's year (date_folders), fewer new-word floors

_NUM = "(?:\\d{1,2}|[一二三四五六七八九十]{1,3})"

# A date in running text: "2021年1月7日", "1月7日", "一月七日"; folded text.
_TEXT_DATE = re.compile(f"(?:(?<!\\d)((?:19|20)\\d{{2}})\\s*年\\s*)?(?<!\\d)({_NUM})\\s*月\\s*({_NUM})\\s*[日号]")
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

# A path date: "2021-01-08", "2021_01_08", "2021.01.08", "20210108", "2021/01/08", "2021年1月8日".
_PATH_DATE = re.compile(
    "(?<!\\d)((?:19|20)\\d{2})(?:([-_./])(\\d{1,2})\\2(\\d{1,2})|(\\d{2})(\\d{2})|年(\\d{1,2})月(\\d{1,2})日)(?!\\d)"
)
_PATH_YEAR = re.compile("(?<!\\d)((?:19|20)\\d{2})(?:[-_.]\\d{1,2}|年\\d{1,2}月|年)?$")
_VALUE_DATE = re.compile(
    "^\\s*((?:19|20)\\d{2})\\s*(?:[-/._年]\\s*(\\d{1,2})\\s*(?:[-/._月]\\s*(\\d{1,2})\\s*日?)?\\s*月?"
    "|(\\d{2})(\\d{2}))?(?:[t\\s].*)?$"
)


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


def _split_wrap(months: list[int]) -> int | None:
    """Datelines spanning a new year (12月 and 1月 on one page): months above this are last year's."""
    if months and max(months) - min(months) > 6:
        return min(months) + 6
    return None


def _meta_source(doc: SourceDoc) -> str:
    return "front_matter" if doc.record is None else "record"


@dataclass(frozen=True)
class ArticleDate:
    """An article's date: the point (`date`/`year`, only when earned), the range its print
    date lies in (`date_min`..`date_max`, None = open), and the evidence in words."""

    date: str | None
    year: int | None
    source: str  # one of models.DATE_SOURCES
    date_min: str | None = None
    date_max: str | None = None
    evidence: str = ""
    kind: str = ""  # the kind of evidence that decided the year (for bench.dates)

    def triple(self) -> tuple[str | None, int | None, str]:
        return self.date, self.year, self.source


def _given_date(doc: SourceDoc, hint: DateHint | None) -> tuple[str | None, int | None, str, str]:
    """(date, year, date_source, evidence) stated by front matter / record, the path, or a user's hint."""
    value = doc.meta.get("date") if doc.meta else None
    meta_iso, meta_year = parse_date_value(str(value)) if value else (None, None)
    if meta_iso:
        return meta_iso, meta_year, _meta_source(doc), f"{_meta_source(doc).replace('_', ' ')} {meta_iso}"
    path_iso, path_year = date_from_path(doc.path)
    if path_iso:
        return path_iso, path_year, "path", f"path {path_iso}"
    if hint is not None and hint.date:
        return hint.date, int(hint.date[:4]), "user", hint.origin
    if meta_year:
        return None, meta_year, "", f"{_meta_source(doc).replace('_', ' ')} {meta_year}"
    if path_year:
        return None, path_year, "", f"path {path_year}"
    if hint is not None and hint.lo is not None and hint.lo == hint.hi:
        return None, hint.lo, "", hint.origin
    return None, None, "", ""


def date_articles(doc: SourceDoc, articles: list[Article]) -> list[tuple[str | None, int | None, str]]:
    """(date YYYY-MM-DD or None, year or None, date_source) for each article."""
    return [d.triple() for d in dates_of_articles(doc, articles)]


def dates_of_articles(doc: SourceDoc, articles: list[Article], hint: DateHint | None = None) -> list[ArticleDate]:
    """Each article's date, its range and its evidence; one year estimate serves the whole page."""
    given, given_year, source, said = _given_date(doc, hint)
    if given:
        return [ArticleDate(given, given_year, source, given, given, said, "given")] * len(articles)
    leads = [_article_lead(a) for a in articles]
    header = _header_date(doc)
    if header:
        year = given_year or int(header[:4])
        dated = [_not_after(_lead_iso(lead, year, None), lead, header) for lead in leads]
        found = [_article_date(lead, iso, header, year) for lead, iso in zip(leads, dated)]
        estimate = YearEstimate(year, year, year, (Evidence("header", f"page header {header}", (year,)),), "header")
        return [_with_range(d, lead, estimate, None, header) for d, lead in zip(found, leads)]
    this_year_days, wrap = _page_days(leads)
    if given_year:
        estimate = YearEstimate(given_year, given_year, given_year,
                                (Evidence("given", said, (given_year,)),), "given")
    else:
        estimate = estimate_year(_page_texts(articles), this_year_days, hint)
    year = estimate.year
    dated = [_lead_iso(lead, year, wrap) for lead in leads]
    page = _page_date(leads, dated, year, wrap)
    found = [_article_date(lead, iso, page, year) for lead, iso in zip(leads, dated)]
    page_day = max(this_year_days) if this_year_days else None
    return [_with_range(d, lead, estimate, page_day, None) for d, lead in zip(found, leads)]


def _page_days(leads: list[_Lead | None]) -> tuple[list[tuple[int, int]], int | None]:
    """The page's own days — (month, day) of its datelines, else of any article's first date —
    in the page's year, and the month above which a day is last year's (a page spanning 1 January)."""
    # Only a bare "M月D日" is this page's own day; "2021年…" and "去年…" say their year.
    bare = [lead for lead in leads if lead and lead.year is None and lead.shift == 0]
    plain = [(lead.month, lead.day) for lead in bare if lead.dateline] or [(lead.month, lead.day) for lead in bare]
    wrap = _split_wrap([m for m, _ in plain])
    return [md for md in plain if wrap is None or md[0] <= wrap], wrap


def page_reading(articles: list[Article]) -> tuple[str, tuple[int, int] | None]:
    """What the year estimate reads of a page: its folded text and its latest own day."""
    days, _ = _page_days([_article_lead(a) for a in articles])
    return "\n".join(_page_texts(articles)), max(days) if days else None


def estimate_year(texts: list[str], dateline_days: list[tuple[int, int]],
                  hint: DateHint | None = None) -> YearEstimate:
    """The page's print year from what it says (folded `texts`), within a user's hint."""
    folded = "\n".join(texts)
    evidence = page_evidence(folded, max(dateline_days) if dateline_days else None)
    if hint is not None and (hint.lo is not None or hint.hi is not None):
        evidence.append(Evidence("user", hint.origin, None, 0.0, hard=True, lo=hint.lo, hi=hint.hi))
    return combine(evidence)


def page_year(texts: list[str], dateline_days: list[tuple[int, int]]) -> int | None:
    """The year a page was printed when its evidence earns a point; None otherwise."""
    return estimate_year(texts, dateline_days).year


# How many days after its dateline (or its page's latest dateline) an article may be printed:
# on People's Daily pages 99.7 % are printed within two weeks (weekly features, late reports).
PRINT_LAG_DAYS = 14


def _with_range(found: tuple[str | None, int | None, str], lead: _Lead | None, estimate: YearEstimate,
                page_day: tuple[int, int] | None, header: str | None) -> ArticleDate:
    date, year, source = found
    said = estimate.label()
    if header:
        low = date if source == "dateline" and date else header
        return ArticleDate(date, year, source, low, header, _join(f"page header {header}", ""), "header")
    if date:
        where = "dateline" if source == "dateline" else "page's latest dateline"
        day = f"{int(date[5:7])}月{int(date[8:10])}日"
        return ArticleDate(date, year, source, date, _add_days(date, PRINT_LAG_DAYS),
                           _join(f"{where} {day}", said), estimate.kind)
    if year is not None:
        return ArticleDate(None, year, source, f"{year}-01-01", f"{year}-12-31", said, estimate.kind)
    if estimate.lo is None and estimate.hi is None:
        return ArticleDate(None, None, "none", None, None, said, "")
    day = (lead.month, lead.day) if lead and lead.dateline and lead.year is None else page_day
    low = _year_day(estimate.lo, day, 0) if estimate.lo is not None else None
    high = _year_day(estimate.hi, day, PRINT_LAG_DAYS) if estimate.hi is not None else None
    return ArticleDate(None, None, "inferred", low, high, said, estimate.kind or "range")


def _year_day(year: int, day: tuple[int, int] | None, lag: int) -> str:
    if day is None:
        return f"{year}-01-01" if lag == 0 else f"{year}-12-31"
    iso = _iso(year, *day) or _iso(year, day[0], 28) or f"{year}-01-01"
    return _add_days(iso, lag) if lag else iso


def _add_days(iso: str, days: int) -> str:
    return (_dt.date.fromisoformat(iso) + _dt.timedelta(days=days)).isoformat()


def _join(first: str, rest: str) -> str:
    return f"{first}; {rest}" if rest else first


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
        return _iso(lead.year, lead.month, lead.day) if lead.year == year else None
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
