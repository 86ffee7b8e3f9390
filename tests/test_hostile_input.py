"""Hostile corpora, names and terminals (issue 12): every case ends in a warning naming
the file or line, or an error with exit 2; output is always valid UTF-8 without control
characters; odd files are still indexed and citable."""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from retrieval import loaders
from retrieval.loaders import list_corpus_files
from tui.cli import main

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
BAD_NAME = os.fsdecode(b"bad\xff\xfe.txt")  # not UTF-8: the file system keeps it as surrogates
ESCAPE_FOLDER = "\x1b]52;c;aGk=\x07\x1b[2J"  # an OSC 52 clipboard write and a screen clear


def clean_utf8(text: str) -> bool:
    text.encode("utf-8")  # raises on a lone surrogate
    return not CONTROL.search(text)


@pytest.fixture(scope="module")
def odd_corpus(tmp_path_factory) -> tuple[Path, str]:
    base = tmp_path_factory.mktemp("odd")
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / BAD_NAME).write_text("城市更新\n\n城市更新行动是今年的重点工作。\n", encoding="utf-8")
    (corpus / ESCAPE_FOLDER).mkdir()
    (corpus / ESCAPE_FOLDER / "p.txt").write_text("标题\n\n城市更新行动正在推进。\n", encoding="utf-8")
    (corpus / "r.jsonl").write_text(
        '{"title": "揭榜\\u009b[2J", "text": "揭榜挂帅\\ud800的企业\\u009b[31m发放补助\\u007f"}\n', encoding="utf-8")
    (corpus / "root").symlink_to("/")
    config = base / "config.yaml"
    config.write_text(f"corpus: {corpus}\nindex_dir: {base / 'index'}\ndata_dir: {base / 'data'}\n", encoding="utf-8")
    return corpus, str(config)


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", ["json", "markdown", "text"])
def test_odd_names_and_text_give_clean_output_in_every_format(odd_corpus, capsys, fmt):
    _, config = odd_corpus
    code, out, err = run(["ask", "城市更新行动 揭榜挂帅", "--config", config, "--format", fmt, "-k", "5"], capsys)
    assert code == 0
    assert clean_utf8(out.replace("\n", "")) and clean_utf8(err.replace("\n", ""))
    if fmt == "json":
        assert "bad\\xff\\xfe.txt" in [a["path"] for a in json.loads(out)["answers"]]
    else:
        assert "bad\\xff\\xfe.txt:3" in out
    assert "skipped link root: it leads out of the corpus folder" in err


def test_json_keeps_controls_as_escapes_and_names_as_typed_back(odd_corpus, capsys):
    _, config = odd_corpus
    code, out, _ = run(["ask", "揭榜挂帅的企业", "--config", config, "--format", "json"], capsys)
    assert "\\u009b" in out and "\\u007f" in out and "\x9b" not in out
    answer = json.loads(out)["answers"][0]
    assert answer["quote"].startswith("揭榜挂帅\ufffd的企业\x9b[31m") and answer["title"] == "揭榜\x9b[2J"


def test_a_file_with_a_non_utf8_name_is_citable_by_its_shown_name(odd_corpus, capsys):
    _, config = odd_corpus
    code, out, _ = run(["show", "bad\\xff\\xfe.txt:3", "--config", config], capsys)
    assert code == 0 and "城市更新行动是今年的重点工作" in out and "bad\\xff\\xfe.txt" in out


def test_invalid_utf8_on_stdin_is_replaced_and_the_line_named(odd_corpus, capsys, monkeypatch):
    _, config = odd_corpus
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("城市更新\n行动".encode() + b"\xff\xfe\n")))
    code, out, err = run(["ask", "-", "--config", config], capsys)
    assert code == 0
    assert "stdin:2: not valid UTF-8" in err
    questions = [json.loads(line)["question"] for line in out.splitlines()]
    assert questions == ["城市更新", "行动\ufffd\ufffd"]


def test_non_utf8_locale_still_prints_chinese(sample_archive):
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    config = str(sample_archive.config.files[-1])
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "ask", "城市更新行动", "--config", config],
                          capture_output=True, env=env, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
    assert "城市更新行动" in proc.stdout.decode("utf-8")


@pytest.mark.parametrize("value, words", [
    ("2021-02-30", "no such day (2021-02 has 28 days)"),
    ("2021-13", "no such month"),
    ("٢٠٢١", "digits 0-9"),
    ("2021-04-27x", "use YYYY"),
])
def test_bad_dates_are_usage_errors(sample_archive, capsys, value, words):
    config = str(sample_archive.config.files[-1])
    code, out, err = run(["ask", "城市更新行动", "--config", config, "--since", value], capsys)
    assert code == 2 and out == "" and words in err


def test_full_width_digits_in_dates_are_read_as_digits(sample_archive, capsys):
    config = str(sample_archive.config.files[-1])
    code, out, _ = run(["ask", "城市更新行动", "--config", config, "--since", "２０２１－０１", "--format", "json"], capsys)
    assert code in (0, 1) and json.loads(out)["since"] is not None


@pytest.mark.parametrize("path", ["/dev/zero", "."])
def test_config_that_is_not_a_file_is_exit_2(capsys, path):
    code, out, err = run(["ask", "问题", "--config", path], capsys)
    assert code == 2 and "not a regular file" in err


# --------------------------------------------------------------------------- walking


def test_deep_folders_are_listed_with_one_stat_each_and_no_realpath(tmp_path, monkeypatch):
    folders = [str(tmp_path)]
    for _ in range(1500):  # 3,000 characters of path: under PATH_MAX
        folders.append(os.path.join(folders[-1], "d"))
        os.mkdir(folders[-1])
    deep = Path(folders[-1], "deep.txt")
    deep.write_text("正文", encoding="utf-8")
    calls = []
    real = os.path.realpath
    monkeypatch.setattr(os.path, "realpath", lambda p, **kw: (calls.append(p), real(p, **kw))[1])
    try:
        found = list_corpus_files(tmp_path)
        assert [p.name for p in found] == ["deep.txt"]
        assert len(calls) <= 1  # the root only: links are the only other paths resolved
    finally:  # pytest's own clean-up would recurse once per level
        deep.unlink()
        for folder in reversed(folders[1:]):
            os.rmdir(folder)


def test_too_deep_and_unreadable_folders_are_warned_by_name(tmp_path, monkeypatch):
    (tmp_path / "ok.txt").write_text("正文", encoding="utf-8")
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "s.txt").write_text("正文", encoding="utf-8")
    real = os.scandir

    def scandir(path):
        if str(path).endswith("secret"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(loaders.os, "scandir", scandir)
    warnings = []
    found = list_corpus_files(tmp_path, warnings.append)
    assert [p.name for p in found] == ["ok.txt"]
    assert warnings == ["skipped folder secret: cannot read it (Permission denied); check its permissions"]


def test_a_link_to_the_root_of_the_disk_is_not_walked(tmp_path, monkeypatch):
    (tmp_path / "own.txt").write_text("正文", encoding="utf-8")
    (tmp_path / "disk").symlink_to("/")
    (tmp_path / "inside").symlink_to(tmp_path / "own.txt")
    scanned = []
    real = os.scandir
    monkeypatch.setattr(loaders.os, "scandir", lambda path: (scanned.append(str(path)), real(path))[1])
    warnings = []
    found = list_corpus_files(tmp_path, warnings.append)
    assert sorted(p.name for p in found) == ["inside", "own.txt"] or sorted(p.name for p in found) == ["own.txt"]
    assert scanned == [str(tmp_path)]
    assert warnings == ["skipped link disk: it leads out of the corpus folder (to /); links are followed only "
                        "inside the corpus"]


def test_a_file_skipped_as_unreadable_is_retried_next_run(tmp_path, make_config, monkeypatch):
    from retrieval.indexer import refresh_index

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("标题\n\n城市更新行动是重点。\n", encoding="utf-8")
    (corpus / "locked.txt").write_text("标题\n\n揭榜挂帅的企业发放补助。\n", encoding="utf-8")
    config = make_config(corpus)
    locked = str(corpus / "locked.txt")
    real_read, real_access = Path.read_bytes, os.access

    def read_bytes(self):
        if str(self) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: str(p) != locked and real_access(p, mode, **kw))
    warnings = []
    index, summary = refresh_index(config, warn=warnings.append)
    assert [(s.path, s.reason) for s in summary.skipped] == [("locked.txt", "cannot read (Permission denied)")]
    index, summary = refresh_index(config)  # still locked: nothing to do, nothing rebuilt
    assert summary.unchanged == 2
    monkeypatch.undo()  # the permissions are fixed; size and mtime are as they were
    index, summary = refresh_index(config)
    assert summary.skipped == () and summary.changed == 1
    assert any("揭榜挂帅" in index.paragraph(row).text for row in range(len(index)))
