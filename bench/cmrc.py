"""CMRC 2018 (dev + trial) as an open-retrieval benchmark: one corpus, every question.

The SQuAD-style files hold articles -> paragraphs (id, context) -> questions (answers).
Paragraph number i (0-based, dev first, then trial) becomes line i of a JSONL corpus,
so an answer's `paragraph.record` names the gold paragraph directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SPLITS = ("cmrc2018_dev.json", "cmrc2018_trial.json")


@dataclass(frozen=True)
class CmrcParagraph:
    id: str  # "DEV_0"
    title: str  # the Wikipedia article's title
    text: str  # the context


@dataclass(frozen=True)
class CmrcQuestion:
    id: str  # "DEV_0_QUERY_0"
    question: str
    answers: tuple[str, ...]  # distinct gold answer strings, verbatim spans of the context
    record: int  # index of the gold paragraph in the corpus (its JSONL line)
    paragraph_id: str
    kind: str = ""  # CMRC questions are typed by their wording (bench.failures.question_type)

    def is_gold(self, result) -> bool:
        """The result comes from the paragraph the question was written on."""
        return result.record == self.record

    same_file = is_gold  # one record per paragraph: the right "page" is the right paragraph


class MissingDataError(FileNotFoundError):
    pass


def find_files(data_dir: Path) -> list[Path]:
    files = [data_dir / name for name in SPLITS]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise MissingDataError(
            f"CMRC 2018 data not found: {', '.join(missing)}; "
            "put the shared data beside the checkout (../shared/data/cmrc2018) or pass --data DIR")
    return files


def load_cmrc(data_dir: Path, limit: int | None = None) -> tuple[list[CmrcParagraph], list[CmrcQuestion]]:
    """Every paragraph (at most `limit`) and every question written on those paragraphs."""
    paragraphs: list[CmrcParagraph] = []
    questions: list[CmrcQuestion] = []
    for path in find_files(data_dir):
        data = json.loads(path.read_text(encoding="utf-8"))
        for article in data["data"]:
            for para in article["paragraphs"]:
                if limit is not None and len(paragraphs) >= limit:
                    return paragraphs, questions
                record = len(paragraphs)
                paragraphs.append(CmrcParagraph(para["id"], article.get("title", ""), para["context"]))
                for qa in para["qas"]:
                    answers = tuple(dict.fromkeys(a["text"].strip() for a in qa["answers"] if a["text"].strip()))
                    questions.append(CmrcQuestion(qa["id"], qa["question"], answers, record, para["id"]))
    return paragraphs, questions


def write_corpus(paragraphs: list[CmrcParagraph], path: Path) -> Path:
    """One JSON record per line, line i = paragraph i; no blank lines, so records stay aligned."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for para in paragraphs:
            record = {"id": para.id, "title": para.title, "text": para.text}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
