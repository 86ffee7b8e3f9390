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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ConfigError, WenbaoError
from .models import Paragraph, Progress
from .paragraph_codec import decode_paragraph, encode_paragraph
from .store import date_range_key

INSTALL_HINT = 'pip install "wenbao[xapian]"'
ID_PREFIX = "Q"  # the paragraph id term: Xapian's convention for unique ids
FILE_PREFIX = "F"  # one term per source file: its paragraphs are replaced together
EARLIEST, LATEST = 0, 1  # value slots: the first and last day the paragraph's date allows
MAX_TERM_BYTES = 240  # Xapian's limit is 245 bytes; wenbao's terms are far shorter
_TCP = re.compile(r"^tcp://(?P<host>\[[^\]]+\]|[^:/]+):(?P<port>\d{1,5})/?$")
_COMMIT_EVERY = 20_000  # documents per transaction while a shard is rewritten
# Scores are rounded to this many decimals: a sum over shards can differ from the sum in one
# database in the last bit (the order of floating-point additions), never in the 9th decimal.
SCORE_DIGITS = 9
_TIE_ROOM = 10


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


def paragraph_document(xapian, paragraph: Paragraph, term_counts: dict[str, int]):
    doc = xapian.Document()
    for term, wdf in term_counts.items():
        if len(term.encode("utf-8")) <= MAX_TERM_BYTES:
            doc.add_term(term, wdf)
    doc.add_boolean_term(ID_PREFIX + paragraph.id)
    doc.add_boolean_term(file_term(paragraph.path))
    dates = _date_values(paragraph)
    if dates:
        doc.add_value(EARLIEST, dates[0])
        doc.add_value(LATEST, dates[1])
    doc.set_data(encode_paragraph(paragraph))  # every field, as the index stores it
    return doc


def paragraph_from_data(data: bytes) -> Paragraph:
    """The Paragraph a document carries; fields this wenbao does not know are ignored."""
    return decode_paragraph(data)


@dataclass(frozen=True)
class ShardUpdate:
    folder: Path
    files_written: int
    files_removed: int
    paragraphs: int  # documents in the shard after the update

    @property
    def touched(self) -> bool:
        return bool(self.files_written or self.files_removed)


def _signature(entry) -> str:
    return f"{entry.size}:{entry.mtime_ns}:{entry.count}"


def write_shards(index, folders: Sequence[Path], progress: Progress | None = None) -> list[ShardUpdate]:
    """Bring the shard databases in `folders` up to date with a loaded index (store.IndexData).

    Files go to shard_of(path); a shard whose files did not change is not opened for
    writing at all. A changed file's documents are deleted by its file term and written
    again (each replaces any document with its paragraph id). A shard written by other
    tokenizer settings is rewritten whole.
    """
    xapian = import_xapian()
    n = len(folders)
    fingerprint = str(index.manifest.get("fingerprint", ""))
    wanted: list[dict] = [{} for _ in folders]
    for entry in index.files:
        wanted[shard_of(entry.path, n)][entry.path] = entry
    updates = []
    for i, folder in enumerate(folders):
        stored, rewrite = _stored_files(xapian, folder, fingerprint, i, n)
        changed = [e for p, e in wanted[i].items() if stored.get(p) != _signature(e)]
        removed = [p for p in stored if p not in wanted[i]]
        if not (rewrite or changed or removed):
            updates.append(ShardUpdate(folder, 0, 0, xapian.Database(str(folder)).get_doccount()))
            continue
        folder.parent.mkdir(parents=True, exist_ok=True)
        db = xapian.WritableDatabase(str(folder), xapian.DB_CREATE_OR_OVERWRITE if rewrite else xapian.DB_CREATE_OR_OPEN)
        try:
            for path in removed + [e.path for e in changed]:
                db.delete_document(file_term(path))
            done = 0
            for row, term_counts in _row_terms(index, changed):
                paragraph = index.paragraph(row)
                doc = paragraph_document(xapian, paragraph, term_counts)
                if rewrite:  # a new shard: nothing to replace
                    db.add_document(doc)
                else:
                    db.replace_document(ID_PREFIX + paragraph.id, doc)
                done += 1
                if done % _COMMIT_EVERY == 0:
                    db.commit()
                    if progress:
                        progress(f"Writing shard {i + 1} of {n}", done, 0)
            db.set_metadata("wenbao:files", json.dumps({p: _signature(e) for p, e in wanted[i].items()},
                                                       ensure_ascii=False))
            db.set_metadata("wenbao:fingerprint", fingerprint)
            db.set_metadata("wenbao:shard", f"{i + 1}/{n}")
            db.commit()
            updates.append(ShardUpdate(folder, len(changed), len(removed), db.get_doccount()))
        finally:
            db.close()
    return updates


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


def _row_terms(index, entries, rows_per_pass: int = 50_000):
    """(row, {term: count}) for the paragraphs of these files, in row order.

    The index keeps postings by term (store.py); they are turned around a slice of rows at
    a time, so memory holds one slice's postings, never the whole index's.
    """
    vocab = index.vocab
    ptr = np.asarray(index.array("post_ptr"))
    docs, counts = index.array("post_docs"), index.array("post_tf")
    rows = np.unique(np.concatenate([np.arange(e.start, e.start + e.count) for e in entries] or [np.zeros(0, int)]))
    for lo in range(0, len(rows), rows_per_pass):
        chunk = rows[lo:lo + rows_per_pass]
        wanted = np.zeros(len(index), dtype=bool)
        wanted[chunk] = True
        at = np.flatnonzero(wanted[docs])  # postings of these rows
        term = np.searchsorted(ptr, at, side="right") - 1
        row, tf = np.asarray(docs[at]), np.asarray(counts[at])
        order = np.lexsort((term, row))
        row, term, tf = row[order], term[order].tolist(), tf[order].tolist()
        bounds = np.searchsorted(row, chunk, side="left").tolist() + [len(row)]
        for k, r in enumerate(chunk.tolist()):  # a row without terms still gets its document
            yield r, {vocab[term[i]]: int(tf[i]) for i in range(bounds[k], bounds[k + 1])}


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
        count, freqs = self._guarded(lambda db: (db.get_doccount(), {t: _termfreq(db, t) for t in unique}))
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
            return [(m.document.get_data(), round(m.weight, SCORE_DIGITS)) for m in enquire.get_mset(0, k + _TIE_ROOM)]

        hits = self._guarded(search, retry_missing=False)  # stats() started the question
        # Equal scores go by paragraph id, not by docid (docids differ between one database
        # and its shards); fetching a few more than k keeps a tie at the k-th place whole.
        ranked = sorted(((paragraph_from_data(data), score) for data, score in hits), key=lambda h: (-h[1], h[0].id))
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

    def _file_paragraphs(self, path: str) -> list[Paragraph]:
        return sorted(self._documents(file_term(path)), key=lambda p: (p.record or 0, p.line_start))

    def _documents(self, term: str) -> list[Paragraph]:
        def read(db):
            return [paragraph_from_data(db.get_document(p.docid).get_data()) for p in db.postlist(term)]

        try:
            return self._guarded(read)
        except self.xapian.DocNotFoundError:
            return []


def _termfreq(db, term: str) -> int:
    return db.get_termfreq(term) if len(term.encode("utf-8")) <= MAX_TERM_BYTES else 0


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
