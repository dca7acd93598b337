"""Record types: valid examples, round trips, and one refused example per validation rule.

Every refusal asserts the error's ``field`` path, because that path is what the API returns to a
contractor whose upload was refused, and what tells them which field to fix.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core import FORMAT_VERSION
from ledger.core.canonical import canonical_bytes, decode_json
from ledger.core.errors import EncodingError, ValidationError
from ledger.core.fields import _PII_DIGITS
from ledger.core.records import (
    _CORP_CHARS,
    CORP_TYPES,
    DEDUCTION_CODES,
    MAX_FEN,
    RECORD_TYPES,
    ROLE_TYPES,
    ROLES,
    TZ_OFFSET,
    VERIFY_MODES,
    WORK_ROLES,
    WORK_TYPES,
    AckRecord,
    ApprovalRecord,
    AttendanceRecord,
    ContractTerms,
    CorrectionRecord,
    Deduction,
    EnrollmentRecord,
    ExitRecord,
    Fen,
    KeyRecord,
    Location,
    OrgRecord,
    PaymentRecord,
    ProjectRecord,
    PublicationRecord,
    Record,
    Team,
    TrainingRecord,
    WageRecord,
    corp_code_check_char,
    record_from_json,
)
from tests.vectors.records import generate

EXAMPLES = generate.examples()
CST = timezone(timedelta(hours=8))
DELETE = object()


def _set(obj: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``obj`` with ``path`` (``a.b``, ``list.0.c``) set to ``value`` or deleted."""
    out = copy.deepcopy(obj)
    *parents, last = path.split(".")
    node: Any = out
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is DELETE:
        del node[last]
    else:
        node[last] = value
    return out


def _example(kind: str, **changes: Any) -> dict[str, Any]:
    obj = EXAMPLES[kind]
    for path, value in changes.items():
        obj = _set(obj, path.replace("__", "."), value)
    return obj


def _refused(obj: Any) -> EncodingError:
    with pytest.raises(EncodingError) as info:
        record_from_json(obj)
    return info.value


# ---------------------------------------------------------------------------- valid examples


def test_there_is_an_example_of_every_record_type() -> None:
    assert sorted(EXAMPLES) == sorted(RECORD_TYPES)
    assert {cls.TYPE for cls in RECORD_TYPES.values()} == set(RECORD_TYPES)


@pytest.mark.parametrize("kind", sorted(RECORD_TYPES))
def test_example_decodes_to_its_type_and_encodes_back(kind: str) -> None:
    record = record_from_json(EXAMPLES[kind])
    assert type(record) is RECORD_TYPES[kind]
    assert record.to_json() == EXAMPLES[kind]
    assert record.canonical() == canonical_bytes(EXAMPLES[kind])
    assert record_from_json(decode_json(record.canonical())) == record
    assert record.project_code == EXAMPLES[kind].get("project")
    assert record.subject_id == EXAMPLES[kind].get("subject")
    about_a_worker = ("enrollment", "exit", "attendance", "wage", "payment", "ack", "training")
    if kind in about_a_worker:
        assert record.subject_id is not None


def test_example_values_are_typed() -> None:
    wage = record_from_json(EXAMPLES["wage"])
    assert isinstance(wage, WageRecord)
    assert wage.time == datetime(2026, 4, 10, 9, 0, tzinfo=UTC)
    assert wage.time.utcoffset() == timedelta(hours=8)
    assert wage.pay_date == date(2026, 4, 15)
    assert wage.deductions == (
        Deduction(code="social_insurance", amount=Fen(45600)),
        Deduction(code="meals", amount=Fen(30000), note="三月伙食费"),
    )
    enrollment = record_from_json(EXAMPLES["enrollment"])
    assert isinstance(enrollment, EnrollmentRecord)
    assert enrollment.contract.end_date == date(2026, 12, 31)
    assert len(enrollment.identity_commitment) == 32


def test_optional_fields_may_be_left_out_and_are_not_written() -> None:
    obj = _example("attendance", match_score=DELETE, photo_digest=DELETE, location=DELETE)
    record = record_from_json(obj)
    assert isinstance(record, AttendanceRecord)
    assert (record.match_score, record.photo_digest, record.location) == (None, None, None)
    assert b"location" not in record.canonical() and "match_score" not in record.to_json()


def test_role_table() -> None:
    # Pinned: who may sign what is part of what a verifier checks (docs/records.md).
    assert set(ROLE_TYPES) == set(ROLES)
    assert set().union(*ROLE_TYPES.values()) == set(RECORD_TYPES)
    assert ROLE_TYPES["device"] == {"attendance"}
    assert ROLE_TYPES["worker"] == {"ack"}
    assert ROLE_TYPES["supervisor"] == {"approval"}
    assert ROLE_TYPES["payroll"] == {"wage", "publication"}
    assert "publication" in ROLE_TYPES["contractor"]
    assert ROLE_TYPES["bank"] == {"payment"}
    assert ROLE_TYPES["operator"] == ROLE_TYPES["admin"] == {"key", "project", "org"}


@pytest.mark.parametrize(
    "first17", ["91440300708461136", "91440300192203821", "91110000100010433", "91350100M000100Y4"]
)
def test_corp_code_check_character_known_answers(first17: str) -> None:
    # Published codes of real companies (Tencent Computer Systems, Huawei, ...).
    want = {"91440300708461136": "T", "91440300192203821": "6", "91110000100010433": "L",
            "91350100M000100Y4": "3"}[first17]  # fmt: skip
    assert corp_code_check_char(first17) == want


# ---------------------------------------------------------------------------- round trips

_codes = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,11}", fullmatch=True)
_subjects = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{2,11}", fullmatch=True)
_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,15}", fullmatch=True)
_key_ids = st.binary(min_size=16, max_size=16).map(bytes.hex)
_offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
_times = st.datetimes(datetime(2000, 1, 2), datetime(2199, 12, 1), timezones=_offsets)
_dates = st.dates(date(2000, 1, 1), date(2199, 12, 31))
_months = st.builds("{:04d}-{:02d}".format, st.integers(2000, 2199), st.integers(1, 12))
_fen = st.integers(0, MAX_FEN)
_hashes = st.binary(min_size=32, max_size=32)
_corp = st.text(_CORP_CHARS, min_size=17, max_size=17).map(lambda s: s + corp_code_check_char(s))
_tz = st.from_regex(TZ_OFFSET, fullmatch=True)


def _text(max_len: int) -> st.SearchStrategy[str]:
    chars = st.characters(exclude_categories=("Cc", "Cs"))
    return st.text(chars, min_size=1, max_size=max_len).filter(lambda s: not _PII_DIGITS.search(s))


def _opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def _header(draw: st.DrawFn) -> dict[str, Any]:
    return {"id": draw(_ids), "signer": draw(_key_ids), "time": draw(_times)}


@st.composite
def _key(draw: st.DrawFn) -> KeyRecord:
    common = {"public_key": draw(st.binary(min_size=32, max_size=32)), "holder": draw(_codes),
              "reason": draw(_opt(_text(200)))}  # fmt: skip
    if draw(st.booleans()):
        return KeyRecord(**draw(_header()), **common, action="revoke", roles=(), projects=())
    valid_from = draw(_times)
    # up to ten years, but inside the time range of records (before 2200: a key registered in
    # late 2199 made an out-of-range valid_until now and then)
    room = datetime(2199, 12, 31, 23, 59, 59, tzinfo=UTC) - valid_from
    until = draw(_opt(st.timedeltas(timedelta(seconds=1), min(timedelta(days=3650), room))))
    return KeyRecord(
        **draw(_header()), **common, action="register",
        roles=tuple(draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=8, unique=True))),
        projects=tuple(draw(st.lists(_codes, max_size=4, unique=True))),
        valid_from=valid_from, valid_until=valid_from + until if until else None,
    )  # fmt: skip


@st.composite
def _project(draw: st.DrawFn) -> ProjectRecord:
    start = draw(_dates)
    end = draw(_opt(st.dates(start, date(2199, 12, 31))))
    return ProjectRecord(**draw(_header()), project=draw(_codes), name=draw(_text(128)),
                         tz_offset=draw(_tz), general_contractor=draw(_corp), start_date=start,
                         end_date=end,
                         sync_allowance_days=draw(_opt(st.integers(0, 90))))  # fmt: skip


@st.composite
def _org(draw: st.DrawFn) -> OrgRecord:
    codes = draw(st.lists(_codes, max_size=4, unique=True))
    teams = tuple(Team(team=c, name=draw(_text(64))) for c in codes)
    corp_type = draw(st.sampled_from(sorted(CORP_TYPES)))
    return OrgRecord(**draw(_header()), project=draw(_codes), corp_code=draw(_corp),
                     corp_name=draw(_text(128)), corp_type=corp_type, teams=teams)  # fmt: skip


@st.composite
def _enrollment(draw: st.DrawFn) -> EnrollmentRecord:
    start = draw(_dates)
    contract = ContractTerms(
        period_type=draw(st.sampled_from(("fixed_term", "per_task"))), start_date=start,
        unit=draw(st.sampled_from(("hour", "day", "month", "piece", "task"))),
        unit_price=Fen(draw(_fen)), end_date=draw(_opt(st.dates(start, date(2199, 12, 31)))),
    )  # fmt: skip
    return EnrollmentRecord(
        **draw(_header()), project=draw(_codes), subject=draw(_subjects), corp_code=draw(_corp),
        team=draw(_codes), work_type=draw(st.sampled_from(sorted(WORK_TYPES))),
        work_role=draw(st.sampled_from(sorted(WORK_ROLES))), team_leader=draw(st.booleans()),
        date=draw(_dates), contract=contract, identity_commitment=draw(_hashes),
        insured=draw(st.booleans()),
    )  # fmt: skip


@st.composite
def _exit(draw: st.DrawFn) -> ExitRecord:
    return ExitRecord(
        **draw(_header()),
        project=draw(_codes),
        subject=draw(_subjects),
        corp_code=draw(_corp),
        date=draw(_dates),
        reason=draw(_opt(_text(200))),
    )


@st.composite
def _attendance(draw: st.DrawFn) -> AttendanceRecord:
    location = Location(lat_e6=draw(st.integers(-90_000_000, 90_000_000)),
                        lng_e6=draw(st.integers(-180_000_000, 180_000_000)))  # fmt: skip
    return AttendanceRecord(
        **draw(_header()), project=draw(_codes), subject=draw(_subjects), device=draw(_codes),
        device_seq=draw(st.integers(0, 2**53 - 1)), direction=draw(st.sampled_from(("in", "out"))),
        verify_mode=draw(st.sampled_from(VERIFY_MODES)),
        source=draw(st.sampled_from(("realtime", "backfill", "repair"))),
        match_score=draw(_opt(st.integers(0, 100))), photo_digest=draw(_opt(_hashes)),
        location=draw(_opt(st.just(location))),
    )  # fmt: skip


@st.composite
def _wage(draw: st.DrawFn) -> WageRecord:
    deductions = tuple(
        Deduction(code=draw(st.sampled_from(DEDUCTION_CODES)),
                  amount=Fen(draw(st.integers(0, 10**9))), note=draw(_opt(_text(200))))
        for _ in range(draw(st.integers(0, 4)))
    )  # fmt: skip
    net = draw(st.integers(0, MAX_FEN - sum(d.amount for d in deductions)))
    days = draw(st.integers(0, 31))
    month = draw(_months)
    first = date(int(month[:4]), int(month[5:]), 1)
    pay_date = draw(st.dates(first, date(2199, 12, 31)))
    return WageRecord(
        **draw(_header()), project=draw(_codes), subject=draw(_subjects), corp_code=draw(_corp),
        pay_month=month, days=days, work_minutes=draw(st.integers(0, days * 24 * 60)),
        gross=Fen(net + sum(d.amount for d in deductions)), deductions=deductions, net=Fen(net),
        pay_date=pay_date, back_pay=draw(st.booleans()),
    )  # fmt: skip


@st.composite
def _payment(draw: st.DrawFn) -> PaymentRecord:
    return PaymentRecord(
        **draw(_header()), project=draw(_codes), subject=draw(_subjects), corp_code=draw(_corp),
        pay_month=draw(_months), amount=Fen(draw(_fen)), date=draw(_dates),
        status=draw(st.sampled_from(("paid", "failed", "returned"))),
        bank_serial_commitment=draw(_hashes), wage=draw(_opt(_hashes)),
    )  # fmt: skip


@st.composite
def _correction(draw: st.DrawFn) -> CorrectionRecord:
    action = draw(st.sampled_from(("void", "amend", "supplement")))
    return CorrectionRecord(
        **draw(_header()), project=draw(_codes), action=action, reason=draw(_text(500)),
        subject=draw(_opt(_subjects)),
        target=draw(_hashes) if action != "supplement" else None,
        replacement=draw(_hashes) if action != "void" else None,
    )  # fmt: skip


@st.composite
def _approval(draw: st.DrawFn) -> ApprovalRecord:
    return ApprovalRecord(**draw(_header()), project=draw(_codes), target=draw(_hashes),
                          decision=draw(st.sampled_from(("approve", "reject"))),
                          comment=draw(_opt(_text(500))),
                          subject=draw(_opt(_subjects)))  # fmt: skip


@st.composite
def _publication(draw: st.DrawFn) -> PublicationRecord:
    days = draw(st.integers(0, 31))
    return PublicationRecord(
        **draw(_header()), project=draw(_codes), subject=draw(_subjects), corp_code=draw(_corp),
        pay_month=draw(_months), days=days, work_minutes=draw(st.integers(0, days * 1440)),
        wage=draw(_hashes), objection_days=draw(st.integers(1, 60)),
    )  # fmt: skip


@st.composite
def _ack(draw: st.DrawFn) -> AckRecord:
    return AckRecord(**draw(_header()), project=draw(_codes), subject=draw(_subjects),
                     target=draw(_hashes), decision=draw(st.sampled_from(("confirm", "dispute"))),
                     reason=draw(_opt(_text(500))))  # fmt: skip


@st.composite
def _training(draw: st.DrawFn) -> TrainingRecord:
    return TrainingRecord(
        **draw(_header()),
        project=draw(_codes),
        subject=draw(_subjects),
        course=draw(_codes),
        course_name=draw(_text(128)),
        date=draw(_dates),
        minutes=draw(st.integers(1, 24 * 60)),
        passed=draw(st.booleans()),
    )


STRATEGIES: dict[str, st.SearchStrategy[Record]] = {
    "key": _key(), "project": _project(), "org": _org(), "enrollment": _enrollment(),
    "exit": _exit(), "attendance": _attendance(), "wage": _wage(), "payment": _payment(),
    "correction": _correction(), "approval": _approval(), "ack": _ack(), "training": _training(),
    "publication": _publication(),
}  # fmt: skip
"""Valid records of every type, for round trips here and for entry properties elsewhere."""
records = st.one_of(*STRATEGIES.values())


def test_every_type_has_a_strategy() -> None:
    assert sorted(STRATEGIES) == sorted(RECORD_TYPES)


@pytest.mark.parametrize("kind", sorted(RECORD_TYPES))
def test_round_trip_property(kind: str) -> None:
    @settings(max_examples=25, deadline=None)
    @given(STRATEGIES[kind])
    def check(record: Record) -> None:
        assert kind == record.TYPE
        obj = record.to_json()
        assert obj["v"] == FORMAT_VERSION and obj["type"] == kind
        assert record_from_json(obj) == record
        data = record.canonical()
        assert data == canonical_bytes(obj)
        again = record_from_json(decode_json(data))
        assert again == record
        assert again.canonical() == data  # equal values, and equal bytes (offsets kept too)
        assert record_from_json(copy.deepcopy(obj)).to_json() == obj

    check()


@pytest.mark.parametrize("kind", sorted(k for k, c in RECORD_TYPES.items() if c.SINCE == 1))
def test_version_1_round_trip_property(kind: str) -> None:
    # Version 1 records (what proofs anchored before version 2 hold) decode and keep their
    # bytes; a version 2 member in one is refused, and so is the same record relabelled v 2
    # with different bytes (the version is signed).
    @settings(max_examples=15, deadline=None)
    @given(STRATEGIES[kind])
    def check(record: Record) -> None:
        v2_only = {name: None for name in type(record).V2_FIELDS}
        old = dataclasses.replace(record, v=1, **v2_only)
        obj = old.to_json()
        assert obj["v"] == 1
        back = record_from_json(decode_json(old.canonical()))
        assert back == old and back.v == 1 and back.canonical() == old.canonical()
        assert old.canonical() != dataclasses.replace(old, v=2).canonical()
        for name in type(record).V2_FIELDS:
            with pytest.raises(EncodingError) as info:
                record_from_json({**obj, name: getattr(record, name) or 7})
            assert info.value.field == name

    check()


def test_version_2_only_members_cannot_be_set_on_a_version_1_record() -> None:
    appr = record_from_json(EXAMPLES["approval"])
    assert isinstance(appr, ApprovalRecord)
    with pytest.raises(ValidationError) as info:
        dataclasses.replace(appr, v=1, subject="W-000123")
    assert info.value.field == "subject"
    pub = record_from_json(EXAMPLES["publication"])
    with pytest.raises(ValidationError) as info:
        dataclasses.replace(pub, v=1)
    assert info.value.field == "type"
    with pytest.raises(ValidationError) as info:
        dataclasses.replace(pub, v=3)
    assert info.value.field == "v"


# ---------------------------------------------------------------------------- refusals

# (record type, field changes, expected field path, expected reason (regex), error class).
# A change's key is a path with "__" for "." (so list indexes read "deductions__0__amount");
# DELETE removes the field.
E, V = EncodingError, ValidationError
PHONE, ID_NUMBER, BANK_CARD = "13800138000", "11010519491231002X", "6222021234567890123"
CASES: list[tuple[str, dict[str, Any], str, str, type[EncodingError]]] = [
    # Str: type, length, pattern, control characters, surrogates, personal data in free text
    ("project", {"project": 123}, "project", "must be a string, got int", E),
    ("project", {"name": "工" * 129}, "name", "length 129 outside 1..128", V),
    ("project", {"name": ""}, "name", "length 0 outside 1..128", V),
    ("enrollment", {"subject": "W1"}, "subject", "length 2 outside 3..64", V),
    ("project", {"project": "-P1"}, "project", "'-P1' does not match", V),
    ("project", {"project": "P 1"}, "project", "'P 1' does not match", V),
    ("attendance", {"id": "GATE/1"}, "id", "'GATE/1' does not match", V),
    ("key", {"signer": "A" * 32}, "signer", "does not match", V),
    ("key", {"signer": "ab" * 15}, "signer", "length 30 outside 32..32", V),
    ("exit", {"reason": "合同\x07期满"}, "reason", "control characters are not allowed", V),
    ("exit", {"reason": "合同\x85期满"}, "reason", "control characters are not allowed", V),
    ("exit", {"reason": "合同\ud800"}, "reason", "lone surrogates are not allowed", V),
    ("exit", {"reason": f"联系电话{PHONE}"}, "reason", "looks like a phone, ID or bank card", V),
    ("exit", {"reason": "电话 138-0013-8000"}, "reason", "looks like a phone", V),
    ("org", {"corp_name": f"身份证{ID_NUMBER}"}, "corp_name", "looks like a phone", V),
    ("ack", {"reason": f"卡号{BANK_CARD}"}, "reason", "looks like a phone", V),
    ("approval", {"comment": "致电１３８００１３８０００"}, "comment", "looks like a phone", V),
    ("correction", {"reason": "6222 0212 3456 7890"}, "reason", "looks like a phone", V),
    ("wage", {"deductions__1__note": f"借款 {BANK_CARD}"}, "deductions[1].note",
     "looks like a phone", V),
    ("org", {"teams__0__name": f"班长{PHONE}"}, "teams[0].name", "looks like a phone", V),
    ("project", {"name": f"项目{PHONE}"}, "name", "looks like a phone", V),
    ("training", {"course_name": f"{ID_NUMBER}培训"}, "course_name", "looks like a phone", V),
    ("key", {"reason": f"持有人{PHONE}"}, "reason", "looks like a phone", V),
    # Int: type (bool and float are not integers), range
    ("attendance", {"device_seq": "18231"}, "device_seq", "must be an integer, got str", E),
    ("training", {"minutes": True}, "minutes", "must be an integer, got bool", E),
    ("wage", {"gross": 7700.0}, "gross", "must be an integer, got float", E),
    ("wage", {"days": 32}, "days", "32 outside 0..31", V),
    ("attendance", {"device_seq": -1}, "device_seq", "-1 outside 0..9007199254740991", V),
    ("training", {"minutes": 0}, "minutes", "0 outside 1..1440", V),
    ("attendance", {"match_score": 101}, "match_score", "101 outside 0..100", V),
    ("attendance", {"location__lat_e6": 90_000_001}, "location.lat_e6",
     "90000001 outside -90000000..90000000", V),
    ("payment", {"amount": MAX_FEN + 1}, "amount", "100000000001 outside 0..100000000000", V),
    ("enrollment", {"contract__unit_price": -1}, "contract.unit_price", "-1 outside", V),
    # Bool
    ("enrollment", {"team_leader": 0}, "team_leader", "must be true or false, got int", E),
    ("training", {"passed": "true"}, "passed", "must be true or false, got str", E),
    # Enum: the national codes are spelled as the platform spells them, and nothing else
    ("enrollment", {"work_type": "999"}, "work_type", "'999' is not one of 010, 020, ", V),
    ("enrollment", {"work_type": 20}, "work_type", "20 is not one of", V),
    ("enrollment", {"work_role": "30"}, "work_role", "'30' is not one of 10, 20", V),
    ("attendance", {"direction": "01"}, "direction", "'01' is not one of in, out", V),
    ("attendance", {"verify_mode": "Face"}, "verify_mode", "'Face' is not one of face", V),
    ("org", {"corp_type": "6"}, "corp_type", "'6' is not one of 001, 002", V),
    ("key", {"roles__0": "root"}, "roles[0]", "'root' is not one of operator, admin", V),
    ("wage", {"deductions__0__code": "fine"}, "deductions[0].code", "'fine' is not one of", V),
    ("enrollment", {"contract__unit": "week"}, "contract.unit", "'week' is not one of", V),
    ("payment", {"status": "pending"}, "status", "'pending' is not one of paid", V),
    ("correction", {"action": "delete"}, "action", "'delete' is not one of void", V),
    ("ack", {"decision": "approve"}, "decision", "'approve' is not one of confirm, dispute", V),
    # Hex
    ("payment", {"bank_serial_commitment": "AB" * 32}, "bank_serial_commitment",
     "must be lowercase hex", E),
    ("payment", {"wage": "ab" * 31}, "wage", "31 bytes, want 32", E),
    ("key", {"public_key": "ab" * 33}, "public_key", "33 bytes, want 32", E),
    ("key", {"public_key": 5}, "public_key", "must be lowercase hex", E),
    ("attendance", {"photo_digest": "zz" * 32}, "photo_digest", "must be lowercase hex", E),
    ("approval", {"target": "0x" + "ab" * 31}, "target", "must be lowercase hex", E),
    # Time, Date, Month
    ("attendance", {"time": "2026-03-12T07:58:03.250000+08:00"}, "time",
     "not in canonical form, write '2026-03-12T07:58:03.250\\+08:00'", E),
    ("attendance", {"time": "2026-03-12 07:58:03"}, "time", "not an RFC 3339 time", E),
    ("attendance", {"time": 1773273483}, "time", "must be an RFC 3339 time string", E),
    ("key", {"valid_from": "2026-03-01T00:00:00"}, "valid_from", "not an RFC 3339 time", E),
    ("enrollment", {"date": "2026-02-30"}, "date", "day is out of range for month", E),
    ("enrollment", {"contract__start_date": "2026/03/05"}, "contract.start_date",
     "must be a date YYYY-MM-DD", E),
    ("wage", {"pay_month": "2026-3"}, "pay_month", "must be a month YYYY-MM", E),
    ("payment", {"pay_month": "２０２６-03"}, "pay_month", "must be a month YYYY-MM", E),
    ("project", {"tz_offset": "+0\u0668:00"}, "tz_offset", "does not match", V),
    ("project", {"tz_offset": "+15:00"}, "tz_offset", "does not match", V),
    # List: type, length, uniqueness, item paths
    ("key", {"roles": "device"}, "roles", "must be a list, got str", E),
    ("key", {"roles": ["device", "device"]}, "roles", "items must be unique", V),
    ("key", {"projects": ["P1", "P1"]}, "projects", "items must be unique", V),
    ("key", {"roles": [*ROLES, "device"]}, "roles", "9 items, allowed 0..8", V),
    ("key", {"projects": [f"P{i}" for i in range(101)]}, "projects", "101 items, allowed 0..100",
     V),
    ("key", {"projects": ["P1", "bad code"]}, "projects[1]", "does not match", V),
    ("wage", {"deductions": [{"code": "other", "amount": 0}] * 21}, "deductions",
     "21 items, allowed 0..20", V),
    ("org", {"teams": [{"team": f"T{i}", "name": "班"} for i in range(51)]}, "teams",
     "51 items, allowed 0..50", V),
    # Nested objects
    ("enrollment", {"contract": "fixed_term"}, "contract", "must be an object, got str", E),
    ("attendance", {"location": [22543100, 113943600]}, "location", "must be an object, got list",
     E),
    ("enrollment", {"contract__wage": 1}, "contract.wage", "unknown field", E),
    ("enrollment", {"contract__unit": DELETE}, "contract.unit", "required field is missing", E),
    ("wage", {"deductions__0__amount": -1}, "deductions[0].amount", "-1 outside 0..", V),
    ("org", {"teams__1__team": "T 2"}, "teams[1].team", "does not match", V),
    # 统一社会信用代码 (GB 32100-2015)
    ("org", {"corp_code": "91440300708461136"}, "corp_code", "must be an 18-character", V),
    ("org", {"corp_code": "91440300708461136I"}, "corp_code", "must be an 18-character", V),
    ("org", {"corp_code": "91440300708461136t"}, "corp_code", "must be an 18-character", V),
    ("org", {"corp_code": 914403007084611360}, "corp_code", "must be an 18-character", V),
    ("project", {"general_contractor": "914403001922038217"}, "general_contractor",
     "check character is '7', want '6'", V),
    ("wage", {"corp_code": "91440300708461136U"}, "corp_code",
     "check character is 'U', want 'T'", V),
    # Rules across fields
    ("wage", {"net": 694401}, "net",
     "gross 770000 − deductions 75600 = 694400, but net is 694401", V),
    ("wage", {"deductions": []}, "net", "gross 770000 − deductions 0 = 770000, but net is 694400",
     V),
    ("wage", {"work_minutes": 22 * 24 * 60 + 1}, "work_minutes", "31681 minutes in 22 days", V),
    ("wage", {"days": 0}, "work_minutes", "10560 minutes in 0 days", V),
    ("wage", {"pay_date": "2026-02-28"}, "pay_date", "paid before the month 2026-03 began", V),
    ("enrollment", {"contract__end_date": "2026-03-04"}, "contract.end_date",
     "ends before it starts", V),
    ("project", {"end_date": "2026-02-28"}, "end_date", "ends before it starts", V),
    ("correction", {"target": DELETE}, "target", "required for void", V),
    ("correction", {"replacement": "11" * 32}, "replacement", "a void has no replacement", V),
    ("correction", {"action": "amend"}, "replacement", "required for amend", V),
    ("correction", {"action": "amend", "target": DELETE, "replacement": "11" * 32}, "target",
     "required for amend", V),
    ("correction", {"action": "supplement", "replacement": "11" * 32}, "target",
     "a supplement adds a record and corrects none", V),
    ("correction", {"action": "supplement", "target": DELETE}, "replacement",
     "required for supplement", V),
    ("key", {"roles": []}, "roles", "a registered key needs at least one role", V),
    ("key", {"valid_from": DELETE}, "valid_from", "required when registering", V),
    ("key", {"valid_until": "2026-03-01T00:00:00+08:00"}, "valid_until",
     "must be after valid_from", V),
    ("key", {"valid_until": "2026-02-28T16:00:00Z"}, "valid_until", "must be after valid_from",
     V),
    ("key", {"action": "revoke", "valid_from": DELETE, "valid_until": DELETE}, "action",
     "a revocation names the key and a reason only", V),
    ("key", {"action": "revoke", "roles": [], "valid_until": DELETE}, "action",
     "a revocation names the key and a reason only", V),
    ("key", {"action": "revoke", "roles": [], "projects": [], "valid_from": DELETE}, "action",
     "a revocation names the key and a reason only", V),
    ("org", {"teams__1__team": "T01"}, "teams", "team codes must be unique", V),
    # The object itself: unknown, missing, null, version, type
    ("wage", {"bonus": 1}, "bonus", "unknown field", E),
    ("wage", {"Net": 694400}, "Net", "unknown field", E),
    ("wage", {"net": DELETE}, "net", "required field is missing", E),
    ("wage", {"signer": DELETE}, "signer", "required field is missing", E),
    ("exit", {"reason": None}, "reason", "must be a string, got NoneType", E),
    ("attendance", {"location": None}, "location", "must be an object, got NoneType", E),
    ("payment", {"wage": None}, "wage", "must be lowercase hex", E),
    ("attendance", {"match_score": None}, "match_score", "must be an integer, got NoneType", E),
    ("wage", {"net": None}, "net", "must be an integer, got NoneType", E),
    ("wage", {"v": 3}, "v", "unknown format version 3, want 1 or 2", E),
    ("wage", {"v": 0}, "v", "unknown format version 0, want 1 or 2", E),
    ("wage", {"v": "2"}, "v", "unknown format version '2', want 1 or 2", E),
    ("wage", {"v": True}, "v", "unknown format version True, want 1 or 2", E),
    ("wage", {"v": 2.0}, "v", "unknown format version 2.0, want 1 or 2", E),
    ("wage", {"v": DELETE}, "v", "unknown format version None, want 1 or 2", E),
    ("publication", {"v": 1}, "type", "unknown record type 'publication' in format version 1",
     E),
    ("approval", {"v": 1, "subject": "W-000123"}, "subject",
     "unknown field in format version 1", E),
    ("project", {"v": 1, "sync_allowance_days": 7}, "sync_allowance_days",
     "unknown field in format version 1", E),
    ("project", {"sync_allowance_days": 91}, "sync_allowance_days", "91 outside 0..90", V),
    ("project", {"sync_allowance_days": -1}, "sync_allowance_days", "-1 outside 0..90", V),
    ("project", {"sync_allowance_days": 7.0}, "sync_allowance_days", "must be an integer", E),
    ("publication", {"objection_days": 0}, "objection_days", "0 outside 1..60", V),
    ("publication", {"objection_days": -3}, "objection_days", "-3 outside 1..60", V),
    ("publication", {"objection_days": 61}, "objection_days", "61 outside 1..60", V),
    ("publication", {"objection_days": DELETE}, "objection_days", "required field is missing",
     E),
    ("publication", {"wage": DELETE}, "wage", "required field is missing", E),
    ("publication", {"days": 1, "work_minutes": 1441}, "work_minutes", "1441 minutes in 1 days",
     V),
    ("wage", {"type": "payroll"}, "type", "unknown record type 'payroll'", E),
    ("wage", {"type": "Wage"}, "type", "unknown record type 'Wage'", E),
    ("wage", {"type": ["wage"]}, "type", r"unknown record type \['wage'\]", E),
    ("wage", {"type": DELETE}, "type", "unknown record type None", E),
    ("wage", {"type": "payment"}, "days", "unknown field", E),  # unknown before missing
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "changes", "field", "reason", "cls"),
    CASES,
    ids=[f"{c[0]}:{c[2]}:{i}" for i, c in enumerate(CASES)],
)
def test_refused(
    kind: str, changes: dict[str, Any], field: str, reason: str, cls: type[EncodingError]
) -> None:
    error = _refused(_example(kind, **changes))
    assert error.field == field
    assert re.search(reason, error.reason), error.reason
    assert isinstance(error, cls)
    assert str(error) == f"{field}: {error.reason}"


def test_every_converter_kind_and_rule_is_exercised() -> None:
    fields = {c[2].split("[")[0].split(".")[0] for c in CASES}
    assert {"net", "work_minutes", "pay_date", "contract", "end_date", "target", "replacement",
            "roles", "valid_from", "valid_until", "action", "teams", "corp_code", "v",
            "type"} <= fields  # fmt: skip


@pytest.mark.parametrize("value", [[], "wage", 1, None])
def test_a_record_must_be_an_object(value: Any) -> None:
    error = _refused(value)
    assert error.field == "record"
    assert error.reason == f"must be an object, got {type(value).__name__}"


# ---------------------------------------------------------------------------- boundaries that pass


@pytest.mark.parametrize(
    ("kind", "changes"),
    [
        ("wage", {"work_minutes": 22 * 24 * 60}),
        ("wage", {"pay_date": "2026-03-01"}),
        ("wage", {"days": 0, "work_minutes": 0}),
        ("wage", {"deductions": [], "gross": 694400}),
        ("enrollment", {"contract__end_date": "2026-03-05"}),
        ("enrollment", {"contract__end_date": DELETE}),
        ("project", {"end_date": "2026-03-01"}),
        ("key", {"valid_until": DELETE}),
        ("key", {"valid_until": "2026-02-28T16:00:00.001Z"}),
        ("key", {"projects": []}),
        ("key", {"action": "revoke", "roles": [], "projects": [], "valid_from": DELETE,
                 "valid_until": DELETE}),
        ("correction", {"action": "amend", "replacement": "11" * 32}),
        ("correction", {"action": "supplement", "target": DELETE, "replacement": "11" * 32}),
        ("org", {"teams": []}),
        ("exit", {"reason": "2026年12月31日 17:30 合同期满, 工号1234567890"}),  # 10 digits
        ("attendance", {"device_seq": 2**53 - 1, "match_score": 0}),
        ("project", {"tz_offset": "-14:00"}),
    ],
)  # fmt: skip
def test_boundaries_are_accepted(kind: str, changes: dict[str, Any]) -> None:
    obj = _example(kind, **changes)
    assert record_from_json(obj).to_json() == obj


# ---------------------------------------------------------------------------- built in Python


def _wage_kwargs(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        id="w1", signer="ab" * 16, time=datetime(2026, 4, 10, 17, tzinfo=CST),
        project="P1", subject="W-000123", corp_code="91440300708461136T", pay_month="2026-03",
        days=22, work_minutes=10560, gross=770000,
        deductions=(Deduction(code="meals", amount=Fen(30000)),), net=740000,
        pay_date=date(2026, 4, 15), back_pay=False,
    )  # fmt: skip
    values.update(changes)
    return values


def test_records_built_in_python_are_checked_with_the_same_paths() -> None:
    assert WageRecord(**_wage_kwargs()).net == 740000
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"deductions": (Deduction(code="meals", amount=Fen(-1)),), "net": 770001},
         "deductions[0].amount", "-1 outside"),
        ({"deductions": (Deduction(code="fine", amount=Fen(1)),)}, "deductions[0].code",
         "not one of"),
        ({"deductions": ("meals",)}, "deductions[0]", "must be a Deduction"),
        ({"net": 740001}, "net", "but net is 740001"),
        ({"time": datetime(2026, 4, 10, 17)}, "time", "must be an aware datetime"),
        ({"time": datetime(1999, 4, 10, tzinfo=UTC)}, "time", "outside 2000..2199"),
        ({"pay_date": datetime(2026, 4, 15, tzinfo=UTC)}, "pay_date", "must be a date"),
        ({"subject": None}, "subject", "required field is missing"),
        ({"gross": True}, "gross", "must be an integer, got bool"),
    ]  # fmt: skip
    for changes, field, reason in cases:
        with pytest.raises(EncodingError) as info:
            WageRecord(**_wage_kwargs(**changes))
        assert (info.value.field, reason in info.value.reason) == (field, True), info.value


def test_nested_contract_rule_applies_when_built_directly() -> None:
    with pytest.raises(ValidationError) as info:
        ContractTerms(period_type="per_task", start_date=date(2026, 3, 5), unit="task",
                      unit_price=Fen(1), end_date=date(2026, 3, 4))  # fmt: skip
    assert info.value.field == "end_date"


def test_records_are_frozen() -> None:
    record = WageRecord(**_wage_kwargs())
    with pytest.raises(AttributeError):
        record.net = Fen(1)  # type: ignore[misc]


def test_equal_instants_in_other_offsets_are_equal_values_but_not_equal_bytes() -> None:
    # Worth knowing: == on records compares datetimes by instant, so two records that differ
    # only in the offset of a time compare equal although they sign and hash differently.
    a = WageRecord(**_wage_kwargs())
    b = WageRecord(**_wage_kwargs(time=a.time.astimezone(UTC)))
    assert a == b
    assert a.canonical() != b.canonical()
