"""Bytes -> text for newspaper archives: Unicode, and the legacy Chinese encodings.

Order of trust: a byte-order mark; strict UTF-8; then the legacy encodings that
Chinese archives actually use (GB18030, a superset of GBK/GB2312, and Big5), and
UTF-16 without a BOM. Legacy byte streams decode "successfully" under the wrong
codec too, so each candidate is scored by how plausible its text is: the share of
its characters that are the everyday characters of that codec's own repertoire
(GB2312 level 1 for GB, Big5 level 1 for Big5) or common CJK punctuation.
"""

from __future__ import annotations

import codecs
from functools import lru_cache

# Longest BOMs first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)

# C0 controls that never occur in text (tab, newlines, form feed and ESC excluded).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_CONTROL_CHARS = frozenset(chr(b) for b in _CONTROL_BYTES)
_MAX_CONTROL_SHARE = 0.10  # more control bytes than this: not a text file

_SCORE_SAMPLE = 20000  # characters scored per candidate; enough, and bounded for huge files
_MIN_PLAUSIBLE = 0.6  # right decodings of real text score ~0.9+, wrong ones ~0.2-0.55
_MAX_REPAIR_SHARE = 0.01  # UTF-8 with at most this share of bad bytes is damaged, not legacy

REPAIRED = " (invalid bytes replaced)"  # appended to the encoding name of a damaged file
REPAIRED_UTF8 = "utf-8" + REPAIRED


class Undecodable(Exception):
    """The bytes are not text wenbao can read; the message says why."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a whole file. Returns (text, encoding name); raises Undecodable."""
    if not data:
        return "", "utf-8"
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data[len(bom):], codec, name)
    if b"\x00" in data:
        return _decode_nul_bytes(data)
    if _control_share(data) > _MAX_CONTROL_SHARE:
        raise Undecodable("binary file (control bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            # A file cut off in the middle of its last character.
            return data.decode("utf-8", errors="replace"), REPAIRED_UTF8
    return _decode_legacy(data)


def _decode_with_bom(body: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        raise Undecodable(f"invalid {name} data at byte {exc.start} after its byte-order mark") from None
    if _looks_binary(text):
        raise Undecodable("binary file (control characters)")
    return text, name


def _control_share(data: bytes) -> float:
    removed = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return removed / len(data)


def _looks_binary(text: str) -> bool:
    sample = text[:_SCORE_SAMPLE]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ch in _CONTROL_CHARS)
    return controls / len(sample) > _MAX_CONTROL_SHARE


def _decode_nul_bytes(data: bytes) -> tuple[str, str]:
    """NULs in a text file mean UTF-16 without a BOM (ASCII in every other byte), else binary."""
    if len(data) % 2 == 0:
        even_nuls = data[0::2].count(0) / (len(data) / 2)
        odd_nuls = data[1::2].count(0) / (len(data) / 2)
        codec = None
        if odd_nuls > 0.3 and even_nuls < 0.05:
            codec = "utf-16-le"
        elif even_nuls > 0.3 and odd_nuls < 0.05:
            codec = "utf-16-be"
        if codec is not None:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                text = None
            if text is not None and not _looks_binary(text):
                return text, codec
    raise Undecodable("binary file (NUL bytes)")


def _decode_legacy(data: bytes) -> tuple[str, str]:
    best = _most_plausible(data, "strict")
    if best is not None:
        return best
    repaired = data.decode("utf-8", errors="replace")
    if _few_replacements(repaired):
        return repaired, REPAIRED_UTF8
    # A legacy file with a damaged byte or two (rare but real in old exports).
    best = _most_plausible(data, "replace")
    if best is not None and _few_replacements(best[0]):
        return best[0], best[1] + REPAIRED
    raise Undecodable("unknown encoding (not UTF-8, UTF-16, GB18030/GBK or Big5)")


def _most_plausible(data: bytes, errors: str) -> tuple[str, str] | None:
    """The legacy decoding whose text reads most like real Chinese, if any does."""
    candidates = []
    gb = _try_decode(data, ("gb18030",), errors)
    if gb is not None:
        candidates.append((_plausibility(gb[0], _gb_common()), gb))
    big5 = _try_decode(data, ("big5", "cp950", "big5hkscs"), errors)
    if big5 is not None:
        candidates.append((_plausibility(big5[0], _big5_common()), big5))
    if len(data) % 2 == 0:
        utf16 = _try_decode(data, ("utf-16-le", "utf-16-be"), errors)
        if utf16 is not None:
            candidates.append((_plausibility(utf16[0], _gb_common() | _big5_common()), utf16))
    # max() keeps the first of equal scores: GB before Big5, the commoner archive encoding.
    best = max(candidates, key=lambda c: c[0], default=None)
    if best is not None and best[0] >= _MIN_PLAUSIBLE and not _looks_binary(best[1][0]):
        return best[1]
    return None


def _few_replacements(text: str) -> bool:
    return text.count("\ufffd") <= _MAX_REPAIR_SHARE * len(text)


def _try_decode(data: bytes, codecs_to_try: tuple[str, ...], errors: str) -> tuple[str, str] | None:
    for codec in codecs_to_try:
        try:
            return data.decode(codec, errors=errors), codec
        except UnicodeDecodeError:
            continue
    return None


def _plausibility(text: str, common: frozenset[str]) -> float:
    """Share of the non-ASCII characters that are everyday characters or CJK punctuation."""
    total = plausible = 0
    for ch in text[:_SCORE_SAMPLE]:
        if ch < "\x80":
            continue
        total += 1
        if ch in common or _is_cjk_punctuation(ch):
            plausible += 1
    return plausible / total if total else 0.0


def _is_cjk_punctuation(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3000 <= code <= 0x303F  # CJK symbols and punctuation: 、。《》「」
        or 0xFF01 <= code <= 0xFF5E  # full-width forms: ，：；？！（）
        or 0x2010 <= code <= 0x2027  # dashes, quotes “”‘’, ellipsis …, middle dot ·
    )


@lru_cache(maxsize=1)
def _gb_common() -> frozenset[str]:
    """GB2312 level 1: the 3,755 most used simplified characters (rows 0xB0-0xD7)."""
    return _decode_cells("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))


@lru_cache(maxsize=1)
def _big5_common() -> frozenset[str]:
    """Big5 level 1: the 5,401 most used traditional characters (0xA440-0xC67E)."""
    trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    return _decode_cells("big5", range(0xA4, 0xC7), trails, last=0xC67E)


def _decode_cells(codec: str, leads, trails, last: int = 0xFFFF) -> frozenset[str]:
    chars = set()
    for lead in leads:
        for trail in trails:
            if (lead << 8 | trail) > last:
                continue
            try:
                chars.add(bytes((lead, trail)).decode(codec))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)
