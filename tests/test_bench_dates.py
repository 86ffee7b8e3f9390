"""bench.dates on the sample corpus alone (the People's Daily data is not part of the repository)."""

from bench.dates import main


def test_bench_dates_scores_the_sample_corpus(tmp_path, capsys):
    assert main(["--rmrb", str(tmp_path / "absent")]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("| sample corpus"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    # 5 files, 37 articles: every one a point, every point year right, every print day in its range.
    assert cells[1:4] == ["5", "37", "100.0 %"] and cells[6] == "100.0 %" and cells[8] == "100.0 %"


def test_bench_answer_dates_scores_a_lead_as_a_reader_would():
    from bench.answer_dates import outcome

    assert outcome({"year": 2019, "date": "2019-10-07"}, "2019-10-08") == "point, right"  # a dateline's day
    assert outcome({"year": 2019, "date": "2019-10-01"}, "2019-10-08") == "point, wrong day"
    assert outcome({"year": 2018}, "2019-02-03") == "point, wrong year"
    assert outcome({"year": None, "date_min": "2019-02-01", "date_max": None}, "2019-02-03") == "range holding the truth"
    assert outcome({"year": None, "date_min": "2019-03-01", "date_max": None}, "2019-02-03") == "range missing it"
    assert outcome({"year": None}, "2019-02-03") == "unknown"
