"""The printable HTML report in a real headless Chromium.

A generated month is evaluated by the `loggvakt` command with a review
sample, and the page is loaded from a file: it must load nothing but
itself, log no console error, and print to A4 in a page count that fits
its content. The screenshots and PDFs are kept in the cargo target folder
for a person to look at.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
CHROMIUM = os.environ.get("LOGGVAKT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SAMPLING = """\
sample 5 findings per category
spot check 3 users, 2 events each where action == "read" and patient != null
"""
# A4 at 96 CSS pixels per inch is 793.7 x 1122.5; pypdf gives points.
A4_POINTS = (595.0, 842.0)


def loggvakt() -> Path:
    """The command `cargo build` made, in the shared target folder."""
    path = TARGET / "debug" / "loggvakt"
    if not path.is_file():
        pytest.fail(f"build the command first (cargo build): {path} is missing")
    return path


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated month with its context and a sampling rule file."""
    folder = tmp_path_factory.mktemp("month")
    subprocess.run(
        [loggvakt(), "generate", "--seed", "11", "--period", "2026-03",
         "--users", "80", "--events", "20000", "--out", folder, "-q"],
        check=True,
    )
    (folder / "sampling.vakt").write_text(SAMPLING, encoding="utf-8")
    return folder


def report(month: Path, lang: str) -> Path:
    """The month's HTML report in `lang`."""
    out = month / f"report-{lang}.html"
    subprocess.run(
        [loggvakt(), "run", "--rules", ROOT / "rules" / "standard.vakt",
         month / "sampling.vakt", "--events", month / "events.jsonl",
         "--context", month / "context", "--period", "2026-03", "--seed", "11",
         "--now", "2026-04-01T08:00:00+02:00", "--organisation", "Region Exempel",
         "--lang", lang, "--out", out, "--out", month / f"report-{lang}.json", "-q"],
        check=True,
    )
    return out


def counts(json_file: Path) -> tuple[int, int]:
    """The report's findings, and its sampled cases (findings and events)."""
    data = json.loads(json_file.read_text(encoding="utf-8"))
    sampled = sum(f["sampled"] for f in data["findings"])
    spot = data["samples"]["spot_check"] or {"users": []}
    events = sum(len(user["sampled"]) for user in spot["users"])
    return len(data["findings"]), sampled + events


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("en", "Cases for review"), ("sv", "Fall att granska")],
)
def test_page_loads_nothing_and_prints_on_a4(month: Path, lang: str, heading: str) -> None:
    page_file = report(month, lang)
    html = page_file.read_text(encoding="utf-8")
    url = page_file.as_uri()
    shots = TARGET / "html-report"
    shots.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 900, "height": 1200})
            requests: list[str] = []
            errors: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(url, wait_until="load")

            assert requests == [url]
            assert errors == []
            assert page.locator("h2", has_text=heading).count() == 1
            assert page.locator("svg.chart").count() == 4
            assert page.locator("section.findings h3").count() == 4
            page.screenshot(path=str(shots / f"report-{lang}.png"), full_page=True)

            pdf_path = shots / f"report-{lang}.pdf"
            page.pdf(path=str(pdf_path), prefer_css_page_size=True, print_background=True)
        finally:
            browser.close()

    pdf = PdfReader(pdf_path)
    width, height = (float(v) for v in pdf.pages[0].mediabox.upper_right)
    assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2
    # Each page holds the header and selection (1 page), the charts (about
    # one), the findings tables (about 8 rows a page) and the cases for
    # review (about 6 rows a page, for the room left to write in), then the
    # sign-off. A page count outside this range means rows or charts no
    # longer fit as designed, or the print rules broke.
    findings, cases = counts(month / f"report-{lang}.json")
    assert html.count('<td class="blank"></td>') == 2 * cases
    low = 2 + findings // 10 + cases // 8
    high = 4 + findings // 5 + cases // 4
    assert low <= len(pdf.pages) <= high, (len(pdf.pages), findings, cases)
    text = "".join(page.extract_text() for page in pdf.pages)
    assert re.search(r"Region\s+Exempel", text)
