"""The engine's front door: open a corpus, keep its index fresh, answer questions.

    archive = Archive.open(load_config())
    answers = archive.ask("首批揭榜挂帅技术攻关的企业发放了多少补助？")

Every front end (the command line, the chat app, the benchmarks) goes through here.
"""

from __future__ import annotations

import math
import re
import time

import numpy as np

from .answers import Query, asks_for, compose_answer, coverage_ratio, head_words, near_duplicate, shingles
from .browse import Browser, DayListing, parse_day
from .checks import DamagedIndex
from .config import Config
from .engines import choose_engine, open_engine
from .errors import QuestionError
from .indexer import refresh_index, try_load
from .models import AnswerSet, IndexSummary, Paragraph, Progress, Warn
from .normalize import fold
from .store import IndexData, summary_of
from .tokenize import BIGRAM_MARK, Analyzer


MAX_QUESTION_CHARS = 1000
MIN_COVERAGE = 0.3  # below this share of the question's weight, a passage is noise
_DATE_ARG = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")

NO_TERMS_HINT = "未找到相关内容：问题里没有可检索的词。请用人名、地名、机构、事件或数字提问。"
NO_MATCH_HINT = ("未找到相关内容：语料中没有与问题足够相关的段落。"
                 "可以换个说法（人名、地名、数字），或放宽 --since/--until 的日期范围。")


def date_bound(value: str | None, upper: bool, option: str) -> int | None:
    """'2021' / '2021-04' / '2021-04-27' as an inclusive yyyymmdd bound."""
    if value is None:
        return None
    m = _DATE_ARG.match(value.strip())
    if not m:
        raise QuestionError(f"{option} {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2021, 2021-04, 2021-04-27)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month and not 1 <= int(month) <= 12 or day and not 1 <= int(day) <= 31:
        raise QuestionError(f"{option} {value!r}: no such month or day")
    if upper:
        return year * 10000 + (int(month) if month else 12) * 100 + (int(day) if day else 31)
    return year * 10000 + (int(month) if month else 1) * 100 + (int(day) if day else 1)


def date_mask(dates: np.ndarray, since: int | None, until: int | None) -> np.ndarray | None:
    """Paragraphs dated inside the range; a year-only date (yyyy0000) counts by its year."""
    if since is None and until is None:
        return None
    year_only = dates % 10000 == 0  # a year alone spans its whole year
    earliest = np.where(year_only, dates + 101, dates)
    latest = np.where(year_only, dates + 1231, dates)
    keep = dates > 0
    if since is not None:
        keep &= latest >= since
    if until is not None:
        keep &= earliest <= until
    return keep


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

    def _analyse(self, question: str) -> tuple[Query, list[int]]:
        """The question's Query (words, idf weights, kind) and the term ids BM25 ranks by."""
        term_ids = self.index.term_ids
        n = max(1, len(self.index))
        weights: dict[str, float] = {}
        spans = self.analyzer.spans(question)
        ranked = [term_ids[t] for t, _, _ in spans if t in term_ids]
        for term, _, _ in spans:
            tid = term_ids.get(term)
            df = int(self.index.doc_freq[tid]) if tid is not None else 0
            weights[term] = max(math.log((n - df + 0.5) / (df + 0.5) + 1.0), 0.05)
        words = [s for s in spans if not s[0].startswith(BIGRAM_MARK)]
        weights = {t: w for t, w in weights.items() if not t.startswith(BIGRAM_MARK)}
        return Query(question, tuple(weights), weights, asks_for(question), tuple(head_words(words))), ranked

    def ask(self, question: str, *, top: int | None = None, since: str | None = None,
            until: str | None = None) -> AnswerSet:
        """Answer one question. `since`/`until` take 2021, 2021-04 or 2021-04-27."""
        try:
            return self._ask(question, top, since, until)
        except DamagedIndex as damage:
            self._rebuild(damage)
            return self._ask(question, top, since, until)

    def _ask(self, question: str, top: int | None, since: str | None, until: str | None) -> AnswerSet:
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
        query, term_ids = self._analyse(question)

        def result(answers=(), hint=None) -> AnswerSet:
            return AnswerSet(question=question, answers=tuple(answers), terms=query.terms, asks_for=query.asks_for,
                             since=since, until=until, top=top, hint=hint,
                             elapsed_ms=(time.perf_counter() - started) * 1000)

        if not term_ids or len(self.index) == 0:
            return result(hint=NO_TERMS_HINT if not query.terms else NO_MATCH_HINT)
        scores = self.engine.scores(term_ids)
        mask = date_mask(np.asarray(self.index.dates), lo, hi)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        answers, seen = [], []
        for row in _top_rows(scores, top * 3 + 5):
            paragraph = self.index.paragraph(row)
            folded = fold(paragraph.text)
            if not answers and coverage_ratio(fold(paragraph.title) + "\n" + folded, query) < MIN_COVERAGE:
                break
            grams = shingles(folded)
            if any(near_duplicate(grams, other) for other in seen):
                continue
            seen.append(grams)
            answers.append(compose_answer(len(answers) + 1, paragraph, float(scores[row]), query,
                                          self.config.max_quote_chars, folded))
            if len(answers) == top:
                break
        return result(answers, None if answers else NO_MATCH_HINT)

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


def _top_rows(scores: np.ndarray, k: int) -> list[int]:
    """Rows of the k best positive scores, best first (ties: earlier paragraph first).

    Most paragraphs score 0 for a question; argpartition over an array that is mostly
    ties is slow (5 ms at 100k rows), so it runs on the scoring rows only (0.5 ms).
    """
    candidates = np.flatnonzero(scores > 0)
    if len(candidates) > k:
        part = np.argpartition(scores[candidates], len(candidates) - k)[len(candidates) - k:]
        candidates = candidates[part]
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order].tolist()
