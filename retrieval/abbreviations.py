"""How newspapers shorten what questions spell out: "中国和俄罗斯" is printed "中俄"
("中俄双边贸易额", "中美关系", "中非合作论坛"). A question that names China and another
country side by side also searches for the pair's short form, and one that uses the short
form also searches for the country's name. Terms are added, never taken away.
"""

from __future__ import annotations

import re

# The one character the press uses for a country (or region) beside 中.
COUNTRY_SHORT: dict[str, str] = {
    "俄罗斯": "俄", "美国": "美", "日本": "日", "韩国": "韩", "朝鲜": "朝", "法国": "法", "德国": "德",
    "英国": "英", "印度": "印", "巴基斯坦": "巴", "非洲": "非", "欧洲": "欧", "欧盟": "欧", "澳大利亚": "澳",
    "加拿大": "加", "越南": "越", "蒙古": "蒙", "老挝": "老", "柬埔寨": "柬", "泰国": "泰", "新加坡": "新",
    "马来西亚": "马", "菲律宾": "菲", "意大利": "意", "西班牙": "西", "希腊": "希", "埃及": "埃",
    "阿根廷": "阿", "巴西": "巴", "墨西哥": "墨", "新西兰": "新", "哈萨克斯坦": "哈", "白俄罗斯": "白",
    "塞尔维亚": "塞", "葡萄牙": "葡", "荷兰": "荷", "瑞士": "瑞", "瑞典": "瑞", "土耳其": "土",
    "伊朗": "伊", "古巴": "古", "缅甸": "缅", "尼泊尔": "尼", "斯里兰卡": "斯", "乌兹别克斯坦": "乌",
}
_NAMES = "|".join(sorted(COUNTRY_SHORT, key=len, reverse=True))
_PAIR = re.compile(f"中国(?:和|与|同|、|跟)({_NAMES})|({_NAMES})(?:和|与|同|、|跟)中国")
# "中俄" in a question: the short form, not followed by a character that makes it a word of its own.
_SHORT = re.compile("中(" + "|".join(sorted(set(COUNTRY_SHORT.values()))) + ")(?=两国|双边|关系|合作|贸易|建交|[^\\u4e00-\\u9fff]|$)")
_FULL = {short: name for name, short in reversed(list(COUNTRY_SHORT.items()))}


def _pairs(question: str):
    """(country, its short pair form) for each China–country pair `question` spells out."""
    for m in _PAIR.finditer(question):
        country = m.group(1) or m.group(2)
        yield country, "中" + COUNTRY_SHORT[country]


def alternatives(question: str) -> dict[str, tuple[str, ...]]:
    """The question's words a page may print shortened: {"中国": ("中俄",), "俄罗斯": ("中俄",)}."""
    out: dict[str, list[str]] = {}
    for country, short in _pairs(question):
        for word in ("中国", country):
            out.setdefault(word, []).append(short)
    return {word: tuple(dict.fromkeys(forms)) for word, forms in out.items()}


def expansions(question: str) -> list[str]:
    """Extra search text for `question` (folded): the short form of each China–country pair
    it spells out, and the country's name for each short form it uses."""
    out = [short for _, short in _pairs(question)]
    out += [_FULL[m.group(1)] for m in _SHORT.finditer(question)]
    return list(dict.fromkeys(out))
