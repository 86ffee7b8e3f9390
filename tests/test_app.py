"""The chat app, driven with Textual's Pilot on a small fake archive (and once on the
real bundled corpus): ask, open sources, history across restarts, filters, export,
corpus text shown literally."""

from __future__ import annotations

import asyncio
import functools
import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.widgets import Collapsible, Static

from retrieval.config import load_config
from retrieval.models import Answer, AnswerSet, Paragraph
from retrieval.periods import find_period
from tui.app import WenbaoApp, editor_command, source_file
from tui.history import HistoryStore
from tui.screens.chat import ChatScreen, QuestionInput
from tui.screens.help import HelpScreen
from tui.screens.history import ConfirmScreen, HistoryScreen
from tui.screens.source import ParagraphView, SourceScreen
from tui.widgets.answer import AnswerCard

def sync(test):
    """Run an async test with asyncio (no async pytest plugin is installed)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        asyncio.run(test(*args, **kwargs))

    return run


# --- a fake archive: same methods and return types as retrieval.search.Archive -------

MARKUP_TEXT = "会议要求[bold]加快[/]推进[@click=app.quit]城市更新[/]行动，\x1b[31m确保2022年完成。"


def _paragraph(pid: str, path: str, line: int, title: str, text: str, date: str | None,
               source: str, article: int, year: int | None = None) -> Paragraph:
    return Paragraph(id=pid, path=path, line_start=line, line_end=line + 1, title=title, date=date,
                     date_source=source, text=text, article=article,
                     year=year if year is not None else (int(date[:4]) if date else None))


PARAGRAPHS = (
    _paragraph("a1", "2021/0107.txt", 3, "我国大力推动蓝领评职称", "据新华社北京1月7日电，人力资源和社会保障部7日宣布，将大力推动蓝领参加职称评定。",
               "2021-01-07", "dateline", 1),
    _paragraph("a2", "2021/0107.txt", 6, "我国大力推动蓝领评职称", "长期以来，蓝领和白领执行两套不同的职业能力评价体系。", "2021-01-07", "dateline", 1),
    _paragraph("a3", "2021/0107.txt", 9, "我国大力推动蓝领评职称", "人社部公布的企业薪酬调查显示，高级技能人才年工资为13.56万元。", "2021-01-07", "dateline", 1),
    _paragraph("b1", "2022/0601.txt", 2, "城市建设管理工作专题会", "城市建设管理工作专题会召开，研究部署城市更新工作。", "2022-06-01", "page", 2),
    _paragraph("b2", "2022/0601.txt", 5, "城市建设管理工作专题会", MARKUP_TEXT, "2022-06-01", "page", 2),
    replace(_paragraph("c1", "2022/0601.txt", 8, "", "多年来，当地蓝领队伍不断壮大，职称评定工作稳步推进。", None, "inferred", 3),
            date_min="2018-12-01", date_max="2019-03-31", date_evidence="去年 → 2018; 猪年 → 2019"),
)
VOCAB = ("蓝领", "评价体系", "职称", "城市更新", "城市建设", "推进", "工资", "评定", "人才", "专题会")


def _spans(text: str, words) -> tuple[tuple[int, int], ...]:
    return tuple(sorted((m.start(), m.end()) for w in words for m in re.finditer(re.escape(w), text)))


def _in_range(p: Paragraph, since: str | None, until: str | None) -> bool:
    """As the engine filters: a date range that overlaps [since, until] is kept."""
    year = f"{p.year}" if p.year else None
    lo, hi = p.date or p.date_min or year, p.date or p.date_max or year
    if lo is None and hi is None:
        return not since and not until
    return (not since or hi is None or hi[: len(since)] >= since) and (not until or lo is None or lo[: len(until)] <= until)


class FakeArchive:
    """Ranks paragraphs by how many vocabulary words of the question they contain."""

    def __init__(self, paragraphs=PARAGRAPHS) -> None:
        self.paragraphs = list(paragraphs)
        self.asked: list[tuple[str, int | None, str | None, str | None]] = []

    def __len__(self) -> int:
        return len(self.paragraphs)

    def ask(self, question, *, top=None, since=None, until=None, today=None) -> AnswerSet:
        self.asked.append((question, top, since, until))
        self.today = today
        terms = tuple(w for w in VOCAB if w in question)
        scored = [(sum(p.text.count(t) for t in terms), p) for p in self.paragraphs if _in_range(p, since, until)]
        ranked = [p for score, p in sorted(scored, key=lambda sp: -sp[0]) if score > 0][: top or 3]
        answers = tuple(
            Answer(rank=rank, quote=p.text, quote_start=0, score=1.0 / rank, paragraph=p,
                   highlights=_spans(p.text, terms), answer_spans=_spans(p.text, ["13.56万元", "2022年"]),
                   passage_highlights=_spans(p.text, terms))
            for rank, p in enumerate(ranked, 1)
        )
        hint = None if answers else "未找到相关内容：try other words, or widen the dates."
        period = find_period(question, date.fromisoformat(today or "2022-06-01"))
        if period is not None:  # the real engine says how it used the period; the fake only filters
            period = replace(period, applied="ignored" if since or until else "filter")
        return AnswerSet(question=question, answers=answers, terms=terms, since=since, until=until,
                         top=top or 3, hint=hint, period=period)

    def paragraph(self, paragraph_id: str) -> Paragraph:
        for p in self.paragraphs:
            if p.id == paragraph_id:
                return p
        raise KeyError(paragraph_id)

    def article(self, paragraph_id: str) -> list[Paragraph]:
        target = self.paragraph(paragraph_id)
        return [p for p in self.paragraphs if p.path == target.path and p.article == target.article]

    def page(self, paragraph_id: str) -> list[Paragraph]:
        target = self.paragraph(paragraph_id)
        return [p for p in self.paragraphs if p.path == target.path]


def fake_config(tmp_path: Path, corpus: Path | None = None):
    base = load_config()
    return replace(base, corpus=corpus or tmp_path / "corpus", index_dir=tmp_path / "index", data_dir=tmp_path / "data")


def make_app(tmp_path: Path, archive: FakeArchive | None = None, history: HistoryStore | None = None, **kwargs):
    archive = archive if archive is not None else FakeArchive()
    app = WenbaoApp(lambda progress: archive, fake_config(tmp_path), history, **kwargs)
    return app, archive


async def settle(app, pilot) -> None:
    """Let workers finish and their results reach the screen."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def ask(app, pilot, line: str) -> None:
    question = app.chat.query_one(QuestionInput)
    question.focus()
    question.value = line
    await pilot.press("enter")
    await settle(app, pilot)


def screen_text(app) -> str:
    """What the terminal shows, as plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def card_lines(card: AnswerCard) -> list[str]:
    return card.content.plain.split("\n")


async def click_word(pilot, card: AnswerCard, word: str, line: int = 0) -> None:
    """Click on `word` in the card's first line (its links) or another line."""
    text = card_lines(card)[line]
    x = cell_len(text[: text.index(word)])
    await pilot.click(card, offset=(1 + x + 1, line))  # border-left + padding


# --- asking -------------------------------------------------------------------------


@sync
async def test_ask_shows_the_lead_quote_with_date_source_and_highlights(tmp_path):
    app, archive = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "人才年工资是多少？")
        view = app.chat.exchanges[-1]
        lead = view.cards[0]
        assert lead.answer.paragraph.id == "a3"
        assert lead.date_text == "2021-01-07" and not lead.inferred
        meta, quote_line = card_lines(lead)
        assert meta == "1  2021-01-07   2021/0107.txt · 我国大力推动蓝领评职称 · lines 9–10  open  copy"
        assert quote_line == PARAGRAPHS[2].text
        quote = lead.quote_text
        styled = {quote.plain[s.start:s.end] for s in quote.spans}
        assert {"人才", "工资", "13.56万元"} <= styled  # terms and the answer span are marked
        assert archive.asked == [("人才年工资是多少？", None, None, None)]


@sync
async def test_inferred_dates_are_marked_and_further_passages_folded(tmp_path):
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "蓝领职称评定")
        view = app.chat.exchanges[-1]
        more = view.query_one(Collapsible)
        assert more.collapsed and "2 more passages" in str(more.title) and len(view.cards) == 1
        await pilot.click(more)
        await pilot.pause()
        assert not more.collapsed and [c.answer.rank for c in more.query(AnswerCard)] == [2, 3]
        badges = {c.answer.paragraph.id: (c.date_text, c.has_class("-inferred")) for c in view.cards}
        # a point as it is; a range visibly as a range, marked like an estimate, with its evidence
        assert badges == {"a1": ("2021-01-07", False), "a2": ("2021-01-07", False), "c1": ("2018-12 … 2019-03", True)}
        c1 = next(c for c in view.cards if c.answer.paragraph.id == "c1")
        assert "猪年 → 2019" in str(c1.tooltip)


@sync
async def test_the_period_a_question_names_shows_above_its_answers_and_today_reaches_the_engine(tmp_path):
    app, archive = make_app(tmp_path, today="2020-06-30")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "去年蓝领职称评定")
        line = app.chat.exchanges[-1].query_one(".period", Static).content.plain
        assert line == "period 2019 (去年) · only passages of this period"
        assert archive.today == "2020-06-30"
        await ask(app, pilot, "蓝领职称评定")  # no period: no line
        assert not app.chat.exchanges[-1].query(".period")


@sync
async def test_no_answer_is_said_with_the_engines_hint(tmp_path):
    app, _ = make_app(tmp_path)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "火星上有什么？")
        message = app.chat.exchanges[-1].query_one(".no-answer", Static).content.plain
        assert message.startswith("No answer found.")
        assert "未找到相关内容：try other words" in message


@sync
async def test_searching_runs_while_the_index_builds_and_shows_progress(tmp_path):
    import threading

    reported, release = threading.Event(), threading.Event()
    archive = FakeArchive()

    def slow_factory(progress):
        progress("reading files", 2, 5)
        reported.set()
        release.wait(10)
        return archive

    app = WenbaoApp(slow_factory, fake_config(tmp_path))
    async with app.run_test() as pilot:
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(None, reported.wait, 10)
        await pilot.pause()
        status = app.chat.query_one("#status", Static).content.plain
        assert "Indexing corpus: reading files 2/5" in status
        question = app.chat.query_one(QuestionInput)
        question.value = "人才年工资"
        await pilot.press("enter")
        await pilot.pause()
        assert app.chat.exchanges[-1].cards == []  # still waiting, and the app still answers keys
        release.set()
        await settle(app, pilot)
        assert app.chat.exchanges[-1].cards[0].answer.paragraph.id == "a3"
        assert "6 paragraphs" in app.chat.query_one("#status", Static).content.plain


@sync
async def test_closing_the_app_stops_an_index_build_and_skipped_files_are_named(tmp_path):
    from retrieval.models import IndexSummary, SkippedFile
    from tui.app import OpenCancelled

    archive = FakeArchive()
    skipped = (SkippedFile("scan.pdf", "not a text format"), SkippedFile("bad.txt", "binary data"))
    archive.summary = IndexSummary(files=3, paragraphs=6, skipped=skipped)
    app, _ = make_app(tmp_path, archive)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        notice = app.chat.query_one(".notice", Static).content.plain
        assert notice == "2 files left out of the index: scan.pdf: not a text format; bad.txt: binary data"
        app._on_progress("Reading files", 1, 9)  # while running: no complaint
    with pytest.raises(OpenCancelled):  # once closed, the engine's next progress call ends the build
        app._on_progress("Reading files", 2, 9)


@sync
async def test_an_archive_that_cannot_open_is_reported(tmp_path):
    from retrieval.errors import CorpusError

    def broken(progress):
        raise CorpusError("/nowhere: no such corpus folder; check 'corpus' in your config")

    app = WenbaoApp(broken, fake_config(tmp_path))
    async with app.run_test() as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "人才")
        assert "no such corpus folder" in app.chat.query_one("#status", Static).content.plain
        error = app.chat.exchanges[-1].query_one(".error", Static).content.plain
        assert "no such corpus folder" in error


# --- corpus text is text ------------------------------------------------------------


@sync
async def test_markup_and_escapes_in_corpus_text_are_shown_literally(tmp_path):
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "加快推进城市更新")
        card = app.chat.exchanges[-1].cards[0]
        assert card.answer.paragraph.id == "b2"
        shown = card.content.plain
        assert "[bold]加快[/]推进[@click=app.quit]城市更新[/]" in shown
        assert "\x1b" not in shown and "\ufffd[31m" in shown
        assert "[bold]加快[/]推进[@click=app.quit]城市更新[/]" in screen_text(app)
        card.focus()
        await click_word(pilot, card, "@click", line=1)  # a click on "[@click=app.quit]" does nothing
        await pilot.pause()
        assert app.is_running


# --- selecting and opening sources --------------------------------------------------


@sync
async def test_open_a_source_highlights_the_quoted_paragraph_and_esc_returns(tmp_path):
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "蓝领和白领的评价体系")
        await pilot.press("tab")
        card = app.focused
        assert isinstance(card, AnswerCard) and card.answer.paragraph.id == "a2"
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        views = list(screen.query(ParagraphView))
        assert [v.paragraph.id for v in views] == ["a1", "a2", "a3"]
        quoted = [v for v in views if v.has_class("-quoted")]
        assert [v.paragraph.id for v in quoted] == ["a2"] and app.focused is quoted[0]
        assert "¶ 2/3 of the article" in screen.query_one("#source-status", Static).content.plain
        await pilot.press("down")
        assert app.focused.paragraph.id == "a3"
        await pilot.press("up", "up")
        assert app.focused.paragraph.id == "a1"
        await pilot.press("a")  # the whole page
        await settle(app, pilot)
        assert [v.paragraph.id for v in screen.query(ParagraphView)] == ["a1", "a2", "a3"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen) and app.focused is card


@sync
async def test_a_quote_deep_in_a_long_article_is_scrolled_into_view(tmp_path):
    long_article = [_paragraph(f"l{i}", "long.txt", 1 + 2 * i, "长文", f"第{i}段。" + "内容" * 40, "2020-05-01",
                               "dateline", 1) for i in range(40)]
    long_article[33] = replace(long_article[33], text="这一段讲到城市更新。" + "内容" * 40)
    app, _ = make_app(tmp_path, FakeArchive(long_article))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "城市更新")
        await pilot.press("tab", "enter")
        await settle(app, pilot)
        quoted = app.screen.query_one(".-quoted", ParagraphView)
        scroller = app.screen.query_one("#source")
        assert quoted.paragraph.id == "l33" and scroller.scroll_y > 0
        assert scroller.region.contains_region(quoted.region)


@sync
async def test_space_unfolds_the_further_passages_and_selects_them(tmp_path):
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "蓝领职称评定")
        await pilot.press("tab")
        assert app.focused.answer.rank == 1
        await pilot.press("space")
        await pilot.pause()
        assert not app.chat.query_one(Collapsible).collapsed and app.focused.answer.rank == 2
        await pilot.press("down")
        assert app.focused.answer.rank == 3
        await pilot.press("space")
        await pilot.pause()
        assert app.chat.query_one(Collapsible).collapsed and app.focused.answer.rank == 1


@sync
async def test_an_answer_whose_paragraph_left_the_corpus_shows_its_stored_copy(tmp_path):
    history = HistoryStore(":memory:")
    history.add(FakeArchive().ask("人才年工资"))
    app, _ = make_app(tmp_path, FakeArchive(PARAGRAPHS[:2]), history=history)  # a3 is gone
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "enter")
        await settle(app, pilot)
        assert [v.paragraph.id for v in app.screen.query(ParagraphView)] == ["a3"]
        note = app.screen.query_one(".notice", Static).content.plain
        assert "no longer in the index" in note and "copy kept with the answer" in note


@sync
async def test_the_page_view_shows_every_article_of_the_page(tmp_path):
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "专题会")
        app.chat.exchanges[-1].cards[0].focus()
        await pilot.press("o")
        await settle(app, pilot)
        assert [v.paragraph.id for v in app.screen.query(ParagraphView)] == ["b1", "b2"]
        await pilot.press("a")
        await settle(app, pilot)
        assert [v.paragraph.id for v in app.screen.query(ParagraphView)] == ["b1", "b2", "c1"]
        assert app.focused.paragraph.id == "b1"


@sync
async def test_a_double_click_opens_and_up_down_move_between_answers(tmp_path):
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "人才年工资")
        await ask(app, pilot, "专题会")
        await pilot.press("tab")
        assert app.focused.answer.paragraph.id == "b1"
        await pilot.press("up")
        assert app.focused.answer.paragraph.id == "a3"
        await pilot.press("down", "down")
        assert isinstance(app.focused, QuestionInput)
        card = app.chat.exchanges[0].cards[0]
        await pilot.double_click(card, offset=(4, 1))
        await settle(app, pilot)
        assert isinstance(app.screen, SourceScreen) and app.screen.answer.paragraph.id == "a3"


@sync
async def test_copy_puts_quote_and_citation_on_the_clipboard(tmp_path):
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "人才年工资")
        await pilot.press("tab", "c")
        assert app.clipboard == (PARAGRAPHS[2].text + "\n— 2021-01-07 · 2021/0107.txt · 我国大力推动蓝领评职称 · lines 9–10")
        await click_word(pilot, app.chat.exchanges[-1].cards[0], "open")
        await settle(app, pilot)
        assert isinstance(app.screen, SourceScreen)
        await pilot.press("down", "c")  # past the last paragraph it stays on the last
        assert app.clipboard.startswith(PARAGRAPHS[2].text)


@sync
async def test_editor_opens_the_file_at_the_line(tmp_path, monkeypatch):
    calls = []
    app, _ = make_app(tmp_path, run_editor=calls.append)
    monkeypatch.setenv("EDITOR", "code -w")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "人才年工资")
        await pilot.press("tab", "e")
        assert calls == [["code", "-w", "+9", str(tmp_path / "corpus" / "2021/0107.txt")]]
        monkeypatch.delenv("EDITOR")
        await pilot.press("e")
        assert len(calls) == 1
        assert any("$EDITOR" in n.message for n in app._notifications)


def test_editor_path_for_a_file_corpus_is_the_file(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("x", encoding="utf-8")
    assert source_file(page, "page.txt") == page
    assert source_file(tmp_path, "a/b.txt") == tmp_path / "a/b.txt"
    assert editor_command("vim", page, 12) == ["vim", "+12", str(page)]


# --- filters ------------------------------------------------------------------------


@sync
async def test_filters_change_the_results_and_show_in_the_status_line(tmp_path):
    app, archive = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "蓝领职称评定")
        assert len(app.chat.exchanges[-1].answer_set.answers) == 3
        await ask(app, pilot, "/since 2021-1")
        await ask(app, pilot, "/k 1")
        status = app.chat.query_one("#status", Static).content.plain
        assert "since 2021-01 · k 1" in status and "since 2021-01 · k 1" in app.chat.sub_title
        await ask(app, pilot, "蓝领职称评定")
        assert archive.asked[-1] == ("蓝领职称评定", 1, "2021-01", None)
        cards = app.chat.exchanges[-1].cards
        assert [c.answer.paragraph.id for c in cards] == ["a1"]  # the 2019 paragraph is filtered out
        await ask(app, pilot, "/until 2020")
        assert "is after until" in list(app.chat.query(".notice"))[-1].content.plain
        await ask(app, pilot, "/since 2021-13")
        assert "no such date" in list(app.chat.query(".notice"))[-1].content.plain
        assert app.filters.since == "2021-01" and app.filters.until is None
        await ask(app, pilot, "/clear")
        assert "no filters" in app.chat.query_one("#status", Static).content.plain
        await ask(app, pilot, "/frobnicate")
        assert "Unknown command '/frobnicate'" in list(app.chat.query(".notice"))[-1].content.plain


@sync
async def test_the_command_palette_runs_a_typed_filter(tmp_path):
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"until 2022-06")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.filters.until == "2022-06"
        await ask(app, pilot, "人才")
        await pilot.press("tab", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SourceScreen)
        await pilot.press("ctrl+p", *"filter: since")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is app.chat and app.focused.value == "/since "  # ready to finish typing


# --- history ------------------------------------------------------------------------


@sync
async def test_history_survives_a_restart_and_up_recalls_questions(tmp_path):
    path = fake_config(tmp_path).history_path()
    app, _ = make_app(tmp_path, history=HistoryStore(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "人才年工资")
        await ask(app, pilot, "火星")
    app.history.close()

    app, _ = make_app(tmp_path, history=HistoryStore(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        views = app.chat.exchanges
        assert [v.question for v in views] == ["人才年工资", "火星"]
        assert views[0].cards[0].answer.paragraph.id == "a3"
        assert views[0].cards[0].date_text == "2021-01-07"
        assert views[1].query(".no-answer")
        assert "↑ 2 earlier questions from the history" in app.chat.query_one(".notice", Static).content.plain
        await pilot.press("up")
        assert app.chat.query_one(QuestionInput).value == "火星"
        await pilot.press("up", "up", "down")
        assert app.chat.query_one(QuestionInput).value == "火星"
        await pilot.press("down")
        assert app.chat.query_one(QuestionInput).value == ""
    app.history.close()


@sync
async def test_history_view_searches_reopens_and_clears(tmp_path):
    history = HistoryStore(tmp_path / "h.sqlite")
    app, _ = make_app(tmp_path, history=history)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        for question in ("人才年工资", "专题会", "蓝领和白领"):
            await ask(app, pilot, question)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press(*"专题")
        await pilot.pause()
        assert [ex.question for ex in app.screen.found] == ["专题会"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ChatScreen)
        assert app.focused.answer.paragraph.id == "b1"
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert len(history) == 0 and app.chat.exchanges == []
        assert app.screen.found == []


# --- export and help ----------------------------------------------------------------


@sync
async def test_export_writes_every_quote_date_and_source(tmp_path):
    app, _ = make_app(tmp_path)
    target = tmp_path / "out" / "talk.md"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "/export " + str(target))
        assert "Nothing to export" in list(app.chat.query(".notice"))[-1].content.plain
        await ask(app, pilot, "蓝领职称评定")
        await ask(app, pilot, "火星")
        await ask(app, pilot, "/export " + str(target))
        assert "Cannot write" in list(app.chat.query(".notice"))[-1].content.plain  # no such folder
        target.parent.mkdir()
        await ask(app, pilot, "/export " + str(target))
        assert "Exported 2 questions" in list(app.chat.query(".notice"))[-1].content.plain
    text = target.read_text(encoding="utf-8")
    assert "## 1. 蓝领职称评定" in text and "## 2. 火星" in text
    for paragraph in (PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[5]):
        assert f"> {paragraph.text}" in text
    assert "2021-01-07 (date printed in the article's dateline) — 2021/0107.txt · 我国大力推动蓝领评职称 · lines 3–4" in text
    assert "2018-12 … 2019-03 (inferred from what the text says: 去年 → 2018; 猪年 → 2019)" in text
    assert "No answer found. 未找到相关内容" in text


@sync
async def test_help_lists_keys_and_question_mark_still_types(tmp_path):
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("?")
        assert isinstance(app.screen, ChatScreen)
        assert app.chat.query_one(QuestionInput).value == "?"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await ask(app, pilot, "人才")
        await pilot.press("tab", "?")
        assert isinstance(app.screen, HelpScreen)


def test_docs_keys_md_matches_the_help_screen():
    from tui.screens.help import keys_markdown

    keys_md = Path(__file__).resolve().parent.parent / "docs" / "keys.md"
    assert keys_md.read_text(encoding="utf-8") == keys_markdown()


# --- the real engine on the bundled corpus ------------------------------------------


@pytest.fixture
def isolated_dirs(tmp_path, monkeypatch):
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    return tmp_path


@sync
async def test_the_real_archive_answers_with_a_date_and_opens_the_source(isolated_dirs):
    from retrieval.search import Archive

    config = load_config()
    history = HistoryStore(config.history_path())
    app = WenbaoApp(lambda progress: Archive.open(config, progress=progress), config, history)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "城市建设管理工作专题会要加快推进什么行动？")
        card = app.chat.exchanges[-1].cards[0]
        assert re.fullmatch(r"≈?\d{4}-\d{2}-\d{2}|\d{4}\?", card.date_text)
        card.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        quoted = app.screen.query_one(".-quoted", ParagraphView)
        assert quoted.paragraph.id == card.answer.paragraph.id and app.focused is quoted
    assert len(history) == 1 and config.history_path().is_relative_to(isolated_dirs)
    history.close()
