"""A damaged index is never trusted, never copied forward, never a crash: it is rebuilt,
with one notice naming the file. Small generated corpora; every index file is damaged
in turn (a flipped byte, a truncation), and also with the whole-file check limit lowered
so that the big files are checked only piece by piece, as they are at scale."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from retrieval import store
from retrieval.search import Archive

TOWNS = ["青石镇", "白沙乡", "柳河村", "松林县", "桃源镇", "金水乡", "云岭村", "梅溪县"]
THINGS = ["水库", "小学", "卫生院", "图书馆", "敬老院", "公路", "果园", "菜市场"]


def _write_corpus(folder, files: int = 8) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(files):
        town, thing = TOWNS[n % len(TOWNS)], THINGS[n % len(THINGS)]
        articles = []
        for a in range(3):
            body = "\n\n".join(
                f"本报讯 {town}第{a + 1}期{thing}工程第{p + 1}段今年完工，投资{(n + 1) * 100 + a * 10 + p}万元，"
                f"惠及群众{(n + 2) * 1000 + p}人。" for p in range(4))
            articles.append(f"{town}{thing}建设第{a + 1}期\n\n{body}")
        (folder / f"page-{n:02d}.txt").write_text("\n\n\n".join(articles) + "\n", encoding="utf-8")


QUESTION = "松林县图书馆工程投资多少万元？"


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    _write_corpus(folder)
    return folder


def _answer(archive):
    answers = archive.ask(QUESTION, top=3).answers
    return [(a.paragraph.id, round(a.score, 4), a.quote) for a in answers]


def _index_files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != store.READERS)


def _flip(path, where: float = 0.5) -> None:
    data = bytearray(path.read_bytes())
    pos = min(len(data) - 1, int(len(data) * where))
    data[pos] ^= 0x5A
    path.write_bytes(bytes(data))


def _truncate(path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _damage_cases(folder):
    for name in _index_files(folder):
        if (folder / name).stat().st_size:
            yield name, "flip"
        yield name, "truncate"


def _read_everything(root) -> None:
    """What readers read: every paragraph, every term's postings, the vocabulary, the per-row arrays."""
    index = store.load_live(root)
    try:
        for row in range(len(index)):
            index.paragraph(row)
        for term in range(len(index.vocab)):
            index.postings(term)
        index.dates, index.ids, index.doc_len, index.lexicon()
        index.verify_all()
    finally:
        index.close()


@pytest.mark.parametrize("limit", ["default", "zero"])
def test_every_damaged_index_file_is_found_and_named(make_config, corpus, monkeypatch, limit):
    if limit == "zero":
        monkeypatch.setattr(store, "HASH_LIMIT", 0)  # nothing checked whole on open: piece by piece only
    config = make_config(corpus, engine="bm25s")
    root = config.index_path()
    folder = Archive.open(config).index.folder
    _read_everything(root)
    cases = list(_damage_cases(folder))
    assert len(cases) >= 24  # every file of the generation, twice
    for name, how in cases:
        pristine = (folder / name).read_bytes()
        (_flip if how == "flip" else _truncate)(folder / name)
        with pytest.raises(store.StoreError) as caught:
            _read_everything(root)
        assert "damaged" in str(caught.value) and (name in str(caught.value) or "manifest.json" in str(caught.value)), \
            (name, how, str(caught.value))
        (folder / name).write_bytes(pristine)
    _read_everything(root)


@pytest.mark.parametrize("name", ["vocab.json", "checks.npy", "manifest.sum"])
def test_a_damaged_index_is_rebuilt_with_a_notice_and_the_same_answers(make_config, corpus, name):
    config = make_config(corpus)
    first = Archive.open(config)
    expected, folder = _answer(first), first.index.folder
    first.index.close()
    _flip(folder / name, 0.7)
    notices: list[str] = []
    archive = Archive.open(config, notice=notices.append)
    assert _answer(archive) == expected
    assert len(notices) == 1 and "damaged" in notices[0] and (name in notices[0] or "manifest" in notices[0])
    archive.index.verify_all()


def _zero_data(path) -> None:
    """Zero an array's data, keeping its header: a well-formed file that lies."""
    arr = np.load(path, mmap_mode="r", allow_pickle=False)
    offset = arr.offset
    del arr
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(b"\0" * (size - offset))


@pytest.mark.parametrize(("engine", "array"), [("bm25s", "post_docs"), ("rank-bm25", "post_tf")])
def test_zeroed_postings_above_the_check_limit_never_give_a_wrong_answer(make_config, corpus, monkeypatch,
                                                                         engine, array):
    monkeypatch.setattr(store, "HASH_LIMIT", 0)
    config = make_config(corpus, engine=engine)
    first = Archive.open(config)
    expected = _answer(first)
    folder = first.index.folder
    first.index.close()
    _zero_data(folder / f"{array}.npy")
    notices: list[str] = []
    archive = Archive.open(config, refresh=False, notice=notices.append)  # opening is cheap: not checked yet
    assert _answer(archive) == expected  # found while answering, rebuilt, answered right
    assert len(notices) == 1 and f"{array}.npy" in notices[0] and "damaged" in notices[0]


def test_a_refresh_never_copies_damage_into_the_new_generation(make_config, corpus, monkeypatch):
    monkeypatch.setattr(store, "HASH_LIMIT", 0)
    config = make_config(corpus, engine="bm25s")
    first = Archive.open(config)
    expected = _answer(first)
    folder = first.index.folder
    first.index.close()
    _zero_data(folder / "post_docs.npy")
    with open(corpus / "page-00.txt", "a", encoding="utf-8") as fh:  # one changed file: the rest is copied
        fh.write("\n\n新的一段：青石镇新建停车场一处。\n")
    notices: list[str] = []
    archive = Archive.open(config, notice=notices.append)
    assert any("post_docs.npy" in n for n in notices)
    assert archive.summary.rebuilt_reason and "damaged" in archive.summary.rebuilt_reason
    archive.index.verify_all()
    assert [x[0] for x in _answer(archive)] == [x[0] for x in expected]
    assert archive.ask("青石镇新建停车场").found


def test_an_incremental_refresh_gives_the_index_a_rebuild_would(make_config, corpus, tmp_path):
    config = make_config(corpus, engine="bm25s")
    Archive.open(config)
    with open(corpus / "page-03.txt", "a", encoding="utf-8") as fh:
        fh.write("\n\n新的一段：松林县图书馆延长开放时间。\n")
    (corpus / "page-05.txt").unlink()
    _write_corpus(tmp_path / "more", files=10)
    os.replace(tmp_path / "more" / "page-09.txt", corpus / "page-09.txt")
    refreshed = Archive.open(config)
    assert (refreshed.summary.changed, refreshed.summary.added, refreshed.summary.removed) == (1, 1, 1)
    rebuilt = Archive.open(config, force=True)
    a, b = refreshed.index, rebuilt.index
    assert [a.paragraph(r) for r in range(len(a))] == [b.paragraph(r) for r in range(len(b))]
    for row in range(len(a)):
        pa, pb = a.row_pairs(row, row + 1), b.row_pairs(row, row + 1)
        assert sorted(zip((a.vocab[t] for t in pa[1]), pa[2].tolist())) == \
            sorted(zip((b.vocab[t] for t in pb[1]), pb[2].tolist()))
    for question in (QUESTION, "松林县图书馆延长开放时间", "梅溪县菜市场"):
        assert [(x.paragraph.id, round(x.score, 4)) for x in refreshed.ask(question).answers] == \
            [(x.paragraph.id, round(x.score, 4)) for x in rebuilt.ask(question).answers]


@pytest.mark.parametrize("content", [b"\xff\xfe\xfa garbage", b"../../etc"])
def test_garbage_current_is_rebuilt_not_a_failure_of_every_later_run(make_config, corpus, content):
    config = make_config(corpus)
    expected = _answer(Archive.open(config))
    (config.index_path() / "CURRENT").write_bytes(content)
    notices: list[str] = []
    archive = Archive.open(config, notice=notices.append)
    assert _answer(archive) == expected
    assert notices and "CURRENT" in notices[0]
    assert not Archive.open(config).summary.rebuilt_reason  # and it stays fixed


@pytest.mark.parametrize("edit", ["count", "checks"])
def test_an_edited_manifest_is_a_damaged_one(make_config, corpus, edit):
    config = make_config(corpus)
    first = Archive.open(config)
    expected, folder = _answer(first), first.index.folder
    first.index.close()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if edit == "checks":
        manifest["checks"] = {}
    else:
        manifest["files"][2][edit] += 1
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    notices: list[str] = []
    archive = Archive.open(config, notice=notices.append)
    assert notices and "manifest.json" in notices[0] and "damaged" in notices[0]
    assert archive.summary.added == 8  # rebuilt from the corpus, nothing carried over
    assert _answer(archive) == expected


def test_cli_ask_on_a_damaged_index_answers_with_one_line_on_stderr(make_config, corpus, capsys, monkeypatch):
    from tui.cli import main

    config = make_config(corpus)
    cfg = str(config.files[-1])
    assert main(["ask", QUESTION, "--config", cfg, "--format", "json"]) == 0
    expected = json.loads(capsys.readouterr().out)["answers"][0]["paragraph_id"]
    folder = store.live_generation(config.index_path())
    _flip(folder / "paragraphs.z", 0.3)
    assert main(["ask", QUESTION, "--config", cfg, "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["answers"][0]["paragraph_id"] == expected
    damage = [line for line in captured.err.splitlines() if "damaged" in line]
    assert len(damage) == 1 and "paragraphs.z" in damage[0] and "Traceback" not in captured.err


# -- readers do not wait for writers ---------------------------------------------------------

def _hold_writer_lock(root, held, release):
    with store.writer_lock(root):
        held.set()
        release.wait(120)


def _ask_in_process(cfg_path, out):
    from retrieval.config import load_config

    notices: list[str] = []
    archive = Archive.open(load_config(cfg_path), notice=notices.append)
    answers = archive.ask(QUESTION).answers
    out.put((answers[0].paragraph.id if answers else None, notices))


def _lock_is_held(root) -> bool:
    with store.writer_lock(root, wait=False) as got:
        return not got


@pytest.mark.parametrize("stale", [False, True])
def test_ask_does_not_wait_for_a_process_holding_the_writer_lock(make_config, corpus, stale):
    import multiprocessing

    config = make_config(corpus)
    root = config.index_path()
    expected = _answer(Archive.open(config))[0][0]
    if stale:
        with open(corpus / "page-07.txt", "a", encoding="utf-8") as fh:
            fh.write("\n\n新的一段：梅溪县新建公园一座。\n")
    ctx = multiprocessing.get_context("spawn")
    held, release, out = ctx.Event(), ctx.Event(), ctx.Queue()
    holder = ctx.Process(target=_hold_writer_lock, args=(root, held, release))
    holder.start()
    try:
        assert held.wait(60)
        asker = ctx.Process(target=_ask_in_process, args=(str(config.files[-1]), out))
        asker.start()
        answer, notices = out.get(timeout=120)  # a reader that waited for the lock would never get here
        asker.join(30)
        assert _lock_is_held(root)  # the writer held the lock all along: the ask did not wait for it
        assert answer == expected
        if stale:
            assert notices == ["another wenbao process is updating the index; answering from the index as it was"]
        else:
            assert notices == []
    finally:
        release.set()
        holder.join(30)
    assert not _lock_is_held(root)


def test_an_index_checked_by_16_kib_chunks_before_generations_recorded_theirs_still_reads(make_config, corpus,
                                                                                          monkeypatch, tmp_path):
    """Generations written before `check_chunk` (16 KiB chunks) open and answer as they did, and
    damage in them is still found; new generations record the chunk they were summed by."""
    from retrieval import checks

    config = make_config(corpus, engine="bm25s")
    fresh = Archive.open(config)
    expected = _answer(fresh)
    assert fresh.index.manifest["check_chunk"] == checks.CHUNK == 4096
    fresh.index.close()
    monkeypatch.setattr(checks, "CHUNK", checks.LEGACY_CHUNK)
    from tests.conftest import _config_with

    (tmp_path / "legacy").mkdir()
    config = _config_with(tmp_path / "legacy", corpus, engine="bm25s")
    legacy = Archive.open(config)
    folder = legacy.index.folder
    legacy.index.close()
    monkeypatch.setattr(checks, "CHUNK", 4096)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest.pop("check_chunk") == 16384
    encoded = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    (folder / "manifest.json").write_bytes(encoded)
    (folder / "manifest.sum").write_bytes(store._manifest_sum(encoded).encode("ascii"))
    notices: list[str] = []
    reopened = Archive.open(config, notice=notices.append)
    assert not notices and not reopened.summary.rebuilt_reason
    assert _answer(reopened) == expected
    reopened.index.close()
    _read_everything(config.index_path())
    _flip(folder / "paragraphs.z", 0.9)
    with pytest.raises(store.StoreError, match="paragraphs.z"):
        _read_everything(config.index_path())
