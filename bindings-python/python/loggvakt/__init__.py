"""Loggvakt: follow up access to health and care records.

Rules written in `.vakt` files are evaluated over access-log events in one
streaming pass; the result is a report of findings, the same as the
``loggvakt`` command writes::

    import loggvakt

    rules = loggvakt.RuleSet.from_file("rules/standard.vakt")
    report = rules.evaluate("events.jsonl", period="2026-03")
    for finding in report.findings:
        print(finding.severity, finding.explanation)

See ``docs/python.md`` for a walk-through and the reference.
"""

from loggvakt._errors import ContextError, EventError, LoggvaktError, RuleError
from loggvakt._native import (
    VERSION,
    CheckResult,
    Context,
    Diagnostic,
    Finding,
    InputSummary,
    Reason,
    Report,
    RuleSet,
)

__version__ = VERSION

__all__ = [
    "CheckResult",
    "Context",
    "ContextError",
    "Diagnostic",
    "EventError",
    "Finding",
    "InputSummary",
    "LoggvaktError",
    "Reason",
    "Report",
    "RuleError",
    "RuleSet",
    "VERSION",
    "__version__",
]
