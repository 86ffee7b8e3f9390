"""Reading a corpus: which files, which records, and the true file line of every text."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from retrieval.config import load_config
from retrieval.errors import CorpusError
from retrieval.loaders import SkipFile, display_path, list_corpus_files, read_file

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> dict[str, tuple[str, ...]]:
    """The documented defaults from config.yaml (an empty user file: no personal settings)."""
    empty = tmp_path_factory.mktemp("config") / "config.yaml"
    empty.write_text("", encoding="utf-8")
    return load_config(empty).records


class Warnings(list):
    def __call__(self, message: str) -> None:
        self.append(message)


def read(path: Path, records, root: Path | None = None):
    warnings = Warnings()
    docs = read_file(path, root or path.parent, records, warnings)
    return docs, warnings


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def file_lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8").replace("\r\n", "\n").split("\n")


def assert_lines_true(doc, path: Path) -> None:
    """Every line of doc.text is the file line first_line + its offset."""
    lines = file_lines(path)
    for offset, line in enumerate(doc.text.split("\n")):
        assert lines[doc.first_line - 1 + offset] == line


# --------------------------------------------------------------------------- listing


def test_bundled_corpus_lists_its_five_pages():
    files = list_corpus_files(REPO / "corpus")
    assert len(files) == 5
    assert all(f.suffix == ".txt" for f in files)
    assert files == sorted(files)


def test_folder_is_recursive_sorted_and_skips_hidden_and_unsupported(tmp_path):
    for name in ["b.txt", "a.md", "sub/c.jsonl", "sub/deeper/d.CSV", "z.tsv", "e.json",
                 "f.markdown", ".hidden.txt", ".git/config.txt", "sub/.cache/x.txt",
                 "notes.docx", "image.png", "README"]:
        write(tmp_path / name, "text")
    shown = [display_path(f, tmp_path) for f in list_corpus_files(tmp_path)]
    assert shown == ["a.md", "b.txt", "e.json", "f.markdown", "sub/c.jsonl", "sub/deeper/d.CSV", "z.tsv"]
    assert list_corpus_files(tmp_path) == list_corpus_files(tmp_path)  # stable


def test_links_are_followed_inside_the_corpus_only_once_each_and_special_files_ignored(tmp_path):
    archive = tmp_path / "archive"
    write(archive / "1950/p.txt", "text")
    corpus = tmp_path / "corpus"
    write(corpus / "own.txt", "text")
    write(corpus / "1951/q.txt", "text")
    (corpus / "linked").symlink_to(archive)  # leads out of the corpus: skipped, with a warning
    (corpus / "inner").symlink_to(corpus / "1951")  # stays inside: followed once
    (corpus / "inner-again").symlink_to(corpus / "1951")
    (corpus / "loop").symlink_to(corpus)
    (corpus / "gone.txt").symlink_to(tmp_path / "missing.txt")
    os.mkfifo(corpus / "pipe.txt")  # reading it would block forever
    warnings = []
    shown = [display_path(f, corpus) for f in list_corpus_files(corpus, warnings.append)]
    assert shown == ["1951/q.txt", "own.txt"]  # the folder's own name comes first in order
    assert sorted(w.split(":")[0] for w in warnings) == ["skipped link gone.txt", "skipped link linked"]
    assert "leads out of the corpus" in " ".join(warnings)


def test_single_file_is_listed_whatever_its_suffix(tmp_path):
    page = write(tmp_path / "page.ocr", "第一版\n本报讯")
    assert list_corpus_files(page) == [page]
    assert display_path(page, page) == "page.ocr"
    docs, _ = read(page, {"text": ("text",)}, root=page)
    assert docs[0].text == "第一版\n本报讯" and docs[0].path == "page.ocr"


def test_missing_corpus_names_the_path(tmp_path):
    missing = tmp_path / "no-such-archive"
    with pytest.raises(CorpusError, match="no-such-archive"):
        list_corpus_files(missing)


def test_display_path_is_relative_and_slash_separated(tmp_path):
    assert display_path(tmp_path / "1949" / "10" / "p1.txt", tmp_path) == "1949/10/p1.txt"


# --------------------------------------------------------------------------- pages


def test_text_page_is_kept_exactly_with_line_endings_normalised(tmp_path, records):
    raw = "\r\n\r\n标题  \r\n\r\n　　正文第一段，行尾有空格。  \r\n\f第二版\rEnd"
    page = write(tmp_path / "p.txt", raw)
    [doc] = read(page, records)[0]
    assert doc.text == raw.replace("\r\n", "\n").replace("\r", "\n")
    assert doc.first_line == 1 and doc.meta == {} and doc.record is None


def test_front_matter_gives_meta_and_the_body_keeps_true_lines(tmp_path, records):
    page = write(tmp_path / "1949/p.md", (
        "---\n"
        "title: 开国大典\n"
        "date: 1949-10-01\n"
        "paper: 人民日报\n"
        "page: 01\n"
        "---\n"
        "\n"
        "中华人民共和国中央人民政府今天成立。\n"
        "\n"
        "第二段。\n"
    ))
    docs, warnings = read(page, records, root=tmp_path)
    [doc] = docs
    assert warnings == []
    assert doc.path == "1949/p.md"
    assert doc.meta == {"title": "开国大典", "date": "1949-10-01", "source": "人民日报", "page": "01"}
    assert doc.first_line == 7
    assert doc.text.startswith("\n中华人民共和国")
    assert_lines_true(doc, page)


def test_front_matter_datetime_and_dots_closing_fence(tmp_path, records):
    page = write(tmp_path / "p.txt", "---\nDate: 2021-04-27 08:30:00\nsource: 解放日报\n...\n正文\n")
    [doc] = read(page, records)[0]
    assert doc.meta == {"date": "2021-04-27", "source": "解放日报"}
    assert doc.first_line == 5 and doc.text == "正文\n"


@pytest.mark.parametrize("head, line, words", [
    ("---\ntitle: [unclosed\ndate: 2021-01-07\n---\n", 3, "invalid YAML"),
    ("---\n- just\n- a list\n---\n", 2, "not a mapping"),
    ("---\ntitle: 没有结束\n", 1, "no closing"),
])
def test_malformed_front_matter_is_warned_and_the_whole_file_kept(tmp_path, records, head, line, words):
    raw = head + "本报讯 正文照常读取。\n"
    page = write(tmp_path / "bad.md", raw)
    docs, warnings = read(page, records)
    [doc] = docs
    assert doc.text == raw and doc.first_line == 1 and doc.meta == {}
    [message] = warnings
    assert message.startswith(f"bad.md:{line}: ") and words in message


def test_a_dashed_rule_inside_the_text_is_not_front_matter(tmp_path, records):
    raw = "标题\n---\n正文\n---\n"
    page = write(tmp_path / "p.txt", raw)
    docs, warnings = read(page, records)
    assert docs[0].text == raw and warnings == []


@pytest.mark.parametrize("raw", ["", "  \n\n\t\n", "---\ntitle: 空页\n---\n\n"])
def test_page_without_text_gives_nothing(tmp_path, records, raw):
    assert read(write(tmp_path / "empty.txt", raw), records) == ([], [])


def test_gbk_and_big5_pages_are_decoded(tmp_path, records):
    simplified = "本报讯 记者王海涛报道：全市今年新建改建农村公路一千二百公里，沿线群众出行难的问题得到明显缓解。"
    traditional = "本報訊 記者陳志明報導：全市今年新建改建農村公路一千二百公里，沿線群眾出行難的問題得到明顯緩解。"
    gb = write(tmp_path / "gb.txt", simplified, "gbk")
    big5 = write(tmp_path / "big5.txt", traditional, "big5")
    bom = tmp_path / "bom.txt"
    bom.write_bytes(codecs.BOM_UTF16_LE + simplified.encode("utf-16-le"))
    assert read(gb, records)[0][0].text == simplified
    assert read(big5, records)[0][0].text == traditional
    assert read(bom, records)[0][0].text == simplified


# --------------------------------------------------------------------------- skipped files


def test_binary_file_is_skipped(tmp_path, records):
    blob = tmp_path / "scan.txt"
    blob.write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    with pytest.raises(SkipFile) as caught:
        read(blob, records)
    assert "binary" in caught.value.reason


def test_damaged_utf8_is_read_with_a_warning(tmp_path, records):
    page = tmp_path / "p.txt"
    page.write_bytes("第一行\n第二行".encode("utf-8") * 50 + b"\xfe\n")
    docs, warnings = read(page, records)
    assert docs[0].text.count("\ufffd") == 1
    assert len(warnings) == 1 and warnings[0].startswith("p.txt: damaged utf-8")


def test_unreadable_file_is_skipped(tmp_path, records):
    folder = tmp_path / "looks-like-a.txt"
    folder.mkdir()
    with pytest.raises(SkipFile, match="cannot read"):
        read(folder, records)


# --------------------------------------------------------------------------- .jsonl


def test_jsonl_keeps_good_records_and_warns_bad_lines(tmp_path, records):
    lines = [
        json.dumps({"text": "第一条", "title": "甲", "date": "2021-01-07", "page": 3}, ensure_ascii=False),
        "",
        '{"text": "broken',
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "no text here"}),
        json.dumps({"text": "   ", "title": "blank"}),
        json.dumps({"Content": "第二条\n两行", "Headline": "乙", "newspaper": "文汇报", "edition": 2.0},
                   ensure_ascii=False),
        "   ",
    ]
    path = write(tmp_path / "news.jsonl", "\n".join(lines) + "\n")
    docs, warnings = read(path, records)
    assert [(d.text, d.first_line, d.record) for d in docs] == [("第一条", 1, 0), ("第二条\n两行", 7, 5)]
    assert docs[0].meta == {"title": "甲", "date": "2021-01-07", "page": "3"}
    assert docs[1].meta == {"title": "乙", "source": "文汇报", "page": "2"}
    assert [w.split(": ")[0] for w in warnings] == ["news.jsonl:3", "news.jsonl:4", "news.jsonl:5", "news.jsonl:6"]
    assert all(w.endswith("; skipped") for w in warnings)
    assert "invalid JSON" in warnings[0] and "not an object" in warnings[1]
    assert "no text field" in warnings[2] and "empty text" in warnings[3]


def test_first_configured_field_present_wins(tmp_path, records):
    record = {"body": "正文", "text": "首选", "headline": "次选标题", "title": "", "date": None, "published": "2020"}
    path = write(tmp_path / "r.jsonl", json.dumps(record, ensure_ascii=False))
    [doc] = read(path, records)[0]
    assert doc.text == "首选"
    assert doc.meta == {"title": "次选标题", "date": "2020"}


def test_a_flood_of_bad_lines_is_summarised(tmp_path, records):
    path = write(tmp_path / "junk.jsonl", "not json\n" * 500 + '{"text": "好"}\n')
    docs, warnings = read(path, records)
    assert len(docs) == 1 and docs[0].first_line == 501
    assert len(warnings) <= 25
    assert "more" in warnings[-1]


# --------------------------------------------------------------------------- .json


def test_json_list_records_start_on_their_own_lines(tmp_path, records):
    items = [{"title": "一", "text": "甲\n乙"}, {"title": "二", "text": "丙", "date": 20210107}]
    path = write(tmp_path / "list.json", json.dumps(items, ensure_ascii=False, indent=2))
    docs, warnings = read(path, records)
    lines = file_lines(path)
    assert warnings == []
    assert [d.record for d in docs] == [0, 1]
    for doc in docs:
        assert lines[doc.first_line - 1].strip() == "{"
        assert f'"{doc.meta["title"]}"' in lines[doc.first_line]
    assert docs[1].meta["date"] == "20210107"


def test_json_object_holding_a_record_list(tmp_path, records):
    raw = '{"paper": "大公报",\n "articles": [\n  {"text": "一"},\n  7,\n  {"text": "二"}]}'
    docs, warnings = read(write(tmp_path / "a.json", raw, "utf-8"), records)
    assert [(d.text, d.first_line, d.record) for d in docs] == [("一", 3, 0), ("二", 5, 2)]
    assert warnings == ["a.json:4: record is a number, not an object; skipped"]


def test_json_single_record(tmp_path, records):
    path = write(tmp_path / "one.json", '\n\n{"content": "独篇", "title": "T"}')
    [doc] = read(path, records)[0]
    assert (doc.text, doc.first_line, doc.meta) == ("独篇", 3, {"title": "T"})


def test_invalid_json_file_is_skipped_with_its_line(tmp_path, records):
    path = write(tmp_path / "bad.json", '[\n {"text": "a"},\n {"text": "b"\n]')
    with pytest.raises(SkipFile) as caught:
        read(path, records)
    assert caught.value.reason.startswith("invalid JSON at line 4")


# --------------------------------------------------------------------------- .csv / .tsv


def test_csv_rows_with_multiline_fields_know_their_lines(tmp_path, records):
    raw = (
        "title,date,text\r\n"
        "甲,2021-01-07,\"第一段\r\n第二段\"\r\n"
        "\r\n"
        "乙,2021-01-08,\r\n"
        "丙,2021-01-09,单行\r\n"
    )
    path = write(tmp_path / "t.csv", raw)
    docs, warnings = read(path, records)
    assert [(d.text, d.first_line, d.record) for d in docs] == [("第一段\n第二段", 2, 0), ("单行", 6, 2)]
    assert docs[0].meta == {"title": "甲", "date": "2021-01-07"}
    assert warnings == ["t.csv:5: empty text in column 'text'; skipped"]


def test_tsv_and_a_short_row(tmp_path, records):
    path = write(tmp_path / "t.tsv", "Headline\tBody\n标题一\t正文, 含逗号\n缺正文\n")
    docs, warnings = read(path, records)
    assert [(d.text, d.meta, d.first_line) for d in docs] == [("正文, 含逗号", {"title": "标题一"}, 2)]
    assert len(warnings) == 1 and warnings[0].startswith("t.tsv:3: no text column")


def test_semicolon_csv_is_sniffed(tmp_path, records):
    path = write(tmp_path / "s.csv", "title;text\n甲;正文\n")
    assert [d.text for d in read(path, records)[0]] == ["正文"]


def test_table_without_a_text_column_is_skipped(tmp_path, records):
    path = write(tmp_path / "n.csv", "name,value\na,1\n")
    with pytest.raises(SkipFile, match="no text column"):
        read(path, records)
