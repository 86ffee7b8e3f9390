"""The engine's front door: open a corpus, keep its index fresh, answer questions.

    archive = Archive.open(load_config())
    answers = archive.ask("首批揭榜挂帅技术攻关的企业发放了多少补助？")

Every front end (the command line, the chat app, the benchmarks) goes through here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import math
import re
import time
from collections.abc import Iterable
from dataclasses import replace

import numpy as np

from .answers import WINDOW_FEATURES, Query, asks_for, compose_answer, coverage_ratio, head_words, near_duplicate, shingles
from .article_choice import article_with_unit, covering_more
from .browse import Browser, DayListing, parse_day
from .checks import DamagedIndex
from .config import Config
from .errors import QuestionError
from .indexer import refresh_index, try_load
from .models import AnswerSet, IndexSummary, Paragraph, Period, Progress, Warn
from .normalize import fold
from .focus import FOCUS_REACH, named_window, refocus, unit_window
from .headline import headline_answer
from .rerank import RERANK_DEPTH, RERANK_FLOOR, Candidate, names_title, rerank
from .abbreviations import alternatives, expansions
from .periods import find_period, period_bounds, period_words
from .retrievers import Retriever, ScoringRetriever
from .store import OPEN_END, IndexData, summary_of
from .tokenize import BIGRAM_MARK, Analyzer


MAX_QUESTION_CHARS = 1000
MIN_COVERAGE = 0.3  # below this share of the question's weight, a passage is noise
_TYPED = WINDOW_FEATURES.index("typed")
PERIOD_FLOOR = RERANK_FLOOR  # of the best hit's BM25 score: a date tier whose best scores less is not preferred
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
    """An indexed corpus. Opening it builds or refreshes the on-disk index.

    `index` is the local index (None when the paragraphs live only in remote shards);
    `retriever` ranks and looks paragraphs up (retrievers.py).
    """

    def __init__(self, config: Config, index: IndexData | None, summary: IndexSummary, notice: Warn | None = None,
                 retriever: Retriever | None = None) -> None:
        self.config = config
        self.index = index
        self.summary = summary
        self.retriever = retriever or ScoringRetriever(index, config.engine, config.auto_threshold)
        self.engine_name = self.retriever.name
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
        if config.engine == "xapian" or config.shards:
            from .xapian_backend import import_xapian

            import_xapian()  # say what to install before any work is done
        if config.shards:  # the index lives in the shards: the corpus is not read here
            from .xapian_backend import open_shards

            retriever = open_shards(config)
            summary = IndexSummary(files=0, paragraphs=len(retriever), engine="xapian")
            return cls(config, None, summary, notice, retriever)
        index = None
        if not refresh and not force:
            index, reason = try_load(config, Analyzer(config))
            summary = summary_of(index, unchanged=len(index.files)) if index is not None else None
        if index is None:
            index, summary = refresh_index(config, progress=progress, warn=quiet, notice=notice or quiet,
                                           force=force, wait=wait or force)
        return cls(config, index, summary, notice, _local_retriever(config, index, progress))

    def _rebuild(self, damage: DamagedIndex) -> None:
        """A piece of the index turned out damaged while it was read: rebuild it, once."""
        self._notice(f"the index was damaged ({damage}); rebuilding")
        self.index.close()
        self.index, self.summary = refresh_index(self.config, force=True)
        self.retriever = (_local_retriever(self.config, self.index)
                          or ScoringRetriever(self.index, self.config.engine, self.config.auto_threshold))
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
        """The local scoring engine (rank-bm25 or bm25s)."""
        return self.retriever.engine

    @property
    def analyzer(self) -> Analyzer:
        if self._analyzer is None:
            self._analyzer = Analyzer(self.config, lexicon=self.retriever.lexicon())
        return self._analyzer

    def query(self, question: str) -> Query:
        return self._analyse(question)[0]

    def _analyse(self, question: str, skip: list[tuple[int, int]] = ()) -> tuple[Query, list[str]]:
        """The question's Query (words, idf weights, kind) and the terms BM25 ranks by.

        Words inside a `skip` span are not terms: the calendar words of a period the
        question names (2019年, 去年), which narrows the search by date instead.
        """
        weights: dict[str, float] = {}
        spans = [s for s in self.analyzer.spans(question) if not any(a < s[2] and s[1] < b for a, b in skip)]
        words = [s for s in spans if not s[0].startswith(BIGRAM_MARK)]
        # The press's short forms ("中俄" for 中国和俄罗斯): searched for, not the question's own words.
        folded, known = fold(question), {s[0] for s in spans}
        spans += [(t, 0, 0) for extra in expansions(folded) for t, _, _ in self.analyzer.spans(extra) if t not in known]
        n, doc_freq = self.retriever.stats(t for t, _, _ in spans)
        n = max(1, n)
        ranked = [t for t, _, _ in spans if doc_freq[t] > 0]
        for term, _, _ in spans:
            df = doc_freq[term]
            weights[term] = max(math.log((n - df + 0.5) / (df + 0.5) + 1.0), 0.05)
        weights = {t: w for t, w in weights.items() if not t.startswith(BIGRAM_MARK)}
        return Query(question, tuple(weights), weights, asks_for(question), tuple(head_words(words)),
                     alternatives(folded)), ranked

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
        finally:
            self.retriever.forget()

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
        # A period the question names narrows the search instead of its words, where the
        # retriever can rank by date ranges (the local index); a period the archive has no
        # date in (a question about 1949 in a 2019 archive) is history: its words stay terms.
        by_period = getattr(self.retriever, "ranks_by_period", False)
        reference = self._today(today) if by_period else None
        period = find_period(question, reference) if by_period else None
        dated = period is not None and self._dated_in(period)
        query, terms = self._analyse(question, period_words(question, reference) if dated else [])
        period_answers = 0

        def result(answers=(), hint=None) -> AnswerSet:
            return AnswerSet(question=question, answers=tuple(answers), terms=query.terms, asks_for=query.asks_for,
                             since=since, until=until, top=top, hint=hint, warnings=tuple(self.retriever.warnings),
                             period=_applied(period, since or until, period_answers, len(answers)),
                             elapsed_ms=(time.perf_counter() - started) * 1000)

        if not terms:
            return result(hint=NO_TERMS_HINT if not query.terms else NO_MATCH_HINT)
        answers, seen = [], []
        span = period_bounds(period) if period is not None else None
        depth = max(top, RERANK_DEPTH)
        tiers = list(enumerate(self.retriever.tiers(terms, depth * 3 + 5, lo, hi, span)))  # preferred dates first
        if period is not None and not (since or until):
            tiers = _weak_tiers_last(tiers)
            if dated and not _period_answers(tiers):
                # no passage of the period answers well: its words are words again ("2008年度…竞选")
                query, terms = self._analyse(question)
                tiers = _weak_tiers_last(list(enumerate(self.retriever.tiers(terms, depth * 3 + 5, lo, hi, span))))
        for tier, ranked in tiers:
            need = top - len(answers)
            found = self._candidates(query, ranked, max(need, RERANK_DEPTH), need, seen, not answers)
            ordered = rerank(found, query)
            if not answers and ordered:
                ordered = self._refocus(ordered, query)  # the leading article's answering paragraph
            for c in ordered[:need]:  # within a tier, what answers the question's kind first
                seen.append(shingles(c.folded))
                answer = compose_answer(len(answers) + 1, c.paragraph, c.bm25, query,
                                        self.config.max_quote_chars, c.folded, c.window)
                headline = headline_answer(answer, query, self.config.max_quote_chars)
                if headline is not None and not _quotes_headline(answers, c.paragraph):  # a headline once
                    answer = headline
                answers.append(answer)
                period_answers += tier < 2  # tiers 0 and 1: inside or partly inside the period
            if len(answers) == top:
                break
        return result(answers, None if answers else NO_MATCH_HINT)

    def _refocus(self, ordered: list[Candidate], query: Query) -> list[Candidate]:
        """Which candidate's article leads (article_choice.py), and which of its paragraphs
        says the asked-for value (focus.py)."""
        # a candidate saying more of what is asked, or stating a count in the unit asked,
        # leads over one sharing only the subject's words (article_choice.py)
        more = covering_more([c.coverage for c in ordered], [c.window_row[_TYPED] for c in ordered])
        ordered = _to_front(ordered, more)
        found = [c.paragraph for c in ordered]
        stating = article_with_unit(found, [c.coverage for c in ordered], query,
                                    lambda p: self._article_near(p, found))
        ordered = _to_front(ordered, stating)
        found = [c.paragraph for c in ordered]
        lead = ordered[0]
        if lead.caption:
            return ordered
        article = self._article_near(lead.paragraph, found)
        better = refocus(lead.paragraph, article, query, self.config.max_quote_chars)
        if better is None:
            self._unit_quote(lead, query)
            return ordered
        known = next((c for c in ordered if c.paragraph.id == better.id), None)
        if known is None:  # not a BM25 candidate: it leads with the lead's score
            folded = fold(better.text)
            known = Candidate.of(lead.row, better, folded, lead.bm25, query, self.config.max_quote_chars,
                                 coverage_ratio(fold(better.title) + "\n" + folded, query))
        self._unit_quote(known, query)
        return [known] + [c for c in ordered if c is not known]

    def _unit_quote(self, lead: Candidate, query: Query) -> None:
        """The lead's quote holds the count in the unit the question asks in, or the quoted name
        of the thing it asks about, when it can."""
        chooser = named_window if query.asks_for == "named" else unit_window
        window = chooser(lead.paragraph.text, query, self.config.max_quote_chars, lead.paragraph.title,
                         lead.folded, lead.window)
        if window is not None:
            lead.window = window

    def _article_near(self, paragraph: Paragraph, found: list[Paragraph]) -> list[Paragraph]:
        """The paragraph's article within FOCUS_REACH paragraphs of it, in reading order: from
        the local index by row (a 200 MB page file is not walked whole per question); over
        Xapian shards, only the hits already `found` (no more round trips to a shard that
        may have stopped answering)."""
        index = getattr(self.retriever, "index", None)
        if index is None:
            same = [p for p in found if (p.path, p.record, p.article) == (paragraph.path, paragraph.record, paragraph.article)]
            return sorted(same, key=lambda p: p.line_start)
        row = index.row_of(paragraph.id)
        entry = index.file_of(row)
        lo, hi = max(entry.start, row - FOCUS_REACH), min(entry.start + entry.count, row + FOCUS_REACH + 1)
        near = (index.paragraph(r) for r in range(lo, hi))
        return [p for p in near if p.article == paragraph.article and p.record == paragraph.record]

    def _dated_in(self, period: Period) -> bool:
        """Whether any passage's date range reaches into `period` (and its reporting days)."""
        if self._span is None:
            _, lo, hi = self.index.dated()
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
            dates, _, hi = self.index.dated()
            self._newest = newest_date(dates, hi)
        return self._newest

    def candidates(self, question: str, depth: int) -> tuple[Query, list[Candidate]]:
        """The question's analysis and its first `depth` hits over the whole archive, in BM25
        order, with their quotes (for bench.fit_answers)."""
        query, terms = self._analyse(question)
        if not terms:
            return query, []
        ranked = self.retriever.tiers(terms, depth * 3 + 5, None, None, None)[0]
        return query, self._candidates(query, ranked, depth, 1, [], True)

    def _candidates(self, query: Query, ranked, depth: int, shown: int,
                    seen: list[frozenset[str]], first: bool) -> list[Candidate]:
        """Up to `depth` of the ranked (paragraph, score) hits, reprints of `seen` and of each
        other dropped, each with its best quote; beyond the first `shown`, only hits scoring
        RERANK_FLOOR of the first or more; none when `first` and the first hit covers too
        little of the question."""
        out: list[Candidate] = []
        seen = list(seen)
        for row, (paragraph, score) in enumerate(ranked):
            if len(out) >= shown and score < RERANK_FLOOR * out[0].bm25:
                break  # too far behind the first to win the re-rank
            folded = fold(paragraph.text)
            coverage = coverage_ratio(fold(paragraph.title) + "\n" + folded, query)
            if first and not out and coverage < MIN_COVERAGE and not names_title(query, paragraph.title):
                break  # this tier's best is noise (unless the question names its article): try the next
            grams = shingles(folded)
            if any(near_duplicate(grams, other) for other in seen):
                continue
            seen.append(grams)
            out.append(Candidate.of(row, paragraph, folded, float(score), query, self.config.max_quote_chars, coverage))
            if len(out) == depth:
                break
        return out

    def paragraph(self, paragraph_id: str) -> Paragraph:
        """The paragraph with this id (raises KeyError when there is none)."""
        return self.retriever.paragraph(paragraph_id)

    def article(self, paragraph_id: str) -> list[Paragraph]:
        """Every paragraph of the article this paragraph belongs to, in reading order."""
        target = self.paragraph(paragraph_id)
        return [p for p in self.page(paragraph_id) if p.article == target.article and p.record == target.record]

    def page(self, paragraph_id: str) -> list[Paragraph]:
        """Every paragraph of the page (file or record) this paragraph belongs to."""
        return self.retriever.page(paragraph_id)

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
        return self.retriever.find(path, line)

    def __len__(self) -> int:
        return len(self.retriever)


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


def _quotes_headline(answers: list, paragraph: Paragraph) -> bool:
    """Whether one of `answers` already quotes the headline of `paragraph`'s article."""
    return any(a.quote_in == "title" and (a.paragraph.path, a.paragraph.record, a.paragraph.article)
               == (paragraph.path, paragraph.record, paragraph.article) for a in answers)


def _to_front(ordered: list, i: int) -> list:
    """`ordered` with its i-th item first, the others in their order."""
    return ordered if i == 0 else [ordered[i]] + ordered[:i] + ordered[i + 1:]


def _period_answers(ordered: list[tuple[int, Iterable]]) -> bool:
    """Whether the passages dated inside the period (tier 0) come first after
    _weak_tiers_last (empty tiers dropped), i.e. one of them answers about as well as the
    best passage. Passages only partly in it (a year's range for a day's question, as a
    folder's year gives) narrow nothing for certain: then the period's words stay search
    words, and the passage that prints "9月26日" wins on them."""
    return bool(ordered) and ordered[0][0] == 0


def _weak_tiers_last(tiers: list[tuple[int, Iterable]]) -> list[tuple[int, Iterable]]:
    """A question's period prefers its passages only where they answer about as well: a tier
    whose best hit scores under PERIOD_FLOOR of the best hit of all tiers goes last. An open
    date range ("2005 or later") overlaps every later year, so without this, any weak match
    dated that way would come before the passage that answers (a year in a question about
    history, an encyclopedia archive)."""
    peeked = []  # (tier, its best score, its hits): empty tiers dropped
    for tier, ranked in tiers:
        ranked = iter(ranked)
        head = next(ranked, None)
        if head is not None:
            peeked.append((tier, head[1], itertools.chain([head], ranked)))
    best = max((score for _, score, _ in peeked), default=0.0)
    weak_last = sorted(peeked, key=lambda p: p[1] < PERIOD_FLOOR * best)  # stable: tier order kept
    return [(tier, ranked) for tier, _, ranked in weak_last]


def _applied(period: Period | None, explicit: str | None, in_period: int, shown: int) -> Period | None:
    """The question's period with how the search used it."""
    if period is None:
        return None
    if explicit:
        return replace(period, applied="ignored")
    if in_period == 0:
        return replace(period, applied="none")
    return replace(period, applied="filter" if in_period == shown else "boost")


def _local_retriever(config: Config, index: IndexData, progress: Progress | None = None) -> Retriever | None:
    """engine xapian: the local Xapian database, brought up to date with the index;
    None: the index's own engine (ScoringRetriever)."""
    if config.engine != "xapian":
        return None
    from .xapian_backend import open_local

    return open_local(config, index, progress)
