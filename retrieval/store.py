"""The on-disk index: plain data files, written atomically, checked, refreshed incrementally.

Layout of one corpus's index folder (`Config.index_path()`):

    CURRENT                  name of the live generation (swapped with os.replace)
    .lock                    writers take it (flock); readers of an up-to-date index never do
    g-<id>/manifest.json     format, tokenizer fingerprint, BM25 params, files, file sizes
    g-<id>/manifest.sum      blake2b of manifest.json: an edited manifest is a damaged one
    g-<id>/checks.npy        crc32 of every 4 KiB of every other file (checks.py; the manifest's check_chunk)
    g-<id>/paragraphs.z      the paragraphs, zlib-compressed in blocks (paragraph_codec.py)
    g-<id>/blocks.npy        byte offset of each block; block_rows.npy: its first paragraph
    g-<id>/dates.npy ids.npy doc_len.npy     one value per paragraph
    g-<id>/date_lo.npy date_hi.npy           the range each paragraph's date lies in (yyyymmdd)
    g-<id>/post_*.npy        postings: for each term, the paragraphs it occurs in and how often
    g-<id>/vocab.json        the terms, in id order (their ids in the postings), with jieba frequencies
    g-<id>/READERS           readers hold a shared flock on it (pruning skips generations in use)

Arrays are numpy files loaded with allow_pickle=False (no code runs), memory-mapped. A
build writes a new generation beside the live one and switches CURRENT only when every
file is on disk, so Ctrl-C or a kill at any point leaves the previous index whole. Only
added or changed files are read and tokenised again; the rows of unchanged files are
copied from the previous generation, which is checked whole before anything is copied.
Anything unreadable, inconsistent or not matching its checksum raises DamagedIndex,
and the indexer rebuilds.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import time
import uuid
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from . import checks as chunk_checks
from .checks import LEGACY_CHUNK, DamagedIndex, FileChecks, SummingFile, save_array
from .date_folders import verdicts_from_json, verdicts_of_rows, verdicts_to_json, with_folder_year, year_for
from .config import Config
from .errors import CorpusError, StoreError
from .models import DateCoverage, IndexSummary, Paragraph, Progress, SkippedFile, Warn
from .paragraph_codec import decode_block, encode_block, split_blocks

FORMAT_VERSION = 3  # 3: date_lo/date_hi, the range of each paragraph's date
READERS = "READERS"  # empty; readers flock it (see _hold_shared)
HASH_LIMIT = 16 << 20  # files up to this size are checked whole on open; bigger ones as they are read
_BLOCK_CACHE = 64  # decoded paragraph blocks kept per open index
_TRANSPOSE_PAIRS = 8_000_000  # postings turned back into rows at a time (refresh, rank-bm25)
_SLAB = 16_000_000  # postings scanned at a time while doing so


def date_key(paragraph: Paragraph) -> int:
    """yyyymmdd as an int for range filters; a year alone is yyyy0000; unknown is 0."""
    if paragraph.date:
        return int(paragraph.date.replace("-", "")[:8])
    return paragraph.year * 10000 if paragraph.year else 0


OPEN_END = 99991231  # date_hi of a range open towards the future ("2019 or later")


def date_range_key(paragraph: Paragraph) -> tuple[int, int]:
    """(lo, hi) yyyymmdd of the range the paragraph's date lies in, for range filters.

    The range given (date_min/date_max; lo 0 or hi OPEN_END where it is open), else the
    point's own (a day, or a whole year), else (0, 0): unknown.
    """
    if paragraph.date_min or paragraph.date_max:
        return (_yyyymmdd(paragraph.date_min) if paragraph.date_min else 0,
                _yyyymmdd(paragraph.date_max) if paragraph.date_max else OPEN_END)
    if paragraph.date:
        day = _yyyymmdd(paragraph.date)
        return day, day
    if paragraph.year:
        return paragraph.year * 10000 + 101, paragraph.year * 10000 + 1231
    return 0, 0


def _yyyymmdd(value: str) -> int:
    return int(value.replace("-", "")[:8])


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
    """A loaded generation. Arrays are memory-mapped; paragraphs are read on demand.

    Small files are checked whole here; the postings and the paragraph blocks, which
    grow with the archive, chunk by chunk as they are read (`DamagedIndex` when not as
    written). `verify_all` checks everything (a refresh does, before copying).
    """

    def __init__(self, folder: Path, hash_limit: int | None = None) -> None:
        self.folder = folder
        self._reader_lock = _hold_shared(folder)  # a writer never removes a generation in use
        self._arrays: dict[str, np.ndarray] = {}
        self._blocks: OrderedDict[int, list[Paragraph]] = OrderedDict()
        self._window = None
        self._paragraph_file = None
        self._vocab: dict | None = None  # read on first use: a no-change refresh never needs it
        self._term_ids: dict[str, int] | None = None
        self._id_rows: dict[str, int] | None = None
        try:
            self.manifest = _read_manifest(folder)
            self.checks = _read_checks(folder, self.manifest)
            limit = HASH_LIMIT if hash_limit is None else hash_limit
            for check in self.checks.values():
                if check.size <= limit:
                    check.check_all()
            self.files = [FileEntry(**f) for f in self.manifest["files"]]
            # Applied as paragraphs are read out; the arrays keep what the text alone says.
            self.folder_years = verdicts_from_json(self.manifest.get("folder_years"))
            self._check_shapes()
        except BaseException:
            self.close()
            raise

    def __len__(self) -> int:
        return int(self.manifest["paragraphs"])

    # -- arrays, checked before use ------------------------------------------------------
    def array(self, name: str, whole: bool = True) -> np.ndarray:
        """`name`.npy memory-mapped; whole=False leaves its data to be checked piece by piece."""
        arr = self._arrays.get(name)
        if arr is None:
            check = self._check_of(f"{name}.npy")
            check.check(0, min(check.size, 4096))  # the header
            try:
                arr = np.load(self.folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            except (OSError, ValueError) as exc:
                raise DamagedIndex(f"{self.folder / name}.npy: unreadable ({exc}) (damaged index)") from None
            self._arrays[name] = arr
        if whole:
            self._check_of(f"{name}.npy").check_all()
        return arr

    def _check_of(self, name: str) -> FileChecks:
        check = self.checks.get(name)
        if check is None:
            raise DamagedIndex(f"{self.folder / name}: not in the manifest (damaged index)")
        return check

    def _check_shapes(self) -> None:
        n, terms = len(self), int(self.manifest["terms"])
        shapes = {name: self.array(name, whole=False).shape for name in
                  ("dates", "date_lo", "date_hi", "ids", "doc_len", "post_ptr", "post_docs", "post_tf", "blocks",
                   "block_rows")}
        expected = {"dates": (n,), "date_lo": (n,), "date_hi": (n,), "ids": (n,), "doc_len": (n,),
                    "post_ptr": (terms + 1,),
                    "post_tf": shapes["post_docs"], "block_rows": shapes["blocks"]}
        wrong = [name for name, shape in expected.items() if shapes[name] != shape]
        if wrong or any(f.start < 0 or f.count < 0 or f.start + f.count > n for f in self.files):
            raise DamagedIndex(f"{self.folder}: index arrays disagree in length ({', '.join(wrong) or 'files'}) "
                               "(damaged index)")

    @property
    def dates(self) -> np.ndarray:
        return self.array("dates")

    @property
    def date_lo(self) -> np.ndarray:
        return self.array("date_lo")

    @property
    def date_hi(self) -> np.ndarray:
        return self.array("date_hi")

    def dated(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(dates, date_lo, date_hi) as paragraphs are shown: with their folder's year
        (date_folders) where it applies — what periods, --since/--until and days go by.
        The stored arrays (the properties above) keep what the text alone says."""
        if "dated_points" not in self._arrays:
            dates, lo, hi = folder_dated(self.dates, self.date_lo, self.date_hi, self._row_folder_years())
            self._arrays.update(dated_points=dates, dated_lo=lo, dated_hi=hi)
        return self._arrays["dated_points"], self._arrays["dated_lo"], self._arrays["dated_hi"]

    def _row_folder_years(self) -> np.ndarray | None:
        """Each row's folder year (0: none), or None when no folder has one or every row has a point."""
        if not any(v.year is not None for v in self.folder_years.values()) or (np.asarray(self.dates) > 0).all():
            return None
        years = np.zeros(len(self), dtype=np.int32)
        for entry in self.files:
            verdict = year_for(entry.path, self.folder_years) if entry.count else None
            if verdict is not None:
                years[entry.start:entry.start + entry.count] = verdict.year
        return years

    @property
    def ids(self) -> np.ndarray:
        return self.array("ids")

    @property
    def doc_len(self) -> np.ndarray:
        return self.array("doc_len")

    @property
    def doc_freq(self) -> np.ndarray:
        """Paragraphs each term occurs in: the lengths of its postings."""
        if "doc_freq" not in self._arrays:
            self._arrays["doc_freq"] = np.diff(self.array("post_ptr")).astype(np.int32)
        return self._arrays["doc_freq"]

    def postings(self, term_id: int) -> tuple[np.ndarray, np.ndarray]:
        """(paragraph rows, term counts) of one term, checked as they are read."""
        ptr = self.array("post_ptr")
        lo, hi = int(ptr[term_id]), int(ptr[term_id + 1])
        out = []
        for name in ("post_docs", "post_tf"):
            arr = self.array(name, whole=False)
            start = arr.offset + lo * arr.itemsize
            self.checks[f"{name}.npy"].check(start, start + (hi - lo) * arr.itemsize)
            out.append(arr[lo:hi])
        return out[0], out[1]

    def verify_all(self) -> None:
        for check in self.checks.values():
            check.check_all()

    # -- the vocabulary ------------------------------------------------------------------
    def _vocab_file(self) -> dict:
        if self._vocab is None:
            self._check_of("vocab.json").check_all()
            vocab = _read_json(self.folder / "vocab.json")
            if not len(vocab.get("terms", ())) == len(vocab.get("freq", ())) == len(self.doc_freq):
                raise DamagedIndex(f"{self.folder}: vocabulary and index disagree (damaged index)")
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

    # -- paragraphs ----------------------------------------------------------------------
    def paragraph(self, row: int) -> Paragraph:
        block, at = self._locate(row)
        return self._block(block)[at]

    def stored_paragraph(self, row: int) -> Paragraph:
        """Row `row` as written, without its folder's year: what another store copies (Xapian)."""
        block, at = self._locate(row)
        return self._block(block).stored(at)

    def _locate(self, row: int) -> tuple[int, int]:
        """(block, place in it) of a row."""
        if not 0 <= row < len(self):
            raise IndexError(row)
        first_rows = self.array("block_rows")
        block = int(np.searchsorted(first_rows, row, side="right")) - 1
        return block, row - int(first_rows[block])

    def _block(self, block: int) -> list[Paragraph]:
        cached = self._blocks.get(block)
        if cached is not None:
            self._blocks.move_to_end(block)
            return cached
        try:
            paragraphs = decode_block(self.block_bytes(block))
        except (ValueError, KeyError, TypeError, zlib.error) as exc:
            raise DamagedIndex(f"{self.folder / 'paragraphs.z'}: block {block} unreadable ({exc}) "
                               "(damaged index)") from None
        first_rows = self.array("block_rows")
        if len(paragraphs) != int(first_rows[block + 1] - first_rows[block]):
            raise DamagedIndex(f"{self.folder / 'paragraphs.z'}: block {block} has the wrong length (damaged index)")
        if self.folder_years:  # rows are made when first asked for: so is their folder's year
            paragraphs.adjust = functools.partial(with_folder_year, verdicts=self.folder_years)
        self._blocks[block] = paragraphs
        if len(self._blocks) > _BLOCK_CACHE:
            self._blocks.popitem(last=False)
        return paragraphs

    def block_bytes(self, block: int) -> bytes:
        """Block `block` of paragraphs.z as stored (compressed), checked."""
        offsets = self.array("blocks")
        lo, hi = int(offsets[block]), int(offsets[block + 1])
        check = self._check_of("paragraphs.z")
        if not 0 <= lo <= hi <= check.size:
            raise DamagedIndex(f"{self.folder / 'paragraphs.z'}: block {block} out of range (damaged index)")
        check.check(lo, hi)
        if self._paragraph_file is None:
            self._paragraph_file = open(self.folder / "paragraphs.z", "rb")  # noqa: SIM115 - kept for reuse
        return os.pread(self._paragraph_file.fileno(), hi - lo, lo)

    def blocks_of(self, lo: int, hi: int) -> range:
        """The blocks that hold exactly rows lo..hi (blocks never span two files)."""
        first_rows = self.array("block_rows")
        a, b = int(np.searchsorted(first_rows, lo)), int(np.searchsorted(first_rows, hi))
        if lo < hi and not (a < len(first_rows) and first_rows[a] == lo and b < len(first_rows) and first_rows[b] == hi):
            raise DamagedIndex(f"{self.folder}: paragraph blocks do not match the files (damaged index)")
        return range(a, b)

    # -- rows' terms, from the postings ----------------------------------------------------
    def row_pairs(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(ptr, terms, counts) of rows lo..hi: row i's distinct term ids and how often each occurs
        are terms[ptr[i-lo]:ptr[i-lo+1]]. Read back from the postings a window of rows at a time."""
        window = self._window
        if window is None or not (window[0] <= lo and hi <= window[1]):
            per_row = max(1.0, len(self.array("post_docs", whole=False)) / max(1, len(self)))
            window = self._window = self._transpose(lo, max(hi, lo + int(_TRANSPOSE_PAIRS / per_row)))
        start, _, ptr, terms, counts = window
        a, b = int(ptr[lo - start]), int(ptr[hi - start])
        return ptr[lo - start:hi - start + 1] - a, terms[a:b], counts[a:b]

    def _transpose(self, lo: int, hi: int):
        hi = min(hi, len(self))
        docs_all, counts_all = self.array("post_docs"), self.array("post_tf")
        ptr_all = self.array("post_ptr")
        docs, counts, positions = [], [], []
        for s in range(0, len(docs_all), _SLAB):
            slab = np.asarray(docs_all[s:s + _SLAB])
            keep = np.flatnonzero((slab >= lo) & (slab < hi))
            docs.append(slab[keep])
            counts.append(np.asarray(counts_all[s:s + _SLAB])[keep])
            positions.append(keep + s)
        doc = np.concatenate(docs) if docs else np.zeros(0, np.int32)
        count = np.concatenate(counts) if counts else np.zeros(0, np.uint16)
        position = np.concatenate(positions) if positions else np.zeros(0, np.int64)
        term = (np.searchsorted(ptr_all, position, side="right") - 1).astype(np.int32)
        order = np.lexsort((term, doc))
        doc = doc[order]
        ptr = np.searchsorted(doc, np.arange(lo, hi + 1)).astype(np.int64)
        return lo, hi, ptr, term[order], count[order]

    # -- files ---------------------------------------------------------------------------
    def row_of(self, paragraph_id: str) -> int:
        if self._id_rows is None:
            self._id_rows = {pid.decode("ascii", "replace"): i for i, pid in enumerate(self.ids.tolist())}
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
        self._arrays.clear()
        self._window = None
        for check in getattr(self, "checks", {}).values():
            check.close()
        if self._paragraph_file is not None:
            self._paragraph_file.close()
            self._paragraph_file = None
        if self._reader_lock is not None:
            self._reader_lock.close()
            self._reader_lock = None


# -- reading and checking ---------------------------------------------------------

def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DamagedIndex(f"{path}: missing (damaged index)") from None
    except (OSError, ValueError) as exc:
        raise DamagedIndex(f"{path}: unreadable ({exc}) (damaged index)") from None
    if not isinstance(data, dict):
        raise DamagedIndex(f"{path}: not an index file (damaged index)")
    return data


def _manifest_sum(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _read_manifest(folder: Path) -> dict:
    """manifest.json, if it is what was written: its blake2b is in manifest.sum."""
    path = folder / "manifest.json"
    try:
        data = path.read_bytes()
        manifest = json.loads(data.decode("utf-8"))
    except FileNotFoundError:
        raise DamagedIndex(f"{path}: missing (damaged index)") from None
    except (OSError, ValueError) as exc:
        raise DamagedIndex(f"{path}: unreadable ({exc}) (damaged index)") from None
    if not isinstance(manifest, dict):
        raise DamagedIndex(f"{path}: not an index manifest (damaged index)")
    if manifest.get("format") != FORMAT_VERSION:
        raise FormatChanged(f"{folder}: index format {manifest.get('format')}, this wenbao writes {FORMAT_VERSION}")
    try:
        expected = (folder / "manifest.sum").read_bytes().strip()
    except OSError:
        raise DamagedIndex(f"{folder / 'manifest.sum'}: missing (damaged index)") from None
    if expected != _manifest_sum(data).encode("ascii"):
        raise DamagedIndex(f"{path}: checksum mismatch (damaged index)")
    return manifest


def _read_checks(folder: Path, manifest: dict) -> dict[str, FileChecks]:
    """Every file's chunk checksums, from checks.npy (itself checked by the manifest)."""
    path = folder / "checks.npy"
    try:
        size, crc = manifest["checks_file"]
        table = manifest["checks"]
        data = path.read_bytes()
        if len(data) != size or zlib.crc32(data) != crc:
            raise DamagedIndex(f"{path}: checksum mismatch (damaged index)")
        chunk = manifest.get("check_chunk", LEGACY_CHUNK)
        if not isinstance(chunk, int) or chunk < 512 or chunk & (chunk - 1):
            raise DamagedIndex(f"{folder / 'manifest.json'}: check_chunk {chunk!r} is no chunk size (damaged index)")
        crcs = np.load(path, allow_pickle=False)
        return {name: FileChecks(folder / name, int(fsize), crcs[int(first):int(first) + int(count)], chunk)
                for name, (fsize, first, count) in table.items()}
    except DamagedIndex:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DamagedIndex(f"{path}: unreadable ({exc}) (damaged index)") from None


def live_generation(root: Path) -> Path | None:
    """The folder CURRENT names; None when there is no index yet (DamagedIndex: CURRENT is garbage)."""
    try:
        name = (root / "CURRENT").read_bytes().decode("ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise DamagedIndex(f"{root / 'CURRENT'}: unreadable ({exc}) (damaged index)") from None
    folder = root / name
    if not name.startswith("g-") or "/" in name or not folder.is_dir():
        raise DamagedIndex(f"{root / 'CURRENT'}: names no generation ({name[:40]!r}) (damaged index)")
    return folder


def load_live(root: Path, hash_limit: int | None = None) -> IndexData:
    """The live generation, loaded. Retries when a writer switched and pruned in between."""
    for _ in range(3):
        folder = live_generation(root)
        if folder is None:
            raise StoreError(f"{root}: no index yet")
        try:
            return IndexData(folder, hash_limit)
        except StoreError:
            try:
                same = live_generation(root) == folder
            except DamagedIndex:
                same = True
            if same:
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
def writer_lock(root: Path, *, wait: bool = True) -> Iterator[bool]:
    """One writer at a time per index. Yields True once held; with wait=False, False at once
    when another process holds it (the caller then does without)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+b") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory lock
            yield True
            return
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class GenerationWriter:
    """Collects paragraphs and their terms file by file, then writes a whole generation.

    Each paragraph's distinct term ids and counts go to a temporary file as they come;
    `finish` turns them into postings. Every file is written through a SummingFile, so
    its checksums cost no extra pass.
    """

    def __init__(self, root: Path, vocab: list[str], term_freq: list[int],
                 question_words: dict[str, int] | None = None) -> None:
        self.root = root
        self.question_words = question_words or {}
        self.tmp = root / f"tmp-{uuid.uuid4().hex[:12]}"
        self.tmp.mkdir(parents=True)
        self.vocab = vocab
        self.term_freq = term_freq
        self.term_ids = {t: i for i, t in enumerate(vocab)}
        self._paragraphs = SummingFile(self.tmp / "paragraphs.z")
        self.block_offsets = [0]
        self.block_rows = [0]
        self._pair_terms = open(self.tmp / "pairs-terms.tmp", "wb")  # noqa: SIM115 - closed in finish/abort
        self._pair_counts = open(self.tmp / "pairs-counts.tmp", "wb")  # noqa: SIM115
        self.pairs_per_row: list[int] = []
        self.doc_len: list[int] = []
        self.dates: list[int] = []
        self.date_lo: list[int] = []
        self.date_hi: list[int] = []
        self.ids: list[bytes] = []
        self.files: list[FileEntry] = []
        self.checks: dict[str, list[int]] = {}
        self.sizes: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.dates)

    def term_id(self, term: str, freq: int) -> int:
        tid = self.term_ids.get(term)
        if tid is None:
            tid = self.term_ids[term] = len(self.vocab)
            self.vocab.append(term)
            self.term_freq.append(freq)
        return tid

    def add_paragraphs(self, paragraphs: list[Paragraph], token_ids: list[np.ndarray], dates: list[int]) -> None:
        """One file's new paragraphs (in reading order) with each one's term ids."""
        for block in split_blocks(paragraphs):
            self._add_block(encode_block(block), len(block))
        for paragraph, ids, date in zip(paragraphs, token_ids, dates):
            terms, counts = np.unique(ids, return_counts=True)
            self._add_pairs(terms, counts)
            self.doc_len.append(len(ids))
            self.dates.append(date)
            lo, hi = date_range_key(paragraph)
            self.date_lo.append(lo)
            self.date_hi.append(hi)
            self.ids.append(paragraph.id.encode("ascii"))

    def copy_rows(self, old: IndexData, lo: int, hi: int) -> None:
        """Rows lo..hi of the previous generation (one unchanged file), as they were stored."""
        first_rows = old.array("block_rows")
        for block in old.blocks_of(lo, hi):
            self._add_block(old.block_bytes(block), int(first_rows[block + 1] - first_rows[block]))
        ptr, terms, counts = old.row_pairs(lo, hi)
        self._pair_terms.write(np.ascontiguousarray(terms, dtype="<i4").tobytes())
        self._pair_counts.write(np.ascontiguousarray(counts, dtype="<u2").tobytes())
        self.pairs_per_row.extend(np.diff(ptr).tolist())
        self.doc_len.extend(np.asarray(old.doc_len[lo:hi]).tolist())
        self.dates.extend(np.asarray(old.dates[lo:hi]).tolist())
        self.date_lo.extend(np.asarray(old.date_lo[lo:hi]).tolist())
        self.date_hi.extend(np.asarray(old.date_hi[lo:hi]).tolist())
        self.ids.extend(np.asarray(old.ids[lo:hi]).tolist())

    def _add_block(self, data: bytes, rows: int) -> None:
        self._paragraphs.write(data)
        self.block_offsets.append(self.block_offsets[-1] + len(data))
        self.block_rows.append(self.block_rows[-1] + rows)

    def _add_pairs(self, terms: np.ndarray, counts: np.ndarray) -> None:
        self._pair_terms.write(terms.astype("<i4", copy=False).tobytes())
        self._pair_counts.write(np.minimum(counts, 65535).astype("<u2").tobytes())
        self.pairs_per_row.append(len(terms))

    def add_file(self, entry: FileEntry) -> None:
        self.files.append(entry)

    def finish(self, meta: dict, k1: float, b: float, progress: Progress | None) -> Path:
        n = len(self.dates)
        self._record("paragraphs.z", self._paragraphs)
        for name, values, dtype in (("blocks", self.block_offsets, np.int64), ("block_rows", self.block_rows, np.int64),
                                    ("dates", self.dates, np.int32), ("date_lo", self.date_lo, np.int32),
                                    ("date_hi", self.date_hi, np.int32), ("doc_len", self.doc_len, np.int32)):
            self._save(name, np.asarray(values, dtype=dtype))
        self._save("ids", np.asarray(self.ids, dtype="S10") if self.ids else np.zeros(0, dtype="S10"))
        if progress:
            progress("Building BM25 postings", 0, 0)
        self._write_postings()
        vocab = SummingFile(self.tmp / "vocab.json")
        vocab.write(json.dumps({"terms": self.vocab, "freq": self.term_freq, "question_words": self.question_words},
                               ensure_ascii=False).encode("utf-8"))
        self._record("vocab.json", vocab)
        (self.tmp / READERS).touch()
        manifest = dict(meta, format=FORMAT_VERSION, paragraphs=n, terms=len(self.vocab),
                        files=[asdict(f) for f in self.files], created=time.time(),
                        folder_years=self._folder_years())
        table, crcs = {}, []
        for name in sorted(self.checks):
            table[name] = (self.sizes[name], len(crcs), len(self.checks[name]))
            crcs.extend(self.checks[name])
        np.save(self.tmp / "checks.npy", np.asarray(crcs, dtype=np.uint32), allow_pickle=False)
        data = (self.tmp / "checks.npy").read_bytes()
        manifest["checks"] = table
        manifest["check_chunk"] = chunk_checks.CHUNK  # what SummingFile summed by
        manifest["checks_file"] = (len(data), zlib.crc32(data))
        encoded = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
        _write_durably(self.tmp / "manifest.json", encoded)
        _write_durably(self.tmp / "manifest.sum", _manifest_sum(encoded).encode("ascii"))
        return self._publish()

    def _folder_years(self) -> list[list]:
        """What each folder's self-dated files agree on (date_folders), from this generation's rows."""
        rows = ((f.path, f.start, f.count) for f in self.files if f.count)
        return verdicts_to_json(verdicts_of_rows(rows, self.dates, self.date_lo, self.date_hi, OPEN_END))

    def _write_postings(self) -> None:
        from .engines import build_postings

        for fh in (self._pair_terms, self._pair_counts):
            fh.close()
        row_ptr = np.zeros(len(self.pairs_per_row) + 1, dtype=np.int64)
        np.cumsum(np.asarray(self.pairs_per_row, dtype=np.int64), out=row_ptr[1:])
        terms_path, counts_path = self.tmp / "pairs-terms.tmp", self.tmp / "pairs-counts.tmp"
        terms = np.fromfile(terms_path, dtype="<i4") if row_ptr[-1] else np.zeros(0, np.int32)
        counts = np.fromfile(counts_path, dtype="<u2") if row_ptr[-1] else np.zeros(0, np.uint16)
        terms_path.unlink()
        counts_path.unlink()
        ptr, docs, tf, _ = build_postings(terms, counts, row_ptr, len(self.vocab))
        del terms, counts
        if ptr[-1] < 2**31:
            ptr = ptr.astype(np.int32)  # half the size; the postings' own length says when it cannot be
        for name, arr in (("post_ptr", ptr), ("post_docs", docs), ("post_tf", tf)):
            self._save(name, arr)

    def _save(self, name: str, arr: np.ndarray) -> None:
        self._record(f"{name}.npy", save_array(self.tmp / f"{name}.npy", arr))

    def _record(self, name: str, out: SummingFile) -> None:
        self.checks[name] = out.close()
        self.sizes[name] = out.size

    def _publish(self) -> Path:
        _fsync_tree(self.tmp)
        final = self.root / f"g-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
        os.rename(self.tmp, final)
        _write_durably(self.root / "CURRENT.tmp", final.name.encode("ascii"))
        os.replace(self.root / "CURRENT.tmp", self.root / "CURRENT")
        _prune(self.root, keep=final.name)
        return final

    def abort(self) -> None:
        self._paragraphs.close()
        for fh in (self._pair_terms, self._pair_counts):
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
    """Carry an unchanged file's paragraphs and terms into the new generation."""
    start = len(writer)
    writer.copy_rows(old, entry.start, entry.start + entry.count)
    return FileEntry(entry.path, entry.size, entry.mtime_ns, start, entry.count, entry.skipped)


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


def folder_dated(dates, date_lo, date_hi, years: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The date arrays with each row's folder year (0: none) applied as with_folder_year
    applies it to a paragraph: to rows with no point whose range allows the year, the point
    being the range's first day when that is a day of the year, else the year; the range
    narrowed to that year."""
    dates, lo, hi = np.asarray(dates), np.asarray(date_lo), np.asarray(date_hi)
    if years is None:
        return dates, lo, hi
    given = (years > 0) & (dates == 0) & (((lo == 0) & (hi == 0)) | (
        ((lo == 0) | (lo // 10000 <= years)) & ((hi >= OPEN_END) | (hi // 10000 >= years))))
    first, last = years * 10000 + 101, years * 10000 + 1231
    day = given & (lo // 10000 == years) & (lo != first)
    dates, lo, hi = dates.copy(), lo.copy(), hi.copy()
    dates[given] = np.where(day[given], lo[given], years[given] * 10000)
    lo[given] = np.maximum(lo[given], first[given])
    hi[given] = np.where(hi[given] == 0, last[given], np.minimum(hi[given], last[given]))
    return dates, lo, hi


def date_coverage(index: IndexData) -> DateCoverage:
    """Points, folder years, ranges and unknowns over the index's paragraphs, and the most
    common point year of the text's own points."""
    points = np.asarray(index.dates)
    known = (np.asarray(index.date_lo) > 0) | (np.asarray(index.date_hi) > 0)
    pointed = points > 0
    by_folder = (index.dated()[0] > 0) & ~pointed
    years, counts = np.unique(points[pointed] // 10000, return_counts=True)
    top = int(np.argmax(counts)) if len(counts) else None
    rest = ~pointed & ~by_folder
    return DateCoverage(points=int(pointed.sum()), ranges=int((known & rest).sum()),
                        unknown=int((~known & rest).sum()),
                        common_year=int(years[top]) if top is not None else None,
                        common_year_points=int(counts[top]) if top is not None else 0,
                        folder_points=int(by_folder.sum()))


def summary_of(index: IndexData, seconds: float = 0.0, **counts: int) -> IndexSummary:
    skipped = tuple(SkippedFile(f.path, f.skipped) for f in index.files if f.skipped)
    return IndexSummary(files=len(index.files), paragraphs=len(index), skipped=skipped, seconds=seconds,
                        engine=index.manifest.get("engine", ""), **counts)
