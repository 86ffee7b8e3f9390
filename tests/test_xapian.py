"""Xapian: one local database and the same corpus in 3 shards served by xapian-tcpsrv on
127.0.0.1 give the same answers; a shard that dies or stops answering is left out with a
warning (or is an error with --require-all-shards) and is used again when it is back."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from retrieval.config import load_config
from retrieval.errors import ConfigError
from retrieval.search import Archive
from tests.conftest import SAMPLE_CORPUS
from retrieval.xapian_backend import shard_of
from tui.cli import main

xapian = pytest.importorskip("xapian", reason='the Xapian bindings are not installed: pip install "wenbao[xapian]"')
TCPSRV = shutil.which("xapian-tcpsrv")
needs_tcpsrv = pytest.mark.skipif(TCPSRV is None, reason="xapian-tcpsrv is missing (Debian/Ubuntu: apt-get install xapian-tools)")

QUESTIONS = [
    "首批揭榜挂帅技术攻关的企业发放了多少补助？",
    "城市建设管理工作专题会要加快推进什么行动？",
    "奥密克戎变异株的传染性提高了多少？",
    "养老服务站",
    "青岭市哪一年开通了地铁？",
    "白河县发放了多少助学金？",
    "谁主持了青岭市科技创新大会？",
    "东湖区 新建 公园",
    "南山镇 茶叶 收入",
]
TOWNS = ["青岭市", "白河县", "东湖区", "南山镇", "西川市", "北岸县"]
THINGS = [("地铁", "开通"), ("公园", "新建"), ("茶叶", "收入"), ("助学金", "发放"), ("科技创新大会", "召开"), ("菜市场", "改造")]


def _write_made_up_pages(root: Path, pages: int = 30) -> None:
    """Made-up dated pages: a headline, a dateline, numbers, names; many files per shard."""
    for n in range(pages):
        year, month, day = 2015 + n % 6, 1 + n % 12, 1 + n % 27
        lines = []
        for a in range(3):
            town = TOWNS[(n + a) % len(TOWNS)]
            thing, verb = THINGS[(n * 3 + a) % len(THINGS)]
            lines += [f"{town}{verb}{thing}", "",
                      f"本报讯 {month}月{day}日，{town}{verb}{thing}，共计{(n + 1) * (a + 2)}项，"
                      f"投入资金{n * 7 + a + 3}万元。副市长王{'明亮静'[a]}{n % 10}主持了会议。", "",
                      f"{town}有关负责人表示，{thing}工作将惠及{(n + 5) * 100}户居民，{year}年底前完成。", ""]
        page = root / f"{year}" / f"{year}-{month:02d}-{day:02d}-{n % 4 + 1:02d}.txt"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("xapian-corpus") / "corpus"
    shutil.copytree(SAMPLE_CORPUS, root)
    _write_made_up_pages(root)
    return root


def _config(folder: Path, corpus: Path, **retrieval) -> object:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"corpus: {corpus}", f"index_dir: {folder / 'index'}", f"data_dir: {folder / 'data'}", "retrieval:"]
    lines += [f"  {key}: {value!r}".replace("'", '"') for key, value in retrieval.items()] or ["  engine: auto"]
    (folder / "config.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "config.yaml"


class ShardServer:
    """xapian-tcpsrv on 127.0.0.1 in its own process group (it forks per connection)."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder, self.port = folder, port or _free_port()
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen([TCPSRV, "--port", str(self.port), "--interface", "127.0.0.1", str(self.folder)],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True, text=True)
        for line in self.proc.stdout:  # it says so once it listens
            if line.startswith("Listening"):
                break
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()  # keep the pipe drained

    @property
    def location(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def signal(self, sig: int) -> None:
        os.killpg(self.proc.pid, sig)  # the server and the children serving open connections

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.signal(signal.SIGCONT)
            self.signal(signal.SIGKILL)
            self.proc.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory, corpus):
    """The corpus indexed as one local Xapian database and as 3 shard folders."""
    base = tmp_path_factory.mktemp("xapian-built")
    local = Archive.open(load_config(_config(base / "local", corpus, engine="xapian")))
    code = main(["index", "--config", str(_config(base / "bm25", corpus)), "--shards", "3",
                 "--index-dir", str(base / "shards")])
    assert code == 0
    return local, sorted((base / "shards").iterdir())


@pytest.fixture
def servers(built):
    running = [ShardServer(folder) for folder in built[1]]
    yield running
    for server in running:
        server.kill()


def _shard_archive(tmp_path: Path, servers, timeout: float = 2.0, **extra) -> Archive:
    cfg = _config(tmp_path / "client", Path("/nonexistent/corpus"), shards=[s.location for s in servers],
                  shard_timeout=timeout, **extra)
    return Archive.open(load_config(cfg))


def _answers(archive: Archive, question: str, **kwargs):
    result = archive.ask(question, top=10, **kwargs)
    return [(a.paragraph.id, round(a.score, 9), a.quote, a.paragraph.date) for a in result.answers]


def test_every_shard_gets_files_and_the_paragraphs_add_up(built):
    local, folders = built
    counts = [xapian.Database(str(f)).get_doccount() for f in folders]
    assert len(folders) == 3 and all(counts) and sum(counts) == len(local)


@needs_tcpsrv
def test_three_loopback_shards_answer_like_one_local_database(built, servers, tmp_path):
    local, _ = built
    remote = _shard_archive(tmp_path, servers)
    assert len(remote) == len(local) and remote.index is None  # no corpus on the client
    compared = 0
    for question in QUESTIONS:
        for dates in ({}, {"since": "2017"}, {"since": "2016-03", "until": "2019-06-30"}):
            expected = _answers(local, question, **dates)
            assert _answers(remote, question, **dates) == expected, (question, dates)
            compared += len(expected)
    assert compared > 100
    # the quote is cited from the stored paragraph: `show` works without the corpus too
    first = local.ask(QUESTIONS[0]).answers[0].paragraph
    assert remote.paragraph(first.id) == first
    assert [p.id for p in remote.article(first.id)] == [p.id for p in local.article(first.id)]


@pytest.mark.parametrize("since, until", [("2017", None), (None, "2016-06"), ("2018-02", "2018-02-28"), ("2016", "2016")])
def test_the_date_filter_keeps_the_paragraphs_whose_date_range_reaches_in(built, since, until):
    from retrieval.search import date_bound
    from retrieval.store import date_range_key

    local, _ = built
    lo, hi = date_bound(since, False, "--since"), date_bound(until, True, "--until")
    start, end = lo or 0, hi or 99991231
    for question in QUESTIONS:
        terms = local._analyse(question)[1]
        every = list(local.retriever.top(terms, 10_000))
        expected = [p.id for p, _ in every
                    if (r := date_range_key(p))[1] > 0 and r[0] <= end and r[1] >= start]
        got = [p.id for p, _ in local.retriever.top(terms, 10_000, lo, hi)]
        assert got == expected


@needs_tcpsrv
def test_a_killed_shard_is_left_out_with_a_warning_and_used_again_when_back(built, servers, tmp_path):
    local, _ = built
    archive = _shard_archive(tmp_path, servers)
    full = _answers(archive, QUESTIONS[5])
    servers[1].kill()  # between questions, with the connection to it still open
    started = time.perf_counter()
    partial = archive.ask(QUESTIONS[5], top=10)
    assert time.perf_counter() - started < 2.0
    assert partial.answers and any(servers[1].location in w for w in partial.warnings)
    assert not any(s.location in w for s in (servers[0], servers[2]) for w in partial.warnings)
    assert all(shard_of(a.paragraph.path, 3) != 1 for a in partial.answers)  # shards are sorted by name
    servers[1].start()  # back on the same port: the same Archive (the chat app) uses it again
    again = archive.ask(QUESTIONS[5], top=10)
    assert not again.warnings and _answers(archive, QUESTIONS[5]) == full == _answers(local, QUESTIONS[5])


@needs_tcpsrv
def test_a_dropped_connection_to_a_live_shard_is_made_again_without_a_warning(built, servers, tmp_path):
    archive = _shard_archive(tmp_path, servers)
    full = _answers(archive, QUESTIONS[4])
    servers[0].kill()  # a restart (or the server's idle timeout) closes the open connection
    servers[0].start()
    assert _answers(archive, QUESTIONS[4]) == full and not archive.ask(QUESTIONS[4]).warnings


@needs_tcpsrv
def test_a_shard_that_stops_answering_mid_question_costs_at_most_the_timeout(built, servers, tmp_path):
    archive = _shard_archive(tmp_path, servers, timeout=1.0)
    full = _answers(archive, QUESTIONS[6])
    servers[2].signal(signal.SIGSTOP)  # connected, but it no longer answers
    started = time.perf_counter()
    partial = archive.ask(QUESTIONS[6], top=10)
    elapsed = time.perf_counter() - started
    assert 0.9 < elapsed < 1.9, elapsed  # one timeout, not one per step
    assert any(servers[2].location in w and "timeout" in w for w in partial.warnings)
    servers[2].signal(signal.SIGCONT)
    assert _answers(archive, QUESTIONS[6]) == full and not archive.ask(QUESTIONS[6]).warnings


@needs_tcpsrv
def test_cli_warns_on_stderr_and_exits_0_or_2_with_require_all_shards(built, servers, tmp_path, capsys):
    cfg = _config(tmp_path / "cli", Path("/nonexistent"), shards=[s.location for s in servers], shard_timeout=1)
    servers[0].kill()
    assert main(["ask", QUESTIONS[0], "--config", str(cfg), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert '"found": true' in out and servers[0].location in err and "warning" in err
    [warning] = json.loads(out)["warnings"]  # and in the JSON, for programs that read only stdout
    assert servers[0].location in warning and "left out" in warning
    assert main(["ask", QUESTIONS[0], "--config", str(cfg), "--require-all-shards"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and servers[0].location in err and "require" in err
    for server in servers[1:]:
        server.kill()
    assert main(["ask", QUESTIONS[0], "--config", str(cfg)]) == 2
    assert "no shard could be searched" in capsys.readouterr().err


def test_updating_one_file_rewrites_only_its_shard(tmp_path, corpus):
    from retrieval.xapian_backend import shard_folders, write_shards

    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    config = load_config(_config(tmp_path / "cfg", copy))
    folders = shard_folders(tmp_path / "shards", 3)
    first = write_shards(Archive.open(config).index, folders)
    assert all(u.touched for u in first)
    page = sorted(copy.rglob("2016-*.txt"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "\n\n新增段落：青岭市开通了第二条地铁线路。\n", encoding="utf-8")
    second = write_shards(Archive.open(config).index, folders)
    shown = page.relative_to(copy).as_posix()
    assert [u.touched for u in second] == [i == shard_of(shown, 3) for i in range(3)]
    assert second[shard_of(shown, 3)].files_written == 1
    assert sum(u.paragraphs for u in second) == sum(u.paragraphs for u in first) + 1
    shards = Archive.open(load_config(_config(tmp_path / "client", copy, shards=[str(f) for f in folders])))
    assert "第二条地铁" in shards.ask("青岭市第二条地铁线路").answers[0].quote
    with pytest.raises(Exception, match="holds shard 2/3, not 2/2"):
        write_shards(Archive.open(config).index, shard_folders(tmp_path / "shards", 2)[:1] + [folders[1]])


def test_a_shard_written_in_parts_by_worker_processes_ranks_like_one_written_whole(tmp_path, built, monkeypatch):
    """A new database is written in parts (one per worker process) and merged by Xapian's
    compactor: the same documents, statistics and answers as one written in one go; an
    interrupted build's part folders do not survive the next one."""
    import retrieval.xapian_backend as xb

    local, _ = built
    index = local.index
    monkeypatch.setattr(xb, "_ROWS_PER_PART", 40)  # a small corpus, still several parts
    assert len(xb._parts(sorted(index.files, key=lambda e: e.start), 4)) == 4
    folder = tmp_path / "parts" / "xapian"
    leftover = tmp_path / "parts" / ".xapian.part-7"
    leftover.mkdir(parents=True)
    [update] = xb.write_shards(index, [folder], workers=2)
    assert update.paragraphs == len(index) and not leftover.exists()
    assert sorted(p.name for p in folder.parent.iterdir()) == ["xapian"]
    whole = xapian.Database(str(xb.local_folder(local.config)))
    parts = xapian.Database(str(folder))
    assert (parts.get_doccount(), parts.get_avlength(), parts.get_total_length()) == \
           (whole.get_doccount(), whole.get_avlength(), whole.get_total_length())
    retriever = xb.XapianRetriever([str(folder)], k1=local.config.k1, b=local.config.b)
    for question in QUESTIONS:
        terms = local._analyse(question)[1]
        expected = [(p.id, score) for p, score in local.retriever.top(terms, 50)]
        assert [(p.id, score) for p, score in retriever.top(terms, 50)] == expected and expected
    # the merged database is an ordinary shard: a changed file is replaced in place
    again = xb.write_shards(index, [folder])
    assert not again[0].touched


def test_a_tie_at_the_kth_place_is_cut_by_paragraph_id_in_one_database_and_in_shards(tmp_path):
    """A paragraph reprinted in many files scores the same everywhere: which of the tied
    copies make the top k must not depend on how the archive is split into databases."""
    from retrieval.xapian_backend import XapianRetriever, shard_folders, write_shards

    corpus = tmp_path / "corpus"
    for n in range(60):  # the same notice on 60 pages, each page with a different story too
        page = corpus / f"2020-{n % 12 + 1:02d}-{n % 27 + 1:02d}-{n:02d}.txt"
        page.parent.mkdir(parents=True, exist_ok=True)
        town, (thing, verb) = TOWNS[n % 6], THINGS[n % 6]
        page.write_text(f"{town}{thing}{verb}\n\n本报讯 {town}第{n}次召开{thing}会议，投入资金{n + 3}万元。\n\n"
                        "轮渡公告\n\n白鹭湾轮渡码头本周六停运检修。\n", encoding="utf-8")
    config = load_config(_config(tmp_path / "cfg", corpus))
    index = Archive.open(config).index
    local, shards = tmp_path / "one" / "xapian", shard_folders(tmp_path / "shards", 3)
    write_shards(index, [local])
    write_shards(index, shards)
    one = XapianRetriever([str(local)], k1=config.k1, b=config.b)
    split = XapianRetriever([str(f) for f in shards], k1=config.k1, b=config.b)
    terms = Archive.open(config)._analyse("白鹭湾轮渡码头停运")[1]
    for k in (1, 5, 12):
        expected = [(p.id, score) for p, score in one.top(terms, k)]
        assert len({score for _, score in expected}) == 1  # all tied: the reprinted notice
        assert expected == sorted(expected, key=lambda h: h[0])  # the cut goes by paragraph id
        assert [(p.id, score) for p, score in split.top(terms, k)] == expected


def test_a_shard_folder_that_is_missing_is_named(tmp_path, built, capsys):
    cfg = _config(tmp_path / "cli", Path("/nonexistent"), shards=[str(f) for f in built[1]] + [str(tmp_path / "gone")])
    assert main(["ask", QUESTIONS[0], "--config", str(cfg)]) == 0
    assert str(tmp_path / "gone") in capsys.readouterr().err


@pytest.mark.parametrize("shard, message", [("tcp://host", "retrieval.shards"), ("tcp://h:99999", "retrieval.shards")])
def test_a_bad_shard_address_is_a_config_error_naming_the_line(tmp_path, shard, message, capsys):
    cfg = _config(tmp_path / "bad", Path("/nonexistent"), shards=[shard])
    assert main(["ask", "问题", "--config", str(cfg)]) == 2
    assert f"{cfg}:" in capsys.readouterr().err


def test_without_the_bindings_the_message_says_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "xapian", None)  # as if not installed
    with pytest.raises(ConfigError, match=r'pip install "wenbao\[xapian\]"'):
        from retrieval.xapian_backend import import_xapian

        import_xapian()
    cfg = _config(tmp_path / "c", SAMPLE_CORPUS, engine="xapian")
    assert main(["ask", QUESTIONS[0], "--config", str(cfg)]) == 2
    assert 'pip install "wenbao[xapian]"' in capsys.readouterr().err


@needs_tcpsrv
def test_the_chat_app_names_a_missing_shard_in_its_status_line_until_it_is_back(built, servers, tmp_path):
    import asyncio

    from textual.widgets import Static

    from tests.test_app import ask
    from tui.app import WenbaoApp

    archive = _shard_archive(tmp_path, servers)
    app = WenbaoApp(lambda progress: archive, archive.config)

    def status() -> str:
        return app.chat.query_one("#status", Static).content.plain

    async def run() -> None:
        async with app.run_test(size=(160, 30)) as pilot:
            await ask(app, pilot, QUESTIONS[0])
            assert servers[0].location not in status()
            servers[0].kill()
            await ask(app, pilot, QUESTIONS[0])
            assert servers[0].location in status() and "paragraphs" in status()
            servers[0].start()  # back: the next question uses it again, no restart
            await ask(app, pilot, QUESTIONS[0])
            assert servers[0].location not in status()

    asyncio.run(run())
