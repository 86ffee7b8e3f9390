"""The calendar facts dating reads a page against: what a newspaper's words say about its year.

Tables of founding years (anniversaries), ordinal recurring events, and words that did
not exist before a year; cycles (zodiac, ganzhi, five-year plans, weekdays) are computed,
not listed. Everything here is data; `date_evidence.py` finds it in text.
"""

from __future__ import annotations

import datetime as _dt

# "新中国成立70周年" -> 1949 + 70. Longest names first when matched; each is what the
# anniversary is counted from, as newspapers name it.
FOUNDING_YEARS: dict[str, int] = {
    "中国共产党": 1921, "共产党": 1921, "我们党": 1921, "建党": 1921, "党": 1921,
    "新中国": 1949, "中华人民共和国": 1949, "共和国": 1949, "人民政协": 1949,
    "改革开放": 1978, "人民军队": 1927, "建军": 1927, "中国人民解放军": 1927, "南昌起义": 1927,
    "抗日战争胜利": 1945, "抗战胜利": 1945, "世界反法西斯战争胜利": 1945, "联合国": 1945,
    "全民族抗战": 1937, "七七事变": 1937, "南京大屠杀": 1937, "九一八事变": 1931,
    "香港回归": 1997, "香港回归祖国": 1997, "澳门回归": 1999, "澳门回归祖国": 1999,
    "五四运动": 1919, "长征胜利": 1936, "红军长征胜利": 1936, "辛亥革命": 1911, "遵义会议": 1935,
    "西藏和平解放": 1951, "西藏民主改革": 1959, "抗美援朝": 1950, "中国人民志愿军抗美援朝出国作战": 1950,
    "人民代表大会成立": 1954, "全国人民代表大会成立": 1954, "民族区域自治": 1947, "内蒙古自治区成立": 1947,
    "新疆维吾尔自治区成立": 1955, "宁夏回族自治区成立": 1958, "广西壮族自治区成立": 1958,
    "西藏自治区成立": 1965, "深圳经济特区": 1980, "经济特区": 1980, "浦东开发开放": 1990,
    "恢复高考": 1977, "中美建交": 1979, "中日邦交正常化": 1972, "中俄建交": 1949,
    "中国加入世贸组织": 2001, "加入世贸组织": 2001, "上海合作组织成立": 2001,
    "“一带一路”倡议提出": 2013, "一带一路倡议提出": 2013, "十一届三中全会": 1978,
    "共青团": 1922, "中国共产主义青年团": 1922, "人民日报创刊": 1948, "新华社": 1931,
    "毛泽东同志诞辰": 1893, "邓小平同志诞辰": 1904, "周恩来同志诞辰": 1898, "刘少奇同志诞辰": 1898,
    "朱德同志诞辰": 1886, "孙中山先生诞辰": 1866, "马克思诞辰": 1818,
    "十月革命": 1917, "第一次世界大战结束": 1918, "北京奥运会": 2008,
}

# A zodiac or ganzhi year repeats: the candidates are every year of the cycle.
ZODIAC = "鼠牛虎兔龙蛇马羊猴鸡狗猪"
STEMS = "甲乙丙丁戊己庚辛壬癸"
BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
EARLIEST_YEAR = 1900  # no page wenbao dates is older; cycles are unrolled from here


def latest_year() -> int:
    """No page is printed after this year."""
    return _dt.date.today().year


def zodiac_years(animal: str) -> list[int]:
    """Years of this animal: 2019 is 猪 (the cycle starts with 鼠 in 2020, 2008, …)."""
    offset = ZODIAC.index(animal)
    return [y for y in range(EARLIEST_YEAR, latest_year() + 2) if (y - 2020) % 12 == offset]


def ganzhi_years(stem: str, branch: str) -> list[int]:
    """Years of this stem-branch pair: 己亥 is 2019, 1959, … (甲子 was 1984)."""
    s, b = STEMS.index(stem), BRANCHES.index(branch)
    return [y for y in range(EARLIEST_YEAR, latest_year() + 2)
            if (y - 1984) % 10 == s and (y - 1984) % 12 == b]


def plan_years(ordinal: int) -> tuple[int, int]:
    """The N-th five-year plan ("十三五" = 13: 2016–2020). The first two ran 1953–1962; after
    three years of adjustment the third began in 1966, and every plan since runs five years."""
    start = 1953 + 5 * (ordinal - 1) if ordinal <= 2 else 1966 + 5 * (ordinal - 3)
    return start, start + 4


def congress_year(ordinal: int) -> int | None:
    """The year of the Party's N-th national congress (十二大 1982, then every five years)."""
    return 1982 + 5 * (ordinal - 12) if ordinal >= 12 else None


# Plenary sessions of a Central Committee: years after its congress (一中 with the congress,
# 二中 and 三中 the next year, then one a year).
_PLENUM_OFFSET = {1: 0, 2: 1, 3: 1, 4: 2, 5: 3, 6: 4, 7: 5}


def plenum_year(congress: int, plenum: int) -> int | None:
    """"十九届四中全会" -> 2019."""
    base = congress_year(congress)
    return base + _PLENUM_OFFSET[plenum] if base and plenum in _PLENUM_OFFSET else None


def npc_session_year(term: int, session: int) -> int | None:
    """"十三届全国人大二次会议" (and the CPPCC's) -> 2019: terms of five years since 1978 (五届)."""
    return 1978 + 5 * (term - 5) + session - 1 if term >= 5 and 1 <= session <= 5 else None


# Yearly observances counted by the press ("第六个国家扶贫日", "第35个教师节"): the N-th falls in
# first + N − 1. (name as printed after "第N个", the year of the first)
ANNUAL_DAYS: dict[str, int] = {
    "教师节": 1985, "中国农民丰收节": 2018, "农民丰收节": 2018, "国家宪法日": 2014,
    "全民国家安全教育日": 2016, "烈士纪念日": 2014, "国家扶贫日": 2014, "扶贫日": 2014,
    "中国航天日": 2016, "国家公祭日": 2014, "南京大屠杀死难者国家公祭日": 2014, "全国助残日": 1991,
    "植树节": 1979, "世界读书日": 1996, "国际禁毒日": 1987, "中国记者节": 2000, "记者节": 2000,
    "国际消除贫困日": 1993, "世界标准日": 1970, "世界疟疾日": 2008, "全国低碳日": 2013,
    "中国品牌日": 2017, "世界知识产权日": 2001, "全国防灾减灾日": 2009, "防灾减灾日": 2009,
    "中国旅游日": 2011, "世界地球日": 1970, "世界水日": 1993, "全国节能宣传周": 1991,
    "国际残疾人日": 1992, "世界艾滋病日": 1988, "全国税收宣传月": 1992, "世界气象日": 1961,
    "世界无烟日": 1988, "世界献血者日": 2004, "国际博物馆日": 1977,
}

# Ordinal recurring events: the N-th is held in first + period·(N−1).
# (name as printed after "第N届", first year, period)
RECURRING_EVENTS: tuple[tuple[str, int, int], ...] = (
    ("中国国际进口博览会", 2018, 1), ("进口博览会", 2018, 1), ("进博会", 2018, 1),
    ("世界互联网大会", 2014, 1), ("中国国际服务贸易交易会", 2012, 1), ("京交会", 2012, 1),
    ("“一带一路”国际合作高峰论坛", 2017, 2), ("一带一路国际合作高峰论坛", 2017, 2),
    ("中国国际进口博览会", 2018, 1), ("世界智能大会", 2017, 1), ("数字中国建设峰会", 2018, 1),
    ("中国—东盟博览会", 2004, 1), ("广交会", 1957, 0), ("全国运动会", 1959, 4), ("全运会", 1959, 4),
    ("中国国际工业博览会", 1999, 1), ("世界军人运动会", 1995, 4), ("军运会", 1995, 4),
    ("中国国际高新技术成果交易会", 1999, 1), ("高交会", 1999, 1), ("夏季达沃斯论坛", 2007, 1),
    ("中非合作论坛部长级会议", 2000, 3), ("亚洲文明对话大会", 2019, 0),
)

# Words that did not exist before a year: a page that uses them is from that year or later.
# Only coinages and names: a generic term that an older text may use too is no floor
# ("新型冠状病毒" named SARS in 2003; "碳中和", "双循环", "高质量发展", "5g" (grams!) are older
# than their slogans), and where a word's first use is uncertain the floor is set early
# ("河长制" began in 2007, years before it went national); a bare "二十大" may be "二十大项目".
FIRST_USED: dict[str, int] = {
    "新冠肺炎": 2020, "新冠病毒": 2020, "新冠疫情": 2020, "covid-19": 2020, "疫情防控常态化": 2020,
    "十四五": 2015, "中国式现代化": 2021, "新质生产力": 2023, "chatgpt": 2022,
    "党的二十大": 2021, "二十大精神": 2021, "党的十九大": 2016, "十九大精神": 2016, "二十届": 2022, "全过程人民民主": 2019, "学习强国": 2019,
    "进博会": 2017, "进口博览会": 2017, "粤港澳大湾区": 2009, "雄安新区": 2017,
    "十九届": 2017, "新时代中国特色社会主义思想": 2017, "乡村振兴战略": 2017,
    "供给侧结构性改革": 2015, "一带一路": 2013, "精准扶贫": 2013, "人类命运共同体": 2011,
    "微信": 2011, "共享单车": 2015, "北斗三号": 2015,
    "河长制": 2007, "四个全面": 2014, "不忘初心、牢记使命”主题教育": 2019,
}

WEEKDAYS = "一二三四五六日"  # 星期一 … 星期日 (天 is 日); date.weekday() order
