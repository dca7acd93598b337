"""The stored form of entries (ledger/packing.py): exact round trips, a fixed dictionary, and
clear errors for a damaged row."""

from __future__ import annotations

from hashlib import sha256

import pytest
from sqlalchemy import select

from ledger import db
from ledger.core.errors import StoreError
from ledger.packing import DICTIONARY_V1, PACKED_V1, pack, unpack
from ledger.sample import SampleSite
from ledger.store import Store


def test_the_dictionary_never_changes() -> None:
    # Rows packed with it are on disk: a new dictionary needs a new first byte, not an edit.
    assert sha256(DICTIONARY_V1).hexdigest() == (
        "80170f25044c8ca8b7dcb3d2c6c388dcad145150e59340d5a6bc5faea340322f"
    )


def test_every_stored_entry_unpacks_to_its_canonical_bytes(store: Store, site: SampleSite) -> None:
    with store.engine.connect() as conn:
        rows = conn.execute(select(db.entries.c.seq, db.entries.c.body)).all()
    assert len(rows) > 10
    for seq, body in rows:
        e = store.entry(seq)
        assert e is not None
        assert unpack(body) == e.entry.canonical()
        assert bytes(body)[0] == PACKED_V1 and len(body) < len(e.entry.canonical())


@pytest.mark.parametrize(
    "canonical",
    [
        b"{}",
        '{"a":"示范住宅项目一期","b":"\\u0001\\"x\\\\"}'.encode(),
        b'{"received_at":"2026-11-20T02:00:00Z","record":{"x":"' + b"ab" * 3000 + b'"}}',
    ],
)
def test_round_trip_of_any_json(canonical: bytes) -> None:
    stored = pack(canonical)
    assert unpack(stored) == canonical
    assert len(stored) <= len(canonical)


def test_raw_rows_of_before_0006_still_read() -> None:
    assert unpack(b'{"seq":1}') == b'{"seq":1}'


@pytest.mark.parametrize(
    ("stored", "message"),
    [
        (b"", "empty"),
        (b"\x02abc", "unknown form 0x02"),
        (b"\x01not deflate at all", "does not inflate|trailing or missing"),
        (pack(b'{"received_at":"2026-11-20T02:00:00Z","v":2}')[:-3], "trailing or missing|inflate"),
        (pack(b'{"received_at":"2026-11-20T02:00:00Z","v":2}') + b"junk", "trailing or missing"),
    ],
)
def test_a_damaged_row_is_an_error_not_other_bytes(stored: bytes, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        unpack(stored)


def test_pack_refuses_what_is_not_an_entry() -> None:
    with pytest.raises(StoreError):
        pack(b"[1]")


def test_a_damaged_packed_row_is_reported_by_db_check(store: Store, site: SampleSite) -> None:
    from sqlalchemy import update

    from ledger.check import check

    seq = store.head() - 1
    with store.engine.begin() as conn:
        body = conn.execute(select(db.entries.c.body).where(db.entries.c.seq == seq)).scalar_one()
        damaged = bytes(body)[:-4] + bytes(4)
        conn.execute(update(db.entries).where(db.entries.c.seq == seq).values(body=damaged))
    with pytest.raises(StoreError, match="log corrupt"):
        store.entry(seq)
    report = check(store)
    assert any(f.kind == "body" and f.seq == seq for f in report.findings), report.lines()
