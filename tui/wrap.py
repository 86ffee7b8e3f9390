"""Line breaking for Chinese text: CJK runs wrap by character, Latin words stay whole.

Rich and Textual break lines only at whitespace, so a CJK paragraph with one space in
it ("本报讯（记者 孙雄）…") breaks at that space when the rest does not fit, leaving a
ragged gap. Here every CJK character is a break opportunity, as in Chinese
typesetting; a Latin word or number is one unit; and the simple kinsoku rules hold:
no line starts with closing punctuation (，。）」…) and none ends with opening
punctuation (（「《…).

    break_offsets(text, width) -> [index, …]   where lines start (character offsets)
    CJKWrapped(content)                         a Textual visual that wraps this way
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich.cells import cell_len
from textual.content import Content

_CJK = (
    "\u1100-\u11ff\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff"
    "\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003ffff"
)
_UNIT = re.compile(rf"\s+|[{_CJK}]|[^\s{_CJK}]+")
NO_BREAK_BEFORE = frozenset("，。、；：？！）」』》〉】〕〗〙〛｝］…‥—–·・％‰℃,.;:?!)]}%'\"’”")
NO_BREAK_AFTER = frozenset("（「『《〈【〔〖〘〚｛［“‘([{")


def _segments(text: str) -> Iterator[tuple[int, int]]:
    """Runs of text that must stay on one line, in order; a line may break before each."""
    start = end = 0
    for unit in _UNIT.finditer(text):
        first, last = unit.group()[0], text[unit.start() - 1] if unit.start() else ""
        glued = (
            unit.start() == 0
            or first.isspace()  # spaces stay with what they follow
            or first in NO_BREAK_BEFORE
            or last in NO_BREAK_AFTER
        )
        if not glued:
            yield start, end
            start = unit.start()
        end = unit.end()
    if end > start:
        yield start, end


def break_offsets(text: str, width: int) -> list[int]:
    """Character offsets at which to start new lines so no line is wider than `width` cells."""
    width = max(width, 2)  # a CJK character needs two cells
    offsets: list[int] = []
    used = 0
    for start, end in _segments(text):
        segment = text[start:end]
        shown = cell_len(segment.rstrip())
        if used and used + shown > width:
            offsets.append(start)
            used = 0
        if shown <= width:
            used += cell_len(segment)
            continue
        for index, char in enumerate(segment, start):  # longer than a line: cut by character
            size = cell_len(char)
            if used and used + size > width and not char.isspace():
                offsets.append(index)
                used = 0
            used += size
    return offsets


class CJKWrapped(Content):
    """Content that wraps like Chinese text (see the module docstring), for any Static."""

    @classmethod
    def of(cls, content: Content) -> CJKWrapped:
        return cls(content.plain, list(content.spans))

    def wrapped(self, width: int) -> Content:
        """The same content with its own line breaks for `width` cells."""
        lines: list[Content] = []
        for line in Content(self.plain, list(self.spans)).split(allow_blank=True):
            lines.extend(part.rstrip() for part in line.divide(break_offsets(line.plain, width)))
        return Content("\n").join(lines)

    def get_height(self, rules, width: int) -> int:
        return self.wrapped(width).get_height(rules, width)

    def render_strips(self, width: int, height: int | None, style, options):
        return self.wrapped(width).render_strips(width, height, style, options)
