"""Streaming: a lazy generator of events is evaluated in one pass with
memory that does not grow with the number of events.

The process's peak resident memory (``ru_maxrss``) is read after a warm-up
run and again after a run over 5,000,000 events; the growth must be a
small part of what the same events would take as a list of dicts (about
2 GiB). ``make python`` builds the wheel in the debug profile, where an
event costs some 10 µs, so the run takes about a minute;
``LOGGVAKT_STREAM_EVENTS`` sets another number of events."""

from __future__ import annotations

import os
import resource
import sys
import tracemalloc
from typing import Any, Iterator

import pytest

import loggvakt

RULE = """
rule many_reads {
    title    "Many reads"
    category pattern
    severity low
    where    action == "read"
    group by user per month
    alert    when count() > 1000000000
}
"""

#: The events of the measured run.
EVENTS = int(os.environ.get("LOGGVAKT_STREAM_EVENTS", "5000000"))

#: The events of the warm-up run.
WARM_UP = 50_000


def events(count: int) -> Iterator[dict[str, Any]]:
    """A month of reads by 50 users of 1,000 patients, made one at a time."""
    for i in range(count):
        yield {
            "time": f"2026-03-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z",
            "user": f"u{i % 50}",
            "action": "read",
            "patient": f"p{i % 1000}",
            "unit": f"ward-{i % 7}",
        }


def list_size(count: int) -> int:
    """What `count` of these events take as a list, in bytes, from the
    size of a list of 10,000 of them."""
    tracemalloc.start()
    sample = list(events(10_000))
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del sample
    return size * count // 10_000


def peak_rss() -> int:
    """The process's peak resident memory so far, in bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


@pytest.mark.skipif(sys.platform == "win32", reason="resource is Unix only")
def test_a_generator_is_evaluated_in_memory_independent_of_its_length() -> None:
    rules = loggvakt.RuleSet.from_string(RULE)
    estimate = list_size(EVENTS)
    rules.evaluate(events(WARM_UP), duplicates="keep")
    before = peak_rss()

    report = rules.evaluate(events(EVENTS), duplicates="keep")
    growth = peak_rss() - before

    assert report.input.evaluated == EVENTS
    assert report.to_dict()["rule_stats"][0]["groups"] == 50
    assert estimate > 100 * 2**20, estimate
    assert growth < estimate / 20, (growth, estimate)
