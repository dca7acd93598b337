"""The tamper corpus through the library, with the recorded chain and offline, and through the CLI
as a subprocess: version 2 (tests/vectors/bundles/v2) and the frozen version 1 corpus
(tests/vectors/bundles), which must keep its verdicts."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.verifier.recorded import RecordedChain
from verifier import Status, Verdict, Verifier

DIR = Path(__file__).resolve().parents[1] / "vectors" / "bundles"
DIRS = {"": DIR, "v2/": DIR / "v2"}
VECTORS = {prefix + p.stem: json.loads(p.read_text()) for prefix, d in DIRS.items()
           for p in sorted(d.glob("*.json")) if p.name != "chain.json"}  # fmt: skip
CHAINS = {prefix: json.loads((d / "chain.json").read_text()) for prefix, d in DIRS.items()
          if (d / "chain.json").exists()}  # fmt: skip


def _chain(name: str) -> dict[str, Any]:
    return CHAINS["v2/" if name.startswith("v2/") else ""]
REPO = Path(__file__).resolve().parents[2]


def _verify(v: dict[str, Any], verifier: Verifier, name: str) -> Any:
    if "bundle" in v:
        return verifier.verify(copy.deepcopy(v["bundle"]), name)
    return verifier.verify_bytes(v["bundle_text"], name)


def test_corpus_is_big_enough() -> None:
    for prefix in DIRS:
        names = [n[len(prefix):] for n in VECTORS if n.startswith(prefix) and "/" not in n[len(prefix):]]
        tampered = [n for n in names if not n.startswith("valid-")]
        assert len(tampered) >= 20, prefix
        assert {"valid-record-attendance", "valid-wage", "valid-presence"} <= set(names), prefix
    for name, v in VECTORS.items():
        assert v["desc"] and v["derived"], name
        assert set(v["want"]) == {"verdict", "check", "exit"}, name


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_with_recorded_chain(name: str) -> None:
    v = VECTORS[name]
    r = _verify(v, Verifier(RecordedChain(_chain(name))), name)
    assert r.verdict.value == v["want"]["verdict"], [c for c in r.checks if c.status != "passed"]
    first = r.failed[0].name if r.failed else None
    assert first == v["want"]["check"], r.failed
    if r.verdict is Verdict.VALID:
        assert r.anchor_checked
        assert all(c.status in (Status.PASSED, Status.SKIPPED) for c in r.checks)


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_offline(name: str) -> None:
    v = VECTORS[name]
    r = _verify(v, Verifier(None, offline=True), name)
    assert r.verdict.value == v["want_offline"]["verdict"], r.failed
    first = r.failed[0].name if r.failed else None
    assert first == v["want_offline"]["check"], r.failed
    assert not r.anchor_checked
    assert r.unreadable == (v["want_offline"]["exit"] == 2)


def test_failure_details_name_values() -> None:
    """Errors name what was expected and what was calculated (as transparency-dev's do)."""
    r = _verify(VECTORS["proof-node-dropped"], Verifier(None, offline=True), "x")
    assert "wrong proof size" in r.failed[0].detail
    r = _verify(VECTORS["leaf-index-plus-1"], Verifier(None, offline=True), "x")
    assert "is at index" in r.failed[0].detail
    r = _verify(VECTORS["root-changed"], Verifier(None, offline=True), "x")
    assert "calculated" in r.failed[0].detail and "expected" in r.failed[0].detail


def test_unreachable_chain_is_inconclusive() -> None:
    v = VECTORS["valid-record-attendance"]
    r = _verify(v, Verifier(RecordedChain(_chain(""), unreachable=True)), "x")
    assert r.verdict is Verdict.INCONCLUSIVE
    assert r.check("chain.network").status is Status.INCONCLUSIVE  # type: ignore[union-attr]
    # An offline failure still wins over an unreachable chain.
    r = _verify(VECTORS["record-field-changed"],
                Verifier(RecordedChain(_chain(""), unreachable=True)), "x")  # fmt: skip
    assert r.verdict is Verdict.INVALID


def _write(tmp_path: Path, name: str) -> Path:
    v = VECTORS[name]
    p = tmp_path / f"{name.replace('/', '-')}.json"
    if "bundle" in v:
        p.write_text(json.dumps(v["bundle"], ensure_ascii=False))
    else:
        p.write_text(v["bundle_text"])
    return p


def _cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "verifier", *args], cwd=REPO, input=stdin,
                          capture_output=True, timeout=120)  # fmt: skip


def test_cli_whole_corpus_offline(tmp_path: Path) -> None:
    files = [str(_write(tmp_path, n)) for n in sorted(VECTORS)]
    res = _cli(*files, "--offline", "--json")
    assert res.returncode == 1, res.stderr.decode()
    doc = json.loads(res.stdout)
    assert doc["exit_code"] == 1
    by_name = {Path(r["source"]).stem: r for r in doc["reports"]}
    for name, v in VECTORS.items():
        r = by_name[name.replace("/", "-")]
        want = v["want_offline"]
        assert r["verdict"] == want["verdict"], name
        failed = [c["name"] for c in r["checks"] if c["status"] == "failed"]
        assert (failed[0] if failed else None) == want["check"], name
        assert r["unreadable"] == (want["exit"] == 2), name


@pytest.mark.parametrize("name", ["valid-record-attendance", "record-field-changed",
                                  "truncated-json", "unknown-version", "huge-path"])  # fmt: skip
def test_cli_exit_code_per_file(tmp_path: Path, name: str) -> None:
    res = _cli(str(_write(tmp_path, name)), "--offline")
    assert res.returncode == VECTORS[name]["want_offline"]["exit"], res.stdout.decode()
    want_check = VECTORS[name]["want_offline"]["check"]
    if want_check:
        assert want_check.encode() in res.stdout or b"Format" in res.stdout
