"""Fit the quote chooser's and the re-rank's feature weights on one CMRC 2018 split; check the other.

    python -m bench.fit_answers [--data DIR] [--fit trial] [--write]

Two conditional-logit models (softmax over the candidates of one question), fitted in numpy
by gradient ascent with a small L2 penalty, then polished by coordinate ascent on top-1
accuracy (the measure users see):

  windows   the candidate quotes of the gold paragraph (answers.window_table); a window is
            right when it holds a gold answer string.
  re-rank   the first RERANK_DEPTH-or-more BM25 candidates (rerank.features), each with the
            quote the fitted window weights choose; right when it is the gold paragraph and
            its quote holds a gold answer.

Questions with no right candidate say nothing and are left out. Longer quotes hold the
answer more often, so the window weights' coordinate ascent keeps the median chosen
quote under --max-median characters (the benchmark's target is < 80). Features CMRC cannot
teach (datelines, captions: Wikipedia has neither) keep their hand-set weights.
`--write` rewrites retrieval/weights.py with the fitted table.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from . import DEFAULT_CMRC, OUT_DIR, log, write_config
from .cmrc import load_cmrc, write_corpus

ROOT = Path(__file__).resolve().parent.parent
# Newspaper facts Wikipedia cannot teach: weights set by hand, on the fitted weights' scale
# (a dateline is worth about as much as the asked-for span next to a question word).
FIXED_WINDOW = {"dateline": 3.0}
FIXED_RERANK = {"dateline": 2.0, "caption": -2.0}
L2 = 1e-3


def _groups_fit(groups: list[tuple[np.ndarray, np.ndarray]], start: np.ndarray, fixed: np.ndarray,
                steps: int = 600, rate: float = 0.05) -> np.ndarray:
    """Maximise sum over groups of log P(a right candidate), P = softmax(X w); Adam updates."""
    w = start.astype(float).copy()
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, steps + 1):
        grad = -2 * L2 * w
        for x, y in groups:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            q = p * y
            q /= q.sum()
            grad += x.T @ (q - p)  # d/dw log sum_{right} p
        grad /= len(groups)
        grad[fixed] = 0.0
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w += rate * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return w


def top1(groups, w: np.ndarray) -> float:
    """Share of groups whose best-scored candidate is right (first on ties, as in the code)."""
    return sum(bool(y[int(np.argmax(x @ w))]) for x, y in groups) / max(1, len(groups))


def median_chars(groups, w: np.ndarray, max_chars: int) -> float:
    """The median length of the chosen windows (window groups: the "length" feature)."""
    from retrieval.answers import WINDOW_FEATURES

    col = WINDOW_FEATURES.index("length")
    return float(np.median([x[int(np.argmax(x @ w)), col] * max_chars for x, _ in groups]))


def _coordinate_ascent(groups, w: np.ndarray, fixed: np.ndarray, objective=None, rounds: int = 6) -> np.ndarray:
    objective = objective or (lambda weights: top1(groups, weights))
    w = w.copy()
    best = objective(w)
    for _ in range(rounds):
        improved = False
        for i in range(len(w)):
            if fixed[i]:
                continue
            for step in (0.5, 0.2, 0.1, 0.05, -0.05, -0.1, -0.2, -0.5):
                trial = w.copy()
                trial[i] += step * max(abs(w[i]), 0.2)
                acc = objective(trial)
                if acc > best + 1e-9:
                    w, best, improved = trial, acc, True
        if not improved:
            break
    return w


def fit(groups, start, names, fixed_names, objective=None) -> np.ndarray:
    fixed = np.array([n in fixed_names for n in names])
    start = np.array([fixed_names.get(n, x) for n, x in zip(names, start)], float)
    w = _groups_fit(groups, start, fixed)
    return _coordinate_ascent(groups, w, fixed, objective)


def _save(groups, path: Path) -> None:
    np.savez(path, x=np.concatenate([x for x, _ in groups]), y=np.concatenate([y for _, y in groups]),
             sizes=np.array([len(y) for _, y in groups]))


def _load(path: Path):
    data = np.load(path, allow_pickle=False)
    bounds = np.cumsum(np.concatenate([[0], data["sizes"]]))
    return [(data["x"][a:b], data["y"][a:b]) for a, b in zip(bounds[:-1], bounds[1:])]


def window_groups(archive, questions, texts, titles, cache: Path | None = None):
    """The window groups; cached in `cache` (features only: valid while answers.py is unchanged)."""
    if cache is not None and cache.exists():
        return _load(cache)
    groups = _window_groups(archive, questions, texts, titles)
    if cache is not None:
        _save(groups, cache)
    return groups


def _window_groups(archive, questions, texts, titles):
    from retrieval import answers
    from retrieval.normalize import fold

    groups = []
    for q in questions:
        text = texts[q.record]
        query = archive.query(q.question)
        windows, rows = answers.window_table(text, query, archive.config.max_quote_chars, titles[q.record], fold(text))
        y = np.array([any(a in text[lo:hi] for a in q.answers) for lo, hi in windows])
        if y.any() and not y.all():
            groups.append((np.array(rows, float), y))
    return groups


def rerank_groups(archive, questions, depth: int = 10):
    from retrieval import rerank

    groups = []
    for q in questions:
        query, candidates = archive.candidates(q.question, max(depth, rerank.RERANK_DEPTH))
        if len(candidates) < 2:
            continue
        top = candidates[0].bm25
        rows = [rerank.features(c, query, top, i == 0) for i, c in enumerate(candidates)]
        y = np.array([c.paragraph.record == q.record
                      and any(a in c.paragraph.text[c.window[0]:c.window[1]] for a in q.answers) for c in candidates])
        if y.any() and not y.all():
            groups.append((np.array(rows, float), y))
    return groups


def render_weights(window_w, rerank_w, split: str, report: list[str]) -> str:
    from retrieval.answers import WINDOW_FEATURES
    from retrieval.rerank import RERANK_FEATURES

    def table(name, names, w, fixed):
        lines = [f"{name} = ("]
        for n, x in zip(names, w):
            lines.append(f"    {x:+.3f},  # {n}{' (hand-set: CMRC has none)' if n in fixed else ''}")
        return lines + [")"]

    head = ['"""Fitted weights of the quote chooser and the passage re-rank (written by bench/fit_answers.py).',
            "",
            f"Fitted on the CMRC 2018 {split} split: a conditional logit (softmax over one question's",
            "candidates; gradient ascent, L2 1e-3), then coordinate ascent on top-1 accuracy.",
            "Regenerate: python -m bench.fit_answers --write. Checked on the other split:",
            *report,
            '"""', ""]
    return "\n".join(head + table("WINDOW_WEIGHTS", WINDOW_FEATURES, window_w, FIXED_WINDOW) + [""]
                     + table("RERANK_WEIGHTS", RERANK_FEATURES, rerank_w, FIXED_RERANK)) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fit_answers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_CMRC)
    parser.add_argument("--fit", choices=("trial", "dev"), default="trial", help="the split to fit on")
    parser.add_argument("--write", action="store_true", help="rewrite retrieval/weights.py")
    parser.add_argument("--cached", action="store_true",
                        help="keep the window features in bench/out/fit/ and reuse them (only while answers.py is unchanged)")
    parser.add_argument("--windows-only", action="store_true", help="fit the window weights only")
    parser.add_argument("--max-median", type=float, default=70.0,
                        help="the longest median quote (characters) the window weights may choose (default: %(default)s)")
    args = parser.parse_args(argv)

    from retrieval import answers, rerank
    from retrieval.config import load_config
    from retrieval.search import Archive

    paragraphs, questions = load_cmrc(args.data)
    out = OUT_DIR / "fit"
    corpus = write_corpus(paragraphs, out / "cmrc2018.jsonl")
    archive = Archive.open(load_config(write_config(out / "config.yaml", corpus, out / "index", "bm25s")))
    prefix = args.fit.upper() + "_"
    fit_qs = [q for q in questions if q.paragraph_id.startswith(prefix) and q.question.strip()]
    check_qs = [q for q in questions if not q.paragraph_id.startswith(prefix) and q.question.strip()]
    texts, titles = [p.text for p in paragraphs], [p.title for p in paragraphs]
    report = []

    log(f"windows: {len(fit_qs)} questions to fit on, {len(check_qs)} to check")
    cache = {name: out / f"windows-{name}.npz" for name in ("fit", "check")} if args.cached else {}
    wfit, wcheck = (window_groups(archive, qs, texts, titles, cache.get(name))
                    for name, qs in (("fit", fit_qs), ("check", check_qs)))
    old = np.array(answers.WINDOW_WEIGHTS, float)
    chars = archive.config.max_quote_chars

    def short_and_right(w):  # top-1 accuracy, while the median quote stays under --max-median
        return top1(wfit, w) - max(0.0, median_chars(wfit, w, chars) - args.max_median) / args.max_median

    window_w = fit(wfit, old, answers.WINDOW_FEATURES, FIXED_WINDOW, short_and_right)
    line = (f"windows  top-1 on {args.fit} {top1(wfit, old):.3f} -> {top1(wfit, window_w):.3f}, "
            f"on the other split {top1(wcheck, old):.3f} -> {top1(wcheck, window_w):.3f} "
            f"({len(wfit)}/{len(wcheck)} questions with a choice); median window "
            f"{median_chars(wcheck, window_w, chars):.0f} characters")
    log(line)
    report.append("  " + line)
    log(f"  median window on {args.fit} {median_chars(wfit, window_w, chars):.0f} characters")
    answers.WINDOW_WEIGHTS = tuple(window_w)
    if args.windows_only:
        print(render_weights(window_w, rerank.RERANK_WEIGHTS, args.fit, report))
        return 0

    rfit, rcheck = (rerank_groups(archive, qs) for qs in (fit_qs, check_qs))
    old = np.array(rerank.RERANK_WEIGHTS, float)
    rerank_w = fit(rfit, old, rerank.RERANK_FEATURES, FIXED_RERANK)
    line = (f"re-rank  top-1 on {args.fit} {top1(rfit, old):.3f} -> {top1(rfit, rerank_w):.3f}, "
            f"on the other split {top1(rcheck, old):.3f} -> {top1(rcheck, rerank_w):.3f} "
            f"({len(rfit)}/{len(rcheck)} questions with a choice)")
    log(line)
    report.append("  " + line)
    text = render_weights(window_w, rerank_w, args.fit, report)
    print(text)
    if args.write:
        (ROOT / "retrieval" / "weights.py").write_text(text, encoding="utf-8")
        log("wrote retrieval/weights.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
