"""Paragraphs as bytes: one at a time (`encode_paragraph`), or compressed in blocks.

Serialisation follows the Paragraph dataclass's fields, whatever they are: a field added
to models.Paragraph is stored without a change here, and a stored field the dataclass no
longer has is ignored when read back (an index format bump rebuilds old indexes anyway).

A block holds consecutive paragraphs of one file: the fields they all share (path, date,
source, … usually) are written once, the others once per paragraph, and the whole block
is zlib-compressed, so an article's title and its file's metadata cost little, and the
text about half its UTF-8 size. A reader decompresses one block (~16 KB) per paragraph.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import MISSING, fields

from .models import Paragraph

FIELDS = tuple(f.name for f in fields(Paragraph))
# Uncompressed text per block, about. A question decodes a whole block for each candidate
# paragraph (~15 a question): 8 KiB blocks decompress in ~34 µs against ~63 µs for 16 KiB and
# parse in half the time, for a paragraph store 4 % bigger (zlib ratio 0.615 against 0.591).
BLOCK_BYTES = 8 << 10
_KNOWN = frozenset(FIELDS)
_REQUIRED = frozenset(f.name for f in fields(Paragraph) if f.default is MISSING and f.default_factory is MISSING)


def paragraph_fields(paragraph: Paragraph) -> dict:
    return {name: getattr(paragraph, name) for name in FIELDS}


def paragraph_from_fields(values: dict) -> Paragraph:
    return Paragraph(**{k: v for k, v in values.items() if k in _KNOWN})


def encode_paragraph(paragraph: Paragraph) -> bytes:
    """One paragraph as UTF-8 JSON (every field, by name)."""
    return json.dumps(paragraph_fields(paragraph), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_paragraph(data: bytes) -> Paragraph:
    values = json.loads(data.decode("utf-8"))
    if not isinstance(values, dict):
        raise ValueError("not an encoded paragraph")
    return paragraph_from_fields(values)


def encode_block(paragraphs: list[Paragraph]) -> bytes:
    rows = [paragraph_fields(p) for p in paragraphs]
    shared = {k: v for k, v in rows[0].items() if all(r[k] == v for r in rows[1:])}
    varying = [k for k in FIELDS if k not in shared]
    block = {"shared": shared, "fields": varying, "rows": [[r[k] for k in varying] for r in rows]}
    raw = json.dumps(block, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return zlib.compress(raw, 6)


class DecodedBlock(Sequence):
    """A block's paragraphs, each built on first access: a question reads one or two
    paragraphs of a block, and building all ~40 cost most of a warm query at 600k."""

    def __init__(self, shared: dict, varying: list[str], rows: list[list]) -> None:
        self._shared, self._varying, self._rows = shared, varying, rows
        self._made: dict[int, Paragraph] = {}
        self.adjust: Callable[[Paragraph], Paragraph] | None = None  # applied to each row as it is made

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i: int) -> Paragraph:  # type: ignore[override]
        made = self._made.get(i)
        if made is None:
            made = paragraph_from_fields({**self._shared, **dict(zip(self._varying, self._rows[i]))})
            made = self._made[i] = self.adjust(made) if self.adjust else made
        return made

    def stored(self, i: int) -> Paragraph:
        """Row i exactly as written (without `adjust`): what a copy of the index must carry."""
        return paragraph_from_fields({**self._shared, **dict(zip(self._varying, self._rows[i]))})


def decode_block(data: bytes) -> DecodedBlock:
    """Raises ValueError (or KeyError/TypeError) when the block is not one we wrote."""
    block = json.loads(zlib.decompress(data).decode("utf-8"))
    shared, varying, rows = block["shared"], block["fields"], block["rows"]
    if not isinstance(shared, dict) or not isinstance(varying, list) or not isinstance(rows, list):
        raise ValueError("not a paragraph block")
    missing = _REQUIRED - set(shared) - set(varying)
    # map() over builtins: a warm question decodes ~10 blocks of ~40 rows
    if missing or (rows and (set(map(type, rows)) != {list} or set(map(len, rows)) != {len(varying)})):
        raise ValueError(f"paragraph block without {', '.join(sorted(missing)) or 'whole rows'}")
    return DecodedBlock(shared, varying, rows)


def split_blocks(paragraphs: list[Paragraph]) -> list[list[Paragraph]]:
    """Runs of consecutive paragraphs of about BLOCK_BYTES of text each (never empty)."""
    out: list[list[Paragraph]] = []
    current: list[Paragraph] = []
    size = 0
    for paragraph in paragraphs:
        if current and size + len(paragraph.text) * 3 > BLOCK_BYTES:
            out.append(current)
            current, size = [], 0
        current.append(paragraph)
        size += len(paragraph.text) * 3 + len(paragraph.title) * 3
    if current:
        out.append(current)
    return out
