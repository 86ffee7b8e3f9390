"""What the user knows about dates: config `dates:` and a folder's wenbao-dates.yaml."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from retrieval.config import load_config
from retrieval.date_hints import DateHint, HintError, parse_hint
from retrieval.errors import ConfigError
from retrieval.reader import read_paragraphs
from tui.cli import main

PAGE = "会议召开\n\n本报讯 2月3日，全市工作会议召开。\n\n综述\n\n近日，各地积极行动。\n"


@pytest.mark.parametrize("data, expected", [
    ({"year": 2019}, DateHint(None, 2019, 2019, "x: year 2019")),
    ({"year": "2019"}, DateHint(None, 2019, 2019, "x: year 2019")),
    ({"years": "2019-2020"}, DateHint(None, 2019, 2020, "x: years 2019-2020")),
    ({"years": [2019, 2020]}, DateHint(None, 2019, 2020, "x: years 2019-2020")),
    ({"years": 2019}, DateHint(None, 2019, 2019, "x: year 2019")),
    ({"date": dt.date(2019, 2, 3)}, DateHint("2019-02-03", None, None, "x: date 2019-02-03")),
    ({"date": "2019-02-03"}, DateHint("2019-02-03", None, None, "x: date 2019-02-03")),
])
def test_hint_values(data, expected):
    assert parse_hint(data, "x") == expected


@pytest.mark.parametrize("data", [
    {"years": "2020-2019"}, {"year": "soon"}, {"date": "2019-02-30"}, {"month": 3}, {}, [2019],
    {"year": 2019, "date": "2019-02-03"}, {"year": True},
])
def test_bad_hint_values_say_what_is_expected(data):
    with pytest.raises(HintError, match="year|years|date"):
        parse_hint(data, "x")


def config(tmp_path, corpus, extra: str = ""):
    path = tmp_path / "config.yaml"
    path.write_text(f"corpus: {corpus}\nindex_dir: {tmp_path / 'index'}\n{extra}", encoding="utf-8")
    return path


def corpus(tmp_path, files: dict[str, str]):
    root = tmp_path / "archive"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_config_years_bound_the_dates(tmp_path):
    root = corpus(tmp_path, {"p.txt": PAGE})
    cfg = load_config(config(tmp_path, root, "dates:\n  years: 2019-2020\n"))
    assert cfg.dates == DateHint(None, 2019, 2020, "config dates: years 2019-2020")
    first = read_paragraphs(cfg, lambda _: None)[0]
    assert first.date is None and first.date_source == "inferred"
    assert (first.date_min, first.date_max) == ("2019-02-03", "2020-02-17")
    assert "config dates: years 2019-2020" in first.date_evidence


def test_config_year_makes_the_datelines_full_dates(tmp_path):
    root = corpus(tmp_path, {"p.txt": PAGE})
    cfg = load_config(config(tmp_path, root, "dates: {year: 2019}\n"))
    first = read_paragraphs(cfg, lambda _: None)[0]
    assert (first.date, first.year, first.date_source) == ("2019-02-03", 2019, "dateline")
    assert first.date_evidence == "dateline 2月3日; config dates: year 2019"


def test_bad_config_dates_name_the_file_and_line(tmp_path):
    path = config(tmp_path, tmp_path, "answers:\n  top: 3\ndates:\n  years: 2020-2019\n")
    with pytest.raises(ConfigError, match=r"config\.yaml:6: .*years.*earlier year"):
        load_config(path)
    path = config(tmp_path, tmp_path, "dates:\n  month: 3\n")
    with pytest.raises(ConfigError, match=r"config\.yaml:4: unknown key 'dates\.month'"):
        load_config(path)


def test_a_folder_hint_applies_below_it_and_wins_over_the_config(tmp_path):
    root = corpus(tmp_path, {"old/wenbao-dates.yaml": "year: 1998\n", "old/feb/p.txt": PAGE,
                             "other/p.txt": PAGE, "day/wenbao-dates.yaml": "date: 2001-05-06\n",
                             "day/p.txt": PAGE})
    cfg = load_config(config(tmp_path, root, "dates: {year: 2019}\n"))
    by_path = {p.path: p for p in read_paragraphs(cfg, lambda _: None) if "会议" in p.text}
    assert by_path["old/feb/p.txt"].date == "1998-02-03"
    assert "old/wenbao-dates.yaml: year 1998" in by_path["old/feb/p.txt"].date_evidence
    assert by_path["other/p.txt"].date == "2019-02-03"
    day = by_path["day/p.txt"]
    assert (day.date, day.date_source, day.date_min, day.date_max) == ("2001-05-06", "user", "2001-05-06", "2001-05-06")
    assert day.date_evidence == "day/wenbao-dates.yaml: date 2001-05-06"


def test_a_date_in_the_file_name_wins_over_a_folder_hint(tmp_path):
    root = corpus(tmp_path, {"wenbao-dates.yaml": "year: 1998\n", "2019-02-04.txt": PAGE})
    cfg = load_config(config(tmp_path, root))
    assert {p.date for p in read_paragraphs(cfg, lambda _: None)} == {"2019-02-04"}


@pytest.mark.parametrize("content, line, what", [
    ("# my archive\nyear: [1998\n", 3, "invalid YAML"),
    ("# my archive\nmonth: 3\n", 2, "exactly one of"),
    ("year: !!python/object/apply:os.system ['true']\n", 1, "invalid YAML|could not determine"),
])
def test_a_bad_folder_hint_is_a_warning_naming_file_and_line(tmp_path, content, line, what):
    root = corpus(tmp_path, {"a/wenbao-dates.yaml": content, "a/p.txt": PAGE})
    warnings = []
    paragraphs = read_paragraphs(load_config(config(tmp_path, root)), warnings.append)
    assert paragraphs and all(p.date is None for p in paragraphs)  # read all the same, no date made up
    assert len(warnings) == 1 and warnings[0].startswith(f"a/wenbao-dates.yaml:{line}:")
    assert "ignored" in warnings[0]


def test_inspect_shows_the_hint_as_the_evidence(tmp_path, capsys):
    root = corpus(tmp_path, {"wenbao-dates.yaml": "years: 2019-2020\n", "p.txt": PAGE})
    assert main(["inspect", str(root), "--format", "jsonl", "--config", str(config(tmp_path, root))]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["date_min"] == "2019-02-03" and rows[0]["date_max"] == "2020-02-17"
    assert rows[0]["date_evidence"] == "wenbao-dates.yaml: years 2019-2020"


def test_changing_a_folder_hint_rebuilds_the_index(tmp_path):
    from retrieval.search import Archive

    root = corpus(tmp_path, {"wenbao-dates.yaml": "year: 2019\n", "p.txt": PAGE})
    cfg = load_config(config(tmp_path, root))
    archive = Archive.open(cfg)
    assert {archive.index.paragraph(row).year for row in range(len(archive.index.ids))} == {2019}
    (root / "wenbao-dates.yaml").write_text("year: 2018\n", encoding="utf-8")
    notices = []
    archive = Archive.open(cfg, notice=notices.append)
    assert any("wenbao-dates.yaml changed" in n for n in notices)
    assert {archive.index.paragraph(row).year for row in range(len(archive.index.ids))} == {2018}
