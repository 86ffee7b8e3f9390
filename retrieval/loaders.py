"""Corpus files -> SourceDoc: pages (.txt/.md) and records (.jsonl/.json/.csv/.tsv).

Every SourceDoc knows the file line where its text starts (`first_line`), so later
stages can cite true file lines: text is kept exactly as decoded, only line endings
are normalised to "\\n". Count lines with `text.split("\\n")`, never `splitlines()`,
which also breaks at form feeds and other separators OCR text contains.

A problem with one record or row is warned as "path:LINE: what; skipped" and the
rest of the file is read; a file that cannot be read at all raises SkipFile.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from . import safe_yaml
from .encodings import REPAIRED, Undecodable, decode_bytes
from .errors import CorpusError
from .models import SourceDoc, Warn

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".jsonl", ".json", ".csv", ".tsv")
META_FIELDS = ("title", "date", "source", "page")
# Keys of a .json object that hold its list of records.
RECORD_LIST_KEYS = ("records", "data", "items", "articles", "documents", "docs", "entries", "rows")
# Front matter keys always understood, besides the configured record field names.
FRONT_MATTER_KEYS = {"title": ("title",), "date": ("date",), "source": ("source", "paper"), "page": ("page",)}
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
# How the skip reason of a file that could not be opened or read begins: such a skip is
# retried on the next run (permissions change without touching size or mtime).
UNREADABLE = "cannot read"
WARNINGS_PER_FILE = 20  # a file of a million bad lines must not bury every other message

Records = dict[str, tuple[str, ...]]


class SkipFile(Exception):
    """The whole file is skipped; `reason` says why (the caller prints 'skipped PATH: reason')."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# ---------------------------------------------------------------------------
# Finding files


def list_corpus_files(root: Path, warn: Warn | None = None) -> list[Path]:
    """The corpus files under `root` (a file or a folder), in a stable order.

    `warn` hears about what is passed over: folders that cannot be read, and links that
    lead out of the corpus or nowhere (see `_walk`)."""
    root = Path(root)
    if not root.exists():
        raise CorpusError(f"corpus not found: {root} (check the 'corpus' setting or --corpus PATH)")
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise CorpusError(f"corpus is neither a file nor a folder: {root}")
    if not os.access(root, os.R_OK | os.X_OK):
        raise CorpusError(f"corpus folder cannot be read: {root} (check its permissions)")
    found = _walk(root, warn or (lambda message: None))
    prefix = len(os.path.join(str(root), ""))  # every walked path starts with root and a separator
    return sorted(found, key=lambda p: str(p)[prefix:].split(os.sep))


def _walk(root: Path, warn: Warn) -> list[Path]:
    """Regular files with a supported suffix; hidden names, FIFOs and devices skipped.

    Symbolic links are followed only when their target is inside the corpus folder: a
    link to "/" or to another disk would make every ask walk it. A link that leads out
    of the corpus, or to nothing, is skipped with a warning naming it. Each folder is
    read once, known by its (device, inode), so a link back up the tree ends there and
    nothing costs more than one stat per folder. An unreadable folder is warned about
    and skipped; the rest is read.
    """
    found: list[Path] = []
    inside = _InsideCheck(root)
    top = os.stat(root)
    seen = {(top.st_dev, top.st_ino)}
    pending = [str(root)]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)  # the same folder wins every time
        except OSError as exc:
            warn(f"skipped folder {display_path(Path(folder), root)}: cannot read it "
                 f"({exc.strerror or exc}); check its permissions")
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_symlink() and not inside.check(entry, warn):
                    continue
                if entry.is_dir():
                    st = entry.stat()
                    if (st.st_dev, st.st_ino) not in seen:
                        seen.add((st.st_dev, st.st_ino))
                        pending.append(entry.path)
                elif entry.is_file() and entry.name.lower().endswith(SUPPORTED_SUFFIXES):
                    found.append(Path(entry.path))
            except OSError:
                continue
    return found


class _InsideCheck:
    """Whether a symbolic link's target lies inside the corpus folder (only links pay
    for resolving a path)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.real_root = os.path.join(os.path.realpath(root), "")

    def check(self, entry: os.DirEntry, warn: Warn) -> bool:
        shown = display_path(Path(entry.path), self.root)
        target = os.path.realpath(entry.path)
        if not os.path.exists(target):
            warn(f"skipped link {shown}: its target does not exist")
            return False
        if not os.path.join(target, "").startswith(self.real_root):
            warn(f"skipped link {shown}: it leads out of the corpus folder (to {safe_name(target)}); "
                 "links are followed only inside the corpus")
            return False
        return True


def safe_name(name: str) -> str:
    """A file name as valid Unicode: bytes that are not UTF-8 (kept by the file system
    as lone surrogates) are written as \\xNN, so the name can be printed, stored as
    JSON and typed back to `wenbao show`."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def display_path(path: Path, root: Path) -> str:
    """The path as shown and cited: relative to the corpus root, '/'-separated."""
    path, root = Path(path), Path(root)
    if path == root:
        return safe_name(path.name)
    for resolve in (False, True):  # resolving costs a syscall per path component: only if needed
        base, target = (root.resolve(), path.resolve()) if resolve else (root, path)
        try:
            relative = target.relative_to(base)
        except ValueError:
            continue
        return safe_name(relative.as_posix() if relative.parts else path.name)
    return safe_name(path.as_posix())


# ---------------------------------------------------------------------------
# Reading one file


def read_file(path: Path, root: Path, records: Records, warn: Warn) -> list[SourceDoc]:
    """Read one corpus file into SourceDocs; [] when it holds no text."""
    path = Path(path)
    shown = display_path(path, root)
    text = _read_text(path, shown, warn)
    if not text or text.isspace():  # isspace: no copy of a large file, unlike strip()
        return []
    suffix = path.suffix.lower()
    fields = _FieldNames(records)
    problems = _Problems(shown, warn)
    if suffix == ".jsonl":
        docs = _read_jsonl(text, shown, fields, problems)
    elif suffix == ".json":
        docs = _read_json(text, shown, fields, problems)
    elif suffix in (".csv", ".tsv"):
        docs = _read_table(text, shown, suffix, fields, problems)
    else:
        docs = _read_page(text, shown, fields, warn)
    problems.finish()
    return docs


def _read_text(path: Path, shown: str, warn: Warn) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SkipFile(f"{UNREADABLE} ({exc.strerror or exc})") from None
    try:
        text, encoding = decode_bytes(data)
    except Undecodable as exc:
        raise SkipFile(str(exc)) from None
    if encoding.endswith(REPAIRED):
        name = encoding[: -len(REPAIRED)]
        warn(f"{shown}: damaged {name} text: invalid bytes are shown as \ufffd")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


class _Problems:
    """Per-file record warnings, capped so one broken file cannot flood the output."""

    def __init__(self, shown: str, warn: Warn) -> None:
        self.shown, self.warn, self.count = shown, warn, 0

    def __call__(self, line: int, what: str) -> None:
        self.count += 1
        if self.count <= WARNINGS_PER_FILE:
            self.warn(f"{self.shown}:{line}: {what}; skipped")

    def finish(self) -> None:
        hidden = self.count - WARNINGS_PER_FILE
        if hidden > 0:
            self.warn(f"{self.shown}: {hidden} more skipped record(s) not shown")


# ---------------------------------------------------------------------------
# Pages: .txt / .md with optional YAML front matter


def _read_page(text: str, shown: str, fields: _FieldNames, warn: Warn) -> list[SourceDoc]:
    meta, body, first_line = {}, text, 1
    split = _split_front_matter(text)
    if isinstance(split, str):
        warn(f"{shown}:1: {split}; reading the whole file as text")
    elif split is not None:
        block, body, first_line = split
        try:
            meta = _front_matter_meta(block, fields, shown, warn)
        except _BadFrontMatter as exc:
            warn(f"{shown}:{exc.line}: {exc}; reading the whole file as text")
            body, first_line = text, 1
    if not body or body.isspace():
        return []
    return [SourceDoc(path=shown, text=body, first_line=first_line, meta=_no_surrogates_meta(meta))]


def _split_front_matter(text: str) -> tuple[str, str, int] | str | None:
    """(YAML block, body, body's first line); a message when unclosed; None when absent."""
    first_end = text.find("\n")
    if first_end < 0 or text[:first_end].rstrip() != "---":
        return None
    start = pos = first_end + 1
    line = 2
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        if text[pos:end].rstrip() in ("---", "..."):
            return text[start:pos], text[end + 1:], line + 1
        pos, line = end + 1, line + 1
    return "front matter opened with '---' has no closing '---' line"


class _BadFrontMatter(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _front_matter_meta(block: str, fields: _FieldNames, shown: str, warn: Warn) -> dict[str, str]:
    try:
        data, root = safe_yaml.parse(block)
    except yaml.YAMLError as exc:
        line = safe_yaml.error_line(exc)
        line = line + 2 if line is not None else 1  # the block starts on file line 2
        raise _BadFrontMatter(f"invalid YAML front matter ({safe_yaml.problem(exc)})", line) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _BadFrontMatter("front matter is not a mapping of keys (like 'title: ...')", 2)
    raw = _raw_scalars(root)
    by_name = {str(key).lower(): key for key in data}
    meta = {}
    for name in META_FIELDS:
        for candidate in fields.front_matter(name):
            key = by_name.get(candidate)
            if key is not None and data[key] is not None:
                meta[name] = _front_matter_value(data[key], raw.get(str(key), (None, 0))[0])
                break
    date = meta.get("date")
    written = _WRITTEN_DATE.match(date or "")
    if written:  # YAML's timestamp form, kept as text: 2021-04-27, 2021-04-27 08:30:00
        real = _real_date(*written.groups())
        if real is None:
            line = raw.get(str(by_name.get("date")), (None, 0))[1] + 2
            warn(f"{shown}:{line}: front matter date {date[:40]!r} is not a real date; ignored")
            del meta["date"]
        else:
            meta["date"] = real
    return {k: v for k, v in meta.items() if v}


_WRITTEN_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")


def _real_date(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _raw_scalars(root: yaml.Node | None) -> dict[str, tuple[str, int]]:
    """Top-level scalar values as written, with their 0-based line in the block, so
    `page: 07` stays "07" and `title: No` stays "No"."""
    if not isinstance(root, yaml.MappingNode):
        return {}
    return {
        k.value: (v.value, k.start_mark.line)
        for k, v in root.value
        if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)
    }


def _front_matter_value(value: Any, raw: str | None) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    if isinstance(value, list):
        return ", ".join(str(v).strip() for v in value if v is not None)
    if isinstance(value, dict):
        return ""
    return (raw if raw is not None else str(value)).strip()


# ---------------------------------------------------------------------------
# Records: field names, and one record -> SourceDoc


class _FieldNames:
    """Which key of a record holds each field: configured candidates, first present wins."""

    def __init__(self, records: Records) -> None:
        self.candidates = {
            name: tuple(c.lower() for c in records.get(name, ())) or (name,)
            for name in ("text", *META_FIELDS)
        }
        self._cache: dict[tuple[str, ...], _RecordKeys] = {}

    def front_matter(self, name: str) -> tuple[str, ...]:
        return FRONT_MATTER_KEYS[name] + self.candidates[name]

    def keys_for(self, keys: Iterable[str]) -> _RecordKeys:
        """The record's own keys that may hold each field, in preference order (cached:
        a million records usually share a handful of key layouts)."""
        keys = tuple(keys)
        found = self._cache.get(keys)
        if found is None:
            lowered: dict[str, str] = {}
            for key in keys:
                lowered.setdefault(str(key).strip().lower(), key)
            matches = {
                name: tuple(lowered[c] for c in cands if c in lowered)
                for name, cands in self.candidates.items()
            }
            found = _RecordKeys(matches["text"], tuple((n, matches[n]) for n in META_FIELDS if matches[n]))
            if len(self._cache) > 1000:  # records with ever-changing keys
                self._cache.clear()
            self._cache[keys] = found
        return found


class _RecordKeys(NamedTuple):
    text: tuple[str, ...]
    meta: tuple[tuple[str, tuple[str, ...]], ...]  # (field, keys) for the fields present


def _record_doc(record: Any, fields: _FieldNames, shown: str, index: int,
                line: int) -> SourceDoc | str:
    """A SourceDoc for one record, or what is wrong with it."""
    if not isinstance(record, dict):
        return f"record is {_json_kind(record)}, not an object"
    keys = fields.keys_for(record)
    if not keys.text:
        return f"no text field (expected one of: {', '.join(fields.candidates['text'])})"
    text = _record_text(record, keys.text)
    if not isinstance(text, str):
        return f"text field '{keys.text[0]}' is {_json_kind(text)}, not a string"
    if not text or text.isspace():
        return f"empty text in field '{keys.text[0]}'"
    return SourceDoc(path=shown, text=_no_surrogates(text), first_line=line,
                     meta=_no_surrogates_meta(_record_meta(record, keys.meta)),
                     record=index)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str) -> str:
    """JSON's "\\ud800" (and YAML's) decodes to a lone surrogate, which no UTF-8 output or
    index file can hold: it becomes U+FFFD, one character for one (lines stay true)."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


def _no_surrogates_meta(meta: dict[str, str]) -> dict[str, str]:
    return {key: _no_surrogates(value) for key, value in meta.items()}


def _record_text(record: dict, keys: tuple[str, ...]) -> Any:
    """The first text that is not null or blank; a list of strings is one paragraph per line."""
    wrong_type = None
    for key in keys:
        value = record[key]
        if isinstance(value, list) and all(isinstance(part, str) for part in value):
            value = "\n".join(value)
        if isinstance(value, str):
            if value and not value.isspace():
                return value
        elif value is not None and wrong_type is None:
            wrong_type = value
    return "" if wrong_type is None else wrong_type


def _record_meta(record: dict, meta_keys: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, str]:
    """Title, date, source, page: the first usable value of each (a blank 'title' gives way
    to 'headline')."""
    meta = {}
    for name, keys in meta_keys:
        for key in keys:
            value = _meta_string(record[key])
            if value:
                meta[name] = value
                break
    return meta


def _meta_string(value: Any) -> str:
    if value.__class__ is str:  # nearly always: checked first, it is the hot path
        return value.strip()
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return ""


def _json_kind(value: Any) -> str:
    kinds = ((dict, "an object"), (list, "a list"), (str, "a string"), (bool, "true/false"),
             (int, "a number"), (float, "a number"))
    for kind, name in kinds:
        if isinstance(value, kind):
            return name
    return "null"


# ---------------------------------------------------------------------------
# .jsonl: one record per line


def _read_jsonl(text: str, shown: str, fields: _FieldNames, problems: _Problems) -> list[SourceDoc]:
    docs = []
    index = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line or line.isspace():
            continue
        try:
            record = _parse_json_line(line)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError; absurdly deep nesting
            problems(number, f"invalid JSON ({getattr(exc, 'msg', exc)})")
            index += 1
            continue
        doc = _record_doc(record, fields, shown, index, number)
        if isinstance(doc, str):
            problems(number, doc)
        else:
            docs.append(doc)
        index += 1
    return docs


def _parse_json_line(line: str, _raw_decode=json.JSONDecoder().raw_decode) -> Any:
    """json.loads without its two whitespace scans on the common, clean line."""
    try:
        value, end = _raw_decode(line)
    except ValueError:
        return json.loads(line)  # leading spaces, or for json's own error message
    if end != len(line) and not line[end:].isspace():
        return json.loads(line)  # raises "Extra data" with its position
    return value


# ---------------------------------------------------------------------------
# .json: a list of records, an object holding one, or a single record


def _read_json(text: str, shown: str, fields: _FieldNames, problems: _Problems) -> list[SourceDoc]:
    try:
        located = _locate_records(text, fields)
    except json.JSONDecodeError as exc:
        raise SkipFile(f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    except RecursionError:
        raise SkipFile("invalid JSON: nested too deeply") from None
    lines = _LineCounter(text)
    docs = []
    for index, (record, pos) in enumerate(located):
        line = lines.at(pos)
        doc = _record_doc(record, fields, shown, index, line)
        if isinstance(doc, str):
            problems(line, doc)
        else:
            docs.append(doc)
    return docs


def _locate_records(text: str, fields: _FieldNames) -> list[tuple[Any, int]]:
    """Every record with the text offset where it starts, walking the JSON exactly once."""
    decoder = json.JSONDecoder()
    pos = _skip_space(text, 0)
    if text.startswith("[", pos):
        records, end = _walk_array(text, pos, decoder)
    elif text.startswith("{", pos):
        records, end = _walk_container(text, pos, decoder, fields)
    else:
        value, _ = decoder.raw_decode(text, pos)
        raise SkipFile(f"no records: the file holds {_json_kind(value)}, not a list of objects or an object")
    end = _skip_space(text, end)
    if end < len(text):
        raise json.JSONDecodeError("Extra data after the JSON value", text, end)
    return records


def _walk_array(text: str, pos: int, decoder: json.JSONDecoder) -> tuple[list[tuple[Any, int]], int]:
    items = []
    pos = _skip_space(text, pos + 1)
    if text.startswith("]", pos):
        return items, pos + 1
    while True:
        value, end = decoder.raw_decode(text, pos)
        items.append((value, pos))
        pos = _skip_space(text, end)
        if text.startswith(",", pos):
            pos = _skip_space(text, pos + 1)
        elif text.startswith("]", pos):
            return items, pos + 1
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter or ']'", text, pos)


def _walk_container(text: str, pos: int, decoder: json.JSONDecoder,
                    fields: _FieldNames) -> tuple[list[tuple[Any, int]], int]:
    """An object: the record list it holds (under a key like 'records'), else itself."""
    start = pos
    members: dict[str, Any] = {}
    lists: dict[str, list[tuple[Any, int]]] = {}
    pos = _skip_space(text, pos + 1)
    while not text.startswith("}", pos):
        if not text.startswith('"', pos):
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, pos)
        key, pos = decoder.raw_decode(text, pos)
        pos = _skip_space(text, pos)
        if not text.startswith(":", pos):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, pos)
        pos = _skip_space(text, pos + 1)
        if text.startswith("[", pos):
            items, pos = _walk_array(text, pos, decoder)
            lists[key] = items
            members[key] = [value for value, _ in items]
        else:
            members[key], pos = decoder.raw_decode(text, pos)
        pos = _skip_space(text, pos)
        if text.startswith(",", pos):
            pos = _skip_space(text, pos + 1)
        elif not text.startswith("}", pos):
            raise json.JSONDecodeError("Expecting ',' delimiter or '}'", text, pos)
    return _pick_record_list(members, lists, fields, start), pos + 1


def _pick_record_list(members: dict[str, Any], lists: dict[str, list[tuple[Any, int]]],
                      fields: _FieldNames, start: int) -> list[tuple[Any, int]]:
    if fields.keys_for(members).text:
        return [(members, start)]  # the object is itself a record
    lowered = {key.lower(): key for key in lists}
    preferred = [lowered[k] for k in RECORD_LIST_KEYS if k in lowered]
    for key in preferred + [k for k in lists if k not in preferred]:
        if any(isinstance(value, dict) for value, _ in lists[key]):
            return lists[key]
    return [(members, start)]


def _skip_space(text: str, pos: int) -> int:
    return _JSON_SPACE.match(text, pos).end()


class _LineCounter:
    """1-based line of increasing text offsets, counting each stretch of text once."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        if pos < self.pos:
            self.pos, self.line = 0, 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


# ---------------------------------------------------------------------------
# .csv / .tsv: a header row, then one record per row


def _read_table(text: str, shown: str, suffix: str, fields: _FieldNames,
                problems: _Problems) -> list[SourceDoc]:
    _allow_long_fields()
    delimiter = _delimiter(text, suffix)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    docs = []
    index = 0
    row_start = 1
    try:
        for row in reader:
            line, row_start = row_start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                _require_text_column(header, fields)
                continue
            record = dict(zip(header, row))
            doc = _record_doc(record, fields, shown, index, line)
            if isinstance(doc, str):
                problems(line, doc.replace("field", "column"))
            else:
                docs.append(doc)
            index += 1
    except csv.Error as exc:
        problems(row_start, f"{exc}; the rest of the file")
    return docs


def _delimiter(text: str, suffix: str) -> str:
    """Tab for .tsv, comma for .csv, unless a .csv header clearly uses ';' or tabs."""
    if suffix == ".tsv":
        return "\t"
    header = text.lstrip("\n").split("\n", 1)[0]
    if "," not in header:
        counts = {sep: header.count(sep) for sep in ("\t", ";")}
        best = max(counts, key=counts.get)
        if counts[best]:
            return best
    return ","


def _require_text_column(header: list[str], fields: _FieldNames) -> None:
    if not fields.keys_for(header).text:
        expected = ", ".join(fields.candidates["text"])
        raise SkipFile(f"no text column (header has: {', '.join(header)[:200]}; expected one of: {expected})")


def _allow_long_fields() -> None:
    """A whole article in one cell is normal; csv's default cap is 128 KiB."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2
