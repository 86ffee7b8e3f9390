"""Stepping through the archive: a day's pages in print order, the next article, page
and day of the same paper; `wenbao show --date`."""

from __future__ import annotations

import json

import pytest

from retrieval.browse import page_number, parse_day
from retrieval.errors import QuestionError
from retrieval.models import Paragraph
from tui.cli import main


def _page(body_articles: list[tuple[str, list[str]]], front: dict[str, str] | None = None) -> str:
    head = ""
    if front:
        head = "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n"
    blocks = []
    for title, paragraphs in body_articles:
        blocks.append(title)
        blocks.extend(paragraphs)
    return head + "\n\n".join(blocks) + "\n"


@pytest.fixture
def paper(tmp_path):
    """Two papers over three days; pages named out of print order; one undated page."""
    root = tmp_path / "archive"
    pages = {
        # page numbers from the front matter; file names sort the other way round
        "晨报/b.txt": ({"date": "2021-01-07", "page": "第2版", "source": "晨报"},
                      [("农贸市场完成改造", ["新建的农贸市场今天开门营业，摊位整齐划一。"])]),
        "晨报/a.txt": ({"date": "2021-01-07", "page": "第10版", "source": "晨报"},
                      [("体育场馆向市民开放", ["全市十二座体育场馆向市民免费开放。"])]),
        "晨报/c.txt": ({"date": "2021-01-07", "page": "第1版", "source": "晨报"},
                      [("全市经济工作会议召开", ["会议总结了去年的工作，部署了今年的任务。", "会议强调要稳字当头。"]),
                       ("春运首日客流平稳", ["春运首日，火车站发送旅客三万人次。"])]),
        "晨报/d.txt": ({"date": "2021-01-05", "page": "第1版", "source": "晨报"},
                      [("新年音乐会上演", ["新年音乐会在大剧院上演，座无虚席。"])]),
        "晨报/e.txt": ({"date": "2021-01-09", "page": "第1版", "source": "晨报"},
                      [("寒潮来袭注意保暖", ["气象台发布寒潮预警，气温将下降十度。"])]),
        # another paper on the 8th only: not the next day of 晨报
        "晚报/2021-01-08-01.txt": ({"source": "晚报"}, [("夜市重新开张", ["老街夜市重新开张，游客络绎不绝。"])]),
        "旧报/未标日期.txt": (None, [("一篇没有日期的文章", ["这篇文章没有写明日期，也没有年份。"])]),
    }
    for relative, (front, articles) in pages.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_page(articles, front), encoding="utf-8")
    return root


@pytest.fixture
def archive(paper, make_config):
    from retrieval.search import Archive

    return Archive.open(make_config(paper))


def test_a_day_lists_its_pages_in_print_order_with_their_articles(archive):
    day = archive.day("2021-01-07")
    assert [p.page for p in day.pages] == ["第1版", "第2版", "第10版"]  # not b, a, c; not "10" before "2"
    front = day.pages[0]
    assert [a.title for a in front.articles] == ["全市经济工作会议召开", "春运首日客流平稳"]
    assert front.articles[0].paragraphs == 2 and front.source == "晨报"
    assert day.previous == "2021-01-05" and day.next == "2021-01-08"
    assert day.undated_pages == 1  # the page without a date is on no day, and that is said


def test_a_day_without_pages_is_empty_and_bad_days_are_refused(archive):
    assert archive.day("2021-01-06").pages == ()
    with pytest.raises(QuestionError, match="no such day"):
        archive.day("2021-02-30")
    with pytest.raises(QuestionError, match="YYYY-MM-DD"):
        archive.day("next tuesday")


def test_stepping_through_articles_pages_and_days_of_the_same_paper(archive):
    first = archive.day("2021-01-07").pages[0].articles[0].paragraph_id
    second_article = archive.neighbour(first, "article", 1)
    assert second_article.title == "春运首日客流平稳"
    assert archive.neighbour(second_article.id, "article", 1) is None  # the last article of the page
    assert archive.neighbour(first, "article", -1) is None
    # the second paragraph of the first article steps to the next article too
    inside = archive.article(first)[1]
    assert archive.neighbour(inside.id, "article", 1).id == second_article.id

    page_two = archive.neighbour(first, "page", 1)
    assert page_two.title == "农贸市场完成改造"
    assert archive.neighbour(page_two.id, "page", 1).title == "体育场馆向市民开放"
    assert archive.neighbour(first, "page", -1) is None

    assert archive.neighbour(first, "day", 1).title == "寒潮来袭注意保暖"  # 晨报's next day: the 9th, not 晚报's 8th
    assert archive.neighbour(first, "day", -1).title == "新年音乐会上演"
    undated = archive.find("旧报/未标日期.txt", 3)
    assert archive.neighbour(undated.id, "day", 1) is None and archive.neighbour(undated.id, "page", 1) is None


@pytest.mark.parametrize(("path", "page", "number"), [
    ("2021-01-07/02.txt", "", 2),
    ("1990/01/1990-01-01-03.txt", "", 3),
    ("rmrb/20210107_A03.txt", "", 3),
    ("page_aaab.txt", "", None),
    ("2021-01-07.txt", "", None),  # a date alone is no page number
    ("x/anything.txt", "第12版", 12),
])
def test_page_numbers_come_from_the_page_label_else_the_file_name(path, page, number):
    paragraph = Paragraph(id="x", path=path, line_start=1, line_end=1, title="", date=None, date_source="none",
                          text="", page=page)
    assert page_number(paragraph) == number


def test_days_are_read_in_the_usual_spellings():
    assert parse_day("2021-1-7") == parse_day("2021/01/07") == parse_day("2021年1月7日") == "2021-01-07"
    assert parse_day("20210107") == "2021-01-07"


def test_wenbao_show_date_lists_the_day_as_text_and_json(paper, make_config, capsys):
    config = str(make_config(paper).files[-1])
    assert main(["show", "--date", "2021-01-07", "--config", config]) == 0
    out = capsys.readouterr().out
    assert out.index("第1版") < out.index("第2版") < out.index("第10版")
    assert "全市经济工作会议召开" in out and "next day 2021-01-08" in out
    assert "1 page of the archive carries no exact date and is on no day" in out

    assert main(["show", "--date", "2021-01-07", "--config", config, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["date"] == "2021-01-07" and [p["page"] for p in data["pages"]] == ["第1版", "第2版", "第10版"]
    assert data["pages"][0]["articles"][0]["title"] == "全市经济工作会议召开"
    assert set(data["pages"][0]) == {"path", "record", "page", "number", "source", "date", "articles"}

    assert main(["show", "--date", "2021-01-06", "--config", config]) == 1  # no page that day
    assert "No page of the archive is dated that day" in capsys.readouterr().out
    assert main(["show", "--date", "2021-13-01", "--config", config]) == 2
    assert "2021-13-01" in capsys.readouterr().err
    assert main(["show", "--config", config]) == 2  # neither an id nor a day
