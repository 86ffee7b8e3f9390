"""How right are wenbao's dates? Points, ranges and unknowns against known print dates.

    python -m bench.dates                  # sample corpus + ../shared/data/rmrb-2019 pages and articles
    python -m bench.dates --write          # also put the table into docs/benchmarks.md
    python -m bench.dates --timing         # also: indexing time with the dating vs without

Every article of every file is scored against its file's print date (rmrb-2019: pages.tsv /
articles.tsv; the sample corpus: the dates tests/test_dates.py holds). A point year is right
when it is the print year; a point day when it is the print day or one or two days before
(a dateline is the day of the event). The range holds when the print day lies inside it.
Results are split by month (February for development, October held out).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from bench import REPO, SAMPLE_CORPUS, code_version, log, machine_summary, publish
from retrieval.date_folders import file_dating, folder_point, folder_years, year_span
from retrieval.dates import dates_of_articles
from retrieval.config import load_config
from retrieval.layout import split_articles
from retrieval.loaders import read_file
from retrieval.models import SourceDoc

_RECORDS = load_config(REPO / "config.yaml").records
DEFAULT_RMRB = REPO.parent / "shared" / "data" / "rmrb-2019"
# The print day of each sample page: the day after its latest dateline (tests/test_dates.py).
SAMPLE_PRINT_DATES = {"000": "2021-01-08", "001": "2022-01-13", "002": "2025-03-12",
                      "003": "2021-04-29", "004": "2022-09-21"}


@dataclass
class Tally:
    articles: int = 0
    points: int = 0  # a point year
    point_year_right: int = 0
    days: int = 0  # a full date
    day_right: int = 0
    ranges: int = 0  # no point, a range
    unknown: int = 0
    inside: int = 0  # truth inside the range (every article that has one)
    with_range: int = 0
    bounded: int = 0
    width_days: int = 0
    files: int = 0
    files_with_point: int = 0
    files_with_text_point: int = 0  # a point year from the file's own text (not its folder's)
    kinds: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0, 0]))  # n, point, right, range, inside

    def add(self, found, gold: str) -> None:
        gold_day = dt.date.fromisoformat(gold)
        self.articles += 1
        row = self.kinds[found.kind or "none"]
        row[0] += 1
        if found.year is not None:
            self.points += 1
            row[1] += 1
            if found.year == gold_day.year:
                self.point_year_right += 1
                row[2] += 1
            if found.date:
                self.days += 1
                lag = (gold_day - dt.date.fromisoformat(found.date)).days
                self.day_right += 0 <= lag <= 2
        elif found.date_min or found.date_max:
            self.ranges += 1
            row[3] += 1
        else:
            self.unknown += 1
        if found.date_min or found.date_max:
            self.with_range += 1
            ok = (found.date_min is None or found.date_min <= gold) and (found.date_max is None or gold <= found.date_max)
            self.inside += ok
            if found.year is None:
                row[4] += ok
            if found.date_min and found.date_max:
                self.bounded += 1
                self.width_days += (dt.date.fromisoformat(found.date_max) - dt.date.fromisoformat(found.date_min)).days + 1


def merged(a: Tally, b: Tally) -> Tally:
    """Two tallies added up (both months, without dating every file twice)."""
    out = Tally()
    for name in vars(out):
        if name != "kinds":
            setattr(out, name, getattr(a, name) + getattr(b, name))
    for tally in (a, b):
        for kind, row in tally.kinds.items():
            out.kinds[kind] = [x + y for x, y in zip(out.kinds[kind], row)]
    return out


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def _docs(path: Path) -> list[SourceDoc]:
    """The file as wenbao reads it (decoding, line ends, front matter): its folder is the root."""
    return read_file(path, path.parent, _RECORDS, lambda _: None)


def date_file(path: Path) -> list:
    found = []
    for doc in _docs(path):
        articles = [a for a in split_articles(doc) if a.blocks]
        found += dates_of_articles(doc, articles)
    return found


def date_files(files: list[tuple[Path, str, str]]) -> list[tuple[list, str]]:
    """Each file's article dates as wenbao gives them (its text, then its folder's year:
    the verdicts are taken over all `files` together, as an index takes them over its corpus)."""
    found = [date_file(path) for path, _, _ in files]
    verdicts = folder_years(file_dating(shown, [d.year for d in dates],
                                        [year_span(d.date_min, d.date_max) for d in dates
                                         if d.year is None and (d.date_min or d.date_max)])
                            for (_, shown, _), dates in zip(files, found))
    out = []
    for (_, shown, gold), dates in zip(files, found):
        out.append(([_with_folder(d, shown, verdicts) for d in dates], gold))
    return out


def _with_folder(d, shown: str, verdicts):
    point = None if d.year is not None else folder_point(shown, d.date_min, d.date_max, verdicts)
    if point is None:
        return d
    year, date, said = point
    return replace(d, year=year, date=date, source="folder", evidence=f"{said}; {d.evidence}", kind="folder")


def score(dated: list[tuple[list, str]]) -> Tally:
    tally = Tally()
    for found, gold in dated:
        if not found:
            continue
        tally.files += 1
        tally.files_with_point += all(d.year is not None for d in found)
        tally.files_with_text_point += all(d.year is not None and d.source != "folder" for d in found)
        for item in found:
            tally.add(item, gold)
    return tally


def rmrb_files(root: Path, kind: str) -> list[tuple[Path, str, str]]:
    rows = (root / f"{kind}.tsv").read_text(encoding="utf-8").splitlines()[1:]
    # The shown path must not carry a date: the file names carry none, and neither may ours.
    return [(root / kind / r.split("\t")[0], r.split("\t")[0], r.split("\t")[2]) for r in rows if r.strip()]


def sample_files() -> list[tuple[Path, str, str]]:
    return [(p, p.name, SAMPLE_PRINT_DATES[p.name[:3]]) for p in sorted(SAMPLE_CORPUS.glob("*.txt"))
            if p.name[:3] in SAMPLE_PRINT_DATES]


HEADER = ("| set | files | articles | point | range | unknown | point year right | point day right "
          "| truth in range | mean range width | files with a point year | … from their own text |")


def row(name: str, t: Tally) -> str:
    width = f"{t.width_days / t.bounded:.0f} d" if t.bounded else "–"
    open_ended = t.with_range - t.bounded
    if open_ended:
        width += f" ({open_ended} open)"
    return (f"| {name} | {t.files} | {t.articles} | {_pct(t.points, t.articles)} | {_pct(t.ranges, t.articles)} "
            f"| {_pct(t.unknown, t.articles)} | {_pct(t.point_year_right, t.points)} | {_pct(t.day_right, t.days)} "
            f"| {_pct(t.inside, t.with_range)} | {width} | {_pct(t.files_with_point, t.files)} "
            f"| {_pct(t.files_with_text_point, t.files)} |")


def kinds_table(t: Tally) -> list[str]:
    lines = ["| deciding evidence | articles | point | point year right | range | truth in range |",
             "|---|---|---|---|---|---|"]
    for kind, (n, point, right, ranged, inside) in sorted(t.kinds.items(), key=lambda kv: -kv[1][0]):
        lines.append(f"| {kind} | {n} | {point} | {_pct(right, point)} | {ranged} | {_pct(inside, ranged)} |")
    return lines


def timing(pages: list[Path], repeat: int = 2) -> tuple[float, float, float]:
    """Seconds to build an index of `pages` from scratch (reading, dating, tokenising, writing),
    and the seconds of it spent dating (all of `dates_of_articles`) and estimating the year:
    the fastest of `repeat` builds. Timed inside the build rather than as the difference of
    two builds, which on a shared machine is mostly noise."""
    import shutil
    import tempfile

    corpus = Path(tempfile.mkdtemp(prefix="wenbao-dates-pages-"))
    for page in pages:
        shutil.copy(page, corpus / page.name)

    from bench import write_config
    from retrieval import dates, paragraphs
    from retrieval.indexer import refresh_index

    spent = {"dating": 0.0, "year": 0.0}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
        return wrapper

    def build() -> tuple[float, float, float]:
        work = Path(tempfile.mkdtemp(prefix="wenbao-dates-"))
        try:
            config = load_config(write_config(work / "config.yaml", corpus, work, "rank-bm25"))
            spent.update(dating=0.0, year=0.0)
            started = time.perf_counter()
            refresh_index(config)  # pages are read and dated in this process (workers only tokenise)
            return time.perf_counter() - started, spent["dating"], spent["year"]
        finally:
            shutil.rmtree(work, ignore_errors=True)

    originals = (paragraphs.dates_of_articles, dates.estimate_year)
    paragraphs.dates_of_articles = timed("dating", originals[0])
    dates.estimate_year = timed("year", originals[1])
    try:
        build()  # warm: jieba's dictionary, the page cache
        return min(build() for _ in range(repeat))
    finally:
        paragraphs.dates_of_articles, dates.estimate_year = originals
        shutil.rmtree(corpus, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rmrb", type=Path, default=DEFAULT_RMRB, help="the rmrb-2019 folder")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--timing", action="store_true", help="also time page reading with and without the year estimate")
    parser.add_argument("--timing-pages", type=int, default=200, help="how many pages to index for --timing")
    args = parser.parse_args(argv)
    sets: list[tuple[str, list | None]] = [("sample corpus", date_files(sample_files()))]
    if args.rmrb.is_dir():
        for kind in ("pages", "articles"):
            log(f"dating rmrb-2019 {kind}")
            # shown as the index shows them: the folder, then the file (the folder's year is its own)
            files = [(path, f"{kind}/{shown}", gold) for path, shown, gold in rmrb_files(args.rmrb, kind)]
            dated = date_files(files)
            for month, name in (("-02-", "February"), ("-10-", "October")):
                sets.append((f"rmrb-2019 {kind}, {name}", [d for d in dated if month in d[1]]))
            sets.append((f"rmrb-2019 {kind}, both", None))
    else:
        log(f"{args.rmrb} not found: only the sample corpus is scored")
    lines = [HEADER, "|" + "---|" * 12]
    tallies = {}
    for name, dated in sets:
        if dated is None:  # both months: the two rows above, added up
            tallies[name] = merged(*list(tallies.values())[-2:])
        else:
            tallies[name] = score(dated)
        lines.append(row(name, tallies[name]))
    out = ["Dates against known print dates (`python -m bench.dates --write --timing`; "
           f"commit {code_version()}; {machine_summary()}).", "", *lines]
    for name in (n for n in tallies if n.endswith("both")):
        out += ["", f"By the evidence that decided the year — {name}:", "", *kinds_table(tallies[name])]
    if args.timing and args.rmrb.is_dir():
        pages = [path for path, _, _ in rmrb_files(args.rmrb, "pages")][:args.timing_pages]
        build, dating, year = timing(pages)
        out += ["", f"Indexing {len(pages)} of the pages from scratch (read, date, tokenise, write; "
                f"the fastest of two builds): {build:.2f} s, of which dating the articles "
                f"{dating:.2f} s ({100 * dating / build:.1f} %) and estimating the year {year:.2f} s "
                f"({100 * year / build:.1f} %), timed inside the build."]
    publish("\n".join(out), "dates", "## Dates", args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
