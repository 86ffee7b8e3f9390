"""Folding for matching: one character in, one character out.

Documents and questions both pass through `fold`. Because it never changes the
length of a text, an offset found in the folded text is the same offset in the
original, which is how highlights land on the text as printed.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from .config import resource_path


def _width_table() -> dict[int, str]:
    table: dict[int, str] = {0x3000: " "}  # ideographic space
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII forms
        table[code] = chr(code - 0xFEE0)
    for code in range(0xFF61, 0xFFEF):  # half-width katakana/hangul and symbol forms
        folded = unicodedata.normalize("NFKC", chr(code))
        if len(folded) == 1:
            table[code] = folded
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code + 32)
    for code in range(0xFF21, 0xFF3B):  # full-width capitals straight to lower case
        table[code] = chr(code - 0xFEE0 + 32)
    return table


def _t2s_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for line in resource_path("t2s_chars.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            traditional, simplified = line.split("\t")
            table[ord(traditional)] = simplified
    return table


@lru_cache(maxsize=2)
def fold_table(fold_traditional: bool = True) -> dict[int, str]:
    table = _t2s_table() if fold_traditional else {}
    table.update(_width_table())
    return table


@lru_cache(maxsize=1)
def fold_table_digest() -> str:
    """Changes when the traditional -> simplified table does (an index built with the
    old table would match differently)."""
    import hashlib

    return hashlib.blake2b(resource_path("t2s_chars.txt").read_bytes(), digest_size=8).hexdigest()


def fold(text: str, fold_traditional: bool = True) -> str:
    """Full-width to half-width, Latin to lower case, traditional to simplified."""
    folded = text.translate(fold_table(fold_traditional))
    lowered = folded.lower()
    if lowered != folded:
        # Non-ASCII capitals (Greek, Cyrillic, accented Latin); the few whose lower
        # case is longer than one character (like 'İ') stay as they are.
        if len(lowered) == len(folded):
            return lowered
        return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    return folded
