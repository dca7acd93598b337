"""Generate the record known-answer vectors in ``v1/`` and ``v2/`` under this directory.

    .venv/bin/python -m tests.vectors.records.generate          # rewrite the *.json files
    .venv/bin/python -m tests.vectors.records.generate --check  # exit 1 if a file would change

``v1/`` holds the format version 1 vectors, kept unchanged so that every decoder keeps accepting
version 1 records (proofs anchored before version 2 must still verify). ``v2/`` holds the
current format: the same story with the version 2 members (the approval's ``subject``, the
project's ``sync_allowance_days``) and a ``publication`` of the month that the worker's ``ack``
confirms.

How the vectors were derived
----------------------------
* One realistic record of every type the version has (``ledger.core.records.RECORD_TYPES``,
  less ``publication`` in version 1), all about the same (made-up) project, subcontractor and
  worker, written below as plain JSON objects.
* Every record is signed with the Ed25519 key whose 32-byte seed is the secret key of TEST 1 of
  RFC 8032 §7.1 (``9d61b1…7f60``), a published test key that must never sign anything real.
  Ed25519 is deterministic, so the signatures never change.
* ``canonical`` is ``ledger.core.canonical.canonical_bytes`` (RFC 8785) of the record object, as
  UTF-8 text. ``sig`` is the signature over ``"siteledger/record/v1" ‖ 0x00 ‖ canonical``.
* ``entry`` places the records in one log in the order a real project produces them
  (key, project, org, then the worker's training, enrollment, punch, a void of that punch and
  its approval, wage line, in version 2 the publication of the month, payment,
  acknowledgement and exit) with ``seq`` 1..12 (1..13 in version 2), ``received_at``
  a few seconds after the record's time (UTC), and the worker's chain: ``subject_seq`` 0..7 and
  ``subject_prev`` the leaf hash of the worker's previous entry. ``leaf_hash`` is
  SHA-256(0x00 ‖ RFC 8785 bytes of ``entry``). Later records point at earlier ones by these
  leaf hashes (the correction's and the ack's ``target``, the payment's and the publication's
  ``wage``). In version 2 the approval names the worker (``subject``) and so joins the worker's
  chain, and the ack confirms the publication. Version 2 vectors also carry the ``receipt`` of
  their entry, signed by the same test key as the log's receipt key (``log``), under
  ``"siteledger/receipt/v1"``.
* The commitments use fixed salts (SHA-256 of a label) instead of random ones, so that they are
  reproducible; the plaintext committed to is test data (the identity is the well-known sample
  ID number 11010519491231002X, not a real person's).
* Broken siblings (``<type>-<what>.json``) change one thing in a happy vector; ``want_err`` names
  the field path of the expected ``EncodingError``/``ValidationError`` (``ValidationError`` is a
  subclass), or ``"sig"`` when the record decodes but its signature must not verify.

Any change to the bytes these vectors pin needs a new FORMAT_VERSION (see ledger/core/__init__.py
and docs/records.md). Never edit the JSON files by hand.
"""

from __future__ import annotations

import copy
import json
import sys
from datetime import UTC, timedelta
from hashlib import sha256
from pathlib import Path
from typing import Any

from ledger.core.commitment import BANK_SERIAL_TAG, IDENTITY_TAG, commit
from ledger.core.entry import Entry, Receipt, SignedRecord
from ledger.core.keys import SigningKey
from ledger.core.records import record_from_json
from ledger.core.times import parse_time

HERE = Path(__file__).resolve().parent

TEST_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
"""RFC 8032 §7.1 TEST 1 secret key. Public key d75a9801…511a."""
DEVICE_PUBLIC_KEY = bytes.fromhex(
    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
)
"""RFC 8032 §7.1 TEST 2 public key: the gate device key that the key vector registers."""

KEY = SigningKey(TEST_SEED)
SIGNER = KEY.key_id

PROJECT = "P440300-2026-001"
GENERAL_CONTRACTOR = "914403001922038216"
SUBCONTRACTOR = "91440300708461136T"
WORKER = "W-000123"


def _salt(label: str) -> bytes:
    return sha256(label.encode()).digest()


IDENTITY = {"id_card_type": "01", "id_card_number": "11010519491231002X", "name": "张三"}
IDENTITY_SALT = _salt("siteledger test identity salt")
BANK_SERIAL = {"bank_serial": "2026041500012345"}
BANK_SERIAL_SALT = _salt("siteledger test bank serial salt")


def _records(leaf: dict[str, str], version: int) -> list[tuple[str, dict[str, Any]]]:
    """The happy records of ``version`` in log order; ``leaf`` maps a type to its entry's leaf
    hash so far."""

    def _header(kind: str, rid: str, time: str) -> dict[str, Any]:
        return {"v": version, "type": kind, "id": rid, "signer": SIGNER, "time": time}

    out = [
        ("key", {
            **_header("key", "key-gate-sz-0001", "2026-03-01T08:30:00+08:00"),
            "action": "register",
            "public_key": DEVICE_PUBLIC_KEY.hex(),
            "holder": "GATE-SZ-0001",
            "roles": ["device"],
            "projects": [PROJECT],
            "valid_from": "2026-03-01T00:00:00+08:00",
            "valid_until": "2028-01-01T00:00:00+08:00",
        }),
        ("project", {
            **_header("project", "project-" + PROJECT, "2026-03-01T09:00:00+08:00"),
            "project": PROJECT,
            "name": "深圳湾科技园二期 主体工程",
            "tz_offset": "+08:00",
            "general_contractor": GENERAL_CONTRACTOR,
            "start_date": "2026-03-01",
            "end_date": "2027-12-31",
            **({"sync_allowance_days": 10} if version >= 2 else {}),
        }),
        ("org", {
            **_header("org", "org-" + SUBCONTRACTOR, "2026-03-01T09:10:00+08:00"),
            "project": PROJECT,
            "corp_code": SUBCONTRACTOR,
            "corp_name": "深圳市示例劳务有限公司",
            "corp_type": "006",
            "teams": [{"team": "T01", "name": "钢筋一班"}, {"team": "T02", "name": "木工班"}],
        }),
        ("training", {
            **_header("training", "training-SAFE-L2-W-000123", "2026-03-04T16:00:00+08:00"),
            "project": PROJECT,
            "subject": WORKER,
            "course": "SAFE-L2",
            "course_name": "三级安全教育（项目级）",
            "date": "2026-03-04",
            "minutes": 240,
            "passed": True,
        }),
        ("enrollment", {
            **_header("enrollment", "enroll-W-000123", "2026-03-05T07:40:00+08:00"),
            "project": PROJECT,
            "subject": WORKER,
            "corp_code": SUBCONTRACTOR,
            "team": "T01",
            "work_type": "020",
            "work_role": "20",
            "team_leader": False,
            "date": "2026-03-05",
            "contract": {
                "period_type": "fixed_term",
                "start_date": "2026-03-05",
                "end_date": "2026-12-31",
                "unit": "day",
                "unit_price": 35000,
            },
            "identity_commitment": commit(IDENTITY_TAG, IDENTITY, IDENTITY_SALT).hex(),
            "insured": True,
        }),
        ("attendance", {
            **_header("attendance", "GATE-SZ-0001:18231", "2026-03-12T07:58:03.250+08:00"),
            "project": PROJECT,
            "subject": WORKER,
            "device": "GATE-SZ-0001",
            "device_seq": 18231,
            "direction": "in",
            "verify_mode": "face",
            "source": "realtime",
            "match_score": 93,
            "photo_digest": sha256(b"siteledger test capture photo").hexdigest(),
            "location": {"lat_e6": 22543100, "lng_e6": 113943600},
        }),
        ("correction", {
            **_header("correction", "corr-2026-0007", "2026-03-12T10:00:00+08:00"),
            "project": PROJECT,
            "action": "void",
            "reason": "同一闸机3秒内重复打卡，作废重复记录",
            "subject": WORKER,
            "target": leaf["attendance"],
        }),
        ("approval", {
            **_header("approval", "appr-corr-2026-0007", "2026-03-12T15:30:00+08:00"),
            "project": PROJECT,
            "target": leaf["correction"],
            "decision": "approve",
            "comment": "同意作废",
            **({"subject": WORKER} if version >= 2 else {}),
        }),
        ("wage", {
            **_header("wage", "payroll-2026-03-W-000123", "2026-04-10T17:00:00+08:00"),
            "project": PROJECT,
            "subject": WORKER,
            "corp_code": SUBCONTRACTOR,
            "pay_month": "2026-03",
            "days": 22,
            "work_minutes": 10560,
            "gross": 770000,
            "deductions": [
                {"code": "social_insurance", "amount": 45600},
                {"code": "meals", "amount": 30000, "note": "三月伙食费"},
            ],
            "net": 694400,
            "pay_date": "2026-04-15",
            "back_pay": False,
        }),
        ("publication", {
            **_header("publication", "pub-2026-03-W-000123", "2026-04-10T18:00:00+08:00"),
            "project": PROJECT,
            "subject": WORKER,
            "corp_code": SUBCONTRACTOR,
            "pay_month": "2026-03",
            "days": 22,
            "work_minutes": 10560,
            "wage": leaf["wage"],
            "objection_days": 7,
        }),
        ("payment", {
            **_header("payment", "pay-2026-03-W-000123", "2026-04-15T11:20:00+08:00"),
            "project": PROJECT,
            "subject": WORKER,
            "corp_code": SUBCONTRACTOR,
            "pay_month": "2026-03",
            "amount": 694400,
            "date": "2026-04-15",
            "status": "paid",
            "bank_serial_commitment": commit(BANK_SERIAL_TAG, BANK_SERIAL, BANK_SERIAL_SALT).hex(),
            "wage": leaf["wage"],
        }),
        ("ack", {
            **_header("ack", "ack-payroll-2026-03-W-000123", "2026-04-16T20:05:00+08:00"),
            "project": PROJECT,
            "subject": WORKER,
            "target": leaf["publication" if version >= 2 else "wage"],
            "decision": "confirm",
        }),
        ("exit", {
            **_header("exit", "exit-W-000123", "2026-12-31T17:30:00+08:00"),
            "project": PROJECT,
            "subject": WORKER,
            "corp_code": SUBCONTRACTOR,
            "date": "2026-12-31",
            "reason": "合同期满",
        }),
    ]  # fmt: skip
    return [(kind, obj) for kind, obj in out if version >= 2 or kind != "publication"]


_DESC = {
    "key": "an admin registers a gate device key for one project (device role)",
    "project": "a project with its general contractor and time zone",
    "org": "a labour subcontractor (corp type 006) with two teams",
    "training": "the worker's project-level safety training, before entry",
    "enrollment": "the worker enters the project with a fixed-term contract paid by the day",
    "attendance": "a face punch IN at a gate with match score, photo digest and location",
    "correction": "voids a duplicate punch (targets the attendance vector's leaf hash)",
    "approval": "the supervisor approves the correction (targets its leaf hash)",
    "wage": "the March payroll line: 22 days, gross 7700.00 yuan, two deductions, net 6944.00",
    "payment": "the transfer of the March net wage (points at the wage vector's leaf hash)",
    "ack": "the worker confirms the March wage line with the worker's own key",
    "exit": "the worker leaves the project when the contract ends",
}
_DESC_V2 = {
    **_DESC,
    "project": "a project with its general contractor, time zone and a 10-day sync allowance",
    "approval": "the supervisor approves the correction of the worker's punch (names the worker, "
                "so it joins the worker's chain)",
    "publication": "the March month published to the worker (22 days, 176 h, the wage line) "
                   "with a 7-day objection window",
    "ack": "the worker confirms the publication of March with the worker's own key",
}  # fmt: skip


def _happy(version: int) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    leaf: dict[str, str] = {}
    prev: str | None = None
    subject_seq = 0
    count = len(_records(_LeafView(), version))
    for seq in range(1, count + 1):
        kind, obj = _records(_LeafView(leaf), version)[seq - 1]
        record = record_from_json(obj)
        signed = SignedRecord.sign(record, KEY)
        received = parse_time(obj["time"]).astimezone(UTC) + timedelta(seconds=2)
        entry_args: dict[str, Any] = {}
        if record.subject_id is not None:
            entry_args = {
                "subject_seq": subject_seq,
                "subject_prev": bytes.fromhex(prev) if prev else None,
            }
        entry = Entry(seq, received, signed, **entry_args)
        leaf[kind] = entry.leaf_hash().hex()
        if record.subject_id is not None:
            prev = leaf[kind]
            subject_seq += 1
        out[kind] = {
            "desc": (_DESC_V2 if version >= 2 else _DESC)[kind],
            "record": obj,
            "canonical": record.canonical().decode("utf-8"),
            "signing_key_seed": TEST_SEED.hex(),
            "sig": signed.sig.hex(),
            "entry": entry.to_json(),
            "leaf_hash": leaf[kind],
            **({"receipt": Receipt.issue(entry, entry.leaf_hash(), KEY).to_json()}
               if version >= 2 else {}),
            "want_err": False,
        }
    return out


class _LeafView(dict[str, str]):
    """Leaf hashes known so far; a placeholder for the ones not yet computed (never kept)."""

    def __missing__(self, key: str) -> str:
        return "00" * 32


def _broken(happy: dict[str, dict[str, Any]], version: int) -> dict[str, dict[str, Any]]:
    def sibling(kind: str, desc: str, want: str, change: Any) -> dict[str, Any]:
        v = copy.deepcopy(happy[kind])
        change(v)
        for name in ("canonical", "leaf_hash", "receipt"):
            v.pop(name, None)
        return {"desc": desc, **{k: x for k, x in v.items() if k != "desc"}, "want_err": want}

    def rec(**changes: Any) -> Any:
        def apply(v: dict[str, Any]) -> None:
            v["record"].update(changes)
            v["entry"]["record"] = v["record"]

        return apply

    def flip_sig_bit(v: dict[str, Any]) -> None:
        sig = bytearray.fromhex(v["sig"])
        sig[40] ^= 0x04  # a bit of S
        v["sig"] = v["entry"]["sig"] = sig.hex()

    def deduction_negative(v: dict[str, Any]) -> None:
        v["record"]["deductions"][0]["amount"] = -45600
        v["record"]["net"] = 785600

    def contract_backwards(v: dict[str, Any]) -> None:
        v["record"]["contract"]["end_date"] = "2026-03-04"

    def prev_without_subject(v: dict[str, Any]) -> None:
        v["entry"]["subject_prev"] = happy["key"]["leaf_hash"]

    def missing_subject_seq(v: dict[str, Any]) -> None:
        del v["entry"]["subject_seq"]

    return {
        "wage-net-off-by-one": sibling(
            "wage", "net is one fen more than gross minus deductions", "net",
            rec(net=694401)),
        "wage-negative-deduction": sibling(
            "wage", "a negative deduction balancing a larger net", "deductions[0].amount",
            deduction_negative),
        "wage-float-gross": sibling(
            "wage", "gross as a float (7700.00 yuan would be 770000 fen)", "gross",
            rec(gross=7700.0)),
        "enrollment-contract-ends-before-start": sibling(
            "enrollment", "the contract ends before it starts", "contract.end_date",
            contract_backwards),
        "org-corp-code-check-character": sibling(
            "org", "the corp code's GB 32100 check character is wrong", "corp_code",
            rec(corp_code=SUBCONTRACTOR[:17] + "U")),
        "exit-reason-holds-phone-number": sibling(
            "exit", "personal data (a mobile number) in free text", "reason",
            rec(reason="联系电话 138 0013 8000")),
        "key-revoke-with-roles": sibling(
            "key", "a revocation that also names roles", "action",
            _revoke_with_roles),
        "attendance-unknown-field": sibling(
            "attendance", "a field the format does not define", "temperature",
            rec(temperature=365)),
        "project-version-3": sibling("project", "format version 3 is unknown", "v", rec(v=3)),
        "approval-version-true": sibling(
            "approval", "v is true, which Python compares equal to 1", "v", rec(v=True)),
        "training-unknown-type": sibling(
            "training", "an unknown record type", "type", rec(type="course")),
        "attendance-sig-bit-flipped": sibling(
            "attendance", "one bit of the signature flipped", "sig", flip_sig_bit),
        "attendance-direction-changed-after-signing": sibling(
            "attendance", "direction changed from in to out, signature kept", "sig",
            rec(direction="out")),
        "project-entry-subject-prev": sibling(
            "project", "an entry not about a worker carries subject_prev",
            "entry.subject_prev", prev_without_subject),
        "ack-entry-missing-subject-seq": sibling(
            "ack", "an entry about a worker without subject_seq", "entry.subject_seq",
            missing_subject_seq),
        **(_broken_v2(sibling, rec, happy) if version >= 2 else {}),
    }  # fmt: skip


def _broken_v2(sibling: Any, rec: Any, happy: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Siblings of the version 2 members and rules."""

    def entry_v1(v: dict[str, Any]) -> None:
        v["entry"]["v"] = 1

    def entry_and_record_v1(v: dict[str, Any]) -> None:
        v["record"]["v"] = 1
        v["entry"]["record"] = v["record"]
        v["entry"]["v"] = 1

    return {
        "publication-objection-days-zero": sibling(
            "publication", "an objection window of 0 days", "objection_days",
            rec(objection_days=0)),
        "publication-objection-days-negative": sibling(
            "publication", "a negative objection window", "objection_days",
            rec(objection_days=-7)),
        "publication-objection-days-61": sibling(
            "publication", "an objection window longer than 60 days", "objection_days",
            rec(objection_days=61)),
        "publication-without-wage": sibling(
            "publication", "a publication that names no wage line", "wage",
            lambda v: (v["record"].pop("wage"), v["entry"].update(record=v["record"]))),
        "publication-minutes-exceed-days": sibling(
            "publication", "more minutes than the days can hold", "work_minutes",
            rec(days=1, work_minutes=1441)),
        "publication-version-1": sibling(
            "publication", "format version 1 has no publication records", "type",
            entry_and_record_v1),
        "project-sync-allowance-91": sibling(
            "project", "a sync allowance above 90 days", "sync_allowance_days",
            rec(sync_allowance_days=91)),
        "project-sync-allowance-negative": sibling(
            "project", "a negative sync allowance", "sync_allowance_days",
            rec(sync_allowance_days=-1)),
        "project-sync-allowance-in-version-1": sibling(
            "project", "sync_allowance_days in a version 1 record (a version 2 member)",
            "sync_allowance_days", entry_and_record_v1),
        "approval-subject-in-version-1": sibling(
            "approval", "subject in a version 1 approval (a version 2 member)", "subject",
            entry_and_record_v1),
        "wage-entry-version-1": sibling(
            "wage", "a version 1 entry around a version 2 record", "entry.v", entry_v1),
    }  # fmt: skip


def _revoke_with_roles(v: dict[str, Any]) -> None:
    record = v["record"]
    record["action"] = "revoke"
    for name in ("valid_from", "valid_until"):
        del record[name]
    record["reason"] = "设备更换"
    v["entry"]["record"] = record


VERSIONS = (1, 2)


def examples(version: int = 2) -> dict[str, dict[str, Any]]:
    """One valid record object per type (the happy vectors' records), for tests to mutate."""
    return {kind: obj for kind, obj in _records(_LeafView(), version)}


def build() -> dict[str, dict[str, Any]]:
    """Every vector by path under this directory without ``.json`` (``v2/wage``)."""
    out: dict[str, dict[str, Any]] = {}
    for version in VERSIONS:
        happy = _happy(version)
        for name, vector in {**happy, **_broken(happy, version)}.items():
            out[f"v{version}/{name}"] = vector
    return out


def render(vector: dict[str, Any]) -> str:
    return json.dumps(vector, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    vectors = build()
    stale = []
    for name, vector in vectors.items():
        path = HERE / f"{name}.json"
        text = render(vector)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name + ".json")
        if not check:
            path.write_text(text, encoding="utf-8")
    extra = sorted(
        str(p.relative_to(HERE)) for p in HERE.glob("*/*.json")
        if str(p.relative_to(HERE))[: -len(".json")] not in vectors
    )
    for name in stale:
        print(("would change " if check else "wrote ") + name)
    for name in extra:
        print("not generated (delete it or add it here): " + name)
    return 1 if (check and stale) or extra else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
