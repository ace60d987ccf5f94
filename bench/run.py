"""Loggvakt against DuckDB and pandas on the same generated months.

    python bench/run.py                 # 1M and 10M events, release builds
    python bench/run.py --smoke         # 20k events, every engine, keys must agree

Generates each month (events as JSON Lines and CSV, with its context) once
into the cargo target directory, runs every engine on the same files as a
child process, and checks that all engines give the same finding keys per
rule (rule, group key, window start); a difference fails the run and is
shown. Then prints wall time, events per second, peak memory (the child's
maximum resident set) and each ratio against `loggvakt run`. See
bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = 2026
PERIOD = "2026-04"
NOW = "2026-05-01T00:00:00Z"
SIZES = {"20k": 20_000, "1M": 1_000_000, "10M": 10_000_000}


@dataclass
class Result:
    engine: str
    input: str
    seconds: float
    cpu: float
    peak_kib: int
    evaluated: int
    keys: set


def target_dir() -> Path:
    return Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")).resolve()


def build(profile: str) -> Path:
    command = ["cargo", "build", "--locked", "-p", "loggvakt-cli", "-p", "loggvakt-bench"]
    if profile == "release":
        command.append("--release")
    subprocess.run(command, cwd=ROOT, check=True)
    return target_dir() / profile


def timed(command: list[str], stdout=subprocess.PIPE) -> tuple[float, float, int, str]:
    """Runs `command`; its wall time, CPU time (user and system), peak RSS
    in KiB and standard output."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=stdout, cwd=ROOT)
    output = child.stdout.read().decode() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed ({os.waitstatus_to_exitcode(status)}): {' '.join(command)}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, output


# --- Data -----------------------------------------------------------------


def easter(year: int) -> dt.date:
    """Easter Sunday of the Gregorian calendar (the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 19 * l) // 433
    month = (h + l - 7 * m + 90) // 25
    return dt.date(year, month, (h + l - 7 * m + 33 * month + 19) % 32)


def swedish_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The public holidays of Lag (1989:253), Sundays aside."""
    e = easter(year)
    saturday = lambda first: first + dt.timedelta((5 - first.weekday()) % 7)  # noqa: E731
    return [
        (dt.date(year, 1, 1), "nyårsdagen"), (dt.date(year, 1, 6), "trettondedag jul"),
        (e - dt.timedelta(2), "långfredagen"), (e, "påskdagen"),
        (e + dt.timedelta(1), "annandag påsk"), (dt.date(year, 5, 1), "första maj"),
        (e + dt.timedelta(39), "Kristi himmelsfärdsdag"), (dt.date(year, 6, 6), "nationaldagen"),
        (e + dt.timedelta(49), "pingstdagen"),
        (saturday(dt.date(year, 6, 20)), "midsommardagen"),
        (saturday(dt.date(year, 10, 31)), "alla helgons dag"),
        (dt.date(year, 12, 25), "juldagen"), (dt.date(year, 12, 26), "annandag jul"),
    ]


def reference(data: Path, binaries: Path) -> dict:
    """Country ranges, holidays and the EU/EEA list, shared by all months."""
    countries = data / "countries.csv"
    if not countries.exists():
        with open(countries.with_suffix(".tmp"), "wb") as out:
            subprocess.run([binaries / "loggvakt-bench", "countries"], stdout=out, check=True)
        countries.with_suffix(".tmp").rename(countries)
    holidays = data / "holidays.csv"
    year = int(PERIOD[:4])
    rows = [h for y in (year - 1, year, year + 1) for h in swedish_holidays(y)]
    holidays.write_text("day,name\n" + "".join(f"{d},{n}\n" for d, n in sorted(rows)))
    return {"countries": countries, "holidays": holidays,
            "eu_eea": ROOT / "reference" / "eu_eea_countries.csv"}


def month(data: Path, binaries: Path, size: str) -> Path:
    """The month of `size` events: generated once, then reused."""
    folder = data / f"{size}-seed{SEED}-{PERIOD}"
    if (folder / "done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    events = SIZES[size]
    users = max(40, events // 500)
    for form in ["jsonl", "csv"]:
        print(f"generating {size} events as {form} into {folder}", file=sys.stderr)
        subprocess.run([binaries / "loggvakt", "-q", "generate", "--seed", str(SEED),
                        "--period", PERIOD, "--users", str(users), "--events", str(events),
                        "--format", form, "--out", folder], check=True)
    (folder / "done").write_text("")
    return folder


# --- Engines ----------------------------------------------------------------


def epoch(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).timestamp())


def run_loggvakt(binaries: Path, folder: Path, events: Path, keep: bool) -> Result:
    report = folder / f"report-{events.suffix[1:]}.json"
    command = [binaries / "loggvakt", "-q", "run", "--rules", ROOT / "rules" / "standard.vakt",
               "--events", events, "--context", folder / "context", "--period", PERIOD,
               "--seed", "1", "--now", NOW, "--out", report]
    if keep:
        command += ["--duplicates", "keep"]
    seconds, cpu, peak, _ = timed([str(part) for part in command], stdout=subprocess.DEVNULL)
    document = json.loads(report.read_text(encoding="utf-8"))
    keys = set()
    for finding in document["findings"]:
        key = "|".join(f"{k}={v}" for k, v in sorted(finding["key"].items()))
        keys.add((finding["rule"], key, epoch(finding["window"]["start"])))
    name = "loggvakt (--duplicates keep)" if keep else "loggvakt"
    evaluated = document["input"]["evaluated"]
    return Result(name, events.suffix[1:], seconds, cpu, peak, evaluated, keys)


def run_floor(binaries: Path, events: Path) -> Result:
    seconds, cpu, peak, output = timed([str(binaries / "loggvakt-bench"), "parse", str(events)])
    read = json.loads(output)["events"]
    return Result("floor: parse only", events.suffix[1:], seconds, cpu, peak, read, set())


def run_python(engine: str, folder: Path, events: Path, shared: dict) -> Result:
    out = folder / f"keys-{engine}-{events.suffix[1:]}.json"
    command = [sys.executable, str(HERE / "engines.py"), engine, "--events", str(events),
               "--context", str(folder / "context"), "--countries", str(shared["countries"]),
               "--holidays", str(shared["holidays"]), "--eu-eea", str(shared["eu_eea"]),
               "--period", PERIOD, "--out", str(out)]
    seconds, cpu, peak, output = timed(command)
    keys = {tuple(k) for k in json.loads(out.read_text(encoding="utf-8"))}
    evaluated = json.loads(output)["evaluated"]
    return Result(engine, events.suffix[1:], seconds, cpu, peak, evaluated, keys)


# --- Checks and table -----------------------------------------------------


def differences(reference: Result, other: Result) -> list[str]:
    lines = []
    rules = sorted({k[0] for k in reference.keys | other.keys})
    for rule in rules:
        mine = {k for k in reference.keys if k[0] == rule}
        theirs = {k for k in other.keys if k[0] == rule}
        for label, keys in [("only in loggvakt", mine - theirs),
                            (f"only in {other.engine}", theirs - mine)]:
            for key in sorted(keys)[:10]:
                lines.append(f"  {other.engine} {other.input}: {label}: {key}")
            if len(keys) > 10:
                lines.append(f"  … and {len(keys) - 10} more {label} for {rule}")
    if reference.evaluated != other.evaluated:
        lines.append(f"  {other.engine} {other.input}: evaluated {other.evaluated} events, "
                     f"loggvakt {reference.evaluated}")
    return lines


def table(size: str, results: list[Result]) -> str:
    base = {r.input: r for r in results if r.engine == "loggvakt"}
    head = (f"{'engine':<30} {'input':<6} {'events':>10} {'wall s':>8} {'cpu s':>7} "
            f"{'events/s':>11} {'peak MiB':>9} {'time ×':>7} {'cpu ×':>6} {'memory ×':>9}")
    lines = [f"\n{size} events", head, "-" * len(head)]
    for r in results:
        ours = base.get(r.input) or base["jsonl"]
        rate = r.evaluated / r.seconds if r.seconds else 0.0
        lines.append(f"{r.engine:<30} {r.input:<6} {r.evaluated:>10} {r.seconds:>8.2f} "
                     f"{r.cpu:>7.2f} {rate:>11,.0f} {r.peak_kib / 1024:>9.1f} "
                     f"{r.seconds / ours.seconds:>7.2f} {r.cpu / ours.cpu:>6.2f} "
                     f"{r.peak_kib / ours.peak_kib:>9.2f}")
    return "\n".join(lines)


def bench_size(size: str, binaries: Path, data: Path, shared: dict, engines: list[str],
               pandas_inputs: list[str]) -> list[Result]:
    folder = month(data, binaries, size)
    results = []
    for form in ["jsonl", "csv"]:
        events = folder / f"events.{form}"
        results.append(run_loggvakt(binaries, folder, events, keep=False))
        if "keep" in engines:
            results.append(run_loggvakt(binaries, folder, events, keep=True))
        if "floor" in engines:
            results.append(run_floor(binaries, events))
        if "duckdb" in engines:
            results.append(run_python("duckdb", folder, events, shared))
        if "pandas" in engines and form in pandas_inputs:
            results.append(run_python("pandas", folder, events, shared))
        print(f"  {size} {form}: done", file=sys.stderr)
    return results


def check(size: str, results: list[Result]) -> list[str]:
    reference = next(r for r in results if r.engine == "loggvakt" and r.input == "jsonl")
    problems = []
    for r in results:
        if r.engine.startswith("floor"):
            continue
        problems += differences(reference, r)
    if not reference.keys:
        problems.append(f"  {size}: loggvakt found nothing")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true",
                        help="20k events with debug builds: check that keys agree")
    parser.add_argument("--sizes", default="1M,10M", help="comma-separated: 20k, 1M, 10M")
    parser.add_argument("--engines", default="keep,floor,duckdb,pandas",
                        help="besides loggvakt: keep, floor, duckdb, pandas")
    parser.add_argument("--pandas-inputs", default="jsonl,csv",
                        help="the inputs pandas reads (jsonl, csv)")
    parser.add_argument("--no-build", action="store_true", help="use the binaries as built")
    args = parser.parse_args()

    sizes = ["20k"] if args.smoke else args.sizes.split(",")
    profile = "debug" if args.smoke else "release"
    binaries = target_dir() / profile if args.no_build else build(profile)
    data = target_dir() / "bench-data"
    data.mkdir(parents=True, exist_ok=True)
    shared = reference(data, binaries)
    engines = args.engines.split(",")

    problems, tables = [], []
    for size in sizes:
        results = bench_size(size, binaries, data, shared, engines, args.pandas_inputs.split(","))
        problems += check(size, results)
        tables.append(table(size, results))
        print(tables[-1], flush=True)
    (data / "last-run.txt").write_text("\n".join(tables) + "\n")

    if problems:
        print("\nThe engines disagree:", *problems, sep="\n", file=sys.stderr)
        sys.exit(1)
    rules = len({k[0] for k in results[0].keys})
    print(f"\nAll engines gave the same finding keys ({rules} rules with findings).")


if __name__ == "__main__":
    main()
