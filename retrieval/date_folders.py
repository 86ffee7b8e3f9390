"""A folder's year: what the pages of one folder that date themselves agree on.

Most pages print no year: "10月8日电" and "今年" need the year from elsewhere, and the
text earns a point year on only about one page in five (bench.dates). But archives
keep a year's pages together, and the pages that do date themselves say which year
that is. When at least MIN_DATED (10) files of a folder are dated by their own text and
AGREEMENT of them (counting against it every file whose own range excludes that
year) name one year, the folder's other paragraphs get that year as a point —
each only when its own range allows it — with date_source "folder" and the count as
evidence ("folder pages/: 141 of 141 files dated by their text say 2019"; the
corpus root is "./").

The agreement is the estimate of how often the year is right for the folder's
undated pages, so it is held to the same 97 % a text point must earn. A folder of
mixed years does not agree and gains nothing; a folder with too few dated files is
judged with its parent folder, the nearest with enough. The stored index keeps only
what the text says (dates.npy, date_lo/date_hi): the folder year is applied as
paragraphs are read out, and recomputed whenever files change, so adding a page of
another year can withdraw it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from .models import Paragraph

MIN_DATED = 10  # files dated by their own text, at least, before a folder says anything
AGREEMENT = 0.97  # the share of them (and of files excluding it) that must name the year
_ROOT = ""


@dataclass(frozen=True)
class FileDating:
    """What one file's own text says of its year: the point year most of its paragraphs
    have (None: no point), else the years its ranges allow (lo/hi None = open)."""

    path: str
    point: int | None
    lo: int | None = None
    hi: int | None = None
    ranged: bool = False  # some paragraph has a range

    def excludes(self, year: int) -> bool:
        return self.point is None and self.ranged and (
            (self.lo is not None and year < self.lo) or (self.hi is not None and year > self.hi))


@dataclass(frozen=True)
class FolderYear:
    """A folder's verdict: `year` when its dated files agree, else None (stop looking up)."""

    folder: str  # "" for the corpus root, else "a/b" ('/' separated, as paragraph paths are)
    year: int | None
    agreeing: int
    dated: int
    excluding: int = 0

    def to_json(self) -> list:
        return [self.folder, self.year, self.agreeing, self.dated, self.excluding]

    @classmethod
    def from_json(cls, row: list) -> FolderYear:
        folder, year, agreeing, dated, excluding = row
        return cls(str(folder), None if year is None else int(year), int(agreeing), int(dated), int(excluding))

    def evidence(self) -> str:
        return f"folder {self.folder or '.'}/: {self.agreeing} of {self.dated} files dated by their text say {self.year}"


def file_dating(path: str, years: Iterable[int | None], ranges: Iterable[tuple[int | None, int | None]]) -> FileDating:
    """A file's summary from its paragraphs' point years (None: no point) and year ranges."""
    points = Counter(y for y in years if y)
    if points:
        return FileDating(path, points.most_common(1)[0][0])
    spans = list(ranges)
    if not spans:
        return FileDating(path, None)
    los, his = [lo for lo, _ in spans], [hi for _, hi in spans]
    return FileDating(path, None, None if None in los else min(los), None if None in his else max(his), True)


def _folders_of(path: str) -> list[str]:
    """The folders holding `path`, nearest first, the corpus root last."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(len(parts), 0, -1)] + [_ROOT]


def folder_years(files: Iterable[FileDating]) -> dict[str, FolderYear]:
    """Every folder with at least MIN_DATED self-dated files below it, and its verdict."""
    below: dict[str, list[FileDating]] = defaultdict(list)
    for item in files:
        for folder in _folders_of(item.path):
            below[folder].append(item)
    verdicts = {}
    for folder, items in below.items():
        counts = Counter(f.point for f in items if f.point is not None)
        dated = sum(counts.values())
        if dated < MIN_DATED:
            continue
        year, agreeing = counts.most_common(1)[0]
        excluding = sum(f.excludes(year) for f in items)
        agreed = agreeing >= AGREEMENT * (dated + excluding)
        verdicts[folder] = FolderYear(folder, year if agreed else None, agreeing, dated, excluding)
    return verdicts


def year_for(path: str, verdicts: Mapping[str, FolderYear]) -> FolderYear | None:
    """The verdict of the nearest folder holding `path` that has one; None when it disagrees."""
    for folder in _folders_of(path):
        verdict = verdicts.get(folder)
        if verdict is not None:
            return verdict if verdict.year is not None else None
    return None


def with_folder_year(paragraph: Paragraph, verdicts: Mapping[str, FolderYear]) -> Paragraph:
    """`paragraph` with its folder's year as the point, when it has no point and its range allows it."""
    if paragraph.year is not None or not verdicts:
        return paragraph
    point = folder_point(paragraph.path, paragraph.date_min, paragraph.date_max, verdicts)
    if point is None:
        return paragraph
    year, date, said = point
    # The deciding evidence first: it is what a short display keeps.
    evidence = f"{said}; {paragraph.date_evidence}" if paragraph.date_evidence else said
    return replace(paragraph, year=year, date=date, date_source="folder", date_evidence=evidence)


def folder_point(path: str, date_min: str | None, date_max: str | None,
                 verdicts: Mapping[str, FolderYear]) -> tuple[int, str | None, str] | None:
    """(year, date or None, evidence) the folder gives a file's undated paragraph with this
    range; None when its folder has no year or the range excludes it."""
    verdict = year_for(path, verdicts)
    if verdict is None:
        return None
    year = verdict.year
    if (date_min and int(date_min[:4]) > year) or (date_max and int(date_max[:4]) < year):
        return None
    # A floor on a day of that very year is the dateline's day (a floor of the year alone is
    # its 1 January): the article's date, as a dateline gives it once the year is known.
    dated = date_min and date_min.startswith(f"{year}-") and not date_min.endswith("-01-01")
    return year, date_min if dated else None, verdict.evidence()


def apply_folder_years(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A whole corpus read at once (`wenbao inspect`): the verdicts from it, applied to it."""
    by_file: dict[str, list[Paragraph]] = defaultdict(list)
    for paragraph in paragraphs:
        by_file[paragraph.path].append(paragraph)
    verdicts = folder_years(file_dating(path, [p.year for p in items], _year_ranges(items))
                            for path, items in by_file.items())
    return [with_folder_year(p, verdicts) for p in paragraphs] if verdicts else paragraphs


def verdicts_of_rows(paths_and_rows: Iterable[tuple[str, int, int]], dates, date_lo, date_hi,
                     open_end: int) -> dict[str, FolderYear]:
    """The verdicts of an index: its files (path, first row, row count) over its date arrays
    (yyyymmdd or yyyy0000 points, 0 none; date_lo 0 / date_hi open_end where a range is open)."""
    files = []
    for path, start, count in paths_and_rows:
        points = dates[start:start + count]
        years = [int(k) // 10000 for k in points if k > 0]
        ranges = [(int(lo) // 10000 or None, None if hi >= open_end else int(hi) // 10000)
                  for k, lo, hi in zip(points, date_lo[start:start + count], date_hi[start:start + count])
                  if k == 0 and (lo > 0 or hi > 0)]
        files.append(file_dating(path, years, ranges))
    return folder_years(files)


def verdicts_to_json(verdicts: Mapping[str, FolderYear]) -> list[list]:
    return [v.to_json() for v in verdicts.values()]


def verdicts_from_json(rows) -> dict[str, FolderYear]:
    """Stored verdicts (an index manifest, a shard's metadata); anything malformed reads as none."""
    try:
        return {v.folder: v for v in map(FolderYear.from_json, rows or [])}
    except (TypeError, ValueError):
        return {}


def _year_ranges(paragraphs: list[Paragraph]) -> list[tuple[int | None, int | None]]:
    return [year_span(p.date_min, p.date_max) for p in paragraphs if p.year is None and (p.date_min or p.date_max)]


def year_span(date_min: str | None, date_max: str | None) -> tuple[int | None, int | None]:
    """The years a range (YYYY-MM-DD ends, None = open) spans."""
    return int(date_min[:4]) if date_min else None, int(date_max[:4]) if date_max else None
