"""Checksums of index files: a crc32 per 4 KiB chunk, computed as each file is written.

Every file of a generation gets its chunk checksums while it is written (`SummingFile`
is what the writer writes through), so checking costs no second pass at build time.
A reader checks a small file whole when it opens the index, and a big one (postings,
paragraph blocks) chunk by chunk as it reads it (`FileChecks.check`), so opening stays
fast and no byte is used unchecked. A refresh checks every file it copies from whole.
A chunk is one page: checking reads the chunks a question touches from disk, and a warm
question touches ~50 chunks a few bytes of which it uses (a rare word's postings, one
paragraph block), so a bigger chunk is bytes read for nothing (16 KiB chunks, the size
before index generations recorded theirs, read ~0.3 MB more a question at 1M paragraphs).
crc32 finds damage (flipped, zeroed or lost bytes); the index is not a defence against
someone who rewrites it on purpose, whose edits would rewrite the checksums too.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np

from .errors import StoreError

CHUNK = 4 << 10  # what a new generation is written with (its manifest says so: `check_chunk`)
LEGACY_CHUNK = 16 << 10  # generations whose manifest says nothing were written with this


class DamagedIndex(StoreError):
    """A piece of the index is missing, unreadable or not what was written."""


class SummingFile:
    """A binary file opened for writing that keeps the crc32 of each CHUNK written to it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh = open(path, "wb")  # noqa: SIM115 - closed in close()
        self.crcs: list[int] = []
        self.size = 0
        self._crc = 0
        self._fill = 0

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        self._fh.write(view)
        pos, end = 0, len(view)
        while pos < end:
            take = min(CHUNK - self._fill, end - pos)
            self._crc = zlib.crc32(view[pos:pos + take], self._crc)
            self._fill += take
            pos += take
            if self._fill == CHUNK:
                self.crcs.append(self._crc)
                self._crc, self._fill = 0, 0
        self.size += end
        return end

    def close(self) -> list[int]:
        if not self._fh.closed:
            if self._fill:
                self.crcs.append(self._crc)
                self._crc, self._fill = 0, 0
            self._fh.close()
        return self.crcs

    @property
    def closed(self) -> bool:
        return self._fh.closed


def save_array(path: Path, array: np.ndarray) -> SummingFile:
    """np.save through a SummingFile (no pickle); returns the closed file with its checksums."""
    out = SummingFile(path)
    try:
        np.save(out, np.ascontiguousarray(array), allow_pickle=False)
    finally:
        out.close()
    return out


class FileChecks:
    """The chunk checksums of one file, and which chunks this process has verified."""

    def __init__(self, path: Path, size: int, crcs: np.ndarray, chunk: int = CHUNK) -> None:
        self.path = path
        self.size = size
        self.crcs = crcs
        self.chunk = chunk
        # which chunks this process has verified (1) — a bytearray: find(0, a, b) answers
        # "all verified?" in C, a warm question asks it ~90 times
        self.verified = bytearray(len(crcs))
        self._bytes: np.ndarray | None = None
        if len(crcs) != (size + chunk - 1) // chunk:
            raise DamagedIndex(f"{path}: checksum table does not fit the file (damaged index)")

    def check(self, lo: int, hi: int) -> None:
        """Verify bytes lo..hi (every chunk they touch), once per process."""
        if hi <= lo:
            return
        size = self.chunk
        first, last = lo // size, (hi - 1) // size + 1
        verified = self.verified
        chunk = verified.find(0, first, last)
        if chunk < 0:
            return
        data = self._data()
        while 0 <= chunk:
            if zlib.crc32(data[chunk * size:(chunk + 1) * size]) != int(self.crcs[chunk]):
                raise DamagedIndex(f"{self.path}: checksum mismatch at byte {chunk * size} (damaged index)")
            verified[chunk] = 1
            chunk = verified.find(0, chunk + 1, last)

    def check_all(self) -> None:
        self.check(0, self.size)

    def _data(self) -> np.ndarray:
        if self._bytes is None:
            try:
                actual = self.path.stat().st_size
                if actual != self.size:
                    raise DamagedIndex(f"{self.path}: {actual} bytes, expected {self.size} (damaged index)")
                self._bytes = np.memmap(self.path, dtype=np.uint8, mode="r") if self.size else np.zeros(0, np.uint8)
            except OSError as exc:
                raise DamagedIndex(f"{self.path}: unreadable ({exc.strerror or exc}) (damaged index)") from None
        return self._bytes

    def close(self) -> None:
        self._bytes = None
