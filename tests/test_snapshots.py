"""Snapshots of the chat and source screens (pytest-textual-snapshot), on the fake
archive of test_app so every run draws the same picture. After a deliberate change of
look: `python -m pytest tests/test_snapshots.py --snapshot-update`, then check the SVGs.

`python tests/test_snapshots.py` regenerates docs/screenshot.svg (the real bundled
corpus, in a throw-away cache) and docs/keys.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pytest  # noqa: E402

from tests.test_app import make_app, settle  # noqa: E402 (the fake archive and its helpers)

from tui.screens.chat import QuestionInput  # noqa: E402
from tui.widgets.answer import AnswerCard, FoldedPassages  # noqa: E402

DOCS = Path(__file__).resolve().parent.parent / "docs"


async def type_and_submit(pilot, line: str) -> None:
    app = pilot.app
    question = app.chat.query_one(QuestionInput)
    question.focus()
    question.value = line
    await pilot.press("enter")
    await settle(app, pilot)


def conversation(*lines: str, select_lead_of: int | None = None, expand: bool = False):
    """A run_before that asks `lines` and optionally selects or unfolds answers."""

    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(app, pilot)
        steady_cursor(app)
        for line in lines:
            await type_and_submit(pilot, line)
        if expand:
            for folded in app.chat.query(FoldedPassages):
                await folded.unfold()  # returns once its answer cards are mounted
        if select_lead_of is not None:
            app.chat.exchanges[select_lead_of].query(AnswerCard).first().focus()
        await scrolled_to_the_end(pilot)

    return run_before


def steady_cursor(app) -> None:
    """Stop the question line's cursor blinking (it is then drawn hidden).

    The cursor blinks on a 0.5 s timer, so a snapshot of a screen with the question
    line focused caught it on or off depending on how long the run took: the race
    behind the 100x30 snapshot failing about half the time in a loaded full run.
    """
    app.chat.query_one(QuestionInput).cursor_blink = False


async def scrolled_to_the_end(pilot, bound: int = 100) -> None:
    """Scroll the conversation to its end once its layout has settled.

    Cards mounted a moment ago are laid out on a later refresh: scrolling before that
    stops short of the real end, which made a snapshot differ from run to run. So wait
    (a bounded number of refreshes) until the end is reached and stays put.
    """
    conversation = pilot.app.chat.conversation
    last = None
    for _ in range(bound):
        await pilot.pause()
        conversation.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        state = (conversation.max_scroll_y, conversation.scroll_y)
        if state == last and conversation.is_vertical_scroll_end:
            return
        last = state
    raise AssertionError("the conversation's layout did not settle")


def test_chat_at_80x24(snap_compare, tmp_path):
    app, _ = make_app(tmp_path)
    steps = conversation("/since 2019", "人才年工资是多少？", "蓝领职称评定怎么推进？", select_lead_of=-1)
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps)


def test_chat_with_folded_passages_open_no_answer_and_markup_at_100x30(snap_compare, tmp_path):
    app, _ = make_app(tmp_path)
    steps = conversation("/k 2", "加快推进城市更新", "火星上有什么？", expand=True)
    assert snap_compare(app, terminal_size=(100, 30), run_before=steps)


def test_period_understood_and_a_date_range_at_80x24(snap_compare, tmp_path):
    """The period line above the answers; a range badge (2018-12 … 2019-03) on the lead answer."""
    app, _ = make_app(tmp_path)
    steps = conversation("2019年以来蓝领职称评定怎么推进？")
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps)


def test_source_view_at_80x24(snap_compare, tmp_path):
    app, _ = make_app(tmp_path)

    async def open_source(pilot) -> None:
        await conversation("蓝领和白领的评价体系", select_lead_of=-1)(pilot)
        await pilot.press("enter")
        await settle(pilot.app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_source)


def _dateline_app(tmp_path):
    from tests.test_wrap import _dateline_archive

    app, _ = make_app(tmp_path, _dateline_archive())
    return app


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
def test_chinese_wraps_by_character_in_the_answer_card(snap_compare, tmp_path, size):
    steps = conversation("人才工作会议", select_lead_of=-1)
    assert snap_compare(_dateline_app(tmp_path), terminal_size=size, run_before=steps)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
def test_chinese_wraps_by_character_in_the_source_view(snap_compare, tmp_path, size):
    async def open_source(pilot) -> None:
        await conversation("人才工作会议", select_lead_of=-1)(pilot)
        await pilot.press("enter")
        await settle(pilot.app, pilot)

    assert snap_compare(_dateline_app(tmp_path), terminal_size=size, run_before=open_source)


def test_help_at_80x24(snap_compare, tmp_path):
    app, _ = make_app(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=conversation(), press=["f1"])


# --- docs/screenshot.svg and docs/keys.md ------------------------------------------


async def _docs_screenshot(target: Path) -> None:
    import os
    import tempfile

    from retrieval.config import load_config
    from retrieval.search import Archive
    from tui.app import WenbaoApp
    from tui.history import HistoryStore

    with tempfile.TemporaryDirectory() as scratch:
        for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
            os.environ[name] = str(Path(scratch) / name.lower())
        config = load_config()
        app = WenbaoApp(lambda progress: Archive.open(config, progress=progress), config, HistoryStore(":memory:"))
        async with app.run_test(size=(100, 32)) as pilot:
            await conversation(
                "首批揭榜挂帅技术攻关的企业发放了多少补助？",
                "城市建设管理工作专题会要加快推进什么行动？",
                select_lead_of=-1,
            )(pilot)
            app.save_screenshot(target.name, path=str(target.parent))


def write_docs() -> None:
    import asyncio

    from tui.screens.help import keys_markdown

    (DOCS / "keys.md").write_text(keys_markdown(), encoding="utf-8")
    asyncio.run(_docs_screenshot(DOCS / "screenshot.svg"))
    print(f"wrote {DOCS / 'keys.md'} and {DOCS / 'screenshot.svg'}")


if __name__ == "__main__":
    write_docs()
