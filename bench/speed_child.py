"""One measured step of the speed benchmark, run in its own process.

    python -m bench.speed_child build|query|reopen --config CFG [--questions FILE]

Prints one JSON line on stdout: the step's own timings (without interpreter start),
and the largest resident set of this process and the children it waited for.
A fresh process per step keeps the memory peaks and the "cold" numbers honest.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path


def _peak_rss_kib() -> int:
    """ru_maxrss is KiB on Linux (bytes on macOS)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak = max(own, children)
    return peak // 1024 if sys.platform == "darwin" else peak


def _progress_printer():
    """Archive.open progress to stderr, about every tenth of each stage."""
    shown: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        tenth = done * 10 // total if total else 0
        if total and shown.get(stage, -1) < tenth:
            shown[stage] = tenth
            print(f"    {stage}: {done:,}/{total:,}", file=sys.stderr, flush=True)

    return progress


def _summary(archive) -> dict:
    summary = archive.summary
    if summary is None:
        return {}
    return {"files": summary.files, "paragraphs": summary.paragraphs, "added": summary.added,
            "changed": summary.changed, "removed": summary.removed, "unchanged": summary.unchanged,
            "skipped": len(summary.skipped), "rebuilt_reason": summary.rebuilt_reason,
            "engine": summary.engine, "seconds": summary.seconds}


def build(archive_class, config) -> dict:
    started = time.perf_counter()
    archive = archive_class.open(config, progress=_progress_printer())
    return {"build_s": time.perf_counter() - started, "paragraphs": len(archive), "summary": _summary(archive)}


def query(archive_class, config, questions: list[str]) -> dict:
    """Load the existing index as it is, then time each question once it is warm."""
    started = time.perf_counter()
    archive = archive_class.open(config, refresh=False)
    load_s = time.perf_counter() - started
    for question in questions[:3]:  # warm-up: first-call costs are not query latency
        archive.ask(question)
    latencies, cpu, answered = [], [], []
    for question in questions:
        started, started_cpu = time.perf_counter(), time.process_time()
        answers = archive.ask(question)
        latencies.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - started_cpu))  # this process's CPU: what other jobs' load does not inflate
        if answers.found:
            answered.append(question)
    return {"load_s": load_s, "latencies_ms": latencies, "cpu_ms": cpu, "found": len(answered),
            "first_answered": answered[0] if answered else None, "paragraphs": len(archive)}


def reopen(archive_class, config) -> dict:
    """Open with refresh on a corpus that has not changed since the build."""
    started = time.perf_counter()
    archive = archive_class.open(config)
    return {"reopen_s": time.perf_counter() - started, "summary": _summary(archive)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.speed_child")
    parser.add_argument("step", choices=("build", "query", "reopen"))
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--questions", type=Path, help="JSON list of questions (for 'query')")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from retrieval.config import load_config
    from retrieval.search import Archive

    import_s = time.perf_counter() - started
    config = load_config(args.config)
    if args.step == "build":
        result = build(Archive, config)
    elif args.step == "query":
        result = query(Archive, config, json.loads(args.questions.read_text(encoding="utf-8")))
    else:
        result = reopen(Archive, config)
    result.update(step=args.step, import_s=import_s, peak_rss_kib=_peak_rss_kib())
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
