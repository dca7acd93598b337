"""Build ``schemas/proof-bundle-v2.json`` (JSON Schema 2020-12).

    .venv/bin/python -m tests.verifier.schema_gen          # rewrite the schema
    .venv/bin/python -m tests.verifier.schema_gen --check  # exit 1 if it would change

``schemas/proof-bundle-v1.json`` was written by this script before version 2 and is frozen (the
version 1 corpus is checked against it).

The bundle's own structure is written out below; the record types are derived from the field
converters of ``ledger.core.records``, so the schema cannot drift from the code that signs and
checks records (``tests/verifier/test_schema.py`` fails if the committed file differs). Rules
that JSON Schema cannot state (gross − deductions = net, the GB 32100 check character, canonical
times, no control characters, no personal data in free text) are named in descriptions and in
``docs/records.md``; the verifier applies them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ledger.core import FORMAT_VERSION
from ledger.core.fields import Bool, Date, Enum, Hex, Int, List, Month, Obj, Str, Time
from ledger.core.records import RECORD_TYPES, CorpCode, Record
from verifier import format as fmt

PATH = Path(__file__).resolve().parents[2] / "schemas" / "proof-bundle-v2.json"
PATH_V1 = PATH.with_name("proof-bundle-v1.json")
VERSIONS = {"enum": [1, 2], "description": "the record's format version (docs/records.md): a "
            "version 2 bundle carries version 1 entries logged before version 2, such as keys"}  # fmt: skip
TIME = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{3}|\.[0-9]{6})?"
        r"(Z|[+-][0-9]{2}:[0-9]{2})$")  # fmt: skip
UTC_TIME = TIME.replace("(Z|[+-][0-9]{2}:[0-9]{2})$", "Z$")


def _anchored(pattern: str) -> str:
    return f"^(?:{pattern})$"


def converter(c: Any) -> dict[str, Any]:
    if isinstance(c, Str):
        s: dict[str, Any] = {"type": "string", "minLength": c.min_len, "maxLength": c.max_len}
        if c.pattern:
            s["pattern"] = _anchored(c.pattern)
        if c.free_text:
            s["description"] = "free text: no control characters, no run of 11+ digits"
        return s
    if isinstance(c, Int):
        return {"type": "integer", "minimum": c.min, "maximum": c.max}
    if isinstance(c, Bool):
        return {"type": "boolean"}
    if isinstance(c, Enum):
        return {"enum": list(c.values)}
    if isinstance(c, Time):
        return {"$ref": "#/$defs/time"}
    if isinstance(c, Date):
        return {"$ref": "#/$defs/date"}
    if isinstance(c, Month):
        return {"$ref": "#/$defs/month"}
    if isinstance(c, Hex):
        return {"type": "string", "pattern": f"^[0-9a-f]{{{2 * c.size}}}$"}
    if isinstance(c, List):
        s = {"type": "array", "items": converter(c.item), "maxItems": c.max_items}
        if c.min_items:
            s["minItems"] = c.min_items
        if c.unique:
            s["uniqueItems"] = True
        return s
    if isinstance(c, Obj):
        return value_schema(c.cls)
    if isinstance(c, CorpCode):
        return {"type": "string", "pattern": "^[0-9A-HJ-NPQRTUWXY]{18}$",
                "description": "统一社会信用代码; the 18th character is the GB 32100-2015 check "
                "character of the first 17"}  # fmt: skip
    raise TypeError(f"no schema for converter {c!r}: extend tests/verifier/schema_gen.py")


def value_schema(cls: Any, head: dict[str, Any] | None = None) -> dict[str, Any]:
    props: dict[str, Any] = dict(head or {})
    required = list(head or {})
    for name, conv, optional in cls._spec():
        props[name] = converter(conv)
        if not optional:
            required.append(name)
    out: dict[str, Any] = {"type": "object", "additionalProperties": False,
                           "required": required, "properties": props}  # fmt: skip
    doc = (cls.__doc__ or "").strip()
    if doc and not doc.startswith(cls.__name__ + "("):
        out["description"] = " ".join(doc.split())
    return out


def record_defs() -> dict[str, Any]:
    defs = {}
    for name, cls in RECORD_TYPES.items():
        assert issubclass(cls, Record)
        since = getattr(cls, "SINCE", 1)
        v = {"const": FORMAT_VERSION} if since == FORMAT_VERSION else VERSIONS
        defs[f"record-{name}"] = value_schema(cls, {"v": v, "type": {"const": name}})
    return defs


def item(entry_record: str = "#/$defs/record") -> dict[str, Any]:
    return {
        "type": "object", "additionalProperties": False,
        "required": ["entry", "leaf_hash", "batch", "inclusion", "anchor"],
        "description": "A proven entry: the entry, its leaf hash, its batch, its RFC 9162 audit "
                       "path and the batch's anchor.",
        "properties": {
            "entry": {"$ref": "#/$defs/entry"},
            "leaf_hash": {"$ref": "#/$defs/hex32",
                          "description": "SHA-256(0x00 ‖ RFC 8785 bytes of entry)"},
            "batch": {"$ref": "#/$defs/batch"},
            "inclusion": {
                "type": "object", "additionalProperties": False, "required": ["index", "path"],
                "properties": {
                    "index": {"$ref": "#/$defs/uint",
                              "description": "entry.seq − batch.first_seq"},
                    "path": {"type": "array", "items": {"$ref": "#/$defs/hex32"},
                             "maxItems": fmt.MAX_PATH,
                             "description": "sibling hashes from the leaf upwards (RFC 9162 "
                                            "§2.1.3)"},
                },
            },
            "anchor": {"$ref": "#/$defs/anchor"},
        },
    }  # fmt: skip


def checkpoint() -> dict[str, Any]:
    time = {"$ref": "#/$defs/time"}
    leaf = {"oneOf": [{"type": "null"}, {
        "type": "object", "additionalProperties": False, "required": ["key_hash", "value_hash"],
        "properties": {"key_hash": {"$ref": "#/$defs/hex32"},
                       "value_hash": {"$ref": "#/$defs/hex32"}}}]}  # fmt: skip
    head = {
        "type": "object", "additionalProperties": False, "required": ["key", "value", "proof"],
        "description": "a head proof in the checkpoint head's heads_root (docs/proof-format.md, "
                       "Head maps); value null claims the key is absent",
        "properties": {
            "key": {"type": "string", "maxLength": 140,
                    "pattern": "^(subject/[A-Za-z0-9][A-Za-z0-9._-]{2,63}|device/[A-Za-z0-9]"
                               "[A-Za-z0-9._-]{0,63}/[A-Za-z0-9][A-Za-z0-9._-]{0,63})$"},
            "value": {"oneOf": [{"type": "null"}, {
                "type": "object", "additionalProperties": False,
                "required": ["counter", "seq", "leaf_hash"],
                "properties": {"counter": {"$ref": "#/$defs/uint"},
                               "seq": {"$ref": "#/$defs/uint"},
                               "leaf_hash": {"$ref": "#/$defs/hex32"}}}]},
            "proof": {"oneOf": [{
                "type": "object", "additionalProperties": False,
                "required": ["v", "depth", "present", "siblings", "leaf"],
                "description": "form 2 (written since proofs had to fit in 2 KB)",
                "properties": {
                    "v": {"const": 2},
                    "depth": {"type": "integer", "minimum": 0, "maximum": fmt.MAX_SIBLINGS},
                    "present": {"type": "string", "pattern": "^([0-9a-f]{2}){0,32}$",
                                "description": "ceil(depth / 8) bytes: bit i (most significant "
                                               "first) set when sibling i is not empty"},
                    "siblings": {"type": "string", "maxLength": 4 * ((32 * fmt.MAX_SIBLINGS + 2) // 3),
                                 "pattern": "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
                                 "description": "base64 (RFC 4648, padded) of the non-empty "
                                                "siblings, root-downward"},
                    "leaf": leaf,
                },
            }, {
                "type": "object", "additionalProperties": False, "required": ["siblings", "leaf"],
                "description": "form 1 (bundles written before form 2; still read)",
                "properties": {
                    "siblings": {"type": "array", "items": {"$ref": "#/$defs/hex32"},
                                 "maxItems": fmt.MAX_SIBLINGS,
                                 "description": "root-downward: siblings[i] at depth i + 1"},
                    "leaf": leaf,
                },
            }]},
        },
    }
    rng = {"type": "object", "additionalProperties": False,
           "required": ["first", "first_time", "last", "last_time"],
           "properties": {"first": {"$ref": "#/$defs/uint"}, "first_time": time,
                          "last": {"$ref": "#/$defs/uint"}, "last_time": time}}
    gate = {
        "type": "object", "additionalProperties": False, "required": ["statement", "sig"],
        "description": "a gate counter statement: Ed25519 by the key `log` over "
                       "\"siteledger/gates/v1\" ‖ 0x00 ‖ RFC 8785 bytes of statement",
        "properties": {
            "statement": {
                "type": "object", "additionalProperties": False,
                "required": ["v", "project", "device", "from", "until", "as_of_batch", "log",
                             "ranges"],
                "properties": {
                    "v": {"const": 2},
                    "project": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"},
                    "device": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"},
                    "from": time, "until": time,
                    "as_of_batch": {"$ref": "#/$defs/uint"},
                    "log": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
                    "ranges": {"type": "array", "items": rng, "maxItems": fmt.MAX_RANGES,
                               "description": "ascending, non-adjacent runs of device_seq"},
                },
            },
            "sig": {"type": "string", "pattern": "^[0-9a-f]{128}$"},
        },
    }
    return {
        "type": "object", "additionalProperties": False,
        "required": ["batch", "anchor", "heads", "gates"],
        "description": "where the dispute bundle's completeness ends (docs/proof-format.md, "
                       "checkpoint)",
        "properties": {
            "batch": {"$ref": "#/$defs/batch"},
            "anchor": {"$ref": "#/$defs/anchor"},
            "heads": {"type": "array", "items": head, "maxItems": fmt.MAX_HEADS},
            "gates": {"type": "array", "items": gate, "maxItems": fmt.MAX_GATES},
        },
    }  # fmt: skip


def schema() -> dict[str, Any]:
    hex32 = {"type": "string", "pattern": "^[0-9a-f]{64}$",
             "description": "32 bytes as 64 lowercase hex digits"}  # fmt: skip
    items = {"type": "array", "items": {"$ref": "#/$defs/item"}}
    common = {
        "format": {"const": fmt.FORMAT},
        "version": {"const": 2},
        "kind": {"enum": list(fmt.KINDS)},
        "issued_at": {"$ref": "#/$defs/utc_time"},
        "operator_key": {"$ref": "#/$defs/hex32",
                         "description": "raw Ed25519 public key of the operator's receipt key"},
        "keys": {**items, "maxItems": fmt.MAX_KEYS,
                 "description": "key registrations (and revocations) from every signer of the "
                                "bundle's entries up to the self-signed genesis key at seq 0"},
        "related": {**items, "maxItems": fmt.MAX_RELATED,
                    "description": "corrections, approvals, acknowledgements and payments naming "
                                   "the record (or the run's entries), and the replacements of "
                                   "amending corrections"},
        "context": {**items, "maxItems": fmt.MAX_CONTEXT,
                    "description": "entries that checks need: the project record (time zone), "
                                   "the enrollment of a disclosure or of a run's contract"},
        "pending": {"type": "array", "maxItems": fmt.MAX_PENDING,
                    "items": {"type": "object", "additionalProperties": False,
                              "required": ["seq", "type", "leaf_hash"],
                              "properties": {"seq": {"$ref": "#/$defs/uint"},
                                             "type": {"enum": sorted(RECORD_TYPES)},
                                             "leaf_hash": {"$ref": "#/$defs/hex32"}}},
                    "description": "entries the bundle would carry but whose batch was not "
                                   "anchored when it was issued (informative, unproven)"},
        "explorer": {"type": "object", "additionalProperties": False, "required": ["tx_url"],
                     "properties": {"tx_url": {"type": "string", "maxLength": 512,
                                               "pattern": "\\{tx\\}"}},
                     "description": "a link template for people (any text holding {tx}; a "
                                    "link only when http(s)), never trusted by checks"},
        "witness_sets": {"type": "array", "minItems": 1, "maxItems": fmt.MAX_WITNESS_SETS,
                         "items": {"$ref": "#/$defs/witness_set"},
                         "description": "optional: the witness sets the anchors' witnesses "
                                        "name by position (each at least once); present "
                                        "exactly when an anchor has witnesses"},
    }  # fmt: skip
    run_props = {
        "subject": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$"},
        "project": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"},
        "run": {**items, "minItems": 1, "maxItems": fmt.MAX_RUN,
                "description": "the worker's entries, contiguous by subject_seq"},
        "checkpoint": {"$ref": "#/$defs/checkpoint"},
    }  # fmt: skip
    names = list(common)

    def kind(name: str, extra: dict[str, Any], required: list[str]) -> dict[str, Any]:
        return {
            "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
            "then": {
                "properties": {**{k: True for k in names}, **extra},
                "required": [k for k in names if k not in ("pending", "explorer", "witness_sets")]
                + required,
                "additionalProperties": False,
            },
        }

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://siteledger.dev/schemas/proof-bundle-v2.json",
        "title": "siteledger proof bundle, format version 2",
        "description": "Generated by tests/verifier/schema_gen.py; specified in "
                       "docs/proof-format.md. Every binary value is lowercase hex; chain values "
                       "use Ethereum's 0x form, lowercase.",
        "type": "object",
        "required": ["format", "version", "kind"],
        "properties": common,
        "allOf": [
            kind("record", {
                "record": {"$ref": "#/$defs/item"},
                "receipt": {"$ref": "#/$defs/receipt"},
                "disclosure": {"$ref": "#/$defs/disclosure"},
            }, ["record", "receipt"]),
            kind("wage", {**run_props, "pay_month": {"$ref": "#/$defs/month"}},
                 ["subject", "project", "pay_month", "run", "checkpoint"]),
            kind("presence", {**run_props, "at": {"$ref": "#/$defs/time"}},
                 ["subject", "project", "at", "run", "checkpoint"]),
        ],
        "$defs": {
            "hex32": hex32,
            "uint": {"type": "integer", "minimum": 0, "maximum": fmt.MAX_INT},
            "time": {"type": "string", "pattern": TIME,
                     "description": "RFC 3339 in canonical form: seconds, optional 3 or 6 "
                                    "fraction digits without trailing 000, Z or ±HH:MM; "
                                    "2000..2199"},
            "utc_time": {"type": "string", "pattern": UTC_TIME,
                         "description": "a time the bundle's builder writes: canonical, in UTC "
                                        "(Z)"},
            "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
            "month": {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"},
            "anchor": {
                "type": "object", "additionalProperties": False,
                "required": ["chain_id", "contract", "tx_hash", "block_number", "block_hash",
                             "block_time"],
                "properties": {
                    "chain_id": {"type": "integer", "minimum": 1, "maximum": fmt.MAX_INT},
                    "contract": {"type": "string", "pattern": "^0x[0-9a-f]{40}$"},
                    "tx_hash": {"type": "string", "pattern": "^0x[0-9a-f]{64}$"},
                    "block_number": {"$ref": "#/$defs/uint"},
                    "block_hash": {"type": "string", "pattern": "^0x[0-9a-f]{64}$"},
                    "block_time": {"$ref": "#/$defs/utc_time"},
                    "registry": {"enum": [1, 2], "description": "AnchorRegistry contract "
                                 "version (docs/contract.md); absent means 1"},
                    "witnesses": {"$ref": "#/$defs/anchor_witnesses"},
                },
            },
            "anchor_witnesses": {
                "description": "optional: the witness quorum the batch was anchored with, or the "
                               "mark that it was anchored without one (docs/proof-format.md, "
                               "Witnesses); `set` is a position in witness_sets",
                "oneOf": [
                    {"type": "object", "additionalProperties": False,
                     "required": ["status", "set", "bitmap", "signature"],
                     "properties": {
                         "status": {"const": "witnessed"},
                         "set": {"type": "integer", "minimum": 0,
                                 "maximum": fmt.MAX_WITNESS_SETS - 1},
                         "bitmap": {"type": "string", "pattern": "^[1-9a-f][0-9a-f]{0,63}$",
                                    "description": "uint256 in lowercase hex without leading "
                                                   "zeros; bit i = member i of the set"},
                         "signature": {"type": "string", "pattern": "^[0-9a-f]{192}$",
                                       "description": "aggregate BLS12-381 signature (G2, "
                                                      "compressed, 96 bytes)"}}},
                    {"type": "object", "additionalProperties": False,
                     "required": ["status", "set", "reason"],
                     "properties": {
                         "status": {"const": "unwitnessed"},
                         "set": {"type": "integer", "minimum": 0,
                                 "maximum": fmt.MAX_WITNESS_SETS - 1},
                         "reason": {"type": "string", "minLength": 1,
                                    "maxLength": fmt.MAX_REASON, "pattern": "\\S"}}},
                ],
            },
            "witness_set": {
                "type": "object", "additionalProperties": False,
                "required": ["threshold", "witnesses"],
                "description": "docs/witnesses.md: threshold 1..n, no public key twice",
                "properties": {
                    "threshold": {"type": "integer", "minimum": 1, "maximum": 256},
                    "witnesses": {
                        "type": "array", "minItems": 1, "maxItems": 256,
                        "items": {"type": "object", "additionalProperties": False,
                                  "required": ["name", "public_key", "pop"],
                                  "properties": {
                                      "name": {"type": "string", "minLength": 1,
                                               "maxLength": 128},
                                      "public_key": {"type": "string",
                                                     "pattern": "^[0-9a-f]{96}$"},
                                      "pop": {"type": "string",
                                              "pattern": "^[0-9a-f]{192}$"}}}},
                },
            },
            "batch": {
                "type": "object", "additionalProperties": False,
                "required": ["v", "batch_no", "first_seq", "size", "root", "heads_root",
                             "sealed_at", "log", "sig"],
                "description": "the operator's signed batch head: Ed25519 by the key `log` over "
                               "\"siteledger/batch-head/v1\" ‖ 0x00 ‖ RFC 8785 bytes of the head "
                               "without sig",
                "properties": {
                    "v": {"const": 2},
                    "batch_no": {"$ref": "#/$defs/uint"},
                    "first_seq": {"$ref": "#/$defs/uint"},
                    "size": {"type": "integer", "minimum": 1, "maximum": fmt.MAX_INT},
                    "root": {"$ref": "#/$defs/hex32"},
                    "heads_root": {"$ref": "#/$defs/hex32"},
                    "sealed_at": {"$ref": "#/$defs/time"},
                    "log": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
                    "sig": {"type": "string", "pattern": "^[0-9a-f]{128}$"},
                },
            },
            "checkpoint": checkpoint(),
            "item": item(),
            "entry": {
                "type": "object", "additionalProperties": False,
                "required": ["v", "seq", "received_at", "record", "sig"],
                "description": "subject_seq is present exactly for records about a worker; "
                               "subject_prev exactly when subject_seq > 0",
                "properties": {
                    "v": VERSIONS,
                    "seq": {"$ref": "#/$defs/uint"},
                    "received_at": {"$ref": "#/$defs/time"},
                    "subject_seq": {"$ref": "#/$defs/uint"},
                    "subject_prev": {"$ref": "#/$defs/hex32"},
                    "record": {"$ref": "#/$defs/record"},
                    "sig": {"type": "string", "pattern": "^[0-9a-f]{128}$",
                            "description": "Ed25519 over \"siteledger/record/v1\" ‖ 0x00 ‖ "
                                           "RFC 8785 bytes of record"},
                },
            },
            "record": {"oneOf": [{"$ref": f"#/$defs/record-{n}"} for n in RECORD_TYPES]},
            **record_defs(),
            "receipt": {
                "type": "object", "additionalProperties": False,
                "required": ["v", "seq", "leaf_hash", "received_at", "log", "sig"],
                "properties": {
                    "v": VERSIONS,
                    "seq": {"$ref": "#/$defs/uint"},
                    "leaf_hash": {"$ref": "#/$defs/hex32"},
                    "received_at": {"$ref": "#/$defs/time"},
                    "log": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
                    "sig": {"type": "string", "pattern": "^[0-9a-f]{128}$",
                            "description": "Ed25519 over \"siteledger/receipt/v1\" ‖ 0x00 ‖ "
                                           "RFC 8785 bytes of the receipt without sig"},
                },
            },
            "disclosure": {
                "type": "object", "additionalProperties": False,
                "required": ["subject", "enrollment_seq", "fields", "salt"],
                "properties": {
                    "subject": {"type": "string"},
                    "enrollment_seq": {"$ref": "#/$defs/uint"},
                    "fields": {"type": "object", "maxProperties": fmt.MAX_FIELDS,
                               "propertyNames": {"pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"},
                               "additionalProperties": {"type": "string", "maxLength": 256}},
                    "salt": {"$ref": "#/$defs/hex32"},
                },
            },
        },
    }  # fmt: skip


def text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    new = text()
    if "--check" in sys.argv:
        return 0 if PATH.exists() and PATH.read_text() == new else 1
    PATH.parent.mkdir(exist_ok=True)
    PATH.write_text(new)
    print(f"wrote {PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
