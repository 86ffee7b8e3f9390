"""The help screen (F1 or ?): every key and every slash command.

`KEYS` is the one table of keys: the help screen shows it and `keys_markdown()` turns
it into docs/keys.md, so the two cannot drift apart.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from .commands import help_lines

# (where, keys, what they do)
KEYS: tuple[tuple[str, str, str], ...] = (
    ("Anywhere", "F1  ?", "this help (? only outside the question line)"),
    ("Anywhere", "Ctrl+P", "command palette: filters, history, export, help"),
    ("Anywhere", "Ctrl+R", "history: search past questions, reopen an answer"),
    ("Anywhere", "Ctrl+Q", "quit"),
    ("Question line", "Enter", "ask the question, or run a /command"),
    ("Question line", "Up  Down", "recall earlier questions"),
    ("Question line", "Tab", "select the latest answer"),
    ("Question line", "Esc", "while the index builds: stop it and answer from the last complete index"),
    ("Answer", "Up  Down  k  j", "previous / next answer (Down past the last one: back to asking)"),
    ("Answer", "Enter  o  double-click", "open the source: the whole article, quote highlighted"),
    ("Answer", "c", "copy the quote and its citation to the clipboard"),
    ("Answer", "e", "open the source file in $EDITOR at the quote's line"),
    ("Answer", "Space", "unfold the further passages of this question (again: fold them)"),
    ("Answer", "Esc  i  Tab", "back to the question line"),
    ("Answer", "click open / copy", "the same with the mouse"),
    ("Source view", "Up  Down  k  j", "previous / next paragraph"),
    ("Source view", "a", "switch between the whole article and the whole page"),
    ("Source view", "Left  Right  h  l", "previous / next article on the page"),
    ("Source view", "p  n", "previous / next page of the same day, in print order"),
    ("Source view", "[  ]", "previous / next day of the same paper"),
    ("Source view", "c", "copy the selected paragraph and its citation"),
    ("Source view", "e", "open the file in $EDITOR at the selected paragraph"),
    ("Source view", "Esc  q", "back to the conversation, where it was"),
    ("Day (/day)", "Up  Down  Enter", "choose an article and read it in the source view"),
    ("Day (/day)", "[  ]", "previous / next day with pages"),
    ("Day (/day)", "Esc  q", "close"),
    ("History", "type", "search past questions"),
    ("History", "Up  Down  Enter", "choose a question and reopen its answers"),
    ("History", "Ctrl+D", "clear the whole history of this corpus (asks first)"),
    ("History", "Esc", "close"),
)


def _key_markdown(key: str) -> str:
    """`Ctrl+P` for a key; *double-click* for the mouse or typing."""
    return f"*{key}*" if len(key) > 1 and key[0].islower() else f"`{key}`"


def keys_markdown() -> str:
    """The keys and commands as Markdown tables (docs/keys.md)."""
    lines = ["## Keys", "", "| Where | Keys | What they do |", "| --- | --- | --- |"]
    lines += [f"| {where} | {' / '.join(map(_key_markdown, keys.split('  ')))} | {what} |" for where, keys, what in KEYS]
    lines += ["", "## Commands", "", "Type them in the question line (or find them in the command palette, Ctrl+P).", ""]
    lines += ["| Command | What it does |", "| --- | --- |"]
    lines += [f"| `{command}` | {what} |" for command, what in help_lines()]
    return "\n".join(lines) + "\n"


def _table(title: str, rows: list[tuple[str, str]]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", expand=True, box=None,
                  padding=(0, 1), show_header=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for left, right in rows:
        table.add_row(Text(left), Text(right))
    return table


class HelpScreen(ModalScreen[None]):
    """Every key and command, grouped by where it works."""

    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("wenbao 问报 — keys and commands   (Esc closes)", style="bold"), markup=False)
            for where in dict.fromkeys(where for where, _, _ in KEYS):
                rows = [(keys.replace("  ", " · "), what) for w, keys, what in KEYS if w == where]
                yield Static(_table(where, rows), markup=False, classes="help-table")
            yield Static(_table("Commands", help_lines()), markup=False, classes="help-table")
