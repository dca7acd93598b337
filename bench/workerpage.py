"""The worker page in headless Chromium against a running `siteledger serve`: how long a worker
waits, and how much his phone downloads.

    .venv/bin/python bench/workerpage.py [--days 22] [--runs 5]

A site as the worker page's tests build it (``tests/verifier/workersite.py``) with a month of
``--days`` working days for the worker (two punches a day, a wage line, a payment, a publication),
served by `siteledger serve` on 127.0.0.1 (embedded chain, SQLite). One phone (390×844) links
itself through the whole flow (code → key → approval). Then, ``--runs`` times each:

- **open**: a fresh page load with the key already in IndexedDB, to the month on screen — loading
  the scripts, a challenge, the key's signature, a session token, every entry of the worker, the
  timeline facts and the drawing (the page's ``performance.now()`` from navigation start);
- **ack**: a tap on *confirm* under the payment to the confirmation on screen — the record built,
  canonicalised and signed in the browser, logged by the server (group commit, durable), and the
  month reloaded.

Also the bytes of the page's files (what a phone downloads on the first visit, uncompressed).
No target is set for the worker page; the figures are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from api.verify_page import WEB  # noqa: E402
from api.worker_page import _FILES  # noqa: E402
from tests.api.live import serve  # noqa: E402
from tests.verifier.browser import browser  # noqa: E402
from tests.verifier.workersite import Site, build  # noqa: E402


def _ms(xs: list[float]) -> str:
    return f"median {statistics.median(xs):.0f} ms (min {min(xs):.0f}, max {max(xs):.0f})"


def run(days: int, runs: int) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-workerpage-"))
    try:
        made = build(tmp / "home", days=days)
        with serve(tmp / "home", log=tmp / "serve.log") as server, browser() as b:
            site = Site(server.base, tmp / "home", **made)
            ctx = b.new_context(viewport={"width": 390, "height": 844})
            page = ctx.new_page()
            page.goto(site.code()["link"])
            page.wait_for_selector("body[data-state=enroll]")
            page.click("#enroll")
            page.wait_for_selector("body[data-state=pending]")
            pending = site.call("GET", f"/v1/link-requests?project={site.project}&state=pending")
            for r in pending["requests"]:
                site.call("POST", f"/v1/link-requests/{r['link_id']}/approve")
            page.wait_for_selector("body[data-state=month]", timeout=30_000)
            entries = len(site.call("GET", f"/v1/workers/{site.worker}/records?limit=1000")
                          ["entries"])  # fmt: skip
            opens, acks = [], []
            for _ in range(runs):
                page.goto(server.base + "/w/")
                page.wait_for_selector("body[data-state=month]", timeout=30_000)
                opens.append(page.evaluate("performance.now()"))
            for _ in range(runs):
                page.evaluate("document.querySelectorAll('main .msg').forEach((e) => e.remove())")
                t0 = page.evaluate("performance.now()")
                page.click("#payments button[data-ack=confirm]")
                page.wait_for_selector("main .msg.ok", timeout=30_000)
                acks.append(page.evaluate("performance.now()") - t0)
            ctx.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sizes = {name: (WEB / name).stat().st_size for name in _FILES}
    return {"days": days, "entries": entries, "runs": runs, "open_ms": opens, "ack_ms": acks,
            "bytes": sum(sizes.values()), "files": sizes, "load": os.getloadavg()[0],
            "cpus": os.cpu_count()}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--days", type=int, default=22)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    res = run(args.days, args.runs)
    if args.json:
        print(json.dumps(res, indent=1))
        return
    print(f"worker page, {res['entries']} entries of the worker ({res['days']} working days), "
          f"{res['runs']} runs; load average {res['load']:.1f} on {res['cpus']} CPUs")  # fmt: skip
    print("| measure | result |")
    print("|---|---:|")
    print(f"| open with the key in IndexedDB → month on screen | {_ms(res['open_ms'])} |")
    print(f"| confirm tapped → signed ack logged, month reloaded | {_ms(res['ack_ms'])} |")
    print(f"| the page's files (first visit, uncompressed) | {res['bytes'] / 1024:.0f} KB |")


if __name__ == "__main__":
    main()
