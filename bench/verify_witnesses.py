"""What witness quorums cost the verifier (check ``anchor.witnesses``), old code against new.

    .venv/bin/python bench/verify_witnesses.py [--runs 5] [--old 315be73]

Uses the corpus bundles (``tests/vectors/bundles/v2``): ``valid-witnessed-record-attendance``
(one gate punch, its 2 batches each co-signed by 3 of a set of 5, as the demo's
``--witnesses 3of5`` bundles) and ``valid-record-attendance`` (the same punch, no witnesses).
Everything is process CPU time (the figure that does not move when other processes share the
cores), median of ``--runs``, all in one run so the ratios hold:

* the parts of the check, per backend: hash-to-G2 of one message, decoding a key and a
  signature (subgroup checks included), one pairing check alone (two Miller loops and a final
  exponentiation), and the bundle's 7 checks (5 proofs of possession, 2 aggregates) one by one
  and as one product of pairings;
* py-ecc's ``G2ProofOfPossession`` one by one, which is what the verifier did before
  ``verifier/bls12381.py`` (the "old" rows);
* one witnessed bundle through ``Verifier.verify`` with every cache empty, the set already
  checked, every cache warm, and the plain bundle;
* ``python -m verifier BUNDLE --offline`` start to verdict, by the child's CPU time: the current
  tree (native and ``SITELEDGER_BLS=py-ecc``) and the tree of git revision ``--old`` (default
  315be73, the last commit before the batched checks; ``--old ''`` skips it).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from verifier import Verdict, Verifier  # noqa: E402
from verifier import bls12381 as bls  # noqa: E402
from verifier import witnesses as vw  # noqa: E402

V2 = REPO / "tests" / "vectors" / "bundles" / "v2"


def _bundle(name: str) -> dict[str, object]:
    return json.loads((V2 / f"{name}.json").read_text())["bundle"]  # type: ignore[no-any-return]


def _cpu(fn: Callable[[], object], runs: int) -> float:
    out = []
    for _ in range(runs):
        t = time.process_time()
        fn()
        out.append(time.process_time() - t)
    return statistics.median(out)


def _checks(bundle: dict[str, object]) -> list[bls.Check]:
    """The checks ``anchor.witnesses`` makes of ``bundle``: recorded from one verification."""
    seen: list[bls.Check] = []
    real = vw.check_all

    def spy(checks: Sequence[bls.Check]) -> list[int]:
        seen.extend(c for c in checks if c not in seen)
        return real(checks)

    vw.check_all = spy  # type: ignore[assignment]
    try:
        import verifier.verify as vv

        vv.check_all = spy  # type: ignore[assignment]
        Verifier(None, offline=True).verify(copy.deepcopy(bundle))
    finally:
        vw.check_all = real  # type: ignore[assignment]
        vv.check_all = real  # type: ignore[assignment]
    return seen


def _old_one_by_one(checks: Sequence[bls.Check]) -> None:
    from py_ecc.bls.ciphersuites import G2ProofOfPossession as Bls

    for c in checks:
        if c.dst == bls.POP_DST:
            assert Bls.PopVerify(c.public_keys[0], c.signature)
        else:
            assert Bls.FastAggregateVerify(list(c.public_keys), c.message, c.signature)


def _cli_cpu(cmd: list[str], cwd: Path, env: dict[str, str], runs: int) -> float:
    out = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        assert res.returncode == 0, res.stdout[-2000:]
        out.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--old", default="315be73", help="git revision of the old verifier ('' skips)")
    args = ap.parse_args()
    runs = args.runs
    plain, witnessed = _bundle("valid-record-attendance"), _bundle("valid-witnessed-record-attendance")
    checks = _checks(witnessed)
    assert len(checks) == 7, len(checks)
    pop, agg = checks[0], checks[-1]
    rows: list[tuple[str, float]] = []

    # the parts, per backend (hash caches cleared for the hash row and the cold rows)
    for name in bls.BACKENDS:
        c = bls.curve(name)
        r = 1 if name == "py-ecc" else runs * 20
        hashes = c._hash  # type: ignore[attr-defined]

        def fresh_hash(c: bls.Curve = c, h: object = hashes) -> object:
            h.cache_clear()  # type: ignore[attr-defined]
            return c.hash(agg.message, agg.dst)

        def alone(c: bls.Curve = c, h: object = hashes) -> None:
            h.cache_clear()  # type: ignore[attr-defined]
            for ch in checks:
                assert bls.failures([ch], c) == []

        def batched(c: bls.Curve = c, h: object = hashes) -> None:
            h.cache_clear()  # type: ignore[attr-defined]
            assert bls.failures(checks, c) == []

        decoded = bls._decode(c, agg)
        assert decoded is not None
        rows += [
            (f"{name}: hash-to-G2 of one message", _cpu(fresh_hash, r)),
            (f"{name}: decode a public key (subgroup check)", _cpu(lambda c=c: c.public_key(pop.public_keys[0]), r)),
            (f"{name}: decode a signature (subgroup check)", _cpu(lambda c=c: c.signature(agg.signature), r)),
            (f"{name}: decode a quorum (3 keys, their sum, the signature)", _cpu(lambda c=c: bls._decode(c, agg), r)),
            (f"{name}: one pairing check (2 Miller loops, 1 final exponentiation)",
             _cpu(lambda c=c, d=decoded: bls._batch(c, [d], random=False), r)),
            (f"{name}: the bundle's 7 checks one by one", _cpu(alone, max(1, r // 10))),
            (f"{name}: the bundle's 7 checks as one product of pairings", _cpu(batched, max(1, r // 10))),
        ]  # fmt: skip
    rows.append(("old: py-ecc G2ProofOfPossession, the 7 checks one by one", _cpu(lambda: _old_one_by_one(checks), 1)))

    v = Verifier(None, offline=True)

    def verify(b: dict[str, object]) -> None:
        assert v.verify(copy.deepcopy(b)).verdict is Verdict.VALID

    def cold() -> None:
        vw._passed.clear()
        bls.default_curve()._hash.cache_clear()  # type: ignore[attr-defined]
        verify(witnessed)

    def new_batches() -> None:
        vw._passed.difference_update([c for c in checks if c.dst == bls.SIG_DST])
        verify(witnessed)

    verify(plain)
    backend = bls.default_curve().name
    rows += [
        (f"Verifier.verify, witnessed, every cache empty ({backend})", _cpu(cold, runs)),
        (f"Verifier.verify, witnessed, the set already checked ({backend})", _cpu(new_batches, runs)),
        ("Verifier.verify, witnessed, caches warm", _cpu(lambda: verify(witnessed), runs)),
        ("Verifier.verify, the same punch without witnesses", _cpu(lambda: verify(plain), runs)),
    ]
    cli: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, b in (("witnessed", witnessed), ("plain", plain)):
            paths[name] = p = Path(tmp) / f"{name}.json"
            p.write_text(json.dumps(b, ensure_ascii=False))
        env = {k: v for k, v in os.environ.items() if k != bls.ENV}
        trees = [("new", REPO)]
        if args.old:
            old = Path(tmp) / "old"
            old.mkdir()
            archive = subprocess.run(["git", "archive", args.old, "verifier", "ledger", "anchor"],
                                     cwd=REPO, capture_output=True, check=True).stdout  # fmt: skip
            subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
            trees.append((f"old ({args.old})", old))
        for label, tree in trees:
            tenv = {**env, "PYTHONPATH": str(tree)}
            for name in ("witnessed", "plain"):
                cmd = [sys.executable, "-m", "verifier", str(paths[name]), "--offline"]
                cli.append((f"CLI {label}, {name}", _cli_cpu(cmd, tree, tenv, runs)))
        tenv = {**env, "PYTHONPATH": str(REPO), bls.ENV: "py-ecc"}
        cmd = [sys.executable, "-m", "verifier", str(paths["witnessed"]), "--offline"]
        cli.append(("CLI new, witnessed, SITELEDGER_BLS=py-ecc", _cli_cpu(cmd, REPO, tenv, max(1, runs // 2))))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; default backend {backend}\n")
    print("| measure | CPU time, median |\n|---|---:|")
    for label, s in rows:
        print(f"| {label} | {s * 1000:,.2f} ms |")
    for label, s in cli:
        print(f"| {label} (start to verdict, child CPU) | {s:.3f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
