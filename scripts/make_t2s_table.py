"""Regenerate retrieval/resources/t2s_chars.txt from OpenCC's TSCharacters.

wenbao folds traditional characters to simplified ones *for matching only*, one
character for one character, so that offsets in the normalised text are offsets in
the original. OpenCC (Apache-2.0) is the reference for that mapping; we keep its
single-character table as data instead of a runtime dependency on a C extension.

    pip install opencc && python scripts/make_t2s_table.py
"""

from pathlib import Path

import opencc

RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF)]


def main() -> None:
    converter = opencc.OpenCC("t2s")
    pairs = []
    for lo, hi in RANGES:
        for code in range(lo, hi + 1):
            char = chr(code)
            simple = converter.convert(char)
            if simple != char and len(simple) == 1:
                pairs.append(f"{char}\t{simple}")
    out = Path(__file__).resolve().parent.parent / "retrieval" / "resources" / "t2s_chars.txt"
    header = "# traditional<TAB>simplified, one character each; generated from OpenCC t2s (Apache-2.0)\n"
    out.write_text(header + "\n".join(pairs) + "\n", encoding="utf-8")
    print(f"{len(pairs)} pairs -> {out}")


if __name__ == "__main__":
    main()
