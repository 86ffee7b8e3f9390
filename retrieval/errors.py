"""Errors a user can act on. Front ends print the message and exit with status 2."""

from __future__ import annotations


class WenbaoError(Exception):
    """Base class: the message names the file, line or option at fault and what to do."""


class ConfigError(WenbaoError):
    pass


class CorpusError(WenbaoError):
    pass


class StoreError(WenbaoError):
    """The on-disk index cannot be read or written."""


class QuestionError(WenbaoError):
    pass
