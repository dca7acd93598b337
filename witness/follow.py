"""The batch checks of a witness (``docs/witnesses.md``, "What a witness checks").

A ``Follower`` replays the log from its genesis, batch by batch, with only ``ledger.core``:
the key registry (registrations, revocations), the projects (for the sync allowance), every
worker's subject chain and every gate's head. ``check`` judges one sealed batch against that
state without changing it and returns the next state; ``commit`` adopts it once the witness
signed. A refused batch leaves the follower where it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ledger.core import heads, merkle
from ledger.core.entry import Entry
from ledger.core.errors import LedgerError
from ledger.core.heads import BatchHead, HeadValue
from ledger.core.keys import VerifyKey
from ledger.core.policy import (
    Grant,
    authorise,
    authorise_revocation,
    sync_allowance_days,
    verify_received_in_time,
)
from ledger.core.records import AttendanceRecord, KeyRecord, ProjectRecord
from witness.errors import BatchRefused
from witness.headmap import HeadMap


@dataclass
class FollowState:
    """Everything the checks need from the batches already signed."""

    next_batch_no: int = 0
    next_seq: int = 0
    grants: dict[str, Grant] = field(default_factory=dict)
    projects: dict[str, ProjectRecord] = field(default_factory=dict)
    head_values: dict[str, HeadValue] = field(default_factory=dict)
    head_map: HeadMap = field(default_factory=HeadMap)
    """The map of ``head_values``, kept between batches so that a batch costs what it moves."""

    def __post_init__(self) -> None:
        if self.head_map.size != len(self.head_values):
            self.head_map = HeadMap().updated(self.head_values)


@dataclass
class Pending:
    """A checked batch's effects, adopted by ``Follower.commit``."""

    head: BatchHead
    entries: Sequence[Entry]
    grants: dict[str, Grant]
    projects: dict[str, ProjectRecord]
    changed: dict[str, HeadValue]  # the head values the batch sets (the rest stay as they are)
    head_map: HeadMap


class Follower:
    def __init__(self, state: FollowState | None = None) -> None:
        # its own copy of the head values, which ``commit`` updates in place (a batch costs what
        # it moves, not a copy of every worker's and gate's head): the state handed in, which
        # the caller or another follower may hold, never changes under them. ``self.state`` is
        # the follower's own: read it, but take a copy to keep it across a commit
        self.state = replace(state, head_values=dict(state.head_values)) if state else FollowState()

    def check(self, head: BatchHead, entries: Sequence[Entry]) -> Pending:
        """Return the batch's effects if ``entries`` are exactly batch ``head`` and every check
        passes; else raise BatchRefused naming the check."""
        st = self.state
        if head.batch_no != st.next_batch_no:
            raise BatchRefused("batch_no", f"batch {head.batch_no} does not follow the last "
                               f"checked batch; want batch {st.next_batch_no}")  # fmt: skip
        if head.first_seq != st.next_seq:
            raise BatchRefused("seq_range", f"batch starts at seq {head.first_seq}, want "
                               f"{st.next_seq} (right after the last checked batch)")  # fmt: skip
        if len(entries) != head.size:
            raise BatchRefused("seq_range", f"batch has size {head.size} but "
                               f"{len(entries)} entries were given")  # fmt: skip
        grants = dict(st.grants)
        projects = dict(st.projects)
        changed: dict[str, HeadValue] = {}
        leaves: list[bytes] = []
        for i, entry in enumerate(entries):
            if entry.seq != head.first_seq + i:
                raise BatchRefused("seq_range", f"entry {i} has seq {entry.seq}, want "
                                   f"{head.first_seq + i}", entry.seq)  # fmt: skip
            leaf = entry.leaf_hash()
            leaves.append(leaf)
            self._entry(entry, leaf, grants, projects, changed)
        calculated = merkle.root(leaves)
        if calculated != head.root:
            raise BatchRefused("entries_root", f"entries give root {calculated.hex()}, the "
                               f"head says {head.root.hex()}")  # fmt: skip
        head_map = st.head_map.updated(changed)
        heads_root = head_map.root
        if heads_root != head.heads_root:
            raise BatchRefused("heads_root", f"head map gives root {heads_root.hex()}, the "
                               f"head says {head.heads_root.hex()}")  # fmt: skip
        return Pending(head, entries, grants, projects, changed, head_map)

    def commit(self, pending: Pending) -> None:
        if pending.head.batch_no != self.state.next_batch_no:
            raise BatchRefused("batch_no", "the follower moved since this batch was checked")
        values = self.state.head_values  # the follower's own (__init__): updated in place
        values.update(pending.changed)
        self.state = FollowState(
            next_batch_no=pending.head.batch_no + 1,
            next_seq=pending.head.first_seq + pending.head.size,
            grants=pending.grants, projects=pending.projects, head_values=values,
            head_map=pending.head_map,
        )  # fmt: skip

    # ---------------------------------------------------------------- one entry

    def _entry(self, entry: Entry, leaf: bytes, grants: dict[str, Grant],
               projects: dict[str, ProjectRecord], changed: dict[str, HeadValue]) -> None:  # fmt: skip
        rec = entry.record
        seq = entry.seq
        if isinstance(rec, KeyRecord):
            self._key_entry(entry, rec, grants)
        else:
            grant = self._signer(entry, grants)
            project = projects.get(rec.project_code or "")
            try:
                verify_received_in_time(grant, rec, entry.received_at,
                                        sync_allowance_days(project))  # fmt: skip
            except LedgerError as exc:
                raise BatchRefused("authorisation", str(exc), seq) from exc
        if isinstance(rec, ProjectRecord) and rec.project not in projects:
            projects[rec.project] = rec
        subject = rec.subject_id
        if subject is not None:
            key = heads.subject_key(subject)
            cur = changed.get(key) or self.state.head_values.get(key)
            want_seq = 0 if cur is None else cur.counter + 1
            want_prev = None if cur is None else cur.leaf_hash
            if entry.subject_seq != want_seq or entry.subject_prev != want_prev:
                raise BatchRefused("subject_chain", f"worker {subject}'s entry has subject_seq "
                                   f"{entry.subject_seq}, want {want_seq} after its previous "
                                   "entry", seq)  # fmt: skip
            assert entry.subject_seq is not None
            changed[key] = HeadValue(entry.subject_seq, seq, leaf)
        if isinstance(rec, AttendanceRecord):
            key = heads.device_key(rec.project, rec.device)
            cur = changed.get(key) or self.state.head_values.get(key)
            if cur is None or rec.device_seq > cur.counter:
                changed[key] = HeadValue(rec.device_seq, seq, leaf)

    def _signer(self, entry: Entry, grants: dict[str, Grant]) -> Grant:
        rec = entry.record
        grant = grants.get(rec.signer)
        if grant is None:
            raise BatchRefused("authorisation", f"signer {rec.signer} is not a registered key",
                               entry.seq)  # fmt: skip
        try:
            entry.signed.verify(VerifyKey(grant.public_key))
        except LedgerError as exc:
            raise BatchRefused("signature", str(exc), entry.seq) from exc
        try:
            authorise(grant, rec, entry.seq)
        except LedgerError as exc:
            raise BatchRefused("authorisation", str(exc), entry.seq) from exc
        return grant

    def _key_entry(self, entry: Entry, rec: KeyRecord, grants: dict[str, Grant]) -> None:
        seq = entry.seq
        kid = rec.subject_key_id
        if rec.action == "register":
            if kid in grants:
                raise BatchRefused("authorisation", f"key {kid} is registered twice", seq)
            if rec.signer == kid:
                if seq != 0 or "operator" not in rec.roles or rec.projects:
                    raise BatchRefused("authorisation", "only the genesis (seq 0, operator role, "
                                       "every project) registers itself", seq)  # fmt: skip
                grant = Grant.from_record(rec, 0)
                try:
                    entry.signed.verify(VerifyKey(grant.public_key))
                except LedgerError as exc:
                    raise BatchRefused("signature", str(exc), seq) from exc
            else:
                self._signer(entry, grants)
                grant = Grant.from_record(rec, seq)
            grants[kid] = grant
            return
        target = grants.get(kid)
        if target is None:
            raise BatchRefused("authorisation", f"revokes unknown key {kid}", seq)
        signer = self._signer(entry, grants)
        try:
            authorise_revocation(signer, target)
        except LedgerError as exc:
            raise BatchRefused("authorisation", str(exc), seq) from exc
        if target.revoked_seq is not None:
            raise BatchRefused("authorisation", f"key {kid} is revoked twice", seq)
        grants[kid] = replace(target, revoked_seq=seq)
