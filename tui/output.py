"""What the command line prints: answers as text, Markdown or JSON; tables; progress.

Data goes to stdout, narration (progress, notices, warnings, errors) to stderr.
Colour only on a terminal, never with NO_COLOR or --color never; when there is no
colour, text is printed as plain lines (no escape codes, no hard wrapping).
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import asdict

from retrieval.loaders import safe_name
from retrieval.models import Answer, AnswerSet, DateCoverage, IndexSummary, Paragraph

from .render import date_how, highlighted, md_code, md_escape, paragraph_date, period_line, safe

_color = False


def set_color(mode: str) -> None:
    global _color
    if mode == "always":
        _color = True
    elif mode == "never":
        _color = False
    else:
        _color = sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def use_utf8() -> None:
    """stdout and stderr write UTF-8 whatever the locale (LC_ALL=C, a Latin-1 terminal):
    wenbao's output is Chinese, which those encodings cannot hold. What UTF-8 cannot hold
    either (a lone surrogate from an undecodable argument) is written as a visible \\uXXXX."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
        except (AttributeError, ValueError, OSError):  # not a text file (a test's capture, a closed pipe)
            pass


def _stderr_line(prefix: str, message: str) -> None:
    print(f"wenbao: {prefix}{safe(message)}", file=sys.stderr, flush=True)


def error(message: str) -> None:
    _stderr_line("error: ", message)


def warn(message: str) -> None:
    _stderr_line("warning: ", message)


def notice(message: str) -> None:
    _stderr_line("", message)


# -- progress ------------------------------------------------------------------------------

class Progress:
    """A Rich progress bar on stderr, drawn only once there is work to show and a terminal."""

    def __init__(self) -> None:
        self._bar = None
        self._tasks: dict[str, int] = {}
        self._enabled = sys.stderr.isatty()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()

    def update(self, stage: str, done: int, total: int) -> None:
        if not self._enabled:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                     MofNCompleteColumn(), TimeElapsedColumn(),
                                     console=Console(stderr=True), transient=True)
            self._bar.start()
        if stage not in self._tasks:
            self._tasks[stage] = self._bar.add_task(stage, total=total or None)
        self._bar.update(self._tasks[stage], completed=done, total=total or None)


# -- JSON schema -------------------------------------------------------------------------

def answer_dict(answer: Answer) -> dict:
    p = answer.paragraph
    return {
        "rank": answer.rank,
        "answer": answer.answer,
        "quote": answer.quote,
        "passage": p.text,
        "date": p.date,
        "year": p.year,
        "date_source": p.date_source,
        "date_min": p.date_min,
        "date_max": p.date_max,
        "date_evidence": p.date_evidence,
        "title": p.title,
        "path": p.path,
        "line_start": p.line_start,
        "line_end": p.line_end,
        "paragraph_id": p.id,
        "score": round(answer.score, 4),
        "highlights": [list(span) for span in answer.highlights],
        "answer_spans": [list(span) for span in answer.answer_spans],
        "quote_start": answer.quote_start,
        "quote_in": answer.quote_in,
        "title_line": p.title_line,
        "passage_highlights": [list(span) for span in answer.passage_highlights],
        "source": p.source,
        "page": p.page,
        "record": p.record,
    }


def lead_answer(answers: AnswerSet) -> str | None:
    """The short answer of the first passage (None when it has none)."""
    return answers.answers[0].answer if answers.answers else None


def answerset_dict(answers: AnswerSet) -> dict:
    return {
        "question": answers.question,
        "found": answers.found,
        "answer": lead_answer(answers),
        "answers": [answer_dict(a) for a in answers.answers],
        "hint": answers.hint,
        "asks_for": answers.asks_for,
        "terms": list(answers.terms),
        "since": answers.since,
        "until": answers.until,
        "period": period_dict(answers.period),
        "top": answers.top,
        "elapsed_ms": round(answers.elapsed_ms, 2),
        "warnings": list(answers.warnings),  # shards left out of this answer (also on stderr)
    }


def period_dict(period) -> dict | None:
    if period is None:
        return None
    return {"start": period.start, "end": period.end, "text": period.text, "applied": period.applied}


# json.dumps escapes C0 controls itself; DEL, the C1 controls (U+009B is a one-character
# CSI to a terminal) and lone surrogates (no UTF-8 can hold them) are escaped here.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff]")


def _json(data, pretty: bool) -> str:
    if pretty:
        text = json.dumps(data, ensure_ascii=False, indent=2)
    else:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# -- answers ------------------------------------------------------------------------------

def print_answers(answers: AnswerSet, fmt: str, batch: bool = False) -> None:
    if fmt in ("json", "jsonl"):
        print(_json(answerset_dict(answers), pretty=fmt == "json" and not batch), flush=batch)
    elif fmt == "markdown":
        print(markdown_answers(answers), flush=batch)
    else:
        _print_text(_text_answers(answers))
        if batch:
            sys.stdout.flush()


def print_batch_error(question: str, message: str, fmt: str) -> None:
    if fmt in ("json", "jsonl"):
        print(_json({"question": question, "found": False, "answers": [], "error": message}, pretty=False), flush=True)


def _excerpt_marks(answer: Answer) -> tuple[str, str]:
    end = answer.quote_start + len(answer.quote)
    return ("…" if answer.quote_start > 0 else "", "…" if end < len(answer.quoted_text) else "")


def _text_answers(answers: AnswerSet):
    from rich.text import Text

    out = Text()
    out.append("问 ", style="bold cyan")
    out.append(safe(answers.question) + "\n", style="bold")
    if answers.period is not None:
        out.append(f"期 {period_line(answers.period)}\n", style="dim")
    if not answers.found:
        out.append("\n" + (answers.hint or "未找到相关内容。") + "\n", style="yellow")
        return out
    lead = answers.answers[0]
    if lead.answer:
        p = lead.paragraph
        out.append("答 ", style="bold cyan")
        out.append(safe(lead.answer), style="bold")
        out.append(" · " + paragraph_date(p) + "\n", style="green")
    for answer in answers.answers:
        p = answer.paragraph
        out.append(f"\n{answer.rank:>2}  ", style="bold")
        out.append(paragraph_date(p), style="green")
        if p.title:
            out.append("  ")
            out.append(safe(p.title), style="bold")
        before, after = _excerpt_marks(answer)
        out.append("\n    " + before)
        out.append_text(highlighted(answer.quote, answer.highlights, answer.answer_spans))
        out.append(after + "\n")
        out.append(f"    {safe(answer.location)}{_headline_mark(answer)} · {date_how(p)} · id {p.id} · score {answer.score:.2f}\n",
                   style="dim")
    return out


def _headline_mark(answer: Answer) -> str:
    """Said after the citation when the quote is the article's headline."""
    return " (headline)" if answer.quote_in == "title" else ""


def _print_text(text) -> None:
    if _color:
        from rich.console import Console

        Console(force_terminal=True, highlight=False, soft_wrap=True).print(text)
    else:
        print(text.plain)


def markdown_answers(answers: AnswerSet) -> str:
    lines = [f"## {_md(answers.question)}", ""]
    if answers.period is not None:
        lines += [f"*Period: {_md(period_line(answers.period))}*", ""]
    if not answers.found:
        return "\n".join(lines + [f"*{_md(answers.hint or '未找到相关内容。')}*", ""])
    lead = answers.answers[0]
    if lead.answer:
        p = lead.paragraph
        lines += [f"**答：{_md(lead.answer)}** · {paragraph_date(p)}", ""]
    for answer in answers.answers:
        p = answer.paragraph
        before, after = _excerpt_marks(answer)
        cite = ", ".join(x for x in (_md(p.title), f"{paragraph_date(p)} ({_md(date_how(p))})",
                                     md_code(answer.location) + _headline_mark(answer), f"id `{p.id}`") if x)
        lines += [f"{answer.rank}. > {before}{_md(answer.quote)}{after}", "", f"   — {cite}", ""]
    return "\n".join(lines)


def _md(text: str) -> str:
    """One line of Markdown-escaped corpus text (a list item must not break)."""
    return md_escape(text.replace("\n", " "))


# -- index, inspect, show -------------------------------------------------------------------

# When this share of the point dates names one year and most paragraphs have no point, the
# whole corpus may well be from that year: say how to tell wenbao so (the user knows best).
COMMON_YEAR_SHARE = 0.9
COMMON_YEAR_MIN_POINTS = 20


def print_index_summary(summary: IndexSummary, engine: str, config, fmt: str,
                        coverage: DateCoverage | None = None) -> None:
    if fmt == "json":
        data = asdict(summary)
        data.update(engine=engine, corpus=safe_name(str(config.corpus)), index=safe_name(str(config.index_path())))
        if coverage is not None:
            data["dates"] = asdict(coverage)
        print(_json(data, pretty=True))
        return
    print(f"corpus     {safe(safe_name(str(config.corpus)))}")
    print(f"index      {config.index_path()}")
    print(f"files      {summary.files} ({summary.added} added, {summary.changed} changed, "
          f"{summary.removed} removed, {summary.unchanged} unchanged)")
    print(f"paragraphs {summary.paragraphs}")
    print(f"engine     {engine}")
    print(f"time       {summary.seconds:.2f} s")
    if coverage is not None and summary.paragraphs:
        for line in date_coverage_lines(coverage, summary.paragraphs):
            print(line)
    if summary.rebuilt_reason:
        print(f"rebuilt    {summary.rebuilt_reason}")
    if summary.skipped:
        print(f"skipped    {len(summary.skipped)} file(s):")
        for item in summary.skipped:
            print(f"  {safe(item.path)}: {safe(item.reason)}")


def date_coverage_lines(coverage: DateCoverage, paragraphs: int) -> list[str]:
    """"dates      12 % a point · 70 % a range · 18 % unknown" ("· 60 % their folder's year" when
    folders gave one), and the hint a common year gives when they did not."""
    def share(n: int) -> str:
        return f"{100 * n / paragraphs:.0f} %"

    folder = f"{share(coverage.folder_points)} their folder's year · " if coverage.folder_points else ""
    lines = [f"dates      {share(coverage.points)} a point · {folder}{share(coverage.ranges)} a range only · "
             f"{share(coverage.unknown)} unknown"]
    year, agreeing = coverage.common_year, coverage.common_year_points
    pointed = coverage.points + coverage.folder_points
    if (year is not None and agreeing >= COMMON_YEAR_MIN_POINTS and pointed < paragraphs / 2
            and agreeing >= COMMON_YEAR_SHARE * coverage.points):
        lines.append(f"           {100 * agreeing / coverage.points:.0f} % of the points are in {year}: if the "
                     f"whole corpus is from {year}, say so (config `dates: {{year: {year}}}`, or a "
                     f"wenbao-dates.yaml in its folder) and every paragraph gets that year")
    return lines


def paragraph_dict(p: Paragraph) -> dict:
    return asdict(p)


def print_paragraphs(paragraphs: list[Paragraph], fmt: str) -> None:
    if fmt == "jsonl":
        for p in paragraphs:
            print(_json(paragraph_dict(p), pretty=False))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, header_style="bold", expand=False)
    for name, kw in (("id", {"no_wrap": True}), ("file", {"no_wrap": True}), ("lines", {"no_wrap": True}),
                     ("title", {"max_width": 24}), ("date", {"no_wrap": True}), ("date_source", {"no_wrap": True}),
                     ("text", {"ratio": 1})):
        table.add_column(name, **kw)
    for p in paragraphs:
        table.add_row(p.id, Text(safe(p.path)), f"{p.line_start}-{p.line_end}", Text(safe(p.title)),
                      paragraph_date(p), p.date_source, Text(safe(p.text)))
    width = None if sys.stdout.isatty() else 200
    Console(force_terminal=_color, no_color=not _color, width=width, highlight=False).print(table)


def print_context(target: Paragraph, context: list[Paragraph], fmt: str) -> None:
    if fmt == "json":
        print(_json({"paragraph": paragraph_dict(target), "context": [paragraph_dict(p) for p in context]}, pretty=True))
        return
    from rich.text import Text

    out = Text()
    out.append(safe(target.title or "(untitled)") + "\n", style="bold")
    out.append(f"{paragraph_date(target)} ({date_how(target)}) · "
               f"{safe(target.path)}\n", style="dim")
    for p in context:
        mark = "▶ " if p.id == target.id else "  "
        out.append(f"\n{mark}{p.line_start:>5}  ", style="bold yellow" if p.id == target.id else "dim")
        out.append(safe(p.text), style="bold" if p.id == target.id else "")
        out.append("\n")
    _print_text(out)


# -- paths ----------------------------------------------------------------------------------

def paths_dict(config, user_config, archive, version: str) -> dict:
    """`wenbao paths --format json`: where wenbao reads and writes, and what it would use."""
    from retrieval.engines import choose_engine

    paragraphs = len(archive) if archive is not None else None
    if config.engine != "auto" or paragraphs is not None:
        engine = choose_engine(config.engine, paragraphs or 0, config.auto_threshold)
    else:
        engine = None  # auto decides by the index's size
    return {
        "version": version,
        "corpus": str(config.corpus),
        "config_files": [str(f) for f in config.files],
        "user_config": str(user_config),
        "user_config_exists": user_config.is_file(),
        "index": str(config.index_path()),
        "index_built": archive is not None,
        "paragraphs": paragraphs,
        "history": str(config.history_path()),
        "engine": config.engine,
        "engine_in_use": engine,
    }


def print_paths(config, user_config, archive, version: str, fmt: str) -> None:
    data = paths_dict(config, user_config, archive, version)
    if fmt == "json":
        print(_json(data, pretty=True))
        return
    made = "" if data["user_config_exists"] else "   (none yet: create it to change defaults)"
    built = f"   ({data['paragraphs']:,} paragraphs)" if archive is not None else "   (not built yet: wenbao index)"
    engine = data["engine"] + (f" → {data['engine_in_use']}" if data["engine_in_use"] and data["engine"] == "auto" else "")
    print(f"version      wenbao {version}")
    print(f"corpus       {safe(data['corpus'])}")
    print(f"config       {safe(data['user_config'])}{made}")
    print(f"read from    {safe(', '.join(data['config_files']))}")
    print(f"index        {safe(data['index'])}{built}")
    print(f"history      {safe(data['history'])}")
    print(f"engine       {engine}")


# -- a day's pages (show --date) ------------------------------------------------------------

def day_dict(listing) -> dict:
    """`wenbao show --date DAY --format json` (schema in README)."""
    return asdict(listing)


def undated_note(count: int) -> str:
    one = count == 1
    return (f"{count} page{'' if one else 's'} of the archive {'carries' if one else 'carry'} no exact date "
            f"and {'is' if one else 'are'} on no day (wenbao inspect shows what is known of their dates).")


def page_label(page) -> str:
    """'第2版' as printed, else 'page 2' from the file name, else '' (path order)."""
    if page.page:
        return page.page
    return f"page {page.number}" if page.number is not None else ""


def print_day(listing, fmt: str) -> None:
    if fmt == "json":
        print(_json(day_dict(listing), pretty=True))
        return
    from rich.text import Text

    out = Text()
    count = len(listing.pages)
    out.append(f"{listing.date} · {count} page{'s' if count != 1 else ''}\n", style="bold")
    for page in listing.pages:
        label = " · ".join(part for part in (safe(page.source), page_label(page)) if part)
        out.append(f"\n{label}  " if label else "\n", style="bold")
        out.append(f"{safe(page.path)}{'' if page.record is None else f' #{page.record + 1}'}\n", style="dim")
        for article in page.articles:
            out.append(f"  {article.paragraph_id}  ", style="dim")
            out.append(safe(article.title) or "(untitled)")
            out.append(f"  ({article.paragraphs} ¶, line {article.line})\n", style="dim")
    if not listing.pages:
        out.append("No page of the archive is dated that day.\n")
    steps = [f"previous day {listing.previous}" if listing.previous else "",
             f"next day {listing.next}" if listing.next else ""]
    if any(steps):
        out.append("\n" + " · ".join(s for s in steps if s) + "\n", style="dim")
    if listing.undated_pages:
        out.append(undated_note(listing.undated_pages) + "\n", style="dim italic")
    _print_text(out)
