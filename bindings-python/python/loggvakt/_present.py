"""Reports as tables: pandas, Arrow and HTML for notebooks.

The native ``Report`` calls these with its ``to_dict()``; pandas and
pyarrow are imported only here, when asked for.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

#: The columns of a findings table, in order.
COLUMNS = [
    "category",
    "rule",
    "severity",
    "sampled",
    "title",
    "key",
    "window_start",
    "window_end",
    "values",
    "evidence_ids",
    "evidence_total",
    "explanation",
    "condition",
    "tags",
]

#: How many findings the HTML summary lists.
SHOWN = 20


def _missing(library: str, method: str) -> ImportError:
    return ImportError(
        f"Report.{method}() needs {library}, which is not installed; "
        f"install it with `pip install {library}`"
    )


def rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat record per finding; ``values`` are floats so every row has
    the same types."""
    out = []
    for finding in report["findings"]:
        out.append(
            {
                "category": finding["category"],
                "rule": finding["rule"],
                "severity": finding["severity"],
                "sampled": finding["sampled"],
                "title": finding["title"],
                "key": dict(finding["key"]),
                "window_start": finding["window"]["start"],
                "window_end": finding["window"]["end"],
                "values": {k: float(v) for k, v in finding["values"].items()},
                "evidence_ids": list(finding["evidence"]["ids"]),
                "evidence_total": finding["evidence"]["total"],
                "explanation": finding["explanation"],
                "condition": finding["condition"],
                "tags": list(finding["tags"]),
            }
        )
    return out


def to_pandas(report: dict[str, Any]) -> Any:
    """The findings as a pandas DataFrame, one row per finding; the window
    columns are timestamps in the report's zone."""
    try:
        import pandas as pd  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise _missing("pandas", "to_pandas") from None
    frame = pd.DataFrame(rows(report), columns=COLUMNS)
    zone = report["time_zone"]
    for column in ("window_start", "window_end"):
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(zone)
    return frame


def to_arrow(report: dict[str, Any]) -> Any:
    """The findings as a pyarrow Table, one row per finding; the window
    columns are timestamps in the report's zone."""
    try:
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise _missing("pyarrow", "to_arrow") from None
    zone = report["time_zone"]
    instant = pa.timestamp("us", tz=zone)
    schema = pa.schema(
        [
            ("category", pa.string()),
            ("rule", pa.string()),
            ("severity", pa.string()),
            ("sampled", pa.bool_()),
            ("title", pa.string()),
            ("key", pa.map_(pa.string(), pa.string())),
            ("window_start", instant),
            ("window_end", instant),
            ("values", pa.map_(pa.string(), pa.float64())),
            ("evidence_ids", pa.list_(pa.string())),
            ("evidence_total", pa.int64()),
            ("explanation", pa.string()),
            ("condition", pa.string()),
            ("tags", pa.list_(pa.string())),
        ]
    )
    records = rows(report)
    for record in records:
        record["key"] = list(record["key"].items())
        record["values"] = list(record["values"].items())
        for name in ("window_start", "window_end"):
            record[name] = datetime.fromisoformat(record[name])
    return pa.Table.from_pylist(records, schema=schema)


#: The columns of a samples table, in order.
SAMPLE_COLUMNS = [
    "kind",
    "category",
    "rule",
    "key",
    "window_start",
    "user",
    "event_id",
    "time",
    "action",
    "patient",
    "draw",
]


def sample_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One record per case to review: each sampled finding (kind
    ``finding``), then each spot-checked event (kind ``spot_check``), in
    the report's order; a column that does not apply is ``None``."""
    out: list[dict[str, Any]] = []
    empty = dict.fromkeys(SAMPLE_COLUMNS)
    for category in report["samples"]["findings"]:
        for chosen in category["selected"]:
            out.append({**empty, "kind": "finding", "category": category["category"],
                        "rule": chosen["rule"], "key": dict(chosen["key"]),
                        "window_start": chosen["window_start"], "draw": chosen["draw"]})
    spot = report["samples"]["spot_check"] or {"users": []}
    for user in spot["users"]:
        for event in user["sampled"]:
            out.append({**empty, "kind": "spot_check", "user": user["user"],
                        "event_id": event["id"], "time": event["time"],
                        "action": event["action"], "patient": event["patient"],
                        "draw": event["draw"]})
    return out


def samples_to_pandas(report: dict[str, Any]) -> Any:
    """The samples as a pandas DataFrame, one row per case to review; the
    time columns are timestamps in the report's zone."""
    try:
        import pandas as pd  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise _missing("pandas", "samples_to_pandas") from None
    frame = pd.DataFrame(sample_rows(report), columns=SAMPLE_COLUMNS)
    zone = report["time_zone"]
    for column in ("window_start", "time"):
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(zone)
    return frame


def repr_html(report: dict[str, Any]) -> str:
    """A summary for notebooks: period, input counts, findings per
    category and the first findings."""
    e = html.escape
    period = report["period"]
    counts = report["input"]
    parts = [
        "<div class='loggvakt-report'>",
        f"<p><b>Loggvakt report</b>: {len(report['findings'])} finding(s); "
        f"period {e(str(period['start']))} to {e(str(period['end']))} "
        f"({e(report['time_zone'])})</p>",
        "<p>"
        + ", ".join(
            f"{name.replace('_', ' ')} {counts[name]}"
            for name in ("read", "evaluated", "rejected", "outside_period", "ignored")
        )
        + "</p>",
        _table(
            ["category", "title", "findings"],
            [
                [c["name"], c["title"], str(_count(report, c["name"]))]
                for c in report["categories"]
            ],
        ),
    ]
    shown = report["findings"][:SHOWN]
    if shown:
        parts.append(
            _table(
                ["severity", "rule", "key", "window", "explanation"],
                [
                    [
                        f["severity"],
                        f["rule"],
                        ", ".join(f"{k}={v}" for k, v in f["key"].items()),
                        f["window"]["start"],
                        f["explanation"],
                    ]
                    for f in shown
                ],
            )
        )
    if len(report["findings"]) > SHOWN:
        more = len(report["findings"]) - SHOWN
        parts.append(f"<p>… and {more} more; see <code>report.findings</code>.</p>")
    parts.append("</div>")
    return "\n".join(parts)


def _count(report: dict[str, Any], category: str) -> int:
    return sum(1 for f in report["findings"] if f["category"] == category)


def _table(header: list[str], body: list[list[str]]) -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in header)
    rows = "".join(
        "<tr>" + "".join(f"<td>{e(str(cell))}</td>" for cell in row) + "</tr>"
        for row in body
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
