"""Bulk loader for benchmarks: millions of attendance entries into a ledger database, fast.

The log it writes is the one ``Store.append`` would write for the same records, row for row
(``tests/ledger/test_bulk_load.py`` loads the same records both ways and compares every table),
without the per-record round trips of an append:

1. ``setup``: the genesis record, ``--projects`` sample sites (project, orgs, keys, ``--gates``
   gate devices each) and ``--workers`` enrolled workers, appended through ``Store.append``
   (every rule checked).
2. ``punches``: rounds in which every worker punches once (in, then out, twice a day), built
   by ``--procs`` generator processes that each own a range of workers (and so their subject
   chains): sign the record with the gate's key, build the entry and its row with
   ``ledger.store.entry_row`` (the function every append uses), and encode the rows for
   PostgreSQL's binary COPY. The parent writes ``--rounds-per-commit`` rounds in one transaction:
   the entries (COPY), the workers' subject heads and ``log_head``, so every commit leaves a
   consistent log (``siteledger db check`` passes at any commit) and a stopped load resumes where
   it stopped. The rules are not checked again here: the records are built to pass them (the test
   appends them through ``Store.append`` and every one is accepted).
3. ``seal``: the real sealer (``ledger.batcher.seal``, head maps and signed batch heads
   included), in a process of its own while punches are written, in batches of 50,000; then
   (PostgreSQL) ``VACUUM (ANALYZE)``.

Every worker punches once a round in worker order, at its gate (workers are spread over the
projects and their gates); the entry's ``received_at`` is the time its round was generated.

    .venv/bin/python bench/load.py --database URL --stored 10000000 [--workers 100000]
        [--projects 4] [--gates 4] [--procs 2] [--rounds-per-commit 10] [--no-seal]

``--database`` is a PostgreSQL URL (or ``sqlite:///path``); an empty database is set up first,
a database this loader filled before is continued up to ``--stored`` entries (same options).
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import struct
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from multiprocessing.connection import Connection as Pipe
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nacl.bindings import crypto_sign  # noqa: E402
from sqlalchemy import Engine, bindparam, func, select, text  # noqa: E402

from ledger import batcher, db  # noqa: E402
from ledger.core.entry import Entry, SignedRecord  # noqa: E402
from ledger.core.keys import RECORD_TAG, SigningKey, signing_input  # noqa: E402
from ledger.core.records import AttendanceRecord  # noqa: E402
from ledger.core.times import utc_now  # noqa: E402
from ledger.db import make_engine  # noqa: E402
from ledger.migrate import upgrade  # noqa: E402
from ledger.sample import SampleSite  # noqa: E402
from ledger.store import MAX_BULK, Store, entry_row  # noqa: E402

ROOT = SigningKey(bytes(range(32)))
START = date(2026, 9, 1)  # the first day of punches; workers are enrolled the day before
BATCH = 50_000
COLUMNS = tuple(c.name for c in db.entries.c)
_TZ = timezone(timedelta(hours=8))


@dataclass(frozen=True, slots=True)
class Shape:
    """What is loaded: the sites, their gates and workers, and the first day of punches."""

    projects: int = 4
    gates: int = 4
    workers: int = 100_000
    start: date = START

    def __post_init__(self) -> None:
        if self.workers % (self.projects * self.gates):
            raise ValueError("--workers must be a multiple of --projects × --gates")

    def sites(self) -> list[SampleSite]:
        """The sample sites (deterministic: keys from their seeds), before ``setup``."""
        return [SampleSite(ROOT, project=f"P-BENCH-{k + 1:03d}", seed=100 + k, start=self.start)
                for k in range(self.projects)]  # fmt: skip

    def subject(self, n: int) -> str:
        return f"w-{n:06d}"

    def punch(self, sites: Sequence[SampleSite], i: int) -> SignedRecord:
        """Punch number ``i``: round ``i // workers``, worker ``i % workers``, at the worker's
        gate; the gate's counter is its punches before this one (requires the sites set up)."""
        r, n = divmod(i, self.workers)
        site = sites[n % self.projects]
        per_gate = self.workers // (self.projects * self.gates)
        device = f"GATE-{(n // self.projects) % self.gates + 1:02d}"
        device_seq = r * per_gate + n // (self.projects * self.gates)
        day = self.start + timedelta(days=r // 2)
        at = datetime(day.year, day.month, day.day, 7 if r % 2 == 0 else 17, 0, tzinfo=_TZ)
        at += timedelta(seconds=n % 3600)
        noise = hashlib.sha256(b"bench punch %d" % i).digest()
        key = site.devices[device]
        rec = AttendanceRecord(
            id=f"{device}:{device_seq}", signer=key.key_id, time=at, project=site.project,
            subject=self.subject(n), device=device, device_seq=device_seq,
            direction="in" if r % 2 == 0 else "out", verify_mode="face", source="realtime",
            match_score=80 + noise[0] % 20, photo_digest=noise,
        )  # fmt: skip
        # libsodium's Ed25519, twice OpenSSL's speed here; the signature is the same bytes
        # (Ed25519 is deterministic: tests/ledger/test_bulk_load.py compares with SignedRecord.sign)
        sig = crypto_sign(signing_input(RECORD_TAG, rec.canonical()), key.seed + key.verify_key.public)
        return SignedRecord(rec, sig[:64])


def empty_database(url: str) -> None:
    """Drop every table of the PostgreSQL database at ``url`` (the benchmarks' ``--database``,
    which they say they empty, and the tests' database)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def setup_at(shape: Shape) -> datetime:
    return datetime.combine(shape.start - timedelta(days=2), datetime.min.time(), UTC)


def set_up(store: Store, shape: Shape) -> list[SampleSite]:
    """Genesis, the sites and the enrolled workers, through ``Store.append``."""
    at = setup_at(shape)
    store.genesis(ROOT, valid_from=at)
    sites = shape.sites()
    for site in sites:
        _append_all(store, list(site.setup(at, devices=shape.gates)))
    day = shape.start - timedelta(days=1)
    enroll = [sites[n % shape.projects].enroll(shape.subject(n), sites[n % shape.projects].subs[0],
                                               "T-REBAR", day)
              for n in range(shape.workers)]  # fmt: skip
    _append_all(store, enroll)
    return sites


def _append_all(store: Store, items: list[Any]) -> None:
    for k in range(0, len(items), MAX_BULK):
        results = store.append(items[k : k + MAX_BULK])
        bad = [r for r in results if not r.ok]
        if bad:
            raise SystemExit(f"set-up record rejected: {bad[0]}")


def ready_sites(shape: Shape) -> list[SampleSite]:
    """The sites with their gate keys, as ``set_up`` made them (without touching a database)."""
    sites = shape.sites()
    for site in sites:
        site.setup(setup_at(shape), devices=shape.gates)
    return sites


# ------------------------------------------------------------------ rows


def build_rows(
    shape: Shape, sites: Sequence[SampleSite], first_seq: int, i0: int, i1: int,
    heads: dict[str, tuple[int, bytes]], received_at: datetime,
) -> list[dict[str, Any]]:  # fmt: skip
    """The ``entries`` rows of punches ``i0 .. i1 - 1`` at seq ``first_seq + i``; ``heads``
    (subject -> (next subject_seq, last leaf hash)) is moved on as each entry joins its chain."""
    rows = []
    for i in range(i0, i1):
        signed = shape.punch(sites, i)
        subject = signed.record.subject_id
        assert subject is not None
        sseq, prev = heads[subject]
        leaf, row = entry_row(Entry(first_seq + i, received_at, signed, sseq, prev))
        heads[subject] = (sseq + 1, leaf)
        rows.append(row)
    return rows


_I16, _I32, _I64 = struct.Struct("!hih"), struct.Struct("!ii"), struct.Struct("!iq")
_NULL = b"\xff\xff\xff\xff"
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
COPY_TRAILER = b"\xff\xff"


def _field(value: bytes | None) -> bytes:
    return _NULL if value is None else struct.pack("!i", len(value)) + value


def copy_row(row: dict[str, Any]) -> bytes:
    """One row of ``entries`` in PostgreSQL's binary COPY format (the column types of
    ``ledger.db.entries``: bigint, bytea, smallint, varchar ×2, integer, bytea, varchar, bigint,
    bytea ×3), with the values the column types store (``KeyId``: 16 bytes, ``RecordType``:
    its number)."""
    sseq = row["subject_seq"]
    return b"".join((
        struct.pack("!hiq", len(COLUMNS), 8, row["seq"]),
        _field(row["leaf_hash"]),
        struct.pack("!ih", 2, db.RECORD_TYPES[row["type"]]),
        _field(None if row["project"] is None else row["project"].encode()),
        _field(None if row["subject"] is None else row["subject"].encode()),
        _NULL if sseq is None else _I32.pack(4, sseq),
        _field(bytes.fromhex(row["signer"])),
        _field(row["record_id"].encode()),
        _I64.pack(8, row["record_time"]),
        _field(row["target"]),
        _field(row["replacement"]),
        _field(row["body"]),
    ))  # fmt: skip


# ------------------------------------------------------------------ generator processes


def _generator(pipe: Pipe, shape: Shape, lo: int, hi: int, first_seq: int, binary: bool) -> None:
    """A generator process: owns workers ``lo .. hi - 1``; for each request (first round, last
    round, received_at per round) answers the rows of its workers in each round (COPY bytes if
    ``binary``, else row dicts) and its workers' heads after them."""
    sites = ready_sites(shape)
    heads: dict[str, tuple[int, bytes]] = pipe.recv()
    while True:
        job = pipe.recv()
        if job is None:
            return
        r0, r1, times = job
        out = []
        for r, received_at in zip(range(r0, r1), times, strict=True):
            base = r * shape.workers
            rows = build_rows(shape, sites, first_seq, base + lo, base + hi, heads, received_at)
            out.append(b"".join(copy_row(row) for row in rows) if binary else rows)
        pipe.send((out, heads))


class Generators:
    """``procs`` generator processes, each owning a contiguous range of workers."""

    def __init__(self, shape: Shape, procs: int, first_seq: int, binary: bool,
                 heads: dict[str, tuple[int, bytes]]) -> None:  # fmt: skip
        ctx = multiprocessing.get_context("spawn")
        step = -(-shape.workers // procs)
        self.pipes: list[Pipe] = []
        self.procs = []
        for lo in range(0, shape.workers, step):
            hi = min(shape.workers, lo + step)
            mine, theirs = ctx.Pipe()
            p = ctx.Process(target=_generator, args=(theirs, shape, lo, hi, first_seq, binary),
                            daemon=True)  # fmt: skip
            p.start()
            mine.send({shape.subject(n): heads[shape.subject(n)] for n in range(lo, hi)})
            self.pipes.append(mine)
            self.procs.append(p)

    def request(self, r0: int, r1: int, times: list[datetime]) -> None:
        for pipe in self.pipes:
            pipe.send((r0, r1, times))

    def collect(self) -> tuple[list[list[Any]], dict[str, tuple[int, bytes]]]:
        """Per round, the parts in worker order; and the heads of every worker."""
        parts, heads = [], {}
        for pipe in self.pipes:
            out, h = pipe.recv()
            parts.append(out)
            heads.update(h)
        rounds = [[part[k] for part in parts] for k in range(len(parts[0]))]
        return rounds, heads

    def close(self) -> None:
        for pipe in self.pipes:
            pipe.send(None)
        for p in self.procs:
            p.join(timeout=30)


# ------------------------------------------------------------------ writing


def write_rounds(engine: Engine, expect_head: int, rounds: list[list[Any]],
                 heads: dict[str, tuple[int, bytes]], count: int) -> None:  # fmt: skip
    """One transaction: the entries of ``rounds`` (``count`` of them, from seq ``expect_head``),
    the subjects' heads after them and ``log_head``."""
    pg = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        if pg:
            raw = conn.connection.driver_connection
            assert raw is not None
            with raw.cursor() as cur:
                with cur.copy(f"COPY entries ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)") as cp:
                    cp.write(COPY_HEADER)
                    for parts in rounds:
                        for part in parts:
                            cp.write(part)
                    cp.write(COPY_TRAILER)
                cur.execute("CREATE TEMP TABLE bulk_heads (subject varchar(64), next_seq integer, "
                            "last_leaf bytea) ON COMMIT DROP")  # fmt: skip
                with cur.copy("COPY bulk_heads FROM STDIN") as cp:
                    for s, (n, leaf) in heads.items():
                        cp.write_row((s, n, leaf))
                cur.execute("UPDATE subjects SET next_seq = b.next_seq, last_leaf = b.last_leaf "
                            "FROM bulk_heads b WHERE subjects.subject = b.subject")  # fmt: skip
        else:
            rows = [row for parts in rounds for part in parts for row in part]
            conn.execute(db.entries.insert(), rows)
            conn.exec_driver_sql(
                "UPDATE subjects SET next_seq = ?, last_leaf = ? WHERE subject = ?",
                [(n, leaf, s) for s, (n, leaf) in heads.items()],
            )
        moved = conn.execute(
            db.log_head.update().where(db.log_head.c.id == 1,
                                       db.log_head.c.next_seq == expect_head)
            .values(next_seq=expect_head + count)
        ).rowcount  # fmt: skip
        if moved != 1:
            raise SystemExit("log_head moved while loading: another writer on this database?")


def _sealer(url: str, stop: Any) -> None:
    """The sealing process: full batches while the loader writes (``stop`` set: return)."""
    engine = make_engine(url)
    store = Store(engine, ROOT)
    while not stop.is_set():
        if not batcher.seal(store, max_size=BATCH, max_age=timedelta(days=36500)):
            stop.wait(2)
    engine.dispose()


def mark_anchored(engine: Engine, now: datetime | None = None) -> int:
    """Mark every batch not anchored yet as anchored, with what the anchor worker records once
    a batch's transaction is confirmed: batch ``n`` in its own made-up transaction and block
    ``n + 7`` on chain 31337. The proof GETs then answer 200 with a full bundle, which verifies
    VALID offline (the chain is not asked). Returns how many batches were marked."""
    at = db.to_us(now or utc_now())
    bc = db.batches.c
    with engine.begin() as conn:
        todo = list(conn.execute(select(bc.batch_no).where(bc.state != "anchored")).scalars())
        if todo:
            conn.execute(
                db.batches.update().where(bc.batch_no == bindparam("n")).values(
                    state="anchored", chain_id=31337, registry=2,
                    contract="0x5fbdb2315678afecb367f032d93f642f64180aa3",
                    tx_hash=bindparam("tx"), block_number=bindparam("block"),
                    block_hash=bindparam("bh"), block_time=at, anchored_at=at,
                ),
                [{"n": n, "block": n + 7, "tx": "0x" + _made_up(b"tx", n),
                  "bh": "0x" + _made_up(b"block", n)} for n in todo],
            )  # fmt: skip
    return len(todo)


def _made_up(kind: bytes, n: int) -> str:
    return hashlib.sha256(b"bench %s %d" % (kind, n)).hexdigest()


def state(engine: Engine, shape: Shape) -> tuple[int, int, dict[str, tuple[int, bytes]]]:
    """(seq of the first punch, punches written, subject heads) of a set-up database."""
    with engine.connect() as conn:
        head = conn.execute(select(db.log_head.c.next_seq)).scalar_one()
        first = conn.execute(select(func.min(db.entries.c.seq))
                             .where(db.entries.c.type == "attendance")).scalar()  # fmt: skip
        heads = {r.subject: (r.next_seq, bytes(r.last_leaf))
                 for r in conn.execute(select(db.subjects))}  # fmt: skip
        projects = sorted(conn.execute(select(db.projects.c.project)).scalars())
    if projects != sorted(s.project for s in shape.sites()) or len(heads) != shape.workers:
        raise SystemExit("this database holds another ledger (other projects or workers): "
                         "give the loader an empty database or the options it was loaded with")  # fmt: skip
    if first is None:
        return head, 0, heads
    done = head - first
    if done % shape.workers:
        raise SystemExit(f"{done} punches is not a whole number of rounds: not this loader's log")
    return first, done, heads


def load(
    url: str, stored: int, shape: Shape, *, procs: int = 2, rounds_per_commit: int = 10,
    seal: bool = True, clock: Callable[[], datetime] = utc_now,
    progress: Callable[[str], None] = lambda s: None,
) -> dict[str, float]:  # fmt: skip
    """Load until ``stored`` entries are in the log (rounded up to a whole round); returns
    timings and CPU seconds of this process."""
    t0, c0 = time.perf_counter(), time.process_time()
    upgrade(url)
    engine = make_engine(url)
    store = Store(engine, ROOT, clock=clock)
    if store.head() == 0:
        set_up(store, shape)
        progress(f"set up: {store.head():,} entries")
    first, done, heads = state(engine, shape)
    t_setup = time.perf_counter() - t0
    want = max(0, -(-(stored - first) // shape.workers) * shape.workers)
    stop = sealer = None
    if seal:
        ctx = multiprocessing.get_context("spawn")
        stop = ctx.Event()
        sealer = ctx.Process(target=_sealer, args=(url, stop), daemon=True)
        sealer.start()
    gens = Generators(shape, procs, first, engine.dialect.name == "postgresql", heads)
    try:
        r, r_end = done // shape.workers, want // shape.workers
        pending = None
        while r < r_end or pending is not None:
            nxt = None
            if r < r_end:
                r1 = min(r_end, r + rounds_per_commit)
                now = clock()
                gens.request(r, r1, [now] * (r1 - r))
                nxt, r = (r, r1), r1
            if pending is not None:  # written while the generators build the next rounds
                (p0, p1), (rounds, new_heads) = pending
                write_rounds(engine, first + p0 * shape.workers, rounds, new_heads,
                             (p1 - p0) * shape.workers)  # fmt: skip
                progress(f"{first + p1 * shape.workers:,} entries, "
                         f"{time.perf_counter() - t0:,.0f} s")  # fmt: skip
            pending = (nxt, gens.collect()) if nxt is not None else None
    finally:
        gens.close()
        if stop is not None and sealer is not None:
            stop.set()
            sealer.join()
    t_punch = time.perf_counter() - t0 - t_setup
    t1 = time.perf_counter()
    if seal:
        batcher.seal(store, max_size=BATCH, force=True)
    t_seal = time.perf_counter() - t1
    head = store.head()
    if engine.dialect.name == "postgresql" and want > done:
        # fresh statistics for the planner, and the hint bits and visibility map set once here
        # rather than by the first GETs that read each page
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")
    engine.dispose()
    return {"stored": head, "setup_s": t_setup, "punches_s": t_punch, "final_seal_s": t_seal,
            "wall_s": time.perf_counter() - t0, "parent_cpu_s": time.process_time() - c0}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--database", required=True, help="PostgreSQL URL or sqlite:///path")
    ap.add_argument("--stored", type=int, required=True, help="entries wanted in the log")
    ap.add_argument("--workers", type=int, default=100_000)
    ap.add_argument("--projects", type=int, default=4)
    ap.add_argument("--gates", type=int, default=4, help="gates per project")
    ap.add_argument("--procs", type=int, default=2, help="generator processes")
    ap.add_argument("--rounds-per-commit", type=int, default=10)
    ap.add_argument("--no-seal", action="store_true", help="leave the entries unsealed")
    args = ap.parse_args()
    shape = Shape(args.projects, args.gates, args.workers)
    res = load(args.database, args.stored, shape, procs=args.procs,
               rounds_per_commit=args.rounds_per_commit, seal=not args.no_seal,
               progress=lambda s: print(time.strftime("%H:%M:%S"), s, flush=True))  # fmt: skip
    print(res, flush=True)


if __name__ == "__main__":
    main()
