"""wenbao's benchmarks: answer quality on CMRC 2018 and speed/memory at scale.

    python -m bench.quality            # Recall@k, MRR, AnswerHit, per engine, vs a plain baseline
    python -m bench.speed              # build/load/query/re-index costs at 10k, 100k, 1M paragraphs

Not part of the test suite (tests/test_bench_smoke.py only runs tiny versions).
Progress goes to stderr, results to stdout; `--write` also updates docs/benchmarks.md.
This package holds the helpers both benchmarks share.
"""

from __future__ import annotations

import os
import platform
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT_DIR = REPO / "bench" / "out"  # git-ignored: corpora, indexes, failure dumps
DOC_PATH = REPO / "docs" / "benchmarks.md"
SAMPLE_CORPUS = REPO / "corpus"
# The shared data folder sits beside the checkout (../shared/data/cmrc2018).
DEFAULT_CMRC = REPO.parent / "shared" / "data" / "cmrc2018"


# A sentence ends after 。！？；!?; (and any closing quote) or at a line break.
_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]*|\n|$)")


def split_sentences(text: str) -> list[str]:
    """Sentences with their end marks, stripped; never empty strings."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def log(message: str) -> None:
    """Progress for the person watching; results go to stdout."""
    print(message, file=sys.stderr, flush=True)


def write_config(path: Path, corpus: Path, work_dir: Path, engine: str) -> Path:
    """A config file that keeps the index and history inside `work_dir`.

    JSON is a subset of YAML, so json.dumps quotes every path safely.
    """
    import json

    lines = [
        "# written by wenbao's benchmarks",
        f"corpus: {json.dumps(str(corpus))}",
        f"index_dir: {json.dumps(str(work_dir / 'index'))}",
        f"data_dir: {json.dumps(str(work_dir / 'data'))}",
        "retrieval:",
        f"  engine: {json.dumps(engine)}",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def subprocess_env() -> dict[str, str]:
    """Environment for child processes: the checkout importable, output in UTF-8."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _memory_gib() -> float | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_summary() -> str:
    """One line naming the machine the numbers were taken on."""
    memory = _memory_gib()
    memory_text = f"{memory:.0f} GiB" if memory is not None else "unknown memory"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{cores} cores ({_cpu_model()}), {memory_text}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def code_version() -> str:
    """The commit measured, flagged when the engine or CLI has uncommitted changes."""
    import subprocess

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "retrieval", "tui")
    return commit + (" + uncommitted changes" if dirty else "")


def parse_count(text: str) -> int:
    """'10k' -> 10000, '1M' -> 1000000, '2500' -> 2500."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*", text)
    if not match:
        raise ValueError(f"not a size: {text!r} (use 2000, 10k or 1M)")
    number, unit = float(match.group(1)), match.group(2).lower()
    return int(number * {"": 1, "k": 1_000, "m": 1_000_000}[unit])


def count_label(count: int) -> str:
    """10000 -> '10k', 1000000 -> '1M' (the inverse of parse_count for round sizes)."""
    if count >= 1_000_000 and count % 1_000_000 == 0:
        return f"{count // 1_000_000}M"
    if count >= 1_000 and count % 1_000 == 0:
        return f"{count // 1_000}k"
    return str(count)


def publish(text: str, section: str, heading: str, write: bool) -> None:
    """A benchmark's result: printed, and with --write put into its section of docs/benchmarks.md."""
    print(text)
    if write:
        update_doc_section(section, f"{heading}\n\n{text}")
        log("docs/benchmarks.md updated")


def update_doc_section(name: str, markdown: str, doc: Path = DOC_PATH) -> None:
    """Replace the text between <!-- bench:NAME:start --> and <!-- bench:NAME:end -->."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    block = f"{start}\n{markdown.rstrip()}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip() + ("\n\n" if text else "") + block + "\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")
