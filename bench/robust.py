"""Big single files: time and peak memory of indexing one huge page file and one huge JSONL.

    python -m bench.robust                         # one 200 MB .txt, one 500k-record .jsonl
    python -m bench.robust --txt-mb 20 --records 50000 --write

Memory must not grow with the size of one file (reader.py cuts a long page between
articles and hands paragraphs on in bounded batches). Each input is generated (seeded,
from the same sentence pool as bench.gen_corpus) under bench/out/robust/, then indexed
from scratch by `bench.speed_child build` in a new process; the peak is the largest
resident set of the whole process tree (tokenising workers included), sampled every 0.1 s.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from . import OUT_DIR, code_version, log, machine_summary, update_doc_section, write_config
from .gen_corpus import PageWriter, load_pool
from .speed import dir_bytes, run_step

MB = 1_000_000


def write_big_page(path: Path, size_bytes: int, seed: int) -> None:
    """One .txt of pages (articles of headline + paragraphs) back to back, about size_bytes long."""
    if path.exists() and path.stat().st_size >= size_bytes:
        return
    writer, rng = PageWriter(load_pool(), seed), random.Random(seed)
    day, written = date(2001, 1, 1), 0
    with open(path, "w", encoding="utf-8") as out:
        while written < size_bytes:
            page = writer.page(rng.randint(20, 50), day) + "\n\n"
            out.write(page)
            written += len(page.encode("utf-8"))
            day += timedelta(days=1)


def write_big_jsonl(path: Path, records: int, seed: int) -> None:
    if path.exists():
        return
    writer, rng = PageWriter(load_pool(), seed), random.Random(seed)
    day = date(2001, 1, 1)
    with open(path, "w", encoding="utf-8") as out:
        for n in range(records):
            record = {"title": rng.choice(writer.pool.headlines), "date": str(day + timedelta(days=n // 50)),
                      "text": writer.paragraph()}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def measure(name: str, corpus: Path, work: Path) -> dict:
    folder = work / name
    config = write_config(folder / "config.yaml", corpus, folder, "bm25s")
    log(f"indexing {corpus.name} ({corpus.stat().st_size / MB:,.0f} MB)")
    started = time.perf_counter()
    result = run_step("build", config)
    return {"input": name, "bytes": corpus.stat().st_size, "paragraphs": result["paragraphs"],
            "build_s": result["build_s"], "wall_s": time.perf_counter() - started,
            "peak_bytes": result["peak_bytes"], "index_bytes": dir_bytes(folder / "index")}


def render(rows: Sequence[dict], command: str) -> str:
    lines = [f"Machine: {machine_summary()}; code: {code_version()}. Command: `{command}`.", "",
             "| input | size (MB) | paragraphs | build (s) | peak memory (MiB) | peak / input size | index / input size |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['input']} | {r['bytes'] / MB:,.0f} | {r['paragraphs']:,} | {r['build_s']:,.0f} | "
                     f"{r['peak_bytes'] / 2**20:,.0f} | {r['peak_bytes'] / r['bytes']:.1f} | "
                     f"{r['index_bytes'] / r['bytes']:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.robust", description=__doc__.split("\n\n")[0])
    parser.add_argument("--txt-mb", type=int, default=200, help="size of the one page file (0: skip)")
    parser.add_argument("--records", type=int, default=500_000, help="records in the one JSONL file (0: skip)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=OUT_DIR / "robust")
    parser.add_argument("--write", action="store_true", help="replace the robust section of docs/benchmarks.md")
    args = parser.parse_args(argv)
    inputs = args.out / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    rows = []
    if args.txt_mb:
        page = inputs / f"one-page-{args.txt_mb}MB-seed{args.seed}.txt"
        write_big_page(page, args.txt_mb * MB, args.seed)
        rows.append(measure(f"one .txt of {args.txt_mb} MB", page, args.out / "work"))
    if args.records:
        records = inputs / f"records-{args.records}-seed{args.seed}.jsonl"
        write_big_jsonl(records, args.records, args.seed)
        rows.append(measure(f"one .jsonl of {args.records:,} records", records, args.out / "work"))
    argv_text = " ".join(argv if argv is not None else sys.argv[1:])
    table = render(rows, f"python -m bench.robust {argv_text}".strip())
    print(table)
    if args.write:
        update_doc_section("robust", table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
