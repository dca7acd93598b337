"""The witness record of each anchored batch (migration 0005, ``Store.record_batch_witnesses``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, inspect, text
from sqlalchemy.exc import IntegrityError

from ledger import batcher, db
from ledger.core.errors import StoreError
from ledger.db import make_engine
from ledger.migrate import upgrade
from ledger.sample import SampleSite
from ledger.store import BatchWitnesses, Store
from tests.conftest import Clock

CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
OTHER = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"


def _set(n: int = 5, threshold: int = 3) -> dict:
    return {
        "threshold": threshold,
        "witnesses": [
            {"name": f"监理单位 {i}", "public_key": f"{i:04x}" * 24, "pop": f"{i:04x}" * 48}
            for i in range(n)
        ],
    }


def _witnessed(batch_no: int = 0, bitmap: int = 0b01011, registry: str = CONTRACT) -> BatchWitnesses:
    return BatchWitnesses(batch_no, registry, "witnessed", _set(), bitmap=bitmap,
                          signature=bytes(range(96)))  # fmt: skip


def _unwitnessed(batch_no: int = 0) -> BatchWitnesses:
    return BatchWitnesses(batch_no, CONTRACT, "unwitnessed", _set(),
                          reason="timeout after 60 s: 2 of 5 witnesses signed, threshold 3")  # fmt: skip


def _sealed(store: Store, site: SampleSite, clock: Clock, batches: int = 2) -> list[batcher.Batch]:
    out = []
    for b in range(batches):
        store.append([site.punch("GATE-01", "w-0001", datetime(2026, 10, 1, 7, b, tzinfo=site.tz),
                                 "in", b)] if b else
                     [site.enroll("w-0001", site.subs[0], "T-REBAR", date(2026, 10, 1))])  # fmt: skip
        clock.advance(seconds=6)
        out += batcher.seal(store, max_size=1000, force=True)
    return out


def _anchoring(store: Store, batch_no: int, w: BatchWitnesses | None, contract: str = CONTRACT) -> None:
    batcher.mark_anchoring(store, batch_no, tx_hash="0x" + "ab" * 32, nonce=batch_no,
                           chain_id=31337, contract=contract, registry=2, witnesses=w)  # fmt: skip


def test_witnessed_and_unwitnessed_round_trip(store: Store, site: SampleSite, clock: Clock) -> None:
    _sealed(store, site, clock)
    assert store.batch_witnesses(0) is None
    store.record_batch_witnesses(_witnessed(0))
    store.record_batch_witnesses(_unwitnessed(1))
    assert store.batch_witnesses(0) == _witnessed(0)
    assert store.batch_witnesses(1) == _unwitnessed(1)
    assert store.batch_witnesses_of([0, 1, 7]) == {0: _witnessed(0), 1: _unwitnessed(1)}
    # the set is stored as canonical JSON: names keep their characters, keys sorted
    with store._read() as conn:
        raw = conn.execute(text("SELECT witness_set, bitmap FROM batch_witnesses WHERE batch_no = 0")).one()
    assert raw[0].startswith('{"threshold":3,"witnesses":[{"name":"监理单位 0","pop":"0000')
    assert bytes(raw[1]) == (0b01011).to_bytes(32, "big")


def test_a_256_bit_bitmap_round_trips(store: Store, site: SampleSite, clock: Clock) -> None:
    _sealed(store, site, clock, 1)
    ws = _set(256, 200)
    w = BatchWitnesses(0, CONTRACT, "witnessed", ws, bitmap=2**256 - 1, signature=bytes(96))
    store.record_batch_witnesses(w)
    assert store.batch_witnesses(0) == w


def test_recording_again_replaces(store: Store, site: SampleSite, clock: Clock) -> None:
    _sealed(store, site, clock, 1)
    store.record_batch_witnesses(_unwitnessed(0))
    store.record_batch_witnesses(_witnessed(0, bitmap=0b11100))
    assert store.batch_witnesses(0) == _witnessed(0, bitmap=0b11100)


def test_no_record_for_a_batch_that_does_not_exist(store: Store, site: SampleSite, clock: Clock) -> None:
    _sealed(store, site, clock, 1)
    with pytest.raises(StoreError, match="no batch 5"):
        store.record_batch_witnesses(_witnessed(5))
    assert store.batch_witnesses(5) is None


def test_mark_anchoring_records_witnesses_in_its_transaction(
    store: Store, site: SampleSite, clock: Clock
) -> None:
    _sealed(store, site, clock)
    _anchoring(store, 0, _witnessed(0))
    assert batcher.batch(store, 0).state == "anchoring"  # type: ignore[union-attr]
    assert store.batch_witnesses(0) == _witnessed(0)
    # mined: None keeps the record; an adopted anchor's quorum replaces it
    batcher.mark_mined(store, 0, tx_hash="0x" + "ab" * 32, block_number=9, block_hash="0x" + "cd" * 32,
                       block_time=datetime(2026, 11, 20, tzinfo=UTC), chain_id=31337,
                       contract=CONTRACT, registry=2)  # fmt: skip
    assert store.batch_witnesses(0) == _witnessed(0)
    batcher.mark_mined(store, 0, tx_hash="0x" + "ef" * 32, block_number=9, block_hash="0x" + "cd" * 32,
                       block_time=datetime(2026, 11, 20, tzinfo=UTC), chain_id=31337,
                       contract=CONTRACT, registry=2, witnesses=_witnessed(0, 0b00111))  # fmt: skip
    assert store.batch_witnesses(0) == _witnessed(0, 0b00111)
    # reorged, then anchored again in a registry without witnesses: the old record goes
    batcher.mark_reorged(store, 0, "block 9 gone")
    _anchoring(store, 0, None, contract=OTHER)
    assert store.batch_witnesses(0) is None


def test_mark_anchoring_refuses_witnesses_of_another_batch_or_registry(
    store: Store, site: SampleSite, clock: Clock
) -> None:
    _sealed(store, site, clock)
    with pytest.raises(StoreError, match="not batch 0"):
        _anchoring(store, 0, _witnessed(1))
    with pytest.raises(StoreError, match=f"not {OTHER}"):
        _anchoring(store, 0, _witnessed(0), contract=OTHER)
    b = batcher.batch(store, 0)
    assert b is not None and b.state == "sealed" and b.tx_hash is None  # nothing was written
    assert store.batch_witnesses(0) is None
    # the registry address is compared without regard to letter case (checksummed or not)
    _anchoring(store, 0, _witnessed(0, registry=CONTRACT.lower()))
    assert store.batch_witnesses(0) == _witnessed(0, registry=CONTRACT.lower())


def test_a_failed_record_rolls_back_the_anchor(store: Store, site: SampleSite, clock: Clock) -> None:
    _sealed(store, site, clock)

    def boom(w: BatchWitnesses, *, conn: object = None) -> None:
        raise StoreError("disk full")

    store.record_batch_witnesses = boom  # type: ignore[method-assign]
    with pytest.raises(StoreError, match="disk full"):
        _anchoring(store, 1, _witnessed(1))
    b = batcher.batch(store, 1)
    assert b is not None and b.state == "sealed" and b.tx_hash is None and b.attempts == 0


BAD = [
    (dict(batch_no=-1), "batch_witnesses.batch_no"),
    (dict(registry="0x12"), "batch_witnesses.registry"),
    (dict(registry="0x" + "zz" * 20), "batch_witnesses.registry"),
    (dict(status="quorum"), "batch_witnesses.status"),
    (dict(bitmap=0), "batch_witnesses.bitmap: must name 1 or more"),
    (dict(bitmap=0b100000), "batch_witnesses.bitmap: must name 1 or more of the 5"),
    (dict(bitmap=0b00011), "names 2 witnesses, the threshold is 3"),
    (dict(bitmap=True), "batch_witnesses.bitmap"),
    (dict(signature=bytes(95)), "batch_witnesses.signature"),
    (dict(signature=None), "batch_witnesses.signature"),
    (dict(reason="late"), "batch_witnesses.reason: must be None"),
    (dict(witness_set={"threshold": 3}), "batch_witnesses.witness_set"),
    (dict(witness_set={**_set(), "extra": 1}), "batch_witnesses.witness_set"),
    (dict(witness_set={**_set(), "threshold": 6}), "witness_set.threshold"),
    (dict(witness_set={**_set(), "threshold": 0}), "witness_set.threshold"),
    (dict(witness_set={"threshold": 1, "witnesses": []}), "witness_set.witnesses"),
    (dict(witness_set={"threshold": 1, "witnesses": _set(257, 1)["witnesses"]}), "witness_set.witnesses"),
    (dict(witness_set={"threshold": 3, "witnesses": _set()["witnesses"][:4] + _set()["witnesses"][:1]}),
     "a public key appears twice"),
    (dict(witness_set={"threshold": 1, "witnesses": [{**_set()["witnesses"][0], "name": ""}]}),
     r"witnesses\[0\].name"),
    (dict(witness_set={"threshold": 1, "witnesses": [{**_set()["witnesses"][0], "public_key": "AB" * 48}]}),
     r"witnesses\[0\].public_key"),
    (dict(witness_set={"threshold": 1, "witnesses": [{**_set()["witnesses"][0], "pop": "ab" * 95}]}),
     r"witnesses\[0\].pop"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), BAD, ids=[m for _, m in BAD])
def test_malformed_records_are_refused_naming_the_field(change: dict, message: str) -> None:
    fields = dict(batch_no=0, registry=CONTRACT, status="witnessed", witness_set=_set(),
                  bitmap=0b111, signature=bytes(96), reason=None)  # fmt: skip
    with pytest.raises(StoreError, match=message):
        BatchWitnesses(**{**fields, **change})


@pytest.mark.parametrize(
    ("change", "message"),
    [(dict(reason=None), "batch_witnesses.reason"), (dict(reason=""), "batch_witnesses.reason"),
     (dict(reason="x" * 2001), "batch_witnesses.reason"), (dict(bitmap=0b111), "must be None"),
     (dict(signature=bytes(96)), "must be None")],
)  # fmt: skip
def test_malformed_unwitnessed_marks_are_refused(change: dict, message: str) -> None:
    fields = dict(batch_no=0, registry=CONTRACT, status="unwitnessed", witness_set=_set(),
                  bitmap=None, signature=None, reason="timeout")  # fmt: skip
    with pytest.raises(StoreError, match=message):
        BatchWitnesses(**{**fields, **change})


def test_migration_0005_up_and_down(db_url: str) -> None:
    upgrade(db_url, "0004")
    engine = make_engine(db_url)
    try:
        assert "batch_witnesses" not in inspect(engine).get_table_names()
        upgrade(db_url)
        insp = inspect(engine)
        assert "batch_witnesses" in insp.get_table_names()
        cols = {c["name"]: c for c in insp.get_columns("batch_witnesses")}
        assert set(cols) == {c.name for c in db.batch_witnesses.columns}
        assert [c for c, v in cols.items() if v["nullable"]] == ["bitmap", "signature", "reason"]
        with engine.begin() as conn:
            conn.execute(insert(db.batches).values(batch_no=0, first_seq=0, size=1, root=bytes(32),
                                                   state="sealed", sealed_at=0, attempts=0))  # fmt: skip
        # the database itself refuses a row whose status and columns disagree, or an orphan
        for row in (
            dict(batch_no=0, registry=CONTRACT, status="witnessed", witness_set="{}", reason="x"),
            dict(batch_no=0, registry=CONTRACT, status="other", witness_set="{}", reason="x"),
            dict(batch_no=9, registry=CONTRACT, status="unwitnessed", witness_set="{}", reason="x"),
        ):
            with pytest.raises(IntegrityError), engine.begin() as conn:
                conn.execute(insert(db.batch_witnesses).values(**row))
        from alembic import command

        from ledger.migrate import alembic_config

        command.downgrade(alembic_config(db_url), "0004")
        assert "batch_witnesses" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()
