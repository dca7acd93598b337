"""Record types: what contractors, devices, supervisors and workers sign.

Each record is a frozen value checked at construction. Its JSON form is a flat object with the
common header ``v`` (format version: 2 for new records, 1 still decoded with the version 1 rules),
``type``, ``id`` (chosen by the signer; with the signer it
is the idempotency key), ``signer`` (the key id of the signing key) and ``time`` (when the fact
happened, as the signer's clock saw it), followed by the fields of its type. Field names follow
the national platform where one exists (see docs/records.md for the mapping).

No record field may hold a name, ID number, phone or bank card number: those live in the identity
vault and records carry a pseudonymous ``subject`` and salted commitments instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, ClassVar, Final, NewType

from ledger.core import FORMAT_VERSION, FORMAT_VERSIONS
from ledger.core.canonical import canonical_bytes, canonical_bytes_of_checked
from ledger.core.errors import EncodingError, ValidationError
from ledger.core.fields import (
    Bool,
    Date,
    Enum,
    Hex,
    Int,
    List,
    Month,
    Obj,
    Str,
    Time,
    Value,
    conv,
)
from ledger.core.times import offset_timezone

Fen = NewType("Fen", int)
"""Money in fen (分), 1/100 yuan. Never a float."""

MAX_FEN: Final = 10**11  # one billion yuan: more than any single wage line or transfer

KEY_ID = r"[0-9a-f]{32}"
CODE = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
RECORD_ID = r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}"
TZ_OFFSET = r"[+-](0[0-9]|1[0-4]):[0-5][0-9]"

_CORP_CHARS: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CORP_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# Codes of the national platform (全国建筑工人管理服务信息平台), see DOMAIN.md.
CORP_TYPES: Final = {
    "001": "专业分包", "002": "设备分包", "003": "材料分包", "004": "后勤服务",
    "005": "特殊设施分包", "006": "劳务分包", "007": "监理", "008": "建设单位",
    "009": "总承包单位", "010": "勘察", "011": "设计", "012": "其它",
}  # fmt: skip
WORK_TYPES: Final = {
    "010": "砌筑工", "020": "钢筋工", "030": "架子工", "040": "混凝土工", "050": "模板工",
    "060": "机械设备安装工", "070": "通风工", "080": "安装起重工", "090": "安装钳工",
    "100": "电气设备安装调试工", "110": "管道工", "120": "变电安装工", "130": "建筑电工",
    "140": "司泵工", "150": "挖掘铲运和桩工机械司机", "160": "桩机操作工", "170": "起重信号工",
    "180": "建筑起重机械安装拆卸工", "190": "装饰装修工", "200": "室内成套设施装饰工",
    "210": "建筑门窗幕墙安装工", "220": "幕墙制作工", "230": "防水工", "240": "木工",
    "250": "石工", "260": "焊工", "270": "爆破工", "280": "除尘工", "290": "测量放线工",
    "300": "线路架设工", "310": "古建筑传统石工", "320": "古建筑传统瓦工", "330": "古建筑传统彩画工",
    "340": "古建筑传统木工", "350": "古建筑传统油工", "360": "普工", "900": "管理人员",
    "990": "其他",
}  # fmt: skip
WORK_ROLES: Final = {"10": "管理人员", "20": "建筑工人"}
ROLES: Final = (
    "operator",
    "admin",
    "contractor",
    "payroll",
    "supervisor",
    "device",
    "worker",
    "bank",
)
VERIFY_MODES: Final = ("face", "fingerprint", "iris", "card", "mobile", "manual")
DEDUCTION_CODES: Final = ("social_insurance", "housing_fund", "income_tax", "advance", "meals",
                          "lodging", "other")  # fmt: skip


def corp_code_check_char(first17: str) -> str:
    """The GB 32100-2015 check character of a 统一社会信用代码 from its first 17 characters."""
    total = sum(_CORP_CHARS.index(c) * w for c, w in zip(first17, _CORP_WEIGHTS, strict=True))
    return _CORP_CHARS[(31 - total % 31) % 31]


@dataclass(frozen=True, slots=True)
class CorpCode:
    """A 统一社会信用代码: 18 characters, GB 32100-2015 check character last."""

    def decode(self, value: Any, path: str) -> str:
        return self.encode(value, path)

    def encode(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not re.fullmatch(f"[{_CORP_CHARS}]{{18}}", value):
            raise ValidationError("must be an 18-character 统一社会信用代码", path)
        want = corp_code_check_char(value[:17])
        if value[17] != want:
            raise ValidationError(f"check character is {value[17]!r}, want {want!r}", path)
        return value


def _f(c: Any, optional: bool = False) -> Any:
    return field(default=None, metadata=conv(c, optional)) if optional else field(metadata=conv(c))


FEN = Int(0, MAX_FEN)
HASH = Hex(32)

DEFAULT_SYNC_ALLOWANCE_DAYS: Final = 7
"""Sync allowance of a project whose record does not set one, and of records without a project."""
MAX_SYNC_ALLOWANCE_DAYS: Final = 90
MAX_OBJECTION_DAYS: Final = 60


# ---------------------------------------------------------------------------- nested values


@dataclass(frozen=True, slots=True, kw_only=True)
class Team(Value):
    team: str = _f(Str(pattern=CODE))
    name: str = _f(Str(64, free_text=True))


@dataclass(frozen=True, slots=True, kw_only=True)
class ContractTerms(Value):
    """The labour contract's terms (WorkerContract). ``unit_price`` in fen per ``unit``."""

    period_type: str = _f(Enum(("fixed_term", "per_task")))
    start_date: date = _f(Date())
    unit: str = _f(Enum(("hour", "day", "month", "piece", "task")))
    unit_price: Fen = _f(FEN)
    end_date: date | None = _f(Date(), optional=True)

    def __post_init__(self) -> None:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValidationError("ends before it starts", "end_date")


@dataclass(frozen=True, slots=True, kw_only=True)
class Location(Value):
    """A point in microdegrees (WGS-84 ×10⁶), integers so the bytes never depend on floats."""

    lat_e6: int = _f(Int(-90_000_000, 90_000_000))
    lng_e6: int = _f(Int(-180_000_000, 180_000_000))


@dataclass(frozen=True, slots=True, kw_only=True)
class Deduction(Value):
    code: str = _f(Enum(DEDUCTION_CODES))
    amount: Fen = _f(FEN)
    note: str | None = _f(Str(200, free_text=True), optional=True)


# ---------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True, kw_only=True)
class Record(Value):
    """Fields common to every record type. ``TYPE`` is the JSON ``type``."""

    TYPE: ClassVar[str] = ""
    SINCE: ClassVar[int] = 1
    """The first format version that has this record type."""
    V2_FIELDS: ClassVar[frozenset[str]] = frozenset()
    """Members this type gained in format version 2: unknown (refused) in a version 1 record."""

    id: str = _f(Str(64, pattern=RECORD_ID))
    signer: str = _f(Str(32, 32, KEY_ID))
    time: datetime = _f(Time())
    v: int = FORMAT_VERSION

    _canonical: bytes = field(default=b"", init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Every field through its converter (types, ranges, codes, lengths), then the rules
        # across fields; the canonical bytes are kept because signing and hashing need them.
        if type(self.v) is not int or self.v not in FORMAT_VERSIONS:
            raise ValidationError(f"unknown format version {self.v!r}", "v")
        if self.v < self.SINCE:
            raise ValidationError(
                f"format version {self.v} has no {self.TYPE} records", "type"
            )
        if self.v == 1:
            for name in sorted(self.V2_FIELDS):
                if getattr(self, name) is not None:
                    raise ValidationError("not a member in format version 1", name)
        data = self.to_json()
        self._rules()
        object.__setattr__(self, "_canonical", canonical_bytes(data))

    def _rules(self) -> None:
        """Rules across fields; subclasses extend."""

    @classmethod
    def _from_decoded(cls, values: dict[str, Any], obj: dict[str, Any]) -> Record:
        """Build a record from fields that every converter has just decoded from ``obj``.

        Each converter accepts only the canonical spelling of a value and decodes it one-to-one,
        so encoding the decoded fields would give ``obj`` back: the canonical bytes are taken
        from ``obj`` directly and the per-field re-encoding of ``__post_init__`` is skipped (it
        is half the cost of ingesting a record). Cross-field rules still run. The property
        tests in tests/core check ``record_from_json(r.to_json()).canonical() == r.canonical()``.
        """
        self = object.__new__(cls)
        for name, _, _ in cls._spec():
            object.__setattr__(self, name, values.get(name))
        object.__setattr__(self, "v", obj["v"])
        self._rules()
        object.__setattr__(self, "_canonical", canonical_bytes_of_checked(obj))
        return self

    @property
    def project_code(self) -> str | None:
        return getattr(self, "project", None)

    @property
    def subject_id(self) -> str | None:
        return getattr(self, "subject", None)

    def to_json(self) -> dict[str, Any]:
        return {"v": self.v, "type": self.TYPE, **Value.to_json(self)}

    def canonical(self) -> bytes:
        """The RFC 8785 bytes that are signed."""
        return self._canonical


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyRecord(Record):
    """Registers or revokes a public key. Signed by the operator root key or a project admin.

    ``projects`` empty means every project, which only the operator may grant. The root key's
    own registration is the log's first record and signs itself.
    """

    TYPE = "key"
    action: str = _f(Enum(("register", "revoke")))
    public_key: bytes = _f(Hex(32))
    holder: str = _f(Str(64, pattern=CODE))
    roles: tuple[str, ...] = _f(List(Enum(ROLES), 8, unique=True))
    projects: tuple[str, ...] = _f(List(Str(pattern=CODE), 100, unique=True))
    valid_from: datetime | None = _f(Time(), optional=True)
    valid_until: datetime | None = _f(Time(), optional=True)
    reason: str | None = _f(Str(200, free_text=True), optional=True)

    def _rules(self) -> None:
        if self.action == "register":
            if not self.roles:
                raise ValidationError("a registered key needs at least one role", "roles")
            if self.valid_from is None:
                raise ValidationError("required when registering", "valid_from")
            if self.valid_until is not None and self.valid_until <= self.valid_from:
                raise ValidationError("must be after valid_from", "valid_until")
        elif self.roles or self.projects or self.valid_from or self.valid_until:
            raise ValidationError("a revocation names the key and a reason only", "action")

    @property
    def subject_key_id(self) -> str:
        from ledger.core.keys import key_id

        return key_id(self.public_key)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectRecord(Record):
    """A project (ProjectMaster): its code, name, time zone and general contractor.

    ``sync_allowance_days`` (format version 2) is how long after a signing key's ``valid_until``
    the ledger still receives records that key signed, for gates that were offline; absent
    means ``DEFAULT_SYNC_ALLOWANCE_DAYS``.
    """

    TYPE = "project"
    V2_FIELDS = frozenset({"sync_allowance_days"})
    project: str = _f(Str(pattern=CODE))
    name: str = _f(Str(128, free_text=True))
    tz_offset: str = _f(Str(6, 6, TZ_OFFSET))
    general_contractor: str = _f(CorpCode())
    start_date: date = _f(Date())
    end_date: date | None = _f(Date(), optional=True)
    sync_allowance_days: int | None = _f(Int(0, MAX_SYNC_ALLOWANCE_DAYS), optional=True)

    def _rules(self) -> None:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValidationError("ends before it starts", "end_date")

    @property
    def tz(self) -> timezone:
        """The project's local time zone: a punch's calendar day is counted in it."""
        return offset_timezone(self.tz_offset)

    @property
    def allowance_days(self) -> int:
        """The sync allowance in days (the member, or the default when it is absent)."""
        if self.sync_allowance_days is None:
            return DEFAULT_SYNC_ALLOWANCE_DAYS
        return self.sync_allowance_days


@dataclass(frozen=True, slots=True, kw_only=True)
class OrgRecord(Record):
    """An organisation on a project (SubContractor / ProjectSubContractor) with its teams."""

    TYPE = "org"
    project: str = _f(Str(pattern=CODE))
    corp_code: str = _f(CorpCode())
    corp_name: str = _f(Str(128, free_text=True))
    corp_type: str = _f(Enum(tuple(CORP_TYPES)))
    teams: tuple[Team, ...] = _f(List(Obj(Team), 50))

    def _rules(self) -> None:
        codes = [t.team for t in self.teams]
        if len(set(codes)) != len(codes):
            raise ValidationError("team codes must be unique", "teams")


@dataclass(frozen=True, slots=True, kw_only=True)
class EnrollmentRecord(Record):
    """A worker enters the project (WorkerEntryExit type 1, with ProjectWorker and contract)."""

    TYPE = "enrollment"
    project: str = _f(Str(pattern=CODE))
    subject: str = _f(Str(64, 3, CODE))
    corp_code: str = _f(CorpCode())
    team: str = _f(Str(pattern=CODE))
    work_type: str = _f(Enum(tuple(WORK_TYPES)))
    work_role: str = _f(Enum(tuple(WORK_ROLES)))
    team_leader: bool = _f(Bool())
    date: date = _f(Date())
    contract: ContractTerms = _f(Obj(ContractTerms))
    identity_commitment: bytes = _f(HASH)
    insured: bool = _f(Bool())


@dataclass(frozen=True, slots=True, kw_only=True)
class ExitRecord(Record):
    """A worker leaves the project (WorkerEntryExit type 0)."""

    TYPE = "exit"
    project: str = _f(Str(pattern=CODE))
    subject: str = _f(Str(64, 3, CODE))
    corp_code: str = _f(CorpCode())
    date: date = _f(Date())
    reason: str | None = _f(Str(200, free_text=True), optional=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class AttendanceRecord(Record):
    """One gate punch (WorkerAttendance), signed by the gate device's own key.

    ``time`` is the device's clock; ``device_seq`` is the device's own record number, which with
    the device makes the idempotency key of uploads that repeat until acknowledged.
    """

    TYPE = "attendance"
    project: str = _f(Str(pattern=CODE))
    subject: str = _f(Str(64, 3, CODE))
    device: str = _f(Str(64, pattern=CODE))
    device_seq: int = _f(Int(0))
    direction: str = _f(Enum(("in", "out")))
    verify_mode: str = _f(Enum(VERIFY_MODES))
    source: str = _f(Enum(("realtime", "backfill", "repair")))
    match_score: int | None = _f(Int(0, 100), optional=True)
    photo_digest: bytes | None = _f(HASH, optional=True)
    location: Location | None = _f(Obj(Location), optional=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class WageRecord(Record):
    """One payroll line (PayRollDetail) for one worker and month. Amounts in fen.

    Rule: gross − Σ deductions = net. Hours are whole minutes so nothing is a float.
    """

    TYPE = "wage"
    project: str = _f(Str(pattern=CODE))
    subject: str = _f(Str(64, 3, CODE))
    corp_code: str = _f(CorpCode())
    pay_month: str = _f(Month())
    days: int = _f(Int(0, 31))
    work_minutes: int = _f(Int(0, 31 * 24 * 60))
    gross: Fen = _f(FEN)
    deductions: tuple[Deduction, ...] = _f(List(Obj(Deduction), 20))
    net: Fen = _f(FEN)
    pay_date: date = _f(Date())
    back_pay: bool = _f(Bool())

    def _rules(self) -> None:
        deducted = sum(d.amount for d in self.deductions)
        if self.gross - deducted != self.net:
            raise ValidationError(
                f"gross {self.gross} − deductions {deducted} = {self.gross - deducted}, "
                f"but net is {self.net}",
                "net",
            )
        if self.work_minutes > self.days * 24 * 60:
            raise ValidationError(
                f"{self.work_minutes} minutes in {self.days} days", "work_minutes"
            )
        if self.pay_date.isoformat()[:7] < self.pay_month:
            raise ValidationError(f"paid before the month {self.pay_month} began", "pay_date")


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentRecord(Record):
    """A transfer from the wage special account (工资专用账户). The bank serial is committed."""

    TYPE = "payment"
    project: str = _f(Str(pattern=CODE))
    subject: str = _f(Str(64, 3, CODE))
    corp_code: str = _f(CorpCode())
    pay_month: str = _f(Month())
    amount: Fen = _f(FEN)
    date: date = _f(Date())
    status: str = _f(Enum(("paid", "failed", "returned")))
    bank_serial_commitment: bytes = _f(HASH)
    wage: bytes | None = _f(HASH, optional=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class CorrectionRecord(Record):
    """Voids, amends or supplements (补卡) an earlier record, named by its leaf hash.

    ``void`` needs ``target``; ``amend`` needs ``target`` and the ``replacement`` that supersedes
    it; ``supplement`` needs the ``replacement`` (the repair punch) and no target. A correction
    takes effect once a supervisor's ``approval`` of it is in the log.

    ``subject`` is optional in the record itself; from format version 2 the store requires it
    whenever the target or the replacement is about a worker (and equal to that worker), so the
    correction joins the worker's chain.
    """

    TYPE = "correction"
    project: str = _f(Str(pattern=CODE))
    action: str = _f(Enum(("void", "amend", "supplement")))
    reason: str = _f(Str(500, free_text=True))
    subject: str | None = _f(Str(64, 3, CODE), optional=True)
    target: bytes | None = _f(HASH, optional=True)
    replacement: bytes | None = _f(HASH, optional=True)

    def _rules(self) -> None:
        if self.action in ("void", "amend") and self.target is None:
            raise ValidationError(f"required for {self.action}", "target")
        if self.action == "supplement" and self.target is not None:
            raise ValidationError("a supplement adds a record and corrects none", "target")
        if self.action in ("amend", "supplement") and self.replacement is None:
            raise ValidationError(f"required for {self.action}", "replacement")
        if self.action == "void" and self.replacement is not None:
            raise ValidationError("a void has no replacement", "replacement")


@dataclass(frozen=True, slots=True, kw_only=True)
class ApprovalRecord(Record):
    """A supervisor's (监理) approval or rejection of a wage line, correction or payroll.

    ``subject`` (format version 2) names the worker the target is about; the store requires it
    whenever the target is about a worker, so the approval joins the worker's chain.
    """

    TYPE = "approval"
    V2_FIELDS = frozenset({"subject"})
    project: str = _f(Str(pattern=CODE))
    target: bytes = _f(HASH)
    decision: str = _f(Enum(("approve", "reject")))
    comment: str | None = _f(Str(500, free_text=True), optional=True)
    subject: str | None = _f(Str(64, 3, CODE), optional=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class AckRecord(Record):
    """The worker confirms or disputes a wage line, a payment or (format version 2) a
    publication of the month, with the worker's own key. A dispute's ``reason`` is the
    worker's objection."""

    TYPE = "ack"
    project: str = _f(Str(pattern=CODE))
    subject: str = _f(Str(64, 3, CODE))
    target: bytes = _f(HASH)
    decision: str = _f(Enum(("confirm", "dispute")))
    reason: str | None = _f(Str(500, free_text=True), optional=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicationRecord(Record):
    """The employer publishes a worker's month to the worker (format version 2).

    It shows the days and minutes of the month and names the wage line it publishes by its
    leaf hash (``wage``). The worker may object (an ``ack`` with decision ``dispute``) or confirm
    until ``closes_at``: ``time`` + ``objection_days`` × 24 h. A month published and not
    objected to within the window is what courts accept for unsigned electronic attendance and
    payroll records (DOMAIN.md).
    """

    TYPE = "publication"
    SINCE = 2
    project: str = _f(Str(pattern=CODE))
    subject: str = _f(Str(64, 3, CODE))
    corp_code: str = _f(CorpCode())
    pay_month: str = _f(Month())
    days: int = _f(Int(0, 31))
    work_minutes: int = _f(Int(0, 31 * 24 * 60))
    wage: bytes = _f(HASH)
    objection_days: int = _f(Int(1, MAX_OBJECTION_DAYS))

    def _rules(self) -> None:
        if self.work_minutes > self.days * 24 * 60:
            raise ValidationError(
                f"{self.work_minutes} minutes in {self.days} days", "work_minutes"
            )

    @property
    def closes_at(self) -> datetime:
        """The end of the objection window: an ack received after it is refused."""
        return self.time + timedelta(days=self.objection_days)


@dataclass(frozen=True, slots=True, kw_only=True)
class TrainingRecord(Record):
    """Safety or skills training (ProjectTraining / 培训档案)."""

    TYPE = "training"
    project: str = _f(Str(pattern=CODE))
    subject: str = _f(Str(64, 3, CODE))
    course: str = _f(Str(pattern=CODE))
    course_name: str = _f(Str(128, free_text=True))
    date: date = _f(Date())
    minutes: int = _f(Int(1, 24 * 60))
    passed: bool = _f(Bool())


RECORD_TYPES: Final[dict[str, type[Record]]] = {
    cls.TYPE: cls
    for cls in (
        KeyRecord, ProjectRecord, OrgRecord, EnrollmentRecord, ExitRecord, AttendanceRecord,
        WageRecord, PaymentRecord, CorrectionRecord, ApprovalRecord, AckRecord, TrainingRecord,
        PublicationRecord,
    )
}  # fmt: skip

# Which role may sign which record type. Key records are further limited in ledger.core.policy.
ROLE_TYPES: Final[dict[str, frozenset[str]]] = {
    "operator": frozenset({"key", "project", "org"}),
    "admin": frozenset({"key", "project", "org"}),
    "contractor": frozenset(
        {"enrollment", "exit", "wage", "payment", "correction", "training", "publication"}
    ),
    "payroll": frozenset({"wage", "publication"}),
    "supervisor": frozenset({"approval"}),
    "device": frozenset({"attendance"}),
    "worker": frozenset({"ack"}),
    "bank": frozenset({"payment"}),
}


def record_from_json(obj: Any) -> Record:
    """Decode and check one record object; raises EncodingError naming the failing field."""
    if not isinstance(obj, dict):
        raise EncodingError(f"must be an object, got {type(obj).__name__}", "record")
    version = obj.get("v")
    if type(version) is not int or version not in FORMAT_VERSIONS:  # not True, not 1.0
        raise EncodingError(f"unknown format version {version!r}, want 1 or 2", "v")
    kind = obj.get("type")
    cls = RECORD_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None or version < cls.SINCE:
        suffix = f" in format version {version}" if cls is not None else ""
        raise EncodingError(f"unknown record type {kind!r}{suffix}", "type")
    if version == 1 and cls.V2_FIELDS:
        for name in sorted(cls.V2_FIELDS):
            if name in obj:
                raise EncodingError("unknown field in format version 1", name)
    values = cls._decode_fields(obj, "", _HEADER)
    return cls._from_decoded(values, obj)


_HEADER: Final = frozenset({"v", "type"})
