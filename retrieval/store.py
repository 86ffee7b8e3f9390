"""The on-disk index: plain data files, written atomically, refreshed incrementally.

Layout of one corpus's index folder (`Config.index_path()`):

    CURRENT                 name of the live generation (swapped with os.replace)
    .lock                   writers take it (flock); readers never wait
    g-<id>/manifest.json    format, tokenizer fingerprint, BM25 params, files, sizes
    g-<id>/paragraphs.jsonl one Paragraph per line (JSON), random access by offset
    g-<id>/*.npy            numpy arrays, loaded with allow_pickle=False (no code runs)
    g-<id>/vocab.json       the terms, in id order, with their jieba frequencies
    g-<id>/bm25s/           the sparse BM25 matrix, saved and memory-mapped by bm25s

A build writes a new generation beside the live one and switches CURRENT only when
every file is on disk, so Ctrl-C or a kill at any point leaves the previous index
whole. Only added or changed files are read and tokenised again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .config import Config
from .errors import CorpusError, StoreError
from .models import IndexSummary, Paragraph, Progress, SkippedFile, Warn

FORMAT_VERSION = 1
READERS = "READERS"  # empty; readers flock it (see _hold_shared)
ARRAYS = ("tokens", "token_offsets", "dates", "para_offsets", "ids")
_HASH_LIMIT = 16 << 20  # files up to this size are checksummed; larger ones are size-checked



def date_key(paragraph: Paragraph) -> int:
    """yyyymmdd as an int for range filters; a year alone is yyyy0000; unknown is 0."""
    if paragraph.date:
        return int(paragraph.date.replace("-", "")[:8])
    return paragraph.year * 10000 if paragraph.year else 0


class FormatChanged(StoreError):
    """The index was written by another version of wenbao."""


@dataclass(frozen=True)
class FileEntry:
    path: str  # display path
    size: int
    mtime_ns: int
    start: int  # first paragraph number
    count: int  # paragraphs
    skipped: str | None = None  # why the file gave nothing


class IndexData:
    """A loaded generation. Arrays are memory-mapped; paragraphs are read on demand."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._reader_lock = _hold_shared(folder)  # a writer never removes a generation in use
        self.manifest = _read_json(folder / "manifest.json")
        if self.manifest.get("format") != FORMAT_VERSION:
            raise FormatChanged(f"{folder}: index format {self.manifest.get('format')}, this wenbao writes {FORMAT_VERSION}")
        _verify(folder, self.manifest)
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in ARRAYS}
        self.tokens = arrays["tokens"]
        self.token_offsets = arrays["token_offsets"]
        self.dates = arrays["dates"]
        self.para_offsets = arrays["para_offsets"]
        self.ids = arrays["ids"]
        self._vocab: dict | None = None  # read on first use: a no-change refresh never needs it
        self.files = [FileEntry(**f) for f in self.manifest["files"]]
        self.doc_freq = np.load(folder / "doc_freq.npy", mmap_mode="r", allow_pickle=False)
        n = self.manifest["paragraphs"]
        if not (len(self.token_offsets) == n + 1 == len(self.para_offsets) and len(self.dates) == n == len(self.ids)
                and self.manifest.get("terms") == len(self.doc_freq)):
            raise StoreError(f"{folder}: index arrays disagree in length (damaged index)")
        self._term_ids: dict[str, int] | None = None
        self._id_rows: dict[str, int] | None = None
        self._jsonl = None

    def __len__(self) -> int:
        return int(self.manifest["paragraphs"])

    def _vocab_file(self) -> dict:
        if self._vocab is None:
            vocab = _read_json(self.folder / "vocab.json")
            if not len(vocab.get("terms", ())) == len(vocab.get("freq", ())) == len(self.doc_freq):
                raise StoreError(f"{self.folder}: vocabulary and index disagree (damaged index)")
            self._vocab = vocab
        return self._vocab

    @property
    def vocab(self) -> list[str]:
        return self._vocab_file()["terms"]

    @property
    def term_freq(self) -> list[int]:
        return self._vocab_file()["freq"]

    @property
    def question_words(self) -> dict[str, int]:
        return self._vocab_file().get("question_words", {})

    @property
    def term_ids(self) -> dict[str, int]:
        if self._term_ids is None:
            self._term_ids = {term: i for i, term in enumerate(self.vocab)}
        return self._term_ids

    def lexicon(self) -> dict[str, int]:
        """Words a question may be cut into: the corpus's terms and common words."""
        words = dict(self.question_words)
        words.update(zip(self.vocab, self.term_freq))
        return words

    def paragraph(self, row: int) -> Paragraph:
        if self._jsonl is None:
            self._jsonl = open(self.folder / "paragraphs.jsonl", "rb")  # noqa: SIM115 - kept for reuse
        start, end = int(self.para_offsets[row]), int(self.para_offsets[row + 1])
        self._jsonl.seek(start)
        return Paragraph(**json.loads(self._jsonl.read(end - start)))

    def row_of(self, paragraph_id: str) -> int:
        if self._id_rows is None:
            self._id_rows = {pid.decode("ascii"): i for i, pid in enumerate(self.ids.tolist())}
        return self._id_rows[paragraph_id]

    def file_of(self, row: int) -> FileEntry:
        lo, hi = 0, len(self.files) - 1
        while lo < hi:  # files are in paragraph order; skipped ones have count 0
            mid = (lo + hi + 1) // 2
            if self.files[mid].start <= row:
                lo = mid
            else:
                hi = mid - 1
        while self.files[lo].count == 0 or row >= self.files[lo].start + self.files[lo].count:
            lo -= 1
        return self.files[lo]

    def close(self) -> None:
        if self._jsonl is not None:
            self._jsonl.close()
            self._jsonl = None
        if self._reader_lock is not None:
            self._reader_lock.close()
            self._reader_lock = None


# -- reading and checking ---------------------------------------------------------

def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{path}: missing (damaged index)") from None
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path}: unreadable ({exc})") from None
    if not isinstance(data, dict):
        raise StoreError(f"{path}: not an index file")
    return data


def _file_digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _verify(folder: Path, manifest: dict) -> None:
    """Sizes of every file, checksums of the smaller ones: a damaged file is never trusted."""
    for name, (size, digest) in manifest.get("checks", {}).items():
        path = folder / name
        try:
            actual = path.stat().st_size
        except OSError:
            raise StoreError(f"{path}: missing (damaged index)") from None
        if actual != size:
            raise StoreError(f"{path}: {actual} bytes, expected {size} (damaged index)")
        if digest and _file_digest(path) != digest:
            raise StoreError(f"{path}: checksum mismatch (damaged index)")


def live_generation(root: Path) -> Path | None:
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    folder = root / name
    if not name.startswith("g-") or "/" in name or not folder.is_dir():
        return None
    return folder


def load_live(root: Path) -> IndexData:
    """The live generation, loaded. Retries when a writer switched and pruned in between."""
    for _ in range(3):
        folder = live_generation(root)
        if folder is None:
            raise StoreError(f"{root}: no index yet")
        try:
            return IndexData(folder)
        except StoreError:
            if live_generation(root) == folder:
                raise
    raise StoreError(f"{root}: the index kept changing while it was read; try again")


# -- readers and the generations they use ---------------------------------------------------
# Each generation has a READERS file. A reader holds a shared flock on it for as long as it
# uses the generation; pruning takes the lock exclusively without waiting and skips any
# generation it cannot lock, so a long-running reader (the chat app) never loses its files.

def _hold_shared(folder: Path):
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks
        return None
    for mode in ("ab", "rb"):  # "ab" gives an older generation its READERS file; "rb" a read-only one
        try:
            fh = open(folder / READERS, mode)  # noqa: SIM115 - held for the reader's lifetime
            break
        except OSError:
            continue
    else:
        return None  # nothing to lock: a read-only index nobody can prune anyway
    fcntl.flock(fh.fileno(), fcntl.LOCK_SH)
    return fh


def _unused(folder: Path) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover
        return True
    try:
        fh = open(folder / READERS, "rb")
    except FileNotFoundError:
        return True  # a temporary folder, or an older layout
    with fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


# -- writing ------------------------------------------------------------------------

@contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """One writer at a time per index; a second process waits, then finds the index fresh."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+b") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory lock
            yield
            return
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class GenerationWriter:
    """Collects paragraphs and their term ids, then writes a whole generation."""

    def __init__(self, root: Path, vocab: list[str], term_freq: list[int],
                 question_words: dict[str, int] | None = None) -> None:
        self.root = root
        self.question_words = question_words or {}
        self.tmp = root / f"tmp-{uuid.uuid4().hex[:12]}"
        self.tmp.mkdir(parents=True)
        self.vocab = vocab
        self.term_freq = term_freq
        self.term_ids = {t: i for i, t in enumerate(vocab)}
        self._jsonl = open(self.tmp / "paragraphs.jsonl", "wb")  # noqa: SIM115 - closed in finish/abort
        self.para_offsets = [0]
        self._tokens = open(self.tmp / "tokens.raw", "wb")  # noqa: SIM115 - int32s, streamed to disk
        self.token_counts: list[int] = []
        self.dates: list[int] = []
        self.ids: list[bytes] = []
        self.files: list[FileEntry] = []

    def __len__(self) -> int:
        return len(self.dates)

    def term_id(self, term: str, freq: int) -> int:
        tid = self.term_ids.get(term)
        if tid is None:
            tid = self.term_ids[term] = len(self.vocab)
            self.vocab.append(term)
            self.term_freq.append(freq)
        return tid

    def add(self, record: bytes, paragraph_id: str, date: int, token_ids: np.ndarray) -> None:
        self._jsonl.write(record)
        self.para_offsets.append(self.para_offsets[-1] + len(record))
        self._tokens.write(token_ids.astype("<i4", copy=False).tobytes())
        self.token_counts.append(len(token_ids))
        self.dates.append(date)
        self.ids.append(paragraph_id.encode("ascii"))

    def add_file(self, entry: FileEntry) -> None:
        self.files.append(entry)

    def finish(self, meta: dict, k1: float, b: float, progress: Progress | None) -> Path:
        self._jsonl.close()
        n = len(self.dates)
        tokens = self._tokens_npy()
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.asarray(self.token_counts, dtype=np.int64), out=offsets[1:])
        arrays = {
            "token_offsets": offsets,
            "dates": np.asarray(self.dates, dtype=np.int32),
            "para_offsets": np.asarray(self.para_offsets, dtype=np.int64),
            "ids": np.asarray(self.ids, dtype="S10") if self.ids else np.zeros(0, dtype="S10"),
        }
        for name, arr in arrays.items():
            np.save(self.tmp / f"{name}.npy", arr, allow_pickle=False)
        if progress:
            progress("Building BM25 matrix", 0, 0)
        from .engines import build_bm25_matrix, save_bm25s

        data, indices, indptr, doc_freq = build_bm25_matrix(tokens, offsets, len(self.vocab), k1, b)
        np.save(self.tmp / "doc_freq.npy", doc_freq, allow_pickle=False)
        save_bm25s(self.tmp / "bm25s", data, indices, indptr, n, k1, b)
        (self.tmp / "vocab.json").write_text(
            json.dumps({"terms": self.vocab, "freq": self.term_freq, "question_words": self.question_words},
                       ensure_ascii=False), encoding="utf-8")
        (self.tmp / READERS).touch()
        manifest = dict(meta, format=FORMAT_VERSION, paragraphs=n, terms=len(self.vocab),
                        files=[asdict(f) for f in self.files], created=time.time())
        manifest["checks"] = {
            str(p.relative_to(self.tmp)): (p.stat().st_size, _file_digest(p) if p.stat().st_size <= _HASH_LIMIT else "")
            for p in sorted(self.tmp.rglob("*")) if p.is_file()
        }
        _write_durably(self.tmp / "manifest.json", json.dumps(manifest, ensure_ascii=False).encode("utf-8"))
        return self._publish()

    def _tokens_npy(self) -> np.ndarray:
        """tokens.raw becomes tokens.npy (header + the same bytes), then is memory-mapped,
        so the build never holds every token id in memory twice."""
        self._tokens.close()
        raw = self.tmp / "tokens.raw"
        count = raw.stat().st_size // 4
        with open(self.tmp / "tokens.npy", "wb") as out, open(raw, "rb") as src:
            np.lib.format.write_array_header_1_0(out, {"descr": "<i4", "fortran_order": False, "shape": (count,)})
            shutil.copyfileobj(src, out, 16 << 20)
        raw.unlink()
        return np.load(self.tmp / "tokens.npy", mmap_mode="r", allow_pickle=False)

    def _publish(self) -> Path:
        _fsync_tree(self.tmp)
        final = self.root / f"g-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
        os.rename(self.tmp, final)
        _write_durably(self.root / "CURRENT.tmp", final.name.encode("ascii"))
        os.replace(self.root / "CURRENT.tmp", self.root / "CURRENT")
        _prune(self.root, keep=final.name)
        return final

    def abort(self) -> None:
        for fh in (self._jsonl, self._tokens):
            if not fh.closed:
                fh.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _write_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())


def _prune(root: Path, keep: str) -> None:
    """Old generations no reader holds, and abandoned temporary folders (from killed builds), go.

    Only a writer prunes, under the writer lock, so no temporary folder here is in progress.
    """
    for child in root.iterdir():
        if not child.is_dir() or child.name == keep:
            continue
        if child.name.startswith("tmp-") or (child.name.startswith("g-") and _unused(child)):
            shutil.rmtree(child, ignore_errors=True)


def copy_file_rows(old: IndexData, entry: FileEntry, writer: GenerationWriter) -> FileEntry:
    """Carry an unchanged file's paragraphs and token ids into the new generation."""
    start = len(writer)
    lo, hi = entry.start, entry.start + entry.count
    with open(old.folder / "paragraphs.jsonl", "rb") as fh:
        fh.seek(int(old.para_offsets[lo]))
        blob = fh.read(int(old.para_offsets[hi] - old.para_offsets[lo]))
    pos = 0
    for row in range(lo, hi):
        size = int(old.para_offsets[row + 1] - old.para_offsets[row])
        t0, t1 = int(old.token_offsets[row]), int(old.token_offsets[row + 1])
        writer.add(blob[pos:pos + size], old.ids[row].decode("ascii"), int(old.dates[row]),
                   np.asarray(old.tokens[t0:t1]))
        pos += size
    return FileEntry(entry.path, entry.size, entry.mtime_ns, start, entry.count, entry.skipped)


def paragraph_record(paragraph: Paragraph) -> bytes:
    return (json.dumps(asdict(paragraph), ensure_ascii=False) + "\n").encode("utf-8")


def corpus_files(config: Config, warn: Warn | None = None) -> tuple[Path, list[tuple[Path, str, os.stat_result]]]:
    """(root, [(path, display path, stat)]) for the configured corpus; `warn` hears about
    unreadable folders and links that are not followed."""
    from .loaders import display_path, list_corpus_files, safe_name

    root = config.corpus
    if not root.exists():
        raise CorpusError(f"{root}: corpus path does not exist; give an existing file or folder "
                          "(--corpus PATH or 'corpus:' in config.yaml)")
    out = []
    inside = os.path.join(str(root), "")
    for path in list_corpus_files(root, warn):
        name = str(path)
        # string slicing, not pathlib: a 1M-paragraph archive has tens of thousands of files
        shown = safe_name(name[len(inside):].replace(os.sep, "/")) if name.startswith(inside) else display_path(path, root)
        try:
            out.append((path, shown, os.stat(name)))
        except OSError:
            continue
    return root, out


def summary_of(index: IndexData, seconds: float = 0.0, **counts: int) -> IndexSummary:
    skipped = tuple(SkippedFile(f.path, f.skipped) for f in index.files if f.skipped)
    return IndexSummary(files=len(index.files), paragraphs=len(index), skipped=skipped, seconds=seconds,
                        engine=index.manifest.get("engine", ""), **counts)
