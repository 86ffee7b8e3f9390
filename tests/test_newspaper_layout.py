"""How a daily paper sets an article: kicker, headline, byline, section heads, photo credits.

Made-up pages in the shape OCR gives them (body lines indented with full-width spaces,
names in bylines spaced with no-break spaces); never text from a real paper.
"""

from __future__ import annotations

from retrieval.layout import LAYOUT_VERSION, split_articles
from retrieval.models import SourceDoc
from retrieval.paragraphs import paragraphs_from_doc

NBSP = "\u00a0"
INDENT = "\u3000\u3000"

# Two reports on one page: each a kicker ending in a dash, its headline and a byline whose
# name is spaced with no-break spaces, as OCR keeps them.
REPORTS_PAGE = "\n".join([
    "新春走基层",
    "",
    f"{INDENT}探访治理中的青湾湖——",
    f"{INDENT}湖水清了 游客多了",
    f"{INDENT}本报记者{NBSP}{NBSP}林{NBSP}{NBSP}川",
    f"{INDENT}2月3日，我来到青湾湖采访。湖边的步道上游人如织。",
    f"{INDENT}几年前，青湾湖开始整治，如今水质稳定在Ⅲ类。",
    f"{INDENT}",
    f"{INDENT}跟随货车司机返乡——",
    f"{INDENT}一路都是暖心事",
    f"{INDENT}本报记者{NBSP}{NBSP}周{NBSP}{NBSP}安",
    f"{INDENT}腊月二十六，我跟着司机老郑从东港出发，一路向西。",
    f"{INDENT}服务区里，志愿者给司机们送上了热饺子。",
    "",
])

# One long article with section heads (小标题) set in its own run of text, then a new
# article after a blank line.
SECTIONS_PAGE = "\n".join([
    "为了村民的好日子（身边的榜样·扎根基层的带头人·深入开展主题教育·记者蹲点调研报告）",
    "——记东岭村党支部书记陈立",
    f"{INDENT}在东岭村，人人都知道陈立的笔记本。",
    f"{INDENT}围绕村民期盼做工作",
    f"{INDENT}2016年，陈立回村参选。选举那天，有512张选票投给了他。",
    f"{INDENT}让产业兴旺起来",
    f"{INDENT}村里办起了合作社，种下了800亩核桃。",
    "",
    "西港码头扩建完工",
    "",
    f"{INDENT}西港码头扩建工程日前完工，新增泊位6个。",
    f"{INDENT}扩建后，码头年吞吐能力提高一倍。",
    "",
])

CREDIT_PAGE = "\n".join([
    "秋收时节",
    "",
    f"{INDENT}图为10月1日，北岭乡的村民在晾晒玉米。",
    f"{INDENT}李明摄（影像北岭）",
    "",
    "果园迎来丰收",
    "",
    f"{INDENT}北岭乡的苹果园今年喜获丰收，亩产超过4000斤。",
    "",
])


def articles(text: str):
    return split_articles(SourceDoc(path="made-up.txt", text=text))


def paragraphs(text: str):
    return paragraphs_from_doc(SourceDoc(path="made-up.txt", text=text))


def test_kicker_headline_and_byline_open_the_article_they_stand_over():
    found = [a for a in articles(REPORTS_PAGE) if a.blocks]
    first, second = found
    assert first.title.endswith("探访治理中的青湾湖—— 湖水清了 游客多了")  # under the page's banner
    assert second.title == "跟随货车司机返乡—— 一路都是暖心事"
    assert first.blocks[0].text.startswith("2月3日，我来到青湾湖")  # no kicker, headline or byline glued on
    assert second.blocks[0].text.startswith("腊月二十六")
    assert not any("本报记者" in b.text for a in found for b in a.blocks)


def test_byline_with_no_break_spaces_is_not_body_text():
    page = "\n".join(["港口新闻", "", f"{INDENT}东港今年新开航线3条。", f"{INDENT}本报记者{NBSP}{NBSP}王{NBSP}{NBSP}东",
                      f"{INDENT}西港今年新增泊位2个。", ""])
    texts = [b.text for a in articles(page) for b in a.blocks]
    assert texts == ["东港今年新开航线3条。", "西港今年新增泊位2个。"]
    assert not any("本报记者" in a.title for a in articles(page))  # nor a headline


def test_section_heads_keep_the_article_and_its_headline():
    found = paragraphs(SECTIONS_PAGE)
    village = [p for p in found if p.line_start < 9]  # the lines above the blank line and the port report
    assert len({p.article for p in village}) == 1  # the section heads did not start new articles
    votes = next(p for p in village if "512张" in p.text)
    assert votes.title.startswith("为了村民的好日子")  # the article's headline travels with every section
    assert votes.title.endswith("围绕村民期盼做工作")  # and the section head with its paragraphs
    walnuts = next(p for p in village if "核桃" in p.text)
    assert walnuts.title.endswith("让产业兴旺起来") and "围绕村民期盼" not in walnuts.title


def test_a_headline_after_a_blank_line_still_opens_a_new_article():
    found = paragraphs(SECTIONS_PAGE)
    port = next(p for p in found if "新增泊位6个" in p.text)
    village = next(p for p in found if "512张" in p.text)
    assert port.article != village.article and port.title == "西港码头扩建完工"


def test_headline_with_a_long_column_tag_is_still_a_headline():
    first = next(a for a in articles(SECTIONS_PAGE) if a.blocks)
    assert first.title.startswith("为了村民的好日子（身边的榜样·扎根基层的带头人·深入开展主题教育·记者蹲点调研报告）")
    assert first.blocks[0].text == "在东岭村，人人都知道陈立的笔记本。"


def test_photo_credit_with_an_agency_tag_is_not_the_next_headline():
    found = paragraphs(CREDIT_PAGE)
    apples = next(p for p in found if "苹果园" in p.text)
    assert apples.title == "果园迎来丰收"
    assert not any("李明摄" in p.text or "李明摄" in p.title for p in found)


def test_layout_version_is_part_of_the_index_fingerprint():
    from retrieval.config import load_config
    from retrieval.indexer import index_meta
    from retrieval.tokenize import Analyzer

    config = load_config(None)
    assert f"-l{LAYOUT_VERSION}" in index_meta(config, Analyzer(config))["fingerprint"]


LIST_PAGE = "\n".join([
    "东岭区出台措施稳就业",
    "",
    f"{INDENT}东岭区日前出台稳就业措施，主要有以下几条：",
    f"{INDENT}一是扩大岗位供给，新增公益性岗位500个。",
    f"{INDENT}二是加强技能培训，全年培训1万人次。",
    f"{INDENT}三是做好困难群体帮扶。",
    f"{INDENT}区人社局表示，措施将于下月实施。",
    f"{INDENT}二是一个数字，也是一个开始。",
    "",
])


def test_list_items_set_as_paragraphs_are_one_passage_with_their_announcement():
    found = paragraphs(LIST_PAGE)
    listed = next(p for p in found if "以下几条" in p.text)
    assert "新增公益性岗位500个" in listed.text and listed.text.endswith("三是做好困难群体帮扶。")
    assert (listed.line_start, listed.line_end) == (3, 6)  # cited to every line it spans
    assert any(p.text == "区人社局表示，措施将于下月实施。" for p in found)  # the list ends with its items
    assert any(p.text.startswith("二是一个数字") for p in found)  # an item 2 with no item 1 above joins nothing


def test_a_long_title_adds_a_bounded_number_of_tokens_to_each_paragraph():
    from retrieval.indexer import TITLE_BUDGET, TITLE_WEIGHT, title_repeats

    assert title_repeats(4) == TITLE_WEIGHT  # a short headline counts in full
    assert title_repeats(12) * 12 <= TITLE_BUDGET < (title_repeats(12) + 1) * 12
    assert title_repeats(200) == 1  # never less than once
