"""Slash commands typed in the chat input, and the search filters they set.

Pure logic (no widgets), so every message a user can get is easy to test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

MAX_TOP = 100
_CLEARING = ("off", "none", "-", "all", "any")
_DATE = re.compile(r"^(\d{4})(?:\D{1,2}(\d{1,2}))?(?:\D{1,2}(\d{1,2}))?\D?$")

# name -> (argument, what it does); the order is the order /help lists them in.
COMMANDS: dict[str, tuple[str, str]] = {
    "since": ("DATE", "only answers dated on or after DATE (2021, 2021-06 or 2021-06-30); '/since off' clears"),
    "until": ("DATE", "only answers dated on or before DATE; '/until off' clears"),
    "k": ("N", f"show N answers per question (1–{MAX_TOP}); '/k off' restores the default"),
    "clear": ("", "clear every filter"),
    "day": ("DATE", "the pages of that day (2021-01-07) and their articles; choose one to read it"),
    "index": ("", "check the corpus for changes and update the index now"),
    "history": ("", "search past questions and reopen an answer"),
    "export": ("FILE.md", "write the conversation as Markdown, with every quote, date and source"),
    "forget": ("", "delete the stored history of this corpus (asks first)"),
    "help": ("", "every command and key"),
    "quit": ("", "leave wenbao"),
}
ALIASES = {"top": "k", "from": "since", "to": "until", "h": "help", "q": "quit", "exit": "quit"}


class CommandError(ValueError):
    """A command the user mistyped: the message says what to type instead."""


@dataclass(frozen=True)
class Filters:
    """What narrows a search: a date range and how many answers to show."""

    since: str | None = None
    until: str | None = None
    top: int | None = None  # None: the configured default

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.top)

    def describe(self) -> str:
        parts = []
        if self.since:
            parts.append(f"since {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        if self.top:
            parts.append(f"k {self.top}")
        return " · ".join(parts) if parts else "no filters"


@dataclass(frozen=True)
class Command:
    name: str  # canonical name from COMMANDS
    argument: str


def parse_command(line: str) -> Command | None:
    """'/since 2021' -> Command('since', '2021'); None when `line` is a question."""
    text = line.strip()
    if not text.startswith("/") or text.startswith("//"):
        return None
    name, _, argument = text[1:].partition(" ")
    name = ALIASES.get(name.lower(), name.lower())
    if name not in COMMANDS:
        known = " ".join(f"/{n}" for n in COMMANDS)
        raise CommandError(f"Unknown command '/{name}'. Commands: {known} (F1 for keys)")
    return Command(name, argument.strip())


def parse_date_bound(value: str, which: str = "since") -> str:
    """'2021', '2021-6', '2021/06/30', '2021年6月' -> '2021', '2021-06', '2021-06-30'."""
    match = _DATE.match(value.strip())
    if not match:
        raise CommandError(
            f"'/{which} {value}': give a year, year-month or full date, like 2021, 2021-06 or 2021-06-30"
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        raise CommandError(f"'/{which} {value}': there is no such date") from None
    if day:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


def _first_day(bound: str) -> str:
    return (bound + "-01-01")[:10] if len(bound) == 4 else (bound + "-01")[:10]


def _last_day(bound: str) -> str:
    return (bound + "-12-31")[:10] if len(bound) == 4 else (bound + "-31")[:10]


def _check_range(filters: Filters) -> Filters:
    if filters.since and filters.until and _first_day(filters.since) > _last_day(filters.until):
        raise CommandError(
            f"since {filters.since} is after until {filters.until}: no date can match; "
            "change one of them or /clear"
        )
    return filters


def parse_top(value: str) -> int:
    try:
        top = int(value.strip())
    except ValueError:
        raise CommandError(f"'/k {value}': give a whole number of answers, like /k 5") from None
    if not 1 <= top <= MAX_TOP:
        raise CommandError(f"'/k {value}': the number of answers must be from 1 to {MAX_TOP}")
    return top


def apply_filter(filters: Filters, command: Command) -> Filters:
    """The filters after a /since, /until, /k or /clear command."""
    value = command.argument
    clearing = value.lower() in _CLEARING
    if command.name == "clear":
        return Filters()
    if not value:
        arg, _ = COMMANDS[command.name]
        raise CommandError(f"/{command.name} needs a value: /{command.name} {arg}, or /{command.name} off")
    if command.name == "k":
        return replace(filters, top=None if clearing else parse_top(value))
    if command.name in ("since", "until"):
        bound = None if clearing else parse_date_bound(value, command.name)
        return _check_range(replace(filters, **{command.name: bound}))
    raise CommandError(f"/{command.name} is not a filter")


def help_lines() -> list[tuple[str, str]]:
    """('/since DATE', 'only answers …') for each command, for the help screen."""
    return [(f"/{name} {arg}".rstrip(), text) for name, (arg, text) in COMMANDS.items()]
