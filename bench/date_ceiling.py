"""How far can year mentions date a page? A fitted model, trained on one month, tested on the other.

    python -m bench.date_ceiling            # ../shared/data/rmrb-2019 pages and articles

wenbao shows a point year only when its evidence is right ≥ 97 % of the time (bench.dates). Year
mentions in digits ("2018年底", "2019年春节", "2018年9月") are on most pages, but a mention is this
year's news as often as last year's figures. This study asks whether the *use* of a mention
(a year's end or total, "以来", a festival, a named event, a month before or after the page's
dateline, a plan, plain) tells the two apart well enough to earn a point.

The model: every year mention gets a use class; a candidate print year P (the latest years
mentioned, and one or two after, inside wenbao's hard bounds) is scored by a weight per
(use, mention year − P, early in the year or not) on log(1 + count); a softmax over the
candidates, fitted by gradient descent with L2 (numpy only). Fitted on February, tested on
October and the other way round: a year is shown where the model is at least `--threshold`
sure *and* wenbao has no point of its own. The table gives coverage and precision of the
points of wenbao alone and with the model added. It is a study, not part of the product: it
answers whether a fitted mention model is worth shipping (see docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np

from bench.dates import DEFAULT_RMRB, _docs, rmrb_files
from retrieval.date_evidence import _FUTURE_AFTER, _FUTURE_BEFORE, arabic_years, combine, page_evidence
from retrieval.dates import page_reading
from retrieval.layout import split_articles

_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年(度)?")
_USES = [  # (class, what follows the year) — the first that matches
    ("end", re.compile(r"^(?:底|末|年底|年末|全年|一年来|年内)")),
    ("since", re.compile(r"^(?:以来|至今)")),
    ("start", re.compile(r"^(?:初|年初|开年|伊始|开局)")),
    ("festival", re.compile(r"^[^,。;!?]{0,2}(?:春节|春晚|新年|元宵|新春|国庆|中秋|元旦|春运|两会)")),
    ("partial", re.compile(r"^(?:上半年|前三季度|一季度|第一季度|二季度|三季度|前[一二三四五六七八九十]个月|[1一]\s*[至—\-~]\s*\d{1,2}月)")),
    ("name", re.compile(r"^[^,。;!?、]{0,12}(?:大会|论坛|博览会|峰会|年会|交易会|展览会|文化节|艺术节|电影节|锦标赛|大赛|运动会|会议|活动|晚会)")),
]
_MONTH_AFTER = re.compile(r"^\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
CLASSES = ["future", "end", "since", "start", "festival", "partial", "name", "month<", "month>", "month?", "plain"]
OFFSETS = 7  # mention year − P: ≥ +2, +1, 0, −1, −2, −3…−5, older


def _offset(o: int) -> int:
    return 0 if o >= 2 else 1 if o == 1 else 2 if o == 0 else 3 if o == -1 else 4 if o == -2 else 5 if o >= -5 else 6


def mention_uses(text: str, day: tuple[int, int] | None) -> list[tuple[int, str]]:
    """(year, use) for every "YYYY年" of a page's folded text."""
    found = []
    for m in _YEAR.finditer(text):
        start, end = m.start(), m.end()
        tail = text[end:end + 16]
        if _FUTURE_BEFORE.search(text[max(0, start - 4):start]) or _FUTURE_AFTER.match(text[end:end + 10]):
            use = "future"
        elif "截至" in text[max(0, start - 3):start]:
            use = "end"
        else:
            use = next((name for name, rx in _USES if rx.match(tail)), "plain")
            month = _MONTH_AFTER.match(tail) if use == "plain" else None
            if month:
                use = "month?" if day is None else (
                    "month<" if (int(month.group(1)), int(month.group(2) or 1)) <= day else "month>")
        found.append((int(m.group(1)), use))
    return found


def features(uses: list[tuple[int, str]], year: int, early: bool) -> np.ndarray:
    f = np.zeros(2 * len(CLASSES) * OFFSETS)
    for (use, off), n in Counter((u, _offset(y - year)) for y, u in uses).items():
        i = CLASSES.index(use) * OFFSETS + off
        f[i] = math.log1p(n)
        if early:
            f[len(CLASSES) * OFFSETS + i] = math.log1p(n)
    return f


def read(root) -> list[dict]:
    rows = []
    for kind in ("pages", "articles"):
        for path, _, gold in rmrb_files(root, kind):
            for doc in _docs(path):
                articles = [a for a in split_articles(doc) if a.blocks]
                if not articles:
                    continue
                text, day = page_reading(articles)
                text = arabic_years(text)
                estimate = combine(page_evidence(text, day))
                rows.append({"kind": kind, "gold": int(gold[:4]), "month": gold[5:7], "day": day,
                             "uses": mention_uses(text, day), "estimate": estimate})
    return rows


def candidates(row: dict) -> list[int]:
    years = [y for y, _ in row["uses"]]
    if not years:
        return []
    top, est = max(years), row["estimate"]
    pool = set(range(top - 1, top + 3)) | {y for y in years if y >= top - 3}
    return sorted(p for p in pool if (est.lo is None or p >= est.lo) and (est.hi is None or p <= est.hi))


def design(rows: list[dict]) -> list[tuple[np.ndarray, int | None, list[int]]]:
    out = []
    for row in rows:
        cands = candidates(row)
        early = row["day"] is not None and row["day"][0] <= 3
        matrix = np.array([features(row["uses"], p, early) for p in cands]) if cands else None
        out.append((matrix, cands.index(row["gold"]) if row["gold"] in cands else None, cands))
    return out


def fit(data, l2: float = 0.05, steps: int = 1500, rate: float = 2.0) -> np.ndarray:
    usable = [(m, y) for m, y, _ in data if m is not None and y is not None]
    w = np.zeros(usable[0][0].shape[1])
    for _ in range(steps):
        grad = l2 * w
        for m, y in usable:
            p = np.exp(m @ w - (m @ w).max())
            p /= p.sum()
            grad += (m.T @ p - m[y]) / len(usable)
        w -= rate * grad
    return w


def score(rows, data, w, threshold: float) -> tuple[int, int, int, int, int]:
    """(files, wenbao's points, right, points with the model, right)."""
    n = own = own_right = both = both_right = 0
    for row, (m, _, cands) in zip(rows, data):
        n += 1
        est = row["estimate"]
        if est.year is not None:
            own += 1
            own_right += est.year == row["gold"]
            both += 1
            both_right += est.year == row["gold"]
        elif m is not None:
            p = np.exp(m @ w - (m @ w).max())
            p /= p.sum()
            if p.max() >= threshold:
                both += 1
                both_right += cands[int(p.argmax())] == row["gold"]
    return n, own, own_right, both, both_right


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rmrb", default=str(DEFAULT_RMRB))
    parser.add_argument("--threshold", type=float, nargs="+", default=[0.8, 0.9, 0.97])
    args = parser.parse_args(argv)
    rows = read(Path(args.rmrb))
    print("| trained on → tested on | set | threshold | files | wenbao points (right) | with the model (right) |")
    print("|---|---|---|---|---|---|")
    for train, test in (("02", "10"), ("10", "02")):
        w = fit(design([r for r in rows if r["month"] == train]))
        for kind in ("pages", "articles"):
            chosen = [r for r in rows if r["month"] == test and r["kind"] == kind]
            data = design(chosen)
            for threshold in args.threshold:
                n, own, ok, both, both_ok = score(chosen, data, w, threshold)
                print(f"| {train} → {test} | {kind} | {threshold} | {n} | {own / n:.1%} ({ok / max(own, 1):.1%}) "
                      f"| {both / n:.1%} ({both_ok / max(both, 1):.1%}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
