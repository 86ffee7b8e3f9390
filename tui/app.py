"""wenbao's chat app: ask in a conversation, jump to the sources, keep a history.

    run_app(config) -> int                         what `wenbao` / `wenbao chat` calls
    WenbaoApp(archive_factory, config, history=None, *, run_editor=None, notice=None, today=None)

`archive_factory(progress) -> Archive` is called in a worker thread (at start, and again
on /index), with the engine's progress callback (stage, done, total); tests pass a fake
archive's factory. `last_index() -> Archive | None` opens the last complete index as it
is, without reading the corpus: what the app answers from when the user stops a build
(Esc). Progress raises `OpenCancelled` once the app closes or the user stops the build.
`history` is a `tui.history.HistoryStore` (default: an in-memory one); `today` (YYYY-MM-DD)
is what 今年/去年 in questions count from. `run_editor(argv)`
runs the editor while the app is suspended (tests pass a recorder). `notice` is a
message shown in the conversation at start (e.g. the history file could not be opened).

The app knows its screens; screens never import the app: they post messages
(ChatScreen.Asked, ChatScreen.CommandEntered, AnswerCard.Requested,
SourceScreen.Requested) or are given the callables they need.

Modules: screens/chat.py (conversation, input), screens/commands.py (slash commands),
screens/source.py, screens/history.py, screens/help.py, widgets/answer.py,
history.py (SQLite store).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import App, SuspendNotSupported
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.message import Message

from retrieval.browse import parse_day
from retrieval.config import Config
from retrieval.errors import WenbaoError
from retrieval.models import Answer, AnswerSet, Paragraph

from .history import HistoryError, HistoryStore, conversation_markdown
from .render import answer_citation, citation, paragraph_date, safe
from .screens.chat import ChatScreen
from .screens.commands import Command, CommandError, Filters, apply_filter, parse_command
from .screens.day import DayScreen
from .screens.help import HelpScreen
from .screens.history import ConfirmScreen, HistoryScreen
from .screens.source import SourceScreen
from .widgets.answer import AnswerCard

PROGRESS_INTERVAL = 0.1  # seconds between progress redraws
ArchiveFactory = Callable[[Callable[[str, int, int], None]], Any]


def source_file(corpus: Path, relative: str) -> Path:
    """The file a paragraph came from: a file corpus is itself, a folder holds it."""
    return corpus if corpus.is_file() else corpus / relative


def editor_command(editor: str, path: Path, line: int) -> list[str]:
    """'$EDITOR +LINE FILE', with $EDITOR split like a shell would ('code -w')."""
    return [*shlex.split(editor), f"+{line}", str(path)]


def quote_with_citation(text: str, paragraph: Paragraph, cited: str | None = None) -> str:
    """The text and where it comes from (`cited`: the citation, default the paragraph's)."""
    return f"{safe(text)}\n— {paragraph_date(paragraph)} · {safe(cited or citation(paragraph))}"


class OpenCancelled(Exception):
    """Raised in the engine's progress callback when the app closes mid-build."""


class ProgressChanged(Message):
    """The index build moved on (posted from the worker thread)."""


class Said(Message):
    """A notice from the engine for the conversation (posted from the worker thread)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def unexpected_failure(corpus: Path, exc: BaseException) -> str:
    """What to tell a user about a failure they cannot act on (a bug, not their input)."""
    return (f"wenbao could not open {safe(str(corpus))}: an unexpected error inside wenbao "
            f"({type(exc).__name__}). Nothing indexed before is lost. `wenbao index` on the command "
            "line shows the details; please report them.")


class WenbaoCommands(Provider):
    """The command palette's wenbao entries; 'since 2021' typed there runs at once."""

    def _entries(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app: WenbaoApp = self.app  # type: ignore[assignment]
        return [
            ("Filter: since a date", "only answers dated on or after it (/since)", partial(app.prefill, "/since ")),
            ("Filter: until a date", "only answers dated on or before it (/until)", partial(app.prefill, "/until ")),
            ("Filter: number of answers", "how many answers per question (/k)", partial(app.prefill, "/k ")),
            ("Clear filters", "search everything again (/clear)", partial(app.run_line, "/clear")),
            ("History", "search past questions, reopen an answer (Ctrl+R)", app.action_show_history),
            ("Export conversation", "write it as Markdown (/export FILE.md)", partial(app.prefill, "/export wenbao.md")),
            ("Clear history", "delete this corpus's stored questions (/forget)", app.action_forget_history),
            ("Help: keys and commands", "every key and command (F1)", app.action_show_help),
        ]

    async def discover(self) -> Hits:
        for title, help_text, callback in self._entries():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        app: WenbaoApp = self.app  # type: ignore[assignment]
        line = "/" + query.strip().lstrip("/")
        try:
            command = parse_command(line)
        except CommandError:
            command = None
        if command is not None and command.argument:
            yield Hit(1.0, Text(f"Run {line}"), partial(app.run_line, line), text=line, help="run this command")
        matcher = self.matcher(query)
        for title, help_text, callback in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


class WenbaoApp(App[int]):
    """The chat app. See the module docstring for the constructor."""

    CSS_PATH = "app.tcss"
    TITLE = "wenbao 问报"
    COMMANDS = App.COMMANDS | {WenbaoCommands}
    BINDINGS = [
        Binding("f1", "show_help", "Help", show=False),
        Binding("ctrl+r", "show_history", "History", show=False),
        Binding("escape", "stop_indexing", "Stop indexing"),
    ]

    def __init__(
        self,
        archive_factory: ArchiveFactory,
        config: Config,
        history: HistoryStore | None = None,
        *,
        run_editor: Callable[[list[str]], Any] | None = None,
        notice: str | None = None,
        today: str | None = None,
        last_index: Callable[[], Any] | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.today = today  # what 今年/去年 in questions count from (None: the corpus's newest date)
        self.history = history if history is not None else HistoryStore(":memory:")
        self.archive: Any = None
        self.archive_lock = threading.Lock()  # one search at a time: the engine is not thread-safe
        self.open_error: str | None = None
        self.building = False  # an index build (or load) is running in a worker thread
        self.shard_warnings: tuple[str, ...] = ()  # shards the last answer had to do without
        self.progress: tuple[str, int, int] = ("", 0, 0)
        self.filters = Filters()
        self.waiting: list[tuple[Any, Filters]] = []  # (exchange, filters) asked before the index was ready
        self._stop_requested = False
        self._progress_drawn = 0.0
        self._archive_factory = archive_factory
        self._last_index = last_index
        self._run_editor = run_editor or self._suspend_and_run
        self._notice = notice
        self.chat = ChatScreen(self.history)

    @property
    def corpus_name(self) -> str:
        return safe(self.config.corpus.name or str(self.config.corpus))

    def get_default_screen(self) -> ChatScreen:
        return self.chat

    def on_mount(self) -> None:
        if self._notice:
            self.chat.say(self._notice, error=True)
        self.start_build()

    # --- opening the archive (worker thread) --------------------------------------

    def start_build(self) -> None:
        """Open the archive, building or updating its index, in a worker thread."""
        if self.building:
            self.chat.say("The index is being built already.")
            return
        self.building, self._stop_requested, self.open_error = True, False, None
        self.progress = ("", 0, 0)
        self.refresh_status()
        self.refresh_bindings()
        self.run_worker(self._open_archive, thread=True, name="open archive", exit_on_error=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_indexing":
            return self.building and not self._stop_requested and self.screen is self.chat
        return True

    def action_stop_indexing(self) -> None:
        """Esc while indexing: stop the build; the last complete index stays in use."""
        self._stop_requested = True
        self.refresh_status()
        self.refresh_bindings()

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        """Called by the engine in the worker thread; redraws at most ten times a second.

        Never waits for the interface (post_message queues and returns), and stops the
        build once the app is closing or the user stopped it: the engine discards a
        half-written index.
        """
        if self._closing or self._closed or self._stop_requested:
            raise OpenCancelled
        self.progress = (stage, done, total)
        now = time.monotonic()
        if now - self._progress_drawn < PROGRESS_INTERVAL and not (total and done >= total):
            return
        self._progress_drawn = now
        try:
            self.post_message(ProgressChanged())
        except RuntimeError:  # the event loop is gone
            raise OpenCancelled from None

    @on(ProgressChanged)
    def _progress_changed(self) -> None:
        self.refresh_status()

    def say_from_thread(self, message: str) -> None:
        """A notice or warning from the engine (worker thread): shown in the conversation."""
        try:
            self.post_message(Said(message))
        except RuntimeError:  # the app is gone; nobody to tell
            pass

    @on(Said)
    def _said(self, message: Said) -> None:
        self.chat.say(message.text)

    def progress_text(self) -> str:
        stage, done, total = self.progress
        if self._stop_requested:
            return f"Stopping the index build of {self.corpus_name}…"
        if not stage:
            return f"Opening {self.corpus_name}…"
        return f"Indexing {self.corpus_name}: {stage} {done:,}/{total:,}" if total else f"Indexing: {stage}…"

    def _open_archive(self) -> None:
        try:
            archive = self._archive_factory(self._on_progress)
        except OpenCancelled:
            if not (self._closing or self._closed):
                self._after_stop()
            return
        except WenbaoError as exc:
            self._call_from_worker(self._open_failed, str(exc))
        except OSError as exc:  # a folder we may not write, a disk that is full: the user can act
            where = f"{exc.filename}: " if exc.filename else ""
            self._call_from_worker(self._open_failed, f"Cannot index {self.corpus_name}: {where}"
                                   f"{exc.strerror or exc}. Check free space and permissions "
                                   "(index_dir in config); the last complete index is kept.")
        except Exception as exc:  # noqa: BLE001 - a bug: say so plainly, not as a traceback
            self._call_from_worker(self._open_failed, unexpected_failure(self.config.corpus, exc))
        else:
            self._call_from_worker(self._opened, archive, None)

    def _after_stop(self) -> None:
        """The user stopped the build: answer from the last complete index, if there is one."""
        archive, note = None, "Indexing stopped; nothing was indexed before, so there is nothing to answer from. /index starts again."
        if self._last_index is not None:
            try:
                archive = self._last_index()
            except Exception:  # noqa: BLE001 - a damaged index is no index
                archive = None
        if archive is not None:
            note = ("Indexing stopped: answering from the last complete index "
                    "(files changed since are not in it). /index updates it.")
        self._call_from_worker(self._opened, archive, note)

    def _call_from_worker(self, callback: Callable[..., Any], *args: Any) -> None:
        try:
            self.call_from_thread(callback, *args)
        except RuntimeError:  # the app closed meanwhile
            pass

    async def _opened(self, archive: Any, note: str | None) -> None:
        self.building, self._stop_requested = False, False
        self.refresh_bindings()
        if archive is None:
            await self._open_failed(note or "Nothing to answer from.")
            return
        previous, self.archive = self.archive, archive
        if previous is not None and previous is not archive and hasattr(previous, "index"):
            with self.archive_lock:  # after any search still using it
                previous.index.close()  # let the writer prune its generation
        self.refresh_status()
        if note:
            self.chat.say(note)
        self._report_skipped(getattr(archive, "summary", None))
        waiting, self.waiting = self.waiting, []
        for view, filters in waiting:
            self.search(view, filters)

    def _report_skipped(self, summary: Any) -> None:
        """Files the index left out are worth a line: the user may expect answers from them."""
        skipped = getattr(summary, "skipped", ()) or ()
        if skipped:
            shown = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3])
            more = f" (and {len(skipped) - 3} more; `wenbao index` lists them)" if len(skipped) > 3 else ""
            self.chat.say(f"{len(skipped)} file{'s' if len(skipped) > 1 else ''} left out of the index: {shown}{more}")

    async def _open_failed(self, message: str) -> None:
        self.building = False
        self.refresh_bindings()
        if self.archive is None:
            self.open_error = message
        self.refresh_status()
        self.chat.say(message, error=True)
        waiting, self.waiting = self.waiting, []
        for view, _filters in waiting:
            await view.show_error(message)

    # --- the status line ----------------------------------------------------------

    def refresh_status(self) -> None:
        status = Text()
        if self.archive is None:
            status.append(self.open_error or self.progress_text(), style="bold red" if self.open_error else "")
        elif self.building:
            status.append(f"{self.corpus_name} · {len(self.archive):,} paragraphs · {self.progress_text()}")
        else:
            status.append(f"{self.corpus_name} · {len(self.archive):,} paragraphs")
        status.append("  │  ", style="dim")
        filters = self.filters.describe()
        status.append(filters, style="bold" if self.filters.active else "dim")
        if self.shard_warnings:
            status.append("  │  ", style="dim")
            status.append("⚠ " + " ".join(self.shard_warnings), style="bold yellow")
        _stage, done, total = self.progress
        self.chat.show_status(status, f"{self.corpus_name} · {filters}", (done, total) if self.building else None)

    # --- asking -------------------------------------------------------------------

    @on(ChatScreen.Asked)
    async def _asked(self, event: ChatScreen.Asked) -> None:
        if self.archive is not None:
            self.search(event.view, self.filters)
        elif self.open_error:
            await event.view.show_error(self.open_error)
        else:
            self.waiting.append((event.view, self.filters))  # asked while the index is being built

    @work(thread=True, group="ask")
    def search(self, view: Any, filters: Filters) -> None:
        try:
            with self.archive_lock:
                answer_set = self.archive.ask(view.question, top=filters.top, since=filters.since,
                                              until=filters.until, today=self.today)
        except WenbaoError as exc:
            self._call_from_worker(view.show_error, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - an engine bug must not take the conversation down
            self._call_from_worker(view.show_error, f"Search failed: {type(exc).__name__}: {exc}")
            return
        self._call_from_worker(self._answered, view, answer_set)

    async def _answered(self, view: Any, answer_set) -> None:
        warnings = tuple(answer_set.warnings)  # shards this answer had to do without (retrieval.shards)
        if warnings != self.shard_warnings:
            self.shard_warnings = warnings
            self.refresh_status()
        await self.chat.answered(view, answer_set)

    # --- filters and commands -----------------------------------------------------

    def set_filters(self, filters: Filters) -> None:
        self.filters = filters
        self.chat.filters_shown = filters.describe() if filters.active else ""
        self.refresh_status()

    async def back_to_chat(self) -> None:
        while self.screen is not self.chat and len(self.screen_stack) > 1:
            await self.pop_screen()

    async def prefill(self, text: str) -> None:
        """Put a command in the question line for the user to finish."""
        await self.back_to_chat()
        self.chat.prefill(text)

    async def run_line(self, line: str) -> None:
        command = parse_command(line)
        if command is not None:
            await self.run_command(command)

    @on(ChatScreen.CommandEntered)
    async def _command_entered(self, event: ChatScreen.CommandEntered) -> None:
        await self.run_command(event.command)

    async def run_command(self, command: Command) -> None:
        if command.name in ("since", "until", "k", "clear"):
            try:
                self.set_filters(apply_filter(self.filters, command))
            except CommandError as exc:
                self.chat.say(str(exc), error=True)
                return
            self.chat.say(f"Filters: {self.filters.describe()}")
        elif command.name == "day":
            self.show_day(command.argument)
        elif command.name == "index":
            self.start_build()
        elif command.name == "export":
            self.export_conversation(command.argument)
        elif command.name == "history":
            self.action_show_history()
        elif command.name == "forget":
            self.action_forget_history()
        elif command.name == "help":
            self.action_show_help()
        elif command.name == "quit":
            self.exit(0)

    def export_conversation(self, argument: str) -> None:
        if not argument:
            self.chat.say("Give a file name: /export conversation.md", error=True)
            return
        path = Path(os.path.expanduser(argument))
        answer_sets: list[AnswerSet] = [v.answer_set for v in self.chat.exchanges if v.answer_set is not None]
        if not answer_sets:
            self.chat.say("Nothing to export yet: ask a question first.", error=True)
            return
        try:
            path.write_text(conversation_markdown(answer_sets, str(self.config.corpus)), encoding="utf-8")
        except OSError as exc:
            self.chat.say(f"Cannot write {path}: {exc.strerror or exc}", error=True)
            return
        self.chat.say(f"Exported {len(answer_sets)} question{'s' if len(answer_sets) > 1 else ''} to {path}")

    def show_day(self, argument: str) -> None:
        """/day DATE: that day's pages and articles, to choose one and read it."""
        if not argument:
            self.chat.say("Give a day: /day 2021-01-07", error=True)
            return
        try:
            day = parse_day(argument)
        except WenbaoError as exc:
            self.chat.say(f"/day {exc}", error=True)
            return
        if self.archive is None:
            self.chat.say(self.open_error or "The index is still being built; try /day again in a moment.",
                          error=True)
            return
        self._load_day(day)

    @work(thread=True, exclusive=True, group="day")
    def _load_day(self, day: str) -> None:
        try:
            with self.archive_lock:
                listing = self.archive.day(day)
        except Exception as exc:  # noqa: BLE001 - an engine bug must not take the app down
            self._call_from_worker(self.chat.say, f"Cannot list {day}: {type(exc).__name__}: {exc}", error=True)
            return
        self._call_from_worker(self._day_loaded, listing)

    def _day_loaded(self, listing: Any) -> None:
        if isinstance(self.screen, DayScreen):
            self.screen.show_listing(listing)
        else:
            self.push_screen(DayScreen(listing, self._load_day, self.open_paragraph))

    # --- screens ------------------------------------------------------------------

    def action_show_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_show_history(self) -> None:
        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen(self.history), self._reopen)

    async def _reopen(self, exchange) -> None:
        if exchange is not None:
            await self.back_to_chat()
            await self.chat.reopen(exchange.id, exchange.answer_set)

    def action_forget_history(self) -> None:
        count = len(self.history)
        question = f"Delete all {count} questions and answers kept for {self.corpus_name}? This cannot be undone."
        self.push_screen(ConfirmScreen(question), self._forget)

    async def _forget(self, yes: bool | None) -> None:
        if not yes:
            return
        try:
            self.history.clear()
        except HistoryError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if isinstance(self.screen, HistoryScreen):
            self.screen.refresh_list("")
        await self.chat.clear_conversation()
        self.chat.say("History cleared.")

    # --- answers: open, copy, edit ------------------------------------------------

    @on(AnswerCard.Requested)
    def _answer_requested(self, event: AnswerCard.Requested) -> None:
        self.handle_request(event.action, event.answer)

    @on(SourceScreen.Requested)
    def _source_requested(self, event: SourceScreen.Requested) -> None:
        if event.action == "copy":
            self.copy_paragraph(event.paragraph)
        elif event.action == "edit":
            self.open_in_editor(event.paragraph)

    def handle_request(self, action: str, answer: Answer) -> None:
        if action == "open":
            self.open_source(answer)
        elif action == "copy":
            self.copy_text(quote_with_citation(answer.quote, answer.paragraph, answer_citation(answer)),
                           "quote and its source")
        elif action == "edit":
            self.open_in_editor(answer.paragraph)

    def open_source(self, answer: Answer, scope: str = "article") -> None:
        self.push_screen(SourceScreen(answer, self.load_paragraphs, scope, step=self.neighbour))

    def open_paragraph(self, paragraph_id: str) -> None:
        """Any paragraph in its article (from the day listing)."""
        if self.archive is None:
            return
        with self.archive_lock:
            paragraph = self.archive.paragraph(paragraph_id)
        self.push_screen(SourceScreen(None, self.load_paragraphs, paragraph=paragraph, step=self.neighbour))

    def neighbour(self, paragraph_id: str, unit: str, step: int) -> Paragraph | None:
        """The next/previous article, page or day (called from a worker thread)."""
        if self.archive is None:
            raise RuntimeError(self.open_error or "the index is still being opened; try again in a moment")
        with self.archive_lock:
            return self.archive.neighbour(paragraph_id, unit, step)

    def load_paragraphs(self, scope: str, paragraph_id: str) -> list[Paragraph]:
        """The article or page around a paragraph (called from a worker thread)."""
        if self.archive is None:
            raise RuntimeError(self.open_error or "the index is still being opened; try again in a moment")
        with self.archive_lock:
            return self.archive.page(paragraph_id) if scope == "page" else self.archive.article(paragraph_id)

    def copy_paragraph(self, paragraph: Paragraph) -> None:
        self.copy_text(quote_with_citation(paragraph.text, paragraph), "paragraph and its source")

    def copy_text(self, text: str, what: str) -> None:
        self.copy_to_clipboard(text)  # OSC 52: works over SSH in most terminals
        self.notify(f"Copied the {what} to the clipboard.", markup=False)

    def open_in_editor(self, paragraph: Paragraph) -> None:
        editor = os.environ.get("EDITOR", "").strip()
        if not editor:
            self.notify("Set $EDITOR to open sources in your editor (e.g. export EDITOR=vim).",
                        severity="warning", markup=False)
            return
        path = source_file(self.config.corpus, paragraph.path)
        try:
            self._run_editor(editor_command(editor, path, paragraph.line_start))
        except (OSError, ValueError, subprocess.SubprocessError) as exc:
            self.notify(f"Cannot run the editor ({editor}): {exc}", severity="error", markup=False)
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor.", severity="error", markup=False)

    def _suspend_and_run(self, argv: list[str]) -> None:
        with self.suspend():
            subprocess.run(argv, check=False)
        self.refresh()


def run_app(config: Config, today: str | None = None) -> int:
    """Open the chat app on `config.corpus`; returns the exit status.

    `today` (YYYY-MM-DD): what 今年/去年 in questions count from (default: the corpus's newest date).
    """
    from retrieval.search import Archive

    notice = None
    try:
        history = HistoryStore(config.history_path())
    except HistoryError as exc:
        history, notice = HistoryStore(":memory:"), f"{exc}. This session's questions will not be kept."
    app = WenbaoApp(
        lambda progress: Archive.open(config, progress=progress, warn=app.say_from_thread, notice=app.say_from_thread),
        config, history, notice=notice, today=today, last_index=lambda: Archive.last_built(config),
    )
    try:
        result = app.run()
    finally:
        history.close()
    return result if isinstance(result, int) else (app.return_code or 0)
