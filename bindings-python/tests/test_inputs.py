"""Each kind of input gives the command line's result on the same month:
a path (the whole report, byte for byte but for ``run.command``), an
iterable of dicts, pandas and polars DataFrames, a pyarrow Table and a
RecordBatchReader (the same findings and counts)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import loggvakt
from conftest import NOW, STANDARD


@pytest.fixture(scope="module")
def rules() -> loggvakt.RuleSet:
    return loggvakt.RuleSet.from_file(STANDARD)


def dicts(month: Path) -> Iterator[dict[str, Any]]:
    with month.open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def result(report: loggvakt.Report) -> dict[str, Any]:
    """What must agree whatever the input kind: everything but how the
    report was made and which files went in."""
    found = report.to_dict()
    del found["run"], found["inputs"]
    return found


def expected(cli_report: dict[str, Any]) -> dict[str, Any]:
    found = dict(cli_report["json"])
    del found["run"], found["inputs"]
    return found


def test_path_gives_the_command_lines_report(rules, month, cli_report) -> None:
    report = rules.evaluate(month, period="2026-03", now=NOW)
    command = cli_report["json"]["run"]["command"]
    ours = report.to_json().replace(json.dumps(report.to_dict()["run"]["command"]),
                                    json.dumps(command))
    assert ours == cli_report["text"]
    assert len(report.findings) == len(cli_report["json"]["findings"]) > 0


def test_str_path_and_format(rules, month, cli_report) -> None:
    report = rules.evaluate(str(month), period="2026-03", now=NOW, format="jsonl")
    assert result(report) == expected(cli_report)


def test_iterable_of_dicts(rules, month, cli_report) -> None:
    report = rules.evaluate(dicts(month), period="2026-03", now=NOW)
    assert result(report) == expected(cli_report)


def test_list_of_dicts_over_several_batches(rules, month, cli_report) -> None:
    events = list(dicts(month)) * 3
    report = rules.evaluate(events, period="2026-03", now=NOW)
    assert report.input.read == 3 * cli_report["json"]["input"]["read"]
    assert [f.rule for f in report.findings] == [
        f["rule"] for f in cli_report["json"]["findings"]
    ]


def test_pandas(rules, month, cli_report) -> None:
    frame = pd.DataFrame(list(dicts(month)))
    report = rules.evaluate(frame, period="2026-03", now=NOW)
    assert result(report) == expected(cli_report)


def test_pandas_with_datetime_column(rules, month, cli_report) -> None:
    frame = pd.DataFrame(list(dicts(month)))
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    report = rules.evaluate(frame, period="2026-03", now=NOW)
    assert result(report) == expected(cli_report)


def test_polars(rules, month, cli_report) -> None:
    frame = pl.DataFrame(list(dicts(month)), infer_schema_length=None)
    report = rules.evaluate(frame, period="2026-03", now=NOW)
    assert result(report) == expected(cli_report)


def test_pyarrow_table_and_reader(rules, month, cli_report) -> None:
    table = pa.Table.from_pandas(pd.DataFrame(list(dicts(month))))
    report = rules.evaluate(table, period="2026-03", now=NOW)
    assert result(report) == expected(cli_report)
    reader = table.to_reader(max_chunksize=700)
    assert result(rules.evaluate(reader, period="2026-03", now=NOW)) == expected(
        cli_report
    )


def test_naive_timestamps_are_local_time(rules) -> None:
    midnight = 1772323200  # 2026-03-01T00:00:00Z
    utc = pa.array([midnight], type=pa.timestamp("s", tz="UTC"))
    naive = pa.array([midnight], type=pa.timestamp("s"))
    for times, hour in ((utc, "01"), (naive, "00")):
        table = pa.table({"time": times, "user": ["u"], "action": ["read"], "id": ["e1"],
                          "patient": ["p"]})
        rule = loggvakt.RuleSet.from_string(EVERY_READ)
        finding = rule.evaluate(table).findings[0]
        assert finding.window_start.isoformat() == f"2026-03-01T{hour}:00:00+01:00"


EVERY_READ = """
rule every_read {
    title    "Every read"
    category relation
    severity low
    where    action == "read"
    explain  "{user} read"
}
"""


def test_report_objects(rules, month, cli_report) -> None:
    report = rules.evaluate(month, period="2026-03", now=NOW)
    first = report.findings[0]
    raw = cli_report["json"]["findings"][0]
    assert (first.rule, first.title, first.category, first.severity) == (
        raw["rule"], raw["title"], raw["category"], raw["severity"]
    )
    assert first.key == raw["key"]
    assert first.window_start.isoformat() == raw["window"]["start"]
    assert first.window_end.isoformat() == raw["window"]["end"]
    assert first.values == raw["values"]
    assert first.evidence_ids == raw["evidence"]["ids"]
    assert first.evidence_total == raw["evidence"]["total"]
    assert first.explanation == raw["explanation"]
    assert first.tags == raw["tags"]
    assert report.input.read == cli_report["json"]["input"]["read"]
    assert report.time_zone == "Europe/Stockholm"
    assert report.period_start is not None and report.period_start.month == 3
    assert len(report) == len(report.findings)


def test_tables_and_html(rules, month) -> None:
    report = rules.evaluate(month, period="2026-03", now=NOW)
    frame = report.to_pandas()
    assert len(frame) == len(report.findings)
    assert str(frame["window_start"].dt.tz) == "Europe/Stockholm"
    table = report.to_arrow()
    assert table.num_rows == len(report.findings)
    assert table.column("rule").to_pylist() == [f.rule for f in report.findings]
    html = report._repr_html_()
    assert "<table>" in html and report.findings[0].rule in html


def test_html_and_csv_are_the_command_lines(rules, month, cli, tmp_path) -> None:
    html_file, csv_file = tmp_path / "r.html", tmp_path / "r.csv"
    subprocess.run(
        [str(cli), "-q", "run", "--rules", str(STANDARD), "--events", str(month),
         "--period", "2026-03", "--now", NOW, "--lang", "sv",
         "--out", str(html_file), str(csv_file)],
        check=True,
    )
    report = rules.evaluate(month, period="2026-03", now=NOW)
    assert report.to_html(lang="sv") == html_file.read_bytes().decode("utf-8")
    assert report.to_csv() == csv_file.read_bytes().decode("utf-8")
    assert "Region Test" in report.to_html(organisation="Region Test")
    with pytest.raises(ValueError, match=r"\[LV0407\].*`fi`"):
        report.to_html(lang="fi")
