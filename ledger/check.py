"""``siteledger db check``: recompute everything derivable and report each mismatch by seq.

It reads the whole log in seq order once and checks that: seq is gap-free from 0 to the head;
each stored body decodes, is canonical, and hashes to its stored leaf hash; each worker's entries
form an unbroken chain (subject_seq 0, 1, 2… with subject_prev the previous leaf hash, and the
subjects table pointing at the last one); batches are contiguous from seq 0, and each batch root
and stored interior node equals the one recomputed from the leaves; each batch's head map root
and key count equal a replay of the log, each signed batch head verifies under the receipt key,
and the latest batch's stored head-map subtrees fold to its root.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ledger import batcher, db, packing
from ledger import heads as head_maps
from ledger.core import merkle
from ledger.core.canonical import decode_json
from ledger.core.entry import Entry
from ledger.core.errors import LedgerError
from ledger.store import Store

CHUNK = 5_000


@dataclass
class Finding:
    kind: str
    message: str
    seq: int | None = None
    batch_no: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass
class CheckReport:
    entries: int = 0
    batches: int = 0
    subjects: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def add(
        self, kind: str, message: str, seq: int | None = None, batch_no: int | None = None
    ) -> None:
        self.findings.append(Finding(kind, message, seq, batch_no))

    def lines(self) -> list[str]:
        out = [
            f"checked {self.entries} entries, {self.subjects} worker chains, {self.batches} batches"
        ]
        for f in self.findings:
            where = f" seq {f.seq}" if f.seq is not None else ""
            where += f" batch {f.batch_no}" if f.batch_no is not None else ""
            out.append(f"MISMATCH {f.kind}{where}: {f.message}")
        out.append("OK" if self.ok else f"{len(self.findings)} mismatch(es)")
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "entries": self.entries, "batches": self.batches,
            "subjects": self.subjects, "findings": [f.to_json() for f in self.findings],
        }  # fmt: skip


def check(store: Store, progress: Callable[[int, int], None] | None = None) -> CheckReport:
    """Check the whole log; ``progress(entries read, entries in the log)`` after each chunk."""
    report = CheckReport()
    heads: dict[str, tuple[int, bytes]] = {}  # subject -> (next subject_seq, last leaf)
    leaves: list[bytes] = []
    expected = 0
    c = db.entries.c
    with store._read() as conn:
        head = conn.execute(select(db.log_head.c.next_seq)).scalar_one()
        last = -1
        while True:
            rows = conn.execute(
                select(c.seq, c.leaf_hash, c.body, c.subject, c.subject_seq)
                .where(c.seq > last)
                .order_by(c.seq)
                .limit(CHUNK)
            ).all()
            if not rows:
                break
            for r in rows:
                last = r.seq
                report.entries += 1
                if r.seq != expected:
                    report.add("gap", f"expected seq {expected}, found {r.seq}", r.seq)
                expected = r.seq + 1
                leaves.append(r.leaf_hash)
                _check_entry(report, r, heads)
            if progress is not None:
                progress(report.entries, head)
        if expected != head:
            report.add("head", f"log head says {head} entries, found {expected}")
        subjects = {s.subject: (s.next_seq, s.last_leaf) for s in conn.execute(select(db.subjects))}
        report.subjects = len(heads)
        for subject, (n, leaf) in heads.items():
            if subjects.get(subject) != (n, leaf):
                report.add(
                    "subject-head", f"subjects row of {subject} does not point at its last entry"
                )
        for subject in subjects.keys() - heads.keys():
            report.add("subject-head", f"subjects row of {subject} has no entries")
        batch_rows = conn.execute(select(db.batches).order_by(db.batches.c.batch_no)).all()
        next_first = 0
        for b in batch_rows:
            report.batches += 1
            if b.first_seq != next_first:
                report.add(
                    "batch-range",
                    f"starts at {b.first_seq}, want {next_first}",
                    batch_no=b.batch_no,
                )
            next_first = b.first_seq + b.size
            span = leaves[b.first_seq : b.first_seq + b.size]
            if len(span) != b.size:
                report.add("batch-range", "covers entries that do not exist", batch_no=b.batch_no)
                continue
            levels = merkle.levels(span)
            if levels[-1][0] != b.root:
                report.add(
                    "batch-root",
                    f"stored root {b.root.hex()}, recomputed {levels[-1][0].hex()}",
                    batch_no=b.batch_no,
                )
            nodes = conn.execute(
                select(db.batch_nodes.c.level, db.batch_nodes.c.idx, db.batch_nodes.c.hash).where(
                    db.batch_nodes.c.batch_no == b.batch_no
                )
            ).all()
            want = sum(len(lv) for lv in levels[db.NODE_LEVEL_MIN :])
            if len(nodes) != want:
                report.add(
                    "batch-nodes", f"{len(nodes)} stored nodes, want {want}", batch_no=b.batch_no
                )
            for n in nodes:
                if (
                    n.level < db.NODE_LEVEL_MIN
                    or n.level >= len(levels)
                    or n.idx >= len(levels[n.level])
                    or levels[n.level][n.idx] != n.hash
                ):
                    report.add(
                        "batch-nodes", f"node ({n.level}, {n.idx}) differs", batch_no=b.batch_no
                    )
                    break
        if next_first <= head and not any(f.kind == "batch-range" for f in report.findings):
            _check_heads(store, conn, report, batch_rows)
    return report


def _check_heads(store: Store, conn: Any, report: CheckReport, batch_rows: list[Any]) -> None:
    """Each batch's head map root and key count against a replay of the log, its signed head
    against the receipt key, and the latest batch's stored subtrees against its root."""
    spans = [(b.batch_no, b.first_seq, b.first_seq + b.size) for b in batch_rows]
    for row, (no, root, keys) in zip(batch_rows, head_maps.replay(conn, spans), strict=True):
        if row.heads_root is None:
            report.add("heads-root", "no head map yet (the next seal fills it in)", batch_no=no)
            return
        if bytes(row.heads_root) != root or row.heads_keys != keys:
            report.add(
                "heads-root",
                f"stored {bytes(row.heads_root).hex()} with {row.heads_keys} keys, recomputed "
                f"{root.hex()} with {keys}",
                batch_no=no,
            )
        b = batcher.Batch.from_row(row)
        try:
            b.head(store.operator_key.key_id).verify(store.operator_key.verify_key)
        except LedgerError as exc:
            report.add("head-sig", f"signed head does not verify: {exc}", batch_no=no)
    if batch_rows and batch_rows[-1].heads_root is not None:
        last = batch_rows[-1]
        try:
            head_maps.check_stored(conn, last.batch_no, bytes(last.heads_root))
        except LedgerError as exc:
            report.add("heads-nodes", str(exc), batch_no=last.batch_no)


def _check_entry(report: CheckReport, r: Any, heads: dict[str, tuple[int, bytes]]) -> None:
    try:
        stored = packing.unpack(r.body)
        entry = Entry.from_json(decode_json(stored))
    except LedgerError as exc:
        report.add("body", f"stored body does not decode: {exc}", r.seq)
        return
    body = entry.canonical()
    if body != stored:
        report.add("body", "stored body is not canonical", r.seq)
    if merkle.hash_leaf(stored) != r.leaf_hash:
        report.add("leaf-hash", "stored leaf hash differs from SHA-256(0x00 ‖ body)", r.seq)
    if entry.seq != r.seq:
        report.add("body", f"body says seq {entry.seq}", r.seq)
    subject = entry.record.subject_id
    if subject != r.subject or entry.subject_seq != r.subject_seq:
        report.add("subject", "indexed subject columns differ from the body", r.seq)
    if subject is None:
        return
    n, prev = heads.get(subject, (0, None))
    if entry.subject_seq != n:
        report.add("subject-chain", f"{subject}: subject_seq {entry.subject_seq}, want {n}", r.seq)
    if entry.subject_prev != prev:
        report.add(
            "subject-chain", f"{subject}: subject_prev does not name the previous entry", r.seq
        )
    heads[subject] = ((entry.subject_seq or 0) + 1, r.leaf_hash)
