"""Keys, signed records, entries and leaf hashes, receipts, commitments and who may sign what."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, timedelta, timezone
from hashlib import sha256
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.canonical import canonical_bytes, decode_json
from ledger.core.commitment import (
    BANK_SERIAL_TAG,
    IDENTITY_TAG,
    SALT_SIZE,
    commit,
    new_salt,
    verify_disclosure,
)
from ledger.core.entry import Entry, Receipt, SignedRecord, leaf_hash
from ledger.core.errors import (
    AuthorisationError,
    CommitmentError,
    EncodingError,
    LedgerError,
    SignatureError,
)
from ledger.core.keys import (
    RECEIPT_TAG,
    RECORD_TAG,
    SigningKey,
    VerifyKey,
    key_id,
    signing_input,
)
from ledger.core.merkle import hash_leaf
from ledger.core.policy import Grant, authorise
from ledger.core.records import (
    AttendanceRecord,
    CorrectionRecord,
    Fen,
    KeyRecord,
    ProjectRecord,
    Record,
    WageRecord,
    record_from_json,
)
from tests.core.test_records import records
from tests.vectors.records import generate

# RFC 8032 §7.1 TEST 1 and TEST 2 (published test keys).
SEED1 = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
PUB1 = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
SEED2 = bytes.fromhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
PUB2 = bytes.fromhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
KEY1, KEY2 = SigningKey(SEED1), SigningKey(SEED2)
CST = timezone(timedelta(hours=8))
ED25519_L = 2**252 + 27742317777372353535851937790883648493


def _record(kind: str, **changes: Any) -> Record:
    obj = {**generate.examples()[kind], "signer": KEY1.key_id, **changes}
    return record_from_json(obj)


# ---------------------------------------------------------------------------- keys


def test_key_id_is_the_first_16_bytes_of_sha256_of_the_public_key() -> None:
    assert KEY1.verify_key.public == PUB1
    assert KEY2.verify_key.public == PUB2
    assert key_id(PUB1) == sha256(PUB1).hexdigest()[:32] == "21fe31dfa154a261626bf854046fd227"
    assert KEY1.key_id == VerifyKey(PUB1).key_id == key_id(PUB1)
    assert KEY1.key_id != KEY2.key_id


@pytest.mark.parametrize("size", [0, 31, 33, 64])
def test_keys_of_the_wrong_size_are_refused(size: int) -> None:
    with pytest.raises(SignatureError, match=f"public key is {size} bytes, want 32"):
        key_id(bytes(size))
    with pytest.raises(SignatureError, match=f"public key is {size} bytes, want 32"):
        VerifyKey(bytes(size))
    with pytest.raises(SignatureError, match=f"private key seed is {size} bytes, want 32"):
        SigningKey(bytes(size))


def test_signing_key_repr_hides_the_seed() -> None:
    assert repr(KEY1) == "SigningKey(key_id='21fe31dfa154a261626bf854046fd227')"
    assert SEED1.hex() not in repr(KEY1) and str(SEED1) not in repr(KEY1)


def test_generated_keys_are_fresh() -> None:
    a, b = SigningKey.generate(), SigningKey.generate()
    assert len(a.seed) == 32 and a.key_id != b.key_id


def test_signature_is_plain_ed25519_over_tag_zero_message() -> None:
    assert signing_input(RECORD_TAG, b"abc") == b"siteledger/record/v1\x00abc"
    assert signing_input(RECEIPT_TAG, b"") == b"siteledger/receipt/v1\x00"
    raw = Ed25519PrivateKey.from_private_bytes(SEED1).sign(b"siteledger/record/v1\x00abc")
    assert KEY1.sign(RECORD_TAG, b"abc") == raw
    KEY1.verify_key.verify(RECORD_TAG, b"abc", raw)


def test_rfc8032_test1_signature_of_the_empty_message() -> None:
    # The tag makes every siteledger signature differ from a raw one; this pins the primitive.
    want = bytes.fromhex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )
    assert Ed25519PrivateKey.from_private_bytes(SEED1).sign(b"") == want


@pytest.mark.parametrize("size", [0, 63, 65])
def test_signatures_of_the_wrong_size_are_refused(size: int) -> None:
    with pytest.raises(SignatureError, match=f"signature is {size} bytes, want 64"):
        KEY1.verify_key.verify(RECORD_TAG, b"m", bytes(size))


# ---------------------------------------------------------------------------- signed records


def test_sign_and_verify_a_record() -> None:
    record = _record("wage")
    signed = SignedRecord.sign(record, KEY1)
    assert signed.canonical == record.canonical()
    assert len(signed.sig) == 64
    signed.verify(KEY1.verify_key)
    KEY1.verify_key.verify(RECORD_TAG, record.canonical(), signed.sig)
    assert SignedRecord.sign(record, KEY1) == signed  # Ed25519 is deterministic


def test_signing_needs_the_key_the_record_names() -> None:
    with pytest.raises(SignatureError, match=f"record names signer {KEY1.key_id}, key is "
                       f"{KEY2.key_id}"):  # fmt: skip
        SignedRecord.sign(_record("wage"), KEY2)


def test_signed_record_json_round_trip() -> None:
    signed = SignedRecord.sign(_record("attendance"), KEY1)
    obj = signed.to_json()
    assert obj == {"record": signed.record.to_json(), "sig": signed.sig.hex()}
    assert SignedRecord.from_json(obj) == signed
    assert SignedRecord.from_bytes(canonical_bytes(obj)) == signed
    SignedRecord.from_bytes(canonical_bytes(obj)).verify(KEY1.verify_key)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda o: o.update(sig=o["sig"].upper()), "sig"),
        (lambda o: o.update(sig=o["sig"][:-2]), "sig"),
        (lambda o: o.update(sig=None), "sig"),
        (lambda o: o.update(extra=1), "extra"),
        (lambda o: o.pop("sig"), "sig"),
        (lambda o: o["record"].update(net=1), "record.net"),
        (lambda o: o["record"].update(v=3), "record.v"),
    ],
)
def test_signed_record_from_json_refusals(change: Any, field: str) -> None:
    obj = SignedRecord.sign(_record("wage"), KEY1).to_json()
    change(obj)
    with pytest.raises(EncodingError) as info:
        SignedRecord.from_json(obj)
    assert info.value.field == field


def test_signed_record_needs_a_64_byte_signature() -> None:
    with pytest.raises(EncodingError) as info:
        SignedRecord(_record("wage"), bytes(63))
    assert info.value.field == "sig"


@pytest.mark.parametrize("byte", range(64))
def test_flipping_any_byte_of_the_signature_is_detected(byte: int) -> None:
    signed = SignedRecord.sign(_record("attendance"), KEY1)
    sig = bytearray(signed.sig)
    sig[byte] ^= 0x01 if byte % 2 else 0x80  # R is bytes 0..31, S is bytes 32..63
    with pytest.raises(SignatureError, match=f"signature does not verify under key {KEY1.key_id}"):
        SignedRecord(signed.record, bytes(sig)).verify(KEY1.verify_key)


def test_malleated_signature_with_s_plus_l_is_refused() -> None:
    signed = SignedRecord.sign(_record("attendance"), KEY1)
    s = int.from_bytes(signed.sig[32:], "little") + ED25519_L
    assert s < 2**256
    with pytest.raises(SignatureError, match="does not verify"):
        SignedRecord(signed.record, signed.sig[:32] + s.to_bytes(32, "little")).verify(
            KEY1.verify_key
        )


WAGE_CHANGES: list[dict[str, Any]] = [
    {"id": "payroll-2026-03-W-000124"},
    {"time": "2026-04-10T17:00:01+08:00"},
    {"time": "2026-04-10T09:00:00Z"},  # the same instant, written in another offset
    {"project": "P440300-2026-002"},
    {"subject": "W-000124"},
    {"corp_code": "914403001922038216"},
    {"pay_month": "2026-02"},
    {"days": 21},
    {"work_minutes": 10559},
    {"gross": 770001, "net": 694401},
    {"deductions": [{"code": "social_insurance", "amount": 75600}]},
    {"deductions": [{"code": "meals", "amount": 30000, "note": "三月伙食费"},
                    {"code": "social_insurance", "amount": 45600}]},
    {"deductions": [{"code": "social_insurance", "amount": 45600},
                    {"code": "meals", "amount": 30000, "note": "三月伙食"}]},
    {"pay_date": "2026-04-16"},
    {"back_pay": True},
]  # fmt: skip


@pytest.mark.parametrize("changes", WAGE_CHANGES, ids=lambda c: ",".join(c))
def test_changing_any_field_after_signing_is_detected(changes: dict[str, Any]) -> None:
    signed = SignedRecord.sign(_record("wage"), KEY1)
    changed = _record("wage", **changes)
    assert changed.canonical() != signed.canonical
    with pytest.raises(SignatureError, match="signature does not verify"):
        SignedRecord(changed, signed.sig).verify(KEY1.verify_key)


def test_every_wage_field_is_covered_by_the_tamper_table() -> None:
    changed = {name for c in WAGE_CHANGES for name in c}
    assert changed | {"v", "type", "signer"} == set(generate.examples()["wage"])


def test_replacing_the_record_of_a_signed_record_is_detected() -> None:
    # dataclasses.replace used to carry the old canonical bytes over, so the changed record
    # verified under the old signature.
    signed = SignedRecord.sign(_record("wage"), KEY1)
    forged = dataclasses.replace(signed, record=_record("wage", days=21))
    assert forged.canonical == forged.record.canonical()
    with pytest.raises(SignatureError, match="does not verify"):
        forged.verify(KEY1.verify_key)
    with pytest.raises(TypeError):
        SignedRecord(signed.record, signed.sig, signed.canonical)  # type: ignore[call-arg]


def test_changing_the_signer_is_detected_before_the_signature() -> None:
    signed = SignedRecord.sign(_record("wage"), KEY1)
    other = _record("wage", signer=KEY2.key_id)
    with pytest.raises(SignatureError, match=f"record names signer {KEY2.key_id}, key is "
                       f"{KEY1.key_id}"):  # fmt: skip
        SignedRecord(other, signed.sig).verify(KEY1.verify_key)
    with pytest.raises(SignatureError, match="signature does not verify under key"):
        SignedRecord(other, signed.sig).verify(KEY2.verify_key)


def test_wrong_key_is_refused() -> None:
    signed = SignedRecord.sign(_record("wage"), KEY1)
    with pytest.raises(SignatureError, match=f"record names signer {KEY1.key_id}, key is "
                       f"{KEY2.key_id}"):  # fmt: skip
        signed.verify(KEY2.verify_key)


def test_domain_separation_receipt_tag_does_not_verify_as_a_record() -> None:
    record = _record("wage")
    for tag in (RECEIPT_TAG, b"siteledger/record/v2", b""):
        sig = KEY1.sign(tag, record.canonical())
        with pytest.raises(SignatureError, match="does not verify"):
            SignedRecord(record, sig).verify(KEY1.verify_key)
    raw = Ed25519PrivateKey.from_private_bytes(SEED1).sign(record.canonical())  # no tag at all
    with pytest.raises(SignatureError, match="does not verify"):
        SignedRecord(record, raw).verify(KEY1.verify_key)


# ---------------------------------------------------------------------------- entries


def _signed(kind: str) -> SignedRecord:
    return SignedRecord.sign(_record(kind), KEY1)


RECEIVED = datetime(2026, 4, 10, 9, 0, 2, 125_000, tzinfo=UTC)


def test_entry_canonical_known_answer() -> None:
    signed = _signed("project")
    entry = Entry(7, RECEIVED, signed)
    want = (
        b'{"received_at":"2026-04-10T09:00:02.125Z","record":' + signed.canonical
        + b',"seq":7,"sig":"' + signed.sig.hex().encode() + b'","v":2}'
    )  # fmt: skip
    assert entry.canonical() == want
    assert entry.leaf_hash() == leaf_hash(entry) == sha256(b"\x00" + want).digest()
    assert entry.leaf_hash() == hash_leaf(want)


def test_entry_with_subject_known_answer() -> None:
    signed = _signed("attendance")
    entry = Entry(8, RECEIVED, signed, subject_seq=3, subject_prev=b"\xab" * 32)
    assert entry.canonical().endswith(
        b',"sig":"' + signed.sig.hex().encode() + b'","subject_prev":"' + b"ab" * 32
        + b'","subject_seq":3,"v":2}'
    )  # fmt: skip
    assert entry.canonical() == canonical_bytes(entry.to_json())


_received = st.datetimes(
    datetime(2000, 1, 2), datetime(2199, 12, 1),
    timezones=st.just(UTC) | st.just(CST) | st.just(timezone(-timedelta(hours=5, minutes=30))),
)  # fmt: skip


@settings(max_examples=120, deadline=None)
@given(
    record=records,
    sig=st.binary(min_size=64, max_size=64),
    seq=st.integers(0, 2**53 - 1),
    received_at=_received,
    subject_seq=st.integers(0, 2**53 - 1),
    prev=st.binary(min_size=32, max_size=32),
)
def test_entry_splice_equals_canonicalising_the_whole_entry(
    record: Record, sig: bytes, seq: int, received_at: datetime, subject_seq: int, prev: bytes
) -> None:
    subject: dict[str, Any] = {}
    if record.subject_id is not None:
        subject = {"subject_seq": subject_seq, "subject_prev": prev if subject_seq else None}
    entry = Entry(seq, received_at, SignedRecord(record, sig), **subject)
    data = entry.canonical()
    assert data == canonical_bytes(entry.to_json())
    assert entry.leaf_hash() == sha256(b"\x00" + canonical_bytes(entry.to_json())).digest()
    back = Entry.from_json(decode_json(data))
    assert back == entry
    assert back.canonical() == data


def _entry_json(kind: str = "attendance", **changes: Any) -> dict[str, Any]:
    signed = _signed(kind)
    subject: dict[str, Any] = {}
    if signed.record.subject_id:
        subject = {"subject_seq": 1, "subject_prev": b"\x01" * 32}
    obj = Entry(5, RECEIVED, signed, **subject).to_json()
    for name, value in changes.items():
        if value is DELETE:
            obj.pop(name)
        else:
            obj[name] = value
    return obj


DELETE = object()


def test_entry_json_round_trip() -> None:
    for kind in ("attendance", "project"):
        obj = _entry_json(kind)
        entry = Entry.from_json(obj)
        assert entry.to_json() == obj
        assert entry.record == _record(kind)


@pytest.mark.parametrize(
    ("kind", "changes", "field", "reason"),
    [
        ("attendance", {"extra": 1}, "entry.extra", "unknown field"),
        ("attendance", {"leaf_hash": "00" * 32}, "entry.leaf_hash", "unknown field"),
        ("attendance", {"seq": DELETE}, "entry.seq", "required field is missing"),
        ("attendance", {"received_at": DELETE}, "entry.received_at", "required field is missing"),
        ("attendance", {"v": 3}, "entry.v", "unknown format version 3"),
        ("attendance", {"v": 1}, "entry.v", "entry version 1 holds a version 2 record"),
        ("attendance", {"v": True}, "entry.v", "unknown format version True"),
        ("attendance", {"seq": -1}, "entry.seq", "negative seq -1"),
        ("attendance", {"seq": True}, "entry.seq", "must be an integer"),
        ("attendance", {"seq": "5"}, "entry.seq", "must be an integer"),
        ("attendance", {"received_at": "2026-04-10T09:00:02.125+00:00"}, "entry.received_at",
         "not in canonical form"),
        ("attendance", {"sig": "AB" * 64}, "entry.sig", "64 bytes of lowercase hex"),
        ("attendance", {"sig": "zz" * 64}, "entry.sig", "64 bytes of lowercase hex"),
        ("attendance", {"sig": "ab" * 63}, "entry.sig", "64 bytes of lowercase hex"),
        ("attendance", {"subject_prev": "AB" * 32}, "entry.subject_prev",
         "32 bytes of lowercase hex"),
        ("attendance", {"subject_prev": "ab" * 31}, "entry.subject_prev",
         "32 bytes of lowercase hex"),
        ("attendance", {"subject_prev": 1}, "entry.subject_prev", "32 bytes of lowercase hex"),
        ("attendance", {"subject_seq": DELETE}, "entry.subject_seq",
         "required exactly for records about a worker"),
        ("attendance", {"subject_seq": True}, "entry.subject_seq", "must be an integer"),
        ("attendance", {"subject_seq": -1}, "entry.subject_seq", "negative subject_seq -1"),
        ("attendance", {"subject_prev": DELETE}, "entry.subject_prev",
         "required after a worker's first entry"),
        ("attendance", {"subject_seq": 0}, "entry.subject_prev",
         "a worker's first entry has no predecessor"),
        ("project", {"subject_seq": 0}, "entry.subject_seq",
         "required exactly for records about a worker"),
        ("project", {"subject_prev": "01" * 32}, "entry.subject_prev",
         "only records about a worker have a predecessor"),
        ("attendance", {"record": {}}, "entry.record.v", "unknown format version None"),
    ],
)  # fmt: skip
def test_entry_from_json_refusals(
    kind: str, changes: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(EncodingError) as info:
        Entry.from_json(_entry_json(kind, **changes))
    assert info.value.field == field
    assert reason in info.value.reason


def test_entry_record_errors_carry_the_entry_path() -> None:
    obj = _entry_json("wage")
    obj["record"]["deductions"][0]["amount"] = -1
    with pytest.raises(EncodingError) as info:
        Entry.from_json(obj)
    assert info.value.field == "entry.record.deductions[0].amount"


@pytest.mark.parametrize("value", [[], "entry", None])
def test_entry_must_be_an_object(value: Any) -> None:
    with pytest.raises(EncodingError) as info:
        Entry.from_json(value)
    assert info.value.field == "entry"


def test_correction_about_a_worker_joins_the_workers_chain() -> None:
    # A correction that names a subject is about that worker: its entry joins the chain.
    signed = _signed("correction")
    assert isinstance(signed.record, CorrectionRecord) and signed.record.subject is not None
    with pytest.raises(EncodingError) as info:
        Entry(1, RECEIVED, signed)
    assert info.value.field == "subject_seq"
    Entry(1, RECEIVED, signed, subject_seq=0)
    anonymous = SignedRecord.sign(dataclasses.replace(signed.record, subject=None), KEY1)
    assert Entry(1, RECEIVED, anonymous).subject_seq is None


def test_entry_hash_changes_with_every_server_assigned_field() -> None:
    signed = _signed("attendance")
    base = Entry(5, RECEIVED, signed, subject_seq=1, subject_prev=b"\x01" * 32)
    variants = [
        Entry(6, RECEIVED, signed, subject_seq=1, subject_prev=b"\x01" * 32),
        Entry(5, RECEIVED + timedelta(milliseconds=1), signed, 1, b"\x01" * 32),
        Entry(5, RECEIVED.astimezone(CST), signed, 1, b"\x01" * 32),
        Entry(5, RECEIVED, signed, 2, b"\x01" * 32),
        Entry(5, RECEIVED, signed, 1, b"\x02" * 32),
    ]
    hashes = {base.leaf_hash(), *(v.leaf_hash() for v in variants)}
    assert len(hashes) == 6


# ---------------------------------------------------------------------------- receipts


def _receipt() -> tuple[Entry, Receipt]:
    entry = Entry(7, RECEIVED, _signed("project"))
    return entry, Receipt.issue(entry, entry.leaf_hash(), KEY2)


def test_receipt_issue_and_verify() -> None:
    entry, receipt = _receipt()
    assert (receipt.seq, receipt.leaf_hash, receipt.received_at, receipt.log) == (
        7, entry.leaf_hash(), RECEIVED, KEY2.key_id)  # fmt: skip
    receipt.verify(KEY2.verify_key)
    body = canonical_bytes(receipt.body())
    assert body == (
        b'{"leaf_hash":"' + entry.leaf_hash().hex().encode() + b'","log":"' + KEY2.key_id.encode()
        + b'","received_at":"2026-04-10T09:00:02.125Z","seq":7,"v":2}'
    )  # fmt: skip
    KEY2.verify_key.verify(RECEIPT_TAG, body, receipt.sig)
    assert Receipt.from_json(receipt.to_json()) == receipt


@pytest.mark.parametrize(
    "change",
    [{"seq": 8}, {"leaf_hash": b"\x00" * 32}, {"received_at": RECEIVED + timedelta(seconds=1)},
     {"received_at": RECEIVED.astimezone(CST)}],
    ids=["seq", "leaf_hash", "received_at", "received_at-offset"],
)  # fmt: skip
def test_receipt_tampering_is_detected(change: dict[str, Any]) -> None:
    _, receipt = _receipt()
    with pytest.raises(SignatureError, match=f"does not verify under key {KEY2.key_id}"):
        dataclasses.replace(receipt, **change).verify(KEY2.verify_key)


def test_receipt_signature_bits_and_keys() -> None:
    _, receipt = _receipt()
    for byte in (0, 31, 32, 63):
        sig = bytearray(receipt.sig)
        sig[byte] ^= 0x10
        with pytest.raises(SignatureError, match="does not verify"):
            dataclasses.replace(receipt, sig=bytes(sig)).verify(KEY2.verify_key)
    with pytest.raises(SignatureError, match=f"receipt names log key {KEY2.key_id}, key is "
                       f"{KEY1.key_id}"):  # fmt: skip
        receipt.verify(KEY1.verify_key)
    with pytest.raises(SignatureError, match=f"receipt names log key {KEY1.key_id}"):
        dataclasses.replace(receipt, log=KEY1.key_id).verify(KEY2.verify_key)
    with pytest.raises(SignatureError, match="signature is 0 bytes"):
        dataclasses.replace(receipt, sig=b"").verify(KEY2.verify_key)


def test_receipt_and_record_signatures_do_not_cross() -> None:
    entry, receipt = _receipt()
    as_record = KEY2.sign(RECORD_TAG, canonical_bytes(receipt.body()))
    with pytest.raises(SignatureError, match="does not verify"):
        dataclasses.replace(receipt, sig=as_record).verify(KEY2.verify_key)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"extra": 1}, "receipt.extra"),
        ({"sig": DELETE}, "receipt.sig"),
        ({"v": 3}, "receipt.v"),
        ({"v": True}, "receipt.v"),
        ({"seq": -1}, "receipt.seq"),
        ({"seq": False}, "receipt.seq"),
        ({"log": 5}, "receipt.log"),
        ({"leaf_hash": "AB" * 32}, "receipt.leaf_hash"),
        ({"sig": "ab" * 65}, "receipt.sig"),
        ({"received_at": "2026-04-10T09:00:02.125000Z"}, "receipt.received_at"),
    ],
)
def test_receipt_from_json_refusals(change: dict[str, Any], field: str) -> None:
    obj = _receipt()[1].to_json()
    for name, value in change.items():
        if value is DELETE:
            obj.pop(name)
        else:
            obj[name] = value
    with pytest.raises(EncodingError) as info:
        Receipt.from_json(obj)
    assert info.value.field == field


# ---------------------------------------------------------------------------- commitments

IDENTITY = {"id_card_type": "01", "id_card_number": "11010519491231002X", "name": "张三"}
SALT = bytes(range(32))


def test_commitment_known_answer() -> None:
    want = sha256(
        b"siteledger/identity/v1\x00" + SALT
        + '{"id_card_number":"11010519491231002X","id_card_type":"01","name":"张三"}'.encode()
    ).digest()  # fmt: skip
    assert commit(IDENTITY_TAG, IDENTITY, SALT) == want
    assert commit(BANK_SERIAL_TAG, IDENTITY, SALT) != want


def test_enrollment_vector_commits_to_the_documented_identity() -> None:
    obj = generate.examples()["enrollment"]
    verify_disclosure(
        IDENTITY_TAG, bytes.fromhex(obj["identity_commitment"]), generate.IDENTITY,
        generate.IDENTITY_SALT,
    )  # fmt: skip


def test_disclosure_with_the_right_salt_and_fields_verifies() -> None:
    c = commit(IDENTITY_TAG, IDENTITY, SALT)
    verify_disclosure(IDENTITY_TAG, c, dict(reversed(list(IDENTITY.items()))), SALT)


@pytest.mark.parametrize(
    ("tag", "fields", "salt", "commitment"),
    [
        (IDENTITY_TAG, IDENTITY, bytes(32), None),
        (IDENTITY_TAG, {**IDENTITY, "name": "李四"}, SALT, None),
        (IDENTITY_TAG, {**IDENTITY, "id_card_number": "11010519491231002x"}, SALT, None),
        (IDENTITY_TAG, {**IDENTITY, "extra": ""}, SALT, None),
        (IDENTITY_TAG, {k: v for k, v in IDENTITY.items() if k != "name"}, SALT, None),
        (BANK_SERIAL_TAG, IDENTITY, SALT, None),
        (IDENTITY_TAG, IDENTITY, SALT, bytes(32)),
    ],
    ids=["wrong-salt", "changed-name", "changed-case", "extra-field", "missing-field",
         "wrong-tag", "wrong-commitment"],
)  # fmt: skip
def test_wrong_disclosures_are_refused(
    tag: bytes, fields: dict[str, str], salt: bytes, commitment: bytes | None
) -> None:
    c = commitment if commitment is not None else commit(IDENTITY_TAG, IDENTITY, SALT)
    with pytest.raises(CommitmentError, match=f"disclosure does not match commitment {c.hex()}"):
        verify_disclosure(tag, c, fields, salt)


def test_salts_are_32_random_bytes_and_checked() -> None:
    assert len(new_salt()) == SALT_SIZE == 32 and new_salt() != new_salt()
    with pytest.raises(CommitmentError, match="salt is 31 bytes, want 32"):
        commit(IDENTITY_TAG, IDENTITY, bytes(31))
    with pytest.raises(CommitmentError, match="salt is 0 bytes, want 32"):
        verify_disclosure(IDENTITY_TAG, bytes(32), IDENTITY, b"")


# ---------------------------------------------------------------------------- authorisation

T0 = datetime(2026, 3, 1, tzinfo=CST)


def _key_record(roles: tuple[str, ...], projects: tuple[str, ...] = ("P1",),
                until: datetime | None = None, public: bytes = PUB2) -> KeyRecord:  # fmt: skip
    return KeyRecord(
        id="k", signer=KEY1.key_id, time=T0, action="register", public_key=public,
        holder="H1", roles=roles, projects=projects, valid_from=T0, valid_until=until,
    )  # fmt: skip


def _grant(roles: tuple[str, ...], projects: tuple[str, ...] = ("P1",), seq: int = 10,
           until: datetime | None = None, revoked: int | None = None) -> Grant:  # fmt: skip
    grant = Grant.from_record(_key_record(roles, projects, until), seq)
    return dataclasses.replace(grant, revoked_seq=revoked) if revoked is not None else grant


def _attendance(project: str = "P1", time: datetime = T0 + timedelta(days=1)) -> Record:
    return AttendanceRecord(
        id="a", signer=key_id(PUB2), time=time, project=project, subject="W-1", device="H1",
        device_seq=1, direction="in", verify_mode="face", source="realtime",
    )  # fmt: skip


def _project_record(project: str = "P1") -> Record:
    return ProjectRecord(
        id="p", signer=key_id(PUB2), time=T0 + timedelta(days=1), project=project, name="项目",
        tz_offset="+08:00", general_contractor="914403001922038216", start_date=date(2026, 3, 1),
    )  # fmt: skip


def _new_key(roles: tuple[str, ...], projects: tuple[str, ...] = ("P1",)) -> KeyRecord:
    return dataclasses.replace(
        _key_record(roles, projects, public=PUB1), signer=key_id(PUB2), time=T0 + timedelta(1)
    )


def test_grant_from_key_record() -> None:
    grant = _grant(("device",), ("P1", "P2"), seq=4)
    assert grant == Grant(
        key_id=key_id(PUB2), public_key=PUB2, holder="H1", roles=frozenset({"device"}),
        projects=frozenset({"P1", "P2"}), valid_from=T0, valid_until=None, registered_seq=4,
    )  # fmt: skip
    assert grant.covers("P1") and not grant.covers("P3") and not grant.covers(None)
    assert _grant(("operator",), ()).covers(None)


def test_a_device_key_signs_only_its_own_devices_punches() -> None:
    other = dataclasses.replace(_attendance(), device="G2")
    with pytest.raises(AuthorisationError, match="key belongs to device H1, the punch names device G2"):
        authorise(_grant(("device",)), other, 11)


def test_a_granted_key_may_sign_within_its_grant() -> None:
    authorise(_grant(("device",)), _attendance(), 11)
    authorise(_grant(("device",), revoked=20), _attendance(), 20)  # the revoking seq itself
    authorise(_grant(("device",), until=T0 + timedelta(days=2)), _attendance(), 11)
    authorise(_grant(("device",), ()), _attendance(project="P9"), 11)  # every project
    authorise(_grant(("contractor", "device")), _attendance(), 11)  # any role suffices


@pytest.mark.parametrize(
    ("grant", "record", "seq", "message"),
    [
        (_grant(("device",)), _attendance(), 10, "is used at seq 10, before it was registered"),
        (_grant(("device",)), _attendance(), 3, "is used at seq 3, before it was registered"),
        (_grant(("device",), revoked=20), _attendance(), 21, "was revoked at seq 20"),
        (_grant(("device",)), _attendance(time=T0 - timedelta(seconds=1)), 11,
         "is not valid before 2026-03-01T00:00:00+08:00"),
        (_grant(("device",), until=T0 + timedelta(days=1)), _attendance(), 11,
         "expired at 2026-03-02T00:00:00+08:00"),
        (_grant(("device",), until=T0 + timedelta(days=1)),
         _attendance(time=T0 + timedelta(days=3)), 11, "expired at"),
        (_grant(("worker",)), _attendance(), 11, "has roles worker; none may sign attendance"),
        (_grant(("contractor", "payroll")), _attendance(), 11,
         "has roles contractor, payroll; none may sign attendance"),
        (_grant(("device",)), _attendance(project="P2"), 11, "is not authorised for project P2"),
        (_grant(("admin",)), _project_record("P2"), 11, "is not authorised for project P2"),
        (_grant(("admin",)), _new_key(("device", "operator")), 11,
         "an admin key may not grant operator"),
        (_grant(("admin",)), _new_key(("admin",)), 11, "an admin key may not grant admin"),
        (_grant(("admin",)), _new_key(("device",), ()), 11,
         "an admin key may not grant access to every project"),
        (_grant(("admin",)), _new_key(("device",), ("P1", "P2", "P3")), 11,
         "an admin key may not grant projects P2, P3"),
        (_grant(("device",)), _new_key(("device",)), 11, "none may sign key records"),
    ],
    ids=["at-registration", "before-registration", "after-revocation", "before-valid-from",
         "at-valid-until", "after-valid-until", "role", "roles", "project", "admin-project",
         "admin-grants-operator", "admin-grants-admin", "admin-grants-all-projects",
         "admin-grants-outside-scope", "device-signs-key"],
)  # fmt: skip
def test_authorisation_refusals(grant: Grant, record: Record, seq: int, message: str) -> None:
    with pytest.raises(AuthorisationError, match=re.escape(message)) as info:
        authorise(grant, record, seq)
    assert grant.key_id in str(info.value) or "admin key" in str(info.value)
    assert isinstance(info.value, LedgerError)


def test_admin_may_delegate_inside_its_projects() -> None:
    admin = _grant(("admin",), ("P1", "P2"))
    authorise(admin, _new_key(("device", "contractor", "payroll", "supervisor", "worker",
                               "bank"), ("P1", "P2")), 11)  # fmt: skip
    authorise(admin, _project_record("P1"), 11)
    revoke = KeyRecord(id="r", signer=key_id(PUB2), time=T0 + timedelta(1), action="revoke",
                       public_key=PUB1, holder="H1", roles=(), projects=())  # fmt: skip
    authorise(admin, revoke, 11)  # scope of revocations is the store's job (policy docstring)


def test_operator_may_grant_everything() -> None:
    operator = _grant(("operator",), ())
    for record in (_new_key(("operator", "admin"), ()), _new_key(("admin",), ("P7",)),
                   _project_record("P9")):  # fmt: skip
        authorise(operator, record, 11)


def test_operator_is_still_bound_by_sequence_and_validity() -> None:
    operator = _grant(("operator",), (), revoked=12)
    with pytest.raises(AuthorisationError, match="was revoked at seq 12"):
        authorise(operator, _new_key(("admin",), ()), 13)
    with pytest.raises(AuthorisationError, match="before it was registered"):
        authorise(operator, _new_key(("admin",), ()), 10)


def test_wage_line_roles() -> None:
    wage = WageRecord(
        id="w", signer=key_id(PUB2), time=T0 + timedelta(days=40), project="P1", subject="W-1",
        corp_code="91440300708461136T", pay_month="2026-03", days=1, work_minutes=60, gross=Fen(1),
        deductions=(), net=Fen(1), pay_date=date(2026, 4, 1), back_pay=False,
    )  # fmt: skip
    for roles in (("payroll",), ("contractor",)):
        authorise(_grant(roles), wage, 11)
    for roles in (("supervisor",), ("bank",), ("admin",), ("operator",)):
        with pytest.raises(AuthorisationError, match="none may sign wage records"):
            authorise(_grant(roles), wage, 11)


# ---------------------------------------------------------------------------- version 1


def _v1_signed(kind: str) -> SignedRecord:
    obj = {**generate.examples(1)[kind]}
    obj["signer"] = KEY1.key_id
    return SignedRecord.sign(record_from_json(obj), KEY1)


def test_version_1_entries_and_receipts_still_decode_with_their_own_bytes() -> None:
    # Proofs anchored before format version 2 hold version 1 entries and receipts: they decode,
    # keep their bytes (and so their leaf hash), and a receipt issued again for such an entry is
    # a version 1 receipt, byte for byte the one first issued.
    signed = _v1_signed("project")
    assert signed.record.v == 1 and b'"v":1' in signed.canonical
    entry = Entry(7, RECEIVED, signed)
    assert entry.v == 1 and entry.canonical().endswith(b',"v":1}')
    again = Entry.from_json(entry.to_json())
    assert again.leaf_hash() == entry.leaf_hash() and again.v == 1
    receipt = Receipt.issue(entry, entry.leaf_hash(), KEY2)
    assert receipt.v == 1 and receipt.signed_bytes().endswith(b',"v":1}')
    receipt.verify(KEY2.verify_key)
    assert Receipt.from_json(receipt.to_json()) == receipt


def test_a_receipt_with_its_version_changed_does_not_verify() -> None:
    entry = Entry(7, RECEIVED, _signed("project"))
    receipt = Receipt.issue(entry, entry.leaf_hash(), KEY2)
    assert receipt.v == 2
    forged = Receipt.from_json({**receipt.to_json(), "v": 1})
    with pytest.raises(SignatureError):
        forged.verify(KEY2.verify_key)


def test_a_version_2_entry_cannot_hold_a_version_1_record() -> None:
    obj = Entry(7, RECEIVED, _v1_signed("project")).to_json()
    obj["v"] = 2
    with pytest.raises(EncodingError) as info:
        Entry.from_json(obj)
    assert info.value.field == "entry.v"
    assert "entry version 2 holds a version 1 record" in info.value.reason
