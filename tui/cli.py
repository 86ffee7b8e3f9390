"""`wenbao` on the command line.

    wenbao                      the chat app (same as `wenbao chat`)
    wenbao ask "问题"            one answer, quoted, dated, with its source
    wenbao ask - < questions    one JSON object per line, in order
    wenbao index [PATH]         build or update the index, with progress
    wenbao inspect [PATH]       the paragraphs wenbao reads from a corpus
    wenbao show PARAGRAPH_ID    a paragraph in its article
    wenbao show --date DATE     the pages of a day and their articles
    wenbao paths                where config, index and history live; engine and corpus

Exit status (like ripgrep): 0 answered, 1 no answer found, 2 usage or input error.
stdout carries data; progress, notices, warnings and errors go to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from retrieval.config import ENGINES, load_config
from retrieval.errors import WenbaoError

from . import output

EXIT_FOUND, EXIT_NONE, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 too; keep our wording and stderr
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="PATH", help="a config file (default: ~/.config/wenbao/config.yaml if present)")
    parser.add_argument("--corpus", metavar="PATH", help="the corpus file or folder (default: from config)")
    parser.add_argument("--engine", choices=ENGINES, help="BM25 engine (default: from config); "
                        "xapian needs: pip install \"wenbao[xapian]\"")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour on a terminal (auto honours NO_COLOR and pipes)")


def _today(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", metavar="YYYY-MM-DD",
                        help="the day 今年/去年/上个月 in a question count from (default: the corpus's newest date)")


def _require_all_shards(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--require-all-shards", action="store_true", default=None,
                        help="fail (exit 2) when a shard does not answer, instead of answering from the others")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wenbao", description="问报 — ask questions of Chinese newspaper archives.")
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    ask = sub.add_parser("ask", help="answer a question (or '-' to read questions from stdin)")
    ask.add_argument("question", nargs="?", help="the question; '-' or nothing with piped stdin: one per line")
    ask.add_argument("--format", choices=("text", "markdown", "json", "jsonl"), help="output format (default: text; jsonl for stdin batches)")
    ask.add_argument("-k", "--top", type=int, metavar="N", help="how many passages (default: from config, 3)")
    ask.add_argument("--since", metavar="DATE", help="only passages dated on or after 2021 / 2021-04 / 2021-04-27")
    ask.add_argument("--until", metavar="DATE", help="only passages dated on or before 2021 / 2021-04 / 2021-04-27")
    _today(ask)
    _require_all_shards(ask)
    _common(ask)

    index = sub.add_parser("index", help="build or update the index (progress on stderr)")
    index.add_argument("path", nargs="?", help="corpus file or folder (default: from config)")
    index.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    index.add_argument("--format", choices=("text", "json"), default="text")
    index.add_argument("--shards", type=int, metavar="N",
                       help="also write the index as N Xapian shards into --index-dir (docs/scale-out.md)")
    index.add_argument("--index-dir", metavar="DIR", help="the folder of the shards (with --shards)")
    _common(index)

    inspect = sub.add_parser("inspect", help="show the paragraphs read from a corpus (no index needed)")
    inspect.add_argument("path", nargs="?", help="corpus file or folder (default: from config)")
    inspect.add_argument("--format", choices=("table", "jsonl"), default="table")
    _common(inspect)

    show = sub.add_parser("show", help="print a paragraph in its article context, or a day's pages (--date)")
    show.add_argument("paragraph_id", nargs="?", help="a paragraph id from an answer (or PATH:LINE)")
    show.add_argument("--date", metavar="DAY", help="list that day's pages in print order and their articles (2021-01-07)")
    show.add_argument("--context", choices=("article", "page", "none"), default="article")
    show.add_argument("--format", choices=("text", "json"), default="text")
    _common(show)

    paths = sub.add_parser("paths", help="where config, index and history live, and the engine and corpus in use")
    paths.add_argument("--format", choices=("text", "json"), default="text")
    _common(paths)

    chat = sub.add_parser("chat", help="the chat app (also what plain 'wenbao' opens)")
    _today(chat)
    _require_all_shards(chat)
    _common(chat)
    return parser


class _VersionAction(argparse.Action):
    """--version, with the (slow) package metadata read only when asked for."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"wenbao {_version()}")
        parser.exit()


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("wenbao")
    except Exception:  # noqa: BLE001 - running from a source tree
        return "dev"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    output.use_utf8()
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            args = build_parser().parse_args(["chat", *argv])
        return _COMMANDS[args.command](args)
    except UsageError as exc:
        output.error(str(exc))
        return EXIT_ERROR
    except WenbaoError as exc:
        output.error(str(exc))
        return EXIT_ERROR
    except BrokenPipeError:  # `wenbao ask … | head`
        _silence_broken_pipe()
        return EXIT_FOUND
    except OSError as exc:  # a folder we may not write, a disk that is full
        where = f"{exc.filename}: " if exc.filename else ""
        output.error(f"{where}{exc.strerror or exc}; check the path and its permissions (index_dir, data_dir in config)")
        return EXIT_ERROR
    except KeyboardInterrupt:
        output.error("interrupted; the last complete index is kept")
        return 130


def _silence_broken_pipe() -> None:
    # `wenbao ask … | head`: stop quietly, as Unix tools do.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _check_today(value: str | None) -> None:
    import datetime

    if value is not None:
        try:
            datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise UsageError(f"--today {value!r}: give a day as YYYY-MM-DD, e.g. --today 2021-04-27") from None


def _config(args, corpus: str | None = None):
    return load_config(args.config, corpus=corpus or args.corpus, engine=getattr(args, "engine", None),
                       top=getattr(args, "top", None), require_all_shards=getattr(args, "require_all_shards", None))


def _open(config, force: bool = False, wait: bool = False):
    """wait: `index` waits for another process's update; readers answer from the index as it was."""
    from retrieval.search import Archive

    with output.Progress() as progress:
        return Archive.open(config, progress=progress.update, warn=output.warn, notice=output.notice, force=force,
                            wait=wait)


# -- commands --------------------------------------------------------------------------------

def cmd_ask(args) -> int:
    output.set_color(args.color)
    batch = args.question == "-" or (args.question is None and not sys.stdin.isatty())
    if args.question is None and not batch:
        raise UsageError("ask needs a question, e.g. wenbao ask \"城市更新行动是什么？\" (or '-' to read stdin)")
    if args.top is not None and not 1 <= args.top <= 100:
        raise UsageError(f"--top {args.top}: give a number from 1 to 100")
    _check_today(args.today)
    archive = _open(_config(args))
    ask: Callable = lambda q: archive.ask(q, top=args.top, since=args.since, until=args.until,  # noqa: E731
                                          today=args.today)
    if not batch:
        answers = ask(_argument_text(args.question, "the question"))
        for warning in answers.warnings:
            output.warn(warning)
        output.print_answers(answers, args.format or "text")
        return EXIT_FOUND if answers.found else EXIT_NONE
    return _ask_batch(ask, args.format or "jsonl")


def _argument_text(value: str, what: str) -> str:
    """A command-line argument as text. Under a non-UTF-8 locale (LC_ALL=C without
    Python's UTF-8 mode) the bytes arrive as lone surrogates: decode them as UTF-8 again;
    bytes that are not UTF-8 become U+FFFD, with a warning."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        raw = os.fsencode(value)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        output.warn(f"{what} is not valid UTF-8; invalid bytes replaced by \ufffd")
        return raw.decode("utf-8", "replace")


def _stdin_lines():
    """(line number, text) of each stdin line; invalid UTF-8 is replaced by U+FFFD with a
    warning naming the line, so no raw bytes come back out."""
    binary = getattr(sys.stdin, "buffer", None)
    for line_no, raw in enumerate(binary if binary is not None else sys.stdin, 1):
        if isinstance(raw, str):  # a text stream: undo surrogateescape, if it was used
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            yield line_no, raw.decode("utf-8")
        except UnicodeDecodeError:
            output.warn(f"stdin:{line_no}: not valid UTF-8; invalid bytes replaced by \ufffd")
            yield line_no, raw.decode("utf-8", "replace")


def _ask_batch(ask: Callable, fmt: str) -> int:
    found = failed = False
    for line_no, line in _stdin_lines():
        question = line.strip()
        if not question:
            continue
        try:
            answers = ask(question)
        except WenbaoError as exc:
            failed = True
            output.warn(f"stdin:{line_no}: {exc}")
            output.print_batch_error(question, str(exc), fmt)
            continue
        found = found or answers.found
        for warning in answers.warnings:
            output.warn(f"stdin:{line_no}: {warning}")
        output.print_answers(answers, fmt, batch=True)
    if found:
        return EXIT_FOUND
    return EXIT_ERROR if failed else EXIT_NONE


def cmd_index(args) -> int:
    output.set_color(args.color)
    if (args.shards is None) != (args.index_dir is None):
        raise UsageError("--shards N and --index-dir DIR go together, e.g. --shards 3 --index-dir /srv/wenbao")
    if args.shards is not None and not 1 <= args.shards <= 1000:
        raise UsageError(f"--shards {args.shards}: give a number from 1 to 1000")
    config = _config(args, corpus=args.path)
    if config.shards:
        raise UsageError("retrieval.shards is set in config: those shards are searched, not built; "
                         "build shards with a config without it (wenbao index --shards N --index-dir DIR)")
    archive = _open(config, force=args.rebuild, wait=True)
    from retrieval.store import date_coverage

    coverage = date_coverage(archive.index) if archive.index is not None else None
    output.print_index_summary(archive.summary, archive.engine_name, config, args.format, coverage)
    if args.shards is not None:
        _write_shards(archive, args.shards, args.index_dir)
    return EXIT_FOUND


def _write_shards(archive, shards: int, index_dir: str) -> None:
    from pathlib import Path

    from retrieval.xapian_backend import shard_folders, write_shards

    folders = shard_folders(Path(index_dir).expanduser().resolve(), shards)
    with output.Progress() as progress:
        updates = write_shards(archive.index, folders, progress.update)
    for update in updates:
        what = (f"{update.files_written} file(s) written, {update.files_removed} removed" if update.touched
                else "unchanged")
        output.notice(f"shard {update.folder}: {update.paragraphs} paragraphs, {what}")


def cmd_inspect(args) -> int:
    output.set_color(args.color)
    from retrieval.reader import read_paragraphs

    config = _config(args, corpus=args.path)
    paragraphs = read_paragraphs(config, warn=output.warn)
    output.print_paragraphs(paragraphs, args.format)
    return EXIT_FOUND if paragraphs else EXIT_NONE


def cmd_show(args) -> int:
    output.set_color(args.color)
    if (args.paragraph_id is None) == (args.date is None):
        raise UsageError("show needs a paragraph id (wenbao show 3f9a0c12de) or a day (wenbao show --date 2021-01-07)")
    if args.date is not None:
        from retrieval.browse import parse_day

        day = parse_day(args.date)  # a bad date is reported before anything is indexed
        listing = _open(_config(args)).day(day)
        output.print_day(listing, args.format)
        return EXIT_FOUND if listing.pages else EXIT_NONE
    archive = _open(_config(args))
    target = _find_paragraph(archive, args.paragraph_id)
    if args.context == "none":
        context = [target]
    elif args.context == "page":
        context = archive.page(target.id)
    else:
        context = archive.article(target.id)
    output.print_context(target, context, args.format)
    return EXIT_FOUND


def _find_paragraph(archive, ref: str):
    try:
        return archive.paragraph(ref)
    except KeyError:
        pass
    path, _, line = ref.rpartition(":")
    if path and line.isdigit():
        found = archive.find(path, int(line))
        if found is not None:
            return found
    raise WenbaoError(f"no paragraph {ref!r} in this corpus's index; ids come from `wenbao ask` "
                      "(field paragraph_id) or `wenbao inspect`; PATH:LINE works too")


def cmd_paths(args) -> int:
    """Where things are, without building anything: the index is only looked at."""
    from retrieval.config import user_config_path
    from retrieval.search import Archive

    output.set_color(args.color)
    config = _config(args)
    archive = Archive.last_built(config) if config.index_path().is_dir() else None
    output.print_paths(config, user_config_path(), archive, _version(), args.format)
    return EXIT_FOUND


def cmd_chat(args) -> int:
    _check_today(args.today)
    config = _config(args)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the chat app needs a terminal; for pipes use: wenbao ask - < questions.txt")
    from .app import run_app

    return run_app(config, today=args.today)


_COMMANDS = {"ask": cmd_ask, "index": cmd_index, "inspect": cmd_inspect, "show": cmd_show, "paths": cmd_paths,
             "chat": cmd_chat}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
