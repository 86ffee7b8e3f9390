"""Factoid questions: the relation a question asks of its subject, and how text states its answer.

"莱昂德罗·内托的国籍是哪个国家？" asks for a nationality, which a biography never writes with
the word 国籍: it writes "巴西足球运动员" in the sentence that introduces the man. A career is
"台湾男演员兼模特儿", a birthplace "湖广公安人", a parent "后白河天皇第三皇子" or "邵雍之子",
an author "由史蒂芬·金…出版" or "姚铉编". Each relation below pairs the words a question asks
it with (a pattern on the question) with the form its answer takes (a pattern on the text);
the quote chooser credits a window that holds the answer's form (answers.window_table,
feature "relation", its weight fitted on CMRC trial). Newspapers introduce people the same
way ("全国人大代表、xx村党支部书记张某", "来自云南的…"): the forms are how Chinese text
states these facts, not how one source does.

The question's wording picks the relation; nothing here ranks passages.
"""

from __future__ import annotations

import re

# Work people are introduced by (a biography's first sentence, a news story's byline of a source).
ROLES = ("运动员|球员|教练|裁判|演员|歌手|模特儿?|主持人|艺人|偶像|声优|配音员|导演|编剧|制片人|作家|诗人|小说家|"
         "画家|漫画家|插画家|书法家|雕塑家|摄影师|音乐家|作曲家|作词人|指挥家|钢琴家|舞蹈家|政治家|政治人物|政治家|"
         "外交官|官员|军人|将领|将军|军官|企业家|商人|银行家|实业家|科学家|数学家|物理学家|化学家|生物学家|天文学家|"
         "医学家|经济学家|历史学家|哲学家|社会学家|语言学家|考古学家|地理学家|学者|教授|教师|教育家|记者|律师|医生|"
         "工程师|建筑师|设计师|发明家|探险家|革命家|思想家|评论家|翻译家|僧人|法师|传教士|牧师|主教|皇帝|国王|君主|"
         "亲王|公主|大臣|宰相|官吏|艺术家|魔术师|厨师|赛车手|车手|骑师|拳击手|棋手|选手|运动家|企业管理者|"
         "主播|博主|社会活动家|慈善家|收藏家")
_ROLE = f"(?:{ROLES})"
# Countries and regions a person is "of" ("巴西足球运动员", "美籍日裔企业家", "德国歌手").
COUNTRIES = ("中国|美国|英国|法国|德国|日本|韩国|朝鲜|俄罗斯|苏联|意大利|西班牙|葡萄牙|荷兰|比利时|瑞士|瑞典|挪威|"
             "丹麦|芬兰|冰岛|爱尔兰|奥地利|波兰|捷克|斯洛伐克|匈牙利|罗马尼亚|保加利亚|希腊|土耳其|塞尔维亚|克罗地亚|"
             "斯洛文尼亚|波黑|乌克兰|白俄罗斯|加拿大|墨西哥|巴西|阿根廷|智利|秘鲁|哥伦比亚|委内瑞拉|乌拉圭|巴拉圭|"
             "厄瓜多尔|古巴|澳大利亚|澳洲|新西兰|印度|巴基斯坦|孟加拉|尼泊尔|斯里兰卡|泰国|越南|老挝|柬埔寨|缅甸|"
             "马来西亚|新加坡|印度尼西亚|印尼|菲律宾|蒙古|哈萨克斯坦|伊朗|伊拉克|以色列|沙特|埃及|南非|尼日利亚|"
             "肯尼亚|埃塞俄比亚|摩洛哥|阿尔及利亚|突尼斯|喀麦隆|加纳|科特迪瓦|塞内加尔|香港|台湾|澳门|苏格兰|英格兰|"
             "威尔士|北爱尔兰|格鲁吉亚|亚美尼亚|阿塞拜疆|立陶宛|拉脱维亚|爱沙尼亚")

_AMOUNT = r"\d+(?:[.,]\d+)*(?:\s*(?:至|到|-|－|~|～)\s*\d+(?:[.,]\d+)*)?"
CONTINENTS = "亚洲|欧洲|非洲|北美洲?|南美洲?|美洲|大洋洲|南极洲?|中东|东南亚|中亚|西亚|北非|东非|西非|南亚"
# Either, as a pattern that fails fast: most characters start no name (a scan of every window).
_FIRST = "".join(sorted({n[0] for n in f"{COUNTRIES}|{CONTINENTS}".split("|")}))
NAMED_PLACES = f"(?=[{_FIRST}])(?:{COUNTRIES}|{CONTINENTS})"

# (relation, the question's words, the answer's form in text)
RELATIONS: tuple[tuple[str, re.Pattern, re.Pattern], ...] = (
    ("nationality", re.compile(r"国籍|哪国人|哪个国家的|哪一国|哪国的"),
     re.compile(rf"(?:{COUNTRIES})(?:籍|裔|人|[^，。；,;]{{0,6}}{_ROLE})")),
    ("occupation", re.compile(r"职业|身份|做什么的|从事什么|什么工作|干什么的|什么行业"),
     re.compile(_ROLE)),
    # a player's place on the field: 司职前锋, 担任攻击型中场, 踢后卫
    ("position", re.compile(r"位置|司职|踢什么|打什么"),
     re.compile(r"司职|前锋|中场|后卫|后腰|中锋|边锋|守门员|门将|自由人|投手|捕手|[内外]野手|游击手|控球|二传|主攻|副攻")),
    # where a person is from: "湖广公安人", "祖籍范阳", "生于…"
    ("hometown", re.compile(r"哪里人|哪儿人|何地人|何处人|籍贯|祖籍|老家|出生地|哪里出生|出生在哪|生于哪|出身"),
     re.compile(r"籍贯|祖籍|原籍|[\u4e00-\u9fff]{2,}人(?=[，,。；;、）)（(]|$)|出生于|生于|出身")),
    ("kin", re.compile(r"儿子|女儿|之子|之女|父亲|母亲|妻子|丈夫|孩子|子女|后代|后裔|兄弟|姐妹|哥哥|弟弟|姐姐|妹妹|"
                       r"谁的(?:儿|女|孩|父|母|妻|夫|后)"),
     re.compile(r"之子|之女|[长次三四五六七八九幼独养嫡庶]子|[长次三四五六幼独养嫡庶]女|皇子|王子|皇女|公主|儿子|女儿|"
                r"[之生养]父|[之生养]母|父亲|母亲|所生|妻子|丈夫|夫人|之妻|嫁给|娶|胞[兄弟姐妹]|兄长|哥哥|弟弟|姐姐|妹妹")),
    # "由史蒂芬·金1987年出版", "漫画家木下樱…所合著", "姚铉编"
    ("author", re.compile(r"作者|谁写|谁著|谁编|谁所?(?:作|写|著|编)|由谁(?:所)?(?:编|著|写|创作|撰)|谁创作|执笔"),
     re.compile(rf"[所编撰]著|(?<!显)著(?!名)|[编撰]写?|所作|创作|执笔|作者|由[^，。；]{{2,12}}出版|{_ROLE}")),
    # where something is: a country, a continent, a place name ("分布于今日的南美洲", "坐落于长崎县大村市")
    ("place", re.compile(r"(?:哪个|哪些|哪一?|什么)(?:地区|地方|地点|区域|国家|城市|省份?|地带|海域)|发现地|发源地|产地|所在地|地点"),
     re.compile(rf"{NAMED_PLACES}|[\u4e00-\u9fff]{{1,8}}(?:省|市|县|区|州|郡|府|岛|山脉?|河|江|湖|海|洋|半岛|群岛|盆地|高原|平原)")),
    # the other names of a thing: "又名泽鹿", "亦称…"
    ("alias", re.compile(r"又(?:叫|称|名)|别(?:名|称)|(?:叫|称)(?:做|作)?什么名字?|被称为什么|名称"),
     re.compile(r"又称|又名|又叫|又作|又译|别名|别称|原名|简称|俗称|全称|本名|旧称|亦称|也称|或称|通称|俗名|旧名|称为|称作|叫做|亦作")),
    ("food", re.compile(r"食物|吃什么|以什么为食|食性|捕食什么|猎食什么"),
     re.compile(r"为食|[捕猎觅啃进摄]食|吃|食用|食性|草食|肉食|杂食")),
    # a length is answered by a number in units of length: 体长 -> "长86厘米", 全长 -> "约2.8公里"
    ("length", re.compile(r"体长|身长|全长|长度|多长(?!时间)|总长|跨度|直径|翼展"),
     re.compile(rf"{_AMOUNT}\s*(?:厘米|公分|毫米|公尺|千米|公里|英尺|英寸|英里|米|呎|吋|cm|mm|km|m)")),
    # the end of a life and the start of a line's or a building's service: each written many ways
    ("death", re.compile(r"去世|逝世|卒|死|过世|病逝|身亡|遇害"),
     re.compile(r"去世|逝世|病逝|病故|卒|死|过世|身亡|殁|薨|崩|遇害|被杀|遇刺|自尽|自杀")),
    ("opening", re.compile(r"投入使用|启用|开通|通车|开业|投入运营|开始运营|开放|落成"),
     re.compile(r"启用|开通|通车|开业|投入使用|交付运营|投入运营|开始运营|正式运营|开放|落成|竣工")),
    # a ruler's or official's posthumous name: 谥号 -> "追谥文毅", "谥文通"
    ("posthumous", re.compile(r"谥号|谥"), re.compile(r"谥")),
    # how a battle or a match ended: "以法国军队的获胜而告终"
    ("outcome", re.compile(r"(?:战役|战争|战斗|比赛|决赛|对决|选举)的?(?:结果|胜负|结局)|谁(?:赢|胜)|(?:赢|胜)了"),
     re.compile(r"告终|获胜|胜利|战胜|击败|打败|败于|败给|落败|胜出|夺得|当选|失利")),
    # an era: "存在于寒武纪到志留纪", "20世纪20年代"
    ("era", re.compile(r"(?:什么|哪个|哪一)(?:时期|年代|时代|地质年代)|生活时期|生存(?:年代|时期)"),
     re.compile(r"[\u4e00-\u9fff]{1,3}纪|\d{1,2}世纪|\d+年代|时代|时期")),
    ("colour", re.compile(r"颜色|什么色|体色"), re.compile(r"[\u4e00-\u9fff]色")),
    ("actor", re.compile(r"扮演|饰演|主演|配音|声优"), re.compile(r"饰演|扮演|饰|主演|配音|声优|演出")),
)


def relations_asked(question: str) -> tuple[tuple[str, re.Pattern], ...]:
    """Each relation `question` (folded) asks for: the words that ask it, the answer's form in text."""
    return tuple((m.group(), cue) for _, asked, cue in RELATIONS if (m := asked.search(question)))
