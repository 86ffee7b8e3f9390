"""`python -m bench.quality --set rmrb2019|sample`: the newspaper question sets.

    python -m bench.quality --set rmrb2019                    # Archive.ask, ~1 min after the first index
    python -m bench.quality --set sample --via api,batch,json # also through `wenbao ask -` and `--format json`

The corpus (../shared/data/rmrb-2019/pages, or corpus/ for the sample set) is indexed
once into bench/out/quality/<set>-<engine>/ and refreshed (a no-change refresh is
quick) on later runs; the CLI runs use the same config file, so the same index.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from . import code_version, log, machine_summary, update_doc_section, write_config
from .questions import KINDS, QUESTIONS_DIR, SET_CORPUS, NewsQuestion, QuestionSetError, ask_batch, ask_json, \
    check_against_corpus, load_questions
from .quality import ASK_TOP, ENGINES, GoldParagraph, Outcome, Retrieved, Scores, retrieved, score, write_failures, \
    dump_path, failure_rows

VIAS = ("api", "batch", "json")


def _lines(answer: dict) -> tuple[int, int]:
    """The lines the quote is cited to: the headline's, or the paragraph's."""
    if answer.get("quote_in") == "title" and answer.get("title_line") is not None:
        return answer["title_line"], answer["title_line"]
    return answer["line_start"], answer["line_end"]


def _from_json(answer_set: dict) -> tuple[Retrieved, ...]:
    return tuple(Retrieved(a.get("record"), a["quote"], a["path"], *_lines(a), a.get("title", ""))
                 for a in answer_set.get("answers", []))


def _outcomes_api(archive, questions: Sequence[NewsQuestion]) -> list[Outcome]:
    outcomes = []
    for q in questions:
        started = time.perf_counter()
        answers = archive.ask(q.question, top=ASK_TOP).answers
        outcomes.append(Outcome(q, tuple(retrieved(a) for a in answers), time.perf_counter() - started))
    return outcomes


def _outcomes_batch(config: Path, questions: Sequence[NewsQuestion]) -> list[Outcome]:
    started = time.perf_counter()
    rows = ask_batch([q.question for q in questions], config, ASK_TOP)
    each = (time.perf_counter() - started) / max(len(questions), 1)
    return [Outcome(q, _from_json(row), each) for q, row in zip(questions, rows)]


def _outcomes_json(config: Path, questions: Sequence[NewsQuestion]) -> list[Outcome]:
    outcomes = []
    for q in questions:
        started = time.perf_counter()
        row = ask_json(q.question, config, ASK_TOP)
        outcomes.append(Outcome(q, _from_json(row), time.perf_counter() - started))
    return outcomes


def _signature(outcome: Outcome) -> tuple:
    return tuple((r.path, r.line_start, r.quote) for r in outcome.results)


def agreement(reference: Sequence[Outcome], other: Sequence[Outcome]) -> int:
    """Questions for which both runs gave the same passages and quotes, in the same order."""
    return sum(_signature(a) == _signature(b) for a, b in zip(reference, other))


def kind_rates(outcomes: Sequence[Outcome]) -> dict[str, tuple[int, float, float, float]]:
    """kind -> (questions, Recall@1 paragraph, AnswerHit@1, AnswerHit@3)."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.question.kind].append(o)
    rates = {}
    for kind in [k for k in KINDS if k in groups]:
        members = groups[kind]
        n = len(members)
        rates[kind] = (n, sum(o.gold_rank == 1 for o in members) / n,
                       sum(o.quote_hits(1) for o in members) / n, sum(o.quote_hits(3) for o in members) / n)
    return rates


def render(set_name: str, results: Sequence[tuple[Scores, list[Outcome]]], agreements: Sequence[str],
           paragraphs: int, command: str) -> str:
    first = results[0][0]
    lines = [
        f"Set `{set_name}`: {first.questions} questions, {paragraphs:,} paragraphs; machine: {machine_summary()}; "
        f"code: {code_version()}. Command: `{command}`.",
        "",
        "| system | Recall@1 page | Recall@1 paragraph | Recall@5 | MRR@10 | AnswerHit@1 | AnswerHit@3 "
        "| median quote (chars) | ms/question |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s, _ in results:
        lines.append(f"| {s.system} | {s.file_recall_at_1:.3f} | {s.recall_at_1:.3f} | {s.recall_at_5:.3f} "
                     f"| {s.mrr_at_10:.3f} | {s.answer_hit_at_1:.3f} | {s.answer_hit_at_3:.3f} "
                     f"| {s.median_quote_chars:.0f} | {s.mean_ask_ms:.1f} |")
    lines += ["", f"Per kind of question ({results[0][0].system}):", "",
              "| kind | questions | Recall@1 paragraph | AnswerHit@1 | AnswerHit@3 |", "|---|---|---|---|---|"]
    for kind, (n, r1, h1, h3) in kind_rates(results[0][1]).items():
        lines.append(f"| {kind} | {n} | {r1:.2f} | {h1:.2f} | {h3:.2f} |")
    if agreements:
        lines += [""] + agreements
    return "\n".join(lines)


def run_news(args: argparse.Namespace, command: str) -> int:
    from retrieval.config import load_config
    from retrieval.search import Archive

    corpus = args.data or SET_CORPUS[args.set]
    question_file = args.questions or QUESTIONS_DIR / f"{args.set}.jsonl"
    vias = [v.strip() for v in args.via.split(",") if v.strip()]
    engines = [e.strip() for e in (args.engines if args.engines is not None else "bm25s").split(",") if e.strip()]
    bad = [v for v in vias if v not in VIAS] + [e for e in engines if e not in ENGINES]
    if bad or not vias or not engines:
        print(f"bench.quality: --via takes {', '.join(VIAS)}; --engines takes {', '.join(ENGINES)}",
              file=sys.stderr)
        return 2
    if not corpus.is_dir():
        print(f"bench.quality: corpus folder {corpus} not found; put the shared data beside the checkout "
              "or pass --data DIR", file=sys.stderr)
        return 2
    try:
        questions = load_questions(question_file)
    except QuestionSetError as exc:
        print(f"bench.quality: {exc}", file=sys.stderr)
        return 2
    for problem in check_against_corpus(questions, corpus):
        log(f"warning: {problem}")
    results: list[tuple[Scores, list[Outcome]]] = []
    agreements: list[str] = []
    paragraphs = 0
    for engine in engines:
        work = args.out / f"{args.set}-{engine}"
        config_path = write_config(work / "config.yaml", corpus.resolve(), work.resolve(), engine)
        started = time.perf_counter()
        archive = Archive.open(load_config(config_path))
        setup = time.perf_counter() - started
        paragraphs = len(archive)
        log(f"{args.set}: {len(questions)} questions, {paragraphs} paragraphs ({engine}, index ready in {setup:.1f} s)")
        reference = None
        for via in vias:
            system = f"wenbao {engine}" + ("" if via == "api" else f" via {via}")
            if via == "api":
                outcomes = _outcomes_api(archive, questions)
            elif via == "batch":
                outcomes = _outcomes_batch(config_path, questions)
            else:
                outcomes = _outcomes_json(config_path, questions)
            scores = score(system, outcomes, setup)
            dump = dump_path(args.out, args.set, system)
            write_failures(dump, failure_rows(outcomes, *_news_gold(archive)))
            log(f"{system}: R@1 page {scores.file_recall_at_1:.3f}, paragraph {scores.recall_at_1:.3f}; "
                f"AnswerHit@1 {scores.answer_hit_at_1:.3f}; misses in {dump}")
            results.append((scores, outcomes))
            if reference is None:
                reference = (via, outcomes)
            else:
                same = agreement(reference[1], outcomes)
                agreements.append(f"{system}: the same passages and quotes as via {reference[0]} for "
                                  f"{same} of {len(outcomes)} questions.")
    markdown = render(args.set, results, agreements, paragraphs, command)
    print(markdown)
    if args.write:
        update_doc_section(f"quality-{args.set}", markdown)
        log("updated docs/benchmarks.md")
    return 0


def _news_gold(archive):
    def gold(question: NewsQuestion) -> GoldParagraph:
        p = archive.find(question.file, question.line)
        if p is None:
            return GoldParagraph(f"{question.file}:{question.line}", "", "")
        return GoldParagraph(f"{p.path}:{p.line_start}", p.title, p.text)

    def name(result: Retrieved) -> tuple[str, str]:
        return f"{result.path}:{result.line_start}", result.title

    return gold, name

