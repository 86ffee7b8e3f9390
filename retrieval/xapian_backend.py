"""Xapian: wenbao's index terms in Xapian databases, one local database or N shards.

    index (store.py) --write_shards--> shard databases --xapian-tcpsrv--> remote shards
    XapianRetriever(["tcp://host:33333", "/path/shard-1"]) --top()--> (Paragraph, score)

Each paragraph is one Xapian document: wenbao's own terms (the Analyzer's jieba words,
sub-words, number and date tokens, headline words, character pairs) with their counts in
the paragraph as wdf, so Xapian's BM25 sees the same term statistics the other engines
do; the Paragraph itself (every dataclass field) as JSON data, so a hit from a remote
shard is quoted and cited without the corpus files; the earliest and latest day its
date allows as two values, for --since/--until.

Xapian's remote backend searches several databases as one, with the collection
statistics of all of them, so BM25 over N shards is exactly BM25 over one database.
A shard that is down or stops answering is left out of a question with a warning
naming it (or is an error, with require_all_shards); it is tried again on the next
question, so a shard that comes back is used again without a restart.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .date_folders import FolderYear, verdicts_from_json, with_folder_year
from .errors import ConfigError, WenbaoError
from .models import Paragraph, Progress
from .paragraph_codec import decode_paragraph, encode_paragraph
from .store import date_range_key

INSTALL_HINT = 'pip install "wenbao[xapian]"'
ID_PREFIX = "Q"  # the paragraph id term: Xapian's convention for unique ids
FILE_PREFIX = "F"  # one term per source file: its paragraphs are replaced together
FOLDER_YEARS_KEY = "wenbao:folder_years"
EARLIEST, LATEST = 0, 1  # value slots: the first and last day the paragraph's date allows
MAX_TERM_BYTES = 240  # Xapian's limit is 245 bytes; wenbao's terms are far shorter
_TCP = re.compile(r"^tcp://(?P<host>\[[^\]]+\]|[^:/]+):(?P<port>\d{1,5})/?$")
_COMMIT_EVERY = 20_000  # documents per transaction while files of a shard are replaced
# Scores are rounded to this many decimals: a sum over shards can differ from the sum in one
# database in the last bit (the order of floating-point additions), never in the 9th decimal.
SCORE_DIGITS = 9
_TIE_ROOM = 10
_MAX_TIE = 2_000  # hits fetched at most to keep a tie at the k-th place whole


class ShardError(WenbaoError):
    """A shard could not be searched and the answer may not go without it."""


def import_xapian():
    try:
        import xapian
    except ImportError:
        raise ConfigError("retrieval.engine 'xapian' (or retrieval.shards) needs the Xapian bindings: "
                          f"{INSTALL_HINT}") from None
    return xapian


def parse_location(location: str) -> tuple[str, int] | None:
    """(host, port) of a 'tcp://host:port' shard; None for a folder path."""
    m = _TCP.match(location)
    if not m:
        if location.startswith("tcp:"):
            raise ConfigError(f"retrieval.shards: {location!r} is not tcp://HOST:PORT")
        return None
    port = int(m.group("port"))
    if not 0 < port < 65536:
        raise ConfigError(f"retrieval.shards: {location!r}: port must be 1 to 65535")
    return m.group("host").strip("[]"), port


def shard_of(path: str, shards: int) -> int:
    """Which of `shards` databases holds this file: a hash of its display path (stable)."""
    digest = hashlib.blake2b(path.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def file_term(path: str) -> str:
    return FILE_PREFIX + hashlib.blake2b(path.encode("utf-8"), digest_size=10).hexdigest()


def shard_folders(folder: Path, shards: int) -> list[Path]:
    return [folder / f"shard-{i + 1}-of-{shards}" for i in range(shards)]


# -- writing ------------------------------------------------------------------------------

def _date_values(paragraph: Paragraph) -> tuple[str, str] | None:
    """(earliest, latest) day the paragraph's date may be, as yyyymmdd strings: the same
    range the local index filters on (store.date_range_key); None when nothing is known."""
    lo, hi = date_range_key(paragraph)
    if hi <= 0:
        return None
    return f"{lo:08d}", f"{hi:08d}"


def paragraph_from_data(data: bytes, folder_years: Mapping[str, FolderYear] | None = None) -> Paragraph:
    """The Paragraph a document carries (fields this wenbao does not know are ignored), with
    its folder's year when the folder has one (date_folders)."""
    paragraph = decode_paragraph(data)
    return with_folder_year(paragraph, folder_years) if folder_years else paragraph


@dataclass(frozen=True)
class ShardUpdate:
    folder: Path
    files_written: int
    files_removed: int
    paragraphs: int  # documents in the shard after the update

    @property
    def touched(self) -> bool:
        return bool(self.files_written or self.files_removed)


@dataclass
class _ShardPlan:
    """What one shard needs: written anew (rewrite), or some files replaced in place."""
    number: int
    folder: Path
    rewrite: bool
    changed: list  # FileEntry, in row order
    removed: list[str]
    files: dict[str, str]  # path -> signature, as the shard holds them afterwards

    @property
    def touched(self) -> bool:
        return bool(self.rewrite or self.changed or self.removed)


def _signature(entry) -> str:
    return f"{entry.size}:{entry.mtime_ns}:{entry.count}"


def write_shards(index, folders: Sequence[Path], progress: Progress | None = None,
                 workers: int | None = None) -> list[ShardUpdate]:
    """Bring the shard databases in `folders` up to date with a loaded index (store.IndexData).

    Files go to shard_of(path); a shard whose files did not change is not opened for
    writing at all. A shard written anew (new, or written by other tokenizer settings) is
    built in parts by worker processes, each part its own database, which Xapian's
    compactor then merges into the shard (packed full: about 30% smaller than written).
    In a shard that exists, a changed file's documents are deleted by its file term and
    written again (each replaces any document with its paragraph id).
    """
    xapian = import_xapian()
    n = len(folders)
    fingerprint = str(index.manifest.get("fingerprint", ""))
    wanted: list[dict] = [{} for _ in folders]
    for entry in index.files:
        wanted[shard_of(entry.path, n)][entry.path] = entry
    plans = []
    for i, folder in enumerate(folders):
        stored, rewrite = _stored_files(xapian, folder, fingerprint, i, n)
        changed = sorted((e for p, e in wanted[i].items() if rewrite or stored.get(p) != _signature(e)),
                         key=lambda e: e.start)
        removed = [] if rewrite else [p for p in stored if p not in wanted[i]]
        plans.append(_ShardPlan(i, folder, rewrite, changed, removed,
                                {p: _signature(e) for p, e in wanted[i].items()}))

    # Every shard carries the whole corpus's folder verdicts (date_folders): a question over
    # any set of shards reads them from the first.
    folder_years = json.dumps(index.manifest.get("folder_years") or [], ensure_ascii=False)

    def metadata(plan: _ShardPlan) -> dict[str, str]:
        return {"wenbao:files": json.dumps(plan.files, ensure_ascii=False), "wenbao:fingerprint": fingerprint,
                "wenbao:shard": f"{plan.number + 1}/{n}", FOLDER_YEARS_KEY: folder_years}

    _build_new_shards(index, [p for p in plans if p.rewrite], metadata, n, progress, workers)
    updates = []
    for plan in plans:
        if not plan.touched or plan.rewrite:  # a new shard is complete as compacted (a write would unpack it)
            db = xapian.Database(str(plan.folder))
            updates.append(ShardUpdate(plan.folder, len(plan.changed), 0, db.get_doccount()))
            stale = db.get_metadata(FOLDER_YEARS_KEY).decode("utf-8") != folder_years
            db.close()
            if stale:  # files elsewhere changed what a folder agrees on
                _set_metadata(xapian, plan.folder, {FOLDER_YEARS_KEY: folder_years})
            continue
        db = xapian.WritableDatabase(str(plan.folder), xapian.DB_CREATE_OR_OPEN)
        try:
            _replace_files(xapian, db, index, plan, n, progress)
            for key, value in metadata(plan).items():
                db.set_metadata(key, value)
            db.commit()
            updates.append(ShardUpdate(plan.folder, len(plan.changed), len(plan.removed), db.get_doccount()))
        finally:
            db.close()
    return updates


def _set_metadata(xapian, folder: Path, values: dict[str, str]) -> None:
    db = xapian.WritableDatabase(str(folder), xapian.DB_OPEN)
    try:
        for key, value in values.items():
            db.set_metadata(key, value)
        db.commit()
    finally:
        db.close()


def _replace_files(xapian, db, index, plan: _ShardPlan, n: int, progress: Progress | None) -> None:
    """An existing shard: delete the documents of removed and changed files, write the changed ones."""
    for path in plan.removed + [e.path for e in plan.changed]:
        db.delete_document(file_term(path))
    for done, (paragraph_id, doc) in enumerate(_documents(xapian, index, plan.changed), 1):
        db.replace_document(ID_PREFIX + paragraph_id, doc)
        if progress and done % _COMMIT_EVERY == 0:
            db.commit()
            progress(f"Writing shard {plan.number + 1} of {n}", done, 0)


# -- writing shards anew: parts in worker processes, merged by Xapian's compactor ----------
_ROWS_PER_PART = 10_000  # at least this many paragraphs a part; a part is written by one process
_PARALLEL_FROM = 40_000  # paragraphs to write before worker processes are worth starting
_WORKER_FLUSH = "40000"  # documents a worker buffers before Xapian writes them (its default: 10,000)


def _parts(entries: list, count: int) -> list[list]:
    """`entries` (row order) cut into at most `count` runs of about equal paragraphs."""
    total = sum(e.count for e in entries)
    count = max(1, min(count, total // _ROWS_PER_PART))
    parts, current, size = [], [], 0
    for entry in entries:
        current.append(entry)
        size += entry.count
        if size >= total * (len(parts) + 1) / count and len(parts) < count - 1:
            parts.append(current)
            current = []
    return [*parts, current] if current or not parts else parts


def _build_new_shards(index, plans: list[_ShardPlan], metadata, n: int, progress: Progress | None,
                      workers: int | None) -> None:
    """Write these shards anew: each in parts (one database each, in parallel), compacted into
    a new folder that then takes the shard folder's place."""
    if not plans:
        return
    total = sum(e.count for p in plans for e in p.changed)
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if total >= _PARALLEL_FROM else 1
    jobs = []  # (plan, part folders)
    for plan in plans:
        _clear_leftovers(plan.folder)
        parts = _parts(plan.changed, workers)
        jobs.append((plan, [_temp(plan.folder, f"part-{k}") for k in range(len(parts))], parts))
    # every part carries its shard's metadata: the compactor keeps one copy
    tasks = [(str(index.folder), [(e.start, e.count) for e in part], str(folder), metadata(plan))
             for plan, folders, parts in jobs for folder, part in zip(folders, parts)]
    try:
        _run_parts(index, tasks, workers, progress, n)
        for plan, folders, _ in jobs:
            if progress:
                progress(f"Compacting shard {plan.number + 1} of {n}", 0, 0)
            _compact(folders, plan.folder)
    finally:
        for _, folders, _ in jobs:
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)


def _run_parts(index, tasks: list, workers: int, progress: Progress | None, n: int) -> None:
    label = "Writing Xapian database" if n == 1 else f"Writing {n} Xapian shards"
    if workers <= 1 or len(tasks) == 1:
        for done, task in enumerate(tasks, 1):
            _write_part(*task, index=index)
            if progress:
                progress(label, done, len(tasks))
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from .indexer import _context

    with ProcessPoolExecutor(min(workers, len(tasks)), mp_context=_context()) as pool:
        futures = [pool.submit(_write_part, *task) for task in tasks]
        for done, future in enumerate(as_completed(futures), 1):
            future.result()  # a worker's error is raised here
            if progress:
                progress(label, done, len(tasks))


def _write_part(generation: str, spans: list[tuple[int, int]], out: str, metadata: dict[str, str],
                index=None) -> int:
    """Write the paragraphs of these (start, count) row spans as a new database at `out`
    (in a worker process: the index generation is opened here)."""
    from .store import IndexData

    xapian = import_xapian()
    own = index is None
    if own:
        os.environ.setdefault("XAPIAN_FLUSH_THRESHOLD", _WORKER_FLUSH)  # this process only
        index = IndexData(Path(generation))
    try:
        # no fsync per flush: a part is temporary; the compacted shard is what must be durable
        db = xapian.WritableDatabase(out, xapian.DB_CREATE_OR_OVERWRITE | xapian.DB_NO_SYNC)
        try:
            written = 0
            for _, doc in _documents(xapian, index, spans):
                db.add_document(doc)
                written += 1
            for key, value in metadata.items():
                db.set_metadata(key, value)
            db.commit()
        finally:
            db.close()
        return written
    finally:
        if own:
            index.close()


def _compact(parts: list[Path], folder: Path) -> None:
    """Merge the part databases, in order, into `folder` (replacing what was there)."""
    xapian = import_xapian()
    merged = xapian.Database()
    for part in parts:
        merged.add_database(xapian.Database(str(part)))
    new = _temp(folder, "new")
    merged.compact(str(new))
    merged.close()
    old = _temp(folder, "old")
    if folder.exists():
        os.rename(folder, old)
    os.rename(new, folder)
    shutil.rmtree(old, ignore_errors=True)


def _temp(folder: Path, what: str) -> Path:
    return folder.parent / f".{folder.name}.{what}"


def _clear_leftovers(folder: Path) -> None:
    """Temporary folders of a build that was interrupted."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    for child in folder.parent.glob(f".{folder.name}.*"):
        shutil.rmtree(child, ignore_errors=True)


def _documents(xapian, index, spans):
    """(paragraph id, xapian.Document) for the rows of these files or (start, count) spans,
    in row order. Terms come from the index's postings, turned back into rows a window at a
    time (IndexData.row_pairs)."""
    names = _term_names(index.vocab)
    for span in spans:
        start, count = (span.start, span.count) if hasattr(span, "start") else span
        if not count:
            continue
        ptr, terms, counts = index.row_pairs(start, start + count)
        ptr, terms, counts = ptr.tolist(), terms.tolist(), counts.tolist()
        for k in range(count):
            paragraph = index.stored_paragraph(start + k)  # the folder's year is applied on reading
            doc = xapian.Document()
            add_term = doc.add_term
            for j in range(ptr[k], ptr[k + 1]):
                name = names[terms[j]]
                if name is not None:
                    add_term(name, counts[j])
            _describe(doc, paragraph)
            yield paragraph.id, doc


def _term_names(vocab: list[str]) -> list[str | None]:
    """The vocabulary with None for a term too long for Xapian (checked once, not per posting)."""
    return [t if len(t) * 4 <= MAX_TERM_BYTES or len(t.encode("utf-8")) <= MAX_TERM_BYTES else None
            for t in vocab]


def _describe(doc, paragraph: Paragraph) -> None:
    """What a document carries besides its terms: id and file terms, date values, the paragraph."""
    doc.add_boolean_term(ID_PREFIX + paragraph.id)
    doc.add_boolean_term(file_term(paragraph.path))
    dates = _date_values(paragraph)
    if dates:
        doc.add_value(EARLIEST, dates[0])
        doc.add_value(LATEST, dates[1])
    doc.set_data(encode_paragraph(paragraph))  # every field, as the index stores it


def _stored_files(xapian, folder: Path, fingerprint: str, i: int, n: int) -> tuple[dict[str, str], bool]:
    """The files (path -> signature) a shard holds, and whether it must be written anew."""
    if not (folder / "iamglass").exists():
        if folder.exists() and any(folder.iterdir()):
            raise WenbaoError(f"{folder}: exists and is not a wenbao shard (a Xapian database); "
                              "choose an empty --index-dir")
        return {}, True
    db = xapian.Database(str(folder))
    try:
        shard = db.get_metadata("wenbao:shard").decode()
        if shard != f"{i + 1}/{n}":
            raise WenbaoError(f"{folder}: holds shard {shard or '?'}, not {i + 1}/{n}; use the same --shards "
                              "as when it was built, or a new --index-dir")
        if db.get_metadata("wenbao:fingerprint").decode() != fingerprint:
            return {}, True  # other tokenizer settings: every term may differ
        return json.loads(db.get_metadata("wenbao:files") or b"{}"), False
    finally:
        db.close()


# -- searching ----------------------------------------------------------------------------

class XapianRetriever:
    """Top-k paragraphs from one or several Xapian databases, local or remote.

    The combined database is kept between questions and re-opened (Xapian's reopen)
    at each one, so an updated shard is seen; a shard that failed is tried again at
    the next question. `warnings` collects what the last call had to leave out.
    """

    name = "xapian"

    def __init__(self, locations: Sequence[str], *, k1: float, b: float, timeout: float = 5.0,
                 require_all: bool = False) -> None:
        self.xapian = import_xapian()
        self.locations = list(locations)
        for location in self.locations:
            parse_location(location)
        self.k1, self.b = k1, b
        self.timeout_ms = max(1, int(timeout * 1000))
        self.require_all = require_all
        self.warnings: list[str] = []
        self._db = None
        self._folder_years: dict[str, FolderYear] = {}  # the shards' folder verdicts (date_folders)
        self._missing: dict[str, str] = {}  # location -> why it is left out
        self._count: int | None = None  # paragraphs, as of the last question

    # -- opening, and what to do when a shard fails --------------------------------------
    def _open_one(self, location: str):
        remote = parse_location(location)
        if remote:
            return self.xapian.remote_open(remote[0], remote[1], self.timeout_ms, self.timeout_ms)
        return self.xapian.Database(location)

    def _database(self, failed: dict[str, str] | None = None, retry_missing: bool = True):
        """The live shards as one database; `failed` (location -> why) are left out, and so are
        the shards already missing unless retry_missing."""
        if self._db is not None and not failed and not (self._missing and retry_missing):
            return self._db
        left_out = dict(failed or {})
        if not retry_missing:
            left_out.update(self._missing)
        combined, self._missing = self.xapian.Database(), left_out
        for location in self.locations:
            if location not in left_out:
                try:
                    combined.add_database(self._open_one(location))
                except self.xapian.Error as exc:
                    self._missing[location] = _reason(exc)
        self._db = combined
        try:
            self._folder_years = verdicts_from_json(json.loads(combined.get_metadata(FOLDER_YEARS_KEY) or b"[]"))
        except (self.xapian.Error, ValueError):
            self._folder_years = {}
        self._check_missing()
        return combined

    def _check_missing(self) -> None:
        if not self._missing:
            return
        said = "; ".join(f"shard {loc} ({why})" for loc, why in self._missing.items())
        if self.require_all:
            raise ShardError(f"{said}: not searched, and require_all_shards is set; start the shard "
                             "server(s) or drop --require-all-shards to answer from the others")
        if len(self._missing) == len(self.locations):
            raise ShardError(f"no shard could be searched: {said}; check that the shard servers run "
                             "(retrieval.shards in config)")
        self.warnings = [f"{said}: left out; answers come from the other shards"]

    def _guarded(self, work, retry_missing: bool = True):
        """Run work(db); when a shard fails, leave it out and run work again on the others.

        Shards left out earlier are tried again when retry_missing (the start of a question
        or a lookup), never twice in one question: a stopped server costs one timeout.
        """
        if retry_missing:
            self.warnings = []
        db = self._database(retry_missing=retry_missing)
        for attempt in range(len(self.locations) + 1):
            try:
                if retry_missing:  # once a question: a round trip to every shard
                    db.reopen()  # an updated shard is seen; a dead one fails here
                return work(db)
            except (self.xapian.NetworkError, self.xapian.DatabaseError) as exc:
                # our own timeout: the shard stopped answering (the server's idle timeout
                # comes back as a NetworkTimeoutError too, marked REMOTE:, and reconnects)
                timed_out = isinstance(exc, self.xapian.NetworkTimeoutError) and not exc.get_msg().startswith("REMOTE:")
                failed = {loc: _reason(exc) for loc in self.locations if _names(exc, loc)}
                if attempt == 0 and not timed_out or not failed:
                    # a closed connection (the server's idle timeout, a restart) or a changed
                    # database: connect again; a server that is gone fails fast to connect
                    self._db, failed = None, {}
                db = self._database(failed, retry_missing=False)
        return work(db)

    # -- the retriever interface ----------------------------------------------------------
    def stats(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """(paragraphs, {term: paragraphs holding it}) over every live shard; a question
        starts here, so shards left out before are tried again here."""
        unique = list(dict.fromkeys(terms))
        usable = [t for t in unique if len(t.encode("utf-8")) <= MAX_TERM_BYTES]
        x = self.xapian

        def read(db):
            if not usable:
                return db.get_doccount(), {}
            # One match for no documents gathers every term's frequency from every shard at
            # once (a remote shard answers in one round trip, not one per term).
            enquire = x.Enquire(db)
            enquire.set_query(x.Query(x.Query.OP_OR, [x.Query(t) for t in usable]))
            mset = enquire.get_mset(0, 0)
            return db.get_doccount(), {t: mset.get_termfreq(t) for t in usable}

        count, found = self._guarded(read)
        freqs = {t: found.get(t, 0) for t in unique}
        self._count = count
        return count, freqs

    # A question's period does not rank here yet (its words stay terms): the date tiers
    # need every scoring paragraph's range, which would be Xapian value ranges per tier.
    ranks_by_period = False

    def tiers(self, terms: Sequence[str], k: int, since: int | None, until: int | None,
              period: tuple[int, int] | None) -> list[list[tuple[Paragraph, float]]]:
        """One tier: the k best, inside --since/--until."""
        return [self.top(terms, k, since, until)]

    def top(self, terms: Sequence[str], k: int, since: int | None = None,
            until: int | None = None) -> list[tuple[Paragraph, float]]:
        """The k best paragraphs for `terms` (a term given twice counts twice), best first;
        since/until are inclusive yyyymmdd bounds: a paragraph whose date range reaches into
        them is kept (as the local index keeps it, there after the ones dated inside)."""
        if not terms:
            return []
        x = self.xapian
        counts: dict[str, int] = {}
        for term in terms:
            counts[term] = counts.get(term, 0) + 1
        parts = [x.Query(t) if c == 1 else x.Query(x.Query.OP_SCALE_WEIGHT, x.Query(t), float(c))
                 for t, c in counts.items() if len(t.encode("utf-8")) <= MAX_TERM_BYTES]
        query = x.Query(x.Query.OP_OR, parts)
        dated = []
        if since is not None:
            dated.append(x.Query(x.Query.OP_VALUE_GE, LATEST, f"{since:08d}"))
        if until is not None:
            dated.append(x.Query(x.Query.OP_VALUE_LE, EARLIEST, f"{until:08d}"))
        if dated:
            query = x.Query(x.Query.OP_FILTER, query, x.Query(x.Query.OP_AND, dated))

        def search(db):
            enquire = x.Enquire(db)
            enquire.set_weighting_scheme(x.BM25Weight(self.k1, 0, 1, self.b, 0.5))
            enquire.set_docid_order(x.Enquire.ASCENDING)
            enquire.set_query(query)
            want = k + _TIE_ROOM
            while True:  # until the paragraphs tied with the k-th are all in (up to _MAX_TIE)
                mset = enquire.get_mset(0, want)
                weights = [round(m.weight, SCORE_DIGITS) for m in mset]
                if len(weights) < want or weights[-1] < weights[k - 1] or want >= _MAX_TIE:
                    break
                want = min(want * 4, _MAX_TIE)
            mset.fetch()  # ask every shard for its documents at once, then read them
            return [(m.document.get_data(), w) for m, w in zip(mset, weights)]

        hits = self._guarded(search, retry_missing=False)  # stats() started the question
        # Equal scores go by paragraph id, not by docid (docids differ between one database
        # and its shards): every paragraph tied with the k-th is fetched, so the cut at k is
        # the same however the archive is split (a reprinted paragraph scores the same).
        ranked = sorted(((paragraph_from_data(data, self._folder_years), score) for data, score in hits), key=lambda h: (-h[1], h[0].id))
        return ranked[:k]

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._guarded(lambda db: db.get_doccount())
        return self._count

    def paragraph(self, paragraph_id: str) -> Paragraph:
        found = self._documents(ID_PREFIX + paragraph_id)
        if not found:
            raise KeyError(paragraph_id)
        return found[0]

    def page(self, paragraph_id: str) -> list[Paragraph]:
        target = self.paragraph(paragraph_id)
        return [p for p in self._file_paragraphs(target.path) if p.record == target.record]

    def find(self, path: str, line: int) -> Paragraph | None:
        return next((p for p in self._file_paragraphs(path) if p.line_start <= line <= p.line_end), None)

    def lexicon(self) -> None:
        return None  # questions are cut with jieba's own dictionary: no corpus on this side

    def forget(self) -> None:
        """Nothing is kept between calls: each asks the databases again."""

    def _file_paragraphs(self, path: str) -> list[Paragraph]:
        return sorted(self._documents(file_term(path)), key=lambda p: (p.record or 0, p.line_start))

    def _documents(self, term: str) -> list[Paragraph]:
        def read(db):
            return [paragraph_from_data(db.get_document(p.docid).get_data(), self._folder_years)
                    for p in db.postlist(term)]

        try:
            return self._guarded(read)
        except self.xapian.DocNotFoundError:
            return []


def _names(exc, location: str) -> bool:
    """Whether a Xapian error is about this shard (its context is 'remote:tcp(host:port)' or the path)."""
    context = exc.get_context() or ""
    remote = parse_location(location)
    if remote:
        return f"({remote[0]}:{remote[1]})" in context
    return bool(context) and context.rstrip("/") == location.rstrip("/")


def _reason(exc) -> str:
    kind = type(exc).__name__
    if kind == "NetworkTimeoutError":
        return "no answer within the timeout"
    if kind == "NetworkError":
        return "cannot connect"
    return exc.get_msg() or kind


# -- opening, from config -------------------------------------------------------------------

def local_folder(config) -> Path:
    """The single local Xapian database of `retrieval.engine: xapian`, beside the index."""
    return config.index_path() / "xapian"


def open_local(config, index, progress: Progress | None = None) -> XapianRetriever:
    """engine: xapian on this machine: bring the local database up to date, then open it."""
    from .store import writer_lock

    folder = local_folder(config)
    with writer_lock(config.index_path()):
        write_shards(index, [folder], progress)
    return XapianRetriever([str(folder)], k1=config.k1, b=config.b, timeout=config.shard_timeout)


def open_shards(config) -> XapianRetriever:
    """retrieval.shards: search these databases together (tcp://host:port or folders)."""
    retriever = XapianRetriever(config.shards, k1=config.k1, b=config.b, timeout=config.shard_timeout,
                                require_all=config.require_all_shards)
    retriever.stats(())  # connect now: an unreachable shard is said before the first question
    return retriever
