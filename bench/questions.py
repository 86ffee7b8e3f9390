"""Hand-written newspaper question sets: what a reader asks of real pages.

    bench/questions/rmrb2019.jsonl   People's Daily pages, February and October 2019
                                     (../shared/data/rmrb-2019/pages beside the checkout)
    bench/questions/rmrb2019-holdout.jsonl
                                     the same archive, other pages: held out, never tuned on
                                     (written before any newspaper-layout tuning, to see
                                     whether rules found on the dev set generalise)
    bench/questions/sample.jsonl     the bundled sample pages (corpus/)

One question per line:

    {"id": "rmrb-001", "question": "…？", "answers": ["226座"], "file": "page_aarq.txt",
     "line": 24, "kind": "how-many"}

`answers` are short strings, any of which must appear verbatim in a correct quote;
`file` is the page (relative to the corpus folder) and `line` a line (1-based) of the
paragraph that answers; `kind` is what the reader asks for: when, how-many, who,
where, which (a list), how (measures, means), why, what. Optional `also` lists other
places ("page_x.txt:3") where the same paragraph is printed again (an archive holds
reprints; either copy is the right paragraph). The pages themselves stay in shared/;
only questions and short answers are kept here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import REPO, SAMPLE_CORPUS

QUESTIONS_DIR = REPO / "bench" / "questions"
DEFAULT_RMRB = REPO.parent / "shared" / "data" / "rmrb-2019" / "pages"
KINDS = ("when", "how-many", "who", "where", "which", "how", "why", "what")
# The corpus each set is asked of (overridable with --data).
SET_CORPUS = {"rmrb2019": DEFAULT_RMRB, "rmrb2019-holdout": DEFAULT_RMRB, "sample": SAMPLE_CORPUS}
NEWS_SETS = tuple(SET_CORPUS)


class QuestionSetError(ValueError):
    pass


@dataclass(frozen=True)
class NewsQuestion:
    id: str
    question: str
    answers: tuple[str, ...]
    file: str  # the page, relative to the corpus folder
    line: int  # a line of the answering paragraph, 1-based
    kind: str
    also: tuple[tuple[str, int], ...] = ()  # the same paragraph reprinted elsewhere: (file, line)

    @property
    def places(self) -> tuple[tuple[str, int], ...]:
        return ((self.file, self.line), *self.also)

    def is_gold(self, result) -> bool:
        """The result is the paragraph that answers (same file, its lines cover the line)."""
        return any(result.path == file and result.line_start <= line <= result.line_end
                   for file, line in self.places)

    def same_file(self, result) -> bool:
        return any(result.path == file for file, _ in self.places)


def load_questions(path: Path) -> list[NewsQuestion]:
    """Read a question set; a malformed line is an error naming file and line."""
    questions = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QuestionSetError(f"{path}: cannot read the question set ({exc})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            also = tuple((str(place).rsplit(":", 1)[0], int(str(place).rsplit(":", 1)[1]))
                         for place in row.get("also", ()))
            question = NewsQuestion(str(row["id"]), str(row["question"]), tuple(map(str, row["answers"])),
                                    str(row["file"]), int(row["line"]), str(row["kind"]), also)
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise QuestionSetError(f"{path}:{number}: not a question record ({exc}); "
                                   "expected id, question, answers, file, line, kind") from None
        if question.kind not in KINDS or not question.answers:
            raise QuestionSetError(f"{path}:{number}: kind must be one of {', '.join(KINDS)} "
                                   "and answers must not be empty")
        questions.append(question)
    return questions


def check_against_corpus(questions: Sequence[NewsQuestion], corpus: Path) -> list[str]:
    """Problems with the set as written: a missing page, or an answer not on its line."""
    problems = []
    for q in questions:
        for file, line in q.places:
            page = corpus / file
            if not page.is_file():
                problems.append(f"{q.id}: {file} not found in {corpus}")
                continue
            lines = page.read_text(encoding="utf-8-sig").splitlines()
            text = lines[line - 1] if 0 < line <= len(lines) else ""
            if not any(a in text for a in q.answers):
                problems.append(f"{q.id}: no answer string on {file}:{line}")
    return problems


# -- asking through the command line (the same code path a user takes) ---------------------

def _cli(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess:
    from . import subprocess_env

    return subprocess.run([sys.executable, "-m", "tui.cli", *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", env=subprocess_env(), cwd=REPO, timeout=1800)


def ask_batch(questions: Sequence[str], config: Path, top: int) -> list[dict]:
    """`wenbao ask - --format jsonl`: one JSON object per question, in order."""
    done = _cli(["ask", "-", "--format", "jsonl", "--config", str(config), "-k", str(top)],
                stdin="".join(q.replace("\n", " ") + "\n" for q in questions))
    if done.returncode not in (0, 1):
        raise RuntimeError(f"wenbao ask - exited {done.returncode}: {done.stderr.strip()[-500:]}")
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(rows) != len(questions):
        raise RuntimeError(f"wenbao ask - printed {len(rows)} objects for {len(questions)} questions")
    return rows


def ask_json(question: str, config: Path, top: int) -> dict:
    """`wenbao ask QUESTION --format json`, one process per question."""
    done = _cli(["ask", question, "--format", "json", "--config", str(config), "-k", str(top)])
    if done.returncode not in (0, 1):
        raise RuntimeError(f"wenbao ask exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)
