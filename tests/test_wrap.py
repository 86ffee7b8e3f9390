"""Chinese text wraps like Chinese text: by character in CJK runs, Latin words whole,
no line opening with closing punctuation; in the answer cards and the source view."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from retrieval.models import Paragraph
from tui.wrap import NO_BREAK_BEFORE, break_offsets

from .test_app import FakeArchive, ask, make_app, screen_text, settle, sync

DATELINE = "本报讯（记者 孙雄）1月12日召开的市委人才工作会议上，首批揭榜挂帅技术攻关的企业获得补助，共计1.14亿元。"
MIXED = "The Central Committee 中共中央 announced the plan on Monday, 人民日报 reported on 城市更新 work."


def lines(text: str, width: int) -> list[str]:
    offsets = [0, *break_offsets(text, width), len(text)]
    return [text[a:b] for a, b in zip(offsets, offsets[1:])]


@pytest.mark.parametrize("width", [7, 10, 19, 20, 21, 33, 40, 76])
def test_cjk_fills_every_line_and_never_breaks_at_the_lone_space(width):
    out = lines(DATELINE, width)
    assert "".join(out) == DATELINE
    for line, following in zip(out, out[1:]):
        assert cell_len(line.rstrip()) <= width
        assert line[-1] != "（" and following[0] not in NO_BREAK_BEFORE
        # a line ends early only when the next character does not fit, or must not be parted
        # from what follows it (punctuation, a number such as 1.14)
        full = cell_len(line.rstrip()) + cell_len(following[0]) > width
        kept_together = following[1:2] in NO_BREAK_BEFORE or following[0].isascii()
        assert full or kept_together, (line, following)
    if width >= 20:
        assert out[0].startswith("本报讯（记者 孙")  # the lone space is no place to break


def test_latin_words_stay_whole_and_do_not_overflow():
    for width in (12, 16, 25):
        out = lines(MIXED, width)
        assert "".join(out) == MIXED
        for line in out:
            assert cell_len(line.rstrip()) <= width
        pieces = " ".join(out).split()
        for word in ("Central", "Committee", "announced", "Monday,", "reported"):
            assert word in pieces  # never cut inside


def test_a_word_longer_than_the_line_is_cut_by_character():
    out = lines("x" * 25 + " 中文", 10)
    assert out == ["x" * 10, "x" * 10, "xxxxx 中文"]


def _dateline_archive() -> FakeArchive:
    paragraph = Paragraph(id="d1", path="2022/0112.txt", line_start=4, line_end=4, title="人才工作会议召开",
                          date="2022-01-12", date_source="dateline", text=DATELINE, article=1, year=2022)
    return FakeArchive([paragraph])


@sync
async def test_answer_cards_and_the_source_view_wrap_the_dateline_by_character(tmp_path):
    app, _ = make_app(tmp_path, _dateline_archive())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "人才工作会议")
        text = screen_text(app)
        assert "本报讯（记者 孙雄）1月12日召开的市委人才工作会议上，首批揭榜挂帅技" in text  # one line, to the edge
        card = app.chat.exchanges[-1].cards[0]
        card.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        text = screen_text(app)
        assert "本报讯（记者 孙雄）1月12日召开的市委人才工作会议上，首批揭榜挂帅技术" in text
        assert "        攻关的企业获得补助，共计1.14亿元。" in text
