"""The short answer ("1.14亿元") in every format: text, Markdown, JSON, JSONL, the chat app
and its Markdown export; null (never a guess) when no span of the asked kind was found."""

import io
import json
import sys
from dataclasses import replace

import pytest

from retrieval.models import AnswerSet
from tests.test_app import PARAGRAPHS, FakeArchive, ask, card_lines, make_app, settle, sync
from tui.cli import main
from tui.history import answer_set_from_json, answer_set_to_json, conversation_markdown

ASK = "首批揭榜挂帅技术攻关的企业发放了多少补助？"
NO_VALUE = "城市建设管理工作专题会要加快推进什么行动？"  # asks for a thing, not a value


@pytest.fixture
def cfg(sample_archive):
    return str(sample_archive.config.files[-1])


def run(argv, capsys):
    code = main(argv)
    out, _ = capsys.readouterr()
    return code, out


def test_engine_fills_answer_with_the_asked_value(sample_archive):
    first = sample_archive.ask(ASK).answers[0]
    assert first.answer == "1.14亿元"
    assert first.answer in first.quote
    assert sample_archive.ask(NO_VALUE).answers[0].answer is None


def test_text_output_says_the_answer_first_beside_its_date(cfg, capsys):
    code, out = run(["ask", ASK, "--config", cfg], capsys)
    assert code == 0
    assert out.splitlines()[1] == "答 1.14亿元 · 2022-01-12"


def test_text_output_has_no_answer_line_without_a_value(cfg, capsys):
    code, out = run(["ask", NO_VALUE, "--config", cfg], capsys)
    assert code == 0 and "答 " not in out


def test_markdown_output_leads_with_the_answer(cfg, capsys):
    code, out = run(["ask", ASK, "--config", cfg, "--format", "markdown"], capsys)
    assert out.splitlines()[2] == "**答：1.14亿元** · 2022-01-12"


def test_json_has_answer_at_the_top_and_per_passage(cfg, capsys):
    code, out = run(["ask", ASK, "--config", cfg, "--format", "json", "-k", "2"], capsys)
    data = json.loads(out)
    assert data["answer"] == "1.14亿元" and data["answers"][0]["answer"] == "1.14亿元"
    assert all("answer" in a for a in data["answers"])
    code, out = run(["ask", NO_VALUE, "--config", cfg, "--format", "json"], capsys)
    data = json.loads(out)
    assert data["answer"] is None and data["answers"][0]["answer"] is None


def test_jsonl_batch_carries_answer_or_null(cfg, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{ASK}\n{NO_VALUE}\n"))
    code, out = run(["ask", "-", "--config", cfg], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["answer"] for r in rows] == ["1.14亿元", None]


class AnsweringArchive(FakeArchive):
    """The fake archive, with the short answer the engine would give."""

    def ask(self, question, **kwargs) -> AnswerSet:
        result = super().ask(question, **kwargs)
        answers = tuple(replace(a, answer="13.56万元" if "13.56万元" in a.quote else None) for a in result.answers)
        return replace(result, answers=answers)


@sync
async def test_chat_card_shows_the_answer_beside_the_date(tmp_path):
    app, _ = make_app(tmp_path, AnsweringArchive())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "人才年工资是多少？")
        meta = card_lines(app.chat.exchanges[-1].cards[0])[0]
        assert meta.startswith("1  13.56万元 · 2021-01-07   2021/0107.txt")


def test_conversation_export_and_history_keep_the_answer():
    answers = AnsweringArchive(PARAGRAPHS).ask("人才年工资是多少？")
    assert answers.answers[0].answer == "13.56万元"
    text = conversation_markdown([answers])
    assert "**1.** **13.56万元** · 2021-01-07" in text
    assert answer_set_from_json(answer_set_to_json(answers)).answers[0].answer == "13.56万元"
