"""Generate the head-map and signed-batch-head vectors in this directory.

    .venv/bin/python -m tests.vectors.heads.generate   # rewrite *.json

How the vectors were derived
----------------------------
* Every map is a dict of key strings to values ``{"counter", "seq", "leaf_hash"}`` whose
  ``leaf_hash`` is SHA-256 of the ASCII text ``leaf:<key>`` (a stand-in: the map never looks at
  what a leaf hash hashes). Roots and proofs come from ``ledger.core.heads`` and are checked
  against the naive reference ``tests/core/reference_heads.py`` before anything is written.
* The "long prefix" keys were found by search: ``subject/w-prefix-<n>`` for n = 0, 1, 2, … until
  two key hashes share at least 20 leading bits (the generator repeats the search, so the numbers
  in the files are what it found).
* Each broken sibling changes one thing in a valid vector (named in ``derived``).
* The batch head vectors are signed with the test key whose Ed25519 seed is bytes 0, 1, …, 31
  (``public_key`` in the file); never use it for anything else.

Each file: ``desc``; ``derived``; ``want_err`` (null: the proof or signature must verify;
``"ProofError"``, ``"EncodingError"`` or ``"SignatureError"``: decoding or verification must fail,
with that error in the reference implementation). Head-map files carry ``map`` (a list of
``{"key", "value"}``, for recomputing the root; absent in broken siblings whose root is not the
map's), ``root``, ``key``, ``value`` (null: the proof claims the key is absent) and ``proof``.
Batch-head files carry ``public_key`` and ``head``. Never edit the JSON files by hand.
"""

from __future__ import annotations

import base64
import copy
import json
import sys
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path
from typing import Any

from ledger.core import heads
from ledger.core.errors import LedgerError
from ledger.core.heads import BatchHead, HeadProof, HeadValue
from ledger.core.keys import SigningKey
from tests.core import reference_heads as ref

HERE = Path(__file__).parent
Vector = dict[str, Any]


def _value(key: str, counter: int, seq: int) -> HeadValue:
    return HeadValue(counter, seq, sha256(f"leaf:{key}".encode()).digest())


def _site_map() -> dict[str, HeadValue]:
    """Twelve workers and three gates of one project, as after a morning of punches."""
    out = {heads.subject_key(f"W-{i:06d}"): _value(heads.subject_key(f"W-{i:06d}"), 3 + i, 100 + 7 * i)
           for i in range(12)}  # fmt: skip
    for n, top in ((1, 18231), (2, 905), (3, 40)):
        k = heads.device_key("P440300-2026-001", f"GATE-SZ-{n:04d}")
        out[k] = _value(k, top, 180 + n)
    return out


def _long_prefix_keys(bits: int = 20) -> tuple[str, str, int]:
    seen: dict[int, str] = {}
    n = 0
    while True:
        k = heads.subject_key(f"w-prefix-{n}")
        p = int.from_bytes(heads.key_hash(k), "big") >> (256 - bits)
        if p in seen:
            a = seen[p]
            return a, k, heads.common_prefix_bits(heads.key_hash(a), heads.key_hash(k))
        seen[p] = k
        n += 1


def _vector(desc: str, derived: str, values: dict[str, HeadValue], key: str,
            want_err: str | None = None) -> Vector:  # fmt: skip
    root = heads.root(values)
    proof = heads.prove(values, key)
    ref_map = {heads.key_hash(k): v.value_hash() for k, v in values.items()}
    assert root == ref.subtree(ref_map, "")
    assert list(proof.siblings) == ref.proof(ref_map, heads.key_hash(key))[0]
    value = values.get(key)
    return {
        "desc": desc,
        "derived": derived,
        "want_err": want_err,
        "map": [{"key": k, "value": v.to_json()} for k, v in sorted(values.items())],
        "root": root.hex(),
        "key": key,
        "value": None if value is None else value.to_json(),
        "proof": proof.to_json_v1(),
    }


def _broken(base: Vector, desc: str, derived: str, want_err: str, **changes: Any) -> Vector:
    v = copy.deepcopy(base)
    v.update(desc=desc, derived=derived, want_err=want_err, **changes)
    if "root" in changes:
        del v["map"]
    return v


def _flip_hex(h: str, i: int = 0) -> str:
    return h[:i] + "0123456789abcdef"[int(h[i], 16) ^ 1] + h[i + 1 :]


def head_map_vectors() -> dict[str, Vector]:
    out: dict[str, Vector] = {}
    site = _site_map()
    gate = heads.device_key("P440300-2026-001", "GATE-SZ-0001")
    worker = heads.subject_key("W-000004")
    out["empty-map"] = _vector("the empty map: root is 32 zero bytes, every key is absent",
                               "{} and key subject/W-000001", {}, heads.subject_key("W-000001"))  # fmt: skip
    one = {worker: site[worker]}
    out["one-key-present"] = _vector(
        "a map of one key: the root is that key's leaf node, the proof has no siblings",
        "{subject/W-000004}", one, worker)  # fmt: skip
    out["one-key-absent"] = _vector(
        "a map of one key, another key absent: the one leaf ends every path at depth 0",
        "{subject/W-000004}, key subject/W-000005", one, heads.subject_key("W-000005"))  # fmt: skip
    out["present-worker"] = _vector(
        "a worker's head in a site's map of 15 keys", "_site_map(), key subject/W-000004",
        site, worker)  # fmt: skip
    out["present-gate"] = _vector(
        "a gate's head (its highest device_seq) in the same map",
        "_site_map(), key device/P440300-2026-001/GATE-SZ-0001", site, gate)  # fmt: skip
    empty_branch = other_leaf = None
    n = 0
    while empty_branch is None or other_leaf is None:
        k = heads.subject_key(f"W-{900000 + n:06d}")
        p = heads.prove(site, k)
        if p.leaf is None and p.siblings and empty_branch is None:
            empty_branch = k
        if p.leaf is not None and p.siblings and other_leaf is None:
            other_leaf = k
        n += 1
    out["absent-empty-branch"] = _vector(
        "an absent worker whose path ends in an empty subtree (leaf null)",
        f"_site_map(), key {empty_branch} (first W-9xxxxx found with a null leaf)", site,
        empty_branch)  # fmt: skip
    out["absent-other-leaf"] = _vector(
        "an absent worker whose path ends at another key's leaf sharing the path",
        f"_site_map(), key {other_leaf} (first W-9xxxxx found ending at another leaf)", site,
        other_leaf)  # fmt: skip
    a, b, shared = _long_prefix_keys()
    near = {**site, a: _value(a, 1, 500), b: _value(b, 2, 501)}
    out["long-prefix-neighbour"] = _vector(
        f"two keys whose hashes share their first {shared} bits: the proof runs {shared + 1} "
        "levels deep, through empty siblings written as 64 zeros",
        f"_site_map() + {a} + {b} (found by search, see generate.py)", near, b)  # fmt: skip
    c = heads.subject_key("w-prefix-absent")
    out["long-prefix-absent"] = _vector(
        "an absent key in the map with the long-prefix neighbours", f"same map, key {c}", near, c)

    # broken siblings
    base = out["present-worker"]
    sib = base["proof"]["siblings"]
    flipped = [_flip_hex(sib[1]) if i == 1 else s for i, s in enumerate(sib)]
    out["present-worker-sibling-flipped"] = _broken(
        base, "one hex digit of the second sibling changed", "present-worker, siblings[1]",
        "ProofError", proof={**base["proof"], "siblings": flipped})  # fmt: skip
    out["present-worker-sibling-dropped"] = _broken(
        base, "the last sibling removed", "present-worker, siblings[:-1]", "ProofError",
        proof={**base["proof"], "siblings": sib[:-1]})  # fmt: skip
    out["present-worker-sibling-added"] = _broken(
        base, "a zero sibling appended", "present-worker, siblings + [zero]", "ProofError",
        proof={**base["proof"], "siblings": [*sib, "00" * 32]})  # fmt: skip
    gate_vec = out["present-gate"]
    out["proof-for-another-key"] = _broken(
        base, "the gate's (valid) proof presented for the worker with the worker's value",
        "present-worker with present-gate's proof", "ProofError", proof=gate_vec["proof"])  # fmt: skip
    out["non-membership-for-present-key"] = _broken(
        base, "the worker claimed absent with its own proof", "present-worker, value null",
        "ProofError", value=None)  # fmt: skip
    absent_vec = out["absent-empty-branch"]
    out["non-membership-proof-of-a-neighbour"] = _broken(
        base, "the worker claimed absent with another (absent) key's valid proof",
        "present-worker, value null, absent-empty-branch's proof", "ProofError", value=None,
        proof=absent_vec["proof"])  # fmt: skip
    v = dict(base["value"])
    v["counter"] += 1
    out["wrong-value"] = _broken(base, "the worker's counter raised by one",
                                 "present-worker, value.counter + 1", "ProofError", value=v)  # fmt: skip
    v = dict(base["value"])
    v["seq"] -= 1
    out["wrong-value-seq"] = _broken(base, "the worker's log seq lowered by one",
                                     "present-worker, value.seq − 1", "ProofError", value=v)  # fmt: skip
    older = {**site, worker: _value(worker, site[worker].counter - 1, site[worker].seq - 7)}
    out["other-batch-root"] = _broken(
        base, "the proof checked against the root of an earlier batch (the worker one entry "
        "behind)", "present-worker, root of _site_map() with W-000004 at counter − 1",
        "ProofError", root=heads.root(older).hex())  # fmt: skip
    out["depth-too-long"] = _broken(
        absent_vec, "257 siblings: deeper than a key hash has bits",
        "absent-empty-branch, siblings padded with zeros to 257", "EncodingError",
        proof={"siblings": ["00" * 32] * 257, "leaf": None})  # fmt: skip
    out["leaf-uppercase-hex"] = _broken(
        base, "the leaf's key hash in uppercase hex", "present-worker, leaf.key_hash.upper()",
        "EncodingError",
        proof={**base["proof"], "leaf": {**base["proof"]["leaf"],
                                         "key_hash": base["proof"]["leaf"]["key_hash"].upper()}})  # fmt: skip
    other = out["absent-other-leaf"]
    far = next(k for k in sorted(site) if heads.common_prefix_bits(
        heads.key_hash(k), heads.key_hash(other["key"])) < len(other["proof"]["siblings"]))  # fmt: skip
    out["absent-leaf-off-path"] = _broken(
        other, "non-membership shown with a leaf that does not share the key's path",
        f"absent-other-leaf with leaf = {far}", "ProofError",
        proof={**other["proof"], "leaf": {"key_hash": heads.key_hash(far).hex(),
                                          "value_hash": site[far].value_hash().hex()}})  # fmt: skip
    out.update(form2_vectors(out))
    return out


def _form2(v: Vector) -> dict[str, Any]:
    return HeadProof.from_json(v["proof"]).to_json()


def form2_vectors(form1: dict[str, Vector]) -> dict[str, Vector]:
    """Proof form 2 (the form bundles carry since proofs had to fit in 2 KB): the valid proofs
    again, and what a form 2 decoder must refuse."""
    out: dict[str, Vector] = {}
    for name in ("empty-map", "one-key-present", "present-worker", "absent-empty-branch",
                 "absent-other-leaf", "long-prefix-neighbour", "long-prefix-absent"):  # fmt: skip
        v = copy.deepcopy(form1[name])
        v.update(desc=f"{v['desc']} (proof form 2)", derived=f"{name}, proof in form 2",
                 proof=_form2(v))  # fmt: skip
        out[f"form2-{name}"] = v
    base = out["form2-long-prefix-neighbour"]  # has empty siblings (0 bits of present)
    p = base["proof"]
    raw = base64.b64decode(p["siblings"])

    def broken(name: str, desc: str, err: str, **proof: Any) -> None:
        out[f"form2-{name}"] = _broken(base, f"proof form 2: {desc}",
                                       f"form2-long-prefix-neighbour, {name}", err,
                                       proof={**p, **proof})  # fmt: skip

    flipped = raw[:40] + bytes([raw[40] ^ 1]) + raw[41:]
    broken("sibling-flipped", "one bit of the second listed sibling changed", "ProofError",
           siblings=base64.b64encode(flipped).decode())
    first_zero = next(i for i in range(p["depth"])
                      if not int(p["present"], 16) >> (4 * len(p["present"]) - 1 - i) & 1)  # fmt: skip
    bits = int(p["present"], 16) | 1 << (4 * len(p["present"]) - 1 - first_zero)
    broken("empty-sibling-listed", f"sibling {first_zero} (empty) marked present and listed as "
           "32 zero bytes: an empty sibling is a 0 bit, never listed", "EncodingError",
           present=f"{bits:0{len(p['present'])}x}",
           siblings=base64.b64encode(raw[: 32 * _ones_before(p, first_zero)] + bytes(32)
                                     + raw[32 * _ones_before(p, first_zero) :]).decode())  # fmt: skip
    broken("present-bit-beyond-depth", "a bit of present set beyond the depth", "EncodingError",
           present=f"{int(p['present'], 16) | 1:0{len(p['present'])}x}")
    broken("present-too-short", "present one byte shorter than depth / 8 rounded up",
           "EncodingError", present=p["present"][:-2])
    broken("siblings-count", "the listed siblings one short of the bits set", "EncodingError",
           siblings=base64.b64encode(raw[:-32]).decode())
    assert p["siblings"].endswith("="), "pick a base vector whose siblings' base64 is padded"
    broken("base64-unpadded", "the siblings' base64 without its padding", "EncodingError",
           siblings=p["siblings"].rstrip("="))
    text = p["siblings"].rstrip("=")
    spare = text[-1]  # its low bits are unused (padding): set one, the bytes stay the same
    other = B64[B64.index(spare) | 1] if B64.index(spare) % 2 == 0 else B64[B64.index(spare) & ~1]
    assert base64.b64decode(text[:-1] + other + "=" * (len(p["siblings"]) - len(text))) == raw
    broken("base64-not-canonical", "an unused bit of the base64 padding set (same bytes, "
           "another spelling)", "EncodingError",
           siblings=text[:-1] + other + "=" * (len(p["siblings"]) - len(text)))  # fmt: skip
    broken("base64-url-alphabet", "the siblings in the URL-safe alphabet (- and _)",
           "EncodingError", siblings=p["siblings"].replace("+", "-").replace("/", "_")
           if ("+" in p["siblings"] or "/" in p["siblings"]) else "-" + p["siblings"][1:])  # fmt: skip
    broken("depth-257", "depth 257", "EncodingError", depth=257)
    broken("form-3", "v 3: an unknown proof form", "EncodingError", v=3)
    broken("unknown-member", "an extra member", "EncodingError", extra=None)
    return out


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _ones_before(p: dict[str, Any], i: int) -> int:
    """How many siblings before depth ``i`` are listed (bits set in present)."""
    bits = int(p["present"], 16)
    n = 4 * len(p["present"])
    return sum(bits >> (n - 1 - j) & 1 for j in range(i))


def batch_head_vectors() -> dict[str, Vector]:
    key = SigningKey(bytes(range(32)))
    head = BatchHead(41, 2050, 50, sha256(b"batch root").digest(), heads.root(_site_map()),
                     datetime(2026, 3, 12, 0, 0, 5, 250000, tzinfo=UTC), key.key_id).sign(key)  # fmt: skip
    base: Vector = {
        "desc": "a signed batch head",
        "derived": "BatchHead(41, 2050, 50, SHA-256('batch root'), root of _site_map(), …)",
        "want_err": None,
        "public_key": key.verify_key.public.hex(),
        "signed_bytes_hex": head.signed_bytes().hex(),
        "head": head.to_json(),
    }
    out = {"batch-head": base}
    for name, change, err in [
        ("size-changed", {"size": 51}, "SignatureError"),
        ("first-seq-changed", {"first_seq": 2049}, "SignatureError"),
        ("heads-root-changed", {"heads_root": _flip_hex(base["head"]["heads_root"])},
         "SignatureError"),
        ("sealed-at-changed", {"sealed_at": "2026-03-12T00:00:06.250Z"}, "SignatureError"),
        ("sig-flipped", {"sig": _flip_hex(base["head"]["sig"], 5)}, "SignatureError"),
        ("version-1", {"v": 1}, "EncodingError"),
        ("unknown-member", {"anchor": None}, "EncodingError"),
    ]:  # fmt: skip
        v = copy.deepcopy(base)
        v.update(desc=f"signed batch head, {name.replace('-', ' ')}",
                 derived=f"batch-head, {change}", want_err=err)  # fmt: skip
        del v["signed_bytes_hex"]
        v["head"].update(change)
        out[f"batch-head-{name}"] = v
    return out


def check(v: Vector) -> str | None:
    """Run a vector through the reference implementation; returns the error class name."""
    from ledger.core.keys import VerifyKey

    try:
        if "head" in v:
            BatchHead.from_json(v["head"]).verify(VerifyKey(bytes.fromhex(v["public_key"])))
        else:
            if "map" in v:
                values = {e["key"]: HeadValue.from_json(e["value"]) for e in v["map"]}
                assert heads.root(values).hex() == v["root"], v["desc"]
            value = None if v["value"] is None else HeadValue.from_json(v["value"])
            heads.verify_head_proof(bytes.fromhex(v["root"]), v["key"], value,
                                    HeadProof.from_json(v["proof"]))  # fmt: skip
    except LedgerError as exc:
        for cls in type(exc).__mro__:
            if cls.__name__ in ("ProofError", "EncodingError", "SignatureError"):
                return cls.__name__
        return type(exc).__name__
    return None


def main() -> None:
    vectors = {**head_map_vectors(), **batch_head_vectors()}
    for name, v in vectors.items():
        got = check(v)
        if got != v["want_err"]:
            sys.exit(f"{name}: reference gives {got}, vector wants {v['want_err']}")
    for old in HERE.glob("*.json"):
        old.unlink()
    for name, v in vectors.items():
        (HERE / f"{name}.json").write_text(json.dumps(v, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
