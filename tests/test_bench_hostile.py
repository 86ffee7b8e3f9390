"""bench.hostile runs end to end on tiny inputs and prints its table."""

from bench import hostile


def test_bench_hostile_tiny_run_prints_every_case(capsys):
    assert hostile.main(["--scale", "0.001"]) == 0
    table = capsys.readouterr().out
    assert table.count("\n| ") == len(hostile.CASES) + 2  # header, the cases, the folders
    assert "words without punctuation" in table and "nested folders" in table
