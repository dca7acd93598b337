"""A small site's month in a real Store, sealed and anchored, for bundle and verifier tests.

``build(tmp_path)`` runs the same story every time (keys and records are deterministic from the
seed; the store's clock is fixed): genesis, project and keys, three workers enrolled on
2026-10-01 (worker 0 through the identity vault), a month of gate punches, October wage lines,
payments, a worker's acknowledgement, a voided duplicate punch with its approval, and a device
key revoked after all of that. Then every batch is sealed and anchored.

Anchoring: ``seal_and_anchor(fake=False)`` runs the real anchoring worker against the embedded
chain (``sc.reader`` then reads that chain); ``fake=True`` writes made-up transaction fields
straight into the batches table, which is quicker for offline tests. FAKE ANCHORS exist on no
chain: never use them with on-chain checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from hashlib import sha256
from pathlib import Path
from typing import Any

from sqlalchemy import update

from ledger import batcher, db
from ledger.core.entry import SignedRecord
from ledger.core.keys import SigningKey
from ledger.core.records import KeyRecord
from ledger.db import make_engine
from ledger.sample import SampleSite
from ledger.store import Store
from ledger.vault import Keyring, Vault

FAKE_CHAIN_ID = 31337
FAKE_CONTRACT = "0x" + "5f" * 20
CLOCK_START = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


@dataclass
class Scenario:
    store: Store
    site: SampleSite
    vault: Vault
    now: list[datetime]
    seqs: dict[str, int] = field(default_factory=dict)
    workers: list[str] = field(default_factory=list)
    identity: dict[str, str] = field(default_factory=dict)
    backend: Any = None
    reader: Any = None
    contract: str | None = None

    def append(self, name: str | None, signed: SignedRecord) -> int:
        self.tick(1)
        res = self.store.append([signed])[0]
        assert res.status == "accepted", (res.code, res.message, res.field)
        assert res.seq is not None
        if name:
            self.seqs[name] = res.seq
        return res.seq

    def append_all(self, signed: list[SignedRecord]) -> list[int]:
        out = []
        self.tick(1)
        for res in self.store.append(signed):
            assert res.status == "accepted", (res.code, res.message, res.field)
            assert res.seq is not None
            out.append(res.seq)
        return out

    def leaf(self, name: str) -> bytes:
        s = self.store.entry(self.seqs[name])
        assert s is not None
        return s.leaf_hash

    def tick(self, seconds: int = 60) -> None:
        self.now[0] += timedelta(seconds=seconds)


def fake_anchor(store: Store, chain_id: int = FAKE_CHAIN_ID, contract: str = FAKE_CONTRACT) -> None:
    """FAKE: mark every sealed batch anchored with made-up transaction fields (no chain)."""
    for b in batcher.batches(store, state="sealed", limit=10_000):
        tx = "0x" + sha256(b"fake-tx" + b.root).hexdigest()
        block = "0x" + sha256(b"fake-block" + b.root).hexdigest()
        t = b.sealed_at + timedelta(seconds=12)
        with store.engine.begin() as conn:
            conn.execute(
                update(db.batches)
                .where(db.batches.c.batch_no == b.batch_no)
                .values(
                    state="anchored", chain_id=chain_id, contract=contract, tx_hash=tx,
                    block_number=100 + b.batch_no, block_hash=block,
                    block_time=db.to_us(t.replace(microsecond=0)), anchored_at=db.to_us(t),
                )
            )  # fmt: skip


def new_store(path: Path, now: list[datetime]) -> tuple[Store, SigningKey]:
    root = SigningKey(sha256(b"siteledger test root").digest())
    store = Store(make_engine(f"sqlite:///{path}"), root, clock=lambda: now[0])
    store.create_schema()
    res = store.genesis(root, valid_from=datetime(2026, 9, 1, tzinfo=UTC))
    assert res.status == "accepted"
    return store, root


def build(
    tmp_path: Path, *, anchor: bool = True, fake: bool = True, days_off: int = 0
) -> Scenario:
    """The story of the module docstring; ``days_off`` shortens worker 2's wage line by that many
    days (and their hours), so that the wage recomputation has something to flag."""
    now = [CLOCK_START]
    tmp_path.mkdir(parents=True, exist_ok=True)
    store, root = new_store(tmp_path / "ledger.sqlite", now)
    site = SampleSite(root)
    vault = Vault(store.engine, Keyring.generate())
    sc = Scenario(store, site, vault, now)
    tz = site.tz
    setup_at = datetime(2026, 9, 30, 9, 0, tzinfo=tz)
    sc.append_all(site.setup(setup_at))
    org = site.subs[0]
    ident = site.identity(1)
    enrolled = vault.enroll(site.project, ident, now[0])
    sc.identity = ident
    sc.workers = [enrolled.subject, "w-0002", "w-0003"]
    for i, w in enumerate(sc.workers):
        commitment = enrolled.commitment if i == 0 else None
        sc.append(f"enroll{i}", site.enroll(w, org, "T-REBAR", date(2026, 10, 1), commitment))
        sc.append(f"workerkey{i}", site.worker_key(w, setup_at))
    n = {"GATE-01": 0, "GATE-02": 0}  # each gate numbers its own events (device_seq)
    for day in range(1, 32):
        d = date(2026, 10, day)
        if d.weekday() == 6:
            continue  # Sundays off
        for i, w in enumerate(sc.workers):
            n["GATE-01"] += 1
            sc.append(f"in-{i}-{day}", site.punch(
                "GATE-01", w, datetime(2026, 10, day, 7, 30 + i, tzinfo=tz), "in",
                n["GATE-01"]))  # fmt: skip
            n["GATE-02"] += 1
            sc.append(f"out-{i}-{day}", site.punch(
                "GATE-02", w, datetime(2026, 10, day, 17, 30 + i, tzinfo=tz), "out",
                n["GATE-02"]))  # fmt: skip
    # A duplicate punch, voided by a correction that the supervisor approves.
    n["GATE-01"] += 1
    sc.append("dup", site.punch("GATE-01", sc.workers[0], datetime(2026, 10, 2, 7, 31, tzinfo=tz),
                                "in", n["GATE-01"]))  # fmt: skip
    days = sum(1 for day in range(1, 32) if date(2026, 10, day).weekday() != 6)
    for i, w in enumerate(sc.workers):
        gross = 35000 * days
        ded = {"social_insurance": 20000, "income_tax": 1500}
        paid_days = days - (days_off if i == 2 else 0)
        sc.append(f"wage{i}", site.wage(
            w, org, "2026-10", paid_days, paid_days * 600, gross, ded, date(2026, 11, 15),
            datetime(2026, 11, 15, 10, 0, tzinfo=tz)))  # fmt: skip
    sc.append("correction", site.correction(
        org, datetime(2026, 11, 16, 9, 0, tzinfo=tz), action="void", reason="duplicate punch",
        subject=sc.workers[0], target=sc.leaf("dup")))  # fmt: skip
    sc.append("approval", site.approval(sc.leaf("correction"), datetime(2026, 11, 16, 10, 0,
                                                                         tzinfo=tz),
                                        subject=sc.workers[0]))
    for i, w in enumerate(sc.workers):
        wage = store.entry(sc.seqs[f"wage{i}"])
        assert wage is not None
        net = wage.entry.record.net  # type: ignore[attr-defined]
        sc.append(f"payment{i}", site.payment(
            w, org, "2026-10", net, date(2026, 11, 15), sc.leaf(f"wage{i}"),
            datetime(2026, 11, 15, 16, 0, tzinfo=tz)))  # fmt: skip
    sc.append("wage-approval", site.approval(sc.leaf("wage0"), datetime(2026, 11, 16, 11, 0,
                                                                         tzinfo=tz),
                                             subject=sc.workers[0]))
    sc.append("ack", site.ack(sc.workers[0], sc.leaf("wage0"),
                              datetime(2026, 11, 17, 20, 0, tzinfo=tz)))  # fmt: skip
    # October published to each worker: worker 0 acknowledges it, worker 1 objects, worker 2
    # stays silent (a one-day window, closed before the log's clock reaches the next entries).
    for i, w in enumerate(sc.workers):
        wage = store.entry(sc.seqs[f"wage{i}"])
        assert wage is not None
        line = wage.entry.record
        sc.append(f"publication{i}", site.publication(
            w, org, "2026-10", line.days, line.work_minutes,  # type: ignore[attr-defined]
            sc.leaf(f"wage{i}"), datetime(2026, 11, 15, 12, 0, tzinfo=tz),
            objection_days=1 if i == 2 else 7))  # fmt: skip
    sc.append("publication-ack", site.ack(sc.workers[0], sc.leaf("publication0"),
                                          datetime(2026, 11, 17, 20, 5, tzinfo=tz)))  # fmt: skip
    sc.append("publication-objection", site.ack(
        sc.workers[1], sc.leaf("publication1"), datetime(2026, 11, 17, 21, 0, tzinfo=tz),
        decision="dispute", reason="two days of overtime are missing"))  # fmt: skip
    # GATE-02 is replaced: revoked after everything above, which stays valid.
    rev = KeyRecord(
        id="revoke-gate-02", signer=site.admin.key_id, time=datetime(2026, 11, 18, 9, 0, tzinfo=tz),
        action="revoke", public_key=site.devices["GATE-02"].verify_key.public, holder="GATE-02",
        roles=(), projects=(), reason="device replaced",
    )  # fmt: skip
    sc.append("revoke-gate-02", SignedRecord.sign(rev, site.admin))
    if anchor:
        seal_and_anchor(sc, fake=fake)
    return sc


def seal_and_anchor(sc: Scenario, *, fake: bool = True, max_size: int = 64) -> None:
    batcher.seal(sc.store, max_size=max_size, force=True)
    if fake:
        fake_anchor(sc.store)
        return
    from anchor.backends import EmbeddedBackend
    from anchor.reader import ChainReader
    from anchor.worker import Anchorer
    from ledger.config import ChainConfig, Config

    if sc.backend is None:  # callers may set another backend first (an AnvilBackend)
        sc.backend = EmbeddedBackend()
    home = Path(str(sc.store.engine.url.database)).parent
    cfg = Config(home=home, database_url=str(sc.store.engine.url),
                 chain=ChainConfig(backend=sc.backend.name, confirmations=1))  # fmt: skip
    if sc.contract is None and sc.backend.name != "embedded":
        from anchor.deploy import deploy

        sc.contract = deploy(sc.backend.connect()).contract
    anchorer = Anchorer(sc.store, cfg, sc.backend, contract=sc.contract)
    try:
        report = anchorer.run_until_anchored(60)
        assert report.waiting == 0, report.lines()
        sc.contract = anchorer.contract
    finally:
        anchorer.close()
    sc.reader = ChainReader(sc.backend.connect().w3)


def anchored_fields(store: Store) -> list[dict[str, Any]]:
    return [
        {"batch_no": b.batch_no, "tx_hash": b.tx_hash, "root": b.root.hex()}
        for b in batcher.batches(store, limit=10_000)
    ]


__all__ = ["Scenario", "build", "fake_anchor", "new_store", "seal_and_anchor"]
