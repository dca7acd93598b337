"""One presence computation: ``GET /v1/presence`` and the presence bundle's verified findings give
the same answer, whatever sequence of punches (late-synced, repaired), corrections (void, amend,
supplement) and approvals (approve, reject, pending, reversed) a worker's record holds.

Records are appended through the store (as the API's ingest does); the answer is asked over HTTP;
the bundle is fetched over HTTP and checked by the verifier offline, which must say VALID and
whose ``present``, ``enrolled`` and ``not_exited`` findings must equal the API's answer.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ledger import batcher
from ledger.core.entry import SignedRecord
from ledger.core.records import AttendanceRecord
from ledger.core.times import format_time
from tests.api.conftest import OWN, TZ8, World
from tests.verifier.scenario import fake_anchor
from verifier import Verdict, Verifier

DAY = date(2026, 10, 10)  # the enrollment's day (08:00 local); punches start two hours earlier
BASE = datetime(2026, 10, 10, 6, 0, tzinfo=TZ8)
DECIDED_AT = datetime(2026, 11, 2, 9, 0, tzinfo=TZ8)
_serials = itertools.count(20_000)
_people = itertools.count(500)

decisions = st.sampled_from([(), ("approve",), ("reject",), ("approve", "reject"),
                             ("reject", "approve")])  # fmt: skip
offsets = st.integers(0, 72 * 2).map(lambda n: timedelta(minutes=30 * n))
op = st.one_of(
    st.tuples(st.just("punch"), st.sampled_from(["in", "out"]), offsets),
    st.tuples(st.just("repair"), st.sampled_from(["in", "out"]), offsets, decisions),
    st.tuples(st.just("void"), st.integers(0, 50), decisions),
    st.tuples(st.just("amend"), st.integers(0, 50), offsets, decisions),
    st.tuples(st.just("exit"), st.integers(0, 3)),
)


def _punch(world: World, subject: str, direction: str, at: datetime, repair: bool) -> SignedRecord:
    site = world.projects[OWN].site
    device = "GATE-01"
    key = site.devices[device]
    n = next(_serials)
    if not repair:
        return site.punch(device, subject, at, direction, n)
    rec = AttendanceRecord(
        id=f"{device}:{n}", signer=key.key_id, time=at, project=site.project, subject=subject,
        device=device, device_seq=n, direction=direction, verify_mode="manual", source="repair",
    )  # fmt: skip
    return site.sign(rec, key)


def _append(world: World, rec: SignedRecord) -> bytes | None:
    """The leaf hash, or None when the store refuses the record (a punch after the worker's
    exit, say): refused records are part of the random input and exist on neither side."""
    r = world.store.append([rec])[0]
    assert r.ok or r.status == "rejected", r
    return r.leaf_hash if r.ok else None


def _decide(world: World, correction: bytes | None, decided: tuple[str, ...]) -> None:
    site = world.projects[OWN].site
    if correction is None:
        return
    for i, d in enumerate(decided):
        _append(world, site.approval(correction, DECIDED_AT + timedelta(minutes=i), d))


def _play(world: World, ops: list[Any]) -> str:
    proj = world.projects[OWN]
    site, org = proj.site, proj.site.subs[0]
    n = next(_people)
    got = world.vault.enroll(OWN, site.identity(n), world.clock())
    subject = got.subject
    assert _append(world, site.enroll(subject, org, "T-REBAR", DAY, commitment=got.commitment))
    punches: list[bytes] = []
    for o in ops:
        kind = o[0]
        if kind == "punch":
            leaf = _append(world, _punch(world, subject, o[1], BASE + o[2], False))
            if leaf is not None:
                punches.append(leaf)
        elif kind == "repair":
            leaf = _append(world, _punch(world, subject, o[1], BASE + o[2], True))
            if leaf is None:
                continue
            c = _append(world, site.correction(org, DECIDED_AT, action="supplement",
                                               replacement=leaf, subject=subject,
                                               reason="补卡: forgot to punch"))  # fmt: skip
            _decide(world, c, o[3])
            punches.append(leaf)
        elif kind == "void" and punches:
            target = punches[o[1] % len(punches)]
            c = _append(world, site.correction(org, DECIDED_AT, action="void", target=target,
                                               subject=subject, reason="duplicate punch"))  # fmt: skip
            _decide(world, c, o[2])
        elif kind == "amend" and punches:
            target = punches[o[1] % len(punches)]
            old = world.store.by_leaf(target)
            assert old is not None
            direction = old.entry.record.direction  # type: ignore[attr-defined]
            leaf = _append(world, _punch(world, subject, direction, BASE + o[2], True))
            if leaf is None:
                continue
            c = _append(world, site.correction(org, DECIDED_AT, action="amend", target=target,
                                               replacement=leaf, subject=subject,
                                               reason="wrong time"))  # fmt: skip
            _decide(world, c, o[3])
            punches.append(leaf)
        elif kind == "exit":
            _append(world, site.exit(subject, org, DAY + timedelta(days=o[1])))
    return subject


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(ops=st.lists(op, max_size=12),
       instants=st.lists(st.integers(-4, 80 * 2).map(lambda n: BASE + timedelta(minutes=30 * n)),
                         min_size=1, max_size=4))  # fmt: skip
# The two cases an independent check found answered differently before there was one function:
# the only IN voided by an approved correction; the only IN a repair whose supplement was rejected.
@example(ops=[("punch", "in", timedelta(hours=3)), ("void", 0, ("approve",))],
         instants=[BASE + timedelta(hours=5)])  # fmt: skip
@example(ops=[("repair", "in", timedelta(hours=3), ("reject",))],
         instants=[BASE + timedelta(hours=5)])  # fmt: skip
def test_api_presence_equals_the_verified_bundle(
    client: FlaskClient, world: World, ops: list[Any], instants: list[datetime]
) -> None:
    subject = _play(world, ops)
    batcher.seal(world.store, max_size=1000, force=True)
    fake_anchor(world.store)
    verifier = Verifier(None, offline=True)
    for at in instants:
        q = f"project={OWN}&subject={subject}&at={quote(format_time(at))}"
        ans = client.get(f"/v1/presence?{q}", headers=world.headers("insurer"))
        assert ans.status_code == 200, ans.json
        got = client.get(f"/v1/presence/bundle?{q}", headers=world.headers("insurer"))
        if got.status_code == 404:  # no enrollment at or before the instant: nothing to prove
            assert not ans.json["enrolled"] and not ans.json["present"], (at, ans.json)
            continue
        assert got.status_code == 200, got.json
        report = verifier.verify(got.json, "presence")
        assert report.verdict is Verdict.VALID, report.failed
        findings = {f.name: f.ok for f in report.findings}
        assert findings["present"] == ans.json["present"], (at, ops, ans.json, report.findings)
        assert findings["enrolled"] == ans.json["enrolled"], (at, ans.json)
        assert findings["not_exited"] == (not ans.json["exited"]), (at, ans.json)
