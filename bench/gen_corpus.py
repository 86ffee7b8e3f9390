"""Seeded synthetic newspaper archives for the speed benchmark.

    python -m bench.gen_corpus --size 100k [--seed 1]      # prints the corpus folder

An archive is a tree of OCR pages, one .txt file per printed page:

    synth-100k-seed1/1990/01/1990-01-01-01.txt   (year/month/date-page)

Each page holds 20-50 body paragraphs (blank-line separated) in articles of 2-8
paragraphs; every article starts with a headline line (sometimes two), and some first
paragraphs open with a dateline ("本报讯 1月1日，" / "新华社北京1月1日电 "). A paragraph
is 1-5 sentences drawn at random from the CMRC 2018 paragraphs and the sample pages in
corpus/, and in a third of them the digits are redrawn, so numbers, years and
amounts keep a realistic spread of distinct tokens; about 2% are cut mid-sentence by a
blank line, as OCR column breaks are, for the layout code to join. Eight pages a day. The same seed and size give the same bytes;
a finished corpus is reused (its manifest, beside the folder, records what was made).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

from . import DEFAULT_CMRC, OUT_DIR, SAMPLE_CORPUS, count_label, log, parse_count, split_sentences

GENERATOR_VERSION = 1  # bump when the output for a given seed and size changes
PAGES_PER_DAY = 8
FIRST_DAY = date(1990, 1, 1)
SENTENCE_ENDS = ("。", "！", "？", "”", "」")
SENTENCES_PER_PARAGRAPH = ((1, 2, 3, 4, 5), (15, 30, 30, 15, 10))
COLUMN_BREAK_RATE = 0.02
NEW_DIGITS_RATE = 0.33
_DIGIT = re.compile(r"\d")
DATELINE_RATE = 0.4


@dataclass(frozen=True)
class SentencePool:
    sentences: tuple[str, ...]
    headlines: tuple[str, ...]

    def digest(self) -> str:
        text = "\n".join(self.sentences) + "\n\f\n" + "\n".join(self.headlines)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class GeneratedCorpus:
    path: str  # the corpus folder
    seed: int
    paragraphs: int  # body paragraphs written (headlines not counted)
    pages: int
    chars: int  # characters in all page files
    bytes: int
    pool: str  # digest of the sentence pool
    version: int = GENERATOR_VERSION


def _usable(sentence: str) -> bool:
    return 8 <= len(sentence) <= 160 and sentence.endswith(SENTENCE_ENDS)


def _sample_page_blocks(folder: Path) -> list[str]:
    blocks = []
    for page in sorted(folder.glob("*.txt")):
        text = page.read_text(encoding="utf-8", errors="replace")
        blocks += [" ".join(b.split()) for b in text.split("\n\n") if b.strip()]
    return blocks


def _cmrc_contexts(data_dir: Path) -> tuple[list[str], list[str]]:
    """(contexts, titles) of both CMRC splits; empty when the data is absent."""
    contexts, titles = [], []
    for name in ("cmrc2018_dev.json", "cmrc2018_trial.json"):
        path = data_dir / name
        if not path.is_file():
            continue
        for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
            titles.append(article.get("title", ""))
            contexts += [p["context"] for p in article["paragraphs"]]
    return contexts, titles


def load_pool(data_dir: Path = DEFAULT_CMRC, sample_corpus: Path = SAMPLE_CORPUS) -> SentencePool:
    """Sentences ending in 。！？ and short headline lines from CMRC and the sample pages."""
    contexts, titles = _cmrc_contexts(data_dir)
    blocks = _sample_page_blocks(sample_corpus)
    sentences = [s for text in contexts + blocks for s in split_sentences(text) if _usable(s)]
    page_headlines = [b for b in blocks if 4 <= len(b) <= 30 and not b.endswith(SENTENCE_ENDS)]
    headlines = page_headlines + [t for t in titles if 2 <= len(t) <= 30]
    if not sentences or not headlines:
        raise SystemExit(f"no sentences to draw from (looked in {data_dir} and {sample_corpus})")
    return SentencePool(tuple(dict.fromkeys(sentences)), tuple(dict.fromkeys(headlines)))


class PageWriter:
    """Draws one page at a time from the pool with its own seeded generator."""

    def __init__(self, pool: SentencePool, seed: int) -> None:
        self.pool = pool
        self.rng = random.Random(seed)

    def paragraph(self) -> str:
        count = self.rng.choices(*SENTENCES_PER_PARAGRAPH)[0]
        text = "".join(self.rng.choices(self.pool.sentences, k=count))
        if self.rng.random() < NEW_DIGITS_RATE:
            text = _DIGIT.sub(lambda _: str(self.rng.randrange(10)), text)
        return text

    def dateline(self, day: date) -> str:
        if self.rng.random() < 0.5:
            return f"本报讯 {day.month}月{day.day}日，"
        return f"新华社北京{day.month}月{day.day}日电 "

    def column_break(self, text: str) -> list[str]:
        """A paragraph cut mid-sentence by a blank line, as an OCR column break leaves it."""
        cut = self.rng.randint(len(text) // 4, max(len(text) * 3 // 4, len(text) // 4 + 1))
        return [text[:cut], text[cut:]] if 0 < cut < len(text) else [text]

    def article(self, paragraphs: int, day: date) -> list[str]:
        blocks = [self.rng.choice(self.pool.headlines)]
        if self.rng.random() < 0.3:
            blocks.append(self.rng.choice(self.pool.headlines))
        for number in range(paragraphs):
            text = self.paragraph()
            if number == 0 and self.rng.random() < DATELINE_RATE:
                text = self.dateline(day) + text
            broken = self.rng.random() < COLUMN_BREAK_RATE
            blocks += self.column_break(text) if broken else [text]
        return blocks

    def page(self, paragraphs: int, day: date) -> str:
        blocks: list[str] = []
        while paragraphs > 0:
            size = min(paragraphs, self.rng.randint(2, 8))
            blocks += self.article(size, day)
            paragraphs -= size
        return "\n\n".join(blocks) + "\n"


def _page_path(root: Path, number: int) -> Path:
    day = FIRST_DAY + timedelta(days=number // PAGES_PER_DAY)
    edition = number % PAGES_PER_DAY + 1
    return root / f"{day:%Y}" / f"{day:%m}" / f"{day:%Y-%m-%d}-{edition:02d}.txt"


def write_corpus(root: Path, size: int, seed: int, pool: SentencePool) -> GeneratedCorpus:
    writer = PageWriter(pool, seed)
    written = pages = chars = size_bytes = 0
    step = max(size // 10, 1)
    while written < size:
        count = min(size - written, writer.rng.randint(20, 50))
        path = _page_path(root, pages)
        day = FIRST_DAY + timedelta(days=pages // PAGES_PER_DAY)
        text = writer.page(count, day)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        if (written + count) // step > written // step:
            log(f"  generated {written + count:,}/{size:,} paragraphs")
        written, pages, chars, size_bytes = written + count, pages + 1, chars + len(text), size_bytes + len(data)
    return GeneratedCorpus(str(root), seed, written, pages, chars, size_bytes, pool.digest())


def manifest_path(root: Path) -> Path:
    return root.with_name(root.name + ".json")


def generate(size: int, seed: int = 1, out_dir: Path = OUT_DIR / "corpora",
             data_dir: Path = DEFAULT_CMRC) -> GeneratedCorpus:
    """The corpus for (size, seed), generated unless a finished one is already there."""
    pool = load_pool(data_dir)
    root = out_dir / f"synth-{count_label(size)}-seed{seed}"
    manifest = manifest_path(root)
    if manifest.is_file() and root.is_dir():
        known = json.loads(manifest.read_text(encoding="utf-8"))
        if known.get("version") == GENERATOR_VERSION and known.get("pool") == pool.digest():
            log(f"reusing {root} ({known['paragraphs']:,} paragraphs)")
            return GeneratedCorpus(**{**known, "path": str(root)})  # the folder may have moved
    log(f"generating {root}")
    manifest.unlink(missing_ok=True)  # written last: its presence means the folder is complete
    shutil.rmtree(root, ignore_errors=True)
    corpus = write_corpus(root, size, seed, pool)
    manifest.write_text(json.dumps(asdict(corpus), ensure_ascii=False, indent=1), encoding="utf-8")
    return corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gen_corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="10k", help="body paragraphs: 2000, 10k, 1M (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=OUT_DIR / "corpora")
    parser.add_argument("--data", type=Path, default=DEFAULT_CMRC, help="CMRC 2018 folder (optional)")
    args = parser.parse_args(argv)
    corpus = generate(parse_count(args.size), args.seed, args.out, args.data)
    print(corpus.path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
