"""Context and seeds: a context folder or a ``Context`` object gives the
command line's report for every kind of input, a context built from dicts
or DataFrames equals the one read from files, problems are located the way
the folder's are, and samples come out as typed objects."""

from __future__ import annotations

import csv
import json
import re
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import loggvakt
from conftest import NOW, STANDARD

TABLES = ("users", "patients", "relations", "drugs")


def context_dir(month: Path) -> Path:
    return month.parent / "context"


def dict_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as lines:
        return list(csv.DictReader(lines))


def events(month: Path) -> list[dict[str, Any]]:
    with month.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def without(report: loggvakt.Report, *names: str) -> dict[str, Any]:
    found = report.to_dict()
    for name in ("run", "inputs", *names):
        del found[name]
    return found


def expected(cli_full_report: dict[str, Any], *names: str) -> dict[str, Any]:
    found = dict(cli_full_report["json"])
    for name in ("run", "inputs", *names):
        del found[name]
    return found


@pytest.fixture(scope="module")
def rules(sampled_rules: Path) -> loggvakt.RuleSet:
    return loggvakt.RuleSet.from_file(sampled_rules)


def test_a_context_path_and_seed_give_the_command_lines_report(
    rules, month, cli_full_report
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = rules.evaluate(month, context=context_dir(month), seed="2026",
                                period="2026-03", now=NOW)
    command = json.dumps(cli_full_report["json"]["run"]["command"])
    ours = json.dumps(report.to_dict()["run"]["command"])
    assert report.to_json().replace(ours, command) == cli_full_report["text"]
    assert report.seed == "2026"
    assert any(f.sampled for f in report.findings)
    assert report.context == cli_full_report["json"]["context"]


@pytest.mark.parametrize("kind", ["dicts", "pandas", "polars", "arrow"])
def test_every_input_kind_gives_the_same_report_with_context_and_seed(
    rules, month, cli_full_report, kind
) -> None:
    rows = events(month)
    table: Any = {
        "dicts": iter(rows),
        "pandas": pd.DataFrame(rows),
        "polars": pl.DataFrame(rows, infer_schema_length=None),
        "arrow": pa.Table.from_pandas(pd.DataFrame(rows)),
    }[kind]
    context = loggvakt.Context.from_dir(context_dir(month))
    report = rules.evaluate(table, context=context, seed=2026, period="2026-03", now=NOW)
    assert without(report) == expected(cli_full_report)


def test_the_seed_as_int_or_str_is_the_same_seed(rules, month) -> None:
    context = loggvakt.Context.from_dir(context_dir(month))
    by_int = rules.evaluate(month, context=context, seed=7, now=NOW)
    by_str = rules.evaluate(month, context=context, seed="7", now=NOW)
    assert by_int.to_json() == by_str.to_json()
    other = rules.evaluate(month, context=context, seed="8", now=NOW)
    assert other.to_dict()["samples"] != by_int.to_dict()["samples"]


def test_without_a_seed_a_fresh_one_is_drawn_and_recorded(rules, month) -> None:
    first = rules.evaluate(month, context=context_dir(month), now=NOW)
    second = rules.evaluate(month, context=context_dir(month), now=NOW)
    assert first.seed is not None and re.fullmatch(r"[0-9a-f]{32}", first.seed)
    assert first.seed != second.seed
    replayed = rules.evaluate(month, context=context_dir(month), seed=first.seed, now=NOW)
    assert replayed.to_dict()["samples"] == first.to_dict()["samples"]


def test_rules_that_sample_nothing_record_no_seed(month) -> None:
    rules = loggvakt.RuleSet.from_file(STANDARD)
    report = rules.evaluate(month, context=context_dir(month), now=NOW)
    assert report.seed is None
    assert report.sampling.findings_per_category is None
    assert report.samples.findings == [] and report.samples.spot_check is None


def test_samples_are_typed_objects(rules, month, cli_full_report) -> None:
    report = rules.evaluate(month, context=context_dir(month), seed="2026", now=NOW,
                            period="2026-03")
    raw = cli_full_report["json"]
    assert report.sampling.method == raw["sampling"]["method"] == "chacha20-smallest-k"
    assert report.sampling.findings_per_category == 3
    plan = report.sampling.spot_check
    assert plan is not None and (plan.users, plan.events_per_user) == (5, 3)
    assert plan.population == raw["sampling"]["spot_check"]["population"]

    categories = report.samples.findings
    assert [c.category for c in categories] == [
        c["category"] for c in raw["samples"]["findings"]
    ]
    for ours, theirs in zip(categories, raw["samples"]["findings"]):
        assert ours.findings == theirs["findings"]
        assert [(s.rule, s.key, s.window_start.isoformat(), s.draw) for s in ours.selected] == [
            (s["rule"], s["key"], s["window_start"], s["draw"]) for s in theirs["selected"]
        ]
    chosen = {(s.rule, tuple(s.key.items()), s.window_start) for c in categories
              for s in c.selected}
    marked = {(f.rule, tuple(f.key.items()), f.window_start) for f in report.findings
              if f.sampled}
    assert chosen == marked

    spot = report.samples.spot_check
    raw_spot = raw["samples"]["spot_check"]
    assert spot is not None
    assert (spot.population_users, spot.population_events) == (
        raw_spot["population_users"], raw_spot["population_events"]
    )
    assert [(u.user, u.draw, u.events) for u in spot.users] == [
        (u["user"], u["draw"], u["events"]) for u in raw_spot["users"]
    ]
    first = spot.users[0].sampled[0]
    theirs = raw_spot["users"][0]["sampled"][0]
    assert (first.id, first.action, first.patient, first.draw) == (
        theirs["id"], theirs["action"], theirs["patient"], theirs["draw"]
    )
    assert first.time.isoformat() == theirs["time"]


def test_samples_and_the_sampled_column_in_tables(rules, month) -> None:
    report = rules.evaluate(month, context=context_dir(month), seed="2026", now=NOW)
    frame = report.to_pandas()
    assert frame["sampled"].tolist() == [f.sampled for f in report.findings]
    assert report.to_arrow().column("sampled").to_pylist() == frame["sampled"].tolist()

    samples = report.samples_to_pandas()
    chosen = sum(len(c.selected) for c in report.samples.findings)
    spot = report.samples.spot_check
    assert spot is not None
    checked = sum(len(u.sampled) for u in spot.users)
    assert len(samples) == chosen + checked
    assert samples["kind"].value_counts().to_dict() == {"finding": chosen,
                                                       "spot_check": checked}
    spotted = samples[samples["kind"] == "spot_check"]
    assert spotted["user"].tolist()[0] == spot.users[0].user
    assert str(samples["time"].dt.tz) == report.time_zone


def from_dicts(month: Path) -> loggvakt.Context:
    folder = context_dir(month)
    tables = {name: dict_rows(folder / f"{name}.csv") for name in TABLES}
    return loggvakt.Context.from_data(**tables)


def from_frames(month: Path, make: Any) -> loggvakt.Context:
    folder = context_dir(month)
    tables = {name: make(folder / f"{name}.csv") for name in TABLES}
    return loggvakt.Context.from_data(**tables)


@pytest.mark.parametrize("kind", ["dicts", "pandas", "polars", "arrow"])
def test_a_context_from_data_equals_the_one_from_files(
    rules, month, cli_full_report, kind
) -> None:
    import pyarrow.csv as pacsv

    makers = {
        "pandas": lambda p: pd.read_csv(p, dtype=str, keep_default_na=False),
        "polars": lambda p: pl.read_csv(p, infer_schema_length=0),
        "arrow": lambda p: pacsv.read_csv(p),
    }
    context = from_dicts(month) if kind == "dicts" else from_frames(month, makers[kind])
    report = rules.evaluate(month, context=context, seed="2026", period="2026-03", now=NOW)
    assert without(report, "context") == expected(cli_full_report, "context")

    files = {f["name"]: f["rows"] for f in cli_full_report["json"]["context"]["files"]}
    ours = {f["name"]: f["rows"] for f in report.context["files"]}
    assert ours == {name.removesuffix(".csv"): rows for name, rows in files.items()}


def test_the_digest_of_a_table_is_of_its_canonical_form(month) -> None:
    import hashlib

    rows = [{"id": "anna", "units": ["ward-4"], "roles": None}, {"id": "bo"}]
    context = loggvakt.Context.from_data(users=rows, lists={"vpn.cidr": ["10.0.0.0/8"]})
    files = {f["name"]: f for f in context.summary["files"]}
    text = '{"id":"anna","units":["ward-4"]}\n{"id":"bo"}\n'
    assert files["users"]["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert files["users"]["rows"] == 2
    assert files["lists/vpn.cidr"]["sha256"] == hashlib.sha256(b"10.0.0.0/8\n").hexdigest()
    # polars gives an all-null column the Arrow type Null, which the Arrow
    # C stream import refuses; without it the table is the same.
    frame = pl.DataFrame(rows).drop("roles")
    assert frame.schema["units"] == pl.List(pl.String)
    same = loggvakt.Context.from_data(users=frame, lists={"vpn.cidr": ["10.0.0.0/8"]})
    assert same.summary == context.summary
    assert loggvakt.Context.from_data(users=rows[::-1]).summary != context.summary


def test_a_frames_gaps_are_empty_cells() -> None:
    frame = pd.DataFrame([{"id": "anna", "units": "ward-4"}, {"id": "bo", "units": None}])
    context = loggvakt.Context.from_data(users=frame)
    rows = '{"id":"anna","units":"ward-4"}\n{"id":"bo"}\n'
    import hashlib

    assert context.summary["files"][0]["sha256"] == hashlib.sha256(rows.encode()).hexdigest()


def problems(error: pytest.ExceptionInfo[loggvakt.ContextError]) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in error.value.diagnostics]


def test_problems_in_data_are_those_of_files_placed_at_their_row(tmp_path: Path) -> None:
    rows = [
        {"id": "anna", "employed_from": "2020-01-01"},
        {"id": "bo", "employed_from": "1 May"},
        {"id": "cia", "schedule": "weekdays 8-16"},
        {"id": "anna"},
    ]
    with pytest.raises(loggvakt.ContextError) as from_data:
        loggvakt.Context.from_data(users=rows)
    folder = tmp_path / "context"
    folder.mkdir()
    with (folder / "users.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["id", "employed_from", "schedule"])
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(loggvakt.ContextError) as from_files:
        loggvakt.Context.from_dir(folder)

    assert problems(from_data) == [
        ("LV0511", "users[1]: `employed_from` is `1 May`, which is not a date"),
        ("LV0514", "users[2]: `schedule` has the shift `weekdays 8-16`, which cannot be read"),
        ("LV0501", "users[3]: user `anna` is given twice"),
    ]
    in_files = [(code, re.sub(r"^users\.csv:(\d+)", lambda m: f"users[{int(m[1]) - 2}]", text))
                for code, text in problems(from_files)]
    assert in_files == problems(from_data)
    assert [d.help for d in from_data.value.diagnostics] == [
        d.help for d in from_files.value.diagnostics
    ]
    error = from_data.value
    assert isinstance(error, ValueError) and isinstance(error, loggvakt.LoggvaktError)
    assert str(error).startswith("[LV0511] users[1]: ") and "(and 2 more)" in str(error)
    assert from_files.value.diagnostics[0].line == 3
    assert from_data.value.diagnostics[0].line is None


def test_bad_columns_and_rows_in_data() -> None:
    frame = pd.DataFrame([{"id": f"p{n}", "protectd": "yes"} for n in range(3)])
    with pytest.raises(loggvakt.ContextError) as raised:
        loggvakt.Context.from_data(patients=frame)
    assert problems(raised) == [("LV0510", "patients[0]: unknown column `protectd`")]
    assert raised.value.diagnostics[0].help == "did you mean `protected`?"

    with pytest.raises(loggvakt.ContextError) as raised:
        loggvakt.Context.from_data(
            drugs=[{"id": "m", "class": "VI"}, "m", {"id": "c", "class": "II", "name": object()}]
        )
    found = problems(raised)
    assert [code for code, _ in found] == ["LV0515", "LV0513", "LV0515"]
    assert found[0][1] == "drugs[2]: `name` holds a value of Python type `object`"
    assert found[1][1] == "drugs[0]: `class` is `VI`, which is not a narcotic class"
    assert found[2][1] == "drugs[1]: not a record"


def test_bad_lists_and_arguments() -> None:
    with pytest.raises(loggvakt.ContextError) as raised:
        loggvakt.Context.from_data(lists={"vpn": ["10.0.0.0/8"], "nets.cidr": ["10.1.0.0/8"]})
    assert [code for code, _ in problems(raised)] == ["LV0509", "LV0504"]
    assert raised.value.diagnostics[1].help == "did you mean `10.0.0.0/8`?"
    with pytest.raises(TypeError, match="`users` must be a list of dicts"):
        loggvakt.Context.from_data(users="users.csv")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not one str"):
        loggvakt.Context.from_data(lists={"a.txt": "abc"})
    with pytest.raises(ValueError, match="LV0402"):
        loggvakt.Context.from_data(tz="Mars/Olympus")
    with pytest.raises(FileNotFoundError):
        loggvakt.Context.from_dir("no/such/folder")
    rules = loggvakt.RuleSet.from_file(STANDARD)
    with pytest.raises(TypeError, match="`context` must be"):
        rules.evaluate([], context=42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="`seed` must be"):
        rules.evaluate([], seed=1.5)  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError):
        rules.evaluate([], context="no/such/folder")


def test_local_times_are_read_in_the_evaluations_zone() -> None:
    rule = loggvakt.RuleSet.from_string(
        'rule unrelated {\n title "U"\n category relation\n severity low\n'
        ' where patient != null and not related(user, patient, time)\n}\n'
    )
    context = loggvakt.Context.from_data(
        relations=[{"user": "anna", "patient": "p1", "from": "2026-03-02 08:00"}]
    )
    event = [{"time": "2026-03-02T07:30:00Z", "user": "anna", "action": "read",
              "patient": "p1", "id": "e1"}]
    # 07:30 UTC is 08:30 in Stockholm (related) but 02:30 in New York (not).
    assert len(rule.evaluate(event, context=context)) == 0
    assert len(rule.evaluate(event, context=context, tz="America/New_York")) == 1
    fixed = loggvakt.Context.from_data(
        relations=[{"user": "anna", "patient": "p1", "from": "2026-03-02 08:00"}],
        tz="Europe/Stockholm",
    )
    assert fixed.tz == "Europe/Stockholm"
    assert len(rule.evaluate(event, context=fixed, tz="America/New_York")) == 0


def test_a_context_silences_the_warning(month) -> None:
    rules = loggvakt.RuleSet.from_file(STANDARD)
    with pytest.warns(UserWarning, match="no context was given"):
        rules.evaluate(month)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rules.evaluate(month, context=loggvakt.Context.from_data())
