"""The worked example of docs/proof-format.md is the corpus' valid-record-attendance bundle:
every hash and value the document quotes is recomputed here from that file."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ledger.core.canonical import canonical_bytes
from ledger.core.entry import Entry, Receipt
from ledger.core.keys import RECORD_TAG, key_id
from ledger.core.merkle import hash_leaf, hash_node

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs/proof-format.md").read_text()
EXAMPLE = DOC[DOC.index("## Worked example") : DOC.index("## Building bundles")]
BUNDLE = json.loads((REPO / "tests/vectors/bundles/valid-record-attendance.json").read_text())[
    "bundle"
]


def test_worked_example_matches_the_vector() -> None:
    item = BUNDLE["record"]
    entry = Entry.from_json(item["entry"])
    assert entry.signed.canonical.decode() in EXAMPLE
    assert (RECORD_TAG + b"\x00").hex() in EXAMPLE
    leaf = hash_leaf(entry.canonical())
    assert leaf.hex() == item["leaf_hash"] and leaf.hex() in EXAMPLE
    assert f"{len(entry.canonical())} canonical bytes" in EXAMPLE
    fn, sn, r = item["inclusion"]["index"], item["batch"]["size"] - 1, leaf
    for p_hex in item["inclusion"]["path"]:
        p = bytes.fromhex(p_hex)
        if fn & 1 or fn == sn:
            r = hash_node(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = hash_node(r, p)
        fn >>= 1
        sn >>= 1
        assert r.hex() in EXAMPLE and p_hex[:16] in EXAMPLE
    assert r.hex() == item["batch"]["root"]
    receipt = Receipt.from_json(BUNDLE["receipt"])
    assert canonical_bytes(receipt.body()).decode() in EXAMPLE
    for k in BUNDLE["keys"]:
        assert key_id(bytes.fromhex(k["entry"]["record"]["public_key"])) in EXAMPLE
    a = item["anchor"]
    for value in (a["contract"], a["tx_hash"], a["block_time"], str(a["chain_id"])):
        assert value in EXAMPLE


def test_every_check_name_is_documented() -> None:
    from verifier.i18n import CHECK

    for name in CHECK:
        assert re.search(rf"\*\*`{re.escape(name)}`\*\*", DOC), name
