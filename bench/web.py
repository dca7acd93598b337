"""The verifier page in headless Chromium: 100 bundles dropped at once, and the page's size.

    .venv/bin/python bench/web.py [--bundles 100] [--runs 3]

Bundles: the five that ``siteledger demo`` writes (single-record bundles of a late gate punch, a
repair punch, a disputed wage line and payment, and a worker's month as a wage bundle), plus
single-record bundles of gate punches of a site built as ``bench/verify.py`` builds it (same
sample site, anchored on the embedded chain), up to ``--bundles`` files, each a distinct record.

The page is opened from ``file://`` with every other request aborted (offline), in Debian's
``chromium`` driven by Playwright; the files are given to its file input as a person would pick
them, and the page's own clock (``performance.now()``) gives, from the moment it receives the
files: the first verdict on screen, and every verdict on screen. Each run opens a fresh page
(cold caches). Also: ``siteledgerVerify`` over the same texts without rendering.

Targets (issue 13): 100 demo bundles <= 2 s; first verdict <= 1 s after the drop; page with its
libraries <= 500 KB.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from api.demo import run_demo  # noqa: E402
from ledger.bundle import build_bundle  # noqa: E402
from tests.verifier.browser import PAGE, OfflinePage, browser  # noqa: E402


def _build_site(home: Path, workers: int) -> tuple[Any, list[int]]:
    """``build_site`` of bench/verify.py (loaded by path: bench/api.py would shadow ``api``)."""
    spec = importlib.util.spec_from_file_location("bench_verify", REPO / "bench" / "verify.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.build_site(home, workers)  # type: ignore[no-any-return]


def page_bytes() -> int:
    """The verifier page and every script it loads (the worker page's files are not its own)."""
    web = PAGE.parent
    scripts = re.findall(r'<script src="([^"]+)"', PAGE.read_text())
    return PAGE.stat().st_size + sum((web / s).stat().st_size for s in scripts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bundles", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        files = home / "bundles"
        files.mkdir()
        demo = home / "demo"
        run_demo(demo, n_workers=12, quiet=True)
        paths = sorted(demo.glob("*.json"))
        store, seqs = _build_site(home, 4)
        step = max(1, len(seqs) // args.bundles)
        for s in seqs[::step][: args.bundles - len(paths)]:
            p = files / f"punch-{s}.json"
            p.write_text(json.dumps(build_bundle(store, s)))
            paths.append(p)
        assert len(paths) == args.bundles, len(paths)
        texts = [p.read_text() for p in paths]

        first, done, api = [], [], []
        load = os.getloadavg()[0]
        with browser() as b:
            for _ in range(args.runs):
                pg = OfflinePage(b)
                pg.page.set_input_files("#file", [str(p) for p in paths])
                pg.page.wait_for_selector("body[data-state=done]", timeout=120_000)
                t = pg.page.evaluate("siteledger.page.state.timings")
                verdicts = pg.page.eval_on_selector_all("section.bundle", "els => els.map(e => e.dataset.verdict)")
                assert verdicts == ["VALID"] * len(paths), verdicts
                assert pg.blocked == [], pg.blocked
                first.append(t["first"] - t["received"])
                done.append(t["done"] - t["received"])
                pg.close()
                pg = OfflinePage(b)
                ms = pg.page.evaluate("""async (texts) => {
                    const t0 = performance.now();
                    for (const t of texts) {
                        const r = await siteledgerVerify(t, {offline: true});
                        if (r.verdict !== 'VALID') throw new Error(r.checks.map(c => c.status).join());
                    }
                    return performance.now() - t0; }""", texts)
                api.append(ms)
                pg.close()
        out = {
            "bundles": len(paths), "runs": args.runs, "load_avg_1m": round(load, 2),
            "first_verdict_ms": round(statistics.median(first), 1),
            "all_verdicts_ms": round(statistics.median(done), 1),
            "all_verdicts_ms_max": round(max(done), 1),
            "verify_only_ms": round(statistics.median(api), 1),
            "page_kb": round(page_bytes() / 1024, 1),
            "measured": time.strftime("%Y-%m-%d"),
        }
        print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
