"""The on-disk index: built once, refreshed incrementally, never left broken."""

import multiprocessing
import os

import numpy as np
import pytest

from retrieval import store
from retrieval.config import load_config
from retrieval.indexer import refresh_index
from retrieval.search import Archive


def _touch_append(path, text):
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


def test_second_open_reads_nothing_and_reuses_the_index(make_config, corpus_copy):
    config = make_config(corpus_copy)
    first = Archive.open(config)
    assert first.summary.added == 5
    again = Archive.open(config)
    assert again.summary.unchanged == 5 and again.summary.added == again.summary.changed == 0
    assert again.index.folder == first.index.folder


def test_only_changed_added_and_removed_files_are_processed(make_config, corpus_copy):
    config = make_config(corpus_copy)
    Archive.open(config)
    _touch_append(corpus_copy / "000_7762fb5599fe387a.txt", "\n\n新增段落：运城市启动智慧停车项目，新增车位5000个。\n")
    (corpus_copy / "new.md").write_text("---\ntitle: 测试\ndate: 2023-05-01\n---\n\n图书馆延长开放时间到晚上十点。\n",
                                         encoding="utf-8")
    (corpus_copy / "004_a266ccbba0e16e6d.txt").unlink()
    archive = Archive.open(config)
    s = archive.summary
    assert (s.changed, s.added, s.removed, s.unchanged) == (1, 1, 1, 3)
    assert archive.ask("智慧停车项目新增多少车位？").answers[0].paragraph.path == "000_7762fb5599fe387a.txt"
    assert archive.ask("图书馆延长开放时间").answers[0].paragraph.date == "2023-05-01"
    assert not any("004_" in a.paragraph.path for a in archive.ask("市委常委会 大气污染防治", top=10).answers)


def test_interrupted_build_leaves_the_previous_index_usable(make_config, corpus_copy, monkeypatch):
    config = make_config(corpus_copy)
    before = Archive.open(config).ask("城市更新行动").answers[0].paragraph.id
    _touch_append(corpus_copy / "001_bd3172a97833ae3d.txt", "\n\n新的一段文字。\n")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(store.GenerationWriter, "finish", interrupted)
    with pytest.raises(KeyboardInterrupt):
        Archive.open(config)
    monkeypatch.undo()
    leftovers = [p.name for p in config.index_path().iterdir() if p.name.startswith("tmp-")]
    assert leftovers == []
    archive = Archive.open(config, refresh=False)
    assert archive.ask("城市更新行动").answers[0].paragraph.id == before


def test_damaged_index_file_is_detected_and_rebuilt(make_config, corpus_copy):
    config = make_config(corpus_copy)
    folder = Archive.open(config).index.folder
    with open(folder / "post_docs.npy", "r+b") as fh:
        fh.seek(200)
        fh.write(b"\xff\xff\xff\xff")
    notices = []
    archive = Archive.open(config, notice=notices.append)
    assert notices and "damaged" in notices[0]
    assert archive.ask("城市更新行动").found


def test_garbage_index_files_are_rejected_not_loaded(make_config, corpus_copy):
    config = make_config(corpus_copy)
    folder = Archive.open(config).index.folder
    (folder / "manifest.json").write_text("not json", encoding="utf-8")
    notices = []
    assert Archive.open(config, notice=notices.append).ask("城市更新行动").found
    assert "damaged" in notices[0]


def test_tokenizer_change_rebuilds_with_a_notice(make_config, corpus_copy, tmp_path):
    config = make_config(corpus_copy)
    Archive.open(config)
    stop = tmp_path / "stop.txt"
    stop.write_text("的\n了\n", encoding="utf-8")
    cfg = config.files[-1]
    cfg.write_text(cfg.read_text(encoding="utf-8") + f"tokenizer:\n  stopwords: {stop}\n", encoding="utf-8")
    notices = []
    archive = Archive.open(load_config(cfg), notice=notices.append)
    assert any("tokenizer settings changed" in n for n in notices)
    assert archive.summary.added == 5


def test_index_arrays_load_without_pickle(make_config, corpus_copy):
    folder = Archive.open(make_config(corpus_copy)).index.folder
    for path in folder.rglob("*.npy"):
        np.load(path, allow_pickle=False)  # raises if any array needed pickle


def _build(cfg_path, queue):
    try:
        index, _ = refresh_index(load_config(cfg_path))
        queue.put(len(index))
    except BaseException as exc:  # noqa: BLE001 - report to the parent
        queue.put(repr(exc))


def test_two_processes_indexing_at_once_do_not_corrupt(make_config, corpus_copy):
    config = make_config(corpus_copy)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_build, args=(str(config.files[-1]), queue)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    results = [queue.get(timeout=5) for _ in procs]
    assert all(isinstance(r, int) and r > 0 for r in results), results
    assert results[0] == results[1]
    assert Archive.open(config, refresh=False).ask("城市更新行动").found
    assert len([p for p in os.listdir(config.index_path()) if p.startswith("g-")]) == 1


def test_missing_corpus_path_is_a_clear_error(make_config, tmp_path):
    from retrieval.errors import CorpusError

    with pytest.raises(CorpusError, match="does not exist"):
        Archive.open(make_config(tmp_path / "nowhere"))


def test_index_from_another_format_is_rebuilt_with_a_notice(make_config, corpus_copy):
    import json

    config = make_config(corpus_copy)
    folder = Archive.open(config).index.folder
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] = 0
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    notices = []
    archive = Archive.open(config, notice=notices.append)
    assert notices == ["the index format changed (a new wenbao); rebuilding the index"]
    assert archive.summary.added == 5


def test_a_reader_keeps_its_generation_while_another_process_rebuilds(make_config, corpus_copy):
    config = make_config(corpus_copy)
    reader = Archive.open(config)
    _touch_append(corpus_copy / "003_65148825f34b6c72.txt", "\n\n新的一段：图书馆延长开放时间。\n")
    writer = Archive.open(config)  # rebuilds and publishes a new generation
    assert writer.index.folder != reader.index.folder
    assert reader.ask("城市更新行动").found  # its files are still there
    reader.index.close()
    _touch_append(corpus_copy / "003_65148825f34b6c72.txt", "\n\n再一段：公园改造完成。\n")
    newest = Archive.open(config)
    generations = sorted(p.name for p in config.index_path().iterdir() if p.name.startswith("g-"))
    assert reader.index.folder.name not in generations  # released, so pruned
    assert newest.index.folder.name in generations
