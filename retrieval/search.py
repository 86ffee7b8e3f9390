"""The engine's front door: open a corpus, keep its index fresh, answer questions.

    archive = Archive.open(load_config())
    answers = archive.ask("首批揭榜挂帅技术攻关的企业发放了多少补助？")

Every front end (the command line, the chat app, the benchmarks) goes through here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import time
from dataclasses import replace

import numpy as np

from .answers import Query, asks_for, compose_answer, coverage_ratio, head_words, near_duplicate, shingles
from .browse import Browser, DayListing, parse_day
from .checks import DamagedIndex
from .config import Config
from .engines import choose_engine, open_engine
from .errors import QuestionError
from .indexer import refresh_index, try_load
from .models import AnswerSet, IndexSummary, Paragraph, Period, Progress, Warn
from .normalize import fold
from .periods import find_period, overlap_masks, period_bounds, period_words
from .store import OPEN_END, IndexData, summary_of
from .tokenize import BIGRAM_MARK, Analyzer


MAX_QUESTION_CHARS = 1000
MIN_COVERAGE = 0.3  # below this share of the question's weight, a passage is noise
# ASCII digits only (after folding full-width ２０２１－０４ to 2021-04): int() would also
# take Arabic-Indic or other scripts' digits, silently.
_DATE_ARG = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$", re.ASCII)

NO_TERMS_HINT = "未找到相关内容：问题里没有可检索的词。请用人名、地名、机构、事件或数字提问。"
NO_MATCH_HINT = ("未找到相关内容：语料中没有与问题足够相关的段落。"
                 "可以换个说法（人名、地名、数字），或放宽 --since/--until 的日期范围。")


def date_bound(value: str | None, upper: bool, option: str) -> int | None:
    """'2021' / '2021-04' / '2021-04-27' as an inclusive yyyymmdd bound."""
    if value is None:
        return None
    m = _DATE_ARG.match(fold(value).strip())
    if not m:
        raise QuestionError(f"{option} {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD with digits 0-9 "
                            "(e.g. 2021, 2021-04, 2021-04-27)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month and not 1 <= int(month) <= 12:
        raise QuestionError(f"{option} {value!r}: no such month (use 01 to 12)")
    if day and not 1 <= int(day) <= calendar.monthrange(max(year, 1), int(month))[1]:
        raise QuestionError(f"{option} {value!r}: no such day ({year}-{int(month):02d} has "
                            f"{calendar.monthrange(max(year, 1), int(month))[1]} days)")
    if upper:
        return year * 10000 + (int(month) if month else 12) * 100 + (int(day) if day else 31)
    return year * 10000 + (int(month) if month else 1) * 100 + (int(day) if day else 1)


class Archive:
    """An indexed corpus. Opening it builds or refreshes the on-disk index."""

    def __init__(self, config: Config, index: IndexData, summary: IndexSummary, notice: Warn | None = None) -> None:
        self.config = config
        self.index = index
        self.summary = summary
        self.engine_name = choose_engine(config.engine, len(index), config.auto_threshold)
        self._engine = None
        self._analyzer: Analyzer | None = None
        self._browser: Browser | None = None
        self._newest: dt.date | None = None
        self._span: tuple[int, int] | None = None  # oldest and newest yyyymmdd any passage may have
        self._notice = notice or (lambda _: None)

    @classmethod
    def open(cls, config: Config, *, progress: Progress | None = None, refresh: bool = True,
             warn: Warn | None = None, notice: Warn | None = None, force: bool = False,
             wait: bool = False) -> Archive:
        """Load the index for `config.corpus`, building or updating it first when needed.

        With refresh=False an existing sound index is used as it is (no look at the corpus).
        With wait=False (a reader) a stale index is used, with a notice, while another
        process is updating it; wait=True (`wenbao index`) waits for that process.
        """
        quiet = warn or (lambda _: None)
        if not refresh and not force:
            index, reason = try_load(config, Analyzer(config))
            if index is not None:
                return cls(config, index, summary_of(index, unchanged=len(index.files)), notice)
        index, summary = refresh_index(config, progress=progress, warn=quiet, notice=notice or quiet, force=force,
                                       wait=wait or force)
        return cls(config, index, summary, notice)

    def _rebuild(self, damage: DamagedIndex) -> None:
        """A piece of the index turned out damaged while it was read: rebuild it, once."""
        self._notice(f"the index was damaged ({damage}); rebuilding")
        self.index.close()
        self.index, self.summary = refresh_index(self.config, force=True)
        self._engine = None
        self._analyzer = None
        self._browser = None
        self._newest = self._span = None

    @classmethod
    def last_built(cls, config: Config) -> Archive | None:
        """The last complete index of `config.corpus` as it is (the corpus is not read), or None."""
        index, _reason = try_load(config, Analyzer(config))
        return None if index is None else cls(config, index, summary_of(index, unchanged=len(index.files)))

    # -- lazily built pieces (a cold `ask` pays only for what it uses) -----------------
    @property
    def engine(self):
        if self._engine is None:
            self._engine = open_engine(self.engine_name, self.index)
        return self._engine

    @property
    def analyzer(self) -> Analyzer:
        if self._analyzer is None:
            self._analyzer = Analyzer(self.config, lexicon=self.index.lexicon())
        return self._analyzer

    def query(self, question: str) -> Query:
        return self._analyse(question)[0]

    def _analyse(self, question: str, skip: list[tuple[int, int]] = ()) -> tuple[Query, list[int]]:
        """The question's Query (words, idf weights, kind) and the term ids BM25 ranks by.

        Words inside a `skip` span are not terms: the calendar words of a period the
        question names (2019年, 去年), which narrows the search by date instead.
        """
        term_ids = self.index.term_ids
        n = max(1, len(self.index))
        weights: dict[str, float] = {}
        spans = [s for s in self.analyzer.spans(question) if not any(a < s[2] and s[1] < b for a, b in skip)]
        ranked = [term_ids[t] for t, _, _ in spans if t in term_ids]
        for term, _, _ in spans:
            tid = term_ids.get(term)
            df = int(self.index.doc_freq[tid]) if tid is not None else 0
            weights[term] = max(math.log((n - df + 0.5) / (df + 0.5) + 1.0), 0.05)
        words = [s for s in spans if not s[0].startswith(BIGRAM_MARK)]
        weights = {t: w for t, w in weights.items() if not t.startswith(BIGRAM_MARK)}
        return Query(question, tuple(weights), weights, asks_for(question), tuple(head_words(words))), ranked

    def ask(self, question: str, *, top: int | None = None, since: str | None = None,
            until: str | None = None, today: str | None = None) -> AnswerSet:
        """Answer one question. `since`/`until` take 2021, 2021-04 or 2021-04-27.

        A period the question names ("2021年1月", "去年国庆") puts that period's passages
        first; relative words count from `today` (YYYY-MM-DD; default: the corpus's newest
        date). `since`/`until` win over it.
        """
        try:
            return self._ask(question, top, since, until, today)
        except DamagedIndex as damage:
            self._rebuild(damage)
            return self._ask(question, top, since, until, today)

    def _ask(self, question: str, top: int | None, since: str | None, until: str | None,
             today: str | None) -> AnswerSet:
        started = time.perf_counter()
        question = question.strip()
        top = self.config.top if top is None else top
        if not question:
            raise QuestionError("the question is empty; type a question, e.g. wenbao ask \"城市更新行动是什么？\"")
        if len(question) > MAX_QUESTION_CHARS:
            raise QuestionError(f"the question is {len(question)} characters long; ask in at most "
                                f"{MAX_QUESTION_CHARS} characters")
        if top < 1:
            raise QuestionError(f"--top {top}: ask for at least 1 answer")
        lo, hi = date_bound(since, False, "--since"), date_bound(until, True, "--until")
        reference = self._today(today)
        period = find_period(question, reference)
        # The period narrows the search instead of its words; a period the archive has no date
        # in (a question about 1949 in a 2019 archive) is history: its words stay terms.
        dated = period is not None and self._dated_in(period)
        query, term_ids = self._analyse(question, period_words(question, reference) if dated else [])
        period_answers = 0

        def result(answers=(), hint=None) -> AnswerSet:
            return AnswerSet(question=question, answers=tuple(answers), terms=query.terms, asks_for=query.asks_for,
                             since=since, until=until, top=top, hint=hint,
                             period=_applied(period, since or until, period_answers, len(answers)),
                             elapsed_ms=(time.perf_counter() - started) * 1000)

        if not term_ids or len(self.index) == 0:
            return result(hint=NO_TERMS_HINT if not query.terms else NO_MATCH_HINT)
        scores = self.engine.scores(term_ids)
        answers, seen = [], []
        for tier, rows in enumerate(self._date_tiers(scores, lo, hi, period)):  # the preferred dates first
            for row in _top_rows(scores, top * 3 + 5, rows):
                paragraph = self.index.paragraph(row)
                folded = fold(paragraph.text)
                if not answers and coverage_ratio(fold(paragraph.title) + "\n" + folded, query) < MIN_COVERAGE:
                    break  # this tier's best is noise: try the next
                grams = shingles(folded)
                if any(near_duplicate(grams, other) for other in seen):
                    continue
                seen.append(grams)
                answers.append(compose_answer(len(answers) + 1, paragraph, float(scores[row]), query,
                                              self.config.max_quote_chars, folded))
                period_answers += tier < 2  # tiers 0 and 1: inside or partly inside the period
                if len(answers) == top:
                    break
            if len(answers) == top:
                break
        return result(answers, None if answers else NO_MATCH_HINT)

    def _date_tiers(self, scores: np.ndarray, lo: int | None, hi: int | None,
                    period: Period | None) -> list[np.ndarray | None]:
        """The scoring rows split by date, in order of preference (None: all of them).

        --since/--until: passages dated inside the range (their point, else their whole date
        range), then those whose range only partly overlaps it (an open or wide range, a point
        outside it whose range reaches in), nothing else. A question's period: the same two,
        then every other passage, so a period nothing in the archive matches still answers.
        """
        if lo is None and hi is None and period is None:
            return [None]
        start, end = (lo or 0, hi or OPEN_END) if lo is not None or hi is not None else period_bounds(period)
        rows = np.flatnonzero(scores > 0)
        inside, partly = overlap_masks(self.index.dates[rows], self.index.date_lo[rows], self.index.date_hi[rows],
                                       start, end)
        tiers = [rows[inside], rows[partly]]
        if lo is None and hi is None:
            tiers.append(rows[~(inside | partly)])
        return tiers

    def _dated_in(self, period: Period) -> bool:
        """Whether any passage's date range reaches into `period` (and its reporting days)."""
        if self._span is None:
            lo, hi = np.asarray(self.index.date_lo), np.asarray(self.index.date_hi)
            known = hi > 0
            self._span = (int(lo[known].min()), int(hi[known].max())) if known.any() else (0, 0)
        start, end = period_bounds(period)
        return self._span != (0, 0) and start <= self._span[1] and end >= self._span[0]

    def _today(self, today: str | None) -> dt.date:
        """What 今年/去年 count from: `today`, else the corpus's newest date."""
        if today is not None:
            try:
                return dt.date.fromisoformat(today.strip())
            except ValueError:
                raise QuestionError(f"--today {today!r}: use YYYY-MM-DD (e.g. 2021-04-27)") from None
        if self._newest is None:
            self._newest = newest_date(np.asarray(self.index.dates), np.asarray(self.index.date_hi))
        return self._newest

    def paragraph(self, paragraph_id: str) -> Paragraph:
        """The paragraph with this id (raises KeyError when there is none)."""
        return self.index.paragraph(self.index.row_of(paragraph_id))

    def article(self, paragraph_id: str) -> list[Paragraph]:
        """Every paragraph of the article this paragraph belongs to, in reading order."""
        target = self.paragraph(paragraph_id)
        return [p for p in self.page(paragraph_id) if p.article == target.article and p.record == target.record]

    def page(self, paragraph_id: str) -> list[Paragraph]:
        """Every paragraph of the page (file or record) this paragraph belongs to."""
        row = self.index.row_of(paragraph_id)
        entry = self.index.file_of(row)
        target = self.index.paragraph(row)
        before, after = [], []
        for step, out in ((-1, before), (1, after)):  # a record's rows are contiguous
            r = row + step
            while entry.start <= r < entry.start + entry.count:
                p = self.index.paragraph(r)
                if p.record != target.record:
                    break
                out.append(p)
                r += step
        return before[::-1] + [target] + after

    # -- stepping through the archive (browse.py) ----------------------------------------
    @property
    def browser(self) -> Browser:
        if self._browser is None:
            self._browser = Browser(self.index)
        return self._browser

    def day(self, day: str) -> DayListing:
        """The pages of a day (YYYY-MM-DD) in print order, with their article titles."""
        return self.browser.day(parse_day(day))

    def neighbour(self, paragraph_id: str, unit: str, step: int) -> Paragraph | None:
        """The first paragraph of the previous (-1) / next (+1) article on the page, page of
        the same day, or day of the same paper; None when there is none."""
        return self.browser.neighbour(paragraph_id, unit, step)

    def find(self, path: str, line: int) -> Paragraph | None:
        """The paragraph of file `path` (as shown in answers) that covers `line`."""
        for entry in self.index.files:
            if entry.path == path:
                for row in range(entry.start, entry.start + entry.count):
                    p = self.index.paragraph(row)
                    if p.line_start <= line <= p.line_end:
                        return p
        return None

    def __len__(self) -> int:
        return len(self.index)


def newest_date(dates: np.ndarray, date_hi: np.ndarray) -> dt.date:
    """The corpus's newest date: its latest full-date point, else the latest closed end of a
    range, else the end of its latest year; the real today when nothing is dated."""
    for candidates in (dates[(dates > 0) & (dates % 10000 != 0)], date_hi[(date_hi > 0) & (date_hi < OPEN_END)],
                       dates[dates > 0] + 1231):
        if len(candidates):
            newest = int(candidates.max())
            try:
                return dt.date(newest // 10000, newest // 100 % 100, newest % 100)
            except ValueError:
                continue
    return dt.date.today()


def _applied(period: Period | None, explicit: str | None, in_period: int, shown: int) -> Period | None:
    """The question's period with how the search used it."""
    if period is None:
        return None
    if explicit:
        return replace(period, applied="ignored")
    if in_period == 0:
        return replace(period, applied="none")
    return replace(period, applied="filter" if in_period == shown else "boost")


def _top_rows(scores: np.ndarray, k: int, candidates: np.ndarray | None = None) -> list[int]:
    """Rows of the k best positive scores (among `candidates`, rows that score), best first
    (ties: earlier paragraph first).

    Most paragraphs score 0 for a question; argpartition over an array that is mostly
    ties is slow (5 ms at 100k rows), so it runs on the scoring rows only (0.5 ms).
    """
    if candidates is None:
        candidates = np.flatnonzero(scores > 0)
    if len(candidates) > k:
        part = np.argpartition(scores[candidates], len(candidates) - k)[len(candidates) - k:]
        candidates = candidates[part]
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order].tolist()
