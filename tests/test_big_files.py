"""One big file is read in bounded pieces and batches, with the paragraphs, lines, ids and
answers a whole read gives (generated pages and records, small limits set for the test)."""

from __future__ import annotations

import json

import pytest

from retrieval import reader
from retrieval.config import load_config
from retrieval.models import SourceDoc
from retrieval.paragraphs import paragraphs_from_doc
from retrieval.search import Archive

PLACES = ["东湖区", "西山县", "南河镇", "北岭乡", "中原市", "临江村"]


def _long_page(articles: int) -> str:
    parts = []
    for n in range(articles):
        place = PLACES[n % len(PLACES)]
        body = "\n\n".join(f"本报讯 {place}第{n}号项目第{p}段进展顺利，完成投资{n * 7 + p}万元，"
                           f"新增就业岗位{n * 3 + p}个。" for p in range(3))
        parts.append(f"{place}第{n}号项目建设综述\n\n{body}")
    return "---\ntitle: 合订本\ndate: 2020-03-01\n---\n" + "\n\n\n".join(parts) + "\n"


def _doc(tmp_path, text: str) -> SourceDoc:
    from retrieval.loaders import read_file

    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    config = load_config(None, corpus=str(tmp_path))
    return read_file(tmp_path / "big.txt", tmp_path, config.records, lambda _: None)[0]


def test_a_long_page_cut_into_pieces_gives_the_paragraphs_of_the_whole_page(tmp_path):
    doc = _doc(tmp_path, _long_page(120))
    whole = paragraphs_from_doc(doc)
    pieces = list(reader.page_pieces(doc, size=2000))
    assert len(pieces) > 6
    assert all(len(p.text) <= 2000 for p in pieces)
    cut = []
    offset = 0
    for piece in pieces:
        from dataclasses import replace

        paragraphs = [replace(p, article=p.article + offset) for p in paragraphs_from_doc(piece)]
        offset = paragraphs[-1].article + 1
        cut.extend(paragraphs)
    assert cut == whole
    lines = doc.text.split("\n")
    for p in whole[::37]:  # line numbers are the file's own
        assert lines[p.line_start - doc.first_line].startswith(p.text[:10])


def test_a_page_without_blank_lines_is_still_cut_and_keeps_its_line_numbers():
    text = "\n".join(f"第{n}行：{PLACES[n % 6]}的消息。" for n in range(2000))
    doc = SourceDoc(path="lines.txt", text=text, first_line=5)
    pieces = list(reader.page_pieces(doc, size=1000))
    assert len(pieces) > 10 and "".join(p.text for p in pieces) == text
    for piece in pieces:
        assert text.split("\n")[piece.first_line - 5] == piece.text.split("\n")[0]


@pytest.fixture
def big_corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a-big.txt").write_text(_long_page(150), encoding="utf-8")
    with open(folder / "b-records.jsonl", "w", encoding="utf-8") as fh:
        for n in range(600):
            fh.write(json.dumps({"title": f"{PLACES[n % 6]}简讯{n}", "date": "2021-05-01",
                                 "text": f"{PLACES[n % 6]}第{n}号水站建成，日供水{n * 11}吨。"}, ensure_ascii=False) + "\n")
    (folder / "c-small.txt").write_text("小站开通\n\n西山县第九百号公交站今天开通。\n", encoding="utf-8")
    return folder


def _config(tmp_path, corpus, name):
    cfg = tmp_path / f"{name}.yaml"
    cfg.write_text(f"corpus: {corpus}\nindex_dir: {tmp_path / name}\ndata_dir: {tmp_path / 'data'}\n"
                   "retrieval:\n  engine: bm25s\n", encoding="utf-8")
    return load_config(cfg)


def test_big_files_index_in_bounded_batches_to_the_same_index(big_corpus, tmp_path, monkeypatch):
    whole = Archive.open(_config(tmp_path, big_corpus, "whole"))
    batches: list[int] = []
    original = reader.file_paragraph_batches

    def counting(*args, **kwargs):
        for batch in original(*args, **kwargs):
            batches.append(len(batch))
            yield batch

    monkeypatch.setattr(reader, "BATCH_PARAGRAPHS", 40)
    monkeypatch.setattr(reader, "PAGE_PIECE_CHARS", 2000)
    monkeypatch.setattr("retrieval.indexer.file_paragraph_batches", counting)
    monkeypatch.setattr("retrieval.indexer._BATCH", 40)
    cut = Archive.open(_config(tmp_path, big_corpus, "cut"))
    assert len(batches) > 20 and max(batches) < 80  # no batch near the size of a file
    a, b = whole.index, cut.index
    assert [f.path for f in a.files] == [f.path for f in b.files] == ["a-big.txt", "b-records.jsonl", "c-small.txt"]
    assert [(f.start, f.count) for f in a.files] == [(f.start, f.count) for f in b.files]
    assert [a.paragraph(r) for r in range(len(a))] == [b.paragraph(r) for r in range(len(b))]
    for question in ("中原市第44号项目完成投资多少万元？", "临江村第599号水站日供水多少吨？", "西山县公交站"):
        assert [(x.paragraph.id, x.quote) for x in whole.ask(question).answers] == \
            [(x.paragraph.id, x.quote) for x in cut.ask(question).answers]
    target = cut.ask("中原市第44号项目完成投资多少万元？").answers[0].paragraph
    assert [p.line_start for p in cut.article(target.id)] == [p.line_start for p in whole.article(target.id)]
