"""Proof bundles: everything an outsider needs to check records without trusting the operator.

The format is specified in ``docs/proof-format.md`` (JSON Schema ``schemas/proof-bundle-v1.json``)
and checked by ``verifier/``, which shares no code with this module beyond ``ledger.core``. Three
kinds exist:

* ``record``: one entry, its inclusion proof and anchor, the chain of key registrations from its
  signer up to the self-signed genesis root key (with any revocation of those keys), the operator
  receipt, every correction, approval, acknowledgement and payment naming it, and optionally an
  identity disclosure;
* ``wage``: one worker's entries for one pay month as a run contiguous by ``subject_seq``, so
  that a record missing inside the run is detectable, for arbitration;
* ``presence``: one worker's run from the enrollment on a project to the latest anchored entry,
  to show whether the worker was on site at an instant, for insurers.

Only entries whose batch is anchored (state ``anchored`` with every transaction field present) go
into a bundle as proven items. Related entries or run entries whose batch is not anchored yet
are listed under ``pending`` (sequence number, type and leaf hash only) so that the reader knows
the bundle is incomplete and can ask again later.
"""

from __future__ import annotations

import copy
import json
import re
import weakref
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from ledger import batcher, db, packing
from ledger.batcher import Batch, NotSealed
from ledger.core.canonical import canonical_bytes
from ledger.core.entry import Receipt
from ledger.core.errors import LedgerError, StoreError
from ledger.core.records import CorrectionRecord, EnrollmentRecord, ProjectRecord, Record
from ledger.core.times import format_time, parse_month
from ledger.store import Store, StoredEntry, _stored

FORMAT = "siteledger-bundle"
VERSION = 2
GATES_TAG = b"siteledger/gates/v1"
SHIFT = timedelta(hours=16)
"""The longest shift (docs/records.md): the gate statement of a presence bundle covers the
16 hours before the instant, and a wage bundle's the month from 16 hours before its first day."""
MAX_RELATED = 1024
MAX_RUN = 20_000
MAX_RELATED_DEPTH = 4
MONTH_MARGIN = timedelta(hours=14 + 24)
"""How far before a month's first instant (at UTC+14, the earliest zone) a wage run must start:
no record about the month can be logged earlier than one day before it begins, because the
store refuses times and dates in the future beyond a few minutes of clock skew."""


class BundleError(LedgerError):
    """A bundle that cannot be built as asked (unknown entry, no worker, no identity)."""


class NotAnchored(NotSealed):
    """The entry is sealed (or not even that) but its batch is not anchored on chain yet."""


def _anchor_json(b: Batch) -> dict[str, Any]:
    assert b.chain_id is not None and b.contract is not None and b.tx_hash is not None
    assert b.block_number is not None and b.block_hash is not None and b.block_time is not None
    registry = getattr(b, "registry", None)
    out = {
        "chain_id": b.chain_id,
        "contract": b.contract.lower(),
        "tx_hash": b.tx_hash.lower(),
        "block_number": b.block_number,
        "block_hash": b.block_hash.lower(),
        "block_time": format_time(b.block_time.astimezone(UTC)),
    }
    if registry is not None and registry != 1:
        out["registry"] = registry
    return out


def _batch_json(store: Store, b: Batch) -> dict[str, Any]:
    """Version 2: the operator's signed head of the batch (docs/proof-format.md)."""
    if not b.head_sig:
        raise NotAnchored(f"batch {b.batch_no} has no signed head yet")
    return b.head(store.operator_key.key_id).to_json()


def latest_anchored(store: Store) -> Batch | None:
    """The anchored batch with the highest number (batches are anchored in order)."""
    with store._read() as conn:
        row = conn.execute(
            select(db.batches.c.batch_no).where(db.batches.c.state == "anchored")
            .order_by(db.batches.c.batch_no.desc()).limit(1)
        ).first()  # fmt: skip
    return batcher.batch(store, row.batch_no) if row else None


def checkpoint_batch(store: Store, as_of_batch: int | None) -> Batch:
    """Batch ``as_of_batch`` (which must be anchored), or the latest anchored batch."""
    if as_of_batch is None:
        b = latest_anchored(store)
        if b is None:
            raise NotAnchored("no batch is anchored yet")
    else:
        b = batcher.batch(store, as_of_batch)
        if b is None:
            raise BundleError(f"no batch {as_of_batch}")
    if not is_anchored(b):
        raise NotAnchored(f"batch {b.batch_no} is {b.state} and not anchored yet")
    return b


def is_anchored(b: Batch) -> bool:
    """True when ``b`` is anchored and carries every field a bundle needs about its transaction."""
    return b.state == "anchored" and None not in (
        b.chain_id, b.contract, b.tx_hash, b.block_number, b.block_hash, b.block_time,
    )  # fmt: skip


_ITEMS: weakref.WeakKeyDictionary[Store, dict[int, dict[str, Any]]] = weakref.WeakKeyDictionary()
_ITEMS_MAX = 4096
_PROJECT_SEQ: weakref.WeakKeyDictionary[Store, dict[str, int]] = weakref.WeakKeyDictionary()


class _Builder:
    """Collects proven items for one bundle; caches batches and entries it has already read.

    Build a bundle inside ``Store.reading()`` so that its reads share one connection.
    """

    def __init__(self, store: Store, checkpoint: Batch | None = None) -> None:
        self.store = store
        self.items: dict[int, dict[str, Any]] = {}  # seq -> proven item
        self.stored: dict[int, StoredEntry] = {}
        self.pending: dict[int, dict[str, Any]] = {}
        self.checkpoint = checkpoint
        self.last = checkpoint.first_seq + checkpoint.size - 1 if checkpoint else None
        self.proofs: dict[int, batcher.InclusionProof] = {}
        self.batches: dict[int, Batch | None] = {}
        self._grants: dict[str, Any] | None = None

    def entry(self, seq: int) -> StoredEntry:
        hit = self.stored.get(seq)
        if hit is None:
            hit = self.store.entry(seq)
            if hit is None:
                raise StoreError(f"no entry with seq {seq}")
            self.stored[seq] = hit
        return hit

    def batch(self, batch_no: int) -> Batch | None:
        """Batch ``batch_no`` as read once for this bundle (its state and anchor may change)."""
        if batch_no not in self.batches:
            self.batches[batch_no] = batcher.batch(self.store, batch_no)
        return self.batches[batch_no]

    def grant(self, key_id: str) -> Any:
        """The key's grant from the store's registry (one read of its version per bundle)."""
        if self._grants is None:
            self._grants = self.store.current_registry().grants
        return self._grants.get(key_id)

    def cached_item(self, seq: int) -> dict[str, Any]:
        """``item`` for an entry that many bundles carry (key registrations, projects), from a
        per-store cache while its batch's anchor is unchanged.

        A sealed entry's bytes, leaf hash, signed batch head and audit path never change; only
        the batch's anchor may (a reorg). One read of the batch, shared by the bundle's other
        cached items of that batch, checks it.
        """
        cache = _ITEMS.setdefault(self.store, {})
        hit = cache.get(seq) if self.last is None or seq <= self.last else None
        if hit is not None:
            b = self.batch(hit["batch"]["batch_no"])
            if b is not None and is_anchored(b) and _anchor_json(b) == hit["anchor"]:
                self.items[seq] = copy.deepcopy(hit)  # bundles are handed out: never share
                return self.items[seq]
        item = self.item(seq)
        if len(cache) >= _ITEMS_MAX:
            cache.clear()
        cache[seq] = copy.deepcopy(item)
        return item

    def prefetch(self, seqs: Iterable[int]) -> None:
        """Audit paths of many entries at once: one read of their batches, and per batch one
        read of the leaf siblings and one of the interior nodes (instead of a few per entry)."""
        todo = sorted({s for s in seqs if s not in self.items and s not in self.proofs and
                       (self.last is None or s <= self.last)})  # fmt: skip
        if todo:
            self.proofs.update(inclusion_proofs(self.store, todo))

    def item(self, seq: int) -> dict[str, Any]:
        """The proven item of entry ``seq``; raises NotSealed / NotAnchored when there is none."""
        hit = self.items.get(seq)
        if hit is not None:
            return hit
        stored = self.entry(seq)
        if self.last is not None and seq > self.last:
            raise NotAnchored(f"entry {seq} is after the checkpoint (seq {self.last})")
        proof = self.proofs.get(seq) or batcher.inclusion_proof(self.store, seq)  # NotSealed
        b = proof.batch
        self.batches.setdefault(b.batch_no, b)
        if not is_anchored(b):
            raise NotAnchored(
                f"entry {seq} is in batch {b.batch_no}, which is {b.state} and not anchored yet"
            )
        item = {
            "entry": stored.entry.to_json(),
            "leaf_hash": stored.leaf_hash.hex(),
            "batch": _batch_json(self.store, b),
            "inclusion": {"index": proof.index, "path": [h.hex() for h in proof.path]},
            "anchor": _anchor_json(b),
        }
        self.items[seq] = item
        return item

    def try_item(self, seq: int) -> dict[str, Any] | None:
        """The proven item of ``seq``, or None (and a ``pending`` note) if not anchored yet."""
        try:
            return self.item(seq)
        except NotSealed:
            s = self.entry(seq)
            self.pending[seq] = {
                "seq": seq,
                "type": s.entry.record.TYPE,
                "leaf_hash": s.leaf_hash.hex(),
            }
            return None

    def keys(self, signers: Iterable[str]) -> list[dict[str, Any]]:
        """Registrations of ``signers`` and of whoever signed those, up to the genesis root key,
        with every anchored revocation of those keys; in log order."""
        todo = list(signers)
        seen: set[str] = set()
        seqs: set[int] = set()
        while todo:
            kid = todo.pop()
            if kid in seen:
                continue
            seen.add(kid)
            grant = self.grant(kid)
            if grant is None:
                raise BundleError(f"key {kid} signed an entry but is not registered")
            item = self.cached_item(grant.registered_seq)  # registered before: anchored too
            seqs.add(grant.registered_seq)
            todo.append(item["entry"]["record"]["signer"])
            if grant.revoked_seq is not None and self.try_item(grant.revoked_seq) is not None:
                seqs.add(grant.revoked_seq)
                todo.append(self.entry(grant.revoked_seq).entry.record.signer)
        return [self.items[s] for s in sorted(seqs)]

    def related(self, roots: Iterable[bytes], exclude: set[int]) -> list[dict[str, Any]]:
        """Entries naming any of ``roots`` (corrections, approvals, acks, payments), the
        replacements that amending corrections bring in, and so on to a fixed depth."""
        found: dict[int, StoredEntry] = {}
        frontier = list(roots)
        for _ in range(MAX_RELATED_DEPTH):
            nxt: list[bytes] = []
            for s in _referring(self.store, frontier):
                if s.seq in found or s.seq in exclude:
                    continue
                found[s.seq] = s
                self.stored[s.seq] = s
                nxt.append(s.leaf_hash)
                rec = s.entry.record
                if isinstance(rec, CorrectionRecord) and rec.replacement is not None:
                    rep = self.store.by_leaf(rec.replacement)
                    if rep is not None and rep.seq not in found and rep.seq not in exclude:
                        found[rep.seq] = rep
                        self.stored[rep.seq] = rep
                        nxt.append(rep.leaf_hash)
            if len(found) > MAX_RELATED:
                raise BundleError(f"more than {MAX_RELATED} entries name this record")
            frontier = nxt
            if not frontier:
                break
        out = []
        self.prefetch(found)
        for seq in sorted(found):
            item = self.try_item(seq)
            if item is not None:
                out.append(item)
        return out

    def signers(self) -> set[str]:
        return {item["entry"]["record"]["signer"] for item in self.items.values()}

    def checkpoint_json(self, subject: str, project: str, run: list[dict[str, Any]],
                        since: datetime, until: datetime) -> dict[str, Any]:  # fmt: skip
        """The checkpoint: the signed head of the checkpoint batch, its anchor, head proofs of
        the worker and of every gate whose punches the run holds, and those gates' statements
        of the ``device_seq`` values the log holds in [since, until) up to the checkpoint. The
        gates are the run's alone: a verifier refuses a head proof or a statement of any other
        (a replacement punch among the related items may be another gate's)."""
        cp = self.checkpoint
        assert cp is not None and self.last is not None
        from ledger import heads  # the head-map store (sealing computes the maps)
        from ledger.core.heads import device_key, subject_key

        gates: set[str] = set()
        for item in run:
            rec = item["entry"]["record"]
            if rec["type"] == "attendance" and rec.get("subject") == subject and \
                    rec["project"] == project:  # fmt: skip
                gates.add(rec["device"])
        claims = []
        for key in [subject_key(subject)] + [device_key(project, g) for g in sorted(gates)]:
            value, proof = heads.prove(self.store, cp.batch_no, key)
            claims.append({"key": key, "value": value.to_json() if value else None,
                           "proof": proof.to_json()})  # fmt: skip
        statements = [gate_statement(self.store, project, g, since, until, cp.batch_no, self.last)
                      for g in sorted(gates)]  # fmt: skip
        return {"batch": _batch_json(self.store, cp), "anchor": _anchor_json(cp),
                "heads": claims, "gates": statements}  # fmt: skip

    def _witnesses(self, bundle: dict[str, Any]) -> None:
        """(v2) Each anchor whose batch has a witness record for its contract gets
        ``witnesses`` (the quorum, or the unwitnessed mark), pointing into ``witness_sets``,
        where each set appears once (``docs/proof-format.md``, "Witnesses")."""
        anchors: list[dict[str, Any]] = []  # the anchor objects of the bundle, replaced below
        for item in self.items.values():
            item["anchor"] = dict(item["anchor"])  # never touch the key-item cache's copy
            anchors.append(item["anchor"])
        cp = bundle.get("checkpoint")
        if cp is not None:
            cp["anchor"] = dict(cp["anchor"])
            anchors.append(cp["anchor"])
        by_batch = {item["anchor"]["tx_hash"]: item["batch"]["batch_no"]
                    for item in self.items.values()}  # fmt: skip
        if cp is not None:
            by_batch[cp["anchor"]["tx_hash"]] = cp["batch"]["batch_no"]
        records = self.store.batch_witnesses_of(by_batch.values())
        sets: dict[str, int] = {}  # canonical JSON of a set -> its index
        for a in anchors:
            w = records.get(by_batch[a["tx_hash"]])
            if w is None or w.registry.lower() != a["contract"]:
                continue
            index = sets.setdefault(w.witness_set_json(), len(sets))
            if w.status == "witnessed":
                assert w.bitmap is not None and w.signature is not None
                a["witnesses"] = {"status": "witnessed", "set": index, "bitmap": f"{w.bitmap:x}",
                                  "signature": w.signature.hex()}  # fmt: skip
            else:
                a["witnesses"] = {"status": "unwitnessed", "set": index, "reason": w.reason}
        if sets:
            bundle["witness_sets"] = [json.loads(text) for text in sets]

    def finish(self, body: dict[str, Any], explorer_tx_url: str | None) -> dict[str, Any]:
        bundle: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            **body,
            "operator_key": self.store.operator_key.verify_key.public.hex(),
        }
        signers = self.signers()
        receipt_key = self.store.operator_key.key_id
        if self.grant(receipt_key) is not None:  # receipts verify only under a registered
            signers.add(receipt_key)  # operator key whose chain is in the bundle
        bundle["keys"] = self.keys(signers)
        self._witnesses(bundle)
        if self.pending:
            bundle["pending"] = [self.pending[s] for s in sorted(self.pending)]
        if explorer_tx_url:
            bundle["explorer"] = {"tx_url": explorer_tx_url}
        bundle["issued_at"] = format_time(self.store.clock())
        if "checkpoint" in bundle:  # the last member, as docs/proof-format.md shows it: a
            bundle["checkpoint"] = bundle.pop("checkpoint")  # reader sees the head proofs last
        return bundle


def _referring(store: Store, leaves: list[bytes]) -> list[StoredEntry]:
    """Entries naming any of ``leaves`` (as ``Store.referring``, for many leaves in a few reads),
    in log order."""
    c = db.entries.c
    out: dict[int, StoredEntry] = {}
    for k in range(0, len(leaves), 500):
        part = leaves[k : k + 500]
        with store._read() as conn:
            rows = conn.execute(
                select(c.body, c.leaf_hash).where(c.target.in_(part) | c.replacement.in_(part))
            ).all()
        for r in rows:
            s = _stored(r)
            out[s.seq] = s
    return [out[k] for k in sorted(out)]


def inclusion_proofs(store: Store, seqs: list[int]) -> dict[int, batcher.InclusionProof]:
    """``batcher.inclusion_proof`` of each of ``seqs`` (sorted, ascending) that is sealed, with
    one read of the batches and two reads per batch."""
    if not seqs:
        return {}
    bt = db.batches.c
    with store._read() as conn:
        rows = conn.execute(
            select(db.batches).where(bt.first_seq <= seqs[-1], bt.first_seq + bt.size > seqs[0])
            .order_by(bt.first_seq)
        ).all()  # fmt: skip
    batches = [batcher.Batch.from_row(r) for r in rows]
    out: dict[int, batcher.InclusionProof] = {}
    i = 0
    for b in batches:
        mine = []
        while i < len(seqs) and seqs[i] < b.first_seq + b.size:
            if seqs[i] >= b.first_seq:
                mine.append(seqs[i])
            i += 1
        if mine:
            out.update(_batch_proofs(store, b, mine))
    return out


def _batch_proofs(store: Store, b: batcher.Batch, seqs: list[int]) -> dict[int, batcher.InclusionProof]:
    with store._read() as conn:
        return batcher.proofs_in_batch(conn, b, seqs)


_DEVICE_SEQ = re.compile(rb'"device":"([A-Za-z0-9._-]+)","device_seq":([0-9]+)')


def gate_statement(store: Store, project: str, device: str, since: datetime, until: datetime,
                   batch_no: int, last_seq: int) -> dict[str, Any]:  # fmt: skip
    """The operator's signed statement of the ``device_seq`` values the log holds, up to seq
    ``last_seq`` (the checkpoint batch ``batch_no``), for gate ``device`` on ``project`` among
    punches whose time is in [since, until]: inclusive ranges with the record times at their
    ends (both window ends included). One indexed range read (project, type, time); the
    device numbers are read from the
    canonical entry bytes without decoding them."""
    c = db.entries.c
    with store._read() as conn:
        kids = [r.key_id for r in conn.execute(
            select(db.keys.c.key_id).where(db.keys.c.holder == device))]  # fmt: skip
        rows = conn.execute(
            select(c.body, c.record_time).where(
                c.project == project, c.type == "attendance", c.record_time >= db.to_us(since),
                c.record_time <= db.to_us(until), c.seq <= last_seq, c.signer.in_(kids),
            )
        ).all()  # fmt: skip
    held: dict[int, int] = {}
    for body, t in rows:
        m = _DEVICE_SEQ.search(packing.unpack(body))
        if m is not None and m.group(1).decode() == device:
            held.setdefault(int(m.group(2)), t)
    ranges: list[dict[str, Any]] = []
    for n in sorted(held):
        t = format_time(db.from_us(held[n]).astimezone(UTC))
        if ranges and ranges[-1]["last"] == n - 1:
            ranges[-1].update(last=n, last_time=t)
        else:
            ranges.append({"first": n, "first_time": t, "last": n, "last_time": t})
    body_json = {
        "v": 2, "project": project, "device": device, "from": format_time(since.astimezone(UTC)),
        "until": format_time(until.astimezone(UTC)), "as_of_batch": batch_no,
        "log": store.operator_key.key_id, "ranges": ranges,
    }  # fmt: skip
    sig = store.operator_key.sign(GATES_TAG, canonical_bytes(body_json))
    return {"statement": body_json, "sig": sig.hex()}


def build_bundle(
    store: Store,
    seq: int,
    *,
    disclose: bool = False,
    vault: Any = None,
    explorer_tx_url: str | None = None,
    stored: StoredEntry | None = None,
    proof: batcher.InclusionProof | None = None,
) -> dict[str, Any]:
    """The single-record bundle of entry ``seq`` (see the module docstring and the format doc).

    ``disclose`` adds the worker's identity and the salt that open the enrollment's commitment;
    it needs the ``vault`` and must be asked only for a requester who may see the identity.
    ``stored`` and ``proof``, when the caller has read them already (in the same
    ``Store.reading()`` block), are entry ``seq`` and its inclusion proof.
    Raises StoreError for an unknown seq, NotSealed / NotAnchored when the entry's batch is not
    anchored yet, BundleError when the disclosure cannot be made.
    """
    with store.reading():
        b = _Builder(store)
        if stored is not None and stored.seq == seq:
            b.stored[seq] = stored
        if proof is not None and proof.seq == seq:
            b.proofs[seq] = proof
        record_item = b.item(seq)
        entry = b.entry(seq)
        rec = entry.entry.record
        receipt = Receipt.issue(entry.entry, entry.leaf_hash, store.operator_key)
        related = b.related([entry.leaf_hash], {seq})
        body: dict[str, Any] = {"kind": "record", "record": record_item}
        body["receipt"] = receipt.to_json()
        body["related"] = related
        context: list[dict[str, Any]] = []
        if disclose:
            disclosure, enrollment_seq = _disclosure(store, b, rec, seq, vault)
            if enrollment_seq != seq and all(
                it["entry"]["seq"] != enrollment_seq for it in related
            ):
                context.append(b.item(enrollment_seq))
            body["disclosure"] = disclosure
        if rec.project_code is not None and not isinstance(rec, ProjectRecord):
            # the project's sync allowance decides key validity by receipt time
            proj = _project_seq(store, rec.project_code)
            if proj != seq and all(it["entry"]["seq"] != proj for it in related + context):
                context.append(b.cached_item(proj))
        body["context"] = context
        return b.finish(body, explorer_tx_url)


def _disclosure(
    store: Store, b: _Builder, rec: Record, seq: int, vault: Any
) -> tuple[dict[str, Any], int]:
    subject = rec.subject_id
    if subject is None:
        raise BundleError(f"entry {seq} is a {rec.TYPE} record about no worker: nothing to disclose")
    if vault is None:
        raise BundleError("a disclosure needs the identity vault")
    if isinstance(rec, EnrollmentRecord):
        enrollment_seq = seq
        commitment = rec.identity_commitment
    else:
        found = [
            e for e in store.all_entries(subject=subject, type="enrollment")
            if e.entry.record.project_code == rec.project_code and e.seq < seq
        ]  # fmt: skip
        if not found:
            raise BundleError(f"no enrollment of {subject} on {rec.project_code} before seq {seq}")
        enrollment_seq = found[-1].seq
        b.stored[enrollment_seq] = found[-1]
        enr = found[-1].entry.record
        assert isinstance(enr, EnrollmentRecord)
        commitment = enr.identity_commitment
    identity, salt, vault_commitment = vault.disclose(subject)
    if vault_commitment != commitment:
        raise BundleError(
            f"the vault's commitment for {subject} is not the one in enrollment seq {enrollment_seq}"
        )
    return (
        {"subject": subject, "enrollment_seq": enrollment_seq, "fields": dict(identity),
         "salt": salt.hex()},
        enrollment_seq,
    )  # fmt: skip


def _project_seq(store: Store, project: str) -> int:
    """The seq of ``project``'s registration (cached: a project is registered once, for good)."""
    cache = _PROJECT_SEQ.setdefault(store, {})
    hit = cache.get(project)
    if hit is None:
        with store._read() as conn:
            hit = conn.execute(
                select(db.projects.c.seq).where(db.projects.c.project == project)
            ).scalar()
        if hit is None:
            raise BundleError(f"no project {project!r} in the log")
        cache[project] = hit
    return hit


def _project_entry(store: Store, project: str) -> StoredEntry:
    found = store.entries(type="project", project=project, limit=1)
    if not found:
        raise BundleError(f"no project {project!r} in the log")
    return found[0]


def _run(b: _Builder, chain: list[StoredEntry]) -> tuple[list[dict[str, Any]], int]:
    """Proven items of ``chain`` (one worker's entries in subject order) up to the first entry
    that is not anchored yet; the entries from there on go to ``pending``."""
    run: list[dict[str, Any]] = []
    b.prefetch(s.seq for s in chain)
    for s in chain:
        b.stored[s.seq] = s
        item = b.try_item(s.seq)
        if item is None:
            for rest in chain[len(run) + 1 :]:
                b.stored[rest.seq] = rest
                b.try_item(rest.seq)
            break
        run.append(item)
    if len(run) > MAX_RUN:
        raise BundleError(f"the run holds {len(run)} entries, limit {MAX_RUN}")
    return run, len(run)


def month_boundary(pay_month: str) -> datetime:
    """The instant before which no entry can be about ``pay_month`` (see MONTH_MARGIN)."""
    year, month = int(pay_month[:4]), int(pay_month[5:7])
    return datetime(year, month, 1, tzinfo=UTC) - MONTH_MARGIN


def build_wage_bundle(
    store: Store,
    subject: str,
    project: str,
    pay_month: str,
    *,
    as_of_batch: int | None = None,
    explorer_tx_url: str | None = None,
) -> dict[str, Any]:
    """See ``_build_wage_bundle``; its reads share one connection (``Store.reading``)."""
    with store.reading():
        return _build_wage_bundle(store, subject, project, pay_month, as_of_batch=as_of_batch,
                        explorer_tx_url=explorer_tx_url)  # fmt: skip


def _build_wage_bundle(
    store: Store,
    subject: str,
    project: str,
    pay_month: str,
    *,
    as_of_batch: int | None = None,
    explorer_tx_url: str | None = None,
) -> dict[str, Any]:
    """The wage dispute bundle of one worker, project and month, as of the checkpoint batch
    ``as_of_batch`` (default: the latest anchored batch).

    The run starts at the worker's last entry received before ``month_boundary(pay_month)`` (or
    at the worker's first entry) and ends at the worker's last entry up to the checkpoint, which
    the checkpoint's head proof shows is the worker's head there: every entry about the month the
    log held at the checkpoint is inside it. Raises NotAnchored when no batch (or not batch
    ``as_of_batch``) is anchored, BundleError for an unknown batch or worker.
    """
    parse_month(pay_month)
    b = _Builder(store, checkpoint_batch(store, as_of_batch))
    chain = store.subject_chain(subject)
    if not chain:
        raise BundleError(f"no entries about worker {subject}")
    boundary = month_boundary(pay_month)
    start = 0
    for i, s in enumerate(chain):
        if s.entry.received_at < boundary:
            start = i
        else:
            break
    run, _ = _run(b, chain[start:])
    if not run:
        raise NotAnchored(f"no anchored entry of worker {subject} after {format_time(boundary)}")
    in_run = {it["entry"]["seq"] for it in run}
    leaves = [bytes.fromhex(it["leaf_hash"]) for it in run]
    related = b.related(leaves, in_run)
    proj = _project_entry(store, project)
    context = [b.item(proj.seq)]
    enrollments = [
        s for s in chain[: start + 1]
        if isinstance(s.entry.record, EnrollmentRecord) and s.entry.record.project == project
    ]  # fmt: skip
    if enrollments and enrollments[-1].seq not in in_run:
        context.append(b.item(enrollments[-1].seq))
    assert isinstance(proj.entry.record, ProjectRecord)
    tz = proj.entry.record.tz
    year, month = int(pay_month[:4]), int(pay_month[5:7])
    first = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    body = {
        "kind": "wage",
        "subject": subject,
        "project": project,
        "pay_month": pay_month,
        "run": run,
        "related": related,
        "context": context,
        "checkpoint": b.checkpoint_json(subject, project, run, first - SHIFT, end),
    }
    return b.finish(body, explorer_tx_url)


def build_presence_bundle(
    store: Store,
    subject: str,
    project: str,
    at: datetime,
    *,
    as_of_batch: int | None = None,
    explorer_tx_url: str | None = None,
) -> dict[str, Any]:
    """See ``_build_presence_bundle``; its reads share one connection (``Store.reading``)."""
    with store.reading():
        return _build_presence_bundle(store, subject, project, at, as_of_batch=as_of_batch,
                        explorer_tx_url=explorer_tx_url)  # fmt: skip


def _build_presence_bundle(
    store: Store,
    subject: str,
    project: str,
    at: datetime,
    *,
    as_of_batch: int | None = None,
    explorer_tx_url: str | None = None,
) -> dict[str, Any]:
    """The presence bundle of one worker on ``project`` at the instant ``at``, as of the
    checkpoint batch ``as_of_batch`` (default: the latest anchored batch).

    The run starts at the worker's last enrollment on the project made at or before ``at`` and
    ends at the worker's last entry up to the checkpoint (a punch or an exit can be logged long
    after it happened); the checkpoint's head proof shows nothing follows it there.
    """
    if at.utcoffset() is None:
        raise ValueError("the instant needs a UTC offset")
    b = _Builder(store, checkpoint_batch(store, as_of_batch))
    chain = store.subject_chain(subject)
    start = None
    for i, s in enumerate(chain):
        rec = s.entry.record
        if isinstance(rec, EnrollmentRecord) and rec.project == project and rec.time <= at:
            start = i
    if start is None:
        raise BundleError(f"worker {subject} has no enrollment on {project} before {at.isoformat()}")
    run, _ = _run(b, chain[start:])
    if not run:
        raise NotAnchored(f"the enrollment of {subject} on {project} is not anchored yet")
    in_run = {it["entry"]["seq"] for it in run}
    related = b.related([bytes.fromhex(it["leaf_hash"]) for it in run], in_run)
    context = [b.item(_project_entry(store, project).seq)]
    body = {
        "kind": "presence",
        "subject": subject,
        "project": project,
        "at": format_time(at),
        "run": run,
        "related": related,
        "context": context,
        "checkpoint": b.checkpoint_json(subject, project, run, at - SHIFT, at),
    }
    return b.finish(body, explorer_tx_url)


__all__ = [
    "BundleError",
    "NotAnchored",
    "build_bundle",
    "build_presence_bundle",
    "build_wage_bundle",
    "checkpoint_batch",
    "gate_statement",
    "is_anchored",
    "latest_anchored",
    "month_boundary",
]
