"""Shared paths and fixtures: the repository, the conformance cases and the
built ``loggvakt`` command the Python results are compared with."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = ROOT / "tests" / "conformance"
STANDARD = ROOT / "rules" / "standard.vakt"

#: The "now" every comparison with the command line uses.
NOW = "2026-04-01T08:00:00+00:00"


def find_cli() -> Path | None:
    """The built command: ``LOGGVAKT_CLI``, else the workspace's target
    directory (debug first, as ``make test`` builds it)."""
    given = os.environ.get("LOGGVAKT_CLI")
    if given:
        return Path(given)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for profile in ("debug", "release"):
        path = target / profile / "loggvakt"
        if path.is_file():
            return path
    found = shutil.which("loggvakt")
    return Path(found) if found else None


@pytest.fixture(scope="session")
def cli() -> Path:
    path = find_cli()
    if path is None:
        pytest.fail("no built loggvakt command; run `cargo build -p loggvakt-cli`")
    return path


@pytest.fixture(scope="session")
def month(cli: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated month of about 5,000 events: ``events.jsonl``."""
    out = tmp_path_factory.mktemp("month")
    subprocess.run(
        [str(cli), "-q", "generate", "--seed", "7", "--period", "2026-03",
         "--users", "40", "--events", "5000", "--out", str(out)],
        check=True,
    )
    return out / "events.jsonl"


@pytest.fixture(scope="session")
def cli_report(cli: Path, month: Path) -> dict:
    """The command line's report on the generated month."""
    import json

    result = subprocess.run(
        [str(cli), "-q", "run", "--rules", str(STANDARD), "--events", str(month),
         "--period", "2026-03", "--now", NOW],
        check=True,
        capture_output=True,
        text=True,
    )
    return {"text": result.stdout, "json": json.loads(result.stdout)}


#: Directives that make a rule set sample: added to the standard pack for
#: the tests of seeds and samples.
SAMPLING = (
    "sample 3 findings per category\n"
    'spot check 5 users, 3 events each where action == "read" and patient != null\n'
)


@pytest.fixture(scope="session")
def sampled_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A rule folder: the standard pack and a file of sampling directives."""
    folder = tmp_path_factory.mktemp("rules")
    shutil.copy(STANDARD, folder / "standard.vakt")
    (folder / "sampling.vakt").write_text(SAMPLING, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def cli_full_report(cli: Path, month: Path, sampled_rules: Path) -> dict:
    """The command line's report on the generated month with its context
    folder and a seed, by the standard pack with sampling."""
    import json

    result = subprocess.run(
        [str(cli), "-q", "run", "--rules", str(sampled_rules), "--events", str(month),
         "--context", str(month.parent / "context"), "--seed", "2026",
         "--period", "2026-03", "--now", NOW],
        check=True,
        capture_output=True,
        text=True,
    )
    return {"text": result.stdout, "json": json.loads(result.stdout)}
