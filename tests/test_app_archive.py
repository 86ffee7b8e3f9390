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
