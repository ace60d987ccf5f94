"""Every case under tests/conformance/, run through Python, gives the
report in its expected.json (the report without ``run``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import loggvakt
from conftest import CONFORMANCE

CASES = sorted(p.parent for p in CONFORMANCE.rglob("case.json"))


def run_case(folder: Path) -> Any:
    case = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    if case.get("kind") == "diagnostics":
        return diagnostics_case(folder, case)
    assert len(case["rules"]) == 1, "a case names one rule file or folder"
    rules = loggvakt.RuleSet.from_file(folder / case["rules"][0])
    csv = case.get("csv") or {}
    report = rules.evaluate(
        [folder / p for p in case["events"]],
        period=case.get("period"),
        tz=case.get("tz"),
        format=case.get("format"),
        csv_map=csv.get("map"),
        delimiter=csv.get("delimiter"),
        quote=csv.get("quote"),
        context=folder / case["context"] if "context" in case else None,
        seed=case.get("seed"),
    )
    result = json.loads(report.to_json())
    recorded = result.pop("run")["settings"]["csv"]
    if csv:
        assert recorded["map"] == csv.get("map", {})
        assert recorded["delimiter"] == csv.get("delimiter")
        assert recorded["quote"] == csv.get("quote", '"')
    else:
        assert recorded is None
    return result


def diagnostics_case(folder: Path, case: dict[str, Any]) -> dict[str, Any]:
    found = {}
    for name in case["rules"]:
        check = loggvakt.RuleSet.from_file(folder / name).check()
        found[name] = [
            {
                "code": d.code,
                "severity": d.severity,
                "line": d.line,
                "column": d.column,
                "message": d.message,
            }
            for d in check.diagnostics
        ]
    return found


def test_there_are_cases() -> None:
    assert len(CASES) >= 16


@pytest.mark.parametrize("folder", CASES, ids=lambda p: str(p.relative_to(CONFORMANCE)))
def test_case(folder: Path) -> None:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert run_case(folder) == expected
