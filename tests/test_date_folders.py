"""A folder's year (retrieval/date_folders.py): the year the self-dated pages of a folder
agree on, given to its other pages when their own text allows it, withdrawn when the
folder stops agreeing; the same in the index, `inspect`, `ask --format json` and Xapian."""

from __future__ import annotations

import json

import pytest

from retrieval.date_folders import (
    AGREEMENT,
    MIN_DATED,
    FileDating,
    folder_years,
    verdicts_from_json,
    with_folder_year,
)
from retrieval.models import Paragraph
from tests.conftest import _config_with

# A page that dates itself ("今年是新中国成立70周年" → 2019), and pages that do not.
DATED = "县里新闻{n}\n\n　　今年是新中国成立70周年。某市第{n}届读书活动日前举行，吸引市民参加。\n"
OTHER_YEAR = "建党百年{n}\n\n　　今年是中国共产党成立100周年。某市第{n}届读书活动日前举行。\n"
# Its floor is 2019 ("学习强国") and its dateline a day: the folder's 2019 makes it 2019-10-08.
UNDATED = "丰收节\n\n　　本报讯 10月8日，某县举办农民丰收节庆祝活动，村民用学习强国平台学习。\n"
# No year at all: the folder's year alone.
BARE = "乡村小景\n\n　　村里的桂花开了，村民们在树下聊天，说起今年的收成。\n"
# Its own text says 2020 or later ("疫情防控常态化"): the folder's 2019 must not touch it.
LATER = "防疫\n\n　　本报讯 3月8日，某县做好疫情防控常态化工作，村民用学习强国平台学习。\n"


def _files(dated: int, year: int = 2019, folder: str = "pages") -> list[FileDating]:
    return [FileDating(f"{folder}/d{i}.txt", year) for i in range(dated)]


def test_a_folder_whose_dated_files_agree_gets_their_year():
    verdicts = folder_years(_files(MIN_DATED) + [FileDating("pages/u.txt", None, 2018, None, True)])
    assert verdicts["pages"].year == 2019 and verdicts["pages"].agreeing == MIN_DATED


def test_too_few_dated_files_say_nothing():
    assert folder_years(_files(MIN_DATED - 1)) == {}


def test_a_folder_of_mixed_years_gets_none():
    mixed = _files(MIN_DATED) + _files(1, year=2020)  # 10 of 11 = 91 %: not 97 %
    assert MIN_DATED / (MIN_DATED + 1) < AGREEMENT
    assert folder_years(mixed)["pages"].year is None


def test_files_whose_ranges_exclude_the_year_count_against_it():
    excluding = [FileDating("pages/x.txt", None, 2020, None, True)]
    assert folder_years(_files(MIN_DATED) + excluding)["pages"].year is None
    allowing = [FileDating(f"pages/y{i}.txt", None, 2018, None, True) for i in range(50)]
    assert folder_years(_files(MIN_DATED) + allowing)["pages"].year == 2019


def test_a_small_folder_is_judged_with_its_parent():
    half = MIN_DATED // 2 + 1
    files = _files(half, folder="2019/feb") + _files(half, folder="2019/oct")
    verdicts = folder_years(files + [FileDating("2019/feb/u.txt", None)])
    assert "2019/feb" not in verdicts and verdicts["2019"].year == 2019
    paragraph = Paragraph("p", "2019/feb/u.txt", 1, 1, "", None, "none", "正文")
    assert with_folder_year(paragraph, verdicts).year == 2019


def test_a_disagreeing_folder_does_not_fall_back_to_its_parent():
    files = _files(3 * MIN_DATED, folder="a") + _files(MIN_DATED, folder="b") + _files(MIN_DATED, year=2020, folder="b")
    verdicts = folder_years(files)
    paragraph = Paragraph("p", "b/u.txt", 1, 1, "", None, "none", "正文")
    assert verdicts["b"].year is None and with_folder_year(paragraph, verdicts).year is None


def test_the_paragraph_keeps_its_range_and_says_why():
    verdicts = folder_years(_files(MIN_DATED))
    ranged = Paragraph("p", "pages/u.txt", 1, 1, "", None, "inferred", "正文",
                       date_min="2019-10-08", date_evidence="学习强国 → 2019+")
    given = with_folder_year(ranged, verdicts)
    assert (given.year, given.date, given.date_source) == (2019, "2019-10-08", "folder")
    assert (given.date_min, given.date_max) == ("2019-10-08", None)  # what the text says stays
    assert given.date_evidence == f"folder pages/: {MIN_DATED} of {MIN_DATED} files dated by their text say 2019; 学习强国 → 2019+"
    # A floor of the year alone (its 1 January) is no day.
    yearly = Paragraph("p", "pages/u.txt", 1, 1, "", None, "inferred", "正文", date_min="2019-01-01")
    assert with_folder_year(yearly, verdicts).date is None
    later = Paragraph("p", "pages/u.txt", 1, 1, "", None, "inferred", "正文", date_min="2020-03-08")
    assert with_folder_year(later, verdicts) is later


def test_stored_verdicts_that_are_not_ours_read_as_none():
    assert verdicts_from_json([["pages", "x"]]) == {}
    assert verdicts_from_json("nonsense") == {}


def _corpus(root, extra: dict[str, str] | None = None):
    corpus = root / "corpus" / "pages"
    corpus.mkdir(parents=True)
    # 40 self-dated pages: with later.txt against them, 40 of 41 = 97.6 % agree.
    pages = {f"d{n:02d}.txt": DATED.format(n=n) for n in range(40)}
    pages.update({"undated.txt": UNDATED, "bare.txt": BARE, "later.txt": LATER}, **(extra or {}))
    for name, text in pages.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus.parent


@pytest.mark.parametrize("engine", ["bm25s", "xapian"])
def test_the_index_gives_the_folder_year_and_withdraws_it(tmp_path, engine):
    if engine == "xapian":
        pytest.importorskip("xapian", reason='the Xapian bindings are not installed: pip install "wenbao[xapian]"')
    from retrieval.search import Archive

    corpus = _corpus(tmp_path)
    archive = Archive.open(_config_with(tmp_path, corpus, engine=engine))
    answers = archive.ask("丰收节庆祝活动").answers
    found = next(a.paragraph for a in answers if a.paragraph.path == "pages/undated.txt")
    assert (found.year, found.date, found.date_source) == (2019, "2019-10-08", "folder")
    assert found.date_evidence.startswith("folder pages/: 40 of 40 files dated by their text say 2019")
    later = next(a.paragraph for a in archive.ask("疫情防控常态化").answers if a.paragraph.path == "pages/later.txt")
    assert later.year is None and later.date_min == "2020-03-08"
    archive.index.close()

    # Three pages of 2021 join the folder: 40 of 44 agree, so no page gets a folder year.
    for n in range(3):
        (corpus / "pages" / f"o{n}.txt").write_text(OTHER_YEAR.format(n=n), encoding="utf-8")
    archive = Archive.open(_config_with(tmp_path, corpus, engine=engine))
    found = next(a.paragraph for a in archive.ask("丰收节庆祝活动").answers if a.paragraph.path == "pages/undated.txt")
    assert found.year is None and found.date_source == "inferred" and found.date_min == "2019-10-08"
    archive.index.close()


def test_inspect_and_ask_show_the_folder_year(tmp_path, capsys):
    from tui.cli import main

    corpus = _corpus(tmp_path)
    _config_with(tmp_path, corpus)  # writes tmp_path/config.yaml
    cfg = str(tmp_path / "config.yaml")
    assert main(["inspect", str(corpus), "--config", cfg, "--format", "jsonl"]) == 0
    rows = {row["path"]: row for row in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows["pages/undated.txt"]["year"] == 2019 and rows["pages/undated.txt"]["date_source"] == "folder"
    assert rows["pages/bare.txt"]["year"] == 2019 and rows["pages/bare.txt"]["date"] is None
    assert rows["pages/later.txt"]["year"] is None
    assert main(["ask", "丰收节庆祝活动", "--config", cfg, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    lead = data["answers"][0]
    assert lead["path"] == "pages/undated.txt" and lead["date_source"] == "folder"
    assert lead["date"] == "2019-10-08" and lead["date_evidence"].startswith("folder pages/")
    assert main(["ask", "丰收节庆祝活动", "--config", cfg]) == 0
    assert "≈2019-10-08" in capsys.readouterr().out  # an estimate is shown as one


def test_periods_and_days_go_by_the_folder_year(tmp_path):
    from retrieval.search import Archive

    archive = Archive.open(_config_with(tmp_path, _corpus(tmp_path), engine="bm25s"))
    # The bare page knows no year of its own; its folder's 2019 puts it inside October 2019.
    found = archive.ask("村里的桂花开了", since="2019-10", until="2019-10").answers
    assert [a.paragraph.path for a in found][:1] == ["pages/bare.txt"]
    # Its own range (2020-03-08 or later) keeps the later page out of 2019.
    assert not [a for a in archive.ask("疫情防控常态化", since="2019", until="2019").answers
                if a.paragraph.path == "pages/later.txt"]
    # The dateline's day, once the folder gives its year, is a day to browse.
    listing = archive.day("2019-10-08")
    assert [page.path for page in listing.pages] == ["pages/undated.txt"]
    archive.index.close()


def test_the_chat_app_marks_a_folder_year_as_an_estimate_and_says_why(tmp_path):
    from retrieval.config import load_config
    from retrieval.search import Archive
    from tests.test_app import ask, settle, sync
    from tui.app import WenbaoApp

    corpus = _corpus(tmp_path)
    _config_with(tmp_path, corpus)
    config = load_config(tmp_path / "config.yaml")

    @sync
    async def run():
        app = WenbaoApp(lambda progress: Archive.open(config, progress=progress), config)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            await ask(app, pilot, "丰收节庆祝活动")
            card = app.chat.exchanges[-1].cards[0]
            assert card.answer.paragraph.path == "pages/undated.txt"
            assert card.date_text == "≈2019-10-08" and card.has_class("-inferred")
            assert "folder pages/: 40 of 40 files dated by their text say 2019" in str(card.tooltip)

    run()


def test_a_day_no_passage_is_known_to_be_in_stays_a_search_word(tmp_path):
    # Every page is from 2019 only by its folder: "9月26日" narrows nothing for certain, so the
    # paragraph that prints the day must still win on it.
    troupe = ("乐团巡演\n\n　　今年以来，乐团已在市内演出四十场，临近国庆更加忙碌。\n\n"
              "　　9月26日，乐团赴油田演出，一曲老歌激荡回忆。\n")
    from retrieval.search import Archive

    archive = Archive.open(_config_with(tmp_path, _corpus(tmp_path, {"troupe.txt": troupe}), engine="bm25s"))
    found = archive.ask("9月26日乐团到哪里演出？")
    assert "9月26日" in found.terms
    score = {a.paragraph.line_start: a.score for a in found.answers if a.paragraph.path == "pages/troupe.txt"}
    assert score[5] > score[3]  # the paragraph that prints the day ranks above its neighbour
    archive.index.close()
