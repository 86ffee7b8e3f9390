"""Is the date beside the lead answer right? Questions about People's Daily pages, asked
through `wenbao ask - --format jsonl`, the lead answer's date scored against the print
date of the page it quotes.

    python -m bench.answer_dates [--rmrb DIR] [--write]

The corpus is ../shared/data/rmrb-2019/pages (no date in any name), the questions
bench/questions/rmrb2019.jsonl and rmrb2019-holdout.jsonl. A point is right when its year
is the print year and, when it gives a day, that day is the print day or up to two days
before (a dateline is the day of the event); a range is right when the print day lies in it.
The point's `date_source` is counted too, so what the folder's year adds is seen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench import OUT_DIR, REPO, code_version, log, machine_summary, publish, write_config

DEFAULT_RMRB = REPO.parent / "shared" / "data" / "rmrb-2019"
SETS = ("rmrb2019", "rmrb2019-holdout")
OUTCOMES = ("point, right", "point, wrong year", "point, wrong day", "range holding the truth",
            "range missing it", "unknown")


def outcome(answer: dict, gold: str) -> str:
    gold_day = dt.date.fromisoformat(gold)
    if answer.get("year"):
        if answer["year"] != gold_day.year:
            return "point, wrong year"
        if answer.get("date") and not 0 <= (gold_day - dt.date.fromisoformat(answer["date"])).days <= 2:
            return "point, wrong day"
        return "point, right"
    low, high = answer.get("date_min"), answer.get("date_max")
    if low or high:
        return "range holding the truth" if (low or "") <= gold <= (high or "9999") else "range missing it"
    return "unknown"


def ask_all(questions: list[str], config: Path) -> list[dict]:
    """Every question through the command line, in one batch (one process, the product path)."""
    done = subprocess.run([sys.executable, "-c", "from tui.cli import main; raise SystemExit(main())", "ask", "-",
                           "--config", str(config), "--format", "jsonl"],
                          input="\n".join(questions) + "\n", capture_output=True, text=True, cwd=REPO)
    if done.returncode not in (0, 1):
        raise SystemExit(f"wenbao ask failed ({done.returncode}): {done.stderr[-2000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rmrb", type=Path, default=DEFAULT_RMRB)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    gold = {}
    for row in (args.rmrb / "pages.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        if row.strip():
            relpath, _, date = row.split("\t")[:3]
            gold[Path(relpath).name] = date
    work = OUT_DIR / "answer-dates"
    config = write_config(work / "config.yaml", args.rmrb / "pages", work, "auto")
    lines = ["| questions | n | " + " | ".join(OUTCOMES) + " | right (point or range) | points from the folder's year |",
             "|---|---|" + "---|" * (len(OUTCOMES) + 2)]
    for name in SETS:
        rows = [json.loads(line) for line in (REPO / "bench" / "questions" / f"{name}.jsonl").read_text(
            encoding="utf-8").splitlines() if line.strip()]
        log(f"asking {len(rows)} questions of {name}")
        results = ask_all([r["question"] for r in rows], config)
        counts: Counter = Counter()
        folder = 0
        for result in results:
            lead = (result.get("answers") or [None])[0]
            if lead is None:
                counts["unknown"] += 1
                continue
            counts[outcome(lead, gold[Path(lead["path"]).name])] += 1
            folder += lead.get("date_source") == "folder"
        n = len(results)
        right = counts["point, right"] + counts["range holding the truth"]
        lines.append(f"| {name} | {n} | " + " | ".join(str(counts[o]) for o in OUTCOMES)
                     + f" | {100 * right / n:.1f} % | {folder} |")
    text = "\n".join([f"The lead answer's date against the print date of the page it quotes (`python -m "
                      f"bench.answer_dates --write`; commit {code_version()}; {machine_summary()}).", "", *lines])
    publish(text, "answer-dates", "### The lead answer's date", args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
