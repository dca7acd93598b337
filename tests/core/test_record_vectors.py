"""The record known-answer vectors in tests/vectors/records/v1 and v2 (see generate.py there).

Every happy vector must reproduce its canonical bytes, signature and leaf hash exactly; every
broken sibling must be refused, at the field its ``want_err`` names. The version 1 vectors stay:
decoders keep accepting version 1 records with the version 1 rules.
"""

from __future__ import annotations

import json
import re
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest

from ledger.core import FORMAT_VERSION
from ledger.core.canonical import canonical_bytes, decode_json
from ledger.core.entry import Entry, Receipt, SignedRecord
from ledger.core.errors import EncodingError, SignatureError
from ledger.core.keys import RECORD_TAG, SigningKey, VerifyKey
from ledger.core.records import RECORD_TYPES, record_from_json
from tests.vectors.records import generate

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "records"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "records.md"


def _load() -> dict[str, dict[str, Any]]:
    files = sorted(VECTORS.glob("v*/*.json"))
    assert files, f"no record vectors under {VECTORS}"
    return {
        f"{f.parent.name}/{f.stem}": json.loads(f.read_text(encoding="utf-8")) for f in files
    }


ALL = _load()
HAPPY = {name: v for name, v in ALL.items() if v["want_err"] is False}
BROKEN = {name: v for name, v in ALL.items() if v["want_err"] is not False}
CURRENT = {
    name.split("/")[1]: v for name, v in HAPPY.items() if name.startswith(f"v{FORMAT_VERSION}/")
}


@pytest.mark.parametrize("version", [1, 2])
def test_one_happy_vector_per_record_type(version: int) -> None:
    happy = {n: v for n, v in HAPPY.items() if n.startswith(f"v{version}/")}
    want = sorted(t for t, cls in RECORD_TYPES.items() if version >= cls.SINCE)
    assert sorted(v["record"]["type"] for v in happy.values()) == want
    assert all(name == f"v{version}/" + v["record"]["type"] for name, v in happy.items())
    assert all(v["record"]["v"] == v["entry"]["v"] == version for v in happy.values())


def test_every_broken_sibling_names_a_happy_vector_and_a_field() -> None:
    assert len(BROKEN) >= 20
    for name, v in BROKEN.items():
        assert name.split("-")[0] in HAPPY, name
        assert isinstance(v["want_err"], str) and v["want_err"], name
        assert v["desc"], name


def test_files_are_what_the_generator_writes() -> None:
    # The vectors are never edited by hand: regenerating must give the same files, byte for byte.
    built = generate.build()
    assert sorted(built) == sorted(ALL)
    for name, vector in built.items():
        assert (VECTORS / f"{name}.json").read_text(encoding="utf-8") == generate.render(vector)


def test_version_1_vectors_are_unchanged() -> None:
    # The leaf hashes of the version 1 happy vectors as first published: proofs anchored with
    # version 1 entries depend on these bytes, so no later version may change them.
    assert sha256(
        "".join(HAPPY[f"v1/{t}"]["leaf_hash"] for t in sorted(RECORD_TYPES) if t != "publication")
        .encode()
    ).hexdigest() == V1_LEAVES_DIGEST


@pytest.mark.parametrize("name", sorted(HAPPY))
def test_happy_vector(name: str) -> None:
    v = HAPPY[name]
    canonical = v["canonical"].encode("utf-8")
    key = SigningKey(bytes.fromhex(v["signing_key_seed"]))

    # Canonical bytes: from the record object, and back from the bytes themselves.
    record = record_from_json(v["record"])
    assert record.canonical() == canonical
    assert canonical_bytes(v["record"]) == canonical  # the record object is already valid JSON
    assert record_from_json(decode_json(canonical)) == record
    assert record.signer == key.key_id

    # Signature: deterministic Ed25519, so signing again gives the same bytes.
    sig = bytes.fromhex(v["sig"])
    assert SignedRecord.sign(record, key).sig == sig
    SignedRecord(record, sig).verify(key.verify_key)
    VerifyKey(key.verify_key.public).verify(RECORD_TAG, canonical, sig)

    # Entry and leaf hash, checked against plain hashlib over the RFC 8785 bytes of the JSON.
    entry = Entry.from_json(v["entry"])
    assert entry.signed.sig == sig and entry.record == record
    assert entry.canonical() == canonical_bytes(v["entry"])
    want_leaf = sha256(b"\x00" + canonical_bytes(v["entry"])).hexdigest()
    assert v["leaf_hash"] == want_leaf == entry.leaf_hash().hex()
    assert entry.to_json() == v["entry"]


def _check(v: dict[str, Any]) -> None:
    record = record_from_json(v["record"])
    key = SigningKey(bytes.fromhex(v["signing_key_seed"]))
    SignedRecord(record, bytes.fromhex(v["sig"])).verify(key.verify_key)
    Entry.from_json(v["entry"])


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_sibling_is_refused_at_the_named_field(name: str) -> None:
    v = BROKEN[name]
    if v["want_err"] == "sig":
        with pytest.raises(SignatureError, match="signature does not verify"):
            _check(v)
    else:
        with pytest.raises(EncodingError) as info:
            _check(v)
        assert info.value.field == v["want_err"]


@pytest.mark.parametrize("version", [1, 2])
def test_entries_chain_the_worker_by_leaf_hash(version: int) -> None:
    happy = {n: v for n, v in HAPPY.items() if n.startswith(f"v{version}/")}
    chain = sorted(
        (v for v in happy.values() if "subject_seq" in v["entry"]),
        key=lambda v: v["entry"]["subject_seq"],
    )
    assert [v["entry"]["subject_seq"] for v in chain] == list(range(len(chain)))
    assert "subject_prev" not in chain[0]["entry"]
    for before, after in zip(chain, chain[1:], strict=False):
        assert after["entry"]["subject_prev"] == before["leaf_hash"]
    seqs = [v["entry"]["seq"] for v in sorted(happy.values(), key=lambda v: v["entry"]["seq"])]
    assert seqs == list(range(1, len(happy) + 1))
    if version >= 2:  # corrections and approvals about a worker join the worker's chain
        assert {"correction", "approval", "publication", "ack"} <= {
            v["record"]["type"] for v in chain
        }


def _shown(marker: str) -> list[tuple[str, str]]:
    text = DOCS.read_text(encoding="utf-8")
    return re.findall(rf"<!-- {marker}:(\w+) -->\n```(?:json)?\n(.*?)\n```", text, re.S)


def test_examples_in_docs_are_the_vectors() -> None:
    # docs/records.md marks each example block with <!-- canonical:TYPE --> (or sig:, entry:,
    # leaf:); each must be the vector's value, so the document cannot go stale.
    canonical = _shown("canonical")
    assert sorted(kind for kind, _ in canonical) == sorted(RECORD_TYPES)
    for kind, body in canonical:
        assert body == CURRENT[kind]["canonical"], kind
    for marker in ("sig", "leaf", "entry", "receipt"):
        shown = _shown(marker)
        assert shown, marker
        for kind, body in shown:
            v = CURRENT[kind]
            want = {"sig": v["sig"], "leaf": v["leaf_hash"],
                    "entry": canonical_bytes(v["entry"]).decode(),
                    "receipt": canonical_bytes(v.get("receipt", {})).decode()}[marker]  # fmt: skip
            assert body == want, (marker, kind)


def test_every_json_example_in_the_docs_decodes_in_canonical_form() -> None:
    # Examples without a vector marker (a revocation, ...) are still real values: each JSON block
    # of docs/records.md that is a record, an entry or a receipt must decode and be canonical.
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)\n```", text, re.S)
    checked = 0
    for body in blocks:
        obj = decode_json(body.encode())
        if "record" in obj:
            Entry.from_json(obj)
        elif "leaf_hash" in obj:
            Receipt.from_json(obj)
        else:
            record_from_json(obj)
        assert canonical_bytes(obj).decode() == body, body[:60]
        checked += 1
    assert checked >= len(RECORD_TYPES) + 3


def test_version_2_receipts_verify_under_the_log_key() -> None:
    for kind, v in CURRENT.items():
        receipt = Receipt.from_json(v["receipt"])
        entry = Entry.from_json(v["entry"])
        key = SigningKey(bytes.fromhex(v["signing_key_seed"]))
        assert receipt.v == 2 and receipt.log == key.key_id, kind
        assert (receipt.seq, receipt.leaf_hash.hex(), receipt.received_at) == (
            entry.seq, v["leaf_hash"], entry.received_at)  # fmt: skip
        receipt.verify(key.verify_key)


V1_LEAVES_DIGEST = "c1c0a55a82dff85a75272139714e4eda30289e3e7f7bfe0a45551f0cd610bed4"
"""SHA-256 of the version 1 happy leaf hashes concatenated in type order, as of version 1."""
