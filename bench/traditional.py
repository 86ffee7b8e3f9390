"""CMRC 2018 in traditional characters, and how well wenbao's folding undoes it.

    python -m bench.quality --set cmrc-trad    # OpenCC s2t: traditional characters, mainland wording
    python -m bench.quality --set cmrc-tw      # OpenCC s2twp: Taiwan characters and Taiwan words (軟體, 資訊)
    python -m bench.quality --set cmrc-tw-docs # Taiwan paragraphs, the questions left in simplified Chinese
    python -m bench.traditional [--set cmrc-trad] [--top 30]   # where the folding misses, by character

The conversion needs OpenCC (`pip install -e ".[bench]"`: opencc-python-reimplemented,
a bench extra, never a runtime dependency of wenbao). Paragraphs, questions and the
gold answers are all converted; a gold answer is cut from the converted paragraph at
the offset it had in the simplified one when the conversion kept the length (s2t
always does), so it is a verbatim span of the traditional text.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from . import DEFAULT_CMRC, OUT_DIR
from .cmrc import CmrcParagraph, CmrcQuestion, load_cmrc

# set name -> (OpenCC configuration, whether the questions are converted too)
TRADITIONAL_SETS = {"cmrc-trad": ("s2t", True), "cmrc-tw": ("s2twp", True), "cmrc-tw-docs": ("s2twp", False)}


class MissingConverterError(ImportError):
    pass


@lru_cache(maxsize=4)
def converter(config: str):
    """An OpenCC converter (either PyPI distribution: opencc or opencc-python-reimplemented)."""
    try:
        from opencc import OpenCC
    except ImportError:
        raise MissingConverterError(
            "the traditional-Chinese sets need OpenCC: pip install -e \".[bench]\" "
            "(opencc-python-reimplemented)") from None
    try:
        return OpenCC(config)
    except Exception:  # the C++ binding wants the file name
        return OpenCC(f"{config}.json")


def _convert_answer(answer: str, simplified: str, traditional: str, convert) -> str:
    at = simplified.find(answer)
    if at >= 0 and len(simplified) == len(traditional):
        return traditional[at:at + len(answer)]
    return convert(answer)


def to_traditional(paragraphs: Sequence[CmrcParagraph], questions: Sequence[CmrcQuestion], config: str,
                   convert_questions: bool = True) -> tuple[list[CmrcParagraph], list[CmrcQuestion]]:
    convert = converter(config).convert
    trad = [CmrcParagraph(p.id, convert(p.title), convert(p.text)) for p in paragraphs]
    converted = []
    for q in questions:
        simple, text = paragraphs[q.record].text, trad[q.record].text
        answers = tuple(dict.fromkeys(_convert_answer(a, simple, text, convert) for a in q.answers))
        asked = convert(q.question) if convert_questions else q.question
        converted.append(replace(q, question=asked, answers=answers))
    return trad, converted


def load_traditional(set_name: str, data_dir: Path, limit: int | None = None
                     ) -> tuple[list[CmrcParagraph], list[CmrcQuestion]]:
    paragraphs, questions = load_cmrc(data_dir, limit)
    return to_traditional(paragraphs, questions, *TRADITIONAL_SETS[set_name])


# -- where the folding misses ------------------------------------------------------------------

def fold_misses(simplified: Sequence[str], traditional: Sequence[str]) -> tuple[Counter, int, int]:
    """(traditional char, folded char, simplified char) -> count, over aligned texts of equal length.

    Returns the miss counter, the number of CJK characters compared and the number of
    texts whose lengths differ (skipped: a Taiwan word of another length).
    """
    from retrieval.normalize import fold

    misses: Counter = Counter()
    compared = skipped = 0
    for simple, trad in zip(simplified, traditional):
        if len(simple) != len(trad):
            skipped += 1
            continue
        folded, expected = fold(trad), fold(simple)
        for t, f, s in zip(trad, folded, expected):
            if "\u3400" <= s <= "\u9fff":
                compared += 1
                if f != s:
                    misses[(t, f, s)] += 1
    return misses, compared, skipped


def report(set_name: str, data_dir: Path, top: int) -> str:
    paragraphs, questions = load_cmrc(data_dir)
    trad_paragraphs, trad_questions = to_traditional(paragraphs, questions, *TRADITIONAL_SETS[set_name])
    simple = [p.text for p in paragraphs] + [q.question for q in questions]
    trad = [p.text for p in trad_paragraphs] + [q.question for q in trad_questions]
    misses, compared, skipped = fold_misses(simple, trad)
    total = sum(misses.values())
    by_pair: Counter = Counter()
    for (t, f, s), count in misses.items():
        by_pair[(t, f, s)] += count
    lines = [f"{set_name}: {compared:,} CJK characters compared, {total:,} fold to something else than "
             f"the simplified original ({total / max(compared, 1):.3%}); {skipped} texts of another length skipped.",
             "traditional -> folded (expected simplified): count"]
    for (t, f, s), count in by_pair.most_common(top):
        lines.append(f"  {t} -> {f} ({s}): {count}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.traditional", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(TRADITIONAL_SETS), default="cmrc-trad")
    parser.add_argument("--data", type=Path, default=DEFAULT_CMRC)
    parser.add_argument("--top", type=int, default=30, help="character pairs to list (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        print(report(args.set, args.data, args.top))
    except (MissingConverterError, FileNotFoundError) as exc:
        print(f"bench.traditional: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    sys.exit(main())
