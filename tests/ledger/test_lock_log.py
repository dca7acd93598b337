"""``db.lock_log``: the lock and the reads every append starts with, on SQLite and PostgreSQL.

Enrollments are read by (project, subject), the table's primary key: reading them by subject
alone scanned the whole table under the log lock, on every append.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from ledger import db
from ledger.sample import SampleSite
from ledger.store import Store

D1 = date(2026, 10, 1)


def _enroll(store: Store, site: SampleSite, *subjects: str) -> None:
    results = store.append([site.enroll(s, site.subs[0], "T-REBAR", D1) for s in subjects])
    assert all(r.status == "accepted" for r in results), results


def test_reads_the_heads_and_the_enrollments_asked_for(store: Store, site: SampleSite) -> None:
    _enroll(store, site, "w-0001", "w-0002", "w-0003")
    with store.engine.begin() as conn:
        head = store.head()
        next_seq, version, heads, enrolled, logged = db.lock_log(
            conn,
            ["w-0001", "w-0002", "w-0404"],
            [(site.project, "w-0001"), ("P-ELSEWHERE", "w-0002"), (site.project, "w-0404")],
        )
    assert next_seq == head and version >= 0
    assert set(heads) == {"w-0001", "w-0002"}  # w-0404 has no chain yet
    assert heads["w-0001"][0] == 1 and len(heads["w-0001"][1]) == 32
    # only the pair asked for: w-0002 is enrolled, but not on P-ELSEWHERE
    assert list(enrolled) == [(site.project, "w-0001")]
    row = enrolled[(site.project, "w-0001")]
    assert row["entry_date"] == D1.isoformat() and row["exited_seq"] is None
    assert logged is None  # no records asked about


def test_nothing_asked_reads_the_head_only(store: Store, site: SampleSite) -> None:
    with store.engine.connect() as conn:
        version = conn.execute(db.log_head.select()).one().registry_version
    with store.engine.begin() as conn:
        assert db.lock_log(conn, [], []) == (store.head(), version, {}, {}, None)


def test_many_subjects_at_once(store: Store, site: SampleSite) -> None:
    """More subjects and pairs than one SQLite statement takes (400 at a time)."""
    subjects = [f"w-{i:04d}" for i in range(900)]
    for k in range(0, len(subjects), 300):
        _enroll(store, site, *subjects[k : k + 300])
    asked = subjects + ["w-9999"]
    with store.engine.begin() as conn:
        _, _, heads, enrolled, _ = db.lock_log(conn, asked, [(site.project, s) for s in asked])
    assert set(heads) == set(subjects)
    assert set(enrolled) == {(site.project, s) for s in subjects}


def test_says_whether_records_asked_about_may_be_logged(store: Store, site: SampleSite) -> None:
    """PostgreSQL only: there a write of a small bulk carries its records as literals, and the
    server logs the text of a statement that fails. SQLite, and bulks larger than
    ``SCRIPTED_ROWS`` (sent by COPY), are not asked about: ``logged`` is None. False means
    that none of them is logged."""
    enrollments = [site.enroll(s, site.subs[0], "T-REBAR", D1) for s in ("w-0001", "w-0002")]
    assert all(r.ok for r in store.append(enrollments))
    signer = enrollments[0].record.signer
    logged = [(signer, e.record.id) for e in enrollments]
    other = "0" * 32  # no such key
    new = [(signer, "never-logged"), (other, enrollments[0].record.id), (other, "x-1")]
    pg = store.engine.dialect.name == "postgresql"

    def ask(records: list[tuple[str, str]]) -> bool | None:
        with store.engine.begin() as conn:
            return db.lock_log(conn, [], [], records)[4]

    some, none = (True, False) if pg else (None, None)
    assert ask(logged) is some and ask(logged[1:]) is some and ask([*new, logged[0]]) is some
    assert ask(new[:1]) is none and ask(new[1:]) is none and ask([]) is None
    # one signer: exact (PostgreSQL asks for any of the signers with any of the ids)
    assert ask([(signer, f"x-{i}") for i in range(db.SCRIPTED_ROWS)]) is none
    # a bulk larger than a script's goes by COPY: not asked about
    assert ask(logged + [(signer, f"x-{i}") for i in range(db.SCRIPTED_ROWS)]) is None


def test_a_replay_in_a_small_bulk_never_reaches_the_insert(
    store: Store, site: SampleSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first attempt of a bulk skips the duplicate read; on PostgreSQL it asks ``lock_log``
    whether any record is logged, and runs again with the read before writing anything. An
    insert that broke the unique index would put the statement, the records' literals included,
    in PostgreSQL's log."""
    assert store.append([site.enroll("w-0001", site.subs[0], "T-REBAR", D1)])[0].ok
    at = datetime(D1.year, D1.month, D1.day, 7, 0, tzinfo=site.tz)
    first = site.punch("GATE-01", "w-0001", at, "in", 1)
    assert store.append([first])[0].ok
    written: list[int] = []
    finish = db.finish_append
    monkeypatch.setattr(db, "finish_append",
                        lambda conn, rows, *a: (written.append(len(rows)), finish(conn, rows, *a)))  # fmt: skip
    second = site.punch("GATE-01", "w-0001", at + timedelta(hours=9), "out", 2)
    replay, new = store.append([first, second])
    assert replay.status == "duplicate" and new.status == "accepted"
    if store.engine.dialect.name == "postgresql":
        assert written == [1]  # only the second attempt's, with the new record (was [2, 1])
    else:  # SQLite: the first attempt's insert fails on the unique index, in this process
        assert written == [2, 1]


def test_a_refused_record_in_a_small_bulk_takes_one_attempt(
    store: Store, site: SampleSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL, when ``lock_log`` says that none of a small bulk's records is logged, a
    record the checks refuse is refused in the first attempt, and the others are written in it:
    the bulk takes the log lock once. SQLite is not asked, so a refusal there still sends the
    bulk round again, reading the logged records first."""
    assert store.append([site.enroll("w-0001", site.subs[0], "T-REBAR", D1)])[0].ok
    at = datetime(D1.year, D1.month, D1.day, 7, 0, tzinfo=site.tz)
    locks: list[bool | None] = []
    lock = db.lock_log
    monkeypatch.setattr(db, "lock_log",
                        lambda *a: (r := lock(*a), locks.append(r[4]))[0])  # fmt: skip
    good = site.punch("GATE-01", "w-0001", at, "in", 1)
    late = site.punch("GATE-01", "w-0001", datetime(2099, 1, 1, tzinfo=site.tz), "out", 2)
    ok, refused = store.append([good, late])
    assert ok.status == "accepted" and refused.status == "rejected"
    assert refused.code == "future-time", refused
    assert store.entry(ok.seq) is not None and store.head() == ok.seq + 1
    if store.engine.dialect.name == "postgresql":
        assert locks == [False]  # asked, none logged: one attempt
    else:
        assert locks == [None, None]  # the first attempt, then the one that reads
    # the same bulk again: the good one is a duplicate, the late one refused as before
    again = store.append([good, late])
    assert [r.status for r in again] == ["duplicate", "rejected"] and again[1].code == "future-time"
