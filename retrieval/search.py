"""The engine's front door: open a corpus, keep its index fresh, answer questions.

    archive = Archive.open(load_config())
    answers = archive.ask("首批揭榜挂帅技术攻关的企业发放了多少补助？")

Every front end (the command line, the chat app, the benchmarks) goes through here.
"""

from __future__ import annotations

from collections.abc import Callable

from .config import Config
from .models import AnswerSet, IndexSummary, Paragraph

# progress(stage, done, total): front ends draw it; total 0 means "unknown".
Progress = Callable[[str, int, int], None]


class Archive:
    """An indexed corpus. Opening it builds or refreshes the on-disk index."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.summary: IndexSummary | None = None

    @classmethod
    def open(cls, config: Config, *, progress: Progress | None = None, refresh: bool = True) -> Archive:
        """Load the index for `config.corpus`, building or updating it first when needed.

        With refresh=False an existing index is used as it is (no look at the corpus).
        """
        raise NotImplementedError

    def ask(self, question: str, *, top: int | None = None, since: str | None = None,
            until: str | None = None) -> AnswerSet:
        """Answer one question. `since`/`until` take 2021, 2021-04 or 2021-04-27."""
        raise NotImplementedError

    def paragraph(self, paragraph_id: str) -> Paragraph:
        """The paragraph with this id (raises KeyError when there is none)."""
        raise NotImplementedError

    def article(self, paragraph_id: str) -> list[Paragraph]:
        """Every paragraph of the article this paragraph belongs to, in reading order."""
        raise NotImplementedError

    def page(self, paragraph_id: str) -> list[Paragraph]:
        """Every paragraph of the page (file or record) this paragraph belongs to."""
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError
