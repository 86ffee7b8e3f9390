"""What the user knows about dates: `dates:` in the config, or a `wenbao-dates.yaml` in a folder."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DateHint:
    """A user's statement: an exact `date`, or the years lo..hi (equal: one year)."""

    date: str | None
    lo: int | None
    hi: int | None
    origin: str  # shown as the evidence: "config dates: years 2019-2020"
