"""From a ranked paragraph to the quote that answers: sentences, spans, highlights.

`compose_answer` picks the one or two sentences of a paragraph that carry most of the
question's words, weighted by idf and by how few of the paragraph's sentences hold them
(the article's subject, named everywhere or in its title, tells sentences apart least),
plus the share of the question's character pairs. When the question asks for a number,
a time, a person, a place, a reason, an alias or a name's origin, a sentence holding
such a span is preferred and the span is marked. All offsets are into the original
text: matching runs on the folded copy, which has the same length (normalize.py).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

from .models import Answer, Paragraph
from .normalize import fold
from .relations import NAMED_PLACES, relations_asked
from .weights import WINDOW_WEIGHTS

# The things a paper gives a name to and prints it in quotation marks ("这种“你选书，我买单”的模式").
NAMED_NOUNS = "(?:模式|口号|称号|理念|机制|名号|绰号|外号|美誉|品牌|主题|标语|宗旨|座右铭|格言|荣誉|头衔)"
# What the question asks for, tried in this order (哪一年 is a time, not a number; 誉为什么 a name, not a reason).
_ASKS = (
    ("alias", re.compile(r"又(?:叫|称|名)|别(?:名|称)|原名|简称|俗称|全称|本名|旧称|也(?:叫|称)|原来的名字|(?:叫|称)(?:之)?(?:做|作|为)?什么|又被(?:叫|称)")),
    ("time", re.compile(r"什么时候|何时|几时|哪天|哪一天|哪年|哪一年|几月|几号|几日|哪个月|什么时间|哪一时期|日期|年份|多少年前")),
    ("number", re.compile(r"多少|(?<!哪)几[个名家项次人岁年天位种所条批件台辆座户倍万亿千百届期]?|多大|多高|多长|多重|多远|多久|多深|多宽|比例|百分之")),
    ("person", re.compile(r"谁|哪位|哪个人|什么人|何人|姓名|名字叫")),
    ("place", re.compile(r"哪里|在哪|哪儿|何地|何处|什么地方|哪个(?:省|市|县|区|国家|城市|地区|地方)|哪座|位于")),
    # a name given to a thing (a model, a slogan, a title of honour): newspapers print it in
    # quotation marks — "这种“你选书，我买单”的模式", "被誉为“…”"
    ("named", re.compile(rf"什么(?:样的)?{NAMED_NOUNS}|(?:誉|评)为什么")),
    ("origin", re.compile(r"由来|怎么来的|如何得名|为什么叫|为何叫|名字的来源|名称的来源|为什么被称为|为何被称为")),
    # (not "封为什么官职", "成为什么": a verb's 为 followed by 什么 asks what, not why)
    ("reason", re.compile(r"(?<![封改译选列评视任当成作])为什么|为何|什么原因|原因是|怎么会|何以")),
    # a description: what the subject is like, which its defining first sentence rarely says
    ("describe", re.compile(r"(?:什么|哪些|怎样的|怎么样的?|如何的?)(?:特点|特征|特性|特色|性质|习性|外形|外貌|形态|样子|性格|作用|功能|影响|用途)"
                            r"|(?:特点|特征|特性|习性|外形|外貌|形态|性格)(?:是|有)什么|是什么样|是怎样")),
    # an enumeration: which ones, what measures (the answer is a list, often after "：" or "一是…二是…")
    ("list", re.compile(r"哪些|哪几|什么(?:措施|举措|办法|内容|要求|任务|方面|工作|政策)")),
    # a way of doing something: the advice or the steps, not the sentence that announces them
    ("how", re.compile(r"怎样|如何|怎么(?:做|办|样|才|能|去)|通过什么|采取了?什么|用什么(?:办法|方法|方式)")),
)
_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_UNIT = (r"(?:%|‰|[万亿千百]?(?:余|多)?(?:美元|元|人次|人|家|个|项|名|吨|公里|千米|米|平方米|平方公里|亩|户|次|岁|倍|张|所|座|"
         r"台|辆|件|期|批|条|篇|场|届|年|天|小时|分钟|秒|种|位|部|集|架|艘|只|头|册|卷|本|首|层|栋|间|元钱|美金|英里|克|千克|公斤)|[万亿])")
_TITLES = ("(?:记者|书记|市长|省长|区长|县长|主任|主席|总理|部长|局长|经理|校长|院长|厂长|教授|队长|主持人|导演|作者|创始人"
           # the roles a newspaper names people by ("首席研究员赵某", "全国人大代表王某", "传承人张某")
           "|研究员|委员|代表|院士|传承人|工程师|董事长|负责人|会长|站长|所长|馆长|社长|镇长|乡长|村长|支书)")
_ACTS = "(?:说|表示|指出|强调|介绍|认为|主持|出席|担任|发明|创立|创办|提出|接任|继任)"  # a name's verbs: the name ends here
_NAME_EDGE = r"[由是为被和与及、，,。：:；;（(「『“\"\s]"  # what stands beside a name, not inside it
_SPANS = {
    "number": re.compile(rf"\d+(?:[.,]\d+)*\s*{_UNIT}?|[{_CN_NUM}]+{_UNIT}"),
    "time": re.compile(r"(?:公元前?)?\d{1,4}年(?:\d{1,2}月(?:\d{1,2}日(?:晚上|晚|上午|下午|凌晨|早上|中午)?)?)?(?:代|初|末|底)?"
                       r"|\d{1,2}月\d{1,2}日(?:晚上|晚|上午|下午|凌晨|早上|中午)?|\d{1,2}月(?:份|初|底)?"
                       rf"|[{_CN_NUM}]+(?:年|月[{_CN_NUM}]+日)|(?:今年|去年|明年|前年|当天|次日|近日|日前|上午|下午|晚上|清晨|凌晨)"
                       r"|\d{1,2}世纪(?:\d{1,2}年代)?|\d{1,2}[:：]\d{2}"),
    # a name after a title or role, or before a verb of speaking or acting (group "name")
    # (a role followed by 是/为 — "社长是…", "主任为…" — says the name is next, not that 是 starts it)
    "person": re.compile(rf"{_TITLES}\s?(?P<name>(?![是为])[\u4e00-\u9fff]{{2,3}}?)(?={_ACTS}|[,，、。;；:：\s(（])"
                         rf"|{_TITLES}\s?(?P<name3>(?![是为])[\u4e00-\u9fff]{{2,3}})|(?P<name2>[\u4e00-\u9fff]{{2,3}})(?={_ACTS})"),
    "alias": re.compile(r"(?:又称|又名|又叫|又作|别名|别称|原名|简称|俗称|全称|本名|旧称|亦称|也称|或称|通称|俗名|旧名|称为|称作|叫做)"),
    "origin": re.compile(r"得名|命名|取名|名称源(?:自|于)|名字来(?:自|源)|因[^，。]{1,20}而(?:得名|名)|故名|称为|之称"),
    "reason": re.compile(r"因为|由于|因此|所以|因而|导致|造成|以致|为了|原因|之故|缘故"),
    # (and a country or continent by name: 巴西, 非洲, 南亚 — relations.py)
    "place": re.compile(r"[\u4e00-\u9fff]{1,8}(?:省|市|县|区|镇|乡|村|街道|社区|国|州|岛|山|河|江|湖|海|路|街|广场|公园|大学|学院|中心|大厦|"
                        rf"体育馆|博物馆|机场|港|站|寺|宫|城)|{NAMED_PLACES}"),
    # the name inside its quotation marks, bound to what it names: "“你选书，我买单”的模式", "被誉为“…”"
    "named": re.compile(rf"[“「\"](?P<name>[^“”「」\"。！？!?]{{2,24}})[”」\"](?=(?:的|这一|这个|这种)?{NAMED_NOUNS})"
                        rf"|(?:{NAMED_NOUNS}(?:是|为|叫|叫做|名为|[:：])?|誉为|评为)[“「\"](?P<name2>[^“”「」\"。！？!?]{{2,24}})[”」\"]"),
}
# A window that states the relation a question asks of its subject (relations.py) earns the
# question's relation word in full, as if it were printed (its answer rarely is: 国籍 -> "巴西…
# 运动员"). Chosen on CMRC trial: 1.0 and 0.8 (a synonym's credit) tie on dev (0.920), 1.0 keeps trial.
RELATION_CREDIT = 1.0
# Spans that need a character to be there: looked for only in windows that hold it (a scan at
# every position is the chooser's cost). A transliterated name, its parts joined by "·"
# (史蒂芬·金, 拉姆·巴兰·亚达夫), bounded by the words beside a name so the short answer is the name.
_MARKED_SPANS = {
    "person": ("·", re.compile(rf"(?:^|(?<={_NAME_EDGE}))[\u4e00-\u9fff]{{1,5}}(?:·[\u4e00-\u9fff]{{1,6}})+(?={_NAME_EDGE}|[的在于曾将等]|$)")),
}
_SENTENCE_END = "。！？!?；;…"
_TITLE_DISCOUNT = 0.1  # question words that name the article's subject
_WORDCHAR = re.compile(r"[0-9a-z\u3400-\u9fff]")
_CLOSERS = "”’」』)）】\"'"
_OPENERS = "（(【[《"  # brackets only: a quotation may hold whole sentences
_BRACKET_CLOSERS = "）)】]》"
_SHORTEST_SENTENCE = 8  # characters; shorter pieces are fragments, not sentences
_CLAUSE = re.compile(r"[^，,、：:；;]+[，,、：:；;]?")


@dataclass(frozen=True)
class Query:
    """A question, analysed once: its matching terms with their idf weights."""

    text: str
    terms: tuple[str, ...]  # every matching term, sub-words included (for ranking, highlights)
    weights: dict[str, float]  # idf of each term
    asks_for: str | None
    heads: tuple[str, ...] = ()  # the question's words: terms not inside a longer term
    # Printed forms of the question's words beyond _SYNONYMS ("中俄" for 中国, 俄罗斯: abbreviations).
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @functools.cached_property
    def sub_words(self) -> dict[str, tuple[str, ...]]:
        """Each question word's sub-words among the terms (asked for every window: made once)."""
        return {h: tuple(t for t in self.terms if t != h and t in h) for h in (*self.heads, *self.terms)}

    @functools.cached_property
    def relations(self) -> tuple[tuple[str, re.Pattern], ...]:
        """The relations of its subject the question asks for (relations.py; asked for every window table: made once)."""
        return relations_asked(question_form(self.text))


def head_words(spans: list[tuple[str, int, int]]) -> list[str]:
    """Terms whose span is not inside another term's span (计算机, not 计算 / 算机)."""
    heads = []
    for term, start, end in spans:
        inside = any(s <= start and end <= e and (s, e) != (start, end) for _, s, e in spans)
        if not inside and term not in heads:
            heads.append(term)
    return heads


def question_form(question: str) -> str:
    """The question folded as documents are, and its question words in one spelling: 甚麼
    (Taiwan, Hong Kong) is 什么 — the same length, so offsets hold."""
    return fold(question).replace("甚么", "什么")


def asks_for(question: str) -> str | None:
    folded = question_form(question)
    for kind, pattern in _ASKS:
        if pattern.search(folded):
            return kind
    return None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; a closing quote or bracket stays with its sentence.

    Nothing inside brackets ends a sentence, and a fragment of a few characters
    ("（学名：'；") is kept with the sentence that follows.
    """
    spans, start, i, n, depth = [], 0, 0, len(text), 0
    while i < n:
        ch = text[i]
        if ch in _OPENERS:
            depth += 1
        elif ch in _BRACKET_CLOSERS and depth:
            depth -= 1
        if ch == "\n" or (ch in _SENTENCE_END and not depth):
            j = i + 1
            while j < n and (text[j] in _SENTENCE_END or text[j] in _CLOSERS):
                j += 1
            if text[start:j].strip():
                spans.append((start, j))
            start = i = j
            depth = 0
            continue
        i += 1
    if text[start:].strip():
        spans.append((start, n))
    spans = [_trim(text, s, e) for s, e in spans]
    return _merge_fragments(text, spans)


def _merge_fragments(text: str, spans: list[tuple[int, int]],
                     shortest: int = _SHORTEST_SENTENCE) -> list[tuple[int, int]]:
    """A short piece cut at ；/; (not a full stop) joins the sentence after it."""
    out: list[tuple[int, int]] = []
    carry = None
    for s, e in spans:
        if carry is not None:
            s, carry = carry, None
        if e - s < shortest and text[s:e].rstrip(_CLOSERS)[-1:] in "；;":
            carry = s
            continue
        out.append((s, e))
    if carry is not None:
        if out:
            out[-1] = (out[-1][0], spans[-1][1])
        else:
            out.append((carry, spans[-1][1]))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def term_spans(folded: str, terms, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """Every occurrence of every term in folded[lo:hi], merged, relative to lo."""
    hi = len(folded) if hi is None else hi
    window = folded[lo:hi]
    found = []
    for term in terms:
        start = window.find(term)
        while start != -1:
            found.append((start, start + len(term)))
            start = window.find(term, start + 1)
    return _merge(found)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def typed_spans(kind: str | None, folded: str, lo: int, hi: int, avoid) -> list[tuple[int, int]]:
    """Spans of the asked-for kind in folded[lo:hi] (relative to lo), not inside question terms."""
    if kind not in _SPANS:
        return []
    matches = list(_SPANS[kind].finditer(folded, lo, hi))
    if kind in _MARKED_SPANS and folded.find(_MARKED_SPANS[kind][0], lo, hi) >= 0:
        matches += _MARKED_SPANS[kind][1].finditer(folded, lo, hi)
        matches.sort(key=lambda m: m.start())
    out = []
    for m in matches:
        group = next((g for g in ("name", "name2", "name3") if g in m.re.groupindex and m.group(g)), 0)
        start, end = m.start(group) - lo, m.end(group) - lo
        if end - start < 1 or folded[m.start():m.end()].strip() in ("", "年", "月"):
            continue
        if any(s <= start and end <= e for s, e in avoid):
            continue
        out.append((start, end))
    return out


# How questions and answers name the same thing differently ("出生在哪里" / "生于…").
# Used only to choose among a paragraph's sentences, never to rank paragraphs.
_SYNONYMS = {
    "出生": ("生于", "出生于", "诞生", "出世"),
    "去世": ("逝世", "病逝", "死于", "卒于", "过世", "身亡"),
    "作品": ("著有", "著作", "代表作", "撰写", "创作"),
    "著作": ("著有", "作品", "撰写", "编著"),
    "作者": ("著", "撰", "创作", "编写", "执笔"),
    "写过": ("著有", "撰写", "创作", "作品"),
    "成立": ("创立", "创建", "建立", "创办", "设立", "成立于"),
    "建成": ("落成", "竣工", "完工", "建于"),
    "位于": ("坐落", "地处", "位处"),
    "职业": ("担任", "从事", "任职", "曾任", "出任"),
    "职务": ("担任", "任职", "曾任", "出任"),
    "由来": ("得名", "命名", "取名", "名称源自", "名字来自"),
    "名字": ("得名", "命名", "取名", "名为", "称为"),
    "原因": ("因为", "由于", "因此", "所以", "导致"),
    "目的": ("为了", "旨在", "以便", "用于"),
    "用途": ("用于", "用来", "用作", "可作"),
    "包括": ("包含", "包括", "分为", "有"),
    "特点": ("特征", "特色", "呈", "具有"),
    "外形": ("外观", "形状", "呈", "体型"),
    # how an encyclopedia or a feature story describes a creature's habits, a person's nature
    "习性": ("栖息", "觅食", "为食", "独居", "群居", "夜行", "昼行", "生活于", "生活在"),
    "性格": ("个性", "性情", "为人"),
    "作用": ("用于", "用来", "用以", "可以", "能够"),
    "影响": ("导致", "造成", "引起", "引致", "使得"),
    "爱好": ("喜欢", "喜爱", "热爱", "兴趣", "热衷"),
    "才能": ("擅长", "擅于", "善于", "精通", "才华"),
    "擅长": ("擅于", "善于", "精通", "通晓", "专长"),
    "面积": ("平方公里", "平方千米", "平方米", "公顷", "亩"),
    "人口": ("居民", "人口约", "常住"),
    "长度": ("全长", "长约", "长达", "总长"),
    "高度": ("高约", "高达", "海拔", "米高"),
    "首都": ("首府", "都城", "国都"),
    "创始人": ("创立", "创办", "创建", "创始"),
    "创立": ("创始", "创办", "创建"),
    "参军": ("入伍", "从军", "战士", "当兵"),
    "毕业": ("就读", "学位", "学历", "毕业于"),
    "开通": ("启用", "通车", "开幕", "开业", "投入使用"),
    "上映": ("公映", "首映", "播出", "放映"),
    "发行": ("推出", "出版", "发售", "发布"),
    # a reader's everyday word, the paper's formal one ("一年能挣多少钱" / "每年人均创收1万元")
    "挣": ("收入", "创收", "增收", "赚"),
    "一年": ("每年", "年均", "全年"),
}


def _head_credit(window: str, head: str, query: Query) -> float:
    """1 for a question word the window has (or a synonym: 0.8); half the share of its
    sub-words otherwise."""
    if head in window:
        return 1.0
    if any(alt in window for alt in _SYNONYMS.get(head, ())):
        return 0.8
    if any(alt in window for alt in query.alternatives.get(head, ())):
        return 0.8
    parts = query.sub_words.get(head)
    if parts is None:
        parts = tuple(t for t in query.terms if t != head and t in head)
    return 0.5 * sum(t in window for t in parts) / len(parts) if parts else 0.0


def coverage_ratio(folded: str, query: Query) -> float:
    """Share of the question's words, weighted by idf, that `folded` (a folded text) contains.

    A word the text lacks earns half credit for the share of its sub-words it has.
    """
    heads = query.heads or query.terms
    total = sum(query.weights[h] for h in heads)
    if not total:
        return 0.0
    return sum(query.weights[h] * _head_credit(folded, h, query) for h in heads) / total


def _windows(sentences, text: str, max_chars: int, longest: int = 2):
    """Candidate quotes as (start, end, first sentence, sentences): each sentence, each pair of
    neighbours, and long sentences' clause runs; with `longest` over 2 (list, how and describe
    questions), also longer runs of sentences that fit max_chars."""
    for i, (s, e) in enumerate(sentences):
        if e - s <= max_chars:
            yield s, e, i, 1
        else:
            for lo, hi in _clause_windows(text, s, e, max_chars):
                yield lo, hi, i, 1
        for j in range(i + 1, min(i + longest, len(sentences))):
            if sentences[j][1] - s > max_chars:
                break
            yield s, sentences[j][1], i, j - i + 1


def _clause_windows(text: str, start: int, end: int, max_chars: int):
    clauses = [(start + m.start(), start + m.end()) for m in _CLAUSE.finditer(text[start:end])]
    for i in range(len(clauses)):
        j = i
        while j + 1 < len(clauses) and clauses[j + 1][1] - clauses[i][0] <= max_chars:
            j += 1
        yield _trim(text, clauses[i][0], clauses[j][1])


def _local_weights(folded: str, sentences, query: Query, title: str = "") -> dict[str, float]:
    """Question words weighted for choosing among this paragraph's sentences.

    A word in every sentence tells sentences apart no better than a stop word: idf is
    scaled by how few of the sentences hold it. The article's subject (a word of its
    title) is what the whole paragraph is about, wherever it is named: it counts less.
    """
    heads = query.heads or query.terms
    count = len(sentences)
    weights = {}
    for head in heads:
        holding = sum(_head_credit(folded[s:e], head, query) > 0 for s, e in sentences)
        spread = math.log(1 + count / holding) / math.log(1 + count) if holding and count > 1 else 1.0
        weights[head] = query.weights[head] * max(spread, 0.15) * (_TITLE_DISCOUNT if head in title else 1.0)
    return weights


def described_subject(query: Query) -> tuple[str, tuple[str, ...]]:
    """A describe question's subject and frame words ("石鱼的卵有什么特征": 石鱼; 特征).

    The subject is what the whole paragraph is about (named once, then 本鱼, 其, or nothing);
    the frame word names the question, not the answer ("卵为黄色" never says 特征). What is
    left — the attribute asked about (卵, 果实, 头盾) — is what the answering clause opens with."""
    if query.asks_for != "describe":
        return "", ()
    return _subject_and_frame(query.text, query.heads or query.terms)


@functools.lru_cache(maxsize=256)  # asked for every candidate paragraph of one question
def _subject_and_frame(question: str, heads: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    folded = question_form(question)
    m = dict(_ASKS)["describe"].search(folded)
    if not m:
        return "", ()
    cut = folded.rfind("的", 0, m.start())
    return (folded[:cut] if cut > 0 else ""), tuple(h for h in heads if h in m.group())


_QUESTION_CHARS = set("什么哪谁几多少怎如何为吗呢是的了在有和与及")


def question_bigrams(question: str) -> set[str]:
    """Character pairs of the question's words: paraphrases keep many of them."""
    folded = fold(question)
    pairs = set()
    for i in range(len(folded) - 1):
        pair = folded[i:i + 2]
        if all(_WORDCHAR.match(c) for c in pair) and not (set(pair) & _QUESTION_CHARS):
            pairs.add(pair)
    return pairs


def question_chars(question: str, title: str) -> set[str]:
    """The question's own Chinese characters: not question words, not its subject's (the
    article's title). An answer restates the question's predicate in other words that often
    keep one of its characters (食物 / 为食, 生活在 / 栖息在…地带, 举行 / 进行), which neither
    its words nor its character pairs see."""
    return {c for c in fold(question) if "\u3400" <= c <= "\u9fff" and c not in _QUESTION_CHARS and c not in title}


# What makes a window the quote: each is a number per candidate window, and a window's
# score is their sum weighted by WINDOW_WEIGHTS (retrieval/weights.py, fitted on CMRC).
WINDOW_FEATURES = (
    "coverage",     # the question's words in the window, idf- and spread-weighted, 0..1
    "bigrams",      # share of the question's character pairs, spread-weighted, 0..1
    "typed",        # the window holds a span of the kind asked for (number, time, person…)
    "typed_near",   # how close that span is to a question word: exp(-characters / 8)
    "lead",         # the window opens the paragraph
    "position",     # where it starts among the paragraph's sentences: 0 first … 1 last
    "length",       # characters / max_chars
    "sentences",    # sentences in the window beyond the first, / 3
    "list_marks",   # list / how questions: enumeration markers (一是, 其次, ；, 、, 要…要…), / 4, at most 1
    "announces",    # list / how questions: the window ends on a colon, announcing what follows
    "dateline",     # time questions: the window opens with the article's dateline
    "chars",        # share of the question's own characters (not its subject's), spread-weighted, 0..1
    "attribute_opens",  # describe questions: a clause of the window opens with the attribute asked about (卵为黄色)
    "cause",        # why questions: the window holds a cause (因为, 由于, 为了…), or text before a consequence (…，因此)
    "defines",      # what-is-X questions (X的定义, X指的是什么, 什么是X): the window says "X是…", "X（…）是指…", "意为…"
)
VALUE_KINDS = ("number", "time", "person", "named")  # kinds whose span is the short answer itself (a place span is too loose)
ENUMERATING = ("list", "how")
_LIST_MARK = re.compile(r"[一二三四五六七八九十]是|[第][一二三四五六七八九十][,，、是]|首先|其次|再次|最后|此外|同时|[;；、]|[①-⑩]|"
                        r"(?<![\u4e00-\u9fff])\d[.、)]")
_MUST = re.compile(r"(?:^|[,，;；。])要")  # "要…，要…": advice given clause by clause
_LIST_RUN = 6  # sentences: the longest run an enumeration window may span
# A description is a run of traits over a few sentences ("叶对生，有托叶。花单性。瘦果藏于…"):
# its window may span three (six: a few more answers, the median quote at the limit, 78).
_DESCRIBE_RUN = 3


def dateline_end(folded: str) -> int:
    """Where the paragraph's dateline ("本报讯 1月6日晚，", "新华社北京1月7日电") ends; 0: none."""
    from .layout import DATELINE  # the same rule the page layout opens articles with

    m = DATELINE.match(folded)
    if not m:
        return 0
    tail = _SPANS["time"].match(folded, m.end() + (1 if folded[m.end():m.end() + 1] == " " else 0))
    return tail.end() if tail else m.end()


class _TokenShare:
    """The spread-weighted share of some tokens (the question's character pairs, its
    characters) a window holds. Each sentence's tokens are found once, as a bit mask; a
    window of whole sentences ORs theirs, and each mask's share is summed once."""

    def __init__(self, tokens, folded: str, texts: list[str], title: str = "") -> None:
        count = len(texts)
        present = [t for t in tokens if t in folded]  # only these can be in a window
        self.masks = [sum(1 << k for k, t in enumerate(present) if t in text) for text in texts]
        total = 0.0
        self.present = []
        for k, token in enumerate(present):
            holding = sum(mask >> k & 1 for mask in self.masks)
            weight = math.log(1 + count / holding) / math.log(1 + count) if holding and count > 1 else 1.0
            weight *= _TITLE_DISCOUNT if token in title else 1.0
            self.present.append((token, weight))
            total += weight
        # a token the paragraph lacks weighs 1 (it is in no sentence), as it would in any paragraph
        total += sum(_TITLE_DISCOUNT if t in title else 1.0 for t in tokens if t not in folded)
        self.total = total or 1.0
        self._shares: dict[int, float] = {}

    def share(self, window: str, sentences: range | None) -> float:
        """The share `window` holds; `sentences`: the whole sentences it is made of, if it is."""
        if not self.present:
            return 0.0
        if sentences is None:
            mask = sum(1 << k for k, (t, _) in enumerate(self.present) if t in window)
        else:
            mask = 0
            for i in sentences:
                mask |= self.masks[i]
        found = self._shares.get(mask)
        if found is None:
            found = self._shares[mask] = sum(w for k, (_, w) in enumerate(self.present) if mask >> k & 1) / self.total
        return found


def window_table(text: str, query: Query, max_chars: int, title: str = "", folded: str | None = None
                 ) -> tuple[list[tuple[int, int]], list[list[float]]]:
    """Every candidate quote of `text` and its WINDOW_FEATURES row."""
    folded, title = (fold(text) if folded is None else folded), fold(title)
    sentences = split_sentences(text) or [(0, len(text))]
    # a describe question's subject ("石鱼的卵有什么特征": 石鱼) is what the paragraph is about, like its title
    known = f"{title} {described_subject(query)[0]}"
    weights = _local_weights(folded, sentences, query, known)
    total = sum(weights.values()) or 1.0
    texts = [folded[s:e] for s, e in sentences]
    bigrams = _TokenShare(question_bigrams(query.text), folded, texts, known)
    chars = _TokenShare(question_chars(query.text, known), folded, texts)
    kind = query.asks_for
    enumerating = kind in ENUMERATING
    dateline = dateline_end(folded) if kind == "time" else 0
    # the question's words that ask for a relation (国籍, 职业, 作者), and the form its answer takes
    relations = [(heads, _relation_spans(cue, folded, query))
                 for asked, cue in query.relations
                 if (heads := tuple(h for h in weights if h in asked or asked in h))]
    sentence_spans = _SentenceSpans(kind, folded, sentences, query.terms)
    first = sentences[0][0]
    last = max(1, len(sentences) - 1)
    attributes = attribute_words(query, title)
    definition = definition_pattern(query)
    windows, rows, seen = [], [], set()
    longest = _LIST_RUN if enumerating else _DESCRIBE_RUN if kind == "describe" else 2
    for lo, hi, index, count in _windows(sentences, text, max_chars, longest):
        if hi <= lo or (lo, hi) in seen:
            continue
        seen.add((lo, hi))
        window = folded[lo:hi]
        if relations:  # "巴西足球运动员" says the 国籍 a question asks for
            stated = {h for heads, found in relations if any(lo <= s and e <= hi for s, e in found) for h in heads}
            coverage = sum(w * (RELATION_CREDIT if h in stated else _head_credit(window, h, query))
                           for h, w in weights.items()) / total
        else:
            coverage = sum(w * _head_credit(window, h, query) for h, w in weights.items()) / total
        whole = (lo, hi) == (sentences[index][0], sentences[index + count - 1][1])  # else a clause run
        span = range(index, index + count) if whole else None
        typed = near = 0.0
        if kind in _SPANS:
            avoid, found = sentence_spans.window(lo, hi, span)
            if found:
                typed = 1.0
                if avoid:
                    near = math.exp(-min(_gap(span, avoid) for span in found) / 8)
        marks = announces = 0.0
        if enumerating:
            marks = min(1.0, (len(_LIST_MARK.findall(window)) + max(0, len(_MUST.findall(window)) - 1)) / 4)
            announces = float(window.rstrip(_CLOSERS)[-1:] in ":：")
        windows.append((lo, hi))
        rows.append([coverage, bigrams.share(window, span), typed, near, float(lo == first), index / last,
                     (hi - lo) / max_chars, (count - 1) / 3, marks, announces,
                     float(bool(dateline) and lo == first and hi >= dateline),
                     chars.share(window, span), float(opens_with(window, attributes)),
                     float(kind == "reason" and holds_cause(window)),
                     float(bool(definition and definition.search(window)))])
    return windows, rows


_CLAUSE_START = re.compile(r"(?:^|[，,。；;：:！？])\s*")
ATTRIBUTE_REACH = 3  # characters a clause may say before naming the attribute ("其卵", "本鱼体")


# A cause is written before its consequence ("…，因此被称为…") or after a cause word ("由于…").
_CAUSE = re.compile(r"因为|由于|为了|原因|缘故|之故|旨在|是为|鉴于|出于|因[^此而为]{1,20}而")
_CONSEQUENCE = re.compile(r"因此|所以|于是|因而|从而|故而|以致|致使|遂")
CAUSE_BEFORE = 6  # characters of text before a consequence word that can state its cause


def holds_cause(window: str) -> bool:
    """The window states a cause: a cause word, or a consequence word with text before it
    (a window opening on "因此…" restates the question; its cause is the sentence before)."""
    if _CAUSE.search(window):
        return True
    return any(m.start() >= CAUSE_BEFORE for m in _CONSEQUENCE.finditer(window))


# A question that asks what a term means, and the term: "X的定义是什么", "X指的是什么", "什么是X".
_ASKS_DEFINITION = (
    re.compile(r"^(?P<x>.+?)的?(?:定义|含义|意思|涵义|意义)(?:是什么|是|为何|为)"),
    re.compile(r"^(?P<x>.+?)(?:指的是|是指|所指的是|指)什么"),
    re.compile(r"^(?P<x>.+?)是什么意思"),
    re.compile(r"^什么(?:是|叫做?)(?P<x>[^？?，,]+)"),
)
_QUOTE_MARKS = "「」『』“”\"'《》 "


@functools.lru_cache(maxsize=256)
def _definition_of(question: str) -> re.Pattern | None:
    folded = question_form(question)
    for pattern in _ASKS_DEFINITION:
        m = pattern.search(folded)
        if m and (term := m.group("x").strip(_QUOTE_MARKS)):
            # the term, a bracketed gloss ("（英语：…）"), then a copula: how a definition is written
            return re.compile(rf"{re.escape(term)}[」』”\"]?(?:[（(][^）)]{{0,40}}[）)])?[，,]?(?:是指|是|指|即|意为|意指|就是|为)"
                              r"|意思是|意为|意指|意即|定义为|是指")
    return None


def definition_pattern(query: Query) -> re.Pattern | None:
    """What a definition of the term a what-is-X question asks about looks like; None for other questions."""
    return _definition_of(query.text) if query.asks_for is None else None


def attribute_words(query: Query, title: str) -> tuple[str, ...] | None:
    """A describe question's words that name the attribute asked about (neither its subject nor
    its frame word nor the article's title); None for other questions."""
    if query.asks_for != "describe":
        return None
    subject, frame = described_subject(query)
    return tuple(h for h in (query.heads or query.terms) if h not in subject and h not in frame and h not in title)


def opens_with(window: str, words) -> bool:
    """A clause of `window` names one of `words` in its first few characters."""
    if not words:
        return False
    for m in _CLAUSE_START.finditer(window):
        head = window[m.end():m.end() + ATTRIBUTE_REACH + max(map(len, words))]
        if any(0 <= head.find(w) <= ATTRIBUTE_REACH for w in words):
            return True
    return False


class _SentenceSpans:
    """The question's words and the asked-for spans in a window (paragraph offsets). Each
    sentence's are found once: a window of whole sentences joins theirs (neither a word nor a
    span crosses a sentence's end), a clause run is searched on its own."""

    def __init__(self, kind: str | None, folded: str, sentences, terms) -> None:
        self.kind, self.folded, self.sentences, self.terms = kind, folded, sentences, terms
        self._found: dict[int, tuple[list, list]] = {}

    def _search(self, lo: int, hi: int) -> tuple[list, list]:
        avoid = term_spans(self.folded, self.terms, lo, hi)
        found = typed_spans(self.kind, self.folded, lo, hi, avoid)
        return [(s + lo, e + lo) for s, e in avoid], [(s + lo, e + lo) for s, e in found]

    def window(self, lo: int, hi: int, sentences: range | None) -> tuple[list, list]:
        if sentences is None:
            return self._search(lo, hi)
        avoid, found = [], []
        for i in sentences:
            if i not in self._found:
                self._found[i] = self._search(*self.sentences[i])
            avoid += self._found[i][0]
            found += self._found[i][1]
        return avoid, found


def _relation_spans(cue: re.Pattern, folded: str, query: Query) -> list[tuple[int, int]]:
    """Where `folded` states a relation's answer in its own words (not inside the question's):
    found once per paragraph, then looked up for each window."""
    found = [(m.start(), m.end()) for m in cue.finditer(folded)]
    if found:
        terms = term_spans(folded, query.terms)
        found = [(s, e) for s, e in found if not any(a <= s and e <= b for a, b in terms)]
    return found


def _gap(span: tuple[int, int], others) -> int:
    return min(span[0] - e if span[0] >= e else max(0, s - span[1]) for s, e in others)


def window_score(row: list[float]) -> float:
    return sum(w * x for w, x in zip(WINDOW_WEIGHTS, row))


def best_window(text: str, query: Query, max_chars: int, title: str = "", folded: str | None = None
                ) -> tuple[int, int, float, list[float]]:
    """The best quote's (start, end), its score and its feature row."""
    windows, rows = window_table(text, query, max_chars, title, folded)
    if not windows:
        return 0, len(text), 0.0, [0.0] * len(WINDOW_FEATURES)
    scores = [window_score(row) for row in rows]
    best = max(range(len(scores)), key=scores.__getitem__)
    return windows[best][0], windows[best][1], scores[best], rows[best]


def best_quote(text: str, query: Query, max_chars: int, title: str = "", folded: str | None = None) -> tuple[int, int]:
    lo, hi, _, _ = best_window(text, query, max_chars, title, folded)
    return lo, hi


def compose_answer(rank: int, paragraph: Paragraph, score: float, query: Query, max_chars: int,
                   folded: str | None = None, window: tuple[int, int] | None = None) -> Answer:
    """The Answer for one ranked paragraph; `folded` is fold(paragraph.text) when known,
    `window` the quote when already chosen."""
    text = paragraph.text
    folded = fold(text) if folded is None else folded
    lo, hi = window or best_quote(text, query, max_chars, paragraph.title, folded)
    highlights = term_spans(folded, query.terms, lo, hi)
    ranked = _nearest(typed_spans(query.asks_for, folded, lo, hi, highlights), highlights, query, folded, lo, hi)
    spans = sorted(ranked)
    return Answer(
        rank=rank,
        quote=text[lo:hi],
        quote_start=lo,
        score=float(score),
        paragraph=paragraph,
        highlights=tuple(highlights),
        answer_spans=tuple(spans),
        passage_highlights=tuple(term_spans(folded, query.terms)),
        answer=short_answer(text[lo:hi], query.asks_for, ranked),
    )


def short_answer(quote: str, kind: str | None, spans) -> str | None:
    """The asked-for value itself ("1.14亿元", "1月6日晚"): the first of the spans (ranked by
    `_nearest`), for a number, time, person or place question; None otherwise — never a guess."""
    if kind not in VALUE_KINDS or not spans:
        return None
    start, end = spans[0]
    return quote[start:end].strip() or None


def question_anchor(query: Query) -> tuple[tuple[str, ...], str]:
    """The question's words right beside its question word ("发放了多少补助": 发放, 补助) and
    the unit it asks in ("多少家": 家) — what the answer span sits next to in the text."""
    folded = question_form(query.text)
    pattern = dict(_ASKS).get(query.asks_for)
    m = pattern.search(folded) if pattern else None
    if not m:
        return (), ""
    before = after = None  # (distance, term): the nearest word on each side, a few characters at most
    for term in query.heads or query.terms:
        at = folded.find(term)
        if at < 0:
            continue
        if at + len(term) <= m.start() and m.start() - at - len(term) <= 3:
            before = min(before or (9, ""), (m.start() - at - len(term), term))
        elif at >= m.end() and at - m.end() <= 3:
            after = min(after or (9, ""), (at - m.end(), term))
    anchors = [side[1] for side in (before, after) if side]
    unit = ""
    if query.asks_for == "number":
        after = m.group()[-1] if m.group()[0] == "几" and len(m.group()) > 1 else folded[m.end():m.end() + 1]
        unit = after if after and _UNIT_CHAR.match(after) else ""
    return tuple(anchors), unit


_RELATIVE_TIME = frozenset(("今年", "去年", "明年", "前年", "当天", "次日", "近日", "日前", "上午", "下午", "晚上", "清晨", "凌晨"))
_UNIT_CHAR = re.compile(r"[个名家项次人岁年天位种所条批件台辆座户倍元吨米亩张部场届期篇只头本首层栋间]")


def _nearest(spans, highlights, query: Query, folded: str, lo: int, hi: int, keep: int = 2):
    """The typed spans most likely to be the answer, best first: in the unit the question asks
    in, then next to the words beside its question word, then next to any of its words."""
    if not spans:
        return spans
    anchors, unit = question_anchor(query)
    near_anchor = term_spans(folded, anchors, lo, hi) if anchors else []
    window = folded[lo:hi]

    def rank(span):
        text = window[span[0]:span[1]]
        return (not (unit and text.endswith(unit)),
                text in _RELATIVE_TIME,  # "日前" says less than the dateline's "4月8日"
                _gap(span, near_anchor) if near_anchor else 0,
                _gap(span, highlights) if highlights else 0,
                span[0])

    return sorted(spans, key=rank)[:keep]


def shingles(folded: str) -> frozenset[str]:
    """Character 4-grams of a folded text: what near_duplicate compares."""
    return frozenset(folded[i:i + 4] for i in range(max(1, len(folded) - 3)))


def near_duplicate(a: frozenset[str], b: frozenset[str], threshold: float = 0.8) -> bool:
    """Reprints: texts whose 4-gram sets overlap by `threshold` of the smaller one or more."""
    return len(a & b) / max(1, min(len(a), len(b))) >= threshold
