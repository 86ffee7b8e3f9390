"""Speed and memory at scale: build, load, query, re-index, cold start.

    python -m bench.speed [--sizes 10k,100k,1M] [--engines rank-bm25,bm25s]
                          [--skip rank-bm25@1M] [--queries 200] [--seed 1] [--write]

For each size a seeded synthetic archive is generated (bench/gen_corpus.py; cached
under bench/out/corpora/), and for each engine, each step in a fresh process:

  build      Archive.open on an empty index folder: wall time, characters/s, and the
             peak memory of the process tree (sampled from /proc, and ru_maxrss)
  disk       size of the index folder
  query      Archive.open(refresh=False) (the load time), then warm Archive.ask
             latency p50/p95 over a fixed, seeded set of CMRC questions
  reopen     Archive.open on the unchanged corpus (the no-change re-index)
  cold ask   `wenbao ask "问题" --corpus PATH --config CFG` end to end, a new process

Once per run: the bare cost of `python -c "import jieba; jieba.initialize()"` next to a
cold `wenbao ask` on the sample corpus (corpus/). rank-bm25 at 1M is skipped by default
(about half a minute per question); `--skip ''` measures everything.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from . import (DEFAULT_CMRC, OUT_DIR, REPO, SAMPLE_CORPUS, count_label, code_version, log, machine_summary,
               parse_count, subprocess_env, update_doc_section, write_config)
from .gen_corpus import GeneratedCorpus, generate, load_pool

ENGINES = ("rank-bm25", "bm25s")
DEFAULT_SIZES = "10k,100k,1M"
DEFAULT_SKIP = "rank-bm25@1M"
MIB = 1024 * 1024
BARE_JIEBA = [sys.executable, "-c", "import jieba; jieba.initialize()"]
# What the `wenbao` console script runs (the checkout is put on PYTHONPATH).
# The cold start on the sample corpus asks something the sample pages answer.
SAMPLE_QUESTION = "人社部提出高技能人才职称评审不将哪些作为限制性条件？"
CLI = [sys.executable, "-c", "import sys; from tui.cli import main; sys.exit(main())"]


# --- processes and memory -------------------------------------------------------------

def _children_by_parent() -> dict[int, list[int]]:
    table: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        table.setdefault(parent, []).append(int(entry.name))
    return table


def tree_rss_bytes(root: int) -> int:
    """Resident memory of a process and all its descendants (0 without /proc)."""
    if not os.path.isdir("/proc"):
        return 0
    children, total, stack = _children_by_parent(), 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
        stack += children.get(pid, [])
    return total


class PeakSampler(threading.Thread):
    """Samples a process tree's resident memory every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, tree_rss_bytes(self.pid))
            self.done.wait(self.interval)


def run_step(step: str, config: Path, questions: Path | None = None) -> dict:
    """One bench.speed_child step in a new process; its JSON plus wall time and memory peak."""
    command = [sys.executable, "-m", "bench.speed_child", step, "--config", str(config)]
    if questions is not None:
        command += ["--questions", str(questions)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, env=subprocess_env(), stdout=subprocess.PIPE, text=True,
                               encoding="utf-8")
    sampler = PeakSampler(process.pid)
    sampler.start()
    output, _ = process.communicate()
    sampler.done.set()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"bench.speed_child {step} failed with status {process.returncode}")
    result = json.loads(output.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - started
    result["peak_bytes"] = max(sampler.peak, result["peak_rss_kib"] * 1024)
    return result


def timed_runs(command: Sequence[str], runs: int) -> tuple[float, int]:
    """Median wall time of `runs` runs of a command (after one untimed warm-up), and its status."""
    times, status = [], 0
    for number in range(runs + 1):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=REPO, env=subprocess_env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
        if number:
            times.append(time.perf_counter() - started)
        status = done.returncode
        if status not in (0, 1):
            log(f"  {shlex.join(command[:1] + ['...'])} exited with {status}: {done.stderr.strip()[-500:]}")
    return statistics.median(times), status


def cold_ask_command(question: str, corpus: Path, config: Path) -> list[str]:
    if (REPO / "tui" / "cli.py").is_file():
        return [*CLI, "ask", question, "--corpus", str(corpus), "--config", str(config)]
    # Before the CLI exists: the same work through Archive directly.
    code = ("import sys; from retrieval.config import load_config; from retrieval.search import Archive; "
            "a = Archive.open(load_config(sys.argv[2], corpus=sys.argv[3])); "
            "r = a.ask(sys.argv[1]); print(r.answers[0].quote if r.answers else '')")
    return [sys.executable, "-c", code, question, str(config), str(corpus)]


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, int(round(fraction * len(ordered) + 0.5)) - 1))]


# --- the measurements -------------------------------------------------------------------

def fixed_questions(count: int, seed: int, data_dir: Path) -> list[str]:
    """A seeded sample of CMRC questions; without the data, fragments of pool sentences."""
    questions: list[str] = []
    for name in ("cmrc2018_dev.json", "cmrc2018_trial.json"):
        path = data_dir / name
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))["data"]
            questions += [qa["question"] for a in data for p in a["paragraphs"] for qa in p["qas"]]
    rng = random.Random(seed)
    if not questions:
        sentences = load_pool(data_dir).sentences
        questions = [s[: max(6, len(s) // 2)] + "是什么？" for s in rng.sample(sentences, min(count, len(sentences)))]
    return rng.sample(questions, min(count, len(questions)))


def measure(corpus: GeneratedCorpus, engine: str, work: Path, questions_file: Path, cold_runs: int) -> dict:
    """Every per-engine number for one corpus."""
    shutil.rmtree(work, ignore_errors=True)
    config = write_config(work / "config.yaml", Path(corpus.path), work, engine)
    row: dict = {"engine": engine, "generated": corpus.paragraphs, "chars": corpus.chars,
                 "pages": corpus.pages, "corpus_bytes": corpus.bytes}
    log(f"  {engine}: build")
    built = run_step("build", config)
    row.update(paragraphs=built["paragraphs"], build_s=built["build_s"], build_wall_s=built["wall_s"],
               peak_build_bytes=built["peak_bytes"], index_bytes=dir_bytes(work / "index"),
               build_summary=built["summary"])
    log(f"  {engine}: load + {len(json.loads(questions_file.read_text(encoding='utf-8')))} warm questions")
    queried = run_step("query", config, questions_file)
    latencies = queried["latencies_ms"]
    row.update(load_s=queried["load_s"], p50_ms=percentile(latencies, 0.5), p95_ms=percentile(latencies, 0.95),
               found=queried["found"], queries=len(latencies))
    log(f"  {engine}: no-change re-index")
    reopened = run_step("reopen", config)
    row.update(reindex_s=reopened["reopen_s"], reindex_summary=reopened["summary"])
    # A question that finds something, so the cold run includes composing the answers.
    question = queried["first_answered"] or json.loads(questions_file.read_text(encoding="utf-8"))[0]
    log(f"  {engine}: cold ask x{cold_runs}")
    row["cold_ask_s"], row["cold_ask_status"] = timed_runs(
        cold_ask_command(question, Path(corpus.path), config), cold_runs)
    row["cold_ask_question"] = question
    return row


def measure_startup(engines: Sequence[str], work: Path, runs: int, question: str = SAMPLE_QUESTION) -> dict:
    """Bare jieba start vs a cold `wenbao ask` on the sample corpus (index built first)."""
    log("startup: bare jieba")
    startup = {"jieba_s": timed_runs(BARE_JIEBA, runs)[0], "cold_ask_s": {}}
    for engine in engines:
        folder = work / f"sample-{engine}"
        shutil.rmtree(folder, ignore_errors=True)
        config = write_config(folder / "config.yaml", SAMPLE_CORPUS, folder, engine)
        log(f"startup: cold ask on corpus/ ({engine})")
        # timed_runs' untimed warm-up run builds the index
        seconds, status = timed_runs(cold_ask_command(question, SAMPLE_CORPUS, config), runs)
        startup["cold_ask_s"][engine], startup["cold_ask_status"] = seconds, status
    startup["question"] = question
    return startup


# --- the report -------------------------------------------------------------------------

def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _row_cells(row: dict) -> str:
    if row.get("skipped") or row.get("error"):
        return f"{row.get('skipped') or row.get('error')} |" + " |" * 11
    return " | ".join([
        f"{row['paragraphs']:,}", _fmt(row["chars"] / 1e6, 1), _fmt(row["build_s"], 1),
        _fmt(row["chars"] / row["build_s"] / 1e3, 0), _fmt(row["peak_build_bytes"] / MIB, 0),
        _fmt(row["index_bytes"] / MIB, 1), _fmt(row["index_bytes"] / row["corpus_bytes"], 1) + "×",
        _fmt(row["load_s"], 2), _fmt(row["p50_ms"], 1),
        _fmt(row["p95_ms"], 1), _fmt(row["reindex_s"], 2), _fmt(row["cold_ask_s"], 2)]) + " |"


def _target_lines(rows: Sequence[dict], startup: dict | None) -> list[str]:
    def largest(engine: str) -> dict | None:
        done = [r for r in rows if r["engine"] == engine and "build_s" in r]
        return max(done, key=lambda r: r["generated"], default=None)

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    lines, big = [], largest("bm25s")
    if big is not None:
        label = count_label(big["generated"])
        lines += [
            f"- warm query p50 ≤ 10 ms at 1M: {_fmt(big['p50_ms'], 1)} ms at {label} (bm25s) — "
            + (verdict(big["p50_ms"] <= 10) if big["generated"] >= 1_000_000 else "not measured at 1M"),
            f"- building 1M with a peak under 4 GB: {_fmt(big['peak_build_bytes'] / 1e9, 2)} GB "
            f"({_fmt(big['peak_build_bytes'] / MIB / 1024, 2)} GiB) at {label} — "
            + (verdict(big["peak_build_bytes"] < 4e9) if big["generated"] >= 1_000_000 else "not measured at 1M"),
            f"- no-change re-index of 1M under 1 s: {_fmt(big['reindex_s'], 2)} s at {label} — "
            + (verdict(big["reindex_s"] < 1) if big["generated"] >= 1_000_000 else "not measured at 1M"),
        ]
    if startup:
        for engine, seconds in startup["cold_ask_s"].items():
            lines.append(f"- cold `wenbao ask` on the sample corpus ({engine}) faster than bare jieba start: "
                         f"{_fmt(seconds)} s vs {_fmt(startup['jieba_s'])} s — {verdict(seconds < startup['jieba_s'])}")
    return lines


def render(rows: Sequence[dict], startup: dict | None, command: str, total_s: float, runs: int) -> str:
    lines = [
        f"Machine: {machine_summary()}; code: {code_version()}. Command: `{command}` "
        f"(took {total_s / 60:.0f} min including corpus generation).",
        "",
        "| corpus | engine | paragraphs indexed | text (M chars) | build (s) | build (k chars/s) "
        "| peak build memory (MiB) | index on disk (MiB) | index / corpus bytes | load (s) | warm p50 (ms) "
        "| warm p95 (ms) | no-change re-index (s) | cold `wenbao ask` (s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [f"| {count_label(r['generated'])} | {r['engine']} | {_row_cells(r)}" for r in rows]
    if startup:
        lines += ["", f"Start-up (median of {runs} runs, each a new process; "
                  f"the question: {startup['question']}):", "",
                  "| what | seconds |", "|---|---|",
                  f"| bare `python -c \"import jieba; jieba.initialize()\"` | {_fmt(startup['jieba_s'])} |"]
        lines += [f"| cold `wenbao ask` on corpus/ ({e}) | {_fmt(s)} |" for e, s in startup["cold_ask_s"].items()]
    targets = _target_lines(rows, startup)
    if targets:
        lines += ["", "Targets:", "", *targets]
    return "\n".join(lines)


# --- the command ------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="corpus sizes in paragraphs (default: %(default)s)")
    parser.add_argument("--engines", default=",".join(ENGINES), help="engines (default: %(default)s)")
    parser.add_argument("--skip", default=DEFAULT_SKIP,
                        help="engine@size pairs to leave out, comma separated (default: %(default)s)")
    parser.add_argument("--queries", type=int, default=200, help="warm questions per index (default: %(default)s)")
    parser.add_argument("--cold-runs", type=int, default=3, help="timed runs per cold start (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DEFAULT_CMRC, help="CMRC 2018 folder (sentences, questions)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="work folder (default: %(default)s)")
    parser.add_argument("--no-startup", action="store_true", help="skip the jieba / sample-corpus start-up timing")
    parser.add_argument("--write", action="store_true", help="also update docs/benchmarks.md")
    return parser


def _plan(args: argparse.Namespace) -> tuple[list[int], list[str], set[tuple[str, int]]]:
    sizes = [parse_count(s) for s in args.sizes.split(",") if s.strip()]
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if any(e not in ENGINES for e in engines):
        raise SystemExit(f"--engines: choose from {', '.join(ENGINES)}")
    skip = set()
    for pair in filter(None, (p.strip() for p in args.skip.split(","))):
        engine, _, size = pair.partition("@")
        skip.add((engine, parse_count(size)))
    return sizes, engines, skip


def _skip_note(engine: str, size: int) -> str:
    why = " (it scores every paragraph in Python for each question)" if engine == "rank-bm25" else ""
    return f"skipped with --skip {engine}@{count_label(size)}{why}"


def measure_all(args: argparse.Namespace, questions_file: Path) -> list[dict]:
    """Every (size, engine) row; results.json is rewritten after each, so a crash loses nothing."""
    sizes, engines, skip = _plan(args)
    rows: list[dict] = []
    for size in sizes:
        corpus = generate(size, args.seed, args.out / "corpora", args.data)
        for engine in engines:
            log(f"{count_label(size)} paragraphs, {engine}")
            if (engine, size) in skip:
                rows.append({"engine": engine, "generated": size, "skipped": _skip_note(engine, size)})
                continue
            try:
                rows.append(measure(corpus, engine, args.out / "speed" / f"{count_label(size)}-{engine}",
                                    questions_file, args.cold_runs))
            except RuntimeError as exc:
                rows.append({"engine": engine, "generated": size, "error": f"failed: {exc}"})
            (args.out / "speed" / "results.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return rows


def _exclusive(folder: Path):
    """Hold a lock on the work folder: two runs would delete each other's indexes."""
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / ".lock", "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise SystemExit(f"bench.speed: another run is using {folder}; wait for it or pass --out DIR") from None
    return handle


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _plan(args)  # a bad --sizes/--engines/--skip fails before any work
    lock = _exclusive(args.out / "speed")  # noqa: F841  (held until the process ends)
    if not (args.data / "cmrc2018_dev.json").is_file():
        log(f"CMRC 2018 not found in {args.data}: sentences and questions come from {SAMPLE_CORPUS} only")
    started = time.perf_counter()
    questions_file = args.out / "speed" / "questions.json"
    questions = fixed_questions(args.queries, args.seed, args.data)
    questions_file.write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
    rows = measure_all(args, questions_file)
    engines = _plan(args)[1]
    startup = None if args.no_startup else measure_startup(engines, args.out / "speed", args.cold_runs)
    shown = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--write"]
    markdown = render(rows, startup, shlex.join(["python", "-m", "bench.speed", *shown]),
                      time.perf_counter() - started, args.cold_runs)
    print(markdown)
    if args.write:
        update_doc_section("speed", markdown)
        log("updated docs/benchmarks.md")
    return 1 if any("error" in r for r in rows) else 0

if __name__ == "__main__":
    sys.exit(main())
