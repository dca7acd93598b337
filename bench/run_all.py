"""Run every benchmark in bench/ and rewrite docs/benchmarks.md: target, measured, peers.

    .venv/bin/python bench/run_all.py [--quick] [--only merkle,ingest,...]

``--quick`` scales the sizes down (for a smoke run; the figures it writes say so). Each script is
run in its own process, one after the other, so that they do not compete for the two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

FULL = {
    "merkle": ["--leaves", "1000000", "--proofs", "1000"],
    "ingest": ["--records", "40000", "--proof-records", "1000000"],
    "anchor": ["--backend", "anvil", "--samples", "5"],
    "api": ["--records", "40000", "--stored", "1000000"],
    "verify": ["--workers", "100"],
}
QUICK = {
    "merkle": ["--leaves", "100000", "--proofs", "200"],
    "ingest": ["--records", "10000", "--proof-records", "50000"],
    "anchor": ["--backend", "anvil", "--samples", "2"],
    "api": ["--records", "10000", "--stored", "50000", "--seconds", "5", "--samples", "200"],
    "verify": ["--workers", "20", "--runs", "3"],
}


def run(name: str, args: list[str], as_json: bool) -> tuple[Any, float]:
    cmd = [PY, str(ROOT / "bench" / f"{name}.py"), *args] + (["--json"] if as_json else [])
    t = time.monotonic()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3600)
    if out.returncode != 0:
        raise SystemExit(f"bench/{name}.py failed:\n{out.stdout}\n{out.stderr}")
    took = time.monotonic() - t
    return (json.loads(out.stdout) if as_json else out.stdout.strip()), took


def fmt(x: float, unit: str = "") -> str:
    return f"{x:,.0f}{unit}" if x >= 100 else f"{x:,.2f}{unit}"


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="merkle,ingest,anchor,api,verify")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = ap.parse_args()
    sizes = QUICK if args.quick else FULL
    wanted = args.only.split(",")
    # Raw results are kept beside the scripts so that --only can refresh one benchmark and the
    # page still shows the others (from their last run).
    raw = ROOT / "bench" / ("results-quick.json" if args.quick else "results.json")
    res: dict[str, Any] = json.loads(raw.read_text()) if raw.exists() else {}
    for name in wanted:
        print(f"running bench/{name}.py {' '.join(sizes[name])}", file=sys.stderr, flush=True)
        res[name] = run(name, sizes[name], as_json=name != "verify")
        raw.write_text(json.dumps(res, indent=1) + "\n")

    summary: list[tuple[str, str, str, str]] = []
    sections: list[str] = []
    if "merkle" in res:
        m, _ = res["merkle"]
        s, p = m["siteledger"], m.get("pymerkle")
        n = f"{m['leaves']:,}"
        summary.append((f"Merkle root of {n} leaves", "≤ 1.5 s", f"{s['root_s']:.2f} s", "merkle"))
        if p:
            summary.append(("… faster than pymerkle, same entries", "≥ 5×",
                            f"{m['pymerkle_over_ours']:.1f}×", "merkle"))  # fmt: skip
        rows = [f"| siteledger, from leaf hashes | {s['root_s']:.3f} | {s['proofs_s']:.4f} |",
                f"| siteledger, from entries (leaf hashing + root) | {s['from_data_s']:.3f} | |"]  # fmt: skip
        if p:
            rows.append(f"| pymerkle InmemoryTree, from entries | {p['root_s']:.3f} | {p['proofs_s']:.4f} |")
        if m.get("merkletools"):
            mt = m["merkletools"]
            rows.append(f"| blockcerts-merkletools (not RFC 9162), from leaf hashes | {mt['root_s']:.3f} | {mt['proofs_s']:.4f} |")
        sections.append(
            f"## Merkle trees (`bench/merkle.py {' '.join(sizes['merkle'])}`)\n\n"
            f"| implementation | root of {n} leaves (s) | {m['proofs']:,} inclusion proofs (s) |\n"
            "|---|---:|---:|\n" + "\n".join(rows)
        )
    if "ingest" in res:
        g, _ = res["ingest"]
        one, two, peer = g["one_process"], g["two_processes"], g.get("pymerkle_sqlite")
        summary.append(("ingest, library level, signatures verified, durable (SQLite)",
                        "≥ 10,000 records/s", f"{fmt(two['per_s'])}/s (2 processes), "
                        f"{fmt(one['per_s'])}/s (1)", "ingest"))  # fmt: skip
        rows = [f"| siteledger Store.append, 1 process | {one['records']:,} | {fmt(one['per_s'])} |",
                f"| siteledger Store.append, 2 processes | {two['records']:,} | {fmt(two['per_s'])} |"]  # fmt: skip
        if peer:
            rows.append(f"| pymerkle SqliteTree.append_entries (hashing only: no decoding, no signature, no checks) | {peer['records']:,} | {fmt(peer['per_s'])} |")
        text = (f"## Ingest (`bench/ingest.py {' '.join(sizes['ingest'])}`)\n\n"
                "| what | records | records/s |\n|---|---:|---:|\n" + "\n".join(rows)
                + f"\n\nBytes stored per attendance record (SQLite, entry + indexes + tree nodes): "
                f"{one['bytes_per_record']:,.0f}.")  # fmt: skip
        if "proof" in g:
            pr = g["proof"]
            summary.append((f"proof for one record, {pr['stored']:,} stored", "≤ 5 ms",
                            f"p50 {pr['p50_ms']:.2f} ms, p99 {pr['p99_ms']:.2f} ms", "ingest"))  # fmt: skip
            text += (f"\n\nInclusion proof (`ledger.batcher.inclusion_proof`) with {pr['stored']:,} "
                     f"records stored: p50 {pr['p50_ms']:.2f} ms, p99 {pr['p99_ms']:.2f} ms.")  # fmt: skip
        sections.append(text)
    if "anchor" in res:
        a, _ = res["anchor"]
        gas = a["gas"]
        top = max(x["gas"] for x in gas)
        summary.append(("gas per anchor transaction, flat in batch size", "≤ 56,000",
                        f"{min(x['gas'] for x in gas):,}–{top:,}"
                        + (" (not met: see docs/contract.md)" if top > 56_000 else ""),
                        "anchor"))  # fmt: skip
        rows = [f"| {x['size']:,} | {x['gas']:,} | {x['path']} |" for x in gas]
        text = (f"## Anchoring (`bench/anchor.py {' '.join(sizes['anchor'])}`)\n\n"
                "| batch size | gasUsed | path |\n|---:|---:|---|\n" + "\n".join(rows)
                + f"\n\nDeployment: {a['deploy_gas']:,} gas.")  # fmt: skip
        if a.get("latency_s"):
            lat = sorted(a["latency_s"])
            med = lat[len(lat) // 2]
            summary.append(("record accepted → anchored (anvil, defaults)", "≤ 15 s",
                            f"median {med:.1f} s (max {lat[-1]:.1f} s)", "anchor"))  # fmt: skip
            text += f" Record accepted → batch anchored on anvil: {', '.join(f'{x:.2f} s' for x in lat)}."
        sections.append(text)
    if "api" in res:
        h, _ = res["api"]
        if "bulk" in h:  # bench/api.py since --clients: one result per client count
            b1, b2 = h["bulk"][0], h["bulk"][-1]
        else:
            b1, b2 = h["bulk_1_client"], h["bulk_2_clients"]
        s = h["single_post"]
        pa = h.get("proof_anchored") or h.get("proof_sealed")
        summary.append(("bulk ingest through HTTP (SQLite)", "≥ 5,000 records/s",
                        f"{fmt(b2['per_s'])}/s (2 clients)", "api"))  # fmt: skip
        summary.append((f"single POST p99 at {s['rate']:.0f}/s", "≤ 25 ms",
                        f"{s['p99_ms']:.1f} ms", "api"))  # fmt: skip
        summary.append((f"proof GET p50, {pa['stored']:,} stored", "≤ 10 ms",
                        f"{pa['p50_ms']:.2f} ms", "api"))  # fmt: skip
        sections.append(
            f"## HTTP API (`bench/api.py {' '.join(sizes['api'])}`)\n\n"
            "| measure | result |\n|---|---:|\n"
            f"| bulk ingest, 1 client, {b1['records']:,} records | {fmt(b1['per_s'])} records/s |\n"
            f"| bulk ingest, 2 clients, {b2['records']:,} records | {fmt(b2['per_s'])} records/s |\n"
            f"| single POST at {s['rate']:.0f}/s: p50 / p99 | {s['p50_ms']:.1f} / {s['p99_ms']:.1f} ms |\n"
            f"| proof GET, {pa['stored']:,} stored: p50 / p99 | {pa['p50_ms']:.2f} / {pa['p99_ms']:.2f} ms |"
        )
    if "verify" in res:
        v, _ = res["verify"]
        sections.append(v.replace("## Verifier", f"## Verifier (`bench/verify.py {' '.join(sizes['verify'])}`)", 1))

    head = [
        "# Benchmarks",
        "",
        f"Generated by `bench/run_all.py{' --quick' if args.quick else ''}` on "
        f"{time.strftime('%Y-%m-%d')}: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. Each script ran alone, one after the other; run it again "
        "with the command in its heading. Targets come from DESIGN.md and the issues.",
        "",
    ]
    if args.quick:
        head += ["**Quick run: sizes scaled down, figures not comparable with the targets.**", ""]
    head += ["## Summary", "", "| what | target | measured | script |", "|---|---|---|---|"]
    head += [f"| {w} | {t} | {m} | bench/{s}.py |" for w, t, m, s in summary]
    args.out.write_text("\n".join(head) + "\n\n" + "\n\n".join(sections) + "\n")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
