"""The exceptions Loggvakt raises; the native module raises these classes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from loggvakt._native import Diagnostic


class LoggvaktError(Exception):
    """Base of every error Loggvakt raises itself, such as an input file
    that cannot be read."""


class RuleError(LoggvaktError, ValueError):
    """The rules cannot be evaluated.

    ``diagnostics`` lists every error, each with its code, line, column
    and help; ``str(error)`` is the first of them.
    """

    diagnostics: list[Diagnostic]

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)


class EventError(LoggvaktError, ValueError):
    """A record could not be read as an event and ``on_error="fail"``.

    ``code`` is the stable code (such as ``LV0301``), ``reason`` its name
    (such as ``missing_field``) and ``location`` where the record is:
    ``events.jsonl:12`` for a line, ``DataFrame#3`` for the third row or
    item of an in-memory input.
    """

    code: str
    reason: str
    location: str

    def __init__(self, message: str, code: str, reason: str, location: str) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.location = location


class ContextError(LoggvaktError, ValueError):
    """Context data cannot be used: a bad row, value, column or file.

    ``diagnostics`` lists every problem, each with its code and its place
    in the message (``users.csv:4`` for a file, ``users[3]`` for the row
    at index 3 of a table given in Python); ``str(error)`` is the first.
    No evaluation runs on a context with problems.
    """

    diagnostics: list[Diagnostic]

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)
