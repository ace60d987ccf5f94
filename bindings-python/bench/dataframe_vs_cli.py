"""Evaluating a pandas DataFrame from Python against the command line on
the same events as JSON Lines.

Generates a month (``loggvakt generate``, with its context), reads its
events into a pandas DataFrame, then times:

* ``cli``: ``loggvakt run --rules rules/standard.vakt --events
  events.jsonl --context context/`` as a subprocess (reading and parsing
  the file is part of its work);
* ``python``: ``RuleSet.evaluate(frame, context=...)`` on the DataFrame
  already in memory (the DataFrame is built before the clock starts, as a
  notebook has it; the rules and context are loaded inside the clock, as
  the command line loads them).

Each is run ``--repeat`` times and the fastest is kept. Both must be
release builds: ``cargo build --release -p loggvakt-cli`` and a wheel from
``maturin build --release``. Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import pandas as pd

import loggvakt

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cli", type=Path, default=default_cli())
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        month = Path(scratch) / "month"
        generate(args.cli, month, args.events, args.users)
        frame = load(month / "events.jsonl")
        cli = best(args.repeat, lambda: run_cli(args.cli, month))
        python = best(args.repeat, lambda: run_python(frame, month))
        same = check_same(args.cli, month, frame)

    print(f"events           {args.events:>12,}")
    print(f"cli (jsonl)      {cli:>12.2f} s")
    print(f"python (pandas)  {python:>12.2f} s")
    print(f"ratio            {python / cli:>12.2f} x")
    print(f"same findings    {same!s:>12}")


def default_cli() -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "release" / "loggvakt"


def generate(cli: Path, out: Path, events: int, users: int) -> None:
    subprocess.run(
        [str(cli), "-q", "generate", "--seed", "7", "--period", "2026-03",
         "--users", str(users), "--events", str(events), "--out", str(out)],
        check=True,
    )


def load(path: Path) -> pd.DataFrame:
    with path.open(encoding="utf-8") as lines:
        return pd.DataFrame([json.loads(line) for line in lines])


def best(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def run_cli(cli: Path, month: Path) -> str:
    result = subprocess.run(
        [str(cli), "-q", "run", "--rules", str(ROOT / "rules" / "standard.vakt"),
         "--events", str(month / "events.jsonl"), "--context", str(month / "context"),
         "--period", "2026-03", "--now", "2026-04-01T08:00:00Z"],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def run_python(frame: pd.DataFrame, month: Path) -> loggvakt.Report:
    rules = loggvakt.RuleSet.from_file(ROOT / "rules" / "standard.vakt")
    context = loggvakt.Context.from_dir(month / "context")
    return rules.evaluate(frame, context=context, period="2026-03",
                          now="2026-04-01T08:00:00Z")


def check_same(cli: Path, month: Path, frame: pd.DataFrame) -> bool:
    ours = run_python(frame, month).to_dict()
    theirs = json.loads(run_cli(cli, month))
    return ours["findings"] == theirs["findings"] and ours["input"] == theirs["input"]


if __name__ == "__main__":
    main()
