"""The chat app on a user's own archive: a fresh cache, more paragraphs than the
worker-process threshold, the build run from the app's worker thread (where Textual has
replaced the standard streams), stopping a build, and failures said plainly. Once in a
real terminal (a pty), end to end."""

from __future__ import annotations

import asyncio
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from retrieval import indexer
from retrieval.config import load_config
from retrieval.search import Archive
from tui.app import WenbaoApp
from tui.screens.chat import QuestionInput

from .archive_gen import FACT_PAGE, FACT_QUESTION, write_archive
from .test_app import FakeArchive, fake_config, sync

BUILD_TIMEOUT = 600  # seconds: a bound for a loaded CI machine, not an expected time


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory) -> Path:
    """More paragraphs than the indexer tokenises without worker processes."""
    return write_archive(tmp_path_factory.mktemp("archive") / "paper", paragraphs=indexer._PARALLEL_FROM + 200)


async def wait_for_workers(app, pilot, timeout: float = BUILD_TIMEOUT) -> None:
    await asyncio.wait_for(app.workers.wait_for_complete(), timeout)
    await pilot.pause()


@sync
async def test_the_app_indexes_a_big_archive_on_both_cores_and_answers(big_archive, monkeypatch):
    pools = []
    start = indexer._Pool._start

    def recording_start(self, processes):
        start(self, processes)
        pools.append(self.pool is not None)

    monkeypatch.setattr(indexer._Pool, "_start", recording_start)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # worker processes even on a one-core runner
    config = load_config(corpus=str(big_archive))
    app = WenbaoApp(lambda progress: Archive.open(config, progress=progress), config)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(app, pilot)
        assert app.open_error is None and app.archive is not None
        assert pools == [True]  # the worker processes started, from the app's thread
        question = app.chat.query_one(QuestionInput)
        question.value = FACT_QUESTION
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        card = app.chat.exchanges[-1].cards[0]
        assert card.answer.paragraph.path == FACT_PAGE
        assert "四百三十七座" in card.answer.quote


def _stoppable_factory(started):
    def build(progress):
        started.set()
        for done in range(10**9):  # a build that only ends when progress raises
            progress("Tokenising paragraphs", done, 0)
    return build


@sync
async def test_esc_stops_a_build_and_the_app_answers_from_the_last_complete_index(tmp_path):
    import threading

    started = threading.Event()
    last = FakeArchive()
    app = WenbaoApp(_stoppable_factory(started), fake_config(tmp_path), last_index=lambda: last)
    async with app.run_test() as pilot:
        assert await asyncio.get_running_loop().run_in_executor(None, started.wait, 10)
        await pilot.pause()
        assert app.building and "Stop indexing" in _footer(app)
        await pilot.press("escape")
        await wait_for_workers(app, pilot, 30)
        assert not app.building and app.archive is last
        notices = [n.content.plain for n in app.chat.query(".notice")]
        assert any("answering from the last complete index" in n for n in notices)
        assert "Stop indexing" not in _footer(app)
        app.chat.query_one(QuestionInput).value = "人才年工资"
        await pilot.press("enter")
        await wait_for_workers(app, pilot, 30)
        assert app.chat.exchanges[-1].cards[0].answer.paragraph.id == "a3"


@sync
async def test_stopping_the_first_build_says_there_is_nothing_to_answer_from(tmp_path):
    import threading

    started = threading.Event()
    app = WenbaoApp(_stoppable_factory(started), fake_config(tmp_path), last_index=lambda: None)
    async with app.run_test() as pilot:
        assert await asyncio.get_running_loop().run_in_executor(None, started.wait, 10)
        await pilot.press("escape")
        await wait_for_workers(app, pilot, 30)
        assert app.archive is None and "/index starts again" in (app.open_error or "")


def _footer(app) -> str:
    from textual.widgets import Footer

    return " ".join(str(key.render()) for key in app.screen.query_one(Footer).query("FooterKey"))


@sync
async def test_a_failure_the_user_cannot_act_on_is_said_plainly_not_as_a_traceback(tmp_path):
    def broken(progress):
        raise ValueError("bad value(s) in fds_to_keep")

    app = WenbaoApp(broken, fake_config(tmp_path))
    async with app.run_test() as pilot:
        await wait_for_workers(app, pilot, 30)
        message = app.open_error or ""
        assert "unexpected error inside wenbao" in message and "wenbao index" in message
        assert "fds_to_keep" not in message and "Traceback" not in message


@sync
async def test_a_full_disk_names_the_folder_and_what_to_check(tmp_path):
    def full(progress):
        raise OSError(28, "No space left on device", str(tmp_path / "index"))

    app = WenbaoApp(full, fake_config(tmp_path))
    async with app.run_test() as pilot:
        await wait_for_workers(app, pilot, 30)
        assert "No space left on device" in app.open_error and "index_dir" in app.open_error


# --- a real terminal ------------------------------------------------------------------

_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


class Terminal:
    """`wenbao` running in a pseudo-terminal: type into it, read what it draws."""

    def __init__(self, argv: list[str], env: dict[str, str], size=(110, 32)) -> None:
        import fcntl
        import pty
        import struct
        import termios

        self.master, slave = pty.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                        start_new_session=True, close_fds=True)
        os.close(slave)
        self.seen = ""
        self._raw = b""

    def read_until(self, pattern: str, timeout: float) -> bool:
        """Read the screen output until `pattern` (a regex, escapes stripped) shows or time runs out."""
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.seen):
            left = deadline - time.monotonic()
            if left <= 0 or self.process.poll() is not None:
                return bool(re.search(pattern, self.seen))
            ready, _, _ = select.select([self.master], [], [], min(left, 1.0))
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the child closed the terminal
                    return bool(re.search(pattern, self.seen))
                self._raw += chunk
                self.seen = _ESCAPES.sub("", self._raw.decode("utf-8", "replace"))
        return True

    def type(self, text: str) -> None:
        os.write(self.master, text.encode("utf-8"))

    def close(self) -> int | None:
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return None
        finally:
            os.close(self.master)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_wenbao_chat_in_a_real_terminal_indexes_a_big_archive_and_answers(big_archive, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "NO_COLOR", "TEXTUAL"))}
    env.update(TERM="xterm-256color", XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), PYTHONUNBUFFERED="1")
    terminal = Terminal([sys.executable, "-m", "tui.cli", "chat", "--corpus", str(big_archive)], env)
    try:
        assert terminal.read_until(r"[\d,]+ paragraphs", BUILD_TIMEOUT), terminal.seen[-2000:]
        assert "Cannot open" not in terminal.seen and "unexpected error" not in terminal.seen
        terminal.type(FACT_QUESTION + "\r")
        assert terminal.read_until(re.escape(FACT_PAGE), 120), terminal.seen[-2000:]
        terminal.type("\x11")  # Ctrl+Q
        assert terminal.close() == 0
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()


# --- stepping through the archive in the app ---------------------------------------------

from .test_browse import paper  # noqa: E402,F401 - the two-paper archive fixture


async def _open_real(app, pilot) -> None:
    await wait_for_workers(app, pilot, BUILD_TIMEOUT)
    assert app.archive is not None, app.open_error


async def _run(app, pilot, line: str) -> None:
    question = app.chat.query_one(QuestionInput)
    question.focus()
    question.value = line
    await pilot.press("enter")
    await wait_for_workers(app, pilot, 60)


def _source_title(app) -> str:
    from textual.widgets import Static

    return app.screen.query_one("#source-title", Static).content.plain


@sync
async def test_day_lists_pages_in_print_order_and_the_source_view_steps_through_the_paper(paper, make_config):
    from tui.screens.day import DayScreen
    from tui.screens.source import SourceScreen

    config = make_config(paper)
    app = WenbaoApp(lambda progress: Archive.open(config, progress=progress), config)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_real(app, pilot)
        await _run(app, pilot, "/day 2021-1-7")
        assert isinstance(app.screen, DayScreen)
        assert [p.page for p in app.screen.listing.pages] == ["第1版", "第2版", "第10版"]
        assert "1 page of the archive has no exact date and is on no day" in \
            app.screen.query_one("#day-note").content.plain
        await pilot.press("down", "enter")  # the second article of the front page
        await wait_for_workers(app, pilot, 60)
        assert isinstance(app.screen, SourceScreen) and app.screen.target.title == "春运首日客流平稳"
        for key, title in (("left", "全市经济工作会议召开"), ("n", "农贸市场完成改造"), ("n", "体育场馆向市民开放"),
                           ("p", "农贸市场完成改造"), ("right_square_bracket", "寒潮来袭注意保暖"),
                           ("left_square_bracket", "全市经济工作会议召开")):
            await pilot.press(key)
            await wait_for_workers(app, pilot, 60)
            assert app.screen.target.title == title, key
            assert title in _source_title(app) and app.focused.paragraph.id == app.screen.target.id
        await pilot.press("left_square_bracket")
        await wait_for_workers(app, pilot, 60)
        assert app.screen.target.title == "新年音乐会上演"
        await pilot.press("left_square_bracket")  # nothing earlier: stay, and say so
        await wait_for_workers(app, pilot, 60)
        assert app.screen.target.title == "新年音乐会上演"
        assert any("No previous day of this paper" in str(n.message) for n in app._notifications)
        await pilot.press("escape", "escape")
        assert app.screen is app.chat
        await _run(app, pilot, "/day 2021-02-30")
        assert "no such day" in app.chat.query(".notice").last().content.plain


@sync
async def test_an_answer_opens_and_steps_to_the_next_article(paper, make_config):
    from tui.screens.source import SourceScreen

    config = make_config(paper)
    app = WenbaoApp(lambda progress: Archive.open(config, progress=progress), config)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_real(app, pilot)
        await _run(app, pilot, "火车站发送旅客多少人次？")
        card = app.chat.exchanges[-1].cards[0]
        assert card.answer.paragraph.title == "春运首日客流平稳"
        card.focus()
        await pilot.press("enter")
        await wait_for_workers(app, pilot, 60)
        assert isinstance(app.screen, SourceScreen) and app.screen.answer is not None
        await pilot.press("right")  # the last article of the page: nothing further
        await wait_for_workers(app, pilot, 60)
        assert app.screen.target.title == "春运首日客流平稳"
        await pilot.press("h")
        await wait_for_workers(app, pilot, 60)
        assert app.screen.target.title == "全市经济工作会议召开"
        assert len(app.screen.paragraphs) == 2  # the whole article of two paragraphs


@sync
async def test_slash_index_updates_the_index_and_keeps_answering_meanwhile(tmp_path):
    built = []

    def factory(progress):
        built.append(FakeArchive())
        return built[-1]

    app = WenbaoApp(factory, fake_config(tmp_path))
    async with app.run_test() as pilot:
        await wait_for_workers(app, pilot, 30)
        first = app.archive
        await _run(app, pilot, "/index")
        assert len(built) == 2 and app.archive is built[-1] is not first and not app.building
        await _run(app, pilot, "人才年工资")
        assert app.chat.exchanges[-1].cards[0].answer.paragraph.id == "a3"
