"""Each kind of question on short made-up newspaper pages: the lead quote holds what is
asked, `answer` is the asked-for value (or None), and the newspaper rules hold —
a dateline answers when, a caption never beats the body that says more, an enumeration
is quoted rather than the sentence announcing it."""

import pytest

from retrieval.answers import Query, asks_for
from retrieval.layout import looks_like_caption
from retrieval.models import Paragraph
from retrieval.rerank import Candidate, rerank
from tests.conftest import archive_of_pages

FAIR_PAGE = """新城区举办春季招聘会

本报讯 3月5日上午，新城区在区体育馆举办就业服务活动，用人单位共120家，提供岗位3600个。

其中，民营企业80家，国有企业25家，外资企业15家。

春季招聘会是新城区就业服务的重要一环。春季招聘会已连续举办十届，每届春季招聘会都吸引大批求职者。

图为新城区春季招聘会现场，求职者在体育馆排队。

区人社局局长王明介绍，今年新城区做好就业工作的措施已经确定。一是扩大岗位供给，新增公益性岗位500个。二是加强技能培训，全年培训1万人次。三是做好困难群体帮扶，做到应帮尽帮。

"""

RIVER_PAGE = """清水河治理取得新进展

新华社东州4月8日电 东州市清水河综合治理工程日前完工，河道水质明显好转。

治理期间，东州市共清理河道淤泥12万立方米，新建污水管网40公里。

如何让清水河长治久清？市水务局负责人说，要建立河长巡查制度，要加快雨污分流改造，要把沿河排污口全部纳入监管。

"""

CAPTION_PAGE = """老街换新颜

图为改造后的老街夜景。

经过一年改造，老街夜景焕然一新，改造后的老街沿街商铺增加到200家，夜间客流比改造前翻了一番，成为市民休闲的新去处。

"""



def filler_pages(count: int = 12) -> dict[str, str]:
    """Other news of other towns, so that the words of the pages above are as rare as in a real archive."""
    towns = ("北山县", "南湖区", "西岭镇", "东坝乡", "青石市", "白沙县")
    topics = (("农业", "春耕备耕", "化肥"), ("交通", "道路养护", "公交线路"), ("教育", "校舍改造", "教师培训"),
              ("文化", "图书馆", "戏曲演出"), ("卫生", "义诊活动", "家庭医生"), ("环保", "垃圾分类", "植树造林"))
    pages = {}
    for n in range(count):
        town = towns[n % len(towns)]
        body = []
        for k, (field, work, item) in enumerate(topics):
            body.append(f"{town}{field}部门召开会议，部署{work}工作，今年安排{item}项目{n + k + 3}个，"
                        f"投入资金{(n + 2) * (k + 1)}万元。")
        pages[f"2022-{n % 12 + 1:02d}-{n % 27 + 1:02d}.txt"] = f"{town}各项工作稳步推进\n\n" + "\n\n".join(body) + "\n"
    return pages


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    pages = {"2023-03-06.txt": FAIR_PAGE, "2023-04-09.txt": RIVER_PAGE, "2023-05-02.txt": CAPTION_PAGE}
    return archive_of_pages(tmp_path_factory.mktemp("kinds"), pages | filler_pages())


def lead(archive, question):
    answers = archive.ask(question)
    assert answers.found, question
    return answers.answers[0]


def test_when_question_is_answered_by_the_articles_dateline(archive):
    first = lead(archive, "新城区春季招聘会是什么时候举办的？")
    assert first.quote.startswith("本报讯 3月5日上午")
    assert first.answer == "3月5日上午"


def test_agency_dateline_answers_when_too(archive):
    first = lead(archive, "清水河综合治理工程是什么时候完工的？")
    assert "4月8日" in first.quote and first.answer == "4月8日"


def test_count_question_quotes_the_total_not_the_parts(archive):
    first = lead(archive, "新城区招聘会的用人单位共有多少家？")
    assert "共120家" in first.quote
    assert first.answer == "120家"


def test_count_answer_is_the_span_beside_the_asked_word(archive):
    first = lead(archive, "东州市新建了多少污水管网？")
    assert first.answer == "40公里"


def test_person_question_answers_with_the_name(archive):
    first = lead(archive, "谁介绍了新城区做好就业工作的措施？")
    assert "王明" in first.quote and first.answer == "王明"


def test_which_measures_quote_the_enumeration_not_the_announcement(archive):
    first = lead(archive, "新城区做好就业工作有哪些措施？")
    assert "一是扩大岗位供给" in first.quote and "二是加强技能培训" in first.quote
    assert first.answer is None  # a list has no single value


def test_how_question_quotes_the_advice_given_clause_by_clause(archive):
    first = lead(archive, "怎样让清水河长治久清？")
    assert "要建立河长巡查制度" in first.quote and "要加快雨污分流改造" in first.quote


def test_no_span_of_the_asked_kind_means_no_answer(archive):
    first = lead(archive, "春季招聘会已连续举办多少届？")  # printed as 十届: no digits, no unit span
    assert first.answer in (None, "十届")
    reason = lead(archive, "为什么每届春季招聘会都吸引大批求职者？")
    assert reason.answer is None  # a reason is quoted, never shortened to a guess


def test_caption_is_never_preferred_over_body_that_says_more(archive):
    answers = archive.ask("改造后的老街夜景怎么样？").answers
    texts = [a.paragraph.text for a in answers]
    assert any(t.startswith("图为") for t in texts)  # the caption competes …
    assert not answers[0].paragraph.text.startswith("图为")  # … and loses to the body


def test_a_caption_moves_behind_body_in_the_rerank_itself():
    def candidate(pid, text, bm25, coverage):
        paragraph = Paragraph(id=pid, path="p.txt", line_start=1, line_end=1, title="", date=None,
                              date_source="none", text=text)
        query = Query("老街夜景如何", ("老街", "夜景"), {"老街": 1.0, "夜景": 1.0}, asks_for("老街夜景如何"))
        return Candidate.of(1, paragraph, text, bm25, query, 160, coverage), query

    caption, query = candidate("c", "图为老街夜景。", 10.0, 1.0)
    body, _ = candidate("b", "老街夜景焕然一新，沿街商铺增加到200家，夜间客流翻了一番。", 4.0, 1.0)
    assert caption.caption and not body.caption
    assert [c.paragraph.id for c in rerank([caption, body], query)] == ["b", "c"]


@pytest.mark.parametrize("text, caption", [
    ("图为改造后的老街夜景。", True),
    ("▲市民在广场上跳舞。", True),
    ("活动现场气氛热烈。（图为活动现场）", True),
    ("市民在广场上跳舞。张三 摄", True),
    ("改造后的老街，图书馆为市民开放。", False),
    ("本报讯 3月5日，新城区举办招聘会。", False),
])
def test_captions_are_recognised_by_how_newspapers_print_them(text, caption):
    from retrieval.normalize import fold

    assert looks_like_caption(fold(text)) is caption


@pytest.mark.parametrize("question, kind", [
    ("有哪些措施？", "list"), ("采取了什么措施？", "list"), ("哪几个站点？", "list"),
    ("怎样做好就业工作？", "how"), ("如何让河水变清？", "how"),
    ("如何得名？", "origin"), ("有哪些特点？", "describe"), ("哪一年建成？", "time"),
])
def test_list_and_how_questions_are_told_apart(question, kind):
    assert asks_for(question) == kind


def test_answer_is_a_slice_of_the_quote(archive):
    first = lead(archive, "新城区招聘会的用人单位共有多少家？")
    start, end = first.answer_spans[0] if len(first.answer_spans) == 1 else min(
        first.answer_spans, key=lambda span: first.quote[span[0]:span[1]] != first.answer)
    assert first.quote[start:end] == first.answer


LIBRARY_PAGE = """东州大学图书馆推出新服务

在东州大学，图书馆一楼的书店是学生们的“打卡地”，1万余种新书供学生免费阅读。店内设有一面“荐购墙”，读者看中哪本书，不用花钱，到前台登记，书就入藏馆内，可供借阅。这种“读者点单，馆方买单”的模式实行一年来，已有5000多本书被借出。

东州大学图书馆馆员李华扎根基层服务三十年，被誉为“读者的引路人”。

"""


COOP_PAGE = """绣出好日子

合作社不断发展壮大，共培训800多人。我们建立了6个工作室，吸纳200多名妇女，每年人均创收8000元以上。去年11月，合作社举办了刺绣技能竞赛，台下观众热烈的掌声让大家更加自信。通过展览和电商，我们的刺绣远销各地。“背着娃，绣着花，在家就能挣钱花”，成了山里苗家绣娘们的口头禅。

"""


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    pages = {"2023-06-01.txt": LIBRARY_PAGE, "2023-06-02.txt": COOP_PAGE}
    return archive_of_pages(tmp_path_factory.mktemp("named"), pages | filler_pages())


def test_what_a_thing_is_called_quotes_the_name_in_its_quotation_marks(library):
    """The subject is named sentences before; the sentence that names the model repeats few
    of the question's words, but prints the name bound to the asked noun."""
    assert asks_for("东州大学图书馆的书店用什么模式让学生免费借新书？") == "named"
    first = lead(library, "东州大学图书馆的书店用什么模式让学生免费借新书？")
    assert "“读者点单，馆方买单”的模式" in first.quote
    assert first.answer == "读者点单，馆方买单"
    honour = lead(library, "东州大学图书馆馆员李华被誉为什么？")
    assert honour.answer == "读者的引路人"


def test_a_readers_word_finds_the_papers_word_for_the_same_thing(library):
    """"一年能挣多少钱" is printed "每年人均创收8000元": the sentence with the sum answers, not
    the slogan that repeats the question's words "挣钱" and the subject's name."""
    first = lead(library, "苗家绣娘一年人均能挣多少钱？")
    assert "每年人均创收8000元以上" in first.quote
    assert first.answer == "8000元以上" or first.answer == "8000元"
