"""The history store (SQLite + JSON), the Markdown export and the slash commands:
plain logic, no terminal."""

from __future__ import annotations

import sqlite3

import pytest

from retrieval.models import Answer, AnswerSet, Paragraph
from tui.history import (
    HistoryError,
    HistoryStore,
    answer_set_from_json,
    answer_set_to_json,
    citation,
    conversation_markdown,
    md_escape,
)
from tui.screens.commands import (
    Command,
    CommandError,
    Filters,
    apply_filter,
    parse_command,
    parse_date_bound,
)

PARAGRAPH = Paragraph(id="p7", path="2021/0107.txt", line_start=12, line_end=14, title="标题*一*",
                      date="2021-01-07", date_source="dateline", text="前文。人才年工资为13.56万元。后文。",
                      source="某报", page="3", article=2, year=2021)


def answer_set(question: str = "人才年工资是多少？", answers: int = 1) -> AnswerSet:
    answer = Answer(rank=1, quote="人才年工资为13.56万元。", quote_start=3, score=7.5, paragraph=PARAGRAPH,
                    highlights=((0, 2), (3, 5)), answer_spans=((6, 13),), passage_highlights=((3, 5),))
    return AnswerSet(question=question, answers=(answer,) * answers, terms=("人才", "工资"),
                     asks_for="number", since="2021", until=None, top=3,
                     hint=None if answers else "未找到相关内容")


def clock(*stamps: str):
    values = iter(stamps)
    return lambda: next(values)


# --- JSON -------------------------------------------------------------------------


def test_answer_sets_round_trip_through_json():
    original = answer_set()
    text = answer_set_to_json(original)
    assert "13.56万元" in text  # readable JSON, not escaped bytes or pickle
    assert answer_set_from_json(text) == original


def test_json_from_another_version_keeps_what_it_can():
    text = answer_set_to_json(answer_set()).replace('"year":2021', '"year":2021,"shiny_new_field":1')
    assert answer_set_from_json(text).answers[0].paragraph.year == 2021
    for broken in ("not json", "[1, 2]", '{"question": "q", "answers": [{"rank": 1}]}'):
        with pytest.raises(ValueError):
            answer_set_from_json(broken)


# --- the store ---------------------------------------------------------------------


def test_the_store_keeps_exchanges_across_reopening(tmp_path):
    path = tmp_path / "data" / "history.sqlite"  # the folder is created
    store = HistoryStore(path, clock=clock("2024-01-01T00:00:00+00:00", "2024-01-02T00:00:00+00:00"))
    first = store.add(answer_set("人才年工资是多少？"))
    store.add(answer_set("火星上有什么？", answers=0))
    store.close()

    store = HistoryStore(path)
    exchanges = store.exchanges()
    assert [e.question for e in exchanges] == ["人才年工资是多少？", "火星上有什么？"]
    assert exchanges[0] == first and exchanges[0].asked_at == "2024-01-01T00:00:00+00:00"
    assert [e.question for e in store.exchanges(limit=1)] == ["火星上有什么？"]
    assert store.get(first.id) == first and store.get(999) is None
    assert len(store) == 2


def test_questions_for_recall_are_unique_and_in_order_of_last_use(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite")
    for question in ("甲", "乙", "甲", "丙"):
        store.add(answer_set(question))
    assert store.questions() == ["乙", "甲", "丙"]


def test_search_finds_substrings_newest_first_and_clear_empties(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite")
    for question in ("GDP 增长多少", "人口多少", "gdp 总量"):
        store.add(answer_set(question))
    assert [e.question for e in store.search("gdp")] == ["gdp 总量", "GDP 增长多少"]
    assert [e.question for e in store.search("%")] == []  # no LIKE wildcards
    assert len(store.search("")) == 3
    store.clear()
    assert store.exchanges() == [] and len(store) == 0


def test_an_undecodable_row_is_skipped_not_fatal(tmp_path):
    path = tmp_path / "h.sqlite"
    store = HistoryStore(path)
    store.add(answer_set("好的"))
    store.close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO exchanges (question, asked_at, answer_set) VALUES ('坏的', 'x', '{oops')")
    assert [e.question for e in HistoryStore(path).exchanges()] == ["好的"]


def test_a_file_that_is_not_a_history_gives_a_clear_error(tmp_path):
    path = tmp_path / "h.sqlite"
    path.write_bytes(b"this is not a database at all, just some bytes" * 20)
    with pytest.raises(HistoryError, match="cannot open the chat history.*move the file aside"):
        HistoryStore(path)


def test_a_history_from_a_newer_wenbao_is_refused(tmp_path):
    path = tmp_path / "h.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(HistoryError, match="newer wenbao"):
        HistoryStore(path)


# --- export ------------------------------------------------------------------------


def test_markdown_export_has_every_quote_date_and_source():
    text = conversation_markdown([answer_set(), answer_set("火星？", answers=0)], corpus="/data/paper")
    assert text.startswith("# wenbao conversation\n\nCorpus: `/data/paper`\n")
    assert "## 1. 人才年工资是多少？" in text
    assert "*Filters: since 2021*" in text
    assert "**1.** 2021-01-07 (date printed in the article's dateline) — 2021/0107.txt · 标题\\*一\\* · lines 12–14" in text
    assert "> 人才年工资为13.56万元。" in text
    assert "## 2. 火星？" in text and "No answer found. 未找到相关内容" in text


def test_markdown_escaping_keeps_corpus_text_literal():
    assert md_escape("[link](x) *a* <b> \x1b[31m") == "\\[link\\](x) \\*a\\* \\<b\\> \ufffd\\[31m"
    assert citation(PARAGRAPH) == "2021/0107.txt · 标题*一* · lines 12–14"


# --- slash commands ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [("2021", "2021"), ("2021-6", "2021-06"), ("2021/06/30", "2021-06-30"), ("2021年6月", "2021-06"),
     ("2021.6.3", "2021-06-03")],
)
def test_date_bounds_accept_the_usual_spellings(value, expected):
    assert parse_date_bound(value) == expected


@pytest.mark.parametrize("value, message", [("21", "give a year"), ("2021-13", "no such date"),
                                            ("2021-02-30", "no such date"), ("soon", "give a year")])
def test_bad_date_bounds_say_what_to_type(value, message):
    with pytest.raises(CommandError, match=message):
        parse_date_bound(value)


def test_filters_are_set_cleared_and_checked():
    filters = apply_filter(Filters(), Command("since", "2021-06"))
    filters = apply_filter(filters, Command("k", "5"))
    assert filters == Filters(since="2021-06", top=5) and filters.describe() == "since 2021-06 · k 5"
    assert apply_filter(filters, Command("until", "2021-06")).until == "2021-06"  # same month is fine
    with pytest.raises(CommandError, match="is after until"):
        apply_filter(filters, Command("until", "2021-05"))
    with pytest.raises(CommandError, match="from 1 to 100"):
        apply_filter(filters, Command("k", "0"))
    with pytest.raises(CommandError, match="whole number"):
        apply_filter(filters, Command("k", "five"))
    with pytest.raises(CommandError, match="needs a value"):
        apply_filter(filters, Command("since", ""))
    assert apply_filter(filters, Command("since", "off")).since is None
    assert apply_filter(filters, Command("clear", "")) == Filters()
    assert not Filters().active and Filters().describe() == "no filters"


def test_commands_are_told_apart_from_questions():
    assert parse_command("人才年工资是多少？") is None
    assert parse_command("//not a command") is None
    assert parse_command(" /TOP 5 ") == Command("k", "5")
    assert parse_command("/export my notes.md") == Command("export", "my notes.md")
    with pytest.raises(CommandError, match="Unknown command '/sinse'"):
        parse_command("/sinse 2021")
