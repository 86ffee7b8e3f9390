"""Build or refresh a corpus's index: read only what changed, tokenise on every core.

`refresh_index` compares the corpus files' sizes and modification times with the
live generation's manifest. Nothing changed: the live index is returned untouched
(no file is read). Otherwise unchanged files' paragraphs and token ids are carried
over and only added or changed files are read, cut into paragraphs and tokenised;
then a new generation is written and switched in atomically (store.py).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from pathlib import Path

import numpy as np

from .config import Config
from .date_hints import HINT_FILE, hints_key
from .dates import DATING_VERSION
from .errors import StoreError
from .models import IndexSummary, Paragraph, Progress, Warn
from .loaders import UNREADABLE
from .reader import FileSkipped, file_paragraph_batches
from .checks import DamagedIndex
from .store import (
    FileEntry,
    FormatChanged,
    GenerationWriter,
    IndexData,
    copy_file_rows,
    corpus_files,
    date_key,
    live_generation,
    load_live,
    summary_of,
    writer_lock,
)
from .layout import LAYOUT_VERSION
from .tokenize import BIGRAM_MARK, Analyzer

TITLE_WEIGHT = 6  # a headline's words count this many times in each of its paragraphs
# ... but a long title (kicker + headline + subtitle + column tag + section head) adds at most
# this many words (character pairs not counted): repeated 6 times it would outweigh the
# paragraph's own words in BM25's length normalisation.
TITLE_BUDGET = 48
_BATCH = 4000  # paragraphs tokenised together
_PARALLEL_FROM = 3000  # fewer changed paragraphs than this: no worker processes


def _quiet(_: str) -> None:
    pass


def index_meta(config: Config, analyzer: Analyzer) -> dict:
    return {"fingerprint": f"{analyzer.fingerprint()}-t{TITLE_WEIGHT}w{TITLE_BUDGET}-l{LAYOUT_VERSION}", "k1": config.k1, "b": config.b,
            "dating": f"{DATING_VERSION}:{config.dates}"}


def try_load(config: Config, analyzer: Analyzer) -> tuple[IndexData | None, str | None]:
    """The live generation if it is sound and current; else (None, why it must be rebuilt)."""
    root = config.index_path()
    try:
        if live_generation(root) is None:
            return None, None
        index = load_live(root)
    except FormatChanged:
        return None, "the index format changed (a new wenbao); rebuilding the index"
    except (StoreError, ValueError, OSError) as exc:
        return None, f"the index was damaged ({exc}); rebuilding"
    meta = index_meta(config, analyzer)
    if index.manifest.get("fingerprint") != meta["fingerprint"]:
        index.close()
        return None, "tokenizer settings changed; rebuilding the index"
    if (index.manifest.get("k1"), index.manifest.get("b")) != (meta["k1"], meta["b"]):
        index.close()
        return None, "BM25 settings (k1, b) changed; rebuilding the index"
    if index.manifest.get("dating") != meta["dating"]:
        index.close()
        return None, "the dating rules or the config's dates changed; rebuilding the index"
    return index, None


def _same(entry: FileEntry | None, stat: os.stat_result, path: Path) -> bool:
    if entry is None or entry.size != stat.st_size or entry.mtime_ns != stat.st_mtime_ns:
        return False
    if entry.skipped and entry.skipped.startswith(UNREADABLE):
        # skipped as unreadable: try again once it may be readable (chmod leaves size and mtime)
        return not os.access(path, os.R_OK)
    return True


def _up_to_date(index: IndexData, files) -> bool:
    previous = {f.path: f for f in index.files}
    return len(previous) == len(files) and all(_same(previous.get(shown), st, path) for path, shown, st in files)


def refresh_index(config: Config, *, progress: Progress | None = None, warn: Warn = _quiet,
                  notice: Warn = _quiet, force: bool = False, wait: bool = True) -> tuple[IndexData, IndexSummary]:
    """The index of config.corpus, brought up to date.

    An index that is up to date is returned without taking the writer lock, so readers
    never wait for a writer. With wait=False (a reader: `ask`, the chat app), a stale
    index is answered from, with a notice, while another process holds the lock.
    """
    started = time.perf_counter()
    analyzer = Analyzer(config)
    _, files = corpus_files(config, warn)
    root = config.index_path()
    hints = hints_key(config.corpus, [path for path, _, _ in files])
    current = None
    if not force:
        current, _ = try_load(config, analyzer)
        if current is not None and _up_to_date(current, files) and current.manifest.get("date_hints") == hints:
            return current, summary_of(current, time.perf_counter() - started, unchanged=len(files))
    with writer_lock(root, wait=wait or current is None) as held:
        if not held:
            notice("another wenbao process is updating the index; answering from the index as it was")
            return current, summary_of(current, time.perf_counter() - started, unchanged=len(current.files))
        if current is not None:
            current.close()  # read again under the lock: another writer may have just published
        old, reason = try_load(config, analyzer)
        if old is not None and old.manifest.get("date_hints") != hints:
            old.close()
            old, reason = None, f"a {HINT_FILE} changed; rebuilding the index"
        if force and old is not None:
            old.close()
            old, reason = None, "rebuild requested"
        elif reason:
            notice(reason)
        if old is not None and _up_to_date(old, files):  # another process has just refreshed it
            return old, summary_of(old, time.perf_counter() - started, unchanged=len(files))
        old, damaged = _checked_for_copying(old, files)
        if damaged:
            reason = damaged
            notice(damaged)
        counts = _write_generation(config, analyzer, files, old, progress, warn, hints)
    index = load_live(root)
    return index, summary_of(index, time.perf_counter() - started, rebuilt_reason=reason, **counts)


def _write_generation(config, analyzer, files, old, progress, warn, hints) -> dict[str, int]:
    """A new generation from the corpus files, unchanged ones copied from `old`; published."""
    previous = {f.path: f for f in old.files} if old else {}
    writer = GenerationWriter(config.index_path(), list(old.vocab) if old else [],
                              list(old.term_freq) if old else [], analyzer.question_words())
    try:
        counts = _write_rows(config, analyzer, files, old, previous, writer, progress, warn)
        if old is not None:
            old.close()  # let go of the old generation, so publishing can prune it
        writer.finish(dict(index_meta(config, analyzer), date_hints=hints), config.k1, config.b, progress)
    except BaseException:
        writer.abort()
        raise
    finally:
        if old is not None:
            old.close()
    counts["removed"] = len(set(previous) - {shown for _, shown, _ in files})
    return counts


def _checked_for_copying(old: IndexData | None, files) -> tuple[IndexData | None, str | None]:
    """The previous generation if every byte of it is as written (nothing unchecked is ever
    carried into a new generation); else (None, the notice for the rebuild)."""
    if old is None:
        return None, None
    previous = {f.path: f for f in old.files}
    if not any(_same(previous.get(shown), st, path) for path, shown, st in files):
        return old, None  # nothing will be copied
    try:
        old.verify_all()
    except (DamagedIndex, OSError) as exc:
        old.close()
        return None, f"the index was damaged ({exc}); rebuilding"
    return old, None


class _FileRows:
    """A file being written: where its rows start once known, and how many there are."""

    def __init__(self, path: str, stat: os.stat_result) -> None:
        self.path, self.size, self.mtime_ns = path, stat.st_size, stat.st_mtime_ns
        self.start: int | None = None
        self.count = 0
        self.skipped: str | None = None

    def entry(self, start: int) -> FileEntry:
        return FileEntry(self.path, self.size, self.mtime_ns, start, self.count, self.skipped)


def _write_rows(config, analyzer, files, old, previous, writer, progress, warn) -> dict[str, int]:
    """Every file's rows into the writer: unchanged files copied, the others read in batches
    of paragraphs (several small files to a batch, a big file over many), so memory stays
    bounded whatever the size of one file."""
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    pending: list[tuple[_FileRows, list[Paragraph]]] = []
    rows: list[_FileRows | FileEntry] = []
    pool = _Pool(config, warn)
    try:
        for n, (path, shown, st) in enumerate(files):
            if progress:
                progress("Reading files", n, len(files))
            entry = previous.get(shown)
            if old is not None and _same(entry, st, path):
                _flush(pending, analyzer, writer, pool, progress)
                rows.append(copy_file_rows(old, entry, writer))
                counts["unchanged"] += 1
                continue
            counts["changed" if entry else "added"] += 1
            target = _FileRows(shown, st)
            rows.append(target)
            try:
                for batch in file_paragraph_batches(path, config, warn):
                    pending.append((target, batch))
                    if sum(len(p) for _, p in pending) >= _BATCH:
                        _flush(pending, analyzer, writer, pool, progress)
            except FileSkipped as exc:
                target.skipped = exc.reason
        _flush(pending, analyzer, writer, pool, progress)
        if progress:
            progress("Reading files", len(files), len(files))
    finally:
        pool.close()
    cursor = 0
    for item in rows:  # a file that gave no rows starts where the next one does
        entry = item if isinstance(item, FileEntry) else item.entry(cursor if item.start is None else item.start)
        writer.add_file(entry)
        cursor = entry.start + entry.count
    return counts


def _flush(pending, analyzer: Analyzer, writer: GenerationWriter, pool: _Pool, progress) -> None:
    if not pending:
        return
    texts = [(p.title, p.text) for _, paragraphs in pending for p in paragraphs]
    term_lists = pool.tokenize(texts, analyzer, progress)
    rows = iter(term_lists)
    for target, paragraphs in pending:
        if target.start is None:
            target.start = len(writer)
        target.count += len(paragraphs)
        token_ids = []
        for _ in paragraphs:
            terms, freqs = next(rows)
            token_ids.append(np.fromiter((writer.term_id(t, freqs.get(t, 1)) for t in terms), dtype=np.int32,
                                         count=len(terms)))
        writer.add_paragraphs(paragraphs, token_ids, [date_key(p) for p in paragraphs])
    pending.clear()


# -- tokenising on every core ------------------------------------------------------------

_worker_analyzer: Analyzer | None = None


def _init_worker(config: Config) -> None:
    global _worker_analyzer
    _worker_analyzer = Analyzer(config)


def _tokenize_chunk(texts: list[tuple[str, str]]) -> list[tuple[list[str], dict[str, int]]]:
    assert _worker_analyzer is not None
    return tokenize_texts(_worker_analyzer, texts)


def tokenize_texts(analyzer: Analyzer, texts: list[tuple[str, str]]) -> list[tuple[list[str], dict[str, int]]]:
    """Terms of title + text for each paragraph, with jieba frequencies of the new terms."""
    title_terms: dict[str, list[str]] = {}
    out = []
    for title, text in texts:
        if title not in title_terms:
            title_terms[title] = analyzer.terms(title) if title else []
        words = sum(not t.startswith(BIGRAM_MARK) for t in title_terms[title])
        terms = title_terms[title] * title_repeats(words) + analyzer.terms(text)
        out.append((terms, {t: analyzer.word_freq(t) for t in set(terms)}))
    return out


def title_repeats(count: int) -> int:
    """How many times a title of `count` words is counted in each of its paragraphs."""
    return max(1, min(TITLE_WEIGHT, TITLE_BUDGET // max(count, 1)))


class _Pool:
    """Worker processes, started only when there is enough text to be worth it."""

    def __init__(self, config: Config, warn: Warn = _quiet) -> None:
        self.config = config
        self.warn = warn
        self.pool = None
        self.processes = 1
        self.started = False
        self.done = 0

    def tokenize(self, texts, analyzer: Analyzer, progress: Progress | None = None):
        """Terms for each text, in order; progress after every chunk (so Ctrl-C is prompt)."""
        if not self.started and len(texts) >= _PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            self._start(min(os.cpu_count() or 2, 8))
        size = max(50, len(texts) // (4 * self.processes))
        chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
        parts = self.pool.imap(_tokenize_chunk, chunks) if self.pool else (tokenize_texts(analyzer, c) for c in chunks)
        out = []
        for part in parts:
            out.extend(part)
            self.done += len(part)
            if progress:
                progress("Tokenising paragraphs", self.done, 0)
        return out

    def _start(self, processes: int) -> None:
        """Start the worker processes; when the system refuses, tokenise here, slower but sure."""
        self.started = True
        context = _context()
        try:
            if context.get_start_method() != "fork":
                _start_resource_tracker()
            self.pool = context.Pool(processes, initializer=_init_worker, initargs=(self.config,))
        except (OSError, ValueError) as exc:
            self.warn(f"cannot start worker processes ({exc}); tokenising on one core, which is slower")
            return
        self.processes = processes

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


def _context():
    """fork is cheapest, but forking a process that runs threads (the chat app opens the
    index in a worker thread) is unsafe: then start clean interpreters instead."""
    if sys.platform.startswith("linux") and threading.current_thread() is threading.main_thread():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


_tracker_lock = threading.Lock()


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (spawn needs it) even when sys.stderr is no file.

    The tracker is started with sys.stderr's file descriptor. A front end that replaced
    sys.stderr with an object whose fileno() is -1 (Textual's print capture, while the app
    runs) makes every spawn pool fail with "bad value(s) in fds_to_keep". So while the
    tracker starts, sys.stderr is /dev/null; the tracker still inherits the process's real
    standard error (descriptor 2), as it would have anyway.
    """
    try:
        if sys.stderr is None or sys.stderr.fileno() >= 0:
            return  # multiprocessing copes: it skips a missing stream, passes a real one
    except (AttributeError, OSError, ValueError):
        return  # no fileno() at all: multiprocessing skips it too
    from multiprocessing import resource_tracker

    with _tracker_lock, open(os.devnull, "w", encoding="utf-8") as devnull:
        replaced, sys.stderr = sys.stderr, devnull
        try:
            resource_tracker.ensure_running()
        finally:
            if sys.stderr is devnull:  # unless the front end put its own back meanwhile
                sys.stderr = replaced
