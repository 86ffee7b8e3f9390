"""What the user knows about dates wins: `dates:` in the config, or a `wenbao-dates.yaml` in a folder.

Both say one of
    year: 2019                 every page is from 2019 (a point year; datelines then give full dates)
    years: 2019-2020           the pages are from 2019 to 2020 (a range the text may narrow)
    date: 2019-02-03           every page was printed that day (exact, like a date in the file name)
A folder file applies to its folder and everything below it; the nearest one wins, and it
wins over the config. A file that cannot be read or says something else is skipped with a
warning naming it and the line, never a crash. Only `yaml.safe_load` reads it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .models import Warn

HINT_FILE = "wenbao-dates.yaml"
HINT_KEYS = ("year", "years", "date")
_YEARS = re.compile("^\\s*((?:1[89]|20)\\d{2})\\s*(?:[-–~至到]|\\.\\.)\\s*((?:1[89]|20)\\d{2})\\s*$")
_YEAR = re.compile("^\\s*((?:1[89]|20)\\d{2})\\s*$")


@dataclass(frozen=True)
class DateHint:
    """A user's statement: an exact `date`, or the years lo..hi (equal: one year)."""

    date: str | None
    lo: int | None
    hi: int | None
    origin: str  # shown as the evidence: "config dates: years 2019-2020"


class HintError(ValueError):
    """A hint value that cannot be read; the message says what is expected."""


def parse_hint(data: Any, origin: str) -> DateHint:
    """`{year: 2019}`, `{years: 2019-2020}` or `{date: 2019-02-03}` -> DateHint."""
    if not isinstance(data, dict) or len(data) != 1 or next(iter(data)) not in HINT_KEYS:
        raise HintError("give exactly one of 'year: 2019', 'years: 2019-2020' or 'date: 2019-02-03'")
    key, value = next(iter(data.items()))
    if key == "date":
        return DateHint(_date(value), None, None, f"{origin}: date {_date(value)}")
    if key == "year":
        year = _year(value)
        return DateHint(None, year, year, f"{origin}: year {year}")
    lo, hi = _years(value)
    return DateHint(None, lo, hi, f"{origin}: years {lo}-{hi}" if lo != hi else f"{origin}: year {lo}")


def _date(value: Any) -> str:
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.isoformat()
    try:
        return _dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise HintError(f"'date' must be a day as YYYY-MM-DD, not {value!r}") from None


def _year(value: Any) -> int:
    match = _YEAR.match(str(value)) if not isinstance(value, bool) else None
    if not match:
        raise HintError(f"'year' must be a year such as 2019, not {value!r}")
    return int(match.group(1))


def _years(value: Any) -> tuple[int, int]:
    if isinstance(value, list) and len(value) == 2:
        lo, hi = _year(value[0]), _year(value[1])
    elif isinstance(value, int) and not isinstance(value, bool):
        lo = hi = _year(value)
    else:
        match = _YEARS.match(str(value))
        if not match:
            raise HintError(f"'years' must be a span such as 2019-2020, not {value!r}")
        lo, hi = int(match.group(1)), int(match.group(2))
    if lo > hi:
        raise HintError(f"'years' must run from the earlier year to the later, not {value!r}")
    return lo, hi


# -- folder files -----------------------------------------------------------------------------

_cache: dict[str, tuple[tuple[int, int], DateHint | None]] = {}


def read_hint_file(path: Path, shown: str, warn: Warn) -> DateHint | None:
    """The hint a folder file gives; None (with a warning naming file and line) when it is bad."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(str(path))
    if cached and cached[0] == key:
        return cached[1]
    hint = _read_hint_file(path, shown, warn)
    _cache[str(path)] = (key, hint)
    return hint


def _read_hint_file(path: Path, shown: str, warn: Warn) -> DateHint | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        warn(f"{shown}: cannot read this date hint ({exc}); it is ignored")
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        warn(f"{shown}:{line}: invalid YAML ({getattr(exc, 'problem', None) or exc}); this date hint is ignored")
        return None
    try:
        return parse_hint(data, shown)
    except HintError as exc:
        warn(f"{shown}:{_first_line(text)}: {exc}; this date hint is ignored")
        return None


def _first_line(text: str) -> int:
    """The line of the first key (what a bad hint is about), for the warning."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            return number
    return 1


def folder_hint(path: Path, root: Path, warn: Warn) -> DateHint | None:
    """The nearest `wenbao-dates.yaml` from the file's folder up to the corpus root."""
    root = Path(root)
    top = root if root.is_dir() else root.parent
    folder = Path(path).parent
    while True:
        candidate = folder / HINT_FILE
        if candidate.is_file():
            shown = candidate.relative_to(top).as_posix() if candidate.is_relative_to(top) else str(candidate)
            hint = read_hint_file(candidate, shown, warn)
            if hint is not None:
                return hint
        if folder == top or folder.parent == folder or not folder.is_relative_to(top):
            return None
        folder = folder.parent


def hints_key(root: Path, files: list[Path]) -> str:
    """A digest of every folder hint that applies to `files`: an index is rebuilt when one changes."""
    top = str(root if Path(root).is_dir() else Path(root).parent)
    folders: set[str] = set()
    for path in files:
        folder = os.path.dirname(str(path))
        while folder not in folders:
            folders.add(folder)
            parent = os.path.dirname(folder)
            if folder == top or parent == folder or not folder.startswith(top):
                break
            folder = parent
    digest = hashlib.blake2b(digest_size=8)
    for folder in sorted(folders):
        try:
            stat = os.stat(os.path.join(folder, HINT_FILE))
        except OSError:
            continue
        digest.update(f"{folder}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()
