"""Merkle benchmark: root of 1,000,000 leaves and 1,000 inclusion proofs, against the peers.

Peers measured in the same run on the same leaf hashes: pymerkle (InmemoryTree, RFC 9162 with
security prefixes) and blockcerts-merkletools (Bitcoin-style tree, duplicated odd nodes: a
different tree, measured for speed only). Prints a Markdown table; ``--json`` prints figures.

    .venv/bin/python bench/merkle.py [--leaves N] [--proofs K] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ledger.core import merkle  # noqa: E402


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def ours(data: list[bytes], leaves: list[bytes], indices: list[int]) -> dict[str, float]:
    t_hash, _ = timed(lambda: [merkle.hash_leaf(d) for d in data])
    t_root, r = timed(lambda: merkle.root(leaves))
    t_levels, lv = timed(lambda: merkle.levels(leaves))
    t_proofs, _ = timed(lambda: [merkle.path_from_levels(lv, i) for i in indices])
    t_verify, _ = timed(
        lambda: [
            merkle.verify_inclusion(leaves[i], i, len(leaves), merkle.path_from_levels(lv, i), r)
            for i in indices
        ]
    )
    return {
        "leaf_hash_s": t_hash,
        "root_s": t_root,
        "from_data_s": t_hash + t_root,
        "levels_s": t_levels,
        "proofs_s": t_proofs,
        "verify_s": t_verify,
    }


def pymerkle_peer(data: list[bytes], indices: list[int]) -> dict[str, float] | None:
    try:
        import pymerkle
    except ImportError:
        return None
    tree = pymerkle.InmemoryTree(algorithm="sha256")
    t_build, _ = timed(lambda: [tree.append_entry(d) for d in data])
    n = len(data)
    t_root, _ = timed(lambda: tree.get_root(n))
    t_proofs, _ = timed(lambda: [tree.prove_inclusion(i + 1, n) for i in indices])
    return {"append_s": t_build, "root_s": t_build + t_root, "proofs_s": t_proofs}


def merkletools_peer(leaves: list[bytes], indices: list[int]) -> dict[str, float] | None:
    try:
        import blockcerts_merkletools as merkletools
    except ImportError:
        return None
    mt = merkletools.MerkleTools(hash_type="sha256")
    hexes = [h.hex() for h in leaves]
    t_add, _ = timed(lambda: mt.add_leaf(hexes, False))
    t_make, _ = timed(mt.make_tree)
    t_proofs, _ = timed(lambda: [mt.get_proof(i) for i in indices])
    return {"root_s": t_add + t_make, "proofs_s": t_proofs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--leaves", type=int, default=1_000_000)
    ap.add_argument("--proofs", type=int, default=1_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rng = random.Random(7)
    data = [i.to_bytes(8, "big") + os.urandom(24) for i in range(args.leaves)]
    leaves = [merkle.hash_leaf(d) for d in data]
    indices = [rng.randrange(args.leaves) for _ in range(args.proofs)]

    results: dict[str, Any] = {"leaves": args.leaves, "proofs": args.proofs}
    results["siteledger"] = ours(data, leaves, indices)
    results["merkletools"] = merkletools_peer(leaves, indices)
    results["pymerkle"] = pymerkle_peer(data, indices)  # last: it holds the most memory
    ratio = None
    if results["pymerkle"]:
        # Same work on both sides: hash every entry as a leaf, then compute the root.
        ratio = results["pymerkle"]["root_s"] / results["siteledger"]["from_data_s"]
    results["pymerkle_over_ours"] = ratio
    if args.json:
        print(json.dumps(results, indent=2))
        return
    n = f"{args.leaves:,}"
    print(f"| implementation | root of {n} leaves (s) | {args.proofs:,} inclusion proofs (s) |")
    print("|---|---:|---:|")
    s = results["siteledger"]
    print(f"| siteledger, from leaf hashes | {s['root_s']:.3f} | {s['proofs_s']:.4f} |")
    print(f"| siteledger, from entries (leaf hashing + root) | {s['from_data_s']:.3f} | |")
    for name, label in (
        ("pymerkle", "pymerkle 7 InmemoryTree, from entries (append + root)"),
        ("merkletools", "blockcerts-merkletools, from leaf hashes (not RFC 9162)"),
    ):
        p = results[name]
        if p:
            print(f"| {label} | {p['root_s']:.3f} | {p['proofs_s']:.4f} |")
    if ratio:
        print(
            f"\nFrom the same entries, siteledger computes the root {ratio:.1f}x faster than pymerkle."
        )


if __name__ == "__main__":
    main()
