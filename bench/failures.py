"""Sort the misses of a quality run into classes, with counts and examples.

    python -m bench.failures [bench/out/quality/failures-wenbao-bm25s.jsonl] [--examples 3]
    python -m bench.failures --set rmrb2019      # the dump of `python -m bench.quality --set rmrb2019`

Retrieval misses (gold paragraph not first) by how far off they are; quote misses (gold
answer not in the lead quote, right paragraph) by where the answer sits relative to the
lead quote in the gold paragraph; and the miss rates per question type.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from . import DEFAULT_CMRC, OUT_DIR, split_sentences
from .cmrc import load_cmrc
from .questions import QUESTIONS_DIR, load_questions

LONG_ANSWER = 40  # characters: longer gold answers rarely fit a one-sentence quote
_ANAPHORA = re.compile(r"^(他|她|它|牠|该|此|本|这|其)")
_QUESTION_TYPES = (
    ("time", re.compile(r"哪一?年|何时|什么时候|几月|哪天|日期|时间")),
    ("number", re.compile(r"多少|几[个位种次名座条年岁天]|多[长高大重远久]")),
    ("person", re.compile(r"谁|哪位|什么人")),
    ("place", re.compile(r"哪里|哪儿|何处|什么地方|哪个(国家|城市|省|地区)|位于")),
    ("why", re.compile(r"为什么|为何|原因|怎么会")),
    ("how / describe", re.compile(r"怎样|怎么|如何|特点|特征|特色|什么样|习性|用途|过程")),
    ("what", re.compile(r"什么|哪")),
)


def question_type(question: str) -> str:
    from retrieval.normalize import fold

    question = fold(question)  # the traditional sets ask 哪一年 as 哪一年, 什麼 as 什么
    for name, pattern in _QUESTION_TYPES:
        if pattern.search(question):
            return name
    return "other"


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for sentence in split_sentences(text):
        offset = text.find(sentence, offset)
        spans.append((offset, offset + len(sentence)))
        offset += len(sentence)
    return spans


def quote_class(row: dict, gold_text: str) -> str:
    """Where the answer is, seen from the lead quote, in sentences of the gold paragraph."""
    answers, lead = row["answers"], row["lead_quote"] or ""
    if any(a[:6] in lead or a[-6:] in lead for a in answers):
        return "quote holds part of the answer (cut inside the answer)"
    if all(len(a) > LONG_ANSWER for a in answers):
        return f"answer longer than {LONG_ANSWER} characters"
    start = gold_text.find(lead)
    if not lead or start < 0:
        return "lead quote not found verbatim in the gold paragraph"
    spans = _sentence_spans(gold_text)
    lead_idx = [i for i, (s, e) in enumerate(spans) if s < start + len(lead) and e > start]
    distances = []
    for answer in answers:
        at = gold_text.find(answer)
        if at >= 0 and lead_idx:
            answer_idx = [i for i, (s, e) in enumerate(spans) if s < at + len(answer) and e > at]
            distances += [min(abs(i - j) for j in lead_idx) for i in answer_idx]
    if not distances:
        return "answer not found in the gold paragraph"
    nearest = min(distances)
    if nearest <= 1:
        return "answer in the sentence next to the quote"
    return "answer two or more sentences away"


def retrieval_class(row: dict) -> str:
    if not row["question"].strip():
        return "empty question (data)"
    if row["lead_quote"] is None:
        return "no answer at all"
    if _ANAPHORA.match(row["question"]):
        return "question names no subject (他/该/此…): unanswerable out of context"
    where = "gold paragraph not in the top 10" if row["gold_rank"] is None else \
        f"gold paragraph at rank {'2' if row['gold_rank'] == 2 else '3-10'}"
    if row.get("right_file") and row.get("kind"):  # newspaper sets: the page was right
        return f"{where}, right page first"
    return where


def summarize(rows: Sequence[dict], gold_texts: dict[str, str], examples: int) -> str:
    retrieval, quotes = defaultdict(list), defaultdict(list)
    for row in rows:
        if "retrieval" in row["miss"]:
            retrieval[retrieval_class(row)].append(row)
        elif "quote" in row["miss"]:
            quotes[quote_class(row, gold_texts[row["gold_paragraph"]])].append(row)
    lines = []
    for title, groups in (("Retrieval misses (gold paragraph not first)", retrieval),
                          ("Quote misses with the right paragraph first", quotes)):
        lines.append(f"{title}: {sum(map(len, groups.values()))}")
        for name, members in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            lines.append(f"  {len(members):5}  {name}")
            for row in members[:examples]:
                lines.append(f"         Q {row['question']}  A {row['answers'][0][:40]}")
                lines.append(f"           lead [{row['retrieved_title']}] {(row['lead_quote'] or '')[:70]}")
    return "\n".join(lines)


def type_table(rows: Sequence[dict], questions: Sequence) -> str:
    total, quote, retrieval = Counter(), Counter(), Counter()
    by_id = {row["id"]: row for row in rows}
    for question in questions:
        kind = question.kind or question_type(question.question)
        total[kind] += 1
        row = by_id.get(question.id)
        quote[kind] += bool(row and row["miss"] == ["quote"])
        retrieval[kind] += bool(row and "retrieval" in row["miss"])
    lines = ["Per question type: questions, retrieval misses, quote misses (right paragraph), quote miss rate"]
    for kind, count in total.most_common():
        lines.append(f"  {kind:16} {count:5} {retrieval[kind]:5} {quote[kind]:5}  {quote[kind] / count:.0%}")
    return "\n".join(lines)


def _questions(set_name: str, data: Path, question_file: Path | None):
    from .questions import NEWS_SETS

    if set_name in NEWS_SETS:
        return load_questions(question_file or QUESTIONS_DIR / f"{set_name}.jsonl")
    return load_cmrc(data)[1]  # question ids are the same in the traditional sets


def main(argv: Sequence[str] | None = None) -> int:
    from .quality import SETS, dump_path

    parser = argparse.ArgumentParser(prog="python -m bench.failures", description=__doc__.split("\n\n")[0])
    parser.add_argument("dump", type=Path, nargs="?", default=None,
                        help="a failure dump (default: the bm25s dump of --set)")
    parser.add_argument("--set", choices=SETS, default="cmrc", help="the question set run (default: %(default)s)")
    parser.add_argument("--data", type=Path, default=DEFAULT_CMRC)
    parser.add_argument("--questions", type=Path, default=None,
                        help="newspaper sets: the question file the run used (default: the set's)")
    parser.add_argument("--examples", type=int, default=3, help="examples per class (default: %(default)s)")
    args = parser.parse_args(argv)
    dump = args.dump or dump_path(OUT_DIR / "quality", args.set, "wenbao bm25s")
    if not dump.is_file():
        print(f"bench.failures: {dump} not found; run python -m bench.quality --set {args.set} first",
              file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = _questions(args.set, args.data, args.questions)
    if all("gold_text" in row for row in rows):
        gold_texts = {row["gold_paragraph"]: row["gold_text"] for row in rows}
    else:  # a dump from before gold_text was written
        gold_texts = {p.id: p.text for p in load_cmrc(args.data)[0]}
    print(f"{dump}: {len(rows)} of {len(questions)} questions missed")
    print(summarize(rows, gold_texts, args.examples))
    print()
    print(type_table(rows, questions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
