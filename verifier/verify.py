"""The checks, in the order ``docs/proof-format.md`` gives, and the verdict.

Every check runs even after an earlier one failed, unless it depends on something that could not
be decoded (then it is reported ``skipped`` with the reason), so that a report names every
broken link and not just the first. The verdict is INVALID if any check failed, INCONCLUSIVE if
none failed but one could not be decided (no chain, chain unreachable), VALID otherwise.

Key entries are replayed in log order exactly as the store applied them: a registration is
valid if its signer was registered earlier (the genesis root key registers itself at seq 0),
signed it and was authorised to (``ledger.core.policy.authorise``) at that seq; a revocation
takes effect at its own seq and is never retroactive.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from ledger.core.canonical import canonical_bytes
from ledger.core.commitment import IDENTITY_TAG, verify_disclosure
from ledger.core.errors import (
    AuthorisationError,
    CommitmentError,
    LedgerError,
    ProofError,
    RecordRejected,
)
from ledger.core.heads import HEAD_TAG
from ledger.core.keys import RECEIPT_TAG, RECORD_TAG, key_id
from ledger.core.merkle import hash_leaf, verify_inclusion
from ledger.core.policy import (
    Grant,
    authorise,
    authorise_revocation,
    sync_allowance_days,
    verify_ack_in_window,
    verify_received_in_time,
)
from ledger.core.records import (
    AckRecord,
    CorrectionRecord,
    EnrollmentRecord,
    KeyRecord,
    ProjectRecord,
    PublicationRecord,
    Record,
)
from ledger.core.times import format_time
from verifier import checkpoint as ckp
from verifier import dispute, timeline
from verifier.ed25519 import SignatureCache
from verifier.effects import Effects
from verifier.format import (
    MAX_NESTING,
    Anchor,
    AnchorWitnesses,
    BatchRef,
    Bundle,
    FormatError,
    GateStatement,
    Item,
    ItemCache,
    NestingError,
    load,
    parse,
    too_deep,
)
from verifier.result import Check, Finding, Report, Status
from verifier.witnesses import Commitment, WitnessError, WitnessSet, check_all, contract_address

# ---------------------------------------------------------------------------- chain interface


class ChainLike(Protocol):
    """What the on-chain checks ask; ``anchor.reader.ChainReader`` implements it."""

    def chain_id(self) -> int: ...

    def batch(self, contract: str, batch_no: int) -> Any: ...

    def anchor_event(self, contract: str, tx_hash: str, batch_no: int | None = None) -> Any: ...

    def confirmations(self, block_number: int, block_hash: str) -> int: ...


CHAIN_CHECKS = (
    "chain.network", "chain.contract", "chain.root", "chain.event", "chain.block",
    "chain.confirmations", "chain.witnesses",
)  # fmt: skip

CLOCK_SKEW = timedelta(seconds=300)
"""How far an operator's receipt time may run ahead of the chain's block time (documented in
``docs/proof-format.md``): clocks of the operator and of block producers differ."""

_ITEMS = ItemCache()
_HEADS: dict[Any, str] = {}
_SIGS = SignatureCache()


def verify_bundle(
    bundle: Any, chain: ChainLike | None = None, *, offline: bool = False, source: str = ""
) -> Report:
    """Verify a decoded bundle (a dict). See ``Verifier``."""
    return Verifier(chain, offline=offline).verify(bundle, source)


def verify_bytes(
    data: bytes | str, chain: ChainLike | None = None, *, offline: bool = False, source: str = ""
) -> Report:
    """Verify the JSON text of a bundle; text that is not JSON gives an ``unreadable`` report."""
    return Verifier(chain, offline=offline).verify_bytes(data, source)


class Verifier:
    """Verifies bundles, sharing caches across calls.

    ``chain`` answers the on-chain checks. Without one they are INCONCLUSIVE, unless
    ``offline`` says the caller chose not to check the anchor: then they are ``skipped`` and
    the report's ``anchor_checked`` is False.

    Cached within a process: parsed key and context items (by position and leaf hash, with an
    equality check on the item object) with their recomputed leaf hash and inclusion result,
    verified signatures (public key, signature, hash of the signed bytes), verified batch heads
    (public key and the head, member by member) and, per Verifier, the chain's answers per
    contract, batch and transaction.
    """

    def __init__(
        self,
        chain: ChainLike | None = None,
        *,
        offline: bool = False,
        items: ItemCache | None = None,
        sigs: SignatureCache | None = None,
    ) -> None:
        self.chain = chain
        self.offline = offline
        self.items = items if items is not None else _ITEMS
        self.sigs = sigs if sigs is not None else _SIGS
        self._answers: dict[tuple[Any, ...], Any] = {}
        self._heads = _HEADS  # (public key, signed head) -> "" or the problem; process-wide

    def verify_bytes(self, data: bytes | str, source: str = "") -> Report:
        try:
            value = load(data)
        except FormatError as exc:
            check = Check("format", Status.FAILED, f"unreadable: {exc}")
            return Report(source, None, (check,), unreadable=True)
        return self.verify(value, source)

    def verify(self, value: Any, source: str = "") -> Report:
        kind = value.get("kind") if isinstance(value, dict) else None
        try:
            bundle = parse(value, self.items)
        except FormatError as exc:
            if too_deep(value):  # one rule, however deep and wherever: the reader's limit
                deep = NestingError(f"nested deeper than {MAX_NESTING} levels", "bundle")
                check = Check("format", Status.FAILED, f"unreadable: {deep}")
                return Report(source, None, (check,), unreadable=True)
            return Report(source, kind if isinstance(kind, str) else None,
                          (Check("format", Status.FAILED, str(exc)),))  # fmt: skip
        run = _Run(self, bundle)
        return run.report(source)

    def _signed(self, public: bytes, tag: bytes, body: dict[str, Any] | BatchRef,
                sig: bytes | None, what: str) -> str | None:
        """None if ``sig`` over ``tag ‖ 0x00 ‖ canonical(body)`` verifies under ``public``. A
        batch head (a BatchRef: frozen, compared member by member) is checked once per
        Verifier: every bundle of a site repeats the same few heads."""
        key = (public, body)
        if isinstance(body, BatchRef):
            hit = self._heads.get(key)
            if hit is not None:
                return hit or None
        try:
            data = canonical_bytes(body.head_body() if isinstance(body, BatchRef) else body)
            self.sigs.verify(public, tag, data, sig or b"")
            err = ""
        except LedgerError as exc:
            err = f"{what}: signature: {exc}"
        if isinstance(body, BatchRef):
            if len(self._heads) > 65_536:
                self._heads.clear()
            self._heads[key] = err
        return err or None

    # The chain's answers are cached per Verifier: many bundles of one site share batches.
    def _ask(self, key: tuple[Any, ...], fn: Callable[[], Any]) -> Any:
        if key not in self._answers:
            try:
                self._answers[key] = ("ok", fn())
            except LedgerError as exc:
                self._answers[key] = ("error", exc)
        tag, value = self._answers[key]
        if tag == "error":
            raise value
        return value


# ---------------------------------------------------------------------------- one bundle


@dataclass(slots=True)
class _ItemState:
    item: Item
    leaf: bytes  # calculated
    errors: list[str] = field(default_factory=list)  # leaf hash and inclusion problems


def _describe(item: Item) -> str:
    rec = item.entry.record
    return f"{item.where} (seq {item.seq}, {rec.TYPE} {rec.id})"


class _Run:
    def __init__(self, verifier: Verifier, bundle: Bundle) -> None:
        self.v = verifier
        self.b = bundle
        self.checks: list[Check] = []
        self.findings: list[Finding] = []
        self.facts: dict[str, Any] = {"kind": bundle.kind}
        self.state: dict[str, _ItemState] = {}
        for item in bundle.items():
            self.state[item.where] = self._basic(item)
        self.grants: dict[str, Grant] = {}
        self.key_items: dict[str, Item] = {}  # key id -> its registration item
        self.key_errors: list[str] = []
        self.full_errors: dict[str, list[str]] = {}
        self._leaves: dict[bytes, Item] | None = None
        self.witness_facts: dict[int, dict[str, Any]] = {}  # batch no -> who confirmed it

    # -------------------------------------------------------------- building blocks

    def _basic(self, item: Item) -> _ItemState:
        derived = self.v.items.derived
        hit = derived.get(id(item))
        if hit is not None and hit.item is item:
            return _ItemState(item, hit.leaf, list(hit.errors))
        leaf = hash_leaf(item.entry.canonical())
        st = _ItemState(item, leaf)
        if leaf != item.leaf_hash:
            st.errors.append(
                f"leaf hash: calculated {leaf.hex()}, bundle states {item.leaf_hash.hex()}"
            )
        st.errors += _inclusion_errors(item, leaf)
        if item.where.startswith(("keys[", "context[")):  # shared by many bundles of a site
            derived[id(item)] = _ItemState(item, leaf, list(st.errors))
        return st

    def _add(self, name: str, status: Status, detail: str = "") -> None:
        self.checks.append(Check(name, status, detail))

    def _signature(self, item: Item) -> str | None:
        """None if the entry's record is signed by the key registered under its signer id."""
        rec = item.entry.record
        reg = self.key_items.get(rec.signer)
        if reg is None:
            return f"no registration of its signer {rec.signer} in the bundle's keys"
        kr = reg.entry.record
        assert isinstance(kr, KeyRecord)
        try:
            self.v.sigs.verify(kr.public_key, RECORD_TAG, item.entry.signed.canonical,
                               item.entry.signed.sig)  # fmt: skip
        except LedgerError as exc:
            return f"record signature: {exc}"
        return None

    def _authorised(self, item: Item, ignore_revocation: bool = False) -> str | None:
        rec = item.entry.record
        grant = self.grants.get(rec.signer)
        if grant is None:
            return f"signer {rec.signer} has no valid registration in the bundle"
        if ignore_revocation:
            grant = replace(grant, revoked_seq=None)
        try:
            authorise(grant, rec, item.seq)
        except AuthorisationError as exc:
            return str(exc)
        if getattr(rec, "v", 1) >= 2:
            return self._v2_rules(item, grant)
        return None

    def _v2_rules(self, item: Item, grant: Grant) -> str | None:
        """Rules of format version 2 records that need more than the record, as the ledger
        applies them (``ledger.core.policy``): key validity judged on the receipt time, an ack
        of a publication only within its objection window, and an entry named (target,
        replacement, wage) on the record's project and about the record's worker."""
        rec, got = item.entry.record, item.entry.received_at
        # rule 3b: the allowance of the project record registered earlier in the log; 7 days
        # for a record without a project and for the project record itself
        project = None if isinstance(rec, ProjectRecord) else self._project(rec.project_code,
                                                                            item.seq)  # fmt: skip
        try:
            verify_received_in_time(grant, rec, got, sync_allowance_days(project))
            target = getattr(rec, "target", None)
            if isinstance(rec, AckRecord) and isinstance(target, bytes):
                pub = self._by_leaf().get(target)
                if pub is not None and isinstance(pub.entry.record, PublicationRecord):
                    verify_ack_in_window(pub.entry.record, got)
        except RecordRejected as exc:
            return exc.reason
        return self._link_problem(item)

    def _link_problem(self, item: Item) -> str | None:
        """``unknown-target`` and ``wrong-subject`` of docs/records.md, for the named entries the
        bundle holds: a correction or approval from another project, or about another worker,
        must not void, amend or approve anything (the ledger refuses to log it)."""
        rec = item.entry.record
        for name in sorted(_names(rec)):
            other = self._by_leaf().get(name)
            if other is None:
                continue
            o = other.entry.record
            if o.project_code != rec.project_code:
                return (f"names the entry at seq {other.seq} of project {o.project_code}, not of "
                        f"its own project {rec.project_code}")  # fmt: skip
            if o.subject_id is not None and o.subject_id != rec.subject_id:
                return (f"names the entry at seq {other.seq} about {o.subject_id}, but is about "
                        f"{rec.subject_id or 'no worker'}")  # fmt: skip
        return None

    def _project(self, code: str | None, before: int) -> ProjectRecord | None:
        """The ``project`` record of ``code`` among the bundle's entries logged before seq
        ``before`` (its sync allowance)."""
        for i in self.b.items():
            rec = i.entry.record
            if isinstance(rec, ProjectRecord) and rec.project == code and i.seq < before:
                return rec
        return None

    def _by_leaf(self) -> dict[bytes, Item]:
        if self._leaves is None:
            self._leaves = {self.leaf(i): i for i in self.b.items()}
        return self._leaves

    def _full(self, item: Item) -> list[str]:
        """Every problem of a non-key item: leaf, inclusion, signature, authorisation."""
        hit = self.full_errors.get(item.where)
        if hit is None:
            hit = list(self.state[item.where].errors)
            for err in (self._signature(item), self._authorised(item)):
                if err is not None:
                    hit.append(err)
            self.full_errors[item.where] = hit
        return list(hit)

    def leaf(self, item: Item) -> bytes:
        return self.state[item.where].leaf

    # -------------------------------------------------------------- keys

    def _replay_keys(self) -> None:
        """Replay the bundle's key entries in log order (see the module docstring)."""
        seen_seq: dict[int, Item] = {}
        for item in sorted(self.b.keys, key=lambda i: i.seq):
            if item.seq in seen_seq:
                other = seen_seq[item.seq]
                if self.leaf(other) != self.leaf(item):
                    self.key_errors.append(f"{item.where} and {other.where} both claim seq {item.seq}")
                continue
            seen_seq[item.seq] = item
            err = self._key_item(item)
            if err is not None:
                self.key_errors.append(f"{_describe(item)}: {err}")

    def _key_item(self, item: Item) -> str | None:
        rec = item.entry.record
        if not isinstance(rec, KeyRecord):
            return f"a {rec.TYPE} record in the keys"
        basic = self.state[item.where].errors
        if basic:
            return "; ".join(basic)
        kid = rec.subject_key_id
        if rec.action == "register":
            if kid in self.key_items:
                return f"key {kid} is registered twice"
            self.key_items[kid] = item  # even if invalid: lets signatures be checked and named
            if rec.signer == kid:
                return self._genesis(item, rec)
            signer, err = self._key_signer(item, rec)
            if signer is None:
                return err
            self.grants[kid] = Grant.from_record(rec, item.seq)
            return None
        # a revocation
        target = self.grants.get(kid)
        if target is None:
            return f"revokes key {kid}, which has no valid earlier registration in the bundle"
        signer, err = self._key_signer(item, rec)
        if signer is None:
            return err
        try:
            authorise_revocation(signer, target)
        except AuthorisationError as exc:
            return str(exc)
        if target.revoked_seq is not None:
            return f"key {kid} is revoked twice (seq {target.revoked_seq} and {item.seq})"
        self.grants[kid] = replace(target, revoked_seq=item.seq)
        return None

    def _genesis(self, item: Item, rec: KeyRecord) -> str | None:
        if item.seq != 0:
            return f"self-signed key registration at seq {item.seq}: only the genesis (seq 0) is"
        if "operator" not in rec.roles or rec.projects:
            return "the genesis key must have the operator role for every project"
        grant = Grant.from_record(rec, 0)
        err = self._sig_under(item, grant)
        if err is None:
            self.grants[grant.key_id] = grant
        return err

    def _key_signer(self, item: Item, rec: KeyRecord) -> tuple[Grant | None, str | None]:
        """The grant that signed key record ``rec``, or None and why it may not have."""
        signer = self.grants.get(rec.signer)
        if signer is None:
            return None, f"signed by {rec.signer}, which has no valid earlier registration"
        err = self._sig_under(item, signer)
        if err is not None:
            return None, err
        try:
            authorise(signer, rec, item.seq)
        except AuthorisationError as exc:
            return None, str(exc)
        return signer, None

    def _sig_under(self, item: Item, grant: Grant) -> str | None:
        try:
            self.v.sigs.verify(grant.public_key, RECORD_TAG, item.entry.signed.canonical,
                               item.entry.signed.sig)  # fmt: skip
        except LedgerError as exc:
            return f"record signature: {exc}"
        return None

    def key_chain(self, kid: str) -> list[dict[str, Any]]:
        """The signer's registration and its signers' up to the genesis, for reports."""
        out: list[dict[str, Any]] = []
        while kid in self.key_items and len(out) < 16:
            item = self.key_items[kid]
            rec = item.entry.record
            assert isinstance(rec, KeyRecord)
            g = self.grants.get(kid)
            out.append({
                "key_id": kid, "holder": rec.holder, "roles": list(rec.roles),
                "projects": list(rec.projects), "registered_seq": item.seq,
                "registered_by": rec.signer, "valid_from": _t(rec.valid_from),
                "valid_until": _t(rec.valid_until),
                "revoked_seq": g.revoked_seq if g is not None else None,
            })  # fmt: skip
            if rec.signer == kid:
                break
            kid = rec.signer
        return out

    # -------------------------------------------------------------- the checks

    def report(self, source: str) -> Report:
        self._add("format", Status.PASSED, f"{self.b.kind} bundle, version {self.b.version}, "
                  f"{len(self.b.items())} proven entries")  # fmt: skip
        self._unique_check()
        self._replay_keys()
        if self.b.version >= 2:
            self._heads_check()
        if self.b.kind == "record":
            self._record_checks()
        else:
            self._run_checks()
        self._anchor_consistency()
        self._block_time_check()
        self._witnesses_check()
        if self.b.checkpoint is not None:
            self._checkpoint_checks()
        self._related_check()
        self._context_check()
        if self.b.kind == "record":
            self._disclosure_check()
        anchor_checked = self._chain_checks()
        self._coverage()
        self._pending_finding()
        self.facts["batches"] = self._batch_facts()
        if any(c.status is Status.FAILED for c in self.checks):
            # Findings read the bundle's content as true; of a bundle that failed they would
            # only repeat what a tamperer wrote.
            self.findings = []
        return Report(source, self.b.kind, tuple(self.checks), tuple(self.findings),
                      anchor_checked, False, self.facts)  # fmt: skip

    def _unique_check(self) -> None:
        """Every entry at most once in a bundle: a repeated payment would count twice."""
        where: dict[int, list[str]] = {}
        for item in self.b.items():
            where.setdefault(item.seq, []).append(item.where)
        for i, p in enumerate(self.b.pending):
            where.setdefault(p.seq, []).append(f"pending[{i}]")
        dups = [f"seq {seq} appears {len(w)} times ({', '.join(w[:4])}{', …' if len(w) > 4 else ''})"
                for seq, w in where.items() if len(w) > 1]  # fmt: skip
        self._add("items.unique", Status.FAILED if dups else Status.PASSED,
                  "; ".join(dups[:10]) + (f" (and {len(dups) - 10} more)" if len(dups) > 10 else "")
                  if dups else f"{len(where)} entries, each at most once in the bundle")  # fmt: skip

    def _block_time_check(self) -> None:
        """Offline: a batch cannot be anchored before the operator received its entries."""
        problems: list[str] = []
        for item in self.b.items():
            bt, got = item.anchor.block_time, item.entry.received_at
            if bt < got - CLOCK_SKEW:
                problems.append(f"batch {item.batch.batch_no} is anchored at {_t(bt)}, before "
                                f"{item.where} (seq {item.seq}) was received at {_t(got)} "
                                f"(allowed skew {int(CLOCK_SKEW.total_seconds())} s)")  # fmt: skip
        for ref, a in self._batches().values():
            if ref.sealed_at is not None and a.block_time < ref.sealed_at - CLOCK_SKEW:
                problems.append(f"batch {ref.batch_no} is anchored at {_t(a.block_time)}, before "
                                f"its signed head says it was sealed ({_t(ref.sealed_at)})")  # fmt: skip
        self._add("anchor.block_time", Status.FAILED if problems else Status.PASSED,
                  "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)"
                                             if len(problems) > 5 else "") if problems else
                  "every batch's block time is at or after the receipt time of each of its "
                  f"entries in the bundle, less {int(CLOCK_SKEW.total_seconds())} s")  # fmt: skip

    def _witnesses_check(self) -> None:
        """``anchor.witnesses`` (offline): for every batch whose anchor names witnesses, each
        proof of possession of the set verifies, the bitmap names at least the threshold and no
        index outside the set, and the aggregate signature verifies over the batch's 162-byte
        message (chain id and contract from the anchor; batch number, first seq, size, root and
        heads root from the signed head). A batch anchored without a quorum passes, said so."""
        batches = self._batches()
        named = {no: a.witnesses for no, (_, a) in batches.items() if a.witnesses is not None}
        if not named:
            self._add("anchor.witnesses", Status.SKIPPED,
                      "no batch of the bundle names witnesses (its registry had no witness set "
                      "when they were anchored): nothing but the operator's key and the chain "
                      "vouches for them")  # fmt: skip
            return
        problems: list[str] = []
        lines: list[str] = []
        bad_sets: dict[int, str] = {}
        # every proof of possession and every quorum of the bundle in one product of pairings;
        # the checks below then find them decided (or decide a failing one alone, to name it)
        checks = [c for ws in self.b.witness_sets for c in ws.pop_checks()]
        for no, (ref, a) in batches.items():
            w = a.witnesses
            if w is not None and w.status != "unwitnessed":
                assert w.bitmap is not None and w.signature is not None
                with contextlib.suppress(WitnessError):  # malformed: reported below, named
                    checks.append(self.b.witness_sets[w.set_index].quorum_check(
                        _commitment(no, ref, a), w.bitmap, w.signature))  # fmt: skip
        check_all(checks)
        for i, ws in enumerate(self.b.witness_sets):
            try:
                ws.verify_pops()
            except WitnessError as exc:
                bad_sets[i] = f"witness_sets[{i}].{exc}"
        for no, (ref, a) in sorted(batches.items()):
            w = a.witnesses
            if w is None:
                lines.append(f"batch {no}: no witnesses named (anchored before the registry had "
                             "a witness set, or after it was cleared)")  # fmt: skip
                self.witness_facts[no] = {"status": "none"}
                continue
            ws = self.b.witness_sets[w.set_index]
            fact: dict[str, Any] = {"status": w.status, "threshold": ws.threshold,
                                    "n": len(ws.members)}  # fmt: skip
            if w.status == "unwitnessed":
                said = (w.reason or "").replace("; ", ", ")  # "; " separates the batches
                lines.append(f"batch {no}: anchored WITHOUT a witness quorum (threshold "
                             f"{ws.threshold} of {len(ws.members)}), the anchorer's reason: "
                             f"'{said}'")  # fmt: skip
                fact["reason"] = w.reason
                self.witness_facts[no] = fact
                continue
            if w.set_index in bad_sets:
                problems.append(f"batch {no}: {bad_sets[w.set_index]}")
                continue
            err = self._quorum_error(no, ref, a, ws, w)
            if err is not None:
                problems.append(f"batch {no}: {err}")
                continue
            signers = ws.signers(w.bitmap or 0)
            names = [m.name for m in signers]
            lines.append(f"batch {no}: confirmed by {len(names)} of {len(ws.members)} witnesses "
                         f"(threshold {ws.threshold}): {', '.join(names)}")  # fmt: skip
            fact["signers"] = names
            self.witness_facts[no] = fact
        if problems:
            self.witness_facts = {}
        self._add("anchor.witnesses", Status.FAILED if problems else Status.PASSED,
                  "; ".join(problems) if problems else "; ".join(lines))  # fmt: skip

    @staticmethod
    def _quorum_error(no: int, ref: BatchRef, a: Anchor, ws: WitnessSet,
                      w: AnchorWitnesses) -> str | None:  # fmt: skip
        """None if the quorum ``w`` names signed batch ``no`` as ``ref`` and ``a`` give it."""
        assert w.bitmap is not None and w.signature is not None
        try:
            ws.verify_quorum(_commitment(no, ref, a), w.bitmap, w.signature)
        except WitnessError as exc:
            return str(exc)
        return None

    def _batches(self) -> dict[int, tuple[BatchRef, Anchor]]:
        """Each batch the bundle names (items and checkpoint), as first given."""
        out: dict[int, tuple[BatchRef, Anchor]] = {}
        for i in self.b.items():
            out.setdefault(i.batch.batch_no, (i.batch, i.anchor))
        cp = self.b.checkpoint
        if cp is not None:
            out.setdefault(cp.batch.batch_no, (cp.batch, cp.anchor))
        return out

    def _operator_signed(self, kid: str | None, seq: int, tag: bytes,
                         body: dict[str, Any] | BatchRef, sig: bytes | None,
                         what: str) -> str | None:  # fmt: skip
        """None if ``sig`` over ``tag ‖ 0x00 ‖ canonical(body)`` verifies under the key ``kid``,
        registered in the bundle's keys with role operator and not revoked at ``seq``."""
        g = self.grants.get(kid or "")
        if g is None:
            return f"{what} is signed by key {kid}, which has no valid registration in the keys"
        if "operator" not in g.roles:
            return f"{what} is signed by key {kid} ({g.holder}), which has no operator role"
        if g.revoked_seq is not None and g.revoked_seq <= seq:
            return f"{what} is signed by key {kid}, revoked at seq {g.revoked_seq}"
        return self.v._signed(g.public_key, tag, body, sig, what)

    def _heads_check(self) -> None:
        """Version 2: every batch object is the operator's signed head, so that nothing a
        bundle says about a batch (its size, roots, sealing time) is unsigned offline."""
        problems = []
        refs = {i.batch for i in self.b.items()}  # every distinct batch object, however given
        if self.b.checkpoint is not None:
            refs.add(self.b.checkpoint.batch)
        for ref in sorted(refs, key=lambda r: (r.batch_no, r.size, r.root)):
            err = self._operator_signed(ref.log, ref.first_seq + ref.size - 1, HEAD_TAG, ref,
                                        ref.sig, f"the head of batch {ref.batch_no}")  # fmt: skip
            if err is not None:
                problems.append(err)
        self._add("batch.heads", Status.FAILED if problems else Status.PASSED,
                  "; ".join(dict.fromkeys(problems)) or f"{len(refs)} batch heads signed by a "
                  "registered operator key (size, roots and sealing time as the operator signed "
                  "them)")  # fmt: skip

    def _checkpoint_checks(self) -> None:
        b, cp = self.b, self.b.checkpoint
        assert cp is not None and b.subject is not None and b.project is not None
        n, head = cp.batch.batch_no, cp.batch
        end = head.first_seq + head.size - 1
        problems = []
        for it in b.items():
            if it.batch.batch_no > n:
                problems.append(f"{it.where} (seq {it.seq}) is in batch {it.batch.batch_no}, after "
                                f"the checkpoint batch {n}")  # fmt: skip
            elif it.batch.batch_no == n and (it.batch != head or it.anchor != cp.anchor):
                problems.append(f"{it.where} describes batch {n} differently from the checkpoint")
        self._add("checkpoint.batch", Status.FAILED if problems else Status.PASSED,
                  "; ".join(problems[:5]) or f"checkpoint batch {n} (seq {head.first_seq}–{end}), "
                  f"at or after the batch of every entry in the bundle, anchored at block time "
                  f"{_t(cp.anchor.block_time)}")  # fmt: skip
        # the worker's head: the run ends where the log's chain of the worker ends
        last = b.run[-1]
        claim = ckp.subject_claim(cp.heads, b.subject)
        problem: str | None = None
        if claim is None:
            problem = f"no head proof for subject/{b.subject} in the checkpoint"
        else:
            problem = ckp.head_problem(head.heads_root or b"", claim)
            if problem is None:
                want = (last.entry.subject_seq, last.seq, self.leaf(last))
                if claim.counter is None:
                    problem = (f"the head map of batch {n} holds no entry of {b.subject}, but the "
                               "run holds entries")  # fmt: skip
                elif (claim.counter, claim.seq, claim.leaf_hash) != want:
                    problem = (f"the worker's head at batch {n} is subject_seq {claim.counter} "
                               f"(seq {claim.seq}), but the run ends at subject_seq {want[0]} "
                               f"(seq {want[1]}): " + (
                                   "entries after the run's end are missing from the bundle"
                                   if claim.counter > (want[0] or 0) else
                                   "the run does not end at the head"))  # fmt: skip
        self._add("checkpoint.subject", Status.FAILED if problem else Status.PASSED,
                  problem or f"head proof: the worker's last entry up to batch {n} is subject_seq "
                  f"{last.entry.subject_seq} (seq {last.seq}), the run's last entry: nothing "
                  "after the run is missing")  # fmt: skip
        # the gates whose punches the bundle uses
        used = ckp.used_gates(b.run, b.project)
        problems = ckp.stray_claims(cp.heads, b.subject, b.project, used)
        counters: dict[str, int | None] = {}
        for device, punches in sorted(used.items()):
            dc = ckp.device_claim(cp.heads, b.project, device)
            if dc is None:
                problems.append(f"no head proof for gate {device} in the checkpoint")
                continue
            err = ckp.head_problem(head.heads_root or b"", dc)
            if err is not None:
                problems.append(err)
                continue
            counters[device] = dc.counter
            top = max(getattr(p.entry.record, "device_seq", 0) for p in punches)
            if dc.counter is None or dc.counter < top:
                problems.append(f"gate {device}'s head at batch {n} is event {dc.counter}, below "
                                f"event {top} used in the bundle")  # fmt: skip
        self._add("checkpoint.devices", Status.FAILED if problems else Status.PASSED,
                  "; ".join(problems[:5]) or (f"head proofs for {len(used)} gates: "
                  + ", ".join(f"{d} at event {counters.get(d)}" for d in sorted(used))
                  if used else "the bundle uses no gate's punches"))  # fmt: skip
        self._gates_check(used, counters)

    def _gates_check(self, used: dict[str, list[Item]], counters: dict[str, int | None]) -> None:
        b, cp = self.b, self.b.checkpoint
        assert cp is not None
        problems = []
        by_device: dict[str, GateStatement] = {}
        for st in cp.gates:
            if st.device not in used:
                problems.append(f"{st.where}: a statement for gate {st.device}, whose punches "
                                "the bundle does not use")  # fmt: skip
            if st.device in by_device:
                problems.append(f"two statements for gate {st.device}")
            by_device[st.device] = st
            err = self._operator_signed(st.log, cp.batch.first_seq + cp.batch.size - 1,
                                        ckp.GATES_TAG, st.body, st.sig,
                                        f"the statement of gate {st.device}")  # fmt: skip
            if err is not None:
                problems.append(err)
            if st.project != b.project or st.as_of_batch != cp.batch.batch_no:
                problems.append(f"{st.where} is about {st.project} as of batch {st.as_of_batch}, "
                                f"not {b.project} as of the checkpoint batch "
                                f"{cp.batch.batch_no}")  # fmt: skip
            lo, hi = self._gate_window()
            if st.window_from > lo or st.window_until < hi:
                problems.append(f"{st.where} covers {_t(st.window_from)} to "
                                f"{_t(st.window_until)}, not the whole window {_t(lo)} to "
                                f"{_t(hi)} the bundle asks about")  # fmt: skip
        for device, punches in sorted(used.items()):
            found = by_device.get(device)
            if found is None:
                problems.append(f"no counter statement for gate {device}")
                continue
            problems += ckp.statement_problems(found, punches, counters.get(device))
        self._add("checkpoint.gates", Status.FAILED if problems else Status.PASSED,
                  "; ".join(problems[:5]) or f"{len(cp.gates)} gate counter statements signed by "
                  "the operator hold every punch the bundle uses")  # fmt: skip
        if not problems:
            tz = dispute.project_tz([i.entry for i in b.context], b.project or "")
            for st in cp.gates:
                for gap in ckp.gaps(st):
                    self.findings.append(Finding("gate_gap", False, gap.text(tz)))

    def _gate_window(self) -> tuple[datetime, datetime]:
        """The window a gate statement must cover: the 16 hours up to ``at`` (presence); the
        month in the project's time zone from 16 hours before its first day (wage)."""
        b = self.b
        if b.kind == "presence":
            assert b.at is not None
            return b.at - ckp.SHIFT, b.at
        assert b.pay_month is not None
        tz = dispute.project_tz([i.entry for i in b.context], b.project or "")
        return (ckp.month_start(b.pay_month, tz) - ckp.SHIFT, ckp.month_end(b.pay_month, tz))

    def _coverage(self) -> None:
        """The INCONCLUSIVE rule: an instant (presence) or a month (wage, its last instant) is
        covered only when the checkpoint batch was sealed at least the project's sync allowance
        after it; before that, late-synced events for it may still arrive. The signed sealing
        time, not the block time: the head proofs show the log as it was when the batch was
        sealed, and whatever arrived between sealing and a late anchor is not in them."""
        b, cp = self.b, self.b.checkpoint
        if cp is None or b.project is None:
            return
        tz = dispute.project_tz([i.entry for i in b.context], b.project)
        allow = ckp.allowance(b.context, b.project)
        if b.kind == "presence":
            assert b.at is not None
            t, what = b.at, f"the instant {_t(b.at.astimezone(tz) if tz else b.at)}"
        else:
            assert b.pay_month is not None
            t = ckp.month_end(b.pay_month, tz)
            what = f"{b.pay_month} (ending {_t(t)})"
        x = min(cp.batch.sealed_at or cp.anchor.block_time, cp.anchor.block_time)
        done = f"complete up to batch {cp.batch.batch_no}, sealed at {_t(x)}"
        self.facts["checkpoint"] = {
            "batch_no": cp.batch.batch_no, "last_seq": cp.batch.first_seq + cp.batch.size - 1,
            "sealed_at": _t(x), "allowance_days": allow.days, "covers_until": _t(t + allow),
        }  # fmt: skip
        if x >= t + allow:
            self._add("checkpoint.covers", Status.PASSED,
                      f"{done}: at least {allow.days} days (the project's sync allowance) after "
                      f"{what}")  # fmt: skip
            return
        self._add("checkpoint.covers", Status.INCONCLUSIVE,
                  f"{done}; events for {what} may still arrive until {_t(t + allow)} (sync "
                  f"allowance {allow.days} days): ask again after that")  # fmt: skip
        if not any(c.status is Status.FAILED for c in self.checks):
            # figures about a period the log does not cover yet would read as final
            self.findings = [Finding("coverage", False,
                                     f"events for {what} may still arrive until "
                                     f"{_t(t + allow)}; {done}")]  # fmt: skip

    def _keys_check(self) -> None:
        if self.key_errors:
            self._add("keys", Status.FAILED, "; ".join(self.key_errors))
        else:
            self._add("keys", Status.PASSED, f"{len(self.b.keys)} key entries replay in log order "
                      "to the genesis root key")  # fmt: skip

    def _record_checks(self) -> None:
        b = self.b
        assert b.record is not None and b.receipt is not None
        item = b.record
        rec = item.entry.record
        err = self._signature(item)
        self._add("record.signature", Status.FAILED if err else Status.PASSED,
                  err or f"Ed25519 signature of key {rec.signer} over the record verifies")  # fmt: skip
        chain = self.key_chain(rec.signer)
        self.facts["signer"] = chain
        self._keys_check()
        if rec.signer in self.grants:
            path = " ← ".join(f"{k['holder']} (seq {k['registered_seq']})" for k in chain)
            self._add("signer.registered", Status.PASSED, f"registered: {path}")
            err = self._authorised(item, ignore_revocation=True)
            self._add("signer.authorised", Status.FAILED if err else Status.PASSED,
                      err or _authorised_detail(self.grants[rec.signer], rec))  # fmt: skip
            g = self.grants[rec.signer]
            if g.revoked_seq is not None and item.seq > g.revoked_seq:
                self._add("signer.not_revoked", Status.FAILED,
                          f"key {rec.signer} was revoked at seq {g.revoked_seq}, before this "
                          f"record at seq {item.seq}")  # fmt: skip
            elif g.revoked_seq is not None:
                self._add("signer.not_revoked", Status.PASSED,
                          f"revoked later, at seq {g.revoked_seq}; revocation is not retroactive, "
                          f"so this record at seq {item.seq} stands")  # fmt: skip
            else:
                self._add("signer.not_revoked", Status.PASSED,
                          "no revocation of the key in the bundle")  # fmt: skip
        else:
            why = next((e for e in self.key_errors if rec.signer in e), "")
            self._add("signer.registered", Status.FAILED,
                      f"no valid registration of key {rec.signer} in the bundle" +
                      (f": {why}" if why else ""))  # fmt: skip
            self._add("signer.authorised", Status.SKIPPED, "the signer's key is not registered")
            self._add("signer.not_revoked", Status.SKIPPED, "the signer's key is not registered")
        st = self.state[item.where]
        leaf_ok = st.leaf == item.leaf_hash
        self._add("record.leaf_hash", Status.PASSED if leaf_ok else Status.FAILED,
                  f"SHA-256(0x00 ‖ canonical entry) = {st.leaf.hex()}" if leaf_ok else
                  f"calculated {st.leaf.hex()}, bundle states {item.leaf_hash.hex()}")  # fmt: skip
        inc = [e for e in st.errors if not e.startswith("leaf hash:")]
        self._add("record.inclusion", Status.FAILED if inc else Status.PASSED,
                  "; ".join(inc) or f"leaf {item.index} of {item.batch.size} in batch "
                  f"{item.batch.batch_no} leads to root {item.batch.root.hex()}")  # fmt: skip
        self._receipt_check(item)
        self.facts["record"] = {
            "seq": item.seq, "type": rec.TYPE, "id": rec.id, "time": _t(rec.time),
            "received_at": _t(item.entry.received_at), "leaf_hash": st.leaf.hex(),
            "project": rec.project_code, "subject": rec.subject_id,
            "fields": rec.to_json(), "batch_no": item.batch.batch_no,
            "subject_seq": item.entry.subject_seq,
        }  # fmt: skip

    def _receipt_check(self, item: Item) -> None:
        r = self.b.receipt
        assert r is not None
        problems = []
        op = self.b.operator_key
        if key_id(op) != r.log:
            problems.append(f"receipt names log key {r.log}, operator_key is {key_id(op)}")
        if r.seq != item.seq:
            problems.append(f"receipt is for seq {r.seq}, the record is at seq {item.seq}")
        if r.leaf_hash != self.leaf(item):
            problems.append(f"receipt leaf hash {r.leaf_hash.hex()} is not the entry's "
                            f"{self.leaf(item).hex()}")  # fmt: skip
        if r.received_at != item.entry.received_at:
            problems.append(f"receipt time {_t(r.received_at)} is not the entry's "
                            f"{_t(item.entry.received_at)}")  # fmt: skip
        if not problems:
            try:
                self.v.sigs.verify(op, RECEIPT_TAG, canonical_bytes(r.body()), r.sig)
            except LedgerError as exc:
                problems.append(f"receipt signature: {exc}")
        root = next((k for k, it in self.key_items.items() if it.seq == 0), None)
        who = ("the genesis root key" if root == r.log else
               "a key that is not the genesis root key")  # fmt: skip
        self._add("receipt", Status.FAILED if problems else Status.PASSED,
                  "; ".join(problems) or f"operator receipt for seq {r.seq} signed by {who} "
                  f"{r.log}")  # fmt: skip
        self._receipt_key(r.log, r.seq, "receipt.key", "receipt")
        self.facts["receipt"] = {"log": r.log, "received_at": _t(r.received_at),
                                 "root_key": root == r.log}  # fmt: skip

    def _receipt_key(self, kid: str, seq: int, name: str, what: str) -> None:
        """``kid`` signed the operator's ``what`` about seq ``seq``: it must be a key registered
        in the bundle's keys (its chain replayed) with role operator, not revoked at ``seq``."""
        g = self.grants.get(kid)
        if g is None:
            why = next((e for e in self.key_errors if kid in e), "")
            problem: str | None = (f"the {what} is signed by key {kid}, which has no valid "
                                   "registration in the bundle's keys" + (f": {why}" if why else ""))  # fmt: skip
        elif "operator" not in g.roles:
            problem = (f"the {what} is signed by key {kid} ({g.holder}), whose roles are "
                       f"{', '.join(sorted(g.roles))}: only an operator key signs receipts")  # fmt: skip
        elif g.revoked_seq is not None and g.revoked_seq <= seq:
            problem = (f"the {what} for seq {seq} is signed by key {kid}, revoked at seq "
                       f"{g.revoked_seq}")  # fmt: skip
        else:
            problem = None
        if problem is not None:
            self._add(name, Status.FAILED, problem)
            return
        assert g is not None
        genesis = " (the genesis root key)" if g.registered_seq == 0 else ""
        self._add(name, Status.PASSED,
                  f"key {kid}{genesis} of {g.holder}, registered at seq {g.registered_seq} with "
                  f"role operator, not revoked at seq {seq}")  # fmt: skip

    def _run_checks(self) -> None:
        b = self.b
        problems = []
        for item in b.run:
            errs = self._full(item)
            if errs:
                problems.append(f"{_describe(item)}: {'; '.join(errs)}")
        self._keys_check()
        self._add("run.entries", Status.FAILED if problems else Status.PASSED,
                  "; ".join(problems[:10]) + (f" (and {len(problems) - 10} more)"
                                              if len(problems) > 10 else "")
                  if problems else f"{len(b.run)} entries: leaf hashes, inclusion proofs, "
                  "signatures and authorisations hold")  # fmt: skip
        self._add(*_contiguity(b, [self.leaf(i) for i in b.run]))
        self._add(*dispute.run_start(b))
        signers = {i.entry.record.signer for i in b.run}
        self.facts["signers"] = {k: self.key_chain(k) for k in sorted(signers)}
        self.facts["run"] = {
            "subject": b.subject, "project": b.project, "first_subject_seq":
            b.run[0].entry.subject_seq, "last_subject_seq": b.run[-1].entry.subject_seq,
            "entries": len(b.run), "issued_at": _t(b.issued_at),
        }  # fmt: skip

    def _anchor_consistency(self) -> None:
        refs: list[_Ref] = list(self.b.items())
        cp = self.b.checkpoint
        if cp is not None:
            refs.append(_CheckpointRef("checkpoint", cp.batch, cp.anchor))
        problems = _anchor_problems(refs)
        self._add("anchor.batches", Status.FAILED if problems else Status.PASSED,
                  "; ".join(problems) or f"{len({i.batch.batch_no for i in self.b.items()})} "
                  "batches, one registry, consistent ranges, blocks and transactions")  # fmt: skip

    def _related_check(self) -> None:
        b = self.b
        if not b.related:
            self._add("related", Status.PASSED, "no corrections, approvals, acknowledgements or "
                      "payments name the bundle's entries")  # fmt: skip
        else:
            problems = []
            heads = [b.record] if b.record is not None else list(b.run)
            known = {self.leaf(i) for i in heads} | {self.leaf(i) for i in b.related}
            replacements = {r.replacement for r in (i.entry.record for i in b.related + b.run)
                            if isinstance(r, CorrectionRecord) and r.replacement is not None}  # fmt: skip
            for item in b.related:
                errs = self._full(item)
                names = _names(item.entry.record)
                if not (names & known) and self.leaf(item) not in replacements:
                    errs.append("names no entry of the bundle (" + (", ".join(
                        n.hex()[:16] for n in sorted(names)) or "nothing") + ")")  # fmt: skip
                if errs:
                    problems.append(f"{_describe(item)}: {'; '.join(errs)}")
            self._add("related", Status.FAILED if problems else Status.PASSED,
                      "; ".join(problems) or f"{len(b.related)} related entries verify and name "
                      "entries of the bundle")  # fmt: skip
        good = [i for i in b.related if not self._full(i)]
        heads = [b.record] if b.record is not None else [i for i in b.run if not self._full(i)]
        effects = Effects.of(
            [(self.leaf(i), i.entry) for i in heads + good], self.key_chain
        )
        self.facts["timeline"] = timeline.build(b, effects, {i.seq: self.leaf(i) for i in b.items()})
        if b.record is not None:
            self.findings += effects.record_findings(self.leaf(b.record), b.record.entry)
            self.facts["related"] = [_entry_fact(i, self.leaf(i)) for i in b.related]
            self.facts["status"] = effects.status(self.leaf(b.record))
        else:
            tz = dispute.project_tz([i.entry for i in list(b.context) + heads], b.project or "")
            if b.kind == "wage":
                f, facts = dispute.wage(b, effects, tz)
            else:
                f, facts = dispute.presence(b, effects, tz)
            self.findings += f
            self.facts["recomputed"] = facts

    def _context_check(self) -> None:
        b = self.b
        wanted = self._context_wanted() if b.version >= 2 else []
        if not b.context and not wanted:
            self._add("context", Status.SKIPPED, "no context entries")
            return
        problems = [f"{_describe(i)}: {'; '.join(e)}" for i in b.context if (e := self._full(i))]
        problems += wanted
        self._add("context", Status.FAILED if problems else Status.PASSED,
                  "; ".join(problems) or f"{len(b.context)} context entries verify "
                  "(" + ", ".join(i.entry.record.TYPE for i in b.context) + ")")  # fmt: skip

    def _context_wanted(self) -> list[str]:
        """Version 2: what the context must and may hold. The project record decides the time
        zone and the sync allowance, so a bundle that leaves it out would let its holder choose
        them (7 days, UTC); an enrollment decides the day rate, so it must be the worker's."""
        b = self.b
        problems: list[str] = []
        if b.kind == "record":
            assert b.record is not None
            rec = b.record.entry.record
            project, subject, before = rec.project_code, rec.subject_id, b.record.seq
            have = [b.record, *b.related, *b.context]
        else:
            project, subject, before = b.project, b.subject, None
            have = list(b.context)
        for it in b.context:
            r = it.entry.record
            if isinstance(r, ProjectRecord):
                if r.project != project:
                    problems.append(f"{it.where} is the project record of {r.project}, not of "
                                    f"{project}")  # fmt: skip
            elif isinstance(r, EnrollmentRecord):
                if r.subject != subject or r.project != project:
                    problems.append(f"{it.where} enrolls {r.subject} on {r.project}, not the "
                                    f"bundle's {subject} on {project}")  # fmt: skip
            else:
                problems.append(f"{it.where} is a {r.TYPE} record, which no check takes from "
                                "the context")  # fmt: skip
        itself = b.record is not None and isinstance(b.record.entry.record, ProjectRecord)
        if project is not None and not itself and not any(isinstance(it.entry.record, ProjectRecord)
                             and it.entry.record.project == project
                             and (before is None or it.seq < before) for it in have):  # fmt: skip
            problems.append(f"the project record of {project} is missing (its time zone and "
                            "sync allowance)")  # fmt: skip
        return problems

    def _disclosure_check(self) -> None:
        d = self.b.disclosure
        if d is None:
            self._add("disclosure", Status.SKIPPED, "the bundle discloses no identity")
            return
        b = self.b
        assert b.record is not None
        candidates = [b.record, *b.context, *b.related]
        enr = next((i for i in candidates if i.seq == d.enrollment_seq), None)
        rec = enr.entry.record if enr is not None else None
        problem = None
        if enr is None or not isinstance(rec, EnrollmentRecord):
            problem = f"no enrollment entry at seq {d.enrollment_seq} in the bundle"
        elif rec.subject != d.subject or b.record.entry.record.subject_id != d.subject:
            problem = f"the disclosure is about {d.subject}, the enrollment about {rec.subject}"
        elif rec.project != b.record.entry.record.project_code:
            problem = f"the enrollment is on project {rec.project}, not the record's"
        elif enr is not b.record and (errs := self._full(enr)):
            problem = "the enrollment entry does not verify: " + "; ".join(errs)
        else:
            try:
                verify_disclosure(IDENTITY_TAG, rec.identity_commitment, d.fields, d.salt)
            except (CommitmentError, LedgerError) as exc:
                problem = str(exc)
        if problem is None:
            assert isinstance(rec, EnrollmentRecord)
            self.facts["disclosure"] = {"subject": d.subject, "fields": d.fields}
            self._add("disclosure", Status.PASSED,
                      f"SHA-256(tag ‖ 0x00 ‖ salt ‖ canonical(fields)) equals the identity "
                      f"commitment {rec.identity_commitment.hex()} of enrollment seq "
                      f"{d.enrollment_seq}")  # fmt: skip
        else:
            self._add("disclosure", Status.FAILED, problem)

    def _pending_finding(self) -> None:
        if self.b.pending:
            p = self.b.pending
            self.findings.append(Finding(
                "pending", False,
                f"{len(p)} entries named by or following the bundle's entries were not anchored "
                f"when it was issued ({_t(self.b.issued_at)}): seq " +
                ", ".join(str(x.seq) for x in p[:20]) + ("…" if len(p) > 20 else "") +
                "; ask for a new bundle to have them proven",
            ))  # fmt: skip

    def _batch_facts(self) -> list[dict[str, Any]]:
        seen: dict[int, dict[str, Any]] = {}
        for i in self.b.items():
            if i.batch.batch_no in seen:
                continue
            a = i.anchor
            url = (self.b.explorer_tx_url.replace("{tx}", a.tx_hash)
                   if self.b.explorer_tx_url else None)  # fmt: skip
            seen[i.batch.batch_no] = {
                "batch_no": i.batch.batch_no, "first_seq": i.batch.first_seq,
                "size": i.batch.size, "root": i.batch.root.hex(), "chain_id": a.chain_id,
                "contract": a.contract, "tx_hash": a.tx_hash, "block_number": a.block_number,
                "block_hash": a.block_hash, "block_time": _t(a.block_time), "tx_url": url,
            }  # fmt: skip
            if i.batch.batch_no in self.witness_facts:
                seen[i.batch.batch_no]["witnesses"] = self.witness_facts[i.batch.batch_no]
        return [seen[k] for k in sorted(seen)]

    # -------------------------------------------------------------- on chain

    def _chain_checks(self) -> bool:
        chain = self.v.chain
        if chain is None:
            status = Status.SKIPPED if self.v.offline else Status.INCONCLUSIVE
            why = ("not checked: verification was asked offline (--offline); the anchor fields "
                   "were taken from the bundle" if self.v.offline else
                   "not checked: no chain to ask (give --rpc URL, or --offline to accept the "
                   "bundle's anchor unchecked)")  # fmt: skip
            for name in CHAIN_CHECKS:
                self._add(name, status, why)
            return False
        ChainUnavailable = _anchor_errors().ChainUnavailable  # noqa: N806

        batches = self._batches()  # the items' batches and the checkpoint's
        results: dict[str, list[str]] = {name: [] for name in CHAIN_CHECKS}
        notes: dict[str, list[str]] = {name: [] for name in CHAIN_CHECKS}
        try:
            self._ask_chain(chain, batches, results, notes)
        except ChainUnavailable as exc:
            done = {c.name for c in self.checks}
            for name in CHAIN_CHECKS:
                if name in done:
                    continue
                if results[name]:
                    self._add(name, Status.FAILED, "; ".join(results[name]))
                else:
                    self._add(name, Status.INCONCLUSIVE, f"chain unreachable: {exc}")
            return False
        return True

    def _ask_chain(
        self,
        chain: ChainLike,
        batches: dict[int, tuple[BatchRef, Anchor]],
        results: dict[str, list[str]],
        notes: dict[str, list[str]],
    ) -> None:
        errors = _anchor_errors()
        ChainUnavailable, WrongChain = errors.ChainUnavailable, errors.WrongChain  # noqa: N806
        ask = self.v._ask
        first = next(iter(batches.values()))[1]

        def emit(name: str, ok_detail: str) -> None:
            fails = results[name]
            self._add(name, Status.FAILED if fails else Status.PASSED,
                      "; ".join(fails) if fails else ok_detail)  # fmt: skip

        cid = ask(("chain_id",), chain.chain_id)
        if cid != first.chain_id:
            results["chain.network"].append(
                f"the node serves chain {cid}, the bundle was anchored on chain {first.chain_id}"
            )
        emit("chain.network", f"chain id {cid}")
        if results["chain.network"]:
            for name in CHAIN_CHECKS[1:]:
                self._add(name, Status.SKIPPED, "wrong network")
            return
        check_code = getattr(chain, "check_code", None)
        if check_code is not None:
            # the registry version the bundle names must be the one the code is (a version 1
            # bundle's checks mean nothing against version 2 code, and the other way round)
            anchors = [a for _, a in batches.values()]
            for contract, registry in sorted({(a.contract, _registry(a)) for a in anchors}):

                def code(c: str = contract, r: int = registry) -> Any:
                    return check_code(c, r)

                try:
                    ask(("code", contract, registry), code)
                except WrongChain as exc:
                    results["chain.contract"].append(str(exc))
                except ChainUnavailable:
                    raise
                except LedgerError as exc:
                    results["chain.contract"].append(str(exc))
            emit("chain.contract", f"{first.contract} runs the AnchorRegistry code")
        else:
            self._add("chain.contract", Status.SKIPPED, "the chain reader cannot read code")
        for no, (ref, a) in sorted(batches.items()):
            self._one_batch(chain, no, ref, a, results)
        n = len(batches)
        emit("chain.root", f"the contract stores the bundle's root for all {n} batches")
        emit("chain.event", f"each transaction emitted the Anchored event of its batch ({n})")
        emit("chain.block", "block numbers, hashes and times match the chain")
        emit("chain.confirmations", "every anchoring block is on the canonical chain")
        self._chain_witnesses(chain, batches, results)

    def _chain_witnesses(self, chain: ChainLike, batches: dict[int, tuple[BatchRef, Anchor]],
                         results: dict[str, list[str]]) -> None:  # fmt: skip
        """``chain.witnesses``: on a registry with witness sets, each anchoring transaction's
        ``Witnessed`` / ``AnchoredWithoutQuorum`` event agrees with the bundle's ``witnesses``
        (status, bitmap, and the set: ``witnessSetHash(setVersion)`` is the digest of the
        bundle's threshold and keys), and a batch the bundle names no witnesses for has neither
        event (else the bundle withholds a quorum or an unwitnessed mark)."""
        ChainUnavailable = _anchor_errors().ChainUnavailable  # noqa: N806
        name = "chain.witnesses"
        capable = getattr(chain, "witness_capable", None)
        read_log = getattr(chain, "witness_log", None)
        read_set = getattr(chain, "witness_set_hash", None)
        contract = next(iter(batches.values()))[1].contract
        if capable is None or read_log is None or read_set is None:
            self._add(name, Status.SKIPPED, "the chain reader cannot read witness events")
            return
        try:
            is_capable = self.v._ask(("wcap", contract), lambda: capable(contract))
        except ChainUnavailable:
            raise
        except LedgerError as exc:
            self._add(name, Status.SKIPPED, f"not checked: {exc}")
            return
        if not is_capable:
            # a registry without witness sets checked no quorum: witnesses the bundle names for
            # its batches were written by the bundle's holder, whatever they signed
            named = [no for no, (_, a) in sorted(batches.items()) if a.witnesses is not None]
            if named:
                self._add(name, Status.FAILED,
                          f"the contract at {contract} takes no witness sets, but the bundle "
                          f"names witnesses for batch {', '.join(map(str, named))}")  # fmt: skip
            else:
                self._add(name, Status.SKIPPED, f"the contract at {contract} takes no witness "
                          "sets, and the bundle names none")  # fmt: skip
            return
        digest = _anchor_reader().witness_set_digest
        fails = results[name]
        lines = []
        for no, (_, a) in sorted(batches.items()):
            w = a.witnesses
            try:
                log = self.v._ask(("wlog", a.contract, a.tx_hash, no),
                                  functools.partial(read_log, a.contract, a.tx_hash, no))  # fmt: skip
            except ChainUnavailable:
                raise
            except LedgerError as exc:
                fails.append(f"batch {no}: {exc}")
                continue
            said = w.status if w is not None else "none"
            got = log.status if log is not None else "none"
            if said != got:
                fails.append(f"batch {no}: the anchoring transaction {a.tx_hash} says "
                             f"{_WITNESS_WORDS[got]}, the bundle says {_WITNESS_WORDS[said]}")  # fmt: skip
                continue
            if w is None or log is None:
                lines.append(f"batch {no}: no witness event, none named")
                continue
            if w.status == "witnessed" and log.bitmap != w.bitmap:
                fails.append(f"batch {no}: the contract recorded signer bitmap {log.bitmap:x}, the "
                             f"bundle {w.bitmap or 0:x}")  # fmt: skip
                continue
            ws = self.b.witness_sets[w.set_index]
            want = digest(ws.threshold, [m.public_key for m in ws.members])
            try:
                have = self.v._ask(("wset", a.contract, log.set_version),
                                   functools.partial(read_set, a.contract, log.set_version))  # fmt: skip
            except ChainUnavailable:
                raise
            except LedgerError as exc:
                fails.append(f"batch {no}: {exc}")
                continue
            if bytes(have) != want:
                fails.append(f"batch {no}: the contract's witness set {log.set_version} is not the "
                             "bundle's (threshold and keys differ)")  # fmt: skip
                continue
            lines.append(f"batch {no}: {w.status} under witness set {log.set_version}")
        self._add(name, Status.FAILED if fails else Status.PASSED,
                  "; ".join(fails) if fails else "the contract's witness events agree with the "
                  "bundle: " + "; ".join(lines))  # fmt: skip

    def _one_batch(
        self, chain: ChainLike, no: int, ref: BatchRef, a: Anchor, results: dict[str, list[str]]
    ) -> None:
        ChainUnavailable = _anchor_errors().ChainUnavailable  # noqa: N806
        ask = self.v._ask
        registry = _registry(a)
        heads = getattr(ref, "heads_root", None)
        on = None
        if registry == 2:
            self._claim(chain, no, ref, a, heads, results)
        else:
            try:
                on = ask(("batch", a.contract, no), lambda: chain.batch(a.contract, no))
            except ChainUnavailable:
                raise
            except LedgerError as exc:
                results["chain.root"].append(f"batch {no}: {exc}")
                on = None
            else:
                if on is None:
                    results["chain.root"].append(f"batch {no} is not anchored in {a.contract}")
                else:
                    stored: tuple[tuple[str, Any, Any], ...] = (("root", bytes(on.root), ref.root),
                                            ("first_seq", on.first_seq, ref.first_seq),
                                            ("size", on.size, ref.size))  # fmt: skip
                    for what, got, want in stored:
                        if got != want:
                            results["chain.root"].append(
                                f"batch {no}: contract has {what} {_show(got)}, bundle {_show(want)}"
                            )
        try:
            ev = ask(("event", a.contract, a.tx_hash),
                     lambda: chain.anchor_event(a.contract, a.tx_hash))  # fmt: skip
        except ChainUnavailable:
            raise
        except LedgerError as exc:
            results["chain.event"].append(f"batch {no}: {exc}")
            ev = None
        if ev is not None:
            compared: tuple[tuple[str, Any, Any], ...] = (("batch_no", ev.batch_no, no),
                                    ("first_seq", ev.first_seq, ref.first_seq),
                                    ("size", ev.size, ref.size), ("root", bytes(ev.root), ref.root),
                                    ("contract", str(ev.contract).lower(), a.contract),
                                    ("chain_id", ev.chain_id, a.chain_id))  # fmt: skip
            if registry == 2:
                got_heads = getattr(ev, "heads_root", None)
                compared += (("heads_root", bytes(got_heads) if got_heads is not None else None,
                              heads),)  # fmt: skip
            for what, got, want in compared:
                if got != want:
                    results["chain.event"].append(
                        f"transaction {a.tx_hash} anchored {what} {_show(got)}, the bundle "
                        f"says {_show(want)} (batch {no})"
                    )
            compared = (("block number", ev.block_number, a.block_number),
                        ("block hash", str(ev.block_hash).lower(), a.block_hash),
                        ("block time", _as_dt(ev.block_time), a.block_time))  # fmt: skip
            for what, got, want in compared:
                if got != want:
                    results["chain.block"].append(
                        f"batch {no}: {what} on chain {_show(got)}, bundle {_show(want)}"
                    )
        if on is not None:
            if on.block_number != a.block_number:
                results["chain.block"].append(f"batch {no}: contract recorded block "
                                              f"{on.block_number}, bundle {a.block_number}")  # fmt: skip
            if _as_dt(on.anchored_at) != a.block_time:
                results["chain.block"].append(
                    f"batch {no}: contract recorded time {_show(_as_dt(on.anchored_at))}, "
                    f"bundle {_t(a.block_time)}"
                )
        try:
            conf = ask(("conf", a.block_number, a.block_hash),
                       lambda: chain.confirmations(a.block_number, a.block_hash))  # fmt: skip
        except ChainUnavailable:
            raise
        except LedgerError as exc:
            results["chain.confirmations"].append(f"batch {no}: {exc}")
        else:
            if conf < 1:
                results["chain.confirmations"].append(
                    f"batch {no}: block {a.block_number} {a.block_hash} is not on the canonical "
                    "chain (reorganised away, or not reached by this node)"
                )

    def _claim(self, chain: ChainLike, no: int, ref: BatchRef, a: Anchor, heads: Any,
               results: dict[str, list[str]]) -> None:  # fmt: skip
        """``chain.root`` for registry version 2: the contract stores one commitment per batch
        (docs/contract.md); the bundle's batch (first seq, size, root, heads root) anchored in
        the bundle's block (number and time) must be exactly what it commits to, asked through
        the contract's ``checkBatch`` view."""
        ChainUnavailable = _anchor_errors().ChainUnavailable  # noqa: N806
        check_batch = getattr(chain, "check_batch", None)
        if check_batch is None:
            results["chain.root"].append(f"batch {no}: the chain reader cannot check a registry "
                                         "version 2 commitment")  # fmt: skip
            return
        if not isinstance(heads, bytes) or len(heads) != 32:
            results["chain.root"].append(f"batch {no}: the bundle gives no 32-byte heads_root, "
                                         "which registry version 2 anchors with the batch")  # fmt: skip
            return
        claim = _anchor_reader().BatchClaim(no, ref.first_seq, ref.size, ref.root, heads,
                                            a.block_number, a.block_time)  # fmt: skip
        try:
            holds = self.v._ask(("claim", a.contract, claim),
                                lambda: check_batch(a.contract, claim))  # fmt: skip
        except ChainUnavailable:
            raise
        except LedgerError as exc:
            results["chain.root"].append(f"batch {no}: {exc}")
            return
        if holds is None:
            results["chain.root"].append(f"batch {no} is not anchored in {a.contract}")
        elif not holds:
            results["chain.root"].append(
                f"batch {no}: the contract's commitment is not that of the bundle's batch "
                f"(seq {ref.first_seq}..{ref.first_seq + ref.size - 1}, root {ref.root.hex()}, "
                f"heads root {heads.hex()}, block {a.block_number} at {_t(a.block_time)})"
            )


_WITNESS_WORDS = {
    "witnessed": "witnessed (a Witnessed event: a quorum signed it)",
    "unwitnessed": "anchored without a quorum (an AnchoredWithoutQuorum event)",
    "none": "nothing about witnesses",
}


def _registry(a: Anchor) -> int:
    """The registry version an anchor names (``anchor.registry``; absent means 1)."""
    value = getattr(a, "registry", None)
    return int(value) if isinstance(value, int) else 1


def _anchor_reader() -> Any:
    """``anchor.reader`` (for ``BatchClaim``), imported only when a chain is asked."""
    return importlib.import_module("anchor.reader")


# ---------------------------------------------------------------------------- helpers


def _anchor_errors() -> Any:
    """``anchor.errors``, imported only when a chain is asked (and not followed by mypy: the
    verifier's contract with the reader is ``ChainLike`` and the AnchorError tree)."""
    return importlib.import_module("anchor.errors")


def _commitment(no: int, ref: BatchRef, a: Anchor) -> Commitment:
    """What the witnesses of batch ``no`` signed (chain id and contract from the anchor, the rest
    from the signed head); raises WitnessError for a version 1 batch or a malformed address."""
    if ref.heads_root is None:
        raise WitnessError("witnesses sign the heads root, which a version 1 batch does not give")
    return Commitment(a.chain_id, contract_address(a.contract), no, ref.first_seq, ref.size,
                      ref.root, ref.heads_root)  # fmt: skip


def _t(t: datetime | None) -> str | None:
    return format_time(t) if t is not None else None


def _as_dt(value: Any) -> Any:
    if isinstance(value, int):
        from datetime import UTC

        return datetime.fromtimestamp(value, UTC)
    return value


def _show(value: Any) -> str:
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, datetime):
        return format_time(value)
    return str(value)


def _inclusion_errors(item: Item, leaf: bytes) -> list[str]:
    b = item.batch
    want_index = item.seq - b.first_seq
    if item.index != want_index:
        return [f"leaf index {item.index}, but seq {item.seq} is at index {want_index} of batch "
                f"{b.batch_no} (first seq {b.first_seq})"]  # fmt: skip
    try:
        verify_inclusion(leaf, item.index, b.size, item.path, b.root)
    except ProofError as exc:
        return [f"inclusion in batch {b.batch_no}: {exc}"]
    return []


def _authorised_detail(g: Grant, rec: Record) -> str:
    roles = ", ".join(sorted(g.roles))
    scope = "every project" if not g.projects else ", ".join(sorted(g.projects))
    until = f" until {_t(g.valid_until)}" if g.valid_until else ""
    return (f"holder {g.holder} with role {roles} for {scope}, valid from {_t(g.valid_from)}"
            f"{until}, may sign {rec.TYPE} records at {_t(rec.time)}")  # fmt: skip


def _names(rec: Record) -> set[bytes]:
    out = set()
    for name in ("target", "replacement", "wage"):
        v = getattr(rec, name, None)
        if isinstance(v, bytes):
            out.add(v)
    return out


def _entry_fact(item: Item, leaf: bytes) -> dict[str, Any]:
    rec = item.entry.record
    return {"seq": item.seq, "type": rec.TYPE, "id": rec.id, "time": _t(rec.time),
            "signer": rec.signer, "leaf_hash": leaf.hex(), "fields": rec.to_json()}  # fmt: skip


def _contiguity(b: Bundle, leaves: Sequence[bytes]) -> tuple[str, Status, str]:
    problems = []
    prev_seq: int | None = None
    for i, item in enumerate(b.run):
        e = item.entry
        if e.record.subject_id != b.subject:
            problems.append(f"{_describe(item)} is about {e.record.subject_id}, not {b.subject}")
            continue
        if prev_seq is not None and e.subject_seq != prev_seq + 1:
            problems.append(f"{item.where}: subject_seq {e.subject_seq} follows {prev_seq}: "
                            f"{(e.subject_seq or 0) - prev_seq - 1} entries missing")  # fmt: skip
        if i > 0 and e.subject_prev != leaves[i - 1]:
            problems.append(f"{item.where}: subject_prev "
                            f"{e.subject_prev.hex() if e.subject_prev else None} is not the leaf "
                            f"hash of the entry before it ({leaves[i - 1].hex()})")  # fmt: skip
        prev_seq = e.subject_seq
    first, last = b.run[0].entry.subject_seq, b.run[-1].entry.subject_seq
    return ("run.contiguous", Status.FAILED if problems else Status.PASSED,
            "; ".join(problems[:10]) if problems else
            f"subject_seq {first}..{last} of {b.subject}, each entry naming the leaf hash of the "
            "one before: nothing inside the run is missing")  # fmt: skip


class _Ref(Protocol):
    @property
    def where(self) -> str: ...
    @property
    def batch(self) -> BatchRef: ...
    @property
    def anchor(self) -> Anchor: ...


@dataclass(frozen=True, slots=True)
class _CheckpointRef:
    where: str
    batch: BatchRef
    anchor: Anchor


def _anchor_problems(items: Sequence[_Ref]) -> list[str]:
    problems: list[str] = []
    first = items[0]
    by_batch: dict[int, _Ref] = {}
    by_tx: dict[str, int] = {}
    by_block: dict[str, tuple[int, datetime]] = {}
    for it in items:
        a = it.anchor
        if (a.chain_id, a.contract) != (first.anchor.chain_id, first.anchor.contract):
            problems.append(f"{it.where} is anchored on chain {a.chain_id} contract {a.contract}, "
                            f"{first.where} on chain {first.anchor.chain_id} contract "
                            f"{first.anchor.contract}")  # fmt: skip
        prev = by_batch.get(it.batch.batch_no)
        if prev is None:
            by_batch[it.batch.batch_no] = it
        elif prev.batch != it.batch or prev.anchor != it.anchor:
            problems.append(f"batch {it.batch.batch_no} is described differently in {prev.where} "
                            f"and {it.where}")  # fmt: skip
        tx_batch = by_tx.setdefault(a.tx_hash, it.batch.batch_no)
        if tx_batch != it.batch.batch_no:
            problems.append(f"transaction {a.tx_hash} is given as the anchor of batches {tx_batch} "
                            f"and {it.batch.batch_no}; each batch has its own")  # fmt: skip
        blk = by_block.setdefault(a.block_hash, (a.block_number, a.block_time))
        if blk != (a.block_number, a.block_time):
            problems.append(f"block {a.block_hash} is given two numbers or times")
        if it.batch.batch_no > it.batch.first_seq:
            problems.append(f"batch {it.batch.batch_no} cannot start at seq {it.batch.first_seq}")
        if a.registry != first.anchor.registry:
            problems.append(f"{it.where} names registry version {a.registry}, {first.where} "
                            f"{first.anchor.registry}")  # fmt: skip
    ordered = [by_batch[k] for k in sorted(by_batch)]
    for x, y in zip(ordered, ordered[1:], strict=False):
        bx, by = x.batch, y.batch
        if bx.first_seq + bx.size > by.first_seq or (
            by.batch_no == bx.batch_no + 1 and bx.first_seq + bx.size != by.first_seq
        ):
            problems.append(f"batches {bx.batch_no} [{bx.first_seq}, {bx.first_seq + bx.size}) and "
                            f"{by.batch_no} [{by.first_seq}, …) are not contiguous in order")  # fmt: skip
        if x.anchor.block_number > y.anchor.block_number:
            problems.append(f"batch {by.batch_no} is anchored in an earlier block than batch "
                            f"{bx.batch_no}")  # fmt: skip
        elif x.anchor.block_time > y.anchor.block_time:
            problems.append(f"batch {by.batch_no} is anchored in block {y.anchor.block_number} at "
                            f"{_t(y.anchor.block_time)}, before block {x.anchor.block_number} of "
                            f"batch {bx.batch_no} at {_t(x.anchor.block_time)}")  # fmt: skip
    return list(dict.fromkeys(problems))
