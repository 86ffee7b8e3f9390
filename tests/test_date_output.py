"""The date range and its evidence in the JSON outputs (`ask --format json/jsonl`, `inspect --format jsonl`)."""

from __future__ import annotations

import json

import pytest

from tui.cli import main

ASK = "首批揭榜挂帅技术攻关的企业发放了多少补助？"


@pytest.fixture
def cfg(sample_archive):
    return str(sample_archive.config.files[-1])


def test_ask_json_gives_the_range_and_the_evidence(cfg, capsys):
    assert main(["ask", ASK, "--config", cfg, "--format", "json", "-k", "2"]) == 0
    first = json.loads(capsys.readouterr().out)["answers"][0]
    assert first["date"] == "2022-01-12" and first["date_min"] == "2022-01-12"
    assert first["date_max"] == "2022-01-26"  # printed within two weeks of its dateline
    assert first["date_evidence"].startswith("dateline 1月12日; ")


def test_ask_jsonl_answers_carry_the_same_fields(cfg, capsys):
    assert main(["ask", ASK, "--config", cfg, "--format", "jsonl"]) == 0
    for answer in json.loads(capsys.readouterr().out.splitlines()[0])["answers"]:
        assert {"date_min", "date_max", "date_evidence"} <= answer.keys()
        assert answer["date_min"] <= answer["date"] <= answer["date_max"]


def test_inspect_jsonl_gives_every_paragraph_its_range_and_evidence(cfg, capsys):
    assert main(["inspect", "--config", cfg, "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all(r["date_min"] and r["date_max"] and r["date_evidence"] for r in rows)
    assert all(r["date_min"] <= r["date"] <= r["date_max"] for r in rows)
    assert any("今年是中国共产党成立100周年 → 2021" in r["date_evidence"] for r in rows)


def test_an_undated_page_has_a_range_and_no_point(tmp_path, capsys):
    root = tmp_path / "archive"
    root.mkdir()
    (root / "p.txt").write_text("抗疫\n\n本报北京2月3日电 各地做好新冠肺炎疫情防控工作。\n", encoding="utf-8")
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"corpus: {root}\nindex_dir: {tmp_path / 'index'}\n", encoding="utf-8")
    assert main(["inspect", "--config", str(cfg), "--format", "jsonl"]) == 0
    row = json.loads(capsys.readouterr().out.splitlines()[0])
    assert (row["date"], row["year"], row["date_source"]) == (None, None, "inferred")
    assert (row["date_min"], row["date_max"]) == ("2020-02-03", None)
    assert row["date_evidence"] == "新冠肺炎 → 2020+"
