"""The head-map and signed-batch-head vectors (tests/vectors/heads, see generate.py there):
every happy path verifies, every broken sibling fails with the named error, and the generator
reproduces the files exactly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ledger.core import heads
from ledger.core.errors import EncodingError, ProofError, SignatureError
from ledger.core.heads import BatchHead, HeadProof, HeadValue
from ledger.core.keys import VerifyKey
from tests.vectors.heads import generate

HERE = Path(__file__).resolve().parents[1] / "vectors" / "heads"
ERRORS = {"ProofError": ProofError, "EncodingError": EncodingError, "SignatureError": SignatureError}


def _cases() -> list[Any]:
    files = sorted(HERE.glob("*.json"))
    assert len(files) >= 25
    return [pytest.param(json.loads(f.read_text()), id=f.stem) for f in files]


def _run(v: dict[str, Any]) -> None:
    if "head" in v:
        head = BatchHead.from_json(v["head"])
        if "signed_bytes_hex" in v:
            assert head.signed_bytes().hex() == v["signed_bytes_hex"]
        head.verify(VerifyKey(bytes.fromhex(v["public_key"])))
        return
    if "map" in v:
        values = {e["key"]: HeadValue.from_json(e["value"]) for e in v["map"]}
        assert heads.root(values).hex() == v["root"]
        if v["want_err"] is None:  # the proof in the vector's form (1: no "v"; 2)
            made = heads.prove(values, v["key"])
            assert (made.to_json() if "v" in v["proof"] else made.to_json_v1()) == v["proof"]
    value = None if v["value"] is None else HeadValue.from_json(v["value"])
    proof = HeadProof.from_json(v["proof"])
    heads.verify_head_proof(bytes.fromhex(v["root"]), v["key"], value, proof)


@pytest.mark.parametrize("v", _cases())
def test_vector(v: dict[str, Any]) -> None:
    if v["want_err"] is None:
        _run(v)
    else:
        with pytest.raises(ERRORS[v["want_err"]]):
            _run(v)


def test_corpus_has_both_outcomes_and_every_required_case() -> None:
    names = {f.stem for f in HERE.glob("*.json")}
    assert {"empty-map", "one-key-present", "present-worker", "absent-empty-branch",
            "absent-other-leaf", "long-prefix-neighbour", "present-worker-sibling-flipped",
            "proof-for-another-key", "non-membership-for-present-key", "wrong-value",
            "depth-too-long", "other-batch-root", "batch-head",
            "batch-head-size-changed"} <= names  # fmt: skip
    outcomes = {c.values[0]["want_err"] for c in _cases()}
    assert outcomes == {None, "ProofError", "EncodingError", "SignatureError"}
    long = json.loads((HERE / "long-prefix-neighbour.json").read_text())
    assert len(long["proof"]["siblings"]) > 16 and "00" * 32 in long["proof"]["siblings"]
    # form 2: the same proofs, and every way its bitmap and base64 can be malformed
    assert {"form2-empty-map", "form2-present-worker", "form2-long-prefix-neighbour",
            "form2-sibling-flipped", "form2-empty-sibling-listed", "form2-present-bit-beyond-depth",
            "form2-siblings-count", "form2-base64-unpadded", "form2-base64-not-canonical",
            "form2-form-3"} <= names  # fmt: skip
    long2 = json.loads((HERE / "form2-long-prefix-neighbour.json").read_text())["proof"]
    assert long2["depth"] == len(long["proof"]["siblings"])
    assert bin(int(long2["present"], 16)).count("1") < long2["depth"]  # empty siblings omitted


def test_proof_form_2_round_trips_and_is_smaller() -> None:
    values = {heads.subject_key(f"w-{i}"): HeadValue(i, 7 * i, bytes([i % 256]) * 32)
              for i in range(3000)}  # fmt: skip
    for k in list(values)[:50] + [heads.subject_key(f"absent-{i}") for i in range(50)]:
        p = heads.prove(values, k)
        assert HeadProof.from_json(p.to_json()) == p == HeadProof.from_json(p.to_json_v1())
        assert len(json.dumps(p.to_json())) < len(json.dumps(p.to_json_v1()))


def test_generator_reproduces_the_files() -> None:
    vectors = {**generate.head_map_vectors(), **generate.batch_head_vectors()}
    assert set(vectors) == {f.stem for f in HERE.glob("*.json")}
    for name, v in vectors.items():
        assert json.loads((HERE / f"{name}.json").read_text()) == v, name


def test_the_worked_example_in_the_docs_is_the_vectors() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs/proof-format.md").read_text()
    section = doc[doc.index("## Head maps") : doc.index("## Signed batch heads")]
    one = json.loads((HERE / "one-key-present.json").read_text())
    value = HeadValue.from_json(one["value"])
    kh, vh = heads.key_hash(one["key"]).hex(), value.value_hash().hex()
    for h in (kh, vh, one["root"]):
        assert f"`{h[:8]}…{h[-6:]}`" in section, h
    text = value.canonical().decode()
    assert text.startswith('{"counter":7,"leaf_hash":"c04a') and text.endswith('a9","seq":128}')
    assert '`{"counter":7,"leaf_hash":"c04a…a9","seq":128}`' in section
    w = json.loads((HERE / "present-worker.json").read_text())
    proof = HeadProof.from_json(w["proof"])
    kh_w = heads.key_hash(w["key"])
    assert f"`kh` begins `{kh_w.hex()[:4]}`" in section and f"{proof.depth} siblings" in section
    assert proof.leaf is not None
    h = proof.leaf.node()
    assert f"`{h.hex()[:8]}…`" in section
    for i in range(proof.depth - 1, -1, -1):
        s = proof.siblings[i]
        h = heads.node(s, h) if heads.bit(kh_w, i) else heads.node(h, s)
        assert f"`{h.hex()[:8]}…" in section, i
    assert h.hex() == w["root"] and f"`{h.hex()[:8]}…{h.hex()[-5:]}`" in section
