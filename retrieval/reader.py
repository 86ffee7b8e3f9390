"""A corpus file in, its paragraphs out: loaders + the page pipeline, no index.

The indexer calls `file_paragraph_batches` for each added or changed file; `wenbao
inspect` calls `read_paragraphs` for a whole corpus.

Memory must not grow with the size of one file: paragraphs come out in batches of
about BATCH_PARAGRAPHS, and a page longer than PAGE_PIECE_CHARS (a whole year of a paper
saved as one .txt) is cut into pieces at article boundaries — blank lines, as papers
separate their articles — each piece read as a page of its own, with its true line
numbers, so ids and citations are those of the whole file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from .config import Config
from .models import Paragraph, SourceDoc, Warn

BATCH_PARAGRAPHS = 4000
PAGE_PIECE_CHARS = 1 << 20  # a page up to this long is read whole
_CUTS = ("\n\n\n", "\n\n", "\n")  # where to cut a long page, best first: between articles, paragraphs, lines


class FileSkipped(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def file_paragraph_batches(path: Path, config: Config, warn: Warn) -> Iterator[list[Paragraph]]:
    """A file's paragraphs in reading order, in batches (FileSkipped when it must be skipped)."""
    from .date_hints import folder_hint
    from .loaders import SkipFile, read_file
    from .paragraphs import paragraphs_from_doc

    try:
        docs = read_file(path, config.corpus, config.records, warn)
    except SkipFile as exc:
        warn(f"skipped {path}: {exc.reason}")
        raise FileSkipped(exc.reason) from None
    hint = folder_hint(path, config.corpus, warn) or config.dates
    batch: list[Paragraph] = []
    for doc in docs:
        articles_before = 0
        for piece in page_pieces(doc):
            paragraphs = paragraphs_from_doc(piece, hint)
            if articles_before:  # article numbers run on across the pieces of one page
                paragraphs = [replace(p, article=p.article + articles_before) for p in paragraphs]
            if paragraphs:
                articles_before = paragraphs[-1].article + 1
            batch.extend(paragraphs)
            if len(batch) >= BATCH_PARAGRAPHS:
                yield batch
                batch = []
    if batch:
        yield batch


def page_pieces(doc: SourceDoc, size: int | None = None) -> Iterator[SourceDoc]:
    """`doc` itself, or for a long page, pieces of about `size` characters cut between articles."""
    size = size or PAGE_PIECE_CHARS
    text = doc.text
    if doc.record is not None or len(text) <= size:
        yield doc
        return
    start, line = 0, doc.first_line
    while start < len(text):
        end = len(text) if len(text) - start <= size else _cut(text, start, start + size)
        piece = text[start:end]
        if piece.strip():
            yield replace(doc, text=piece, first_line=line)
        line += piece.count("\n")
        start = end


def _cut(text: str, start: int, limit: int) -> int:
    """An end for the piece text[start:limit]: just after the last article break before limit
    (else paragraph break, else line break; else limit itself), never in its first half."""
    for mark in _CUTS:
        at = text.rfind(mark, start + (limit - start) // 2, limit)
        if at >= 0:
            return at + len(mark)
    return limit


def file_paragraphs(path: Path, config: Config, warn: Warn) -> tuple[list[Paragraph], str | None]:
    """(paragraphs, None), or ([], reason) for a file that had to be skipped."""
    paragraphs: list[Paragraph] = []
    try:
        for batch in file_paragraph_batches(path, config, warn):
            paragraphs.extend(batch)
    except FileSkipped as exc:
        return [], exc.reason
    return paragraphs, None


def read_paragraphs(config: Config, warn: Warn) -> list[Paragraph]:
    """A whole corpus's paragraphs, dated as an index dates them (their folder's year too)."""
    from .date_folders import apply_folder_years
    from .store import corpus_files

    _, files = corpus_files(config, warn)
    paragraphs: list[Paragraph] = []
    for path, _, _ in files:
        paragraphs.extend(file_paragraphs(path, config, warn)[0])
    return apply_folder_years(paragraphs)
