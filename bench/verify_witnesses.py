"""What witness quorums cost the verifier (check ``anchor.witnesses``, py-ecc).

    .venv/bin/python bench/verify_witnesses.py [--runs 5]

Uses the corpus bundles (``tests/vectors/bundles/v2``): ``valid-record-attendance`` (no
witnesses) and ``valid-witnessed-record-attendance`` (the same punch, its 2 batches each
co-signed by 3 of a set of 5). Measures, by process CPU time (the figure that does not move
when other processes share the cores), median of ``--runs``:

* one witnessed bundle with every cache empty (5 proofs of possession + 2 aggregates);
* one witnessed bundle when the set's proofs are already checked (a site's next bundle naming a
  new batch: one aggregate per new batch);
* one witnessed bundle with every cache warm (a batch already checked), and the plain bundle;
* ``python -m verifier BUNDLE --offline`` start to verdict (wall), witnessed and plain.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from verifier import Verdict, Verifier  # noqa: E402
from verifier import witnesses as vw  # noqa: E402

V2 = REPO / "tests" / "vectors" / "bundles" / "v2"


def _bundle(name: str) -> dict[str, object]:
    return json.loads((V2 / f"{name}.json").read_text())["bundle"]  # type: ignore[no-any-return]


def _cpu(fn: object, runs: int) -> float:
    out = []
    for _ in range(runs):
        t = time.process_time()
        fn()  # type: ignore[operator]
        out.append(time.process_time() - t)
    return statistics.median(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    plain, witnessed = _bundle("valid-record-attendance"), _bundle("valid-witnessed-record-attendance")
    v = Verifier(None, offline=True)

    def verify(b: dict[str, object]) -> None:
        assert v.verify(copy.deepcopy(b)).verdict is Verdict.VALID

    def cold() -> None:
        vw._pop_ok.cache_clear()
        vw._aggregate_ok.cache_clear()
        verify(witnessed)

    def new_batches() -> None:
        vw._aggregate_ok.cache_clear()
        verify(witnessed)

    verify(plain)
    rows = [
        ("witnessed bundle, every cache empty (5 PoPs, 2 aggregates)", _cpu(cold, args.runs)),
        ("witnessed bundle, the set already checked (2 aggregates)", _cpu(new_batches, args.runs)),
        ("witnessed bundle, caches warm", _cpu(lambda: verify(witnessed), args.runs)),
        ("the same punch without witnesses", _cpu(lambda: verify(plain), args.runs)),
    ]
    cli = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, b in (("witnessed", witnessed), ("plain", plain)):
            p = Path(tmp) / f"{name}.json"
            p.write_text(json.dumps(b, ensure_ascii=False))
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                res = subprocess.run([sys.executable, "-m", "verifier", str(p), "--offline"],
                                     cwd=REPO, capture_output=True)  # fmt: skip
                times.append(time.perf_counter() - t)
                assert res.returncode == 0, res.stdout
            cli[name] = statistics.median(times)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print("| measure | CPU time, median |\n|---|---:|")
    for label, s in rows:
        print(f"| {label} | {s * 1000:,.1f} ms |")
    print(f"| CLI start to verdict, witnessed (wall) | {cli['witnessed']:.2f} s |")
    print(f"| CLI start to verdict, without witnesses (wall) | {cli['plain']:.2f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
