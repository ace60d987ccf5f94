"""The examples of docs/python.md run, in order, as one notebook would run
them: in a folder holding the repository's rules and a generated month,
made by the command the page shows."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

PAGE = ROOT / "docs" / "python.md"


def blocks(language: str) -> list[str]:
    text = PAGE.read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def test_the_page_has_examples() -> None:
    assert len(blocks("python")) >= 8


def test_the_examples_run(cli: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rules").symlink_to(ROOT / "rules")
    [generate] = [b for b in blocks("sh") if b.startswith("loggvakt generate")]
    arguments = generate.split()[1:]
    subprocess.run([str(cli), "-q", *arguments], cwd=tmp_path, check=True)
    monkeypatch.chdir(tmp_path)

    namespace: dict[str, object] = {"__name__": "__docs__"}
    for number, block in enumerate(blocks("python"), start=1):
        code = compile(block, f"{PAGE.name} example {number}", "exec")
        exec(code, namespace)  # noqa: S102 - the page's own examples
    assert os.path.exists("month/events.jsonl")
