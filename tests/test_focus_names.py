"""A person question's name is the one beside the question's own verb (focus.anchored_near):
every verb of a story has a name beside it. Made-up paragraphs."""

from __future__ import annotations

from retrieval.answers import Query, asks_for
from retrieval.focus import anchored_near, refocus
from retrieval.models import Paragraph
from retrieval.normalize import fold

QUESTION = "王明认为高楼抛物伤人后应该由谁来查明行为人？"
HEADS = ("王明", "认为", "高楼", "抛物", "伤人", "查明", "行为人")
QUERY = Query(QUESTION, HEADS, dict.fromkeys(HEADS, 1.0), asks_for(QUESTION), HEADS)
TITLE = "如何守护头顶上的安全"


def _paragraph(line: int, text: str) -> Paragraph:
    return Paragraph(id=f"p{line}", path="page.txt", line_start=line, line_end=line, title=TITLE, date=None,
                     date_source="none", text=text)


# The expert the question names says who must find the thrower; a reader, beside the
# question's 认为, says something else.
EXPERT = _paragraph(3, "王明表示，在高楼抛物伤人的情形下，查明具体行为人应当是公安等部门的义务。")
READER = _paragraph(4, "许多读者表示，安装摄像头最直接。读者薛为民认为，高楼抛物要靠技防。")


def test_a_name_beside_another_verb_of_the_question_does_not_make_the_paragraph_answer():
    assert refocus(READER, [EXPERT, READER], QUERY, 120) == EXPERT


def test_nearness_counts_from_the_words_beside_the_question_word():
    folded = fold("他说，查明行为人的是所长李强。读者薛为民认为应当报警。")
    assert anchored_near(folded, 0, len(folded), QUERY) > 0.3  # 李强, a few characters after 查明
    reader = fold(READER.text)
    assert anchored_near(reader, 0, len(reader), QUERY) == 0.0  # 薛为民 stands beside 认为 only
    where = Query("王明在哪里工作？", ("王明", "工作"), {"王明": 1.0, "工作": 1.0}, "place", ("王明", "工作"))
    assert anchored_near(reader, 0, len(reader), where) is None  # place questions: any word counts
