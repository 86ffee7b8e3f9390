"""Answer quality on CMRC 2018: does wenbao find the paragraph, and does its quote answer?

    python -m bench.quality [--data DIR] [--engines rank-bm25,bm25s] [--limit N] [--write]

All 1,104 paragraphs (dev + trial) form one JSONL corpus; each of the 4,221 questions
goes through Archive.ask (the code path of `wenbao ask`) with top=10, and through the
plain baseline (bench/baseline.py) in the same run. Per system:

  Recall@1, Recall@5   the paragraph the question was written on is ranked 1st / in the top 5
  MRR@10               mean of 1/rank of that paragraph (0 when not in the top 10)
  AnswerHit@1          the lead quote contains one of the gold answer strings
  AnswerHit@3          one of the first three quotes does
  median quote         length of the lead quote, in characters

Misses are written to bench/out/quality/failures-<system>.jsonl, one question per line.

Other sets (--set), through the same code path:

  cmrc-trad, cmrc-tw,  CMRC converted to traditional characters by OpenCC (bench/traditional.py);
  cmrc-tw-docs         -docs: the paragraphs only, the questions stay simplified
  rmrb2019, sample,    hand-written newspaper questions (bench/questions.py), with Recall@1 also
  rmrb2019-holdout     for the right page, and rates per kind of question; --via batch / json
                       asks them through `wenbao ask -` / `wenbao ask --format json` instead
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import DEFAULT_CMRC, OUT_DIR, code_version, log, machine_summary, split_sentences, update_doc_section, write_config
from .cmrc import CmrcParagraph, CmrcQuestion, MissingDataError, load_cmrc, write_corpus
from .questions import NEWS_SETS, NewsQuestion

ENGINES = ("rank-bm25", "bm25s")  # the default; also: xapian (pip install "wenbao[xapian]")
KNOWN_ENGINES = ENGINES + ("xapian",)
ASK_TOP = 10  # deep enough for MRR@10; the quotes are the same at any depth
TARGETS = {"recall_at_1": 0.98, "answer_hit_at_1": 0.90, "median_quote_chars": 80}


@dataclass(frozen=True)
class Retrieved:
    """One ranked result, whatever system produced it."""

    record: int | None  # corpus line of the paragraph (None: cannot be mapped back)
    quote: str
    path: str = ""  # the page, as answers show it
    line_start: int = 0
    line_end: int = 0
    title: str = ""


@dataclass(frozen=True)
class Outcome:
    question: CmrcQuestion | NewsQuestion
    results: tuple[Retrieved, ...]
    seconds: float

    @property
    def gold_rank(self) -> int | None:
        """1-based rank of the first result from the gold paragraph."""
        for rank, result in enumerate(self.results, 1):
            if self.question.is_gold(result):
                return rank
        return None

    @property
    def right_file_first(self) -> bool:
        return bool(self.results) and self.question.same_file(self.results[0])

    def quote_hits(self, depth: int) -> bool:
        return any(answer in result.quote for result in self.results[:depth]
                   for answer in self.question.answers)


@dataclass(frozen=True)
class Scores:
    system: str
    questions: int
    recall_at_1: float
    recall_at_5: float
    mrr_at_10: float
    answer_hit_at_1: float
    answer_hit_at_3: float
    median_quote_chars: float
    mean_ask_ms: float
    setup_seconds: float  # reading the corpus and building the index
    file_recall_at_1: float = 0.0  # the right page first (newspaper sets; CMRC: same as recall_at_1)

    def meets_targets(self) -> bool:
        return (self.recall_at_1 >= TARGETS["recall_at_1"]
                and self.answer_hit_at_1 >= TARGETS["answer_hit_at_1"]
                and self.median_quote_chars < TARGETS["median_quote_chars"])


def score(system: str, outcomes: Sequence[Outcome], setup_seconds: float) -> Scores:
    count = max(len(outcomes), 1)
    ranks = [o.gold_rank for o in outcomes]
    lead_lengths = [len(o.results[0].quote) for o in outcomes if o.results]
    return Scores(
        system=system,
        questions=len(outcomes),
        recall_at_1=sum(r == 1 for r in ranks) / count,
        recall_at_5=sum(r is not None and r <= 5 for r in ranks) / count,
        mrr_at_10=sum(1 / r for r in ranks if r is not None and r <= 10) / count,
        answer_hit_at_1=sum(o.quote_hits(1) for o in outcomes) / count,
        answer_hit_at_3=sum(o.quote_hits(3) for o in outcomes) / count,
        median_quote_chars=statistics.median(lead_lengths) if lead_lengths else 0.0,
        mean_ask_ms=1000 * sum(o.seconds for o in outcomes) / count,
        setup_seconds=setup_seconds,
        file_recall_at_1=sum(o.right_file_first for o in outcomes) / count,
    )


Asker = Callable[[str], Sequence[Retrieved]]


def run_questions(system: str, ask: Asker, questions: Sequence[CmrcQuestion]) -> list[Outcome]:
    outcomes = []
    step = max(len(questions) // 10, 1)
    for number, question in enumerate(questions, 1):
        started = time.perf_counter()
        results = tuple(ask(question.question))
        outcomes.append(Outcome(question, results, time.perf_counter() - started))
        if number % step == 0 or number == len(questions):
            log(f"  {system}: {number}/{len(questions)} questions")
    return outcomes


def baseline_asker(paragraphs: Sequence[CmrcParagraph]) -> Asker:
    from .baseline import BaselineBM25

    baseline = BaselineBM25([p.text for p in paragraphs])

    def ask(question: str) -> list[Retrieved]:
        return [Retrieved(hit.record, hit.quote) for hit in baseline.ask(question, top=ASK_TOP)]

    return ask


def wenbao_asker(corpus: Path, engine: str, work_dir: Path) -> Asker:
    """Open (build) an index of `corpus` in `work_dir` and ask through Archive.ask."""
    from retrieval.config import load_config
    from retrieval.errors import QuestionError
    from retrieval.search import Archive

    config = load_config(write_config(work_dir / "config.yaml", corpus, work_dir, engine))
    archive = Archive.open(config)

    def ask(question: str) -> list[Retrieved]:
        try:
            answers = archive.ask(question, top=ASK_TOP).answers
        except QuestionError:  # CMRC has two empty questions; they count as misses
            return []
        return [retrieved(answer) for answer in answers]

    return ask


def retrieved(answer) -> Retrieved:
    p = answer.paragraph
    return Retrieved(p.record, answer.quote, p.path, *answer.lines, p.title)  # the lines the quote is cited to


def evaluate(system: str, make_asker: Callable[[], Asker], questions: Sequence[CmrcQuestion]
             ) -> tuple[Scores, list[Outcome]]:
    log(f"{system}: indexing")
    started = time.perf_counter()
    ask = make_asker()
    setup = time.perf_counter() - started
    outcomes = run_questions(system, ask, questions)
    return score(system, outcomes, setup), outcomes


def _answer_sentence(answers: Sequence[str], text: str) -> str:
    """The sentence of the gold paragraph that holds the first findable answer."""
    for answer in answers:
        at = text.find(answer)
        if at < 0:
            continue
        offset = 0
        for sentence in split_sentences(text):
            offset = text.find(sentence, offset)
            if offset <= at < offset + len(sentence):
                return sentence
            offset += len(sentence)
    return ""


@dataclass(frozen=True)
class GoldParagraph:
    id: str
    title: str
    text: str


def cmrc_gold(paragraphs: Sequence[CmrcParagraph]) -> tuple[Callable, Callable]:
    """How a CMRC failure row names the gold paragraph and a retrieved one."""
    def gold(question: CmrcQuestion) -> GoldParagraph:
        p = paragraphs[question.record]
        return GoldParagraph(p.id, p.title, p.text)

    def name(result: Retrieved) -> tuple[str | None, str | None]:
        if result.record is None:
            return None, None
        return paragraphs[result.record].id, paragraphs[result.record].title

    return gold, name


def failure_rows(outcomes: Sequence[Outcome], gold_of: Callable, name_of: Callable) -> list[dict]:
    """One row per question that missed the paragraph at rank 1 or the answer in the lead quote."""
    rows = []
    for outcome in outcomes:
        rank, hit = outcome.gold_rank, outcome.quote_hits(1)
        if rank == 1 and hit:
            continue
        question, lead = outcome.question, (outcome.results[0] if outcome.results else None)
        gold = gold_of(question)
        lead_id, lead_title = name_of(lead) if lead is not None else (None, None)
        rows.append({
            "id": question.id,
            "question": question.question,
            "answers": list(question.answers),
            "kind": question.kind or None,
            "miss": [kind for kind, missed in (("retrieval", rank != 1), ("quote", not hit)) if missed],
            "gold_paragraph": gold.id,
            "gold_title": gold.title,
            "gold_rank": rank,
            "gold_sentence": _answer_sentence(question.answers, gold.text),
            "gold_text": gold.text,
            "retrieved_paragraph": lead_id,
            "retrieved_title": lead_title,
            "right_file": outcome.right_file_first,
            "lead_quote": lead.quote if lead is not None else None,
            "quotes": [r.quote for r in outcome.results[:3]],
            "answer_in_gold_paragraph": any(a in gold.text for a in question.answers),
        })
    return rows


def write_failures(path: Path, rows: Sequence[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _delta(value: float, base: float | None) -> str:
    if base is None:
        return f"{value:.3f}"
    return f"{value:.3f} ({value - base:+.3f})"


def render(results: Sequence[Scores], paragraphs: int, command: str) -> str:
    """The quality section of docs/benchmarks.md."""
    base = next((s for s in results if s.system == "baseline"), None)
    lines = [
        f"{paragraphs:,} paragraphs, {results[0].questions:,} questions; "
        f"machine: {machine_summary()}; code: {code_version()}. Command: `{command}`.",
        "",
        "| system | Recall@1 | Recall@5 | MRR@10 | AnswerHit@1 | AnswerHit@3 | median quote (chars) "
        "| ms/question | index build (s) | targets |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in results:
        ref = None if s is base or base is None else base
        lines.append(
            f"| {s.system} | {_delta(s.recall_at_1, ref and ref.recall_at_1)} "
            f"| {_delta(s.recall_at_5, ref and ref.recall_at_5)} "
            f"| {_delta(s.mrr_at_10, ref and ref.mrr_at_10)} "
            f"| {_delta(s.answer_hit_at_1, ref and ref.answer_hit_at_1)} "
            f"| {_delta(s.answer_hit_at_3, ref and ref.answer_hit_at_3)} "
            f"| {s.median_quote_chars:.0f} | {s.mean_ask_ms:.1f} | {s.setup_seconds:.1f} "
            f"| {'—' if s.system == 'baseline' else ('met' if s.meets_targets() else 'not met')} |")
    lines += ["", "Differences from the baseline in parentheses. Targets for wenbao: "
              f"Recall@1 ≥ {TARGETS['recall_at_1']}, AnswerHit@1 ≥ {TARGETS['answer_hit_at_1']}, "
              f"median quote < {TARGETS['median_quote_chars']} characters."]
    return "\n".join(lines)


SETS = ("cmrc", "cmrc-trad", "cmrc-tw", "cmrc-tw-docs", "rmrb2019", "rmrb2019-holdout", "sample")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=SETS, default="cmrc",
                        help="the question set (default: %(default)s; see the module help)")
    parser.add_argument("--data", type=Path, default=None,
                        help="cmrc*: folder with cmrc2018_dev.json and cmrc2018_trial.json "
                             f"(default: {DEFAULT_CMRC}); rmrb2019/sample: the corpus folder")
    parser.add_argument("--engines", default=None,
                        help=f"wenbao engines to measure, comma separated, of {', '.join(KNOWN_ENGINES)} "
                             f"('' for none; default: {','.join(ENGINES)}; bm25s for the newspaper sets)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain baseline")
    parser.add_argument("--limit", type=int, default=None,
                        help="use only the first N paragraphs (and their questions), for quick runs")
    parser.add_argument("--via", default="api",
                        help="newspaper sets: api (Archive.ask), batch (`wenbao ask -`), json "
                             "(`wenbao ask --format json`, a process per question); comma separated")
    parser.add_argument("--questions", type=Path, default=None,
                        help="newspaper sets: another question file in the same format")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "quality",
                        help="where the corpus, indexes and failure dumps go (default: %(default)s)")
    parser.add_argument("--write", action="store_true", help="also update docs/benchmarks.md")
    return parser


def _systems(args: argparse.Namespace, paragraphs: list[CmrcParagraph], corpus: Path,
             scratch: Path) -> list[tuple[str, Callable[[], Asker]]]:
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in KNOWN_ENGINES]
    if unknown:
        raise SystemExit(f"unknown engine(s): {', '.join(unknown)}; choose from {', '.join(KNOWN_ENGINES)}")
    systems: list[tuple[str, Callable[[], Asker]]] = []
    if not args.no_baseline:
        systems.append(("baseline", lambda: baseline_asker(paragraphs)))
    for engine in engines:
        systems.append((f"wenbao {engine}",
                        lambda engine=engine: wenbao_asker(corpus, engine, scratch / engine)))
    return systems


def dump_path(out: Path, set_name: str, system: str) -> Path:
    """bench/out/quality/failures-<system>.jsonl (CMRC) or failures-<set>-<system>.jsonl."""
    prefix = "" if set_name == "cmrc" else f"{set_name}-"
    return out / f"failures-{prefix}{system.replace(' ', '-')}.jsonl"


def _load_cmrc_set(args: argparse.Namespace) -> tuple[list[CmrcParagraph], list[CmrcQuestion]]:
    data = args.data or DEFAULT_CMRC
    if args.set == "cmrc":
        return load_cmrc(data, args.limit)
    from .traditional import load_traditional

    return load_traditional(args.set, data, args.limit)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    args.out = args.out.resolve()  # the config written there names the corpus; relative would be to its folder
    shown = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--write"]
    command = shlex.join(["python", "-m", "bench.quality", *shown])
    if args.set in NEWS_SETS:
        from .newsbench import run_news

        return run_news(args, command)
    if args.engines is None:
        args.engines = ",".join(ENGINES)
    try:
        paragraphs, questions = _load_cmrc_set(args)
    except (MissingDataError, ImportError) as exc:
        print(f"bench.quality: {exc}", file=sys.stderr)
        return 2
    name = "cmrc2018" if args.set == "cmrc" else f"cmrc2018-{args.set.split('-', 1)[1]}"
    corpus = write_corpus(paragraphs, args.out / f"{name}.jsonl")
    log(f"{len(paragraphs)} paragraphs, {len(questions)} questions; corpus {corpus}")
    results = []
    with tempfile.TemporaryDirectory(prefix="wenbao-quality-") as scratch:
        for system, make_asker in _systems(args, paragraphs, corpus, Path(scratch)):
            scores, outcomes = evaluate(system, make_asker, questions)
            dump = dump_path(args.out, args.set, system)
            write_failures(dump, failure_rows(outcomes, *cmrc_gold(paragraphs)))
            log(f"{system}: R@1 {scores.recall_at_1:.3f}  AnswerHit@1 {scores.answer_hit_at_1:.3f}; misses in {dump}")
            results.append(scores)
    if not results:
        print("bench.quality: nothing to measure (no engines and --no-baseline)", file=sys.stderr)
        return 2
    markdown = render(results, len(paragraphs), command)
    print(markdown)
    if args.write:
        update_doc_section("quality" if args.set == "cmrc" else f"quality-{args.set}", markdown)
        log("updated docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
