"""One engine's run of the standard pack, as a child process of run.py.

    python bench/engines.py duckdb|pandas --events FILE --context DIR \
        --countries FILE --holidays FILE --eu-eea FILE --period YYYY-MM --out KEYS.json

Writes the findings' keys, `[[rule, key, window_start], ...]`, sorted, to
KEYS.json, and the count of evaluated events to standard output.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RULES = [
    "repeated_failed_sign_ins", "locked_account", "access_denied",
    "resource_outside_permissions", "third_country_access",
    "withdrawals_out_of_proportion", "many_opens_same_patient", "off_hours_access",
    "other_unit_access", "protected_identity_opens", "media_interest_reads",
    "no_care_relation", "emergency_access",
]
CHUNK_ROWS = 500_000


def period_bounds(period: str) -> tuple[str, str]:
    """The first day of the month and of the next, `YYYY-MM-DD 00:00:00`."""
    year, month = (int(part) for part in period.split("-"))
    after = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year:04}-{month:02}-01 00:00:00", f"{after[0]:04}-{after[1]:02}-01 00:00:00"


def sql(name: str, values: dict) -> str:
    text = (HERE / "sql" / f"{name}.sql").read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("${" + key + "}", value.replace("'", "''"))
    return text


def run_duckdb(args) -> tuple[set, int]:
    import duckdb

    start, end = period_bounds(args.period)
    values = {
        "events": args.events, "context": args.context, "countries": args.countries,
        "holidays": args.holidays, "eu_eea": args.eu_eea,
        "period_start": start, "period_end": end,
    }
    db = duckdb.connect()
    kind = "csv" if args.events.endswith(".csv") else "jsonl"
    db.execute(sql(f"load_{kind}", values))
    db.execute(sql("context", values))
    found = set()
    for rule in RULES:
        for row in db.execute(sql(rule, values)).fetchall():
            found.add((row[0], row[1], int(row[2])))
    evaluated = db.execute("SELECT count(*) FROM ev").fetchone()[0]
    return found, evaluated


def run_pandas(args) -> tuple[set, int]:
    import pandas as pd

    sys.path.insert(0, str(HERE))
    import pandas_rules

    start, end = period_bounds(args.period)
    period = (pd.Timestamp(start, tz=pandas_rules.ZONE).tz_convert("UTC"),
              pd.Timestamp(end, tz=pandas_rules.ZONE).tz_convert("UTC"))
    context = pandas_rules.Context.load(args.context, args.countries, args.eu_eea, args.holidays)
    evaluation = pandas_rules.Evaluation(context=context, period=period)
    if args.events.endswith(".csv"):
        chunks = pd.read_csv(args.events, dtype=str, chunksize=CHUNK_ROWS)
    else:
        chunks = pd.read_json(args.events, lines=True, dtype=False, chunksize=CHUNK_ROWS)
    with chunks as reader:
        for chunk in reader:
            evaluation.add_chunk(chunk)
    return evaluation.keys(), evaluation.evaluated


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("engine", choices=["duckdb", "pandas"])
    for option in ["--events", "--context", "--countries", "--holidays", "--eu-eea",
                   "--period", "--out"]:
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    found, evaluated = (run_duckdb if args.engine == "duckdb" else run_pandas)(args)
    Path(args.out).write_text(json.dumps(sorted(found)), encoding="utf-8")
    print(json.dumps({"evaluated": evaluated}))


if __name__ == "__main__":
    main()
