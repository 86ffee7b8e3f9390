"""Regenerate retrieval/resources/t2s_chars.txt from OpenCC's TSCharacters, plus variants.

wenbao folds traditional characters to simplified ones *for matching only*, one
character for one character, so that offsets in the normalised text are offsets in
the original. OpenCC (Apache-2.0) is the reference for that mapping; we keep its
single-character table as data instead of a runtime dependency on a C extension.

OpenCC converts a one-to-many character (瞭, 藉) by its phrase tables, which a
one-for-one fold cannot use; for those the table takes the reading that traditional
text means most of the time. Folding is applied alike to documents, questions and
jieba's dictionary (retrieval/tokenize.py), so a simplified text that uses the other
reading (瞭望, 狼藉) still matches itself: only the two readings are merged.

    pip install opencc && python scripts/make_t2s_table.py
"""

from pathlib import Path

import opencc

RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF)]

# Characters OpenCC's one-character conversion leaves alone or misses, with why.
# Measured with python -m bench.traditional (docs/benchmarks.md, traditional Chinese).
SUPPLEMENT = {
    # one-to-many: the reading of traditional text, not OpenCC's first candidate
    # (not 著 -> 着, Taiwan's 看著/隨著: tried, and it cost CMRC 5 quotes, because 着 is a
    # particle the quote chooser and the character pairs skip, which the 著 of 著作 is not)
    "瞭": "了",  # 瞭解, 明瞭, 一目瞭然; only 瞭望 keeps 瞭 in simplified
    "藉": "借",  # 藉口, 憑藉, 藉由, 藉著; 狼藉, 慰藉 keep it in simplified
    # in OpenCC's TSCharacters, missing from the compiled converter's single-character output
    "甦": "苏",
    "甯": "宁",
    # Taiwan standard forms (OpenCC TWVariantsRev)
    "簷": "檐",
    "痺": "痹",
    "睪": "睾",
    # Hong Kong standard forms (OpenCC HKVariantsRev)
    "衹": "只",
    "粧": "妆",
    "敍": "叙",
    "枱": "台",
    "糭": "粽",
    "衞": "卫",
    # variants common in Taiwan and Hong Kong print
    "廻": "回",
    "姪": "侄",
    "砲": "炮",
}


def main() -> None:
    converter = opencc.OpenCC("t2s")
    pairs = {}
    for lo, hi in RANGES:
        for code in range(lo, hi + 1):
            char = chr(code)
            simple = converter.convert(char)
            if simple != char and len(simple) == 1:
                pairs[char] = simple
    pairs.update(SUPPLEMENT)
    lines = [f"{t}\t{s}" for t, s in sorted(pairs.items(), key=lambda kv: ord(kv[0]))]
    out = Path(__file__).resolve().parent.parent / "retrieval" / "resources" / "t2s_chars.txt"
    header = ("# traditional<TAB>simplified, one character each; generated from OpenCC t2s (Apache-2.0)\n"
              "# plus the variants and readings in scripts/make_t2s_table.py (SUPPLEMENT)\n")
    out.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} pairs -> {out}")


if __name__ == "__main__":
    main()
