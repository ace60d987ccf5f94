"""Error paths: broken rules, bad rows, wrong argument types, missing
files. None of them crashes the interpreter."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import loggvakt
from conftest import STANDARD

BROKEN = """rule x {
    title    "X"
    category relation
    severity low
    where    usr == "a"
}
"""

EVERY_READ = """
rule every_read {
    title    "Every read"
    category relation
    severity low
    where    action == "read"
    explain  "{user} read"
}
"""

GOOD_ROW = {"time": "2026-03-02T08:00:00Z", "user": "anna", "action": "read"}


@pytest.fixture
def rules() -> loggvakt.RuleSet:
    return loggvakt.RuleSet.from_string(EVERY_READ)


def test_a_bad_rule_file_has_located_diagnostics(tmp_path: Path) -> None:
    path = tmp_path / "broken.vakt"
    path.write_text(BROKEN, encoding="utf-8")
    rules = loggvakt.RuleSet.from_file(path)
    check = rules.check()
    assert not check.ok and not check
    first = check.errors[0]
    assert (first.code, first.line, first.column) == ("LV0201", 5, 14)
    assert first.message == "unknown field `usr`"
    assert first.help == "did you mean `user`?"
    assert first.file.endswith("broken.vakt")
    with pytest.raises(loggvakt.RuleError) as raised:
        rules.evaluate([GOOD_ROW])
    assert isinstance(raised.value, ValueError)
    assert isinstance(raised.value, loggvakt.LoggvaktError)
    assert raised.value.diagnostics == check.errors
    assert "broken.vakt:5:14: [LV0201] unknown field `usr`" in str(raised.value)


def test_warnings_do_not_stop_evaluation() -> None:
    rules = loggvakt.RuleSet.from_string("param unused = 3\n" + EVERY_READ)
    check = rules.check()
    assert check.ok and [w.severity for w in check.warnings] == ["warning"]
    assert len(rules.evaluate([GOOD_ROW]).findings) == 1


def test_rules_without_rules_cannot_be_evaluated() -> None:
    rules = loggvakt.RuleSet.from_string("")
    assert rules.check().ok
    with pytest.raises(loggvakt.RuleError, match="LV0219"):
        rules.evaluate([GOOD_ROW])


def test_a_bad_row_in_a_dataframe_is_rejected_with_its_place(rules) -> None:
    frame = pd.DataFrame([GOOD_ROW, {**GOOD_ROW, "ip": "10.0.0.256"}, GOOD_ROW])
    report = rules.evaluate(frame)
    assert (report.input.read, report.input.rejected) == (3, 1)
    [reason] = report.input.reasons
    assert (reason.reason, reason.code) == ("bad_ip", "LV0305")
    assert reason.locations == ["DataFrame#2"]
    assert reason.example == "`ip` is not an IP address: `10.0.0.256`"
    with pytest.raises(loggvakt.EventError) as raised:
        rules.evaluate(frame, on_error="fail")
    error = raised.value
    assert (error.code, error.reason, error.location) == ("LV0305", "bad_ip", "DataFrame#2")
    assert isinstance(error, ValueError)


def test_bad_dicts_are_rejected_like_bad_lines(rules) -> None:
    events = [GOOD_ROW, {"user": "x", "action": "read"}, "text", {1: "x"}, {**GOOD_ROW, "user": {1}}]
    report = rules.evaluate(events)
    reasons = {r.reason: r.locations for r in report.input.reasons}
    assert reasons == {
        "missing_field": ["list#2"],
        "not_an_object": ["list#3"],
        "wrong_type": ["list#4", "list#5"],
    }


def test_a_failing_iterator_raises_its_own_error(rules) -> None:
    def events():
        yield GOOD_ROW
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError, match="the source broke"):
        rules.evaluate(events())


@pytest.mark.parametrize(
    "events, message",
    [
        (42, "not int"),
        (GOOD_ROW, "not one dict"),
        (b"x", "not bytes"),
    ],
)
def test_wrong_kinds_of_events_are_type_errors(rules, events, message) -> None:
    with pytest.raises(TypeError, match=message):
        rules.evaluate(events)


def test_wrong_argument_types_are_type_errors(rules) -> None:
    with pytest.raises(TypeError):
        loggvakt.RuleSet.from_file(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        loggvakt.RuleSet.from_string(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        rules.evaluate([GOOD_ROW], period=202603)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        rules.evaluate([GOOD_ROW], now=12)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        rules.evaluate([GOOD_ROW], params=["a"])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        rules.evaluate([GOOD_ROW], "2026-03")  # type: ignore[misc]


def test_bad_option_values_are_value_errors(rules) -> None:
    with pytest.raises(ValueError, match="LV0401"):
        rules.evaluate([GOOD_ROW], period="March")
    with pytest.raises(ValueError, match="did you mean `Europe/Stockholm`"):
        rules.evaluate([GOOD_ROW], tz="europe/stockholm")
    with pytest.raises(ValueError, match="on_error"):
        rules.evaluate([GOOD_ROW], on_error="ignore")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="aware"):
        import datetime

        rules.evaluate([GOOD_ROW], now=datetime.datetime(2026, 4, 1))
    with pytest.raises(ValueError, match="apply to paths"):
        rules.evaluate([GOOD_ROW], format="jsonl")


def test_missing_files(tmp_path: Path, rules) -> None:
    with pytest.raises(FileNotFoundError):
        loggvakt.RuleSet.from_file(tmp_path / "nothing.vakt")
    with pytest.raises(FileNotFoundError):
        rules.evaluate(tmp_path / "nothing.jsonl")


def test_csv_options_for_other_files_are_refused(tmp_path: Path, rules) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="LV0405"):
        rules.evaluate(path, delimiter=";")


def test_params_and_overrides() -> None:
    rules = loggvakt.RuleSet.from_file(STANDARD)
    assert rules.params["max_failed_sign_ins"] == 5
    rules.set_param("max_failed_sign_ins", 9)
    assert rules.params["max_failed_sign_ins"] == 9
    with pytest.raises(loggvakt.RuleError, match="LV0218") as raised:
        rules.set_param("max_failed_sign_in", 3)
    assert raised.value.diagnostics[0].help == "did you mean `max_failed_sign_ins`?"
    with pytest.raises(loggvakt.RuleError):
        rules.set_param("max_failed_sign_ins", "many")
    with pytest.raises(TypeError):
        rules.set_param("max_failed_sign_ins", [3])  # type: ignore[arg-type]
    report = rules.evaluate([GOOD_ROW], params={"max_failed_sign_ins": 2})
    assert report.to_dict()["params"]["max_failed_sign_ins"] == 2
    assert rules.params["max_failed_sign_ins"] == 9


def test_missing_libraries_are_named(monkeypatch, rules) -> None:
    import sys

    report = rules.evaluate([GOOD_ROW])
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        report.to_pandas()
    with pytest.raises(ImportError, match="pip install pyarrow"):
        report.to_arrow()


def test_the_interpreter_runs_other_threads_meanwhile(rules) -> None:
    import threading

    events = [GOOD_ROW] * 50_000
    ticks = []
    done = threading.Event()

    def tick() -> None:
        while not done.is_set():
            ticks.append(1)
            done.wait(0.001)

    thread = threading.Thread(target=tick)
    thread.start()
    try:
        rules.evaluate(events)
    finally:
        done.set()
        thread.join()
    assert ticks


def test_deeply_nested_brackets_in_a_worker_thread_are_an_error() -> None:
    import threading

    condition = "(" * 10_000 + 'user == "a"' + ")" * 10_000
    text = EVERY_READ.replace('action == "read"', condition)
    found: dict[str, object] = {}

    def check() -> None:
        rules = loggvakt.RuleSet.from_string(text)
        found["check"] = rules.check()
        try:
            rules.evaluate([GOOD_ROW])
        except loggvakt.RuleError as error:
            found["error"] = error

    worker = threading.Thread(target=check)
    worker.start()
    worker.join()
    check_result = found["check"]
    assert isinstance(check_result, loggvakt.CheckResult) and not check_result.ok
    first = check_result.errors[0]
    assert (first.code, first.message) == ("LV0104", "expression is nested too deeply")
    assert first.line == 6
    assert isinstance(found["error"], loggvakt.RuleError)
