"""Dates in questions: does naming a period help find the article, and should the date
words of the question stay search terms?

    python -m bench.question_dates [--data DIR] [--questions N] [--write]

The corpus is the articles of `../shared/data/rmrb-2019/` (People's Daily, February and
October 2019), each written to bench/out/ as a page whose front matter gives its print
date, so every date is exact and only the handling of the question's period is measured.
For N articles (seeded), a question is a short fragment of one of its body sentences,
asked four ways:

  no period        the fragment alone
  period as words  "2019年2月" + fragment, the period not applied (wenbao before periods)
  period, terms    the period applied, its calendar words kept as search terms
  period (wenbao)  the period applied, its calendar words not search terms (shipped)

and the period is named as an absolute month ("2019年2月"), a relative one ("今年2月",
today = 2019-10-31) or a holiday when the article was printed during or just after it
("今年春节期间", "国庆期间"). Recall@1 / @3: a passage of the article is ranked first / in
the first three.
"""

from __future__ import annotations

import argparse
import random
import shlex
import sys
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from unittest import mock

from . import OUT_DIR, REPO, code_version, log, machine_summary, split_sentences, update_doc_section, write_config

DEFAULT_DATA = REPO.parent / "shared" / "data" / "rmrb-2019"
TODAY = "2019-10-31"
FRAGMENT_CHARS = 10
VARIANTS = ("no period", "period as words", "period, terms", "period (wenbao)")


def write_corpus(data: Path, target: Path) -> list[tuple[str, str, str]]:
    """Each article as a page dated by front matter; returns (file, print date, body)."""
    target.mkdir(parents=True, exist_ok=True)
    out = []
    for line in (data / "articles.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        relpath, _note, printed = line.split("\t")
        text = (data / "articles" / relpath).read_text(encoding="utf-8").replace("\r\n", "\n").strip()
        name = Path(relpath).stem + ".md"
        (target / name).write_text(f"---\ndate: {printed}\n---\n{text}\n", encoding="utf-8")
        out.append((name, printed, text))
    return out


def period_phrases(printed: str) -> dict[str, str]:
    """How a question may name the period of an article printed on `printed`."""
    day = date.fromisoformat(printed)
    phrases = {"absolute month": f"{day.year}年{day.month}月", "relative month": f"今年{day.month}月"}
    if date(2019, 2, 4) <= day <= date(2019, 2, 17):  # 春节 2019: 02-04 … 02-10, reported up to 7 days after
        phrases["holiday"] = "今年春节期间"
    if date(2019, 10, 1) <= day <= date(2019, 10, 14):
        phrases["holiday"] = "国庆期间"
    return phrases


def make_questions(articles, count: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """(file, print date, fragment): a fragment of a body sentence of `count` articles."""
    rng = random.Random(seed)
    out = []
    for name, printed, text in rng.sample(articles, len(articles)):
        body = text.split("\n", 2)[-1]
        sentences = [s for s in split_sentences(body) if len(s) >= FRAGMENT_CHARS + 6]
        if not sentences:
            continue
        sentence = rng.choice(sentences)
        start = rng.randrange(0, len(sentence) - FRAGMENT_CHARS - 1)
        out.append((name, printed, sentence[start:start + FRAGMENT_CHARS]))
        if len(out) == count:
            break
    return out


@contextmanager
def variant(name: str):
    """The engine as it ships, or with one part of the period handling switched off."""
    if name == "period as words":
        with mock.patch("retrieval.search.find_period", lambda question, today: None):
            yield
    elif name == "period, terms":
        with mock.patch("retrieval.search.period_words", lambda question, today: []):
            yield
    else:
        yield


def rank_of(archive, question: str, gold: str) -> int | None:
    answers = archive.ask(question, top=3, today=TODAY)
    return next((a.rank for a in answers.answers if a.paragraph.path == gold), None)


def run(data: Path, count: int, work: Path | None = None) -> str:
    from retrieval.config import load_config
    from retrieval.search import Archive

    work = work or Path(tempfile.mkdtemp(prefix="question-dates-", dir=OUT_DIR if OUT_DIR.exists() else None))
    log(f"writing the corpus to {work}")
    articles = write_corpus(data, work / "corpus")
    config = load_config(write_config(work / "config.yaml", work / "corpus", work, "auto"))
    log(f"indexing {len(articles)} articles …")
    archive = Archive.open(config)
    questions = make_questions(articles, count)
    rows = []
    for kind in ("absolute month", "relative month", "holiday"):
        asked = [(gold, period_phrases(printed)[kind], fragment) for gold, printed, fragment in questions
                 if kind in period_phrases(printed)]
        cells = []
        for name in VARIANTS:
            ranks = []
            with variant(name):
                for gold, phrase, fragment in asked:
                    ranks.append(rank_of(archive, fragment if name == "no period" else phrase + fragment, gold))
            at1 = sum(r == 1 for r in ranks) / max(1, len(ranks))
            at3 = sum(r is not None for r in ranks) / max(1, len(ranks))
            cells.append(f"{at1:.3f} / {at3:.3f}")
            log(f"{kind:15} {name:16} R@1 {at1:.3f}  R@3 {at3:.3f}  ({len(ranks)} questions)")
        rows.append(f"| {kind} ({len(asked)}) | " + " | ".join(cells) + " |")
    command = "python -m bench.question_dates " + shlex.join(sys.argv[1:])
    return "\n".join([
        f"`{command.strip()}` — {len(articles)} articles, {len(questions)} questions of "
        f"{FRAGMENT_CHARS} characters, today = {TODAY}; {code_version()}; {machine_summary()}.",
        "",
        "Recall@1 / Recall@3 of the article the fragment comes from:",
        "",
        "| period named as (questions) | " + " | ".join(VARIANTS) + " |",
        "|---|" + "---|" * len(VARIANTS),
        *rows,
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.question_dates", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the rmrb-2019 folder")
    parser.add_argument("--questions", type=int, default=300, help="how many articles to ask about")
    parser.add_argument("--write", action="store_true", help="also update docs/benchmarks.md")
    args = parser.parse_args(argv)
    if not (args.data / "articles.tsv").exists():
        print(f"bench.question_dates: {args.data}/articles.tsv not found; give --data DIR", file=sys.stderr)
        return 2
    table = run(args.data, args.questions)
    print(table)
    if args.write:
        update_doc_section("question-dates", table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
