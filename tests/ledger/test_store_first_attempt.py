"""The append's first attempt without the duplicate lookup (``Store._write_bulk``).

A bulk is written first without reading which of its records are already logged; if any record
is refused or a unique index fires, that attempt is rolled back and the bulk runs again with the
lookup. These tests hold the results to what the lookup path gives, and check that nothing of a
rolled-back attempt stays behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import event, func, select

from ledger import db
from ledger.sample import SampleSite
from ledger.store import AppendResult, Store

D1 = date(2026, 10, 1)


def _at(site: SampleSite, minute: int) -> datetime:
    return datetime(2026, 10, 1, 7, minute, tzinfo=site.tz)


def _punches(site: SampleSite, first: int, n: int, subject: str = "w-0001") -> list[Any]:
    return [site.punch("GATE-01", subject, _at(site, i % 60), "in", i) for i in range(first, first + n)]


def _rows(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(db.entries)).scalar_one())


@pytest.fixture
def lookups(store: Store) -> Iterator[list[str]]:
    """The statements that read logged records by (signer, record_id), as they run."""
    seen: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().startswith("SELECT") and "record_id" in statement and "body" in statement:
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", before)
    yield seen
    event.remove(store.engine, "before_cursor_execute", before)


ENROLLMENT: dict[int, Any] = {}  # id(site) -> the signed enrollment of w-0001


@pytest.fixture
def enrolled(store: Store, site: SampleSite) -> SampleSite:
    rec = site.enroll("w-0001", site.subs[0], "T-REBAR", D1)
    r = store.append([rec])
    assert [x.status for x in r] == ["accepted"]
    ENROLLMENT[id(site)] = rec
    return site


def _statuses(results: list[AppendResult]) -> list[str]:
    return [r.status for r in results]


def test_a_bulk_of_new_records_is_written_without_the_lookup(
    store: Store, enrolled: SampleSite, lookups: list[str]
) -> None:
    head = store.head()
    out = store.append(_punches(enrolled, 1, 20))
    assert _statuses(out) == ["accepted"] * 20
    assert [r.seq for r in out] == list(range(head, head + 20))
    assert lookups == []
    assert store.head() == _rows(store) == head + 20


def test_a_logged_record_in_a_bulk_is_a_duplicate_and_nothing_is_half_stored(
    store: Store, enrolled: SampleSite, lookups: list[str]
) -> None:
    logged = _punches(enrolled, 1, 5)
    first = store.append(logged)
    head = store.head()
    bulk = _punches(enrolled, 6, 10)
    bulk.insert(4, logged[2])  # the same signed record again
    out = store.append(bulk)
    assert _statuses(out) == ["accepted"] * 4 + ["duplicate"] + ["accepted"] * 6
    assert out[4].seq == first[2].seq and out[4].receipt == first[2].receipt
    # gap-free, and the rolled-back attempt left no row: the new ones follow the old head
    assert [r.seq for r in out if r.status == "accepted"] == list(range(head, head + 10))
    assert store.head() == _rows(store) == head + 10
    assert lookups  # the second run read the logged records


def test_same_id_other_content_is_a_conflict_the_others_are_accepted(
    store: Store, enrolled: SampleSite
) -> None:
    store.append(_punches(enrolled, 1, 3))
    head = store.head()
    # the random match score and photo digest make this one differ from the logged GATE-01:2
    forged = enrolled.punch("GATE-01", "w-0001", _at(enrolled, 59), "out", 2)  # id GATE-01:2
    out = store.append([*_punches(enrolled, 4, 2), forged, *_punches(enrolled, 6, 2)])
    assert _statuses(out) == ["accepted", "accepted", "rejected", "accepted", "accepted"]
    assert out[2].code == "conflict" and out[2].field == "id"
    assert store.head() == _rows(store) == head + 4


def test_a_logged_enrollment_sent_again_is_a_duplicate_not_already_enrolled(
    store: Store, enrolled: SampleSite
) -> None:
    # The checks alone would call it "already-enrolled": the first attempt gives way to the
    # lookup, which finds the logged record.
    again = ENROLLMENT[id(enrolled)]
    head = store.head()
    out = store.append([again, *_punches(enrolled, 1, 2)])
    assert _statuses(out) == ["duplicate", "accepted", "accepted"]
    assert store.head() == head + 2


def test_a_rejected_record_gets_the_same_result_as_before(
    store: Store, enrolled: SampleSite
) -> None:
    stranger = enrolled.punch("GATE-01", "w-9999", _at(enrolled, 1), "in", 1)
    head = store.head()
    out = store.append([*_punches(enrolled, 2, 2), stranger, *_punches(enrolled, 4, 2)])
    assert _statuses(out) == ["accepted", "accepted", "rejected", "accepted", "accepted"]
    assert out[2].code == "not-enrolled" and out[2].field == "subject"
    assert [r.seq for r in out if r.ok] == list(range(head, head + 4))
    assert store.head() == _rows(store) == head + 4


def test_subject_chains_after_a_rolled_back_attempt(store: Store, enrolled: SampleSite) -> None:
    logged = _punches(enrolled, 1, 3)
    first = store.append(logged)
    out = store.append([*_punches(enrolled, 4, 2), logged[0]])
    assert _statuses(out) == ["accepted", "accepted", "duplicate"]
    chain = store.subject_chain("w-0001")
    assert [e.entry.subject_seq for e in chain] == list(range(len(chain)))
    assert chain[-1].seq == out[1].seq and chain[-2].seq == out[0].seq == first[-1].seq + 1
    for prev, cur in zip(chain, chain[1:], strict=False):
        assert cur.entry.subject_prev == prev.leaf_hash
