"""`wenbao` on the command line: every flag, format and exit code."""

import io
import json
import subprocess
import sys

import pytest

from tui.cli import main

ASK = "首批揭榜挂帅技术攻关的企业发放了多少补助？"


@pytest.fixture
def cfg(sample_archive):
    return str(sample_archive.config.files[-1])


def run(argv, capsys, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_text_is_plain_when_piped(cfg, capsys):
    code, out, err = run(["ask", ASK, "--config", cfg], capsys)
    assert code == 0
    assert "1.14亿元" in out and "2022-01-12" in out and "001_bd3172a97833ae3d.txt:" in out
    assert "\x1b[" not in out


def test_color_always_colours_and_no_color_env_wins_over_auto(cfg, capsys, monkeypatch):
    code, out, _ = run(["ask", ASK, "--config", cfg, "--color", "always"], capsys)
    assert "\x1b[" in out
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    code, out, _ = run(["ask", ASK, "--config", cfg], capsys)
    assert "\x1b[" not in out


def test_ask_json_follows_the_schema(cfg, capsys):
    code, out, _ = run(["ask", ASK, "--config", cfg, "--format", "json", "-k", "2"], capsys)
    data = json.loads(out)
    assert code == 0 and data["question"] == ASK and len(data["answers"]) == 2
    first = data["answers"][0]
    for key in ("rank", "quote", "passage", "date", "date_source", "title", "path", "line_start", "line_end",
                "paragraph_id", "score", "highlights"):
        assert key in first
    assert first["rank"] == 1 and "1.14亿元" in first["quote"] and first["date"] == "2022-01-12"
    for start, end in first["highlights"]:
        assert 0 <= start < end <= len(first["quote"])


def test_ask_markdown(cfg, capsys):
    code, out, _ = run(["ask", ASK, "--config", cfg, "--format", "markdown"], capsys)
    assert code == 0 and out.startswith("## ") and "> " in out and "`001_bd3172a97833ae3d.txt:" in out


def test_top_limits_answers(cfg, capsys):
    _, out, _ = run(["ask", "人才", "--config", cfg, "--format", "json", "--top", "5"], capsys)
    assert len(json.loads(out)["answers"]) == 5


def test_since_until_flags(cfg, capsys):
    _, out, _ = run(["ask", "人才工作", "--config", cfg, "--format", "json", "--since", "2025", "--until", "2025-12"], capsys)
    answers = json.loads(out)["answers"]
    assert answers and all(a["date"].startswith("2025") for a in answers)


def test_no_answer_exits_1_with_hint(cfg, capsys):
    code, out, _ = run(["ask", "量子计算机的超导芯片", "--config", cfg], capsys)
    assert code == 1 and "未找到相关内容" in out


@pytest.mark.parametrize("argv, message", [
    (["ask", ""], "empty"),
    (["ask", "问" * 10_000], "characters"),
    (["ask", "人才", "--since", "yesterday"], "--since"),
    (["ask", "人才", "--top", "0"], "--top"),
    (["ask", "人才", "--format", "xml"], "invalid choice"),
])
def test_bad_input_exits_2_with_message_on_stderr(cfg, capsys, argv, message):
    code, out, err = run(argv + ["--config", cfg], capsys)
    assert code == 2 and out == "" and message in err


def test_missing_corpus_exits_2(cfg, capsys, tmp_path):
    code, out, err = run(["ask", "人才", "--config", cfg, "--corpus", str(tmp_path / "nope")], capsys)
    assert code == 2 and "nope" in err and "does not exist" in err


def test_invalid_config_names_file_line_and_key(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("corpus: corpus\nretrieval:\n  engine: fastest\n", encoding="utf-8")
    code, _, err = run(["ask", "人才", "--config", str(bad)], capsys)
    assert code == 2 and f"{bad}:3" in err and "retrieval.engine" in err


def test_batch_reads_stdin_and_writes_jsonl_in_order(cfg, capsys, monkeypatch):
    questions = f"{ASK}\n\n城市建设管理工作专题会要加快推进什么行动？\n量子计算机的超导芯片\n"
    code, out, _ = run(["ask", "-", "--config", cfg], capsys, stdin=questions, monkeypatch=monkeypatch)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [x["question"] for x in lines] == [ASK, "城市建设管理工作专题会要加快推进什么行动？", "量子计算机的超导芯片"]
    assert [x["found"] for x in lines] == [True, True, False]


def test_batch_with_only_unanswerable_questions_exits_1(cfg, capsys, monkeypatch):
    code, out, _ = run(["ask", "-", "--config", cfg], capsys, stdin="量子计算机的超导芯片\n", monkeypatch=monkeypatch)
    assert code == 1 and json.loads(out)["found"] is False


def test_show_prints_the_paragraph_in_its_article(cfg, capsys, sample_archive):
    pid = sample_archive.ask(ASK).answers[0].paragraph.id
    code, out, _ = run(["show", pid, "--config", cfg], capsys)
    assert code == 0 and "1.14亿元" in out and "▶" in out
    code, out, _ = run(["show", pid, "--config", cfg, "--format", "json"], capsys)
    assert json.loads(out)["paragraph"]["id"] == pid


def test_show_accepts_path_and_line(cfg, capsys):
    code, out, _ = run(["show", "000_7762fb5599fe387a.txt:11", "--config", cfg, "--context", "none"], capsys)
    assert code == 0 and "13.56万元" in out


def test_show_unknown_id_exits_2(cfg, capsys):
    code, _, err = run(["show", "deadbeef00", "--config", cfg], capsys)
    assert code == 2 and "deadbeef00" in err


def test_index_prints_a_summary(cfg, capsys):
    code, out, _ = run(["index", "--config", cfg, "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["files"] == 5 and data["paragraphs"] > 50 and data["engine"] == "rank-bm25"


def test_index_says_how_the_paragraphs_are_dated(cfg, capsys):
    code, out, _ = run(["index", "--config", cfg], capsys)
    assert code == 0 and "dates      100 % a point · 0 % a range only · 0 % unknown" in out
    code, out, _ = run(["index", "--config", cfg, "--format", "json"], capsys)
    dates = json.loads(out)["dates"]
    assert dates["points"] > 50 and dates["ranges"] == dates["unknown"] == 0


def test_a_year_most_points_share_is_offered_as_the_corpus_year():
    from retrieval.models import DateCoverage
    from tui.output import date_coverage_lines

    # 1,000 paragraphs, 100 with a point, 95 of those in 2019: say how to give the whole corpus 2019
    lines = date_coverage_lines(DateCoverage(100, 700, 200, 2019, 95), 1000)
    assert lines[0] == "dates      10 % a point · 70 % a range only · 20 % unknown"
    assert "95 % of the points are in 2019" in lines[1] and "dates: {year: 2019}" in lines[1]
    # points split between years, or too few, or most paragraphs already a point: no hint
    assert len(date_coverage_lines(DateCoverage(100, 700, 200, 2019, 60), 1000)) == 1
    assert len(date_coverage_lines(DateCoverage(10, 790, 200, 2019, 10), 1000)) == 1
    assert len(date_coverage_lines(DateCoverage(900, 100, 0, 2019, 900), 1000)) == 1


def test_inspect_jsonl_has_the_documented_fields(cfg, capsys):
    code, out, _ = run(["inspect", "--config", cfg, "--format", "jsonl"], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and rows
    for key in ("id", "path", "line_start", "line_end", "title", "date", "date_source", "text"):
        assert key in rows[0]
    assert any(r["line_start"] == 9 and r["line_end"] == 11 and r["text"].endswith("13.56万元。") for r in rows)


def test_inspect_table(cfg, capsys):
    code, out, _ = run(["inspect", "--config", cfg], capsys)
    assert code == 0 and "date_source" in out and "\x1b[" not in out


def test_corpus_text_cannot_inject_escapes_or_markup(make_config, tmp_path, capsys):
    corpus = tmp_path / "evil"
    corpus.mkdir()
    (corpus / "evil.txt").write_text("恶意标题\n\n本报讯 5月1日，[bold red]假标记[/] 和 \x1b[31m转义序列\x1b[0m 出现在图书馆公告中。\n",
                                     encoding="utf-8")
    cfg = make_config(corpus).files[-1]
    code, out, _ = run(["ask", "图书馆公告", "--config", str(cfg), "--color", "always"], capsys)
    assert code == 0
    assert "[bold red]假标记[/]" in out
    assert "\x1b[31m转义" not in out


def test_chat_without_a_terminal_is_a_usage_error(cfg, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _, err = run(["chat", "--config", cfg], capsys)
    assert code == 2 and "terminal" in err


def test_console_script_runs_end_to_end(cfg):
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "ask", ASK, "--config", cfg, "--format", "jsonl"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["answers"][0]["date"] == "2022-01-12"


def test_unwritable_index_location_exits_2_naming_it(capsys, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"index_dir: {blocker / 'index'}\n", encoding="utf-8")
    code, out, err = run(["ask", "人才", "--config", str(cfg)], capsys)
    assert code == 2 and out == "" and "a-file" in err
