"""Hostile input: the cases of issue 12 that used to take minutes, timed end to end.

    python -m bench.hostile [--scale 1.0] [--write]

Each case is a small generated corpus, read into paragraphs and tokenised the way
indexing does (`read_paragraphs` + `Analyzer.terms`, jieba loaded beforehand), next to
"ordinary text" of the same size, so a pathological run can be compared with the cost
of text that has punctuation. The folder case times `list_corpus_files` alone.
`--scale 0.1` makes every input ten times smaller (a quick look). Inputs go to
bench/out/hostile/ (git-ignored); nothing of a real archive is used.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from pathlib import Path

from . import OUT_DIR, SAMPLE_CORPUS, code_version, log, machine_summary, update_doc_section

WORK = OUT_DIR / "hostile"
WORDS = ("城市", "建设", "管理", "工作", "专题会", "要", "加快", "推进", "更新", "行动", "人才", "技能", "补助", "企业",
         "发放", "揭榜挂帅", "技术", "攻关", "的", "了", "和", "在", "我们", "市委", "会议", "召开", "万元", "项目")


def _letters(folder: Path, scale: float) -> str:
    n = int(2_000_000 * scale)
    (folder / "letters.txt").write_text("标题\n\n" + "a" * n + "\n", encoding="utf-8")
    return f"one line of {n:,} letters (.txt)"


def _cell(folder: Path, scale: float, punctuation: bool) -> str:
    rng = random.Random(1)
    n = int(3_000_000 * scale)
    parts, size = [], 0
    while size < n:
        word = rng.choice(WORDS)
        if punctuation and rng.random() < 0.15:
            word += rng.choice("，。、；")
        parts.append(word)
        size += len(word)
    (folder / "cell.csv").write_text(f'title,text\n标题,"{"".join(parts)[:n]}"\n', encoding="utf-8")
    kind = "ordinary text (words and punctuation)" if punctuation else "words without punctuation"
    return f"one CSV cell of {n:,} characters: {kind}"


def _digits(folder: Path, scale: float) -> str:
    n = int(30_000 * scale)
    (folder / "ones.txt").write_text("1" * n, encoding="utf-8")
    return f"a file of {n:,} digits '1' (.txt)"


def _alias_bomb(folder: Path, scale: float) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi")]
    (folder / "bomb.md").write_text("---\n" + "\n".join(lines) + "\ntitle: *i\n---\n正文。\n", encoding="utf-8")
    return "front matter alias bomb (\"billion laughs\", 0.6 KB)"


CASES = {
    "letters": lambda folder, scale: _letters(folder, scale),
    "cell": lambda folder, scale: _cell(folder, scale, punctuation=False),
    "cell-ordinary": lambda folder, scale: _cell(folder, scale, punctuation=True),
    "digits": lambda folder, scale: _digits(folder, scale),
    "alias-bomb": lambda folder, scale: _alias_bomb(folder, scale),
}


def _read_and_tokenise(corpus: Path) -> tuple[float, int, int]:
    """(seconds, characters, terms): reading the corpus into paragraphs and tokenising them
    as indexing does, in this process (jieba's start-up is paid once, before)."""
    from retrieval.config import load_config
    from retrieval.reader import read_paragraphs
    from retrieval.tokenize import Analyzer

    config = load_config(corpus=str(corpus))
    analyzer = _ANALYZERS.setdefault("full", Analyzer(config))
    analyzer.terms("预热")  # jieba's dictionary loads here, outside the timing
    started = time.perf_counter()
    paragraphs = read_paragraphs(config, warn=lambda message: None)
    terms = sum(len(analyzer.terms(p.text)) for p in paragraphs)
    return time.perf_counter() - started, sum(len(p.text) for p in paragraphs), terms


_ANALYZERS: dict = {}


def _nested_folders(scale: float) -> tuple[str, float, int]:
    from retrieval.loaders import list_corpus_files

    depth = max(10, int(2_500 * scale))
    root = WORK / "nested"
    shutil.rmtree(root, ignore_errors=True)
    folder = str(root)
    os.makedirs(folder)
    made = 0
    for _ in range(depth):
        folder = os.path.join(folder, "d")
        try:
            os.mkdir(folder)
        except OSError:  # the path grew past PATH_MAX
            break
        made += 1
    warnings: list[str] = []
    started = time.perf_counter()
    list_corpus_files(root, warnings.append)
    seconds = time.perf_counter() - started
    for level in range(made, 0, -1):  # shutil.rmtree recurses once per level
        os.rmdir(os.path.join(str(root), *["d"] * level))
    return f"{made:,} nested folders, listed", seconds, len(warnings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="input sizes times this (default 1)")
    parser.add_argument("--write", action="store_true", help="replace the hostile section of docs/benchmarks.md")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    _read_and_tokenise(SAMPLE_CORPUS)  # lazy start-up costs (tables, regexes) paid here
    rows = []
    for name, make in CASES.items():
        work = WORK / name
        shutil.rmtree(work, ignore_errors=True)
        corpus = work / "corpus"
        corpus.mkdir(parents=True)
        what = make(corpus, args.scale)
        log(f"{name}: {what} ...")
        seconds, chars, terms = _read_and_tokenise(corpus)
        rate = f"{chars / seconds / 1000:,.0f}" if seconds > 0 and chars else ""
        rows.append(f"| {what} | {seconds:.2f} | {rate} | {terms:,} |")
        log(f"  {seconds:.2f} s, {terms:,} terms")
    what, seconds, warnings = _nested_folders(args.scale)
    rows.append(f"| {what} (`list_corpus_files`, {warnings} warning(s)) | {seconds:.2f} | | |")
    log(f"nested: {what} in {seconds:.2f} s")

    command = "python -m bench.hostile" + (f" --scale {args.scale:g}" if args.scale != 1.0 else "")
    table = "\n".join([
        f"Machine: {machine_summary()}; code: {code_version()}. Command: `{command}` "
        f"(took {time.perf_counter() - started:.0f} s).",
        "",
        "| input | read + tokenise (s) | k chars/s | terms |",
        "|---|---|---|---|",
        *rows,
    ])
    print(table)
    if args.write:
        update_doc_section("hostile", table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
