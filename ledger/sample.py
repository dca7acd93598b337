"""A sample construction site that signs realistic records: for the demo, tests and benchmarks.

Everything is deterministic from a seed (keys included), so two runs produce the same records.
The site has a general contractor, subcontractors with teams, a supervisor, gate devices with
their own keys, and workers identified only by pseudonymous subject ids.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ledger.core.commitment import IDENTITY_TAG, commit
from ledger.core.entry import SignedRecord
from ledger.core.keys import SigningKey
from ledger.core.records import (
    _CORP_CHARS,
    AckRecord,
    ApprovalRecord,
    AttendanceRecord,
    ContractTerms,
    CorrectionRecord,
    Deduction,
    EnrollmentRecord,
    ExitRecord,
    KeyRecord,
    OrgRecord,
    PaymentRecord,
    ProjectRecord,
    PublicationRecord,
    Record,
    Team,
    WageRecord,
    corp_code_check_char,
)


def corp_code(rng: random.Random) -> str:
    """A random 统一社会信用代码 with a correct check character."""
    body = "91" + "".join(rng.choice("0123456789") for _ in range(6))
    body += "".join(rng.choice(_CORP_CHARS) for _ in range(9))
    return body + corp_code_check_char(body)


@dataclass
class Org:
    corp_code: str
    name: str
    corp_type: str
    teams: list[str]
    key: SigningKey


@dataclass
class SampleSite:
    """Keys and record factories for one project. ``root`` is the operator's root key."""

    root: SigningKey
    project: str = "P-DEMO-001"
    tz: timezone = timezone(timedelta(hours=8))
    start: date = date(2026, 10, 1)
    seed: int = 1
    sync_allowance_days: int | None = None  # the project record's; None: the default (7 days)
    rng: random.Random = field(init=False)
    admin: SigningKey = field(init=False)
    supervisor: SigningKey = field(init=False)
    gc: Org = field(init=False)
    subs: list[Org] = field(init=False)
    devices: dict[str, SigningKey] = field(init=False)
    workers: dict[str, SigningKey] = field(init=False)
    _n: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.admin = self._key()
        self.supervisor = self._key()
        self.gc = Org(
            corp_code(self.rng), "示范总承包建设有限公司", "009", ["GC-MGMT"], self._key()
        )
        self.subs = [
            Org(corp_code(self.rng), "示范劳务分包有限公司", "006", ["T-REBAR", "T-CONCRETE"],
                self._key()),
            Org(corp_code(self.rng), "示范专业分包有限公司", "001", ["T-SCAFFOLD"], self._key()),
        ]  # fmt: skip
        self.devices = {}
        self.workers = {}

    def _key(self) -> SigningKey:
        return SigningKey(self.rng.randbytes(32))

    def _id(self, prefix: str) -> str:
        self._n += 1
        return f"{self.project}.{prefix}-{self._n:06d}"

    @staticmethod
    def sign(record: Record, key: SigningKey) -> SignedRecord:
        return SignedRecord.sign(record, key)

    def key_record(
        self, key: SigningKey, holder: str, roles: tuple[str, ...], signer: SigningKey,
        at: datetime, projects: tuple[str, ...] | None = None,
        valid_until: datetime | None = None,
    ) -> SignedRecord:  # fmt: skip
        rec = KeyRecord(
            id=self._id("key"), signer=signer.key_id, time=at, action="register",
            public_key=key.verify_key.public, holder=holder, roles=roles,
            projects=(self.project,) if projects is None else projects, valid_from=at,
            valid_until=valid_until,
        )  # fmt: skip
        return self.sign(rec, signer)

    def setup(self, at: datetime, devices: int = 2) -> list[SignedRecord]:
        """The records that open the project: project, orgs and every organisation's keys."""
        out = [
            self.sign(ProjectRecord(
                id=self._id("project"), signer=self.root.key_id, time=at, project=self.project,
                name="示范住宅项目一期", tz_offset="+08:00", general_contractor=self.gc.corp_code,
                start_date=self.start, sync_allowance_days=self.sync_allowance_days,
            ), self.root),
            self.key_record(self.admin, "operator-admin", ("admin",), self.root, at),
        ]  # fmt: skip
        for org in [self.gc, *self.subs]:
            out.append(self.sign(OrgRecord(
                id=self._id("org"), signer=self.admin.key_id, time=at, project=self.project,
                corp_code=org.corp_code, corp_name=org.name, corp_type=org.corp_type,
                teams=tuple(Team(team=t, name=t.lower()) for t in org.teams),
            ), self.admin))  # fmt: skip
            out.append(self.key_record(org.key, org.corp_code, ("contractor",), self.admin, at))
        out.append(
            self.key_record(self.supervisor, "SUPERVISOR-1", ("supervisor",), self.admin, at)
        )
        for n in range(devices):
            serial = f"GATE-{n + 1:02d}"
            self.devices[serial] = self._key()
            out.append(self.key_record(self.devices[serial], serial, ("device",), self.admin, at))
        return out

    def worker_key(self, subject: str, at: datetime) -> SignedRecord:
        self.workers[subject] = self._key()
        return self.key_record(self.workers[subject], subject, ("worker",), self.admin, at)

    def identity(self, n: int) -> dict[str, str]:
        """A made-up identity for worker number ``n`` (never in a record: for the vault)."""
        return {
            "name": f"工人{n:03d}",
            "id_type": "01",
            "id_number": f"11010119{80 + n % 20:02d}0101{n % 1000:03d}{n % 10}",
            "phone": f"138{n:08d}",
        }

    def enroll(
        self, subject: str, org: Org, team: str, day: date, commitment: bytes | None = None,
        work_type: str = "020",
    ) -> SignedRecord:  # fmt: skip
        at = datetime(day.year, day.month, day.day, 8, 0, tzinfo=self.tz)
        if commitment is None:
            commitment = commit(IDENTITY_TAG, {"subject": subject}, self.rng.randbytes(32))
        return self.sign(EnrollmentRecord(
            id=self._id("enroll"), signer=org.key.key_id, time=at, project=self.project,
            subject=subject, corp_code=org.corp_code, team=team, work_type=work_type,
            work_role="20", team_leader=False, date=day,
            contract=ContractTerms(period_type="fixed_term", start_date=day, unit="day",
                                   unit_price=35000),
            identity_commitment=commitment, insured=True,
        ), org.key)  # fmt: skip

    def exit(self, subject: str, org: Org, day: date) -> SignedRecord:
        at = datetime(day.year, day.month, day.day, 18, 0, tzinfo=self.tz)
        return self.sign(ExitRecord(
            id=self._id("exit"), signer=org.key.key_id, time=at, project=self.project,
            subject=subject, corp_code=org.corp_code, date=day,
        ), org.key)  # fmt: skip

    def punch(
        self, device: str, subject: str, at: datetime, direction: str, seq: int,
        source: str = "realtime",
    ) -> SignedRecord:  # fmt: skip
        key = self.devices[device]
        return self.sign(AttendanceRecord(
            id=f"{device}:{seq}", signer=key.key_id, time=at, project=self.project,
            subject=subject, device=device, device_seq=seq, direction=direction,
            verify_mode="face", source=source, match_score=self.rng.randint(80, 99),
            photo_digest=self.rng.randbytes(32),
        ), key)  # fmt: skip

    def wage(
        self, subject: str, org: Org, month: str, days: int, minutes: int, gross: int,
        deductions: dict[str, int], pay_date: date, at: datetime,
    ) -> SignedRecord:  # fmt: skip
        ded = tuple(Deduction(code=c, amount=a) for c, a in deductions.items())
        return self.sign(WageRecord(
            id=self._id("wage"), signer=org.key.key_id, time=at, project=self.project,
            subject=subject, corp_code=org.corp_code, pay_month=month, days=days,
            work_minutes=minutes, gross=gross, deductions=ded,
            net=gross - sum(deductions.values()), pay_date=pay_date, back_pay=False,
        ), org.key)  # fmt: skip

    def payment(
        self, subject: str, org: Org, month: str, amount: int, day: date, wage_leaf: bytes | None,
        at: datetime,
    ) -> SignedRecord:  # fmt: skip
        serial = commit(IDENTITY_TAG, {"bank_serial": self._id("BANK")}, self.rng.randbytes(32))
        return self.sign(PaymentRecord(
            id=self._id("pay"), signer=org.key.key_id, time=at, project=self.project,
            subject=subject, corp_code=org.corp_code, pay_month=month, amount=amount, date=day,
            status="paid", bank_serial_commitment=serial, wage=wage_leaf,
        ), org.key)  # fmt: skip

    def approval(
        self, target: bytes, at: datetime, decision: str = "approve", subject: str | None = None
    ) -> SignedRecord:
        """The supervisor's decision on ``target``; ``subject`` is required (by the store) when
        the target is about a worker, and must be that worker."""
        return self.sign(ApprovalRecord(
            id=self._id("approval"), signer=self.supervisor.key_id, time=at, project=self.project,
            target=target, decision=decision, subject=subject,
        ), self.supervisor)  # fmt: skip

    def publication(
        self, subject: str, org: Org, month: str, days: int, minutes: int, wage_leaf: bytes,
        at: datetime, objection_days: int = 7,
    ) -> SignedRecord:  # fmt: skip
        """The month published to the worker: the wage line's days and minutes, and the line."""
        return self.sign(PublicationRecord(
            id=self._id("pub"), signer=org.key.key_id, time=at, project=self.project,
            subject=subject, corp_code=org.corp_code, pay_month=month, days=days,
            work_minutes=minutes, wage=wage_leaf, objection_days=objection_days,
        ), org.key)  # fmt: skip

    def correction(self, org: Org, at: datetime, **kw: Any) -> SignedRecord:
        return self.sign(CorrectionRecord(
            id=self._id("corr"), signer=org.key.key_id, time=at, project=self.project, **kw,
        ), org.key)  # fmt: skip

    def ack(self, subject: str, target: bytes, at: datetime, decision: str = "confirm",
            reason: str | None = None) -> SignedRecord:  # fmt: skip
        key = self.workers[subject]
        return self.sign(AckRecord(
            id=self._id("ack"), signer=key.key_id, time=at, project=self.project, subject=subject,
            target=target, decision=decision, reason=reason,
        ), key)  # fmt: skip


@dataclass
class MonthPlan:
    """One month of a sample site's life, as the demo posts it (see ``month_plan``)."""

    month: str  # YYYY-MM
    workers: list[tuple[str, Org, str]]  # subject, employer, team
    days: list[date]  # working days
    offline_day: date  # GATE-02 uploads this day's punches one day late
    forgot_out: tuple[str, date]  # a worker whose OUT punch is missing: repaired (补卡)
    disputer: str  # the worker who disputes a wage line
    short_paid_fen: int  # how much less the disputer was paid than the net wage


def month_plan(site: SampleSite, month_start: date, n_workers: int = 60) -> MonthPlan:
    """Who works where and which days, for ``n_workers`` workers in the month ``month_start``."""
    teams = [(org, team) for org in site.subs for team in org.teams]
    workers = []
    for n in range(n_workers):
        org, team = teams[n % len(teams)]
        workers.append((f"w-{site.project[-3:]}-{n + 1:03d}", org, team))
    days = []
    d = month_start
    while d.month == month_start.month:
        if d.weekday() != 6:  # Sundays off
            days.append(d)
        d += timedelta(days=1)
    return MonthPlan(
        month=month_start.strftime("%Y-%m"),
        workers=workers,
        days=days,
        offline_day=days[len(days) // 3],
        forgot_out=(workers[1][0], days[len(days) // 2]),
        disputer=workers[2][0],
        short_paid_fen=2 * 35_000,
    )


def day_punches(
    site: SampleSite, plan: MonthPlan, day: date, counters: dict[str, int]
) -> dict[str, list[SignedRecord]]:
    """The IN and OUT punches of every worker on ``day``, by gate device.

    Workers use GATE-01 or GATE-02 by the parity of their number; arrival 07:10–07:50 and leaving
    17:00–17:40 local time. The worker of ``plan.forgot_out`` has no OUT punch that day.
    """
    planned: dict[str, list[tuple[datetime, str, str, str]]] = {d: [] for d in site.devices}
    for n, (subject, _, _) in enumerate(plan.workers):
        device = "GATE-01" if n % 2 == 0 else "GATE-02"
        arrive = datetime(day.year, day.month, day.day, 7, 10 + site.rng.randint(0, 40), tzinfo=site.tz)
        leave = datetime(day.year, day.month, day.day, 17, site.rng.randint(0, 40), tzinfo=site.tz)
        source = "backfill" if day == plan.offline_day and device == "GATE-02" else "realtime"
        planned[device].append((arrive, subject, "in", source))
        if (subject, day) != plan.forgot_out:
            planned[device].append((leave, subject, "out", source))
    # a gate numbers its events as they happen: device_seq follows the punch time (a counter
    # that ran ahead of the clock would show as missing events in every presence bundle)
    out: dict[str, list[SignedRecord]] = {d: [] for d in site.devices}
    for device, punches in planned.items():
        for at, subject, direction, source in sorted(punches, key=lambda p: p[0]):
            counters[device] = counters.get(device, 0) + 1
            out[device].append(site.punch(device, subject, at, direction, counters[device], source))
    return out


def repair_punch(
    site: SampleSite, plan: MonthPlan, counters: dict[str, int]
) -> SignedRecord:
    """The 补卡 OUT punch for ``plan.forgot_out``, entered manually at the gate the next day."""
    subject, day = plan.forgot_out
    n = next(i for i, w in enumerate(plan.workers) if w[0] == subject)
    device = "GATE-01" if n % 2 == 0 else "GATE-02"
    counters[device] = counters.get(device, 0) + 1
    key = site.devices[device]
    rec = AttendanceRecord(
        id=f"{device}:{counters[device]}", signer=key.key_id,
        time=datetime(day.year, day.month, day.day, 17, 30, tzinfo=site.tz), project=site.project,
        subject=subject, device=device, device_seq=counters[device], direction="out",
        verify_mode="manual", source="repair",
    )  # fmt: skip
    return site.sign(rec, key)
