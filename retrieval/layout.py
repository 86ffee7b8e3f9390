"""OCR page -> articles -> body blocks: headlines, debris and column breaks.

A page arrives as lines. Each non-blank line is first classified on its own
(`_read_line`): layout debris (continuation markers, photo credits, bylines,
rules), or text. Text lines are then resolved in context (`_resolve_headlines`):
a short line without sentence-final punctuation is a headline unless the
sentence before it is still open or it reads like a cut clause. Finally the
lines are assembled (`_Assembler`): headlines title the article that follows,
a body line that stops mid-sentence continues into the next body line, photo
captions stay paragraphs of their own and never swallow a cut sentence.

All pattern matching runs on `normalize.fold`ed text (half-width punctuation,
simplified characters); because folding keeps every offset, the text kept is
the original as printed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .models import SourceDoc
from .normalize import fold

# Bump when the same page splits into different paragraphs or titles: indexes get rebuilt.
LAYOUT_VERSION = 4  # 2: reporter bylines open articles, kickers, section heads, agency tags; 3: list items joined;
# 4: paragraphs keep their headline's line (title_line)

# A headline is short; a line this long is body text whatever it ends with.
MAX_HEADLINE_CHARS = 40
# A subtitle led by a dash ("——太原市公民道德建设掠影") may run longer.
MAX_SUBTITLE_CHARS = 60
# Debris (markers, credits, bylines) is never longer than this.
MAX_DEBRIS_CHARS = 72
# An enumeration set as paragraphs ("……措施如下：" / "一是……" / "二是……") is one passage, up to this size.
MAX_LIST_CHARS = 600
# A section head inside an article: one line, or a kicker over it.
MAX_SECTION_LINES = 2
# Stacked headline lines printed without blank lines between them.
MAX_STACK_LINES = 5
# A page hard-wrapped at a column width: that many lines (and that share) of one length.
MIN_COLUMN_CHARS = 8
MIN_WRAPPED_LINES = 8
WRAPPED_SHARE = 0.3
# More headline-shaped lines in a row than this are a list or a poem, not headlines.
MAX_HEADLINE_RUN = 6
# Two or more blank lines in a row: the space an image took on the page.
GAP_BLANK_LINES = 2
# A photo credit names the caption lines just above it, up to this many.
MAX_CAPTION_BLOCKS = 3

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NAME = f"[{_HAN}·]{{1,4}}"
# Names in a byline are spaced with any white space: OCR keeps no-break spaces ("乔\xa0\xa0栋").
_NAMES = f"{_NAME}(?:[\\s、,]+{_NAME}){{0,5}}"
_ROLE = (
    "(?:本报|新华社|中新社|人民网|特约|全媒体|融媒体|首席|实习|见习)*"
    "(?:摄影记者|记者|通讯员|摄影|实习生|撰稿)"
)
# Page staff sign with a colon ("本版编辑:李四"): "设计 引领未来" is a headline.
_STAFF = "(?:责任编辑|本版编辑|编辑|责编|美编|校对|版式|制图|设计|审校|组版)\\s*:\\s*"
_BULLET = "[□■◎●○△▲★☆◆◇·•\\s]*"
_OPEN = "[(\\[【]"
_CLOSE = "[)\\]】]"

# "(下转第3版)", "(上接第二版)", "(见第4、5版)", "【转A3版】"; folded text.
_MARKER_BODY = (
    "(?P<verb>下转|上接|接上|紧接|转至|转|接|续|见)\\s*(?:第\\s*)?"
    "[0-9a-z一二两三四五六七八九十百零〇、,~\\-—\\s]{1,12}\\s*(?:版|页|面)"
)
_MARKER = re.compile(f"{_OPEN}\\s*{_MARKER_BODY}[^()\\[\\]【】]{{0,8}}{_CLOSE}")
_MARKER_LINE = re.compile(f"^{_OPEN}?\\s*{_MARKER_BODY}[^()\\[\\]【】]{{0,8}}{_CLOSE}?$")
_BEFORE_VERBS = ("上接", "接上", "紧接", "接", "续")
_SEE_VERBS = ("见",)

# Photo credits: "梁琛摄", "特约摄影 宋磊摄", "贾 鹏 米国伟 摄", "图/张三", "市委宣传部供图".
# A credit may end with its agency's tag: "程专艺摄(影像中国)", "张三摄(人民视觉)".
_AGENCY_TAG = f"(?:\\s*{_OPEN}[^()\\[\\]【】]{{1,12}}{_CLOSE})?"
_CREDIT_LINE = re.compile(
    f"^{_OPEN}?\\s*(?:{_ROLE}\\s*)?{_NAMES}\\s*/?\\s*(?:摄影?|供图){_CLOSE}?{_AGENCY_TAG}$"
    f"|^(?:摄影|图片?|图/文|文/图)\\s*[:/]\\s*{_NAMES}$|^摄影\\s+{_NAMES}$"
    f"|^[^。!?]{{2,24}}供图$"
)
# A credit printed after a caption's last sentence: "……会场。梁琛 摄".
_TRAILING_CREDIT = re.compile(
    f"(?<=[。!?…”\"])\\s*{_OPEN}?\\s*(?:{_ROLE}\\s*)?{_NAMES}\\s*/?\\s*(?:摄影?|供图){_CLOSE}?\\s*$"
)
_CREDIT_WORDS = re.compile("摄|供图")
# A bare name under a caption ("晋向阳"): a credit, unless it says what someone did.
_NAME_ONLY = re.compile(f"^{_NAMES}$")
_NAME_ACTION = re.compile("(?:主持|出席|讲话|致辞|发言|强调|指出|参加|调研|会见|当选)$")
_CAPTION_START = re.compile("^(?:[▲△↑↓←→]|\\s)*(?:图为|图:|图片:|上图|下图|左图|右图|中图|题图|组图|图\\d)|^[▲△↑↓←→]")

# Bylines: "(申 波)", "(记者 王文军)"; "记者 张 慧", "本版编辑:李四"; "……供稿".
_BYLINE_PAREN = re.compile(f"^{_OPEN}\\s*(?:{_ROLE}\\s*)?{_NAMES}(?:\\s+{_ROLE}\\s*{_NAMES})*\\s*{_CLOSE}$")
_BYLINE_BARE = re.compile(
    f"^{_BULLET}(?:{_ROLE}[\\s:]+|{_STAFF}){_NAMES}(?:\\s+(?:{_ROLE}[\\s:]+|{_STAFF}){_NAMES})*$"
    f"|^文\\s*/\\s*{_NAMES}$"
)
# A reporter's byline ("本报记者  乔  栋", "□ 本报记者 张三") is printed under the headline:
# the headline-shaped lines just above it title the article that follows.
_REPORTER_LINE = re.compile(f"^{_BULLET}{_ROLE}[\\s:]+{_NAMES}(?:\\s+{_ROLE}[\\s:]+{_NAMES})*$|^文\\s*/\\s*{_NAMES}$")
_SOURCE_LINE = re.compile("^[^。!?]{2,30}供稿$")
_NUMERAL_ONLY = re.compile("^[(\\[【][一二三四五六七八九十百零〇\\d]+[)\\]】]$")

_HEADING_MARK = re.compile("#{1,6}(?=\\s|[^#]|$)\\s*")
_RULE_LINE = re.compile("^(?:[-*_=~—]\\s*){3,}$|^!\\[[^\\]]*\\]\\([^)]*\\)$")

_DATE_MD = "(?:\\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\\d{1,2}|[一二三四五六七八九十]{1,3})日"
# Datelines: "本报讯", "据新华社北京1月7日电", "本报北京1月7日电", "某某日报讯".
DATELINE = re.compile(
    f"^{_OPEN}?\\s*(?:据|来源:\\s*)?(?:"
    f"(?:本报|本刊|本台)(?:综合|专|特)?讯|(?:本报|本刊)(?:综合报道|消息)"
    f"|(?:本报|本刊|本台|新华社|中新社|中新网)[{_HAN}]{{0,8}}?{_DATE_MD}\\s*(?:专电|电|讯)"
    f"|(?:新华社|中新社)[{_HAN}]{{0,4}}?(?:专电|电)"
    f"|[{_HAN}]{{2,10}}(?:日报|晚报|早报|时报|商报|报|网|台)讯"
    f"|[{_HAN}]{{2,10}}(?:日报|网|社)[{_HAN}]{{0,8}}?{_DATE_MD}电"
    ")"
)
# A block that is only a dateline ("本报讯(记者 殷雪鸢、梁 涛)") runs on into the next.
_DATELINE_ONLY = re.compile(f"(?:{DATELINE.pattern})\\s*(?:{_OPEN}[^()]{{0,40}}{_CLOSE})?\\s*{_CLOSE}?$")

# A page's own header: "2021年1月8日 星期五", "人民日报 2021年1月8日 第3版"; folded text.
PAGE_HEADER = re.compile(
    "^(?=.*(?:星期|礼拜|周)[一二三四五六日天]|.*第\\s*[0-9a-z一二三四五六七八九十]{1,3}\\s*版|.*农历)"
    "[^。!?]{0,24}?((?:19|20)\\d{2})\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日[^。!?]{0,40}$"
)

_FINAL = frozenset("。!?…;")
# A kicker printed over the headline ends with a dash that leads into it.
_KICKER_ENDS = ("——", "—", "--")
# A column tag after a headline ("(今日谈)", "(新春走基层·特别报道)") is not part of its length.
_TRAILING_TAG = re.compile(f"\\s*{_OPEN}[^()\\[\\]【】]{{1,60}}{_CLOSE}\\s*$")
# A line starting with one of these carries on the sentence above it.
_CONTINUES = frozenset(",、。;:!?)]】”’…")
_CLAUSE_END = frozenset(",、:—-(“‘《[【「『")
_SENTENCE_INSIDE = re.compile("[,。!?;]")
_CLOSING_QUOTES = frozenset("”’」』》\"'")
_CN_ORDINALS = "一二三四五六七八九十"
# A paragraph opening a list item: 一是/二是, 第一,/第二, (一)/(二), 首先/其次/再次/最后; folded text.
_LIST_ITEM = re.compile(
    f"^(?:(?P<shi>[{_CN_ORDINALS}])是|第(?P<di>[{_CN_ORDINALS}])[,、]|\\((?P<paren>[{_CN_ORDINALS}])\\)"
    "|(?P<seq>首先|其次|再次|最后)[,]?)"
)
_SEQUENCE = {"首先": 1, "其次": 2, "再次": 3, "最后": 3}
_BRACKETS = {")": "(", "]": "[", "】": "【"}


@dataclass(frozen=True)
class Block:
    """One paragraph of body text as printed, column breaks joined."""

    text: str  # original text; cut lines joined with no added space
    line_start: int  # 1-based line in the file
    line_end: int
    caption: bool = False  # a photo caption: a paragraph of its own, never joined to body text
    folded: str = field(default="", repr=False, compare=False)  # `normalize.fold(text)`, for matching
    section: str = ""  # the section head (小标题) it stands under inside its article, if any


@dataclass(frozen=True)
class Article:
    title: str  # headline(s) joined with " " ("" when none)
    blocks: list[Block]
    title_line: int | None


@dataclass
class _Line:
    kind: str  # text | before | after | see | credit | byline | reporter | drop
    text: str  # original text, marks and debris cut away
    folded: str
    line: int
    group: int  # run of consecutive non-blank lines
    gap_before: bool
    heading: bool = False  # carried a Markdown heading mark
    caption: bool = False
    role: str = ""  # for text: headline | body
    standalone: bool = False  # a short line of a list or poem: body, but a paragraph of its own


def is_final(folded: str) -> bool:
    """Does this (folded) text end a sentence? Closing quotes/brackets count after a final mark."""
    text = folded.rstrip()
    while text and (text[-1] in _CLOSING_QUOTES or text[-1] in _BRACKETS):
        last = text[-1]
        if last in _BRACKETS:
            opener = text.rfind(_BRACKETS[last])
            text = text[:opener].rstrip() if opener >= 0 else text[:-1]
            if not text:
                return True  # the whole block is a bracketed note
        else:
            text = text[:-1].rstrip()
    if not text:
        return False
    last = text[-1]
    if last == ".":
        return len(text) > 1 and not text[-2].isdigit()
    return last in _FINAL


def _strip_markers(text: str, folded: str) -> tuple[str, str, str, str]:
    """Cut continuation markers out of a text line; report one found at its start or end."""
    at_start = at_end = ""
    found = list(_MARKER.finditer(folded)) if "版" in folded or "页" in folded or "面" in folded else []
    for match in reversed(found):
        verb = match.group("verb")
        start, end = match.span()
        if not folded[end:].strip():
            at_end = verb
        elif not folded[:start].strip():
            at_start = verb
        text, folded = text[:start] + text[end:], folded[:start] + folded[end:]
    text, folded = _trim(text, folded)
    return text, folded, at_start, at_end


def _trim(text: str, folded: str) -> tuple[str, str]:
    """Strip white space from both copies at the same offsets (folding keeps offsets)."""
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    return text[start:end], folded[start:end]


def _marker_kind(verb: str) -> str:
    if verb in _SEE_VERBS:
        return "see"
    return "before" if verb in _BEFORE_VERBS else "after"


def _debris_kind(folded: str) -> str | None:
    """The kind of a whole line of layout debris, or None for text."""
    if len(folded) > MAX_DEBRIS_CHARS:
        return None
    match = _MARKER_LINE.match(folded)
    if match:
        return _marker_kind(match.group("verb"))
    if _CREDIT_LINE.match(folded):
        return "credit"
    if PAGE_HEADER.match(folded):
        return "drop"
    if _NUMERAL_ONLY.match(folded):
        return None
    if _BYLINE_PAREN.match(folded):
        return "byline"
    if _REPORTER_LINE.match(folded):
        return "reporter"
    if _BYLINE_BARE.match(folded) or _SOURCE_LINE.match(folded):
        return "drop"
    return None


def _read_line(raw: str, raw_folded: str, line: int, group: int, gap_before: bool) -> list[_Line]:
    """Classify one non-blank line on its own; a line may yield text plus a marker."""
    start, end = len(raw) - len(raw.lstrip()), len(raw.rstrip())
    mark = _HEADING_MARK.match(raw, start, end)
    heading = mark is not None
    if mark:
        start = mark.end()
        start += len(raw[start:end]) - len(raw[start:end].lstrip())
    text, folded = raw[start:end], raw_folded[start:end]
    if not text or _RULE_LINE.match(folded):
        return [_Line("drop", text, folded, line, group, gap_before)]
    kind = _debris_kind(folded)
    if kind:
        return [_Line(kind, text, folded, line, group, gap_before)]
    text, folded, at_start, at_end = _strip_markers(text, folded)
    caption = False
    credit = None
    if _CREDIT_WORDS.search(folded[-12:]):
        credit = _TRAILING_CREDIT.search(folded, max(0, len(folded) - MAX_DEBRIS_CHARS))
    if credit:
        (text, folded), caption = _trim(text[:credit.start()], folded[:credit.start()]), True
    caption = caption or bool(_CAPTION_START.match(folded))
    out = []
    if at_start:
        out.append(_Line(_marker_kind(at_start), "", "", line, group, gap_before))
    if text:
        out.append(_Line("text", text, folded, line, group, gap_before and not at_start,
                         heading=heading, caption=caption))
    if at_end:
        out.append(_Line(_marker_kind(at_end), "", "", line, group, False))
    return out


def _fold_lines(text: str) -> tuple[list[str], list[str]]:
    """The page's lines, as printed and folded (one fold call for the whole page: it is the cost)."""
    raw = text.split("\n")
    folded = fold(text).split("\n")
    if len(folded) != len(raw) or any(len(a) != len(b) for a, b in zip(raw, folded)):
        folded = [fold(line) for line in raw]  # a fold that changed a length: keep lines apart
    return raw, folded


def _read_lines(doc: SourceDoc) -> list[_Line]:
    lines: list[_Line] = []
    blanks, group = GAP_BLANK_LINES, 0
    raw_lines, folded_lines = _fold_lines(doc.text)
    for number, (raw, folded) in enumerate(zip(raw_lines, folded_lines), start=doc.first_line):
        if not raw.strip():
            blanks += 1
            continue
        if blanks:
            group += 1
        lines.extend(_read_line(raw, folded, number, group, blanks >= GAP_BLANK_LINES))
        blanks = 0
    return lines


def _mark_captions(lines: list[_Line]) -> None:
    """Text just above a photo credit is a caption, back to the image's gap (a few paragraphs at most)."""
    for index, item in enumerate(lines):
        if item.kind == "text" and not item.caption and _is_bare_credit(lines, index):
            item.kind = "credit"
        if item.kind == "credit":
            for i in _caption_lines(lines, index):
                lines[i].caption = True


def _caption_lines(lines: list[_Line], credit: int) -> list[int]:
    """The text lines a credit belongs to: up to the image's gap, else just the paragraph above."""
    chosen: list[int] = []
    first_group: list[int] = []
    i = credit - 1
    for _ in range(MAX_CAPTION_BLOCKS):
        if i < 0 or lines[i].kind != "text":
            break
        group, gap = lines[i].group, False
        while i >= 0 and lines[i].kind == "text" and lines[i].group == group:
            chosen.append(i)
            gap = gap or lines[i].gap_before
            i -= 1
        first_group = first_group or list(chosen)
        if gap:
            return chosen
    return first_group


def _is_bare_credit(lines: list[_Line], index: int) -> bool:
    """A bare name ("晋向阳") right under a caption that says it is one ("图为……")."""
    item = lines[index]
    if index == 0 or not _NAME_ONLY.match(item.folded) or _NAME_ACTION.search(item.folded):
        return False
    above = lines[index - 1]
    return above.kind == "text" and above.caption and is_final(above.folded)


def _headline_shaped(item: _Line) -> bool:
    """Short, no sentence-final mark, no dateline: could be a headline."""
    if item.kind != "text" or item.caption or DATELINE.match(item.folded) or item.folded[:1] in _CONTINUES:
        return False
    limit = MAX_SUBTITLE_CHARS if item.folded.startswith(("——", "--", "—")) else MAX_HEADLINE_CHARS
    return _headline_length(item.folded) <= limit and not is_final(item.folded)


def _headline_length(folded: str) -> int:
    """Length without a trailing column tag: "为了村民的美好梦想(…·身边的初心使命)"."""
    tag = _TRAILING_TAG.search(folded)
    return tag.start() if tag and tag.start() > 0 else len(folded)


def _stacked_groups(lines: list[_Line], wrapped: set[int]) -> set[int]:
    """Groups of 2..5 lines printed without blank lines, every one headline-shaped."""
    members: dict[int, list[_Line]] = {}
    for item in lines:
        members.setdefault(item.group, []).append(item)
    stacked = set()
    for group, items in members.items():
        texts = [i for i in items if i.kind == "text"]
        if 2 <= len(texts) <= MAX_STACK_LINES and all(_headline_shaped(i) for i in texts):
            stacked.add(group)
    return stacked - {lines[i].group for i in wrapped}


def _wrapped_lines(lines: list[_Line]) -> set[int]:
    """Lines of a page hard-wrapped at a column width: full-width lines running on in their group.

    Most OCR pages put a paragraph on one line; a page wrapped at a fixed width shows it
    as many text lines of exactly one length. Such a line is never a headline.
    """
    texts = [i for i, item in enumerate(lines) if item.kind == "text"]
    lengths = Counter(len(lines[i].folded) for i in texts if len(lines[i].folded) >= MIN_COLUMN_CHARS)
    if not lengths:
        return set()
    width, count = lengths.most_common(1)[0]
    count += lengths.get(width - 1, 0) + lengths.get(width + 1, 0)
    if count < MIN_WRAPPED_LINES or count < WRAPPED_SHARE * len(texts) or width > MAX_HEADLINE_CHARS * 2:
        return set()
    return {
        i for i in texts
        if abs(len(lines[i].folded) - width) <= 1
        and i + 1 < len(lines) and lines[i + 1].kind == "text" and lines[i + 1].group == lines[i].group
    }


def _next_content(lines: list[_Line], index: int) -> int | None:
    for later in range(index + 1, len(lines)):
        if lines[later].kind not in ("drop", "credit"):
            return later
    return None


def _resolve_headlines(lines: list[_Line]) -> None:
    """Decide headline or body for every text line, left to right."""
    wrapped = _wrapped_lines(lines)
    stacked = _stacked_groups(lines, wrapped)
    sentence_open = False  # the last body line stopped mid-sentence
    for index, item in enumerate(lines):
        if item.kind in ("before", "after", "see", "byline", "reporter", "drop"):
            sentence_open = False
            continue
        if item.kind != "text":
            continue
        if item.caption:
            item.role = "body"  # an aside: the sentence around it stays open or closed
            continue
        if index in wrapped:
            item.role = "body"
            sentence_open = not is_final(item.folded)
            continue
        after = _next_content(lines, index)
        after_line = lines[after] if after is not None else None
        more = after_line is not None and after not in wrapped and _headline_shaped(after_line)
        headline = item.group in stacked or _is_headline(item, after_line, sentence_open, more)
        item.role = "headline" if headline else "body"
        sentence_open = item.role == "body" and not is_final(item.folded)
        if item.role == "body" and _DATELINE_ONLY.match(item.folded):
            sentence_open = True


def _demote_long_runs(lines: list[_Line]) -> None:
    """More headline-shaped lines in a row than any headline stack has: a list or a poem.

    The first line (or the leading Markdown headings) stays its title; the rest are
    short paragraphs of their own.
    """
    run: list[_Line] = []
    for item in lines + [None]:
        if item is not None and item.kind in ("drop", "credit"):
            continue
        if item is not None and item.kind == "text" and item.role == "headline":
            run.append(item)
            continue
        if len(run) > MAX_HEADLINE_RUN:
            keep = 1
            while keep < len(run) and run[0].heading and run[keep].heading:
                keep += 1
            for line in run[keep:]:
                line.role, line.standalone = "body", True
        run = []


def _is_headline(item: _Line, after: _Line | None, sentence_open: bool, more: bool) -> bool:
    """A text line outside a headline stack; `more`: a headline-shaped line comes next."""
    folded = item.folded
    if DATELINE.match(folded):
        return False
    if item.heading:
        return len(folded) <= MAX_SUBTITLE_CHARS or not is_final(folded)
    opens_article = after is not None and (
        after.kind in ("see", "reporter")
        or (after.kind == "text" and not after.caption and (after.heading or bool(DATELINE.match(after.folded))))
    )
    if not _headline_shaped(item):
        # "奋斗吧,青年!" over a dateline is a headline that happens to end with "!".
        return opens_article and len(folded) <= MAX_HEADLINE_CHARS and folded[-1:] in "!?"
    if opens_article:
        return True
    if more and not sentence_open and folded.endswith(_KICKER_ENDS):
        return True  # a kicker (引题) over its headline: "致敬扶贫第一书记——"
    if sentence_open or folded[-1] in _CLAUSE_END:
        return False  # the tail of an open sentence, or a clause cut by the column
    if _SENTENCE_INSIDE.search(folded):
        # "会议强调,今年是中国共产党成立100": a sentence cut short, unless more headlines follow.
        return more
    return True


@dataclass
class _DraftBlock:
    parts: list[str]
    folded_parts: list[str]
    start: int
    end: int
    caption: bool
    final: bool  # its last sentence is complete (or nothing may be joined to it any more)
    section: str = ""

    def extend(self, item: _Line) -> None:
        self.parts.append(item.text)
        self.folded_parts.append(item.folded)
        self.end = item.line
        self.final = is_final(item.folded)


@dataclass
class _Draft:
    title: list[str] = field(default_factory=list)
    title_line: int | None = None
    blocks: list[_DraftBlock] = field(default_factory=list)
    photo: bool = False  # opened by a captioned image, not by a headline or dateline
    tail: _DraftBlock | None = None  # last non-caption block, while its sentence may continue
    section: str = ""  # the section head the next blocks stand under
    last_group: int = -1  # the run of lines (no blank line between) the last body line was in


class _Assembler:
    """Feed resolved lines in order; collect articles."""

    def __init__(self) -> None:
        self.drafts: list[_Draft] = []
        self.current: _Draft | None = None
        self.resume: _Draft | None = None  # the article a photo interrupted
        self.pending: list[_Line] = []  # headlines waiting for their body
        self.fresh = False  # the next body line starts a new article

    def feed(self, item: _Line) -> None:
        handler = getattr(self, "_on_" + ("headline" if item.role == "headline" else item.kind))
        handler(item)

    def _on_headline(self, item: _Line) -> None:
        self.pending.append(item)
        self._close_tail()

    def _on_before(self, item: _Line) -> None:
        self._close_tail()
        if not self.pending:
            self.fresh = True

    def _on_after(self, item: _Line) -> None:
        if self.pending:
            self._open(photo=False)  # headlines with nothing under them: a teaser
            self.current = None
        self._close_tail()
        self.fresh = True

    _on_see = _on_after

    def _on_byline(self, item: _Line) -> None:
        draft = self.current
        if draft and draft.blocks and not self.pending and not draft.photo:
            block = draft.blocks[-1]
            if block.final:  # a finished paragraph signs off: "……安全基础。(申 波)"
                block.extend(item)
        self._on_drop(item)

    def _on_drop(self, item: _Line) -> None:
        self._close_tail()
        self.fresh = True

    _on_reporter = _on_drop

    def _on_credit(self, item: _Line) -> None:
        if self.current and self.current.photo:
            self.current = self.resume
            self.resume = None

    def _on_text(self, item: _Line) -> None:
        if item.caption:
            self._caption(item)
        else:
            self._body(item)

    def _caption(self, item: _Line) -> None:
        draft = self.current
        if self.pending:
            draft = self._open(photo=False)
        elif draft is None or (item.gap_before and not draft.photo and _tail_done(draft)):
            self.resume = draft
            draft = self._open(photo=True)
        last = draft.blocks[-1] if draft.blocks else None
        if last and last.caption and not last.final and not item.gap_before:
            last.extend(item)  # a caption cut by the column
        else:
            draft.blocks.append(_new_block(item, caption=True))

    def _body(self, item: _Line) -> None:
        draft = self.current
        dateline = bool(DATELINE.match(item.folded))
        if draft is not None and draft.photo:
            draft = self.current = self.resume
            self.resume = None
        if self.pending and not self.fresh and _section_head(draft, self.pending, item, dateline):
            draft.section = " ".join(p.text for p in self.pending)
            self.pending = []
        if self.pending:
            draft = self._open(photo=False)
        elif draft is None or self.fresh or (dateline and _has_body(draft)):
            draft = self._open(photo=False)
        elif draft.tail is not None and not dateline and not item.standalone and (
                not draft.tail.final or item.folded[:1] in _CONTINUES or _continues_list(draft.tail, item)):
            draft.tail.extend(item)
            return
        self.fresh = False
        block = _new_block(item, caption=False)
        block.section = draft.section
        if _DATELINE_ONLY.match(item.folded):
            block.final = False
        draft.blocks.append(block)
        draft.tail = block
        draft.last_group = item.group

    def _open(self, photo: bool) -> _Draft:
        draft = _Draft(photo=photo)
        if self.pending:
            draft.title = [p.text for p in self.pending]
            draft.title_line = self.pending[0].line
            self.pending = []
        self.drafts.append(draft)
        self.current = draft
        self.fresh = False
        return draft

    def _close_tail(self) -> None:
        for draft in (self.current, self.resume):
            if draft is not None and draft.tail is not None:
                draft.tail.final = True

    def finish(self) -> list[Article]:
        if self.pending:
            self._open(photo=False)
        return [_article(d) for d in self.drafts]


def _new_block(item: _Line, caption: bool) -> _DraftBlock:
    final = item.standalone or is_final(item.folded)
    return _DraftBlock([item.text], [item.folded], item.line, item.line, caption, final)


def _continues_list(tail: _DraftBlock, item: _Line) -> bool:
    """The paragraph is the next item of a list the block above announces or runs
    ("……如下：" then "一是……", "一是……" then "二是……"), and the whole stays short enough to quote."""
    match = _LIST_ITEM.match(item.folded)
    if match is None or sum(map(len, tail.folded_parts)) + len(item.folded) > MAX_LIST_CHARS:
        return False
    last = tail.folded_parts[-1]
    style = match.lastgroup
    if style == "seq":
        number = _SEQUENCE[match.group("seq")]
        before = ("首先",) if number == 2 else ("其次", "再次")
    else:
        number = _CN_ORDINALS.index(match.group(style)) + 1
        previous = _CN_ORDINALS[number - 2] if number > 1 else ""
        before = {"shi": (f"{previous}是",), "di": (f"第{previous}",), "paren": (f"({previous})",)}[style]
    if number == 1:
        return last.rstrip().endswith(":")  # "……措施如下：" announces it
    return any(marker in last for marker in before)


def _section_head(draft: _Draft | None, pending: list[_Line], body: _Line, dateline: bool) -> bool:
    """A headline (one line, or a kicker and its line) set in the article's own run of text
    (no blank line above or below, the paragraph above finished, no byline or dateline
    under it) heads a section of that article (小标题): a new article is set off from the
    one before it."""
    if draft is None or draft.photo or draft.tail is None or not draft.tail.final or len(pending) > MAX_SECTION_LINES:
        return False
    return (not dateline and all(not h.heading and h.group == draft.last_group for h in pending)
            and body.group == draft.last_group and not pending[0].folded.startswith(("——", "--", "—")))


def _tail_done(draft: _Draft) -> bool:
    return draft.tail is None or draft.tail.final


def _has_body(draft: _Draft) -> bool:
    return draft.tail is not None or draft.photo or not draft.title


def _article(draft: _Draft) -> Article:
    blocks = [Block("".join(b.parts), b.start, b.end, b.caption, "".join(b.folded_parts), b.section)
              for b in draft.blocks]
    return Article(" ".join(draft.title), blocks, draft.title_line)


def split_articles(doc: SourceDoc) -> list[Article]:
    """The page's articles in reading order; title-only articles (teasers) have no blocks."""
    lines = _read_lines(doc)
    _mark_captions(lines)
    _resolve_headlines(lines)
    _demote_long_runs(lines)
    texts = [line for line in lines if line.kind == "text"]
    if doc.record is not None and all(line.role == "headline" for line in texts):
        for line in texts:  # a record is there for its text, however short
            line.role, line.standalone = "body", True
    assembler = _Assembler()
    for item in lines:
        assembler.feed(item)
    return assembler.finish()


_CAPTION_INSIDE = re.compile("(?:^|[。!?(\\[【])\\s*图为")


def looks_like_caption(folded: str) -> bool:
    """A photo caption (folded text): opened by 图为/上图/▲…, holding a "（图为…）", or
    signed by a photographer ("……会场。梁琛 摄")."""
    return bool(_CAPTION_START.match(folded) or _CAPTION_INSIDE.search(folded) or _TRAILING_CREDIT.search(folded))
