"""The chat history: every question and its answers, kept across runs in SQLite.

One SQLite file per corpus (`Config.history_path()`). Answers are stored as JSON built
from the engine's dataclasses (plain data, never pickle), so an old exchange can be
re-rendered exactly as it was first shown. The Markdown export of a conversation lives
here too: it works on the same plain objects. No textual import here.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from retrieval.errors import WenbaoError
from retrieval.models import Answer, AnswerSet, Paragraph, Period

from .render import answer_citation, citation, date_how, md_escape, paragraph_date, period_line  # noqa: F401 (citation: re-exported)

SCHEMA_VERSION = 1
JSON_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS exchanges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    answer_set TEXT NOT NULL
)
"""

# What each date source means, for tooltips and exports.
DATE_NOTES = {
    "front_matter": "date from the file's front matter",
    "record": "date from the record's date field",
    "path": "date from the file name",
    "user": "date you gave for the folder or corpus (wenbao-dates.yaml, config dates:)",
    "dateline": "date printed in the article's dateline",
    "page": "the page's date: the article prints none",
    "inferred": "inferred from what the text says",
    "folder": "the year its folder's self-dated pages agree on (its own text allows it)",
    "none": "no date found",
}


class HistoryError(WenbaoError):
    """The history file cannot be read or written."""


@dataclass(frozen=True)
class Exchange:
    """One question and what came back, as kept in the history."""

    id: int
    asked_at: str  # ISO 8601, UTC, whole seconds
    answer_set: AnswerSet

    @property
    def question(self) -> str:
        return self.answer_set.question


# --- JSON: AnswerSet <-> plain data -------------------------------------------------


def answer_set_to_json(answer_set: AnswerSet) -> str:
    data = dataclasses.asdict(answer_set)
    data["version"] = JSON_VERSION
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _known_fields(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """Only the fields `cls` has today, so older or newer rows still load."""
    names = {f.name for f in dataclasses.fields(cls)}
    return {key: value for key, value in data.items() if key in names}


def _spans(value: Any) -> tuple[tuple[int, int], ...]:
    return tuple((int(start), int(end)) for start, end in value or ())


def _answer_from_data(data: dict[str, Any]) -> Answer:
    fields = _known_fields(Answer, data)
    fields["paragraph"] = Paragraph(**_known_fields(Paragraph, data["paragraph"]))
    for name in ("highlights", "answer_spans", "passage_highlights"):
        fields[name] = _spans(fields.get(name))
    return Answer(**fields)


def answer_set_from_json(text: str) -> AnswerSet:
    """Rebuild an AnswerSet; raises ValueError when the data is not one."""
    try:
        data = json.loads(text)
        fields = _known_fields(AnswerSet, data)
        fields["answers"] = tuple(_answer_from_data(a) for a in data.get("answers", ()))
        fields["terms"] = tuple(fields.get("terms") or ())
        fields["warnings"] = tuple(str(w) for w in fields.get("warnings") or ())
        period = fields.get("period")
        fields["period"] = Period(**_known_fields(Period, period)) if period else None
        return AnswerSet(**fields)
    except (TypeError, KeyError, AttributeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a stored answer set ({exc})") from exc


# --- the SQLite store ---------------------------------------------------------------


def _utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class HistoryStore:
    """Past exchanges of one corpus. Use from one thread (the app's)."""

    def __init__(self, path: str | Path, *, clock: Callable[[], str] = _utc_now) -> None:
        self.path = str(path)
        self._clock = clock
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=5)
            self._check_version()
            with self._db:
                self._db.execute(_SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise HistoryError(
                f"{self.path}: cannot open the chat history ({exc}); "
                "move the file aside to start a new history"
            ) from None

    def _check_version(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"written by a newer wenbao (schema {version})")
        if version < SCHEMA_VERSION:
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _run(self, sql: str, args: tuple = ()) -> list[tuple]:
        try:
            with self._db:
                return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise HistoryError(f"{self.path}: chat history error ({exc})") from None

    def add(self, answer_set: AnswerSet) -> Exchange:
        asked_at = self._clock()
        try:
            with self._db:
                cursor = self._db.execute(
                    "INSERT INTO exchanges (question, asked_at, answer_set) VALUES (?, ?, ?)",
                    (answer_set.question, asked_at, answer_set_to_json(answer_set)),
                )
        except sqlite3.Error as exc:
            raise HistoryError(f"{self.path}: cannot save to the chat history ({exc})") from None
        return Exchange(id=int(cursor.lastrowid or 0), asked_at=asked_at, answer_set=answer_set)

    @staticmethod
    def _exchanges(rows: Iterable[tuple]) -> list[Exchange]:
        """Rows to exchanges; a row that no longer decodes is skipped, not fatal."""
        out = []
        for row_id, asked_at, text in rows:
            try:
                out.append(Exchange(id=row_id, asked_at=asked_at, answer_set=answer_set_from_json(text)))
            except ValueError:
                continue
        return out

    def exchanges(self, limit: int | None = None) -> list[Exchange]:
        """The most recent `limit` exchanges (all when None), oldest first."""
        rows = self._run(
            "SELECT id, asked_at, answer_set FROM exchanges ORDER BY id DESC LIMIT ?",
            (-1 if limit is None else limit,),
        )
        return self._exchanges(reversed(rows))

    def get(self, exchange_id: int) -> Exchange | None:
        rows = self._run("SELECT id, asked_at, answer_set FROM exchanges WHERE id = ?", (exchange_id,))
        found = self._exchanges(rows)
        return found[0] if found else None

    def search(self, text: str = "", limit: int = 500) -> list[Exchange]:
        """Exchanges whose question contains `text` (any case), newest first."""
        rows = self._run(
            "SELECT id, asked_at, answer_set FROM exchanges "
            "WHERE instr(lower(question), lower(?)) > 0 ORDER BY id DESC LIMIT ?",
            (text.strip(), limit),
        )
        return self._exchanges(rows)

    def questions(self, limit: int = 1000) -> list[str]:
        """Past questions for recall, oldest first, each once (at its latest use)."""
        rows = self._run(
            "SELECT question FROM exchanges GROUP BY question ORDER BY max(id) DESC LIMIT ?",
            (limit,),
        )
        return [row[0] for row in reversed(rows)]

    def __len__(self) -> int:
        return int(self._run("SELECT count(*) FROM exchanges")[0][0])

    def clear(self) -> None:
        self._run("DELETE FROM exchanges")

    def close(self) -> None:
        self._db.close()


# --- Markdown export ----------------------------------------------------------------

def filters_label(since: str | None, until: str | None, top: int | None = None) -> str:
    parts = []
    if since:
        parts.append(f"since {since}")
    if until:
        parts.append(f"until {until}")
    if top:
        parts.append(f"top {top}")
    return " · ".join(parts)


def _answer_markdown(answer: Answer) -> list[str]:
    paragraph = answer.paragraph
    note = DATE_NOTES.get(paragraph.date_source, paragraph.date_source)
    if paragraph.date_evidence:
        note += ": " + date_how(paragraph).partition(": ")[2]
    quote = [f"> {md_escape(line)}" if line else ">" for line in answer.quote.splitlines()]
    short = f"**{md_escape(answer.answer)}** · " if answer.answer else ""
    return [
        f"**{answer.rank}.** {short}{paragraph_date(paragraph)} ({md_escape(note)}) — {md_escape(answer_citation(answer))}",
        "",
        *quote,
        "",
    ]


def conversation_markdown(answer_sets: Iterable[AnswerSet], corpus: str = "") -> str:
    """The conversation as Markdown: every question, quote, date and source."""
    lines = ["# wenbao conversation", ""]
    if corpus:
        lines += [f"Corpus: `{corpus}`", ""]
    for number, answer_set in enumerate(answer_sets, 1):
        lines += [f"## {number}. {md_escape(answer_set.question)}", ""]
        filters = filters_label(answer_set.since, answer_set.until)
        if filters:
            lines += [f"*Filters: {filters}*", ""]
        if answer_set.period is not None:
            lines += [f"*Period: {md_escape(period_line(answer_set.period))}*", ""]
        if not answer_set.answers:
            lines += ["No answer found." + (f" {md_escape(answer_set.hint)}" if answer_set.hint else ""), ""]
        for answer in answer_set.answers:
            lines += _answer_markdown(answer)
    return "\n".join(lines).rstrip("\n") + "\n"
