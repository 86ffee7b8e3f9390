"""Made-up newspaper archives for tests: many dated pages, with articles, page numbers
and one fact a test can ask about. Deterministic; no real newspaper text.

    write_archive(folder, paragraphs=3200) -> Path

Layout: `<folder>/2021-01-DD/NN.txt`, eight pages a day, a headline line before each
article of four paragraphs. Every paragraph is distinct (a serial number is in it).
"""

from __future__ import annotations

import random
from pathlib import Path

FACT_QUESTION = "青山镇今年新建了多少座蔬菜大棚？"
FACT_TEXT = "据镇政府统计，青山镇今年新建蔬菜大棚四百三十七座，带动农户增收。"
FACT_PAGE = "2021-01-03/02.txt"  # the page that holds the fact

_WORDS = ("街道 社区 居民 服务 中心 项目 建设 推进 会议 部署 工作 乡村 振兴 农业 产业 企业 技术 "
          "创新 学校 教育 医院 医疗 交通 道路 公园 环境 治理 文化 活动 志愿者 群众 干部 发展 改革").split()
PAGES_PER_DAY = 8
ARTICLES_PER_PAGE = 4
PARAGRAPHS_PER_ARTICLE = 4


def _sentence(rng: random.Random, serial: int) -> str:
    words = "".join(rng.choice(_WORDS) for _ in range(8))
    return f"第{serial}号通报指出，{words}，{rng.choice(_WORDS)}{rng.choice(_WORDS)}工作取得新进展。"


def write_archive(folder: Path, paragraphs: int = 3200, seed: int = 7) -> Path:
    rng = random.Random(seed)
    per_page = ARTICLES_PER_PAGE * PARAGRAPHS_PER_ARTICLE
    pages = -(-paragraphs // per_page)
    serial = 0
    for n in range(pages):
        day, page = divmod(n, PAGES_PER_DAY)
        relative = f"2021-01-{day + 1:02d}/{page + 1:02d}.txt"
        blocks = []
        for article in range(ARTICLES_PER_PAGE):
            blocks.append(f"{rng.choice(_WORDS)}{rng.choice(_WORDS)}{rng.choice(_WORDS)}第{n}版第{article + 1}篇")
            for _ in range(PARAGRAPHS_PER_ARTICLE):
                serial += 1
                blocks.append(_sentence(rng, serial))
        if relative == FACT_PAGE:
            blocks[-1] = FACT_TEXT
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return folder
