"""OCR page -> articles: column breaks joined, debris dropped, headlines found."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.layout import Article, Block, is_final, split_articles
from retrieval.models import SourceDoc

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SAMPLES = sorted(CORPUS.glob("*.txt"))


def sample(prefix: str) -> SourceDoc:
    path = next(p for p in SAMPLES if p.name.startswith(prefix))
    return SourceDoc(path=path.name, text=path.read_text(encoding="utf-8"))


def page(text: str, first_line: int = 1) -> list[Article]:
    return split_articles(SourceDoc(path="made-up.txt", text=text, first_line=first_line))


def blocks(articles: list[Article]) -> list[Block]:
    return [b for a in articles for b in a.blocks]


def block_with(articles: list[Article], needle: str) -> Block:
    found = [b for b in blocks(articles) if needle in b.text]
    assert len(found) == 1, f"{needle!r} is in {len(found)} blocks"
    return found[0]


def article_with(articles: list[Article], needle: str) -> Article:
    found = [a for a in articles if any(needle in b.text for b in a.blocks)]
    assert len(found) == 1, f"{needle!r} is in {len(found)} articles"
    return found[0]


# --- the sample pages -------------------------------------------------------------


def test_column_cut_is_joined_and_keeps_its_file_lines():
    articles = split_articles(sample("000"))
    joined = block_with(articles, "人才年工资仅13.56万元。")
    assert "90%高级技能及以上技能人才年工资仅13.56万元。" in joined.text  # no space added
    assert (joined.line_start, joined.line_end) == (9, 11)
    assert joined.text.startswith("长期以来")
    assert "技术技能融合程度较高的领域实现互通尽通" in block_with(articles, "融合程").text


def test_genuine_paragraph_ends_are_kept():
    articles = split_articles(sample("000"))
    first = block_with(articles, "人社部近日印发")
    assert (first.line_start, first.line_end) == (13, 13)
    assert block_with(articles, "意见提出，淡化").line_start == 19


def test_cut_across_several_breaks_and_a_number():
    articles = split_articles(sample("000"))
    anniversary = block_with(articles, "今年是中国共产党成立100周年，是“十四五”开局之年。")
    assert (anniversary.line_start, anniversary.line_end) == (37, 41)


def test_stacked_headlines_title_the_article_that_follows():
    articles = split_articles(sample("000"))
    article = article_with(articles, "对加快城市更新行动进行再部署再安排")
    assert "大力推进城市更新行动" in article.title
    assert article.title.startswith("丁小强在城市建设管理工作专题会上强调")
    assert article.title_line == 45
    assert article.blocks[0].text.startswith("本报讯（记者 王文军）1月7日")


def test_every_article_of_a_sample_page_has_its_own_title():
    articles = split_articles(sample("000"))
    titled = [a for a in articles if a.blocks and a.title]
    assert len(titled) == 9
    assert article_with(articles, "人力资源和社会保障部7日宣布").title == "我国大力推动“蓝领”评职称、涨待遇"
    assert article_with(articles, "近日，市政府党组书记").title == "市政府党组（扩大）会议召开 储祥好主持"


def test_photo_at_the_end_of_a_page_is_its_own_small_article_without_its_credit():
    articles = split_articles(sample("000"))
    photo = article_with(articles, "汾河治理PPP项目现场1月5日施工时情形")
    assert photo.title == ""
    [caption] = photo.blocks
    assert caption.caption
    assert (caption.line_start, caption.line_end) == (139, 141)  # the caption itself was cut
    assert "宋磊" not in caption.text and all("宋磊" not in b.text for b in blocks(articles))


def test_continuation_marker_inline_is_cut_from_the_paragraph():
    articles = split_articles(sample("001"))
    article = article_with(articles, "技术攻关项目;复旦大学")
    assert article.title == "太原为20家单位颁奖并发放补助1.53亿元"
    assert article.blocks[-1].text.endswith("技术攻关项目;")
    assert (article.blocks[-1].line_start, article.blocks[-1].line_end) == (41, 43)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_debris_reaches_text_or_titles(prefix):
    articles = split_articles(sample(prefix))
    for article in articles:
        for text in [article.title] + [b.text for b in article.blocks]:
            for debris in ("下转", "上接", "(见第", "（见第", "梁琛", "宋磊", "米国伟", "晋向阳", "供稿", "#"):
                assert debris not in text, (debris, text)
    assert all("（申 波）" not in a.title and "(张波)" not in a.title for a in articles)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_blocks_are_original_text_of_their_lines(prefix):
    doc = sample(prefix)
    lines = doc.text.split("\n")
    for block in blocks(split_articles(doc)):
        assert 1 <= block.line_start <= block.line_end <= len(lines)
        first = lines[block.line_start - 1].strip().lstrip("#").strip()
        assert block.text.startswith(first[:12]) or first.startswith("(上接") or first.startswith("（上接")
        assert block.text == block.text.strip()


def test_teaser_headlines_make_a_title_only_article():
    articles = split_articles(sample("001"))
    teaser = articles[0]
    assert teaser.blocks == []
    assert teaser.title.startswith("以史为鉴,从百年党史传承优良传统 以上率下")
    assert teaser.title_line == 3


def test_caption_under_headlines_belongs_to_the_coming_article():
    articles = split_articles(sample("001"))
    article = article_with(articles, "市委人才工作会议举行。")
    assert article.title.startswith("韦韬在市委人才工作会议上强调")
    assert "加快创新高地人才高地建设" in article.title and "为全方位推动高质量发展提供坚强人才支撑" in article.title
    caption = article.blocks[0]
    assert caption.caption and caption.text == "市委人才工作会议会场。"


def test_a_trailing_credit_is_cut_and_the_sentence_around_the_photo_is_joined():
    articles = split_articles(sample("003"))
    caption = block_with(articles, "图为我市“为民创城不停步”工作推进会会场。")
    assert caption.caption and caption.text == "图为我市“为民创城不停步”工作推进会会场。"
    around = block_with(articles, "是坚持人民至上、创造高品质生活的重要责任")
    assert (around.line_start, around.line_end) == (13, 19)
    article = article_with(articles, "是坚持人民至上")
    assert "罗清宇出席并讲话 张新伟主持" in article.title
    assert "“为民创城不停步”工作推进会召开" in article.title


def test_markdown_heading_marks_and_traditional_headline():
    articles = split_articles(sample("002"))
    assert articles[0].title == "政府工作報告"
    assert articles[0].blocks[0].text.startswith("加大区域战略实施力度")
    述职 = article_with(articles, "我市召开2024年度人才工作述职会,全面总结")
    assert 述职.title == "我市召开2024年度人才工作述职会"
    signed = block_with(articles, "分别进行了现场述职。(刘阳 王馨昱)")
    assert signed.line_start == 55  # a short body sentence with its byline: body, not a headline


def test_bare_name_under_a_caption_is_a_credit():
    articles = split_articles(sample("002"))
    photo = article_with(articles, "图为3月11日,市民在城市中心公园晨练。")
    assert all(b.caption for b in photo.blocks)
    assert not any("晋向阳" in a.title for a in articles)
    assert article_with(articles, "苏景云,1935年出生").title.startswith("新中国首位女采煤队队长——苏景云")


def test_headline_stack_printed_without_blank_lines():
    articles = split_articles(sample("004"))
    article = article_with(articles, "9月20日，市委常委会召开会议")
    assert article.title.startswith("市委常委会召开会议 听取全市大气污染防治工作")
    assert article.title.endswith("韦韬主持")


def test_dateline_alone_on_a_line_runs_into_the_next():
    articles = split_articles(sample("004"))
    visit = block_with(articles, "近日，省委常委、市委书记韦韬带队走访")
    assert visit.text.startswith("本报讯（记者 殷雪鸢、梁 涛）近日")
    assert (visit.line_start, visit.line_end) == (23, 25)


def test_parenthesised_byline_stays_in_the_text_and_bare_byline_goes():
    articles = split_articles(sample("004"))
    assert block_with(articles, "奠定坚实的安全基础。").text.endswith("奠定坚实的安全基础。（申 波）")
    assert not any("张 慧" in a.title or any("张 慧" in b.text for b in a.blocks) for a in articles)
    assert article_with(articles, "9月19日以线上线下方式").title == "【双创】专业研讨会在太原举行 中德共话循环经济"


def test_see_page_teasers_in_the_middle_of_a_page():
    articles = split_articles(sample("004"))
    teasers = [a for a in articles if not a.blocks]
    assert [a.title for a in teasers] == [
        "“山西这十年” 系列主题新闻发布会 举行省发展改革委专场",
        "加快汾河流域生态保护和高质量发展倡议书",
    ]


# --- made-up pages ----------------------------------------------------------------

TRADITIONAL = """\
市委召開全體會議

本報訊（記者 王文軍）1月7日，市委召開全體會議，研究部署

全年工作。

會議指出，要堅持穩中求進。（下轉第2版）

圖為會議現場。梁琛 攝
"""


def test_traditional_character_page():
    articles = page(TRADITIONAL)
    assert articles[0].title == "市委召開全體會議"
    first = articles[0].blocks[0]
    assert first.text == "本報訊（記者 王文軍）1月7日，市委召開全體會議，研究部署全年工作。"
    assert (first.line_start, first.line_end) == (3, 5)
    assert articles[0].blocks[1].text == "會議指出，要堅持穩中求進。"
    caption = blocks(articles)[-1]
    assert caption.caption and caption.text == "圖為會議現場。"


def test_page_of_only_headlines_gives_title_only_articles():
    articles = page("头版导读\n\n改革开放再出发\n\n## 春耕备耕正当时\n")
    assert articles and all(a.blocks == [] for a in articles)
    assert "春耕备耕正当时" in articles[0].title


@pytest.mark.parametrize("text", ["", "\n\n\n", "   \n\u3000\n", "# \n---\n"])
def test_empty_page(text):
    assert page(text) == []


def test_first_line_offset_gives_true_file_lines():
    articles = page("标题\n\n本报讯 1月7日，会议召开，研究\n\n部署工作。\n", first_line=5)
    assert articles[0].title_line == 5
    block = articles[0].blocks[0]
    assert (block.line_start, block.line_end) == (7, 9)


def test_short_sentence_with_final_mark_is_body():
    articles = page("会议召开\n\n本报讯 1月7日，会议召开。\n\n会议还研究了其他事项。\n")
    assert [b.text for b in articles[0].blocks] == ["本报讯 1月7日，会议召开。", "会议还研究了其他事项。"]


def test_body_never_joins_onto_a_headline_or_across_a_dateline():
    text = "甲\n\n本报讯 1月7日，甲事发生，但是\n\n本报讯 1月8日，乙事发生。\n\n乙\n\n丙事也发生。\n"
    articles = page(text)
    assert [b.text for b in blocks(articles)] == [
        "本报讯 1月7日，甲事发生，但是", "本报讯 1月8日，乙事发生。", "丙事也发生。"]
    assert [a.title for a in articles] == ["甲", "", "乙"]


def test_a_clause_cut_short_is_not_a_headline():
    text = "会议召开\n\n本报讯 1月7日，会议召开。\n\n会议认为，过去一年，\n\n各方面工作取得了新成效。\n"
    [article] = page(text)
    assert article.blocks[-1].text == "会议认为，过去一年，各方面工作取得了新成效。"


def test_closing_quote_after_a_full_stop_ends_a_paragraph():
    text = "专访\n\n他说：“我们会做好。”\n\n第二段开始了。\n"
    [article] = page(text)
    assert len(article.blocks) == 2


def test_headline_ending_with_exclamation_over_a_dateline():
    articles = page("奋斗吧，青年！\n\n本报讯 5月4日，青年节活动举行。\n")
    assert articles[0].title == "奋斗吧，青年！"


def test_hard_wrapped_page_is_joined_back_into_paragraphs():
    body = "会议指出，要坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局，推动高质量发展。"
    paragraph = [body[i:i + 16] for i in range(0, len(body), 16)]
    text = "\n\n".join(["会议召开"] + ["\n".join(paragraph)] * 4) + "\n"
    [article] = page(text)
    assert article.title == "会议召开"
    assert [b.text for b in article.blocks] == [body] * 4


def test_markdown_rules_and_images_are_not_text():
    text = "  # 标题\n\n---\n\n![](img.png)\n\n正文第一段。\n"
    [article] = page(text)
    assert article.title == "标题"
    assert [b.text for b in article.blocks] == ["正文第一段。"]


def test_page_header_with_its_date_is_not_a_headline():
    articles = page("人民日报 2021年1月8日 星期五\n\n大会召开\n\n本报讯 1月7日，大会召开。\n")
    assert [a.title for a in articles] == ["大会召开"]


@pytest.mark.parametrize("text, final", [
    ("本报讯（记者 殷雪鸢、梁 涛）", False),
    ("会上作了发言。(刘阳 王馨昱)", True),
    ("他说:“好。”", True),
    ("叫响“运城苹果”", False),
    ("人才年工资仅13.56万元", False),
    ("项目;", True),
    ("研究部署", False),
])
def test_sentence_final(text, final):
    from retrieval.normalize import fold

    assert is_final(fold(text)) is final


def test_a_long_run_of_short_lines_is_a_list_not_headlines():
    lines = ["春风又绿江南岸", "明月何时照我还", "床前明月光", "疑是地上霜", "举头望明月", "低头思故乡", "白日依山尽"]
    articles = page("\n\n".join(["春天的诗"] + lines) + "\n")
    assert [a.title for a in articles] == ["春天的诗"]
    assert [b.text for b in articles[0].blocks] == lines  # one short paragraph each, none joined


def test_a_short_record_is_body_even_without_a_full_stop():
    [article] = split_articles(SourceDoc(path="r.jsonl", text="今日无事", record=0))
    assert [b.text for b in article.blocks] == ["今日无事"]


def test_reporter_sentence_is_not_a_dateline():
    text = "电网改造\n\n本报讯 1月7日，电网改造启动。\n\n本报记者近日从电力公司获悉，工程已过半。\n"
    [article] = page(text)
    assert len(article.blocks) == 2


def test_triangle_marks_a_caption():
    text = "会议召开\n\n本报讯 1月7日，会议召开，研究\n\n\n\n▲ 会议现场。\n\n部署工作。\n"
    [article] = page(text)
    assert [(b.text, b.caption) for b in article.blocks] == [
        ("本报讯 1月7日，会议召开，研究部署工作。", False), ("▲ 会议现场。", True)]


@pytest.mark.parametrize("line, kept_as_title", [
    ("本版编辑：李四  美编：王五", False),
    ("■本报记者 王文军", False),
    ("新华社记者 李学仁 摄", False),
    ("设计 引领未来", True),
])
def test_staff_lines_are_debris_but_look_alike_headlines_are_not(line, kept_as_title):
    articles = page(f"{line}\n\n本报讯 1月7日，会议召开。\n")
    assert (articles[0].title == line) is kept_as_title
    assert [b.text for b in blocks(articles)] == ["本报讯 1月7日，会议召开。"]
