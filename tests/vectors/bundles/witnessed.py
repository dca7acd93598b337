"""Witness vectors of the version 2 corpus: valid bundles given witness quorums, and their broken
siblings (``docs/proof-format.md``, check ``anchor.witnesses``).

    .venv/bin/python -m tests.vectors.bundles.witnessed   # rewrite v2/witness*.json only

``generate.py`` calls ``witness_vectors`` with the bundles it builds, so a full regeneration
writes these too; run alone, this module takes the valid bundles from ``v2/valid-*.json``.

How they are derived: five witnesses with keys from fixed seeds (``WitnessKey.from_seed``) form a
set of threshold 3. For every batch of a valid bundle (the items' and the checkpoint's), three of
them (a different three per batch) sign the batch's 162-byte message — the chain id and contract
of the bundle's anchor, the batch number, first seq, size, root and heads root of its signed
head — exactly as a witness service would; the signatures are aggregated and written into each
anchor of that batch with the bitmap, and the set into ``witness_sets``. Each broken sibling
changes one thing.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from verifier.witnesses import Commitment, WitnessSet, aggregate
from witness.bls import WitnessKey
from witness.quorum import members_of

HERE = Path(__file__).parent / "v2"
Bundle = dict[str, Any]

NAMES = (
    "华建工程监理有限公司",
    "海淀区人力资源和社会保障局",
    "中国工商银行北京海淀支行（工资专用账户）",
    "北京市建设工程质量检测中心",
    "北京市建筑业务工人员权益服务中心",
)
KEYS = [WitnessKey.from_seed(bytes([0xA0 + i]) * 32) for i in range(len(NAMES))]
OUTSIDER = WitnessKey.from_seed(bytes([0xEE]) * 32)
THRESHOLD = 3
_SET: WitnessSet | None = None


def witness_set() -> WitnessSet:
    global _SET
    if _SET is None:
        _SET = members_of(NAMES, KEYS, THRESHOLD)
    return _SET


def _anchors(b: Bundle) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(batch, anchor) of every item and of the checkpoint."""
    items = ([b["record"]] if "record" in b else b["run"]) + b["keys"] + b["related"] + b["context"]
    out = [(i["batch"], i["anchor"]) for i in items]
    if "checkpoint" in b:
        out.append((b["checkpoint"]["batch"], b["checkpoint"]["anchor"]))
    return out


def commitment(batch: dict[str, Any], anchor: dict[str, Any], **change: Any) -> Commitment:
    fields = {
        "chain_id": anchor["chain_id"], "contract": bytes.fromhex(anchor["contract"][2:]),
        "batch_no": batch["batch_no"], "first_seq": batch["first_seq"], "size": batch["size"],
        "root": bytes.fromhex(batch["root"]), "heads_root": bytes.fromhex(batch["heads_root"]),
    }  # fmt: skip
    fields.update(change)
    return Commitment(**fields)


_SIGS: dict[tuple[bytes, int], bytes] = {}


def quorum_signature(c: Commitment, bitmap: int, keys: list[WitnessKey] | None = None) -> bytes:
    """The aggregate of the signatures of the members ``bitmap`` names over ``c``."""
    keys = keys or KEYS
    msg = c.message()
    if (msg, bitmap) not in _SIGS or keys is not KEYS:
        sig = aggregate([k.sign(msg) for i, k in enumerate(keys) if bitmap >> i & 1])
        if keys is not KEYS:
            return sig
        _SIGS[(msg, bitmap)] = sig
    return _SIGS[(msg, bitmap)]


BITMAPS = (0b00111, 0b11010, 0b10101, 0b01110, 0b11001)


def witness(b: Bundle) -> None:
    """Give every batch of ``b`` a 3-of-5 quorum (a different three per batch)."""
    b["witness_sets"] = [witness_set().to_json()]
    done: dict[int, dict[str, Any]] = {}
    for batch, anchor in _anchors(b):
        no = batch["batch_no"]
        if no not in done:
            bitmap = BITMAPS[no % len(BITMAPS)]
            sig = quorum_signature(commitment(batch, anchor), bitmap)
            done[no] = {"status": "witnessed", "set": 0, "bitmap": f"{bitmap:x}",
                        "signature": sig.hex()}  # fmt: skip
        anchor["witnesses"] = copy.deepcopy(done[no])


def _set_batch(b: Bundle, no: int, value: dict[str, Any]) -> None:
    for batch, anchor in _anchors(b):
        if batch["batch_no"] == no:
            anchor["witnesses"] = copy.deepcopy(value)


def _record_batch(b: Bundle) -> tuple[dict[str, Any], dict[str, Any]]:
    return b["record"]["batch"], b["record"]["anchor"]


# ---------------------------------------------------------------------------- broken siblings


def m_below_threshold(b: Bundle) -> None:
    batch, anchor = _record_batch(b)
    sig = quorum_signature(commitment(batch, anchor), 0b00011)
    _set_batch(b, batch["batch_no"], {"status": "witnessed", "set": 0, "bitmap": "3",
                                      "signature": sig.hex()})  # fmt: skip


def m_index_outside(b: Bundle) -> None:
    batch, anchor = _record_batch(b)
    w = dict(anchor["witnesses"])
    w["bitmap"] = f"{int(w['bitmap'], 16) | 1 << 5:x}"  # a sixth witness the set does not have
    _set_batch(b, batch["batch_no"], w)


def m_other_batch(b: Bundle) -> None:
    """The record's batch carries the quorum signature of another batch of the bundle."""
    batch, _ = _record_batch(b)
    other = next(a["witnesses"] for bt, a in _anchors(b) if bt["batch_no"] != batch["batch_no"])
    _set_batch(b, batch["batch_no"], other)


def _resigned(b: Bundle, **change: Any) -> None:
    batch, anchor = _record_batch(b)
    w = dict(anchor["witnesses"])
    w["signature"] = quorum_signature(commitment(batch, anchor, **change), int(w["bitmap"], 16)).hex()
    _set_batch(b, batch["batch_no"], w)


def m_other_contract(b: Bundle) -> None:
    _resigned(b, contract=bytes.fromhex("5fbdb2315678afecb367f032d93f642f64180aa3"))


def m_other_chain(b: Bundle) -> None:
    _resigned(b, chain_id=31337)


def m_pop_fails(b: Bundle) -> None:
    """Member 1's proof of possession replaced by member 0's (a valid proof, of another key)."""
    ws = b["witness_sets"][0]["witnesses"]
    ws[1]["pop"] = ws[0]["pop"]


def m_member_swapped(b: Bundle) -> None:
    """Member 0's key (with its own valid proof) replaced by an outsider's: the quorums that
    member 0 signed no longer verify under the set."""
    ws = b["witness_sets"][0]["witnesses"]
    ws[0]["public_key"], ws[0]["pop"] = OUTSIDER.public_key.hex(), OUTSIDER.pop().hex()


def m_unwitnessed(b: Bundle) -> None:
    batch, _ = _record_batch(b)
    _set_batch(b, batch["batch_no"], {
        "status": "unwitnessed", "set": 0,
        "reason": "timeout after 120 s: 2 of 5 witnesses signed (华建工程监理有限公司, "
                  "北京市建设工程质量检测中心), threshold 3; anchored under the timeout policy",
    })  # fmt: skip


def m_witnesses_differ(b: Bundle) -> None:
    """The second key item of a batch gives that batch without its witnesses."""
    seen: set[int] = set()
    for item in b["keys"]:
        no = item["batch"]["batch_no"]
        if no in seen:
            del item["anchor"]["witnesses"]
            return
        seen.add(no)
    raise AssertionError("no batch with two key items")


def m_set_index_unknown(b: Bundle) -> None:
    batch, anchor = _record_batch(b)
    _set_batch(b, batch["batch_no"], {**anchor["witnesses"], "set": 1})


def m_bitmap_leading_zero(b: Bundle) -> None:
    batch, anchor = _record_batch(b)
    _set_batch(b, batch["batch_no"], {**anchor["witnesses"], "bitmap": "0" + anchor["witnesses"]["bitmap"]})


def m_unwitnessed_with_signature(b: Bundle) -> None:
    m_unwitnessed(b)
    batch, anchor = _record_batch(b)
    _set_batch(b, batch["batch_no"], {**anchor["witnesses"], "signature": "00" * 96})


def want(verdict: str, check: str | None, code: int) -> dict[str, Any]:
    return {"verdict": verdict, "check": check, "exit": code}


def witness_vectors(base: dict[str, Bundle]) -> dict[str, dict[str, Any]]:
    """name -> vector; ``base`` holds the valid bundles by name (``record-attendance``, ``wage``)."""
    witnessed = {name: copy.deepcopy(base[name]) for name in ("record-attendance", "wage")}
    for b in witnessed.values():
        witness(b)
    out: dict[str, dict[str, Any]] = {}
    valid = want("VALID", None, 0)
    # The recorded chain's registry takes no witness sets: there, witnesses a bundle names were
    # added after anchoring, as a forger would add them, and chain.witnesses fails. Offline the
    # quorum is all the verifier can check.
    forged = want("INVALID", "chain.witnesses", 1)
    bad = want("INVALID", "anchor.witnesses", 1)
    fmt = want("INVALID", "format", 1)
    for name, desc in (("record-attendance", "a gate punch whose batches a quorum of three of "
                        "five witness institutions co-signed"),
                       ("wage", "one worker's October, every batch (the checkpoint's too) "
                        "co-signed by three of five witnesses")):  # fmt: skip
        out[f"valid-witnessed-{name}"] = {
            "desc": desc, "derived": f"valid-{name}.json through witnessed.witness()",
            "want": forged, "want_offline": valid, "bundle": witnessed[name],
        }  # fmt: skip
    src = "record-attendance"
    for name, fn, desc, w in [
        ("witnesses-below-threshold", m_below_threshold,
         "the record's batch signed by two witnesses only (a true aggregate of two), threshold 3",
         bad),
        ("witnesses-index-outside-set", m_index_outside,
         "the bitmap also names witness 5 of a set of five (indices 0 to 4)", bad),
        ("witnesses-other-batch", m_other_batch,
         "the record's batch carries the quorum signature of another batch", bad),
        ("witnesses-other-contract", m_other_contract,
         "the quorum signed the batch for another contract address", bad),
        ("witnesses-other-chain", m_other_chain,
         "the quorum signed the batch for another chain id (31337)", bad),
        ("witnesses-pop-fails", m_pop_fails,
         "witness 1's proof of possession replaced by witness 0's", bad),
        ("witnesses-member-swapped", m_member_swapped,
         "witness 0's key replaced by an outsider's key with its own valid proof", bad),
        ("witnesses-unwitnessed", m_unwitnessed,
         "the record's batch marked as anchored without a quorum (timeout policy), with the "
         "reason: valid, and the check says plainly that no quorum confirmed it", valid),
        ("witnesses-differ-within-batch", m_witnesses_differ,
         "one key item gives its batch without the witnesses the other items of that batch give",
         want("INVALID", "anchor.batches", 1)),
        ("witnesses-set-index-unknown", m_set_index_unknown,
         "the record's anchor names witness set 1; the bundle has one set", fmt),
        ("witnesses-bitmap-leading-zero", m_bitmap_leading_zero,
         "the bitmap written with a leading zero (not its one spelling)", fmt),
        ("witnesses-unwitnessed-with-signature", m_unwitnessed_with_signature,
         "an unwitnessed mark that also carries a signature", fmt),
    ]:  # fmt: skip
        b = copy.deepcopy(witnessed[src])
        fn(b)
        out[name] = {
            "desc": desc,
            "derived": f"valid-witnessed-{src}.json through {fn.__name__}()",
            "want": forged if w is valid else w, "want_offline": w, "bundle": b,
        }  # fmt: skip
    return out


def main() -> int:
    from tests.vectors.bundles.generate import check

    base = {name: json.loads((HERE / f"valid-{name}.json").read_text())["bundle"]
            for name in ("record-attendance", "wage")}  # fmt: skip
    vs = witness_vectors(base)
    chain = json.loads((HERE / "chain.json").read_text())
    problems = check(vs, chain)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    for old in HERE.glob("*witness*.json"):
        old.unlink()
    for name, v in vs.items():
        (HERE / f"{name}.json").write_text(json.dumps(v, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(vs)} witness vectors to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
