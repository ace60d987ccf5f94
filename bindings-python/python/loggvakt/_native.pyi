"""The native module behind ``loggvakt``: import from ``loggvakt``, not here."""

import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal, Protocol, Union, final

__all__ = [
    "CategorySample",
    "CheckResult",
    "Context",
    "Diagnostic",
    "Finding",
    "InputSummary",
    "Reason",
    "Report",
    "RuleSet",
    "SampledFinding",
    "Samples",
    "Sampling",
    "SpotCheck",
    "SpotCheckPlan",
    "SpotEvent",
    "SpotUser",
    "VERSION",
]

VERSION: str
"""The version of the Loggvakt engine, as reports name it."""

class _ArrowStream(Protocol):
    """Anything that exports the Arrow C stream interface: a pyarrow Table or
    RecordBatchReader, a pandas or polars DataFrame."""

    def __arrow_c_stream__(self, requested_schema: Any = ..., /) -> Any: ...

_Events = Union[str, os.PathLike[str], _ArrowStream, Iterable[Mapping[str, Any]]]
"""What ``RuleSet.evaluate`` reads: a path to an event file in any format the
command line reads, a table, or any iterable of dicts in the canonical event
shape (keys ``time``, ``user``, ``action``, ``id``, ``outcome``, ``patient``,
``unit``, ``resource``, ``ip``, ``drug``, ``amount``, ``purpose``, ``system``;
any other key is an extension attribute)."""

_Table = Union[_ArrowStream, Iterable[Mapping[str, Any]]]
"""A context table: a list (or any iterable) of dicts, or a pandas or
polars DataFrame or pyarrow Table, with the columns of the file of the same
name in a context folder (``docs/context.md``)."""

@final
class Context:
    """Reference data that rules look up: users, patients, care relations,
    drugs, countries and named lists, from a folder or from Python data.

    The data is checked when the object is made: every problem raises
    ``ContextError`` at once. Local times (a relation's ``from`` and
    ``to``) are read in ``tz`` when given, otherwise in each evaluation's
    zone, as ``loggvakt run --context DIR`` reads them.
    """

    @staticmethod
    def from_dir(path: str | os.PathLike[str], *, tz: str | None = None) -> Context:
        """Reads a context folder (``users.csv``, ``patients.json``,
        ``lists/vpn.cidr``, …) as ``--context DIR`` does.

        Raises ``FileNotFoundError`` when ``path`` is no folder,
        ``ContextError`` for any problem in its files (each placed at
        ``file:line``) and ``TypeError`` when it is not a path.
        """
    @staticmethod
    def from_data(
        *,
        users: _Table | None = None,
        patients: _Table | None = None,
        relations: _Table | None = None,
        drugs: _Table | None = None,
        countries: _Table | None = None,
        lists: Mapping[str, Iterable[str]] | None = None,
        tz: str | None = None,
    ) -> Context:
        """Builds a context from tables held in Python, with the checks and
        messages of a folder; each problem is placed at ``table[index]``,
        the row's position from 0 (``users[3]``).

        Each table has the columns of its file (``id``, ``units``, …); a
        missing value (``None``, NaN, null) is an empty cell; a set is a
        list of str or text separated by ``;``. ``countries`` replaces the
        built-in country data. ``lists`` maps a list's file name,
        ``NAME.txt`` for text or ``NAME.cidr`` for IP ranges, to its
        entries. Raises ``ContextError`` for bad data, ``TypeError`` for an
        argument of the wrong kind.
        """
    @property
    def summary(self) -> dict[str, Any]:
        """What the context was made from, as ``report.context`` gives it:
        ``files`` (each ``name``, ``rows``, ``sha256``), ``builtin_lists``
        and ``countries``. A table from Python is named ``users``,
        ``lists/vpn.cidr``, …; its digest is that of its canonical form
        (``docs/python.md``)."""
    @property
    def tz(self) -> str | None:
        """The zone given to the constructor, if any."""

@final
class Diagnostic:
    """One coded problem in a rule file, as ``loggvakt check`` prints it."""

    @property
    def code(self) -> str:
        """The stable code, such as ``LV0201``; ``docs/errors.md`` explains
        each one."""
    @property
    def severity(self) -> Literal["error", "warning"]:
        """``"error"`` (the rules cannot be evaluated) or ``"warning"``."""
    @property
    def message(self) -> str:
        """One line saying what is wrong."""
    @property
    def line(self) -> int | None:
        """The line of the fault, from 1; ``None`` when it has no place."""
    @property
    def column(self) -> int | None:
        """The column of the fault in characters, from 1."""
    @property
    def help(self) -> str | None:
        """What to do about it, when that is known."""
    @property
    def file(self) -> str:
        """The rule file it is in; empty when it is in none."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class CheckResult:
    """What ``RuleSet.check()`` found. True when ``ok``."""

    @property
    def ok(self) -> bool:
        """Whether the rules can be evaluated: no diagnostic is an error."""
    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every error and warning, file by file in source order."""
    @property
    def errors(self) -> list[Diagnostic]:
        """The diagnostics that are errors."""
    @property
    def warnings(self) -> list[Diagnostic]:
        """The diagnostics that are warnings."""
    def __bool__(self) -> bool: ...

@final
class RuleSet:
    """Rule files read and checked, ready to evaluate.

    Reading never raises for a problem in the rules: ``check()`` lists
    them, and ``evaluate()``, ``rules``, ``params`` and ``set_param()``
    raise ``RuleError`` while there is an error.
    """

    @staticmethod
    def from_file(path: str | os.PathLike[str]) -> RuleSet:
        """Reads a rule file, or every ``.vakt`` file under a folder (in name
        order), as ``loggvakt run --rules PATH`` does.

        Raises ``FileNotFoundError`` when nothing is at ``path``, ``OSError``
        when it cannot be read and ``TypeError`` when it is not a path.
        """
    @staticmethod
    def from_string(text: str, *, name: str = "rules.vakt") -> RuleSet:
        """Reads rules from text; ``name`` names the file in diagnostics
        and in the report's ``rules`` digests."""
    def check(self) -> CheckResult:
        """Every diagnostic of the rule files, errors and warnings, as
        ``loggvakt check`` gives them. Never raises."""
    @property
    def rules(self) -> list[str]:
        """The rules' names, in file order."""
    @property
    def params(self) -> dict[str, str | int | float]:
        """The parameters the rule files declare, with the values in force."""
    def set_param(self, name: str, value: str | int | float) -> None:
        """Overrides a declared parameter for every later evaluation, as
        ``--param NAME=VALUE`` does: ``value`` is read as the declared type.
        Raises ``RuleError`` for an unknown name or a value that does not
        fit, ``TypeError`` for a value that is not a str, int or float."""
    def evaluate(
        self,
        events: _Events,
        *,
        context: Context | str | os.PathLike[str] | None = None,
        period: str | None = None,
        tz: str | None = None,
        seed: int | str | None = None,
        params: Mapping[str, str | int | float] | None = None,
        on_error: Literal["skip", "fail"] = "skip",
        now: datetime | str | None = None,
        format: str | None = None,
        duplicates: Literal["drop", "keep"] = "drop",
        csv_map: Mapping[str, str] | None = None,
        delimiter: str | None = None,
        quote: str | None = None,
    ) -> Report:
        """Evaluates the rules over ``events`` in one streaming pass and
        returns the report, the same as ``loggvakt run`` gives for the same
        input.

        ``events`` is a path (its format detected as the command line
        detects it, or named by ``format``: jsonl, fhir, csv, inera, atna,
        windows, keycloak or entra), a table that exports the Arrow C stream
        (pyarrow, pandas, polars; read without Python per row), or any
        iterable of dicts (taken 10,000 at a time). A dict or row that is not
        an event is rejected with its reason and place, ``list#3`` being the
        third item; with ``on_error="fail"`` the first one raises
        ``EventError`` instead.

        ``context`` is a ``Context`` or a context folder's path (loaded in
        the evaluation's zone, as ``--context DIR`` is); without it, rules
        that look up context see no one and a ``UserWarning`` says so.
        ``seed`` (an int or a str, as ``--seed`` takes) fixes the samples;
        without it, rules that sample get a fresh seed from the operating
        system, recorded in ``report.seed``.

        ``period`` is a local calendar month ``YYYY-MM`` (events outside it
        are counted, not evaluated); ``tz`` an IANA zone overriding the rule
        files' zone; ``params`` overrides parameters for this call only;
        ``now`` (an aware datetime or RFC 3339 text; the clock by default) is
        written as the report's ``generated_at``; ``duplicates="keep"``
        evaluates every copy of an event instead of counting copies as
        rejected.

        A list or tuple of paths is read file after file, as
        ``--events A B`` reads them. CSV files take ``csv_map`` (canonical
        field to column header; a field left out is read from a column of
        its own name), ``delimiter`` (one character, ``"tab"`` for a tab;
        a tab for ``.tsv`` files by default) and ``quote``, as ``--map``,
        ``--delimiter`` and ``--quote`` do; they are refused for a file not
        read as CSV.

        Raises ``RuleError`` when the rules have errors, ``ContextError``
        when the context folder has problems, ``TypeError`` for
        an argument of the wrong type, ``ValueError`` for an option that
        does not parse, ``FileNotFoundError`` for a missing event file and
        ``LoggvaktError`` for one that cannot be read. The interpreter is
        released while Rust reads and evaluates.
        """

@final
class Reason:
    """Rejected records of one reason."""

    @property
    def reason(self) -> str:
        """The reason's name, such as ``missing_field``."""
    @property
    def code(self) -> str:
        """Its diagnostic code, such as ``LV0301``."""
    @property
    def count(self) -> int:
        """How many records."""
    @property
    def locations(self) -> list[str]:
        """The first few places, in order: ``file:line`` or ``source#record``
        (``DataFrame#3`` is the third row)."""
    @property
    def example(self) -> str:
        """What was wrong with the record at the first place."""

@final
class InputSummary:
    """Counts of everything read."""

    @property
    def read(self) -> int:
        """Records read: evaluated + rejected + ignored + outside the period."""
    @property
    def evaluated(self) -> int:
        """Events evaluated against the rules."""
    @property
    def rejected(self) -> int:
        """Records that could not be read as events."""
    @property
    def outside_period(self) -> int:
        """Events outside the period: not evaluated, not rejected."""
    @property
    def ignored(self) -> int:
        """Records that are not access events."""
    @property
    def conflicting_ids(self) -> int:
        """Events evaluated although another event had the same id and other
        content."""
    @property
    def reasons(self) -> list[Reason]:
        """Rejections by reason."""
    @property
    def ignored_kinds(self) -> dict[str, int]:
        """Ignored records by kind, such as ``fhir:OperationOutcome``."""

@final
class Finding:
    """One finding for a reviewer."""

    @property
    def rule(self) -> str:
        """The rule's name."""
    @property
    def title(self) -> str:
        """The rule's title."""
    @property
    def category(self) -> str:
        """The report category, such as ``unauthorized``."""
    @property
    def severity(self) -> str:
        """``low``, ``medium``, ``high`` or ``critical``."""
    @property
    def key(self) -> dict[str, str]:
        """The group key's values by key name, such as ``{"user": "anna"}``."""
    @property
    def window_start(self) -> datetime:
        """The window's first instant, in the report's zone's offset."""
    @property
    def window_end(self) -> datetime:
        """The first instant after the window; for a single event, its time."""
    @property
    def values(self) -> dict[str, float]:
        """The aggregate values by name, such as ``{"count": 51}``; whole
        numbers are ``int``."""
    @property
    def evidence_ids(self) -> list[str]:
        """Ids of the events behind the finding, smallest first, capped at 10."""
    @property
    def evidence_total(self) -> int:
        """How many events are behind the finding in all."""
    @property
    def condition(self) -> str:
        """The alert condition as the rule writes it."""
    @property
    def explanation(self) -> str:
        """The explanation, from the rule's template."""
    @property
    def tags(self) -> list[str]:
        """The rule's tags."""
    @property
    def sampled(self) -> bool:
        """Whether the findings sample chose it for review; false when the
        rules sample no findings."""

@final
class SampledFinding:
    """A finding chosen for review."""

    @property
    def rule(self) -> str:
        """The finding's rule."""
    @property
    def key(self) -> dict[str, str]:
        """Its group key's values by key name."""
    @property
    def window_start(self) -> datetime:
        """Its window's first instant, in the report's zone's offset."""
    @property
    def draw(self) -> str:
        """Its draw, 16 hex digits (``docs/sampling.md``)."""

@final
class CategorySample:
    """The findings of one category chosen for review."""

    @property
    def category(self) -> str:
        """The category."""
    @property
    def findings(self) -> int:
        """How many findings the category has."""
    @property
    def selected(self) -> list[SampledFinding]:
        """The chosen ones, smallest draw first."""

@final
class SpotEvent:
    """An event chosen for the spot check."""

    @property
    def id(self) -> str | None:
        """The event's id, when it has one."""
    @property
    def time(self) -> datetime:
        """When it happened (UTC)."""
    @property
    def action(self) -> str:
        """What was done."""
    @property
    def patient(self) -> str | None:
        """Whose record, if any."""
    @property
    def draw(self) -> str:
        """Its draw, 16 hex digits."""

@final
class SpotUser:
    """A user chosen for the spot check, with their sampled events."""

    @property
    def user(self) -> str:
        """The user."""
    @property
    def draw(self) -> str:
        """The user's draw, 16 hex digits."""
    @property
    def events(self) -> int:
        """The user's events in the population."""
    @property
    def sampled(self) -> list[SpotEvent]:
        """The sampled events, smallest draw first."""

@final
class SpotCheck:
    """The spot check of ordinary activity that was drawn."""

    @property
    def population_users(self) -> int:
        """Users with at least one event in the population."""
    @property
    def population_events(self) -> int:
        """Events in the population."""
    @property
    def users(self) -> list[SpotUser]:
        """The users chosen, smallest draw first."""

@final
class Samples:
    """The samples of one evaluation."""

    @property
    def findings(self) -> list[CategorySample]:
        """Per category with findings, which to review."""
    @property
    def spot_check(self) -> SpotCheck | None:
        """The spot check, when the rules ask for one."""

@final
class SpotCheckPlan:
    """A spot check as the rules ask for it."""

    @property
    def users(self) -> int:
        """How many users."""
    @property
    def events_per_user(self) -> int:
        """How many events of each."""
    @property
    def population(self) -> str:
        """The population filter, as the rule file writes it."""

@final
class Sampling:
    """How samples are drawn, and what the rules ask for."""

    @property
    def method(self) -> str:
        """The method's name, ``chacha20-smallest-k``."""
    @property
    def version(self) -> int:
        """The version of its derivation."""
    @property
    def findings_per_category(self) -> int | None:
        """``sample N findings per category``, if the rules give it."""
    @property
    def spot_check(self) -> SpotCheckPlan | None:
        """``spot check …``, if the rules give it."""

@final
class Report:
    """The result of one evaluation. ``len(report)`` is the number of
    findings; in a notebook it shows as a summary table."""

    @property
    def findings(self) -> list[Finding]:
        """The findings, sorted by category, rule, key and window start."""
    @property
    def input(self) -> InputSummary:
        """What was read, and what was not evaluated and why."""
    @property
    def samples(self) -> Samples:
        """The samples drawn: findings per category and the spot check."""
    @property
    def sampling(self) -> Sampling:
        """The sampling method and what the rules ask for."""
    @property
    def seed(self) -> str | None:
        """The seed of the samples: the one given, or the fresh one drawn;
        ``None`` when the rules sample nothing and no seed was given."""
    @property
    def context(self) -> dict[str, Any] | None:
        """What the context was made from (``Context.summary``); ``None``
        when the evaluation had no context."""
    @property
    def time_zone(self) -> str:
        """The IANA zone of windows and local times."""
    @property
    def period_start(self) -> datetime | None:
        """The period's first instant; ``None`` when nothing was read and no
        period was given."""
    @property
    def period_end(self) -> datetime | None:
        """The first instant after the period."""
    @property
    def generated_at(self) -> str:
        """The ``now`` of the evaluation, RFC 3339."""
    def to_json(self) -> str:
        """The report as the command line writes it (``docs/report.md``):
        keys sorted, two-space indent, a final newline. Only
        ``run.command`` differs from the command line's report."""
    def to_html(self, *, lang: str = "en", organisation: str | None = None) -> str:
        """The printable report as one self-contained HTML page for A4, as
        ``loggvakt run --out report.html`` writes it (``docs/report.md``).
        ``lang`` is ``"en"`` or ``"sv"``; ``organisation`` names the
        organisation in the header (default: the report's own). Another
        language raises ``ValueError`` with code LV0407."""
    def to_csv(self) -> str:
        """Findings and sampled cases as one CSV table with a ``kind``
        column, as ``loggvakt run --out findings.csv`` writes it."""
    def to_dict(self) -> dict[str, Any]:
        """The report's JSON as Python dicts and lists."""
    def to_pandas(self) -> Any:
        """The findings as a ``pandas.DataFrame``, one row per finding,
        with a ``sampled`` column. Raises ``ImportError`` when pandas is
        not installed."""
    def to_arrow(self) -> Any:
        """The findings as a ``pyarrow.Table``, one row per finding, with a
        ``sampled`` column. Raises ``ImportError`` when pyarrow is not
        installed."""
    def samples_to_pandas(self) -> Any:
        """The cases to review as a ``pandas.DataFrame``: one row per
        sampled finding (``kind`` ``"finding"``: ``category``, ``rule``,
        ``key``, ``window_start``) and per spot-checked event (``kind``
        ``"spot_check"``: ``user``, ``event_id``, ``time``, ``action``,
        ``patient``), each with its ``draw``. Raises ``ImportError`` when
        pandas is not installed."""
    def _repr_html_(self) -> str:
        """A summary for notebooks: period, input counts, findings per
        category and the first 20 findings."""
    def __len__(self) -> int: ...
