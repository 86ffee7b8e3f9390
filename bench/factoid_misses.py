"""Count the factoid misses of a failure dump by the kind of question: what to build next.

    python -m bench.factoid_misses DIR/failures-wenbao-bm25s.jsonl [--examples 3] [--max-answer 15]

A factoid miss: the right paragraph came first (retrieved_paragraph == gold_paragraph) but the
quote lacks the answer, and the answer is short (≤ --max-answer characters: who / when / where /
which / how many / what-is). Each is put under the first kind that fits: a relation of the
subject the question names (retrieval/relations.py: 国籍, 职业, 籍贯, 作者, 又叫, 哪个地区…), else
the kind of span it asks for (answers.asks_for: time, number, person, place…), else "which"
(哪个/哪部…) or "what" (是什么…). For each kind: the count, how many of them the paragraph's
first sentence answers (the identity sentence), and a few examples.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from retrieval.answers import asks_for, question_form, split_sentences
from retrieval.relations import RELATIONS

_WHICH = re.compile(r"哪(?:个|部|家|所|支|一|种|场|本|条|位|些)")


def kind_of(question: str) -> str:
    folded = question_form(question)
    for name, asked, _ in RELATIONS:
        if asked.search(folded):
            return f"relation:{name}"
    asked = asks_for(question)
    if asked:
        return asked
    return "which" if _WHICH.search(folded) else "what"


def factoid_misses(rows, max_answer: int):
    return [r for r in rows if r.get("retrieved_paragraph") == r.get("gold_paragraph")
            and "quote" in r.get("miss", []) and r["answers"] and min(map(len, r["answers"])) <= max_answer]


def first_sentence_answers(row) -> bool:
    text = row["gold_text"]
    spans = split_sentences(text)
    first = text[spans[0][0]:spans[0][1]] if spans else text
    return any(a in first for a in row["answers"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.factoid_misses", description=__doc__.split("\n\n")[0])
    parser.add_argument("failures", type=Path)
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--max-answer", type=int, default=15)
    args = parser.parse_args(argv)
    try:
        rows = [json.loads(line) for line in args.failures.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as err:
        print(f"factoid_misses: {args.failures}: {err}", file=sys.stderr)
        return 2
    misses = factoid_misses(rows, args.max_answer)
    counts, lead, examples = Counter(), Counter(), defaultdict(list)
    for row in misses:
        kind = kind_of(row["question"])
        counts[kind] += 1
        lead[kind] += first_sentence_answers(row)
        examples[kind].append(f"{row['question']} → {row['answers'][0]}")
    print(f"{len(misses)} factoid misses (right paragraph, answer ≤ {args.max_answer} characters) of {len(rows)} misses")
    print("| kind | misses | first sentence answers | examples |")
    print("|---|---|---|---|")
    for kind, n in counts.most_common():
        print(f"| {kind} | {n} | {lead[kind]} | {'; '.join(examples[kind][:args.examples])} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
