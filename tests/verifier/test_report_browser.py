"""The evidence report in headless Chromium (Debian's chromium driven by Playwright, no browser
download): the demo's report renders with its timelines and no script error, the summary fits in
the first 1,000 pixels, nothing on the rendered Chinese page (the timeline drawing included) is
left in English, the print stylesheet gives A4 pages; a screenshot and a PDF are kept as test
artefacts (``$SITELEDGER_ARTEFACTS``, else ``artefacts/`` in pytest's base temporary folder)."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.verifier.reportdata import english_words
from verifier import Verifier
from verifier.report import TIMELINE_JS, cases, render_html
from verifier.result import Report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = os.environ.get("SITELEDGER_ARTEFACTS")
    out = Path(where) if where else tmp_path_factory.getbasetemp() / "artefacts"
    out.mkdir(parents=True, exist_ok=True)
    return out


def _open(browser: Any, path: Path, width: int = 1280, height: int = 1000) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
               else route.abort())  # fmt: skip
    page.goto(path.as_uri())
    return page, errors


def test_demo_report_renders_with_timelines(browser: Any, demo_out: Path, artefacts: Path) -> None:
    for name in ("report.zh.html", "report.html"):
        page, errors = _open(browser, demo_out / name)
        n_cases = page.locator("section.case").count()
        assert n_cases >= 2
        assert page.locator("svg.siteledger-timeline").count() == n_cases
        # the disputer's two days the payroll left out, the repair punch; late: only the punch
        # of the gate that was offline a day (the demo's receipts follow its story)
        assert page.locator("svg [data-day=disputed]").count() == 2
        assert page.locator("svg [data-late]").count() == 1
        assert page.locator("svg [data-repair]").count() == 1
        assert page.locator("svg [data-highlight]").count() >= 2
        assert errors == []
        page.screenshot(path=str(artefacts / name.replace(".html", ".png")), full_page=True)
        page.close()
    assert (artefacts / "report.zh.png").stat().st_size > 10_000


@pytest.mark.parametrize("width", [1280, 1024])
def test_summary_fits_in_the_first_1000_pixels(browser: Any, demo_out: Path, width: int) -> None:
    for name in ("report.zh.html", "report.html"):
        page, _ = _open(browser, demo_out / name, width=width)
        box = page.locator("#summary").bounding_box()
        assert box is not None and box["y"] + box["height"] <= 1000, (name, width, box)
        page.close()


def test_rendered_chinese_page_has_no_english(browser: Any, demo_out: Path) -> None:
    page, _ = _open(browser, demo_out / "report.zh.html")
    texts: list[str] = page.evaluate("""() => {
        const out = [];
        const walk = (n) => {
            if (n.nodeType === 3) { out.push(n.textContent); return; }
            if (n.nodeType !== 1) return;
            const tag = n.tagName.toLowerCase();
            if (["code", "pre", "script", "style", "q", "title"].includes(tag)) return;
            if (n.classList && n.classList.contains("said")) return;
            for (const c of n.childNodes) walk(c);
        };
        walk(document.body);
        return out;
    }""")
    svg = page.evaluate("() => [...document.querySelectorAll('svg text')].map(t => t.textContent)")
    assert any("周一" in s for s in svg) and any("工资表未计" in s for s in svg)
    bad = [(w, s) for s in texts if (w := english_words(s))]
    assert not bad, bad[:20]
    page.close()


def test_print_gives_a4_pages(browser: Any, demo_out: Path, artefacts: Path) -> None:
    page, _ = _open(browser, demo_out / "report.zh.html")
    pdf = page.pdf(format="A4", print_background=True)
    (artefacts / "report.zh.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - 595) < 1 and abs(float(h) - 842) < 1 for w, h in boxes)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 3 <= pages <= 40, pages  # summary, a page per case, the details
    page.close()


def test_timeline_escapes_record_text(browser: Any, tmp_path: Path) -> None:
    """A reason typed by a party is text in the drawing, never markup."""
    html = ("<!DOCTYPE html><html><body><div id=t></div><script>"
            + TIMELINE_JS.read_text() + "</script></body></html>")  # fmt: skip
    (tmp_path / "t.html").write_text(html)
    page, errors = _open(browser, tmp_path / "t.html")
    facts = {"format": "siteledger-timeline", "version": 1, "kind": "wage", "subject": "w-1",
             "project": "P-1", "month": "2026-02", "tz": "+08:00", "punches": [], "shifts": [],
             "open_ins": [], "stray_outs": [], "wage": None, "payroll_gap": None, "payments": [],
             "acks": [{"seq": 9, "at": "2026-02-03T10:00:00+08:00", "decision": "dispute",
                       "reason": "<img src=x onerror=window.pwned=1>", "target_seq": 1,
                       "target_type": "wage"}],
             "publications": [{"seq": 8, "at": "2026-02-02T10:00:00+08:00", "days": 20,
                               "minutes": 9600, "closes": "2026-02-09T10:00:00+08:00",
                               "state": "objected", "ack_seq": 9, "reason": "x"}],
             "disputed_days": [], "highlight": []}  # fmt: skip
    page.evaluate("f => { document.getElementById('t').innerHTML = siteledgerTimeline(f, 'en'); }",
                  facts)  # fmt: skip
    assert page.locator("img").count() == 0
    assert page.evaluate("() => window.pwned") is None
    assert "<img src=x" in page.locator("svg").text_content()
    rows = page.evaluate("() => document.querySelectorAll('svg text').length")
    assert rows > 28  # February 2026 has 28 days, each labelled
    assert "2026-02: attendance and pay" in page.locator("svg").text_content()
    assert "objections until 02-09 10:00 · objected to" in page.locator("svg").text_content()
    assert errors == []


def test_report_of_verified_bundles_renders(browser: Any, demo_out: Path, tmp_path: Path) -> None:
    """A report written by the library from the demo's bundles (both languages) renders."""
    reports = [Verifier(None, offline=True).verify(json.loads(p.read_text()), p.name)
               for p in sorted(demo_out.glob("*.json"))]  # fmt: skip
    for lang in ("zh", "en"):
        path = tmp_path / f"r.{lang}.html"
        path.write_text(render_html(reports, lang))
        page, errors = _open(browser, path)
        assert page.locator("svg.siteledger-timeline").count() >= 2
        assert errors == []
        page.close()


def test_summary_of_many_cases_fits(browser: Any, demo_out: Path, tmp_path: Path) -> None:
    """Twelve cases: the summary still fits the first screen."""
    base = [Verifier(None, offline=True).verify(json.loads(p.read_text()), p.name)
            for p in sorted(demo_out.glob("*.json"))]  # fmt: skip
    many = []
    for k in range(12):
        for r in base:
            facts = copy.deepcopy(r.facts)
            facts["timeline"]["subject"] = f"w-{k:04d}"
            many.append(Report(f"{k}-{r.source}", r.kind, r.checks, r.findings, False, False,
                               facts))  # fmt: skip
    path = tmp_path / "many.html"
    path.write_text(render_html(many, "zh"))
    page, errors = _open(browser, path)
    box = page.locator("#summary").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 1000, box
    assert page.locator("svg.siteledger-timeline").count() == len(cases(many)) == 12
    assert errors == []
    page.close()
