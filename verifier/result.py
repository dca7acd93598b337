"""What a verification returns: every check with its status, findings, and one verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"  # not applicable, or not asked for (on-chain checks with --offline)
    INCONCLUSIVE = "inconclusive"  # could not be decided: no chain reader, chain unreachable


class Verdict(StrEnum):
    VALID = "VALID"
    INVALID = "INVALID"
    INCONCLUSIVE = "INCONCLUSIVE"


@dataclass(frozen=True, slots=True)
class Check:
    """One named check. ``detail`` says what was compared, with the values, in English."""

    name: str
    status: Status
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """A fact the bundle proves that a reader must weigh, which never changes the verdict:
    a recomputed figure that disagrees with a wage line, a record voided by a correction, a
    worker's dispute. ``ok`` is False for what deserves the arbitrator's attention."""

    name: str
    ok: bool
    detail: str
    expected: str | None = None
    actual: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of verifying one bundle.

    ``verdict`` is INVALID if any check failed, else INCONCLUSIVE if any check could not be
    decided, else VALID. ``anchor_checked`` is False when the on-chain checks did not run
    (``--offline``): a VALID verdict then rests on the bundle alone. ``unreadable`` marks input
    that is not a JSON document at all (exit code 2 in the CLI). ``facts`` carries what the
    evidence report shows (record, signers, anchors); it is filled only for verified parts.
    """

    source: str
    kind: str | None
    checks: tuple[Check, ...]
    findings: tuple[Finding, ...] = ()
    anchor_checked: bool = False
    unreadable: bool = False
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> Verdict:
        statuses = {c.status for c in self.checks}
        if Status.FAILED in statuses or not self.checks:
            return Verdict.INVALID
        if Status.INCONCLUSIVE in statuses:
            return Verdict.INCONCLUSIVE
        return Verdict.VALID

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.status is Status.FAILED]

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "verdict": self.verdict.value,
            "anchor_checked": self.anchor_checked,
            "unreadable": self.unreadable,
            "checks": [
                {"name": c.name, "status": c.status.value, "detail": c.detail} for c in self.checks
            ],
            "findings": [
                {
                    "name": f.name, "ok": f.ok, "detail": f.detail, "expected": f.expected,
                    "actual": f.actual,
                }
                for f in self.findings
            ],  # fmt: skip
            "facts": self.facts,
        }
