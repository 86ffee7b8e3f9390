"""bench.dates on the sample corpus alone (the People's Daily data is not part of the repository)."""

from bench.dates import main


def test_bench_dates_scores_the_sample_corpus(tmp_path, capsys):
    assert main(["--rmrb", str(tmp_path / "absent")]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("| sample corpus"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    # 5 files, 37 articles: every one a point, every point year right, every print day in its range.
    assert cells[1:4] == ["5", "37", "100.0 %"] and cells[6] == "100.0 %" and cells[8] == "100.0 %"
