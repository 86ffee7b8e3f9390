"""Xapian, one local database vs the same corpus in shards served by xapian-tcpsrv.

    python -m bench.shards [--size 100k] [--shards 3] [--questions 500] [--timeout 2] [--write]
                           [--index-from DIR]   # reuse wenbao's index of the same corpus (bench.speed's)

Needs the [xapian] extra and xapian-tcpsrv (package xapian-tools). On one seeded
synthetic archive (bench/gen_corpus.py), each timed step in a new process as bench.speed:

  build      Archive.open with retrieval.engine xapian on an empty index folder (wenbao's
             own index, then the Xapian database written from it); with --index-from, a copy
             of an existing wenbao index of the same corpus, so only the Xapian database is
             written (its build time is then the Xapian write alone)
  shards     `wenbao index --shards N --index-dir DIR` on that index (writing the shards)
  query      warm Archive.ask p50/p95 over fixed CMRC questions: the local database, and
             the N shards served by N xapian-tcpsrv processes on 127.0.0.1
  cold ask   `wenbao ask` in a new process, both ways
  same       every question asked both ways in one process: top-10 ids, scores, quotes
  faults     one shard killed, then one stopped (SIGSTOP): the time of the next question
             and the warning it gives

Index size on disk is split into its parts (wenbao's paragraph store, its postings, the
Xapian database, the shards) and set against the corpus text (UTF-8 bytes).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from . import DEFAULT_CMRC, OUT_DIR, REPO, code_version, count_label, log, machine_summary, parse_count, \
    subprocess_env, update_doc_section, write_config
from .gen_corpus import generate
from .speed import CLI, MIB, cold_ask_command, dir_bytes, fixed_questions, percentile, run_step, timed_runs


class ShardServers:
    """N xapian-tcpsrv processes on 127.0.0.1, each in its own process group."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.tcpsrv = shutil.which("xapian-tcpsrv")
        if self.tcpsrv is None:
            raise SystemExit("bench.shards: xapian-tcpsrv is missing (Debian/Ubuntu: apt-get install xapian-tools)")
        self.folders, self.ports, self.procs = list(folders), [], []
        for folder in self.folders:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                self.ports.append(s.getsockname()[1])
            self.procs.append(None)
            self.start(len(self.procs) - 1)

    def start(self, i: int) -> None:
        proc = subprocess.Popen([self.tcpsrv, "--port", str(self.ports[i]), "--interface", "127.0.0.1",
                                 str(self.folders[i])], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                start_new_session=True, text=True)
        for line in proc.stdout:
            if line.startswith("Listening"):
                break
        threading.Thread(target=proc.stdout.read, daemon=True).start()
        self.procs[i] = proc

    @property
    def locations(self) -> list[str]:
        return [f"tcp://127.0.0.1:{port}" for port in self.ports]

    def signal(self, i: int, sig: int) -> None:
        os.killpg(self.procs[i].pid, sig)

    def stop(self) -> None:
        for i, proc in enumerate(self.procs):
            if proc is not None and proc.poll() is None:
                self.signal(i, signal.SIGCONT)
                self.signal(i, signal.SIGKILL)
                proc.wait()


def shards_config(path: Path, work: Path, locations: Sequence[str], timeout: float) -> Path:
    write_config(path, Path("/nonexistent-corpus"), work, "xapian")  # the client has no corpus
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"  shards: {json.dumps(list(locations))}\n  shard_timeout: {timeout}\n")
    return path


def index_parts(index_root: Path) -> dict[str, int]:
    """Bytes of the parts of one corpus's index folder (store.py's layout)."""
    parts = {"paragraphs": 0, "postings": 0, "xapian": 0}
    for folder in index_root.iterdir():
        if folder.name == "xapian":
            parts["xapian"] += dir_bytes(folder)
        elif folder.is_dir() and folder.name.startswith("g-"):
            for f in folder.iterdir():
                if f.is_file():
                    text = f.name.startswith(("paragraphs", "blocks", "block_rows"))
                    parts["paragraphs" if text else "postings"] += f.stat().st_size
    return parts


def compare(local_cfg: Path, remote_cfg: Path, questions: Sequence[str]) -> dict:
    """Ask every question both ways; count identical top-10 (ids, scores, quotes)."""
    from retrieval.config import load_config
    from retrieval.errors import QuestionError
    from retrieval.search import Archive

    local = Archive.open(load_config(local_cfg), refresh=False)
    remote = Archive.open(load_config(remote_cfg))
    same = differ = answers = 0
    examples = []
    for question in questions:
        try:
            a = [(x.paragraph.id, x.score, x.quote) for x in local.ask(question, top=10).answers]
            b = [(x.paragraph.id, x.score, x.quote) for x in remote.ask(question, top=10).answers]
        except QuestionError:
            continue
        answers += len(a)
        if a == b:
            same += 1
        else:
            differ += 1
            examples.append(question)
    return {"same": same, "differ": differ, "answers": answers, "examples": examples[:5]}


def faults(remote_cfg: Path, servers: ShardServers, question: str, timeout: float) -> dict:
    """The next question after one shard is killed, and after one stops answering."""
    from retrieval.config import load_config
    from retrieval.search import Archive

    archive = Archive.open(load_config(remote_cfg))
    archive.ask(question)
    out = {}
    for name, i, sig in (("killed", 1, signal.SIGKILL), ("stopped", 2, signal.SIGSTOP)):
        servers.signal(i, sig)
        started = time.perf_counter()
        result = archive.ask(question)
        out[name] = {"seconds": time.perf_counter() - started, "answers": len(result.answers),
                     "warning": " ".join(result.warnings)}
        if sig == signal.SIGSTOP:
            servers.signal(i, signal.SIGCONT)
        else:
            servers.procs[i].wait()
            servers.start(i)
        started = time.perf_counter()
        back = archive.ask(question)
        out[name]["back_seconds"] = time.perf_counter() - started
        out[name]["back_clean"] = not back.warnings
    out["timeout"] = timeout
    return out


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def write_shards_step(args, row: dict, work: Path, corpus, shard_dir: Path) -> None:
    """`wenbao index --shards N` on the local index (through a bm25s config of the same index
    folder, so the local Xapian database is not written on the way)."""
    log(f"xapian ({args.shards} shards): wenbao index --shards {args.shards}")
    cfg = write_config(work / "local" / "bm25s.yaml", Path(corpus.path), work / "local", "bm25s")
    started = time.perf_counter()
    subprocess.run([*CLI, "index", "--config", str(cfg), "--shards", str(args.shards), "--index-dir",
                    str(shard_dir)], cwd=REPO, env=subprocess_env(), check=True, stdout=subprocess.DEVNULL)
    row.update(shards_build_s=time.perf_counter() - started, shard_bytes=dir_bytes(shard_dir))
    row["load"]["after shards"] = _load()


def merge_shards(folders: Sequence[Path], out: Path) -> None:
    """One database of every shard's documents (Xapian's compactor), marked as wenbao's local
    database of the same index, so `retrieval.engine: xapian` finds it up to date."""
    import xapian

    class Merge(xapian.Compactor):
        def resolve_duplicate_metadata(self, key, tags):
            if key.endswith(b"wenbao:files"):  # every shard's files
                return json.dumps({k: v for tag in tags for k, v in json.loads(tag).items()}, ensure_ascii=False)
            if key.endswith(b"wenbao:shard"):
                return "1/1"
            return tags[0]  # the fingerprint: the same in every shard

    merged = xapian.Database()
    for folder in folders:
        merged.add_database(xapian.Database(str(folder)))
    merged.compact(str(out), 0, 0, Merge())


def measure(args: argparse.Namespace) -> dict:
    corpus = generate(args.size, args.seed, args.out / "corpora")
    work = args.out / "shards" / count_label(args.size)
    shutil.rmtree(work, ignore_errors=True)
    questions = fixed_questions(args.questions, args.seed, DEFAULT_CMRC)
    questions_file = work / "questions.json"
    questions_file.parent.mkdir(parents=True, exist_ok=True)
    questions_file.write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
    local_cfg = write_config(work / "local" / "config.yaml", Path(corpus.path), work / "local", "xapian")
    row: dict = {"paragraphs": corpus.paragraphs, "chars": corpus.chars, "text_bytes": dir_bytes(Path(corpus.path)),
                 "shards": args.shards, "questions": len(questions), "load": {"start": _load()},
                 "index_from": str(args.index_from) if args.index_from else None}
    if args.index_from:
        log(f"copying wenbao's index from {args.index_from}")
        shutil.copytree(args.index_from, work / "local" / "index")
        for stale in (work / "local" / "index").glob("*/xapian"):
            shutil.rmtree(stale)

    shard_dir = work / "shard-dbs"
    if args.local_from_shards:  # shards first; the local database is their merge
        write_shards_step(args, row, work, corpus, shard_dir)
        log("xapian (local): the shards merged by Xapian's compactor")
        started = time.perf_counter()
        index_root = next((work / "local" / "index").iterdir())
        merge_shards(sorted(shard_dir.iterdir()), index_root / "xapian")
        merged_s = time.perf_counter() - started
        built = run_step("build", local_cfg)  # finds the merged database up to date
        row["merge_s"] = merged_s
        built["build_s"] = row["shards_build_s"] + merged_s + built["build_s"]
        row["load"]["after build"] = _load()
    else:
        log("xapian (local): build")
        built = run_step("build", local_cfg)
        row["load"]["after build"] = _load()
        write_shards_step(args, row, work, corpus, shard_dir)
    index_root = next((work / "local" / "index").iterdir())
    row.update(build_s=built["build_s"], peak_build_bytes=built["peak_bytes"], parts=index_parts(index_root))

    servers = ShardServers(sorted(shard_dir.iterdir()))
    try:
        remote_cfg = shards_config(work / "remote" / "config.yaml", work / "remote", servers.locations, args.timeout)
        for name, cfg in (("local", local_cfg), ("remote", remote_cfg)):
            log(f"xapian ({name}): load + {len(questions)} warm questions, cold ask")
            queried = run_step("query", cfg, questions_file)
            lat = queried["latencies_ms"]
            question = queried["first_answered"] or questions[0]
            cold, status = timed_runs(cold_ask_command(question, Path(corpus.path), cfg), args.cold_runs)
            row[name] = {"load_s": queried["load_s"], "p50_ms": percentile(lat, 0.5),
                         "p95_ms": percentile(lat, 0.95), "found": queried["found"], "cold_ask_s": cold,
                         "cold_status": status, "question": question}
        log(f"same answers: {len(questions)} questions both ways")
        row["same"] = compare(local_cfg, remote_cfg, questions)
        log("faults: a shard killed, a shard stopped")
        row["faults"] = faults(remote_cfg, servers, row["local"]["question"], args.timeout)
        row["load"]["end"] = _load()
    finally:
        servers.stop()
    return row


def render(row: dict, command: str, took: float) -> str:
    size = count_label(row["paragraphs"])
    text_mib = row["text_bytes"] / MIB
    parts = row["parts"]
    same, flt = row["same"], row["faults"]
    asked = same["same"] + same["differ"]
    loads = ", ".join(f"{k} {v}" for k, v in row.get("load", {}).items())
    lines = [
        f"Machine: {machine_summary()}; code: {code_version()}. Command: `{command}` (took {took / 60:.0f} min; "
        f"load average 1/5/15 min: {loads}).",
        "",
        "| corpus | engine | build (s) | peak build memory (MiB) | index on disk (MiB) | index / corpus bytes "
        "| load (s) | warm p50 (ms) | warm p95 (ms) | cold `wenbao ask` (s) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, label, build, disk in (("local", "xapian (local)", row["build_s"], parts["xapian"]),
                                     ("remote", f"xapian ({row['shards']} loopback shards)", row["shards_build_s"],
                                      row["shard_bytes"])):
        r = row[name]
        # merged from the shards, the local build step only finds its database up to date
        peak = f"{row['peak_build_bytes'] / MIB:,.0f}" if name == "local" and "merge_s" not in row else "—"
        lines.append(f"| {size} | {label} | {build:,.1f} | {peak} | {disk / MIB:,.1f} | "
                     f"{disk / row['text_bytes']:.2f}× | {r['load_s']:.2f} | "
                     f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['cold_ask_s']:.2f} |")
    built_how = ("the Xapian database written from a copy of wenbao's existing index of the corpus "
                 f"({row['index_from']})" if row.get("index_from") else
                 "wenbao's own index plus the Xapian database written from it")
    if "merge_s" in row:
        built_how += (f", here as the {row['shards']} shards merged by Xapian's compactor (the shards' build time "
                      f"plus {row['merge_s']:,.1f} s of merging)")
    lines += [
        "",
        f"Build: `xapian (local)` is {built_how}; the shards row is `wenbao index --shards {row['shards']}` "
        f"on that index (writing the shards only; its peak memory is not sampled). Index on disk: the Xapian "
        f"database(s) only (the shards need nothing else).",
        "",
        f"Index on disk against the corpus text ({text_mib:,.1f} MiB of UTF-8 in {row['paragraphs']:,} paragraphs):",
        "",
        "| part | MiB | × corpus text |",
        "|---|---|---|",
    ]
    for label, size_bytes in (("wenbao's paragraph store (compressed; every engine)", parts["paragraphs"]),
                              ("wenbao's postings, vocabulary, checks (rank-bm25, bm25s)", parts["postings"]),
                              ("Xapian database (engine xapian, local)", parts["xapian"]),
                              (f"{row['shards']} Xapian shards together", row["shard_bytes"])):
        lines.append(f"| {label} | {size_bytes / MIB:,.1f} | {size_bytes / row['text_bytes']:.1f} |")
    lines += [
        "",
        f"Same answers, local database vs {row['shards']} shards on loopback: identical top-10 "
        f"(paragraph ids, scores and quotes) for {same['same']:,} of {asked:,} questions "
        f"({same['answers']:,} answers compared)" + (f"; differing: {same['examples']}" if same["differ"] else "") + ".",
        "",
        f"Faults (shard_timeout {flt['timeout']} s): a killed shard — next question "
        f"{flt['killed']['seconds'] * 1000:,.0f} ms, {flt['killed']['answers']} answers, warning "
        f"\"{flt['killed']['warning']}\"; restarted, the next question used it again "
        f"({'no warning' if flt['killed']['back_clean'] else 'still warned'}). A stopped shard (SIGSTOP) — next "
        f"question {flt['stopped']['seconds']:.2f} s, {flt['stopped']['answers']} answers, warning "
        f"\"{flt['stopped']['warning']}\"; after SIGCONT: "
        f"{'no warning' if flt['stopped']['back_clean'] else 'still warned'}.",
    ]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.shards", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", help="paragraphs of the synthetic archive (default: %(default)s)")
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("--questions", type=int, default=500, help="CMRC questions (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=2.0, help="shard_timeout in seconds (default: %(default)s)")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="work folder; corpora in OUT/corpora")
    parser.add_argument("--local-from-shards", action="store_true",
                        help="write the shards first and the local database as their merge (xapian-compact) "
                             "instead of writing it again from the index")
    parser.add_argument("--index-from", type=Path,
                        help="copy this wenbao index folder (of the same corpus, e.g. bench.speed's "
                             "OUT/speed/100k-bm25s/index) instead of indexing the corpus again")
    parser.add_argument("--write", action="store_true", help="also update docs/benchmarks.md")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    args.size = parse_count(args.size)
    started = time.perf_counter()
    row = measure(args)
    (args.out / "shards").mkdir(parents=True, exist_ok=True)
    (args.out / "shards" / f"results-{count_label(args.size)}.json").write_text(
        json.dumps(row, ensure_ascii=False, indent=1), encoding="utf-8")
    shown = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--write"]
    markdown = render(row, shlex.join(["python", "-m", "bench.shards", *shown]), time.perf_counter() - started)
    print(markdown)
    if args.write:
        update_doc_section("shards", markdown)
        log("updated docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
