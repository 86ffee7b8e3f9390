"""Configuration: the bundled `config.yaml` defaults, overridden by a user file.

A user file is `--config PATH`, else `config.yaml` in the user config folder when it
exists. User folders (config, cache, data) are the platform's, from platformdirs:
`$XDG_CONFIG_HOME/wenbao` (else ~/.config/wenbao) on Linux and the other XDG
systems, ~/Library/Application Support/wenbao on macOS, wenbao in %LOCALAPPDATA% on
Windows. It is read by `safe_yaml` (bounded size, nesting and aliases; nothing
executed), and every problem is reported with the file, the line and the key at fault.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import stat
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
import yaml

from .date_hints import DateHint, HintError, parse_hint
from . import safe_yaml
from .errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent
ENGINES = ("auto", "rank-bm25", "bm25s", "xapian")
RECORD_FIELDS = ("text", "title", "date", "source", "page")
MAX_CONFIG_BYTES = 256 * 1024
_TCP_SHARD = re.compile(r"^tcp://(\[[^\]]+\]|[^:/\[\]]+):([1-9]\d{0,4})/?$")


def bundled_path(name: str) -> Path:
    """A file shipped with wenbao: inside the wheel, or at the top of a source checkout."""
    packaged = PACKAGE_DIR / "_bundled" / name
    if packaged.exists():
        return packaged
    return PACKAGE_DIR.parent / name


def resource_path(name: str) -> Path:
    return PACKAGE_DIR / "resources" / name


APP_NAME = "wenbao"


def user_config_dir() -> Path:
    """The platform's user config folder for wenbao ($XDG_CONFIG_HOME wins on Linux)."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def user_cache_dir() -> Path:
    """Where indexes go unless `index_dir` says otherwise ($XDG_CACHE_HOME wins on Linux)."""
    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def user_data_dir() -> Path:
    """Where the chat history goes unless `data_dir` says otherwise ($XDG_DATA_HOME wins on Linux)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def user_config_path() -> Path:
    return user_config_dir() / "config.yaml"


@dataclass(frozen=True)
class Config:
    corpus: Path
    index_dir: Path
    data_dir: Path
    records: dict[str, tuple[str, ...]]
    user_dict: Path | None
    stopwords: Path | None
    fold_traditional: bool
    char_bigrams: bool
    engine: str
    auto_threshold: int
    k1: float
    b: float
    top: int
    max_quote_chars: int
    files: tuple[Path, ...] = ()  # the config files that were read, defaults first
    dates: DateHint | None = None  # what the user knows of the whole corpus's dates ("dates:")
    # Xapian shards searched together ("tcp://host:port" or a folder); empty: this machine's index
    shards: tuple[str, ...] = ()
    shard_timeout: float = 5.0  # seconds a shard may take to connect or answer
    require_all_shards: bool = False  # a shard that does not answer is an error, not a warning

    def corpus_key(self) -> str:
        """A folder name for this corpus: readable stem plus a hash of its absolute path."""
        resolved = str(self.corpus.resolve())
        digest = hashlib.blake2b(resolved.encode("utf-8", "surrogateescape"), digest_size=5).hexdigest()
        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in self.corpus.name)[:40]
        return f"{stem or 'corpus'}-{digest}"

    def index_path(self) -> Path:
        return self.index_dir / self.corpus_key()

    def history_path(self) -> Path:
        return self.data_dir / f"history-{self.corpus_key()}.sqlite"


# key path -> (expected python types, description for messages)
_SCHEMA: dict[str, tuple[tuple[type, ...], str]] = {
    "corpus": ((str,), "a path to a file or folder"),
    "index_dir": ((str, type(None)), "a folder path or null"),
    "data_dir": ((str, type(None)), "a folder path or null"),
    "records": ((dict,), "a mapping of field lists"),
    "tokenizer": ((dict,), "a mapping"),
    "tokenizer.user_dict": ((str, type(None)), "a file path or null"),
    "tokenizer.stopwords": ((str, type(None)), "a file path or null"),
    "tokenizer.fold_traditional": ((bool,), "true or false"),
    "tokenizer.char_bigrams": ((bool,), "true or false"),
    "retrieval": ((dict,), "a mapping"),
    "retrieval.engine": ((str,), "one of " + ", ".join(ENGINES)),
    "retrieval.auto_threshold": ((int,), "a whole number of paragraphs"),
    "retrieval.k1": ((int, float), "a number above 0 and at most 10, usually 0.9 to 2.0"),
    "retrieval.b": ((int, float), "a number from 0 to 1"),
    "retrieval.shards": ((list,), "a list of shards: tcp://HOST:PORT or a folder path"),
    "retrieval.shard_timeout": ((int, float), "a number of seconds (more than 0)"),
    "retrieval.require_all_shards": ((bool,), "true or false"),
    "answers": ((dict,), "a mapping"),
    "answers.top": ((int,), "a whole number from 1 to 100"),
    "answers.max_quote_chars": ((int,), "a whole number of characters (at least 20)"),
    "dates": ((dict, type(None)), "a mapping with one of year, years or date (or null)"),
    "dates.year": ((int, str), "a year such as 2019"),
    "dates.years": ((str, int, list), "a span of years such as 2019-2020"),
    "dates.date": ((str, _dt.date), "a day as YYYY-MM-DD"),
}
for _field in RECORD_FIELDS:
    _SCHEMA[f"records.{_field}"] = ((list, str), "a field name or a list of field names")


def _key_lines(root: Any) -> dict[str, int]:
    """Map each dotted key path to its 1-based line, for error messages."""
    lines: dict[str, int] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = f"{prefix}{key_node.value}"
                lines[key] = key_node.start_mark.line + 1
                walk(value_node, key + ".")

    walk(root, "")
    return lines


def _read_config_text(path: Path) -> str:
    """The file's text, refusing what is not a regular file (a device such as /dev/zero,
    a FIFO, a folder) and reading at most MAX_CONFIG_BYTES: a config is never that big."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found; check the --config path") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.strerror or exc})") from None
    if not stat.S_ISREG(mode):
        raise ConfigError(f"{path}: not a regular file (a folder, device or pipe); give a YAML config file")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.strerror or exc})") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES // 1024} KiB; is this really a config file?")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: not UTF-8 text; save the config file as UTF-8") from None


def _read_yaml(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    text = _read_config_text(path)
    try:
        data, root = safe_yaml.parse(text)
    except yaml.YAMLError as exc:
        line = safe_yaml.error_line(exc)
        where = f"{path}:{line + 1}" if line is not None else str(path)
        raise ConfigError(f"{where}: invalid YAML ({safe_yaml.problem(exc)}); fix that line") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: a config file must be a mapping of keys (like 'corpus: PATH')")
    return data, _key_lines(root)


def _check(data: dict[str, Any], lines: dict[str, int], path: Path, prefix: str = "") -> None:
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        where = f"{path}:{lines.get(dotted, 1)}"
        if dotted not in _SCHEMA:
            known = sorted(k for k in _SCHEMA if k.count(".") == dotted.count("."))
            raise ConfigError(f"{where}: unknown key '{dotted}'; known keys here: {', '.join(known)}")
        types, description = _SCHEMA[dotted]
        if isinstance(value, bool) and bool not in types:
            types = ()  # YAML's yes/no are bools, never numbers or strings
        if not isinstance(value, types):
            raise ConfigError(f"{where}: '{dotted}' must be {description}, not {_shown(value)}")
        if isinstance(value, dict):
            _check(value, lines, path, dotted + ".")
        _check_value(dotted, value, where, description)
        if dotted == "dates" and value:
            try:
                parse_hint(value, "config dates")
            except HintError as exc:
                inner = next((f"{path}:{lines[f'dates.{k}']}" for k in value if f"dates.{k}" in lines), where)
                raise ConfigError(f"{inner}: 'dates': {exc}") from None


def _is_shard(value: Any) -> bool:
    """A folder path, or tcp://HOST:PORT with a real port."""
    if not isinstance(value, str) or not value.strip():
        return False
    if not value.startswith("tcp:"):
        return True
    m = _TCP_SHARD.match(value)
    return bool(m) and int(m.group(2)) <= 65535


def _check_value(dotted: str, value: Any, where: str, description: str) -> None:
    bad = (
        (dotted == "retrieval.engine" and value not in ENGINES)
        or (dotted == "retrieval.b" and not 0 <= value <= 1)
        or (dotted == "retrieval.k1" and not 0 < value <= 10)  # k1 = 0: every term scores 0
        or (dotted == "retrieval.auto_threshold" and value < 0)
        or (dotted == "answers.top" and not 1 <= value <= 100)
        or (dotted == "answers.max_quote_chars" and value < 20)
        or (dotted == "retrieval.shard_timeout" and not 0 < value <= 3600)
        or (dotted == "retrieval.shards" and not all(_is_shard(v) for v in value))
        or (dotted.startswith("records.") and isinstance(value, list)
            and not all(isinstance(v, str) for v in value))
    )
    if bad:
        raise ConfigError(f"{where}: '{dotted}' must be {description}, not {_shown(value)}")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _resolve_paths(data: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Make the path values of one file absolute, relative to that file's folder."""
    out = dict(data)

    def fix(value: Any) -> Any:
        if isinstance(value, str) and value:
            path = Path(os.path.expanduser(value))
            return str(path if path.is_absolute() else folder / path)
        return value

    for key in ("corpus", "index_dir", "data_dir"):
        if key in out:
            out[key] = fix(out[key])
    if isinstance(out.get("retrieval"), dict) and isinstance(out["retrieval"].get("shards"), list):
        ret = dict(out["retrieval"])  # a folder shard is relative to the file; tcp:// stays as written
        ret["shards"] = [v if not isinstance(v, str) or v.startswith("tcp:") else fix(v) for v in ret["shards"]]
        out["retrieval"] = ret
    if isinstance(out.get("tokenizer"), dict):
        tok = dict(out["tokenizer"])
        for key in ("user_dict", "stopwords"):
            if key in tok:
                tok[key] = fix(tok[key])
        out["tokenizer"] = tok
    return out


def load_config(path: str | os.PathLike[str] | None = None, **overrides: Any) -> Config:
    """Defaults, then the user file (explicit `path`, else the XDG one if present).

    `overrides` are command-line values (corpus=..., engine=..., top=...); None means unset.
    """
    default_file = bundled_path("config.yaml")
    data, lines = _read_yaml(default_file)
    _check(data, lines, default_file)
    data = _resolve_paths(data, default_file.parent)
    files = [default_file]

    user_file = Path(path) if path is not None else user_config_path()
    if path is not None or user_file.is_file():
        user, user_lines = _read_yaml(user_file)
        _check(user, user_lines, user_file)
        data = _merge(data, _resolve_paths(user, user_file.resolve().parent))
        files.append(user_file)

    return _build(data, files, {k: v for k, v in overrides.items() if v is not None})


def _build(data: dict[str, Any], files: list[Path], overrides: dict[str, Any]) -> Config:
    tok, ret, ans = data.get("tokenizer", {}), data.get("retrieval", {}), data.get("answers", {})
    records = {}
    for name in RECORD_FIELDS:
        value = data.get("records", {}).get(name, [])
        records[name] = (value,) if isinstance(value, str) else tuple(value)
    corpus = overrides.get("corpus", data["corpus"])
    config = Config(
        corpus=Path(os.path.expanduser(str(corpus))),
        index_dir=Path(data["index_dir"]) if data.get("index_dir") else user_cache_dir(),
        data_dir=Path(data["data_dir"]) if data.get("data_dir") else user_data_dir(),
        records=records,
        user_dict=Path(tok["user_dict"]) if tok.get("user_dict") else None,
        stopwords=Path(tok["stopwords"]) if tok.get("stopwords") else None,
        fold_traditional=bool(tok.get("fold_traditional", True)),
        char_bigrams=bool(tok.get("char_bigrams", True)),
        engine=overrides.get("engine", ret.get("engine", "auto")),
        auto_threshold=int(ret.get("auto_threshold", 20000)),
        k1=float(ret.get("k1", 1.2)),
        b=float(ret.get("b", 0.75)),
        top=int(overrides.get("top", ans.get("top", 3))),
        max_quote_chars=int(ans.get("max_quote_chars", 160)),
        files=tuple(files),
        dates=parse_hint(data["dates"], "config dates") if data.get("dates") else None,
        shards=tuple(ret.get("shards") or ()),
        shard_timeout=float(ret.get("shard_timeout", 5.0)),
        require_all_shards=bool(overrides.get("require_all_shards", ret.get("require_all_shards", False))),
    )
    if config.engine not in ENGINES:
        raise ConfigError(f"engine '{config.engine}' is not one of {', '.join(ENGINES)}")
    return config
