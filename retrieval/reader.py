"""A corpus file in, its paragraphs out: loaders + the page pipeline, no index.

The indexer calls `file_paragraphs` for each added or changed file; `wenbao inspect`
calls `read_paragraphs` for a whole corpus.
"""

from __future__ import annotations

from pathlib import Path

from .config import Config
from .models import Paragraph, Warn



def file_paragraphs(path: Path, config: Config, warn: Warn) -> tuple[list[Paragraph], str | None]:
    """(paragraphs, None), or ([], reason) for a file that had to be skipped."""
    from .date_hints import folder_hint
    from .loaders import SkipFile, read_file
    from .paragraphs import paragraphs_from_doc

    try:
        docs = read_file(path, config.corpus, config.records, warn)
    except SkipFile as exc:
        warn(f"skipped {path}: {exc.reason}")
        return [], exc.reason
    hint = folder_hint(path, config.corpus, warn) or config.dates
    paragraphs: list[Paragraph] = []
    for doc in docs:
        paragraphs.extend(paragraphs_from_doc(doc, hint))
    return paragraphs, None


def read_paragraphs(config: Config, warn: Warn) -> list[Paragraph]:
    from .store import corpus_files

    _, files = corpus_files(config, warn)
    paragraphs: list[Paragraph] = []
    for path, _, _ in files:
        paragraphs.extend(file_paragraphs(path, config, warn)[0])
    return paragraphs
