"""The stub matches the built module: stubtest compares every name,
signature and property of ``loggvakt._native`` with ``_native.pyi``; the
package exports what ``__all__`` says, each with a docstring in the stub."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import loggvakt
import loggvakt._native


def test_stubtest_finds_no_difference(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "loggvakt"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_all_names_exist() -> None:
    for name in loggvakt.__all__:
        assert hasattr(loggvakt, name), name


def stub() -> ast.Module:
    path = Path(loggvakt._native.__file__).with_name("_native.pyi")
    return ast.parse(path.read_text(encoding="utf-8"))


def test_every_public_stub_item_has_a_docstring() -> None:
    undocumented = []
    for node in ast.walk(stub()):
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            public = not node.name.startswith("_") or node.name == "_repr_html_"
            if public and ast.get_docstring(node) is None:
                undocumented.append(node.name)
    assert undocumented == []


def test_typed_use_checks(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import loggvakt\n"
        "rules = loggvakt.RuleSet.from_string('', name='x.vakt')\n"
        "check: loggvakt.CheckResult = rules.check()\n"
        "lines: list[int | None] = [d.line for d in check.diagnostics]\n"
        "report = rules.evaluate([{'time': 'x'}], period='2026-03', on_error='fail')\n"
        "ids: list[str] = report.findings[0].evidence_ids\n"
        "n: int = report.input.rejected\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(sample)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
