"""The README's quick start is what CI runs."""

import re

from tests.conftest import REPO


def _quick_start_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, flags=re.S)


def test_quick_start_has_exactly_two_commands():
    commands = _quick_start_commands()
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    assert "wenbao ask" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert _quick_start_commands()[1] in ci.splitlines()


def test_readme_lists_every_key_and_command_of_the_help_screen():
    from tui.screens.help import keys_markdown

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = [line for line in keys_markdown().splitlines() if line.startswith("| ") and "---" not in line]
    missing = [row for row in rows if row not in readme]
    assert not missing, missing
