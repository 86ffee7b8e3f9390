"""The headline as the quote, cited to its own line (retrieval/headline.py): a profile's
headline names the person the body only calls "这位专家"; a headline holds the count in the
unit asked. Made-up pages only."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from retrieval.paragraphs import paragraphs_from_doc
from retrieval.models import SourceDoc
from tests.conftest import archive_of_pages
from tests.test_answer_kinds import filler_pages
from tests.test_app import PARAGRAPHS, FakeArchive, ask, card_lines, make_app, settle, sync
from tui.cli import main
from tui.history import conversation_markdown

INDENT = "\u3000\u3000"

# The headline (two lines) names the person; the body never does.
PROFILE_PAGE = "\n".join([
    "全国人大代表、青湾市农科院首席研究员林秋禾",
    "让稻田长出好日子",
    "",
    f"{INDENT}清晨六点，试验田里已经有了忙碌的身影。这位专家一年有两百多天泡在田里。",
    f"{INDENT}“种子是农业的芯片。”多年来，团队培育的新品种在江北省推广种植，亩产提高了一成。",
    "",
])
PROFILE_QUESTION = "青湾市农科院的首席研究员是谁？"

# The body names the person as well: its sentence is the quote.
WELDER_PAGE = "\n".join([
    "青湾市劳动模范、高级技师赵明远",
    "一把焊枪焊出精彩人生",
    "",
    f"{INDENT}青湾市焊接技术协会会长赵明远说，焊工要耐得住寂寞，守得住初心。",
    "",
])

# The count in the unit asked is in the headline; the body has only a year.
POETS_PAGE = "\n".join([
    "石门村里诗意浓 农民诗人约60位",
    "",
    f"{INDENT}东坝乡石门村的赛诗会已经办了十多年。2018年起，石门村的赛诗会每年都有新作品。",
    "",
])

# A day is asked; the headline has only a year.
MARATHON_PAGE = "\n".join([
    "距2023年东岭马拉松开跑还有10天",
    "",
    f"{INDENT}东岭马拉松的筹备工作进入冲刺阶段，赛道沿线的志愿者已经全部到位。",
    "",
])


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    pages = {"profile.txt": PROFILE_PAGE, "welder.txt": WELDER_PAGE, "poets.txt": POETS_PAGE,
             "marathon.txt": MARATHON_PAGE}
    return archive_of_pages(tmp_path_factory.mktemp("headline"), pages | filler_pages())


def test_paragraphs_keep_their_headlines_line():
    paragraphs = paragraphs_from_doc(SourceDoc("p.txt", "\n\n" + PROFILE_PAGE))
    assert [(p.line_start, p.title_line) for p in paragraphs] == [(6, 3), (7, 3)]
    record = SourceDoc("r.jsonl", "一段没有标题的文字，说了一件事。", meta={"title": "记录的标题"}, record=0)
    assert paragraphs_from_doc(record)[0].title_line is None  # a record's title is no line of the file


def test_headline_naming_the_person_is_the_quote_cited_to_its_line(archive):
    first = archive.ask(PROFILE_QUESTION).answers[0]
    assert first.paragraph.path == "profile.txt"
    assert first.quote_in == "title" and first.quote == first.paragraph.title
    assert first.answer == "林秋禾"
    assert first.quote[slice(*first.answer_spans[0])] == "林秋禾"
    assert first.lines == (1, 1) and first.location == "profile.txt:1"


def test_body_naming_the_person_keeps_its_sentence(archive):
    first = archive.ask("青湾市焊接技术协会会长是谁？").answers[0]
    assert first.quote_in == "passage" and first.answer == "赵明远"
    assert first.lines == (4, 4)


def test_headline_holding_the_count_in_the_asked_unit_over_a_body_with_a_year(archive):
    first = archive.ask("东坝乡石门村有多少位农民诗人？").answers[0]
    assert first.quote_in == "title" and first.answer == "60位"


def test_a_year_in_the_headline_does_not_answer_which_day(archive):
    first = archive.ask("东岭马拉松哪天开跑？").answers[0]
    assert first.paragraph.path == "marathon.txt" and first.quote_in == "passage"


@pytest.mark.parametrize("engine", ["rank-bm25", "bm25s", "xapian"])
def test_every_engine_stores_the_headlines_line(engine, tmp_path, make_config):
    if engine == "xapian":
        pytest.importorskip("xapian")
    from retrieval.search import Archive

    corpus = tmp_path / "pages"
    corpus.mkdir()
    for name, text in ({"profile.txt": PROFILE_PAGE} | filler_pages(4)).items():
        (corpus / name).write_text(text, encoding="utf-8")
    archive = Archive.open(make_config(corpus, engine=engine))
    first = archive.ask(PROFILE_QUESTION).answers[0]
    assert first.paragraph.title_line == 1 and first.quote_in == "title"
    assert archive.paragraph(first.paragraph.id).title_line == 1


def _run(argv, capsys):
    code = main(argv)
    return code, capsys.readouterr().out


def test_json_says_the_quote_is_in_the_title_and_its_line(archive, capsys):
    cfg = str(archive.config.files[-1])
    code, out = _run(["ask", PROFILE_QUESTION, "--config", cfg, "--format", "json", "-k", "1"], capsys)
    first = json.loads(out)["answers"][0]
    assert code == 0 and first["quote_in"] == "title" and first["title_line"] == 1
    assert first["title"][first["quote_start"]:first["quote_start"] + len(first["quote"])] == first["quote"]
    assert first["answer"] == "林秋禾"
    code, out = _run(["ask", "青湾市焊接技术协会会长是谁？", "--config", cfg, "--format", "jsonl", "-k", "1"], capsys)
    body = json.loads(out)["answers"][0]
    assert body["quote_in"] == "passage" and body["title_line"] == 1


def test_text_and_markdown_cite_the_headlines_line(archive, capsys):
    cfg = str(archive.config.files[-1])
    _, out = _run(["ask", PROFILE_QUESTION, "--config", cfg, "-k", "1"], capsys)
    assert "profile.txt:1 (headline)" in out
    _, out = _run(["ask", PROFILE_QUESTION, "--config", cfg, "-k", "1", "--format", "markdown"], capsys)
    assert "`profile.txt:1` (headline)" in out
    assert "> 全国人大代表、青湾市农科院首席研究员林秋禾 让稻田长出好日子" in out


class HeadlineArchive(FakeArchive):
    """The fake archive, answering with its first passage's headline as the quote."""

    def ask(self, question, **kwargs):
        result = super().ask(question, **kwargs)
        first = result.answers[0]
        paragraph = replace(first.paragraph, title_line=1)
        head = replace(first, paragraph=paragraph, quote=paragraph.title, quote_start=0, quote_in="title",
                       highlights=(), answer_spans=())
        return replace(result, answers=(head,) + result.answers[1:])


@sync
async def test_chat_card_and_export_cite_the_headline(tmp_path):
    app, _ = make_app(tmp_path, HeadlineArchive())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "人才年工资是多少？")
        card = app.chat.exchanges[-1].cards[0]
        assert "headline, line 1" in card_lines(card)[0]
        assert card_lines(card)[1] == card.answer.paragraph.title
    text = conversation_markdown([HeadlineArchive(PARAGRAPHS).ask("人才年工资是多少？")])
    assert "headline, line 1" in text


def test_an_articles_headline_is_quoted_once(archive):
    answers = archive.ask(PROFILE_QUESTION, top=5).answers
    from_profile = [a for a in answers if a.paragraph.path == "profile.txt"]
    assert len(from_profile) == 2
    assert [a.quote_in for a in from_profile] == ["title", "passage"]
