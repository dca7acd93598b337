"""Generate the version 2 proof-bundle tamper corpus in ``v2/``.

    .venv/bin/python -m tests.vectors.bundles.generate   # rewrite v2/*.json and v2/chain.json
    .venv/bin/python -m tests.vectors.bundles.generate --only NAME,...   # add vectors derived
        # from the committed valid bundles, the rest of the corpus untouched

The version 1 corpus (``*.json`` in this directory) was written by this script before version 2
and is frozen: version 1 bundles stay evidence, so verifiers must keep their verdicts; it is
never regenerated (see ``README.md``).

How the corpus was derived
--------------------------
1. ``tests/verifier/scenario.py`` builds one month of a sample site in a real ``Store`` on
   SQLite: genesis, project, organisations and keys, three workers, gate punches, wage lines,
   payments, a voided duplicate punch with its approval, a worker's acknowledgement and the
   revocation of device GATE-02. Keys and records are deterministic (seeded); the vault's salt
   is random.
2. Three entries a correct store refuses are then logged **on purpose**, with
   ``ledger.store.authorise`` and ``ledger.store.verify_received_in_time`` replaced by no-ops
   for those appends (marked below): a punch signed by GATE-02 after its revocation, a punch on
   P-DEMO-001 signed by a device key registered for another project, and a punch by a gate key
   that had expired more than the sync allowance before it was received. They model an operator that logged what it should have
   refused; the verifier must catch both from the bundle alone.
3. Everything is sealed in batches of 64 and anchored by the real anchoring worker
   (``anchor.worker.Anchorer``) on the embedded chain (eth-tester + py-evm).
4. Valid bundles are built with ``ledger.bundle``; each ``<base>-<mutation>.json`` changes one
   thing in a valid bundle (the function is named in ``derived``).
5. ``chain.json`` holds every answer the embedded chain gave to ``anchor.reader.ChainReader``
   about these batches, so ``tests/verifier/recorded.RecordedChain`` can replay the on-chain
   checks after the chain is gone.

Each file: ``desc``; ``derived``; ``want`` = the verdict with the recorded chain, the first failed
check and the CLI exit code; ``want_offline`` = the same with ``--offline`` (no chain: several
on-chain tampers are invisible offline, which is the point of the on-chain checks); and
``bundle`` (the JSON value) or ``bundle_text`` (raw text, for input that is not JSON).

Regenerating changes transaction hashes, block times and the salt; the wants must not change
(the generator verifies every vector and refuses to write a corpus that disagrees). Never edit
the JSON files by hand.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from hashlib import sha256
from pathlib import Path
from typing import Any

import ledger.store
from anchor.backends import EmbeddedBackend
from anchor.deploy import deploy
from ledger import batcher
from ledger.bundle import build_bundle, build_presence_bundle, build_wage_bundle
from ledger.core.entry import Entry, Receipt
from ledger.core.heads import HeadProof
from ledger.core.keys import SigningKey
from ledger.core.records import KeyRecord, ProjectRecord
from ledger.core.times import format_time, parse_time
from tests.vectors.bundles.witnessed import witness_vectors
from tests.verifier import scenario
from tests.verifier.recorded import RecordedChain, record

HERE = Path(__file__).parent / "v2"
Bundle = dict[str, Any]


def _special_entries(sc: scenario.Scenario) -> None:
    """Log the two entries a correct store refuses (see the module docstring, step 2)."""
    site, tz = sc.site, sc.site.tz
    at = datetime(2026, 11, 18, 10, 0, tzinfo=tz)
    root = site.root
    sc.append("project-other", site.sign(ProjectRecord(
        id="project-other", signer=root.key_id, time=at, project="P-OTHER-002",
        name="另一个项目", tz_offset="+08:00", general_contractor=site.gc.corp_code,
        start_date=site.start,
    ), root))  # fmt: skip
    other = SigningKey(bytes(range(1, 33)))
    sc.append("key-other", site.key_record(other, "GATE-X9", ("device",), root, at,
                                           projects=("P-OTHER-002",)))  # fmt: skip
    site.devices["GATE-X9"] = other
    w = sc.workers[2]
    # A gate key valid until 2026-10-20: a punch it signs dated back inside its validity but
    # received a month later (after valid_until + the 7-day sync allowance).
    expiring = SigningKey(bytes(range(2, 34)))
    sc.append("key-expiring", site.key_record(
        expiring, "GATE-EXP", ("device",), site.admin, datetime(2026, 10, 1, 8, 0, tzinfo=tz),
        valid_until=datetime(2026, 10, 20, tzinfo=tz)))  # fmt: skip
    site.devices["GATE-EXP"] = expiring
    backdated = site.punch("GATE-EXP", w, datetime(2026, 10, 15, 7, 30, tzinfo=tz), "in", 1)
    revoked = site.punch("GATE-02", w, datetime(2026, 11, 19, 7, 30, tzinfo=tz), "in", 9001)
    foreign = site.punch("GATE-X9", w, datetime(2026, 11, 19, 7, 40, tzinfo=tz), "in", 9002)
    # An admin key whose project list is empty (every project) registers a gate key, which
    # punches and is then revoked by that admin: allowed (docs/records.md, rule 6).
    admin_all = SigningKey(bytes(range(3, 35)))
    sc.append("key-admin-all", site.key_record(admin_all, "ADMIN-ALL", ("admin",), root,
                                               datetime(2026, 11, 1, 8, 0, tzinfo=tz),
                                               projects=()))  # fmt: skip
    gate_r = SigningKey(bytes(range(4, 36)))
    sc.append("key-gate-r", site.key_record(gate_r, "GATE-R", ("device",), admin_all,
                                            datetime(2026, 11, 1, 9, 0, tzinfo=tz)))  # fmt: skip
    site.devices["GATE-R"] = gate_r
    sc.append("punch-gate-r", site.punch("GATE-R", w, datetime(2026, 11, 19, 7, 50, tzinfo=tz),
                                         "in", 1))  # fmt: skip
    sc.append("revoke-gate-r", site.sign(KeyRecord(
        id="revoke-gate-r", signer=admin_all.key_id, time=datetime(2026, 11, 19, 9, 0, tzinfo=tz),
        action="revoke", public_key=gate_r.verify_key.public, holder="GATE-R", roles=(),
        projects=(), reason="device replaced",
    ), admin_all))  # fmt: skip
    # An admin key valid until 2026-11-12 signs a project record dated inside its validity that
    # says its sync allowance is 30 days, received eight days after the key expired. Rule 3b
    # gives the project record itself 7 days, not its own 30: the store refuses it.
    admin_exp = SigningKey(bytes(range(5, 37)))
    sc.append("key-admin-exp", site.key_record(
        admin_exp, "ADMIN-EXP", ("admin",), root, datetime(2026, 11, 1, 8, 0, tzinfo=tz),
        projects=(), valid_until=datetime(2026, 11, 12, 0, 0, tzinfo=tz)))  # fmt: skip
    late_project = site.sign(ProjectRecord(
        id="p-003", signer=admin_exp.key_id, time=datetime(2026, 11, 10, 9, 0, tzinfo=tz),
        project="P-LATE-003", name="迟到的项目", tz_offset="+08:00",
        general_contractor=site.gc.corp_code, start_date=site.start, sync_allowance_days=30,
    ), admin_exp)  # fmt: skip
    # ---- ON PURPOSE: a store that does not check authorisation (see the docstring) ----
    saved = ledger.store.authorise, ledger.store.verify_received_in_time
    ledger.store.authorise = lambda grant, rec, seq: None
    ledger.store.verify_received_in_time = lambda grant, rec, received_at, days: None
    try:
        sc.append("punch-revoked-key", revoked)
        sc.append("punch-other-project", foreign)
        sc.append("punch-expired-key", backdated)
        sc.append("project-late", late_project)
    finally:
        ledger.store.authorise, ledger.store.verify_received_in_time = saved
    # ----------------------------------------------------------------------------------


SITE_KEYS: dict[str, SigningKey] = {}  # holder -> key of the scenario, for re-signing mutations


def build(tmp: Path) -> tuple[dict[str, Bundle], dict[str, Any]]:
    sc = scenario.build(tmp, anchor=False)
    _special_entries(sc)
    # The corpus is anchored in registry version 1, as it was first written (its chain.json is
    # replayed by tests/verifier/recorded.py, which answers version 1 queries): the deployed
    # code decides the version the anchorer writes.
    sc.backend = EmbeddedBackend()
    sc.contract = deploy(sc.backend.connect(), registry=1).contract
    scenario.seal_and_anchor(sc, fake=False, max_size=64)
    store = sc.store
    SITE_KEYS["operator-admin"] = sc.site.admin
    SITE_KEYS["operator"] = store.operator_key
    assert sc.contract is not None
    chain = record(sc.reader, sc.contract, batcher.batches(store, limit=1000))
    in_batch1 = next(s for n, s in sorted(sc.seqs.items(), key=lambda x: x[1])
                     if n.startswith("in-0-") and s >= 64)  # fmt: skip
    base = {
        "record-attendance": build_bundle(store, in_batch1),
        "record-wage": build_bundle(store, sc.seqs["wage0"]),
        "record-disclosure": build_bundle(store, sc.seqs["dup"], disclose=True, vault=sc.vault),
        "record-revoked-key": build_bundle(store, sc.seqs["punch-revoked-key"]),
        "record-other-project": build_bundle(store, sc.seqs["punch-other-project"]),
        "record-expired-key": build_bundle(store, sc.seqs["punch-expired-key"]),
        "record-gate-r": build_bundle(store, sc.seqs["punch-gate-r"]),
        "record-project-late": build_bundle(store, sc.seqs["project-late"]),
        "wage": build_wage_bundle(store, sc.workers[0], sc.site.project, "2026-10"),
        "presence": build_presence_bundle(store, sc.workers[1], sc.site.project,
                                          datetime(2026, 10, 14, 10, 0, tzinfo=sc.site.tz)),
    }  # fmt: skip
    # As of an earlier batch: the checkpoint of the worker's wage bundle one batch before the
    # batch of the run's last entry (for the "checkpoint too old" and "proof of another batch"
    # tampers).
    last_batch = base["wage"]["run"][-1]["batch"]["batch_no"]
    base["wage-earlier"] = build_wage_bundle(store, sc.workers[0], sc.site.project, "2026-10",
                                             as_of_batch=last_batch - 1)  # fmt: skip
    # An instant the checkpoint does not cover yet: a day before its block time, so events for it
    # may still arrive for six more days (the sync allowance is seven).
    x = parse_time(base["presence"]["checkpoint"]["anchor"]["block_time"])
    base["presence-recent"] = build_presence_bundle(store, sc.workers[1], sc.site.project,
                                                    x - timedelta(days=1))  # fmt: skip
    return base, chain


# ---------------------------------------------------------------------------- mutations


def _rec(b: Bundle) -> dict[str, Any]:
    return b["record"]["entry"]["record"]  # type: ignore[no-any-return]


def _flip(hexstr: str, nibble: int = 0) -> str:
    c = hexstr[nibble]
    return hexstr[:nibble] + ("0" if c != "0" else "1") + hexstr[nibble + 1 :]


def _key_holder(b: Bundle, holder: str) -> dict[str, Any]:
    return next(k for k in b["keys"] if k["entry"]["record"].get("holder") == holder)


def _set_all_anchors(b: Bundle, field: str, value: Any) -> None:
    for group in ("keys", "related", "context", "run"):
        for it in b.get(group, []):
            it["anchor"][field] = value
    if "record" in b:
        b["record"]["anchor"][field] = value
    if "checkpoint" in b:
        b["checkpoint"]["anchor"][field] = value


def m_direction(b: Bundle) -> None:
    _rec(b)["direction"] = "out" if _rec(b)["direction"] == "in" else "in"


def m_amount(b: Bundle) -> None:
    _rec(b)["gross"] += 10000
    _rec(b)["net"] += 10000  # keeps gross − deductions = net, so only the signature can tell


def m_net_off_by_one(b: Bundle) -> None:
    _rec(b)["net"] += 1


def m_sig(b: Bundle) -> None:
    b["record"]["entry"]["sig"] = _flip(b["record"]["entry"]["sig"], 10)


def m_signer_swapped(b: Bundle) -> None:
    admin = _key_holder(b, "operator-admin")
    from ledger.core.keys import key_id

    _rec(b)["signer"] = key_id(bytes.fromhex(admin["entry"]["record"]["public_key"]))


def m_index(delta: int) -> Callable[[Bundle], None]:
    def f(b: Bundle) -> None:
        b["record"]["inclusion"]["index"] += delta

    f.__name__ = f"m_index_{'plus' if delta > 0 else 'minus'}_{abs(delta)}"
    return f


def m_node_flipped(b: Bundle) -> None:
    path = b["record"]["inclusion"]["path"]
    path[2] = _flip(path[2], 5)


def m_node_dropped(b: Bundle) -> None:
    b["record"]["inclusion"]["path"].pop()


def m_node_added(b: Bundle) -> None:
    b["record"]["inclusion"]["path"].append("ab" * 32)


def m_batch_no_unknown(b: Bundle) -> None:
    b["record"]["batch"]["batch_no"] = 9


def m_batch_no_of_keys(b: Bundle) -> None:
    b["record"]["batch"]["batch_no"] = b["keys"][0]["batch"]["batch_no"]


def m_root(b: Bundle) -> None:
    b["record"]["batch"]["root"] = _flip(b["record"]["batch"]["root"], 7)


def m_forged_batch(b: Bundle) -> None:
    """Pretend the record was alone in its batch: root = its leaf, no path."""
    r = b["record"]
    r["batch"].update(first_seq=r["entry"]["seq"], size=1, root=r["leaf_hash"])
    r["inclusion"] = {"index": 0, "path": []}


def m_chain_id_record(b: Bundle) -> None:
    b["record"]["anchor"]["chain_id"] = 1


def m_chain_id_all(b: Bundle) -> None:
    _set_all_anchors(b, "chain_id", 1)


def m_contract_all(b: Bundle) -> None:
    _set_all_anchors(b, "contract", "0x" + "12" * 20)


def m_tx_of_key_batch(b: Bundle) -> None:
    b["record"]["anchor"]["tx_hash"] = b["keys"][0]["anchor"]["tx_hash"]


def m_block_time_all(b: Bundle) -> None:
    """Backdate the anchoring block of the record's batch by a month, everywhere it appears."""
    no = b["record"]["batch"]["batch_no"]
    for it in [b["record"], *b["keys"], *b["related"], *b["context"]]:
        if it["batch"]["batch_no"] == no:
            t = it["anchor"]["block_time"]
            it["anchor"]["block_time"] = t[:5] + f"{int(t[5:7]) - 1:02d}" + t[7:]


def m_block_time_later(b: Bundle) -> None:
    """Move the block time of the record's batch one day later, wherever it appears."""
    from datetime import timedelta

    from ledger.core.times import format_time, parse_time

    no = b["record"]["batch"]["batch_no"]
    for it in [b["record"], *b["keys"], *b["related"], *b["context"]]:
        if it["batch"]["batch_no"] == no:
            t = parse_time(it["anchor"]["block_time"])
            it["anchor"]["block_time"] = format_time(t + timedelta(days=1))


def m_leaf_hash_stated(b: Bundle) -> None:
    b["record"]["leaf_hash"] = _flip(b["record"]["leaf_hash"], 3)


def m_receipt_seq(b: Bundle) -> None:
    b["receipt"]["seq"] += 1


def m_seq_huge(b: Bundle) -> None:
    b["record"]["entry"]["seq"] = 2**53


def m_receipt_seq_huge(b: Bundle) -> None:
    b["receipt"]["seq"] = 2**53


def m_explorer_ipfs(b: Bundle) -> None:
    b["explorer"] = {"tx_url": "ipfs://explorer/{tx}?again={tx}"}


def m_receipt_sig(b: Bundle) -> None:
    b["receipt"]["sig"] = _flip(b["receipt"]["sig"], 20)


def m_operator_key(b: Bundle) -> None:
    b["operator_key"] = _key_holder(b, "operator-admin")["entry"]["record"]["public_key"]


def m_admin_roles(b: Bundle) -> None:
    _key_holder(b, "operator-admin")["entry"]["record"]["roles"] = ["operator"]


def m_key_dropped(b: Bundle) -> None:
    admin = _key_holder(b, "operator-admin")
    b["keys"] = [k for k in b["keys"] if k is not admin]


def m_salt(b: Bundle) -> None:
    b["disclosure"]["salt"] = _flip(b["disclosure"]["salt"], 0)


def m_other_person(b: Bundle) -> None:
    b["disclosure"]["fields"]["name"] = "张三"


def m_correction_withheld(b: Bundle) -> None:
    """Drop the correction that voids the record, keep its approval."""
    b["related"] = [r for r in b["related"] if r["entry"]["record"]["type"] != "correction"]


def m_run_correction_withheld(b: Bundle) -> None:
    b["run"] = [r for r in b["run"] if r["entry"]["record"]["type"] != "correction"]


def m_run_entry_dropped(b: Bundle) -> None:
    outs = [i for i, r in enumerate(b["run"]) if r["entry"]["record"].get("direction") == "out"]
    del b["run"][outs[3]]


def m_run_head_cut(b: Bundle) -> None:
    b["run"] = b["run"][5:]


def m_run_punch_moved(b: Bundle) -> None:
    """Move one OUT punch three hours later (what a contractor inflating hours would do)."""
    r = next(r for r in b["run"] if r["entry"]["record"].get("direction") == "out")
    t = r["entry"]["record"]["time"]
    r["entry"]["record"]["time"] = t[:11] + f"{int(t[11:13]) + 3:02d}" + t[13:]


def m_presence_exit_hidden(b: Bundle) -> None:
    b["run"] = b["run"][:-1]  # dropping the tail is allowed: the run ends where the bundle says


def _payment_item(b: Bundle) -> dict[str, Any]:
    group = b["related"] if b["kind"] == "record" else b["run"]
    return next(i for i in group if i["entry"]["record"]["type"] == "payment")  # type: ignore[no-any-return]


def m_payment_twice(b: Bundle) -> None:
    """Append a genuine payment item to ``related`` a second time (it would count twice)."""
    b["related"].append(copy.deepcopy(_payment_item(b)))


def m_key_twice(b: Bundle) -> None:
    b["keys"].append(copy.deepcopy(b["keys"][-1]))


def _resign_receipt(b: Bundle, key: SigningKey) -> None:
    entry = Entry.from_json(b["record"]["entry"])
    receipt = Receipt.issue(entry, bytes.fromhex(b["record"]["leaf_hash"]), key)
    b["receipt"] = receipt.to_json()
    b["operator_key"] = key.verify_key.public.hex()


def m_receipt_fresh_key(b: Bundle) -> None:
    """Re-sign the receipt with a key registered nowhere; operator_key and log changed to match."""
    _resign_receipt(b, SigningKey(sha256(b"a fresh receipt key").digest()))


def m_receipt_admin_key(b: Bundle) -> None:
    """Re-sign the receipt with the admin's key (registered, but role admin, not operator)."""
    _resign_receipt(b, SITE_KEYS["operator-admin"])


def m_block_time_before_receipt(b: Bundle) -> None:
    """Every batch's block time set an hour before the earliest receipt time of its entries in
    the bundle (batches stay in order: later batches hold later entries)."""
    from datetime import timedelta

    from ledger.core.times import format_time, parse_time

    items = [*([b["record"]] if "record" in b else b["run"]), *b["keys"], *b["related"],
             *b["context"]]  # fmt: skip
    earliest: dict[int, datetime] = {}
    for it in items:
        t = parse_time(it["entry"]["received_at"])
        no = it["batch"]["batch_no"]
        earliest[no] = min(earliest.get(no, t), t)
    if "checkpoint" in b:
        items.append(b["checkpoint"])
    for it in items:
        no = it["batch"]["batch_no"]
        if no in earliest:
            t = earliest[no] - timedelta(hours=1)
            it["anchor"]["block_time"] = format_time(t.astimezone(UTC))


def _head(b: Bundle, prefix: str) -> dict[str, Any]:
    return next(h for h in b["checkpoint"]["heads"] if h["key"].startswith(prefix))  # type: ignore[no-any-return]


def m_batch_size(b: Bundle) -> None:
    """The record's batch size + 1 (RFC 9162 paths alone do not bind the size)."""
    b["record"]["batch"]["size"] += 1


def m_checkpoint_size(b: Bundle) -> None:
    b["checkpoint"]["batch"]["size"] += 1


def m_tail_cut(b: Bundle) -> None:
    """The run cut before its last three entries (the worker's late entries withheld)."""
    b["run"] = b["run"][:-3]


def m_tail_cut_related(b: Bundle) -> None:
    """The run cut before its last three entries, and the related items naming them dropped,
    so that everything left is genuine and consistent."""
    cut = {r["leaf_hash"] for r in b["run"][-3:]}
    b["run"] = b["run"][:-3]
    names = ("target", "replacement", "wage")
    b["related"] = [r for r in b["related"]
                    if not any(r["entry"]["record"].get(n) in cut for n in names)]  # fmt: skip


def m_presence_tail_cut(b: Bundle) -> None:
    """The presence run cut before its last entry (a late-synced OUT or exit withheld)."""
    b["run"] = b["run"][:-1]


def m_proof_other_key(b: Bundle) -> None:
    """The worker's head proof replaced by a gate's (another key of the same map)."""
    subj, dev = _head(b, "subject/"), _head(b, "device/")
    subj["proof"] = copy.deepcopy(dev["proof"])


def m_false_head_second(b: Bundle) -> None:
    """A copy of a gate's head proof, its counter raised by 5, after the genuine one: a check
    that read the first proof of a key alone passed it; a second one of a key is refused."""
    fake = copy.deepcopy(_head(b, "device/"))
    fake["value"]["counter"] += 5
    b["checkpoint"]["heads"].append(fake)


def m_stray_head(b: Bundle) -> None:
    """A gate's genuine head proof given again under the key of a gate the bundle does not use."""
    stray = copy.deepcopy(_head(b, "device/"))
    stray["key"] = stray["key"].rsplit("/", 1)[0] + "/GATE-99"
    b["checkpoint"]["heads"].append(stray)


def m_pending_unknown_type(b: Bundle) -> None:
    b["pending"] = [{"seq": 99999, "type": "foo", "leaf_hash": "00" * 32}]


def m_issued_at_offset(b: Bundle) -> None:
    """issued_at spelled with +08:00 (the same instant): the builder writes UTC."""
    t = datetime.fromisoformat(b["issued_at"].replace("Z", "+00:00"))
    b["issued_at"] = format_time(t.astimezone(timezone(timedelta(hours=8))))


def m_relabel_v1(b: Bundle) -> None:
    """The bundle relabelled as version 1: unsigned four-member batches, no registry, no
    checkpoint, so the version 1 rules (no head proofs) would apply; its records are version 2."""
    b["version"] = 1
    b.pop("checkpoint", None)
    b.pop("witness_sets", None)
    for it in [*b.get("run", []), *b["keys"], *b["related"], *b["context"]]:
        it["batch"] = {k: it["batch"][k] for k in ("batch_no", "first_seq", "size", "root")}
        for k in ("registry", "witnesses"):
            it["anchor"].pop(k, None)


def m_project_dropped(b: Bundle) -> None:
    """The project record left out of the context: the verifier would take 7 days and UTC."""
    b["context"] = [it for it in b["context"] if it["entry"]["record"]["type"] != "project"]


def _m_other_enrollment(other: Bundle) -> Callable[[Bundle], None]:
    def m_other_enrollment(b: Bundle) -> None:
        """Another worker's genuine enrollment (day rate) added to the context."""
        b["context"].append(copy.deepcopy(other["run"][0]))
    return m_other_enrollment


def m_checkpoint_block_postdated(b: Bundle) -> None:
    """The checkpoint batch's block time moved 60 days later wherever it appears (offline it is
    unchecked; coverage is judged on the signed sealing time, which did not move)."""
    no = b["checkpoint"]["batch"]["batch_no"]
    for it in [*b["run"], *b["keys"], *b["related"], *b["context"], b["checkpoint"]]:
        if it["batch"]["batch_no"] == no:
            t = parse_time(it["anchor"]["block_time"])
            it["anchor"]["block_time"] = format_time((t + timedelta(days=60)).astimezone(UTC))


def m_absent_but_present(b: Bundle) -> None:
    """A non-membership claim (value null) for the worker, whose key is in the map."""
    _head(b, "subject/")["value"] = None


def m_sibling_flipped(b: Bundle) -> None:
    proof = _head(b, "subject/")["proof"]  # form 2: the listed siblings in base64
    raw = bytearray(base64.b64decode(proof["siblings"]))
    raw[4] ^= 0x10  # the first listed sibling's fifth byte
    proof["siblings"] = base64.b64encode(bytes(raw)).decode()


def m_proofs_form_1(b: Bundle) -> None:
    """Every head proof written in form 1 (each sibling in hex), as bundles were before form 2."""
    for h in b["checkpoint"]["heads"]:
        h["proof"] = HeadProof.from_json(h["proof"]).to_json_v1()


def m_form_1_tail_cut(b: Bundle) -> None:
    m_proofs_form_1(b)
    m_presence_tail_cut(b)


def m_proof_form_3(b: Bundle) -> None:
    _head(b, "subject/")["proof"]["v"] = 3


def m_gate_statement_edited(b: Bundle) -> None:
    """The first gate statement's first range shortened by one event (a gap invented)."""
    r = b["checkpoint"]["gates"][0]["statement"]["ranges"][0]
    r["last"] -= 1


def m_gate_window_narrowed(b: Bundle) -> None:
    """The first gate statement re-signed by the operator's own key with its window cut to the
    month's first week: gaps and punches after it would go unchecked."""
    from ledger.bundle import GATES_TAG
    from ledger.core.canonical import canonical_bytes

    g = b["checkpoint"]["gates"][0]
    st = g["statement"]
    from ledger.core.times import format_time

    st["until"] = format_time(parse_time(st["from"]) + timedelta(days=7))
    st["ranges"] = [r for r in st["ranges"] if r["first_time"] <= st["until"]]
    for r in st["ranges"]:
        if r["last_time"] > st["until"]:
            r["last_time"] = r["first_time"]
            r["last"] = r["first"]
    g["sig"] = SITE_KEYS["operator"].sign(GATES_TAG, canonical_bytes(st)).hex()


def m_unknown_version(b: Bundle) -> None:
    b["version"] = 3


def m_unknown_field(b: Bundle) -> None:
    b["note"] = "trust me"


def m_huge_path(b: Bundle) -> None:
    b["record"]["inclusion"]["path"] = ["cd" * 32] * 65


def m_huge_keys(b: Bundle) -> None:
    b["keys"] = [b["keys"][0]] * 33


def m_uppercase_hex(b: Bundle) -> None:
    b["record"]["leaf_hash"] = b["record"]["leaf_hash"].upper()


def _swap_checkpoint(base: dict[str, Bundle], name: str, desc: str,
                     w: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    b = copy.deepcopy(base["wage"])
    b["checkpoint"] = copy.deepcopy(base["wage-earlier"]["checkpoint"])
    return {"desc": desc, "derived": "valid-wage.json with the checkpoint of the same bundle "
            "built as of an earlier batch", "want": w, "want_offline": w, "bundle": b}  # fmt: skip


def _swap_subject_proof(base: dict[str, Bundle], desc: str, w: dict[str, Any]) -> dict[str, Any]:
    b = copy.deepcopy(base["wage"])
    _head(b, "subject/")["proof"] = copy.deepcopy(_head(base["wage-earlier"], "subject/")["proof"])
    return {"desc": desc, "derived": "valid-wage.json with the worker's proof of the same bundle "
            "built as of an earlier batch", "want": w, "want_offline": w, "bundle": b}  # fmt: skip


def want(verdict: str, check: str | None, code: int) -> dict[str, Any]:
    return {"verdict": verdict, "check": check, "exit": code}


VALID = want("VALID", None, 0)
FMT = want("INVALID", "format", 1)


def vectors(base: dict[str, Bundle], only: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """name -> vector (without the bundle written yet); with ``only``, those derived through a
    mutation alone (from the committed bundles: ``--only``)."""
    out: dict[str, dict[str, Any]] = {}

    def add(name: str, src: str, fn: Callable[[Bundle], None] | None, desc: str,
            online: dict[str, Any], offline: dict[str, Any] | None = None) -> None:  # fmt: skip
        if only is not None and name not in only:
            return
        b = copy.deepcopy(base[src])
        if fn is not None:
            fn(b)
        out[name] = {
            "desc": desc,
            "derived": f"valid-{src}.json" + (f" through {fn.__name__}()" if fn else ""),
            "want": online,
            "want_offline": offline or online,
            "bundle": b,
        }

    for src, desc in [
        ("record-attendance", "a gate punch, with the device's key chain up to the root key"),
        ("record-wage", "a wage line with its payment, approval and the worker's confirmation"),
        ("record-disclosure", "a duplicate punch voided by an approved correction, with the "
                              "worker's identity disclosed"),
        ("wage", "one worker's October: the run of entries, recomputed days, hours and pay"),
        ("presence", "was worker w-0002 on site at 2026-10-14 10:00 +08:00?"),
    ]:  # fmt: skip
        out[f"valid-{src}"] = {"desc": desc, "derived": "ledger.bundle from the scenario",
                               "want": VALID, "want_offline": VALID, "bundle": base[src]}  # fmt: skip
    A, W, D = "record-attendance", "record-wage", "record-disclosure"  # noqa: N806
    sig, inc, anc = want("INVALID", "record.signature", 1), want("INVALID", "record.inclusion", 1), \
        want("INVALID", "anchor.batches", 1)  # fmt: skip
    add("record-field-changed", A, m_direction, "the punch's direction changed from in to out", sig)
    add("amount-changed", W, m_amount, "gross and net raised by 100 yuan, consistently", sig)
    add("wage-net-off-by-one", W, m_net_off_by_one, "net no longer gross minus deductions", FMT)
    add("signature-byte-flipped", A, m_sig, "one hex digit of the record signature changed", sig)
    add("signer-swapped", A, m_signer_swapped, "the record names the admin key as its signer", sig)
    add("key-revoked-before-record", "record-revoked-key", None,
        "a punch by GATE-02 logged after GATE-02's key was revoked (a store that did not check)",
        want("INVALID", "signer.not_revoked", 1))  # fmt: skip
    add("key-of-another-project", "record-other-project", None,
        "a punch on P-DEMO-001 signed by a device key registered for P-OTHER-002 only",
        want("INVALID", "signer.authorised", 1))  # fmt: skip
    add("expired-key-backdating", "record-expired-key", None,
        "a punch by a gate key that expired on 2026-10-20, dated back inside its validity but "
        "received a month later, after valid_until + the 7-day sync allowance (a store that did "
        "not check)", want("INVALID", "signer.authorised", 1))  # fmt: skip
    add("valid-revoked-by-admin-of-every-project", "record-gate-r", None,
        "a punch by a gate key that an admin key with an empty project list (every project) "
        "registered and later revoked: the revocation is allowed (docs/records.md, rule 6)",
        VALID)  # fmt: skip
    add("project-record-received-late", "record-project-late", None,
        "a project record saying its sync allowance is 30 days, signed by an admin key and "
        "received 8 days after the key expired: the project record itself has 7 days (rule 3b; "
        "a store that did not check)", want("INVALID", "signer.authorised", 1))  # fmt: skip
    add("seq-beyond-2-53", A, m_seq_huge, "the record's entry seq 2⁵³ (integers end at 2⁵³ − 1)",
        FMT)
    add("receipt-seq-beyond-2-53", A, m_receipt_seq_huge, "the receipt's seq 2⁵³", FMT)
    add("explorer-not-http", A, m_explorer_ipfs,
        "an explorer link template that is not http(s), with {tx} twice: allowed (for people; "
        "no check uses it)", VALID)  # fmt: skip
    add("leaf-index-plus-1", A, m_index(1), "inclusion index + 1", inc)
    add("leaf-index-minus-1", A, m_index(-1), "inclusion index − 1", inc)
    add("proof-node-flipped", A, m_node_flipped, "one digit of the third audit path node", inc)
    add("proof-node-dropped", A, m_node_dropped, "the last audit path node removed", inc)
    add("proof-node-added", A, m_node_added, "an extra node appended to the audit path", inc)
    heads = want("INVALID", "batch.heads", 1)
    add("batch-number-changed", A, m_batch_no_unknown,
        "the record's batch number changed to 9, a batch that is not anchored (version 1: "
        "caught only on chain; version 2: the signed head no longer verifies)", heads)  # fmt: skip
    add("batch-number-of-key-batch", A, m_batch_no_of_keys,
        "the record's batch number changed to that of its key entries' batch", heads)  # fmt: skip
    add("root-changed", A, m_root, "one digit of the batch root changed", heads)
    add("forged-batch", A, m_forged_batch,
        "the record presented as the only leaf of its batch (root = its leaf hash); the signed "
        "head no longer verifies", heads)  # fmt: skip
    add("chain-id-changed", A, m_chain_id_record, "the record's anchor names chain 1", anc)
    add("chain-id-changed-everywhere", A, m_chain_id_all,
        "every anchor in the bundle names chain 1", want("INVALID", "chain.network", 1), VALID)
    add("contract-changed-everywhere", A, m_contract_all,
        "every anchor names another contract", want("INVALID", "chain.contract", 1), VALID)
    add("tx-of-another-batch", A, m_tx_of_key_batch,
        "the record's anchor gives the transaction that anchored the key entries' batch", anc)
    add("block-time-backdated", A, m_block_time_all,
        "the block time of the record's batch moved a month earlier wherever it appears, before "
        "the block of the key entries' batch", anc)  # fmt: skip
    add("block-time-postdated", A, m_block_time_later,
        "the block time of the record's batch moved a day later wherever it appears",
        want("INVALID", "chain.block", 1), VALID)  # fmt: skip
    add("leaf-hash-stated-wrong", A, m_leaf_hash_stated, "the stated leaf hash changed",
        want("INVALID", "record.leaf_hash", 1))
    add("receipt-seq-changed", A, m_receipt_seq, "the receipt's seq + 1",
        want("INVALID", "receipt", 1))
    add("receipt-signature-flipped", A, m_receipt_sig, "one digit of the receipt signature",
        want("INVALID", "receipt", 1))
    add("operator-key-replaced", A, m_operator_key, "operator_key replaced by the admin's key",
        want("INVALID", "receipt", 1))
    add("admin-key-roles-changed", A, m_admin_roles,
        "the admin's key registration now claims the operator role",
        want("INVALID", "keys", 1))  # fmt: skip
    add("key-registration-withheld", A, m_key_dropped,
        "the admin key's registration removed from the key chain",
        want("INVALID", "keys", 1))  # fmt: skip
    add("disclosure-wrong-salt", D, m_salt, "one digit of the disclosure salt changed",
        want("INVALID", "disclosure", 1))
    add("disclosure-other-person", D, m_other_person, "the disclosed name changed",
        want("INVALID", "disclosure", 1))
    add("correction-withheld", D, m_correction_withheld,
        "the correction voiding the record removed, its approval kept",
        want("INVALID", "related", 1))  # fmt: skip
    add("run-correction-withheld", "wage", m_run_correction_withheld,
        "the correction (in the worker's chain) removed from the wage run",
        want("INVALID", "run.contiguous", 1))  # fmt: skip
    add("run-entry-dropped", "wage", m_run_entry_dropped,
        "an OUT punch removed from the middle of the wage run",
        want("INVALID", "run.contiguous", 1))  # fmt: skip
    add("run-start-cut", "wage", m_run_head_cut,
        "the first five entries of the run (enrollment included) removed",
        want("INVALID", "run.start", 1))  # fmt: skip
    add("run-punch-moved", "wage", m_run_punch_moved, "an OUT punch moved three hours later",
        want("INVALID", "run.entries", 1))
    uniq = want("INVALID", "items.unique", 1)
    add("related-payment-twice", W, m_payment_twice,
        "the wage line's genuine payment item appended to related a second time (paid would "
        "read double)", uniq)  # fmt: skip
    add("wage-payment-twice", "wage", m_payment_twice,
        "a genuine payment of the run appended to related as well (paid would read double)", uniq)
    add("key-item-twice", A, m_key_twice, "a key item repeated in keys", uniq)
    add("receipt-fresh-key", A, m_receipt_fresh_key,
        "the receipt re-signed by a fresh key, with operator_key and log changed to match",
        want("INVALID", "receipt.key", 1))  # fmt: skip
    add("receipt-admin-key", A, m_receipt_admin_key,
        "the receipt re-signed by the admin's registered key, which has no operator role",
        want("INVALID", "receipt.key", 1))  # fmt: skip
    add("block-time-before-receipt", A, m_block_time_before_receipt,
        "every batch's block time set an hour before its entries' receipt times",
        want("INVALID", "anchor.block_time", 1))  # fmt: skip
    add("wage-block-time-before-receipt", "wage", m_block_time_before_receipt,
        "every batch's block time in a wage bundle set an hour before its entries' receipt times",
        want("INVALID", "anchor.block_time", 1))  # fmt: skip
    add("batch-size-changed", A, m_batch_size,
        "the record's batch size + 1 (an audit path alone does not bind the size)",
        want("INVALID", "batch.heads", 1))  # fmt: skip
    add("checkpoint-size-changed", "wage", m_checkpoint_size,
        "the checkpoint batch's size + 1", want("INVALID", "batch.heads", 1))
    tail = want("INVALID", "checkpoint.subject", 1)
    add("run-tail-cut", "wage", m_tail_cut,
        "the run cut before its last three entries (the related items kept)", tail)
    add("run-tail-cut-related-dropped", "wage", m_tail_cut_related,
        "the run cut before its last three entries and the related items naming them dropped: "
        "everything left is genuine", tail)  # fmt: skip
    add("presence-tail-cut", "presence", m_presence_tail_cut,
        "the presence run cut before its last entry (a late OUT or exit withheld)", tail)
    add("head-proof-other-key", "wage", m_proof_other_key,
        "the worker's head proof replaced by a gate's proof from the same map", tail)
    add("absent-but-present", "wage", m_absent_but_present,
        "a non-membership claim for the worker, whose key is in the map", tail)
    add("map-sibling-flipped", "wage", m_sibling_flipped,
        "one bit of a sibling in the worker's head proof", tail)
    devices = want("INVALID", "checkpoint.devices", 1)
    add("head-proof-false-second", "wage", m_false_head_second,
        "a copy of the gate's head proof with its counter raised by 5, after the genuine one",
        devices)  # fmt: skip
    add("head-proof-stray-key", "wage", m_stray_head,
        "the gate's genuine head proof given again under the key of a gate the bundle does not "
        "use", devices)  # fmt: skip
    add("pending-unknown-type", A, m_pending_unknown_type,
        "a pending entry whose type is no record type", FMT)
    add("issued-at-offset", A, m_issued_at_offset,
        "issued_at written with +08:00, the same instant (the builder writes UTC)", FMT)
    add("relabelled-version-1", "wage", m_relabel_v1,
        "the wage bundle relabelled as version 1 (four-member batches, no registry, no "
        "checkpoint): version 2 records in a version 1 bundle", FMT)  # fmt: skip
    ctx = want("INVALID", "context", 1)
    add("presence-project-dropped", "presence", m_project_dropped,
        "the project record (time zone, sync allowance) left out of the context", ctx)
    add("record-project-dropped", A, m_project_dropped,
        "the project record (sync allowance) left out of the record bundle's context", ctx)
    add("context-other-enrollment", "wage", _m_other_enrollment(base["presence"]),
        "another worker's genuine enrollment (another day rate) added to the context", ctx)
    add("not-yet-covered-block-postdated", "presence-recent", m_checkpoint_block_postdated,
        "the checkpoint batch's block time moved 60 days later: coverage follows the signed "
        "sealing time, so still not final offline", want("INVALID", "chain.block", 1),
        want("INCONCLUSIVE", None, 3))  # fmt: skip
    add("valid-wage-proof-form-1", "wage", m_proofs_form_1,
        "the genuine wage bundle with its head proofs in form 1 (every sibling in hex), as "
        "bundles were written before form 2: still read", VALID)  # fmt: skip
    add("presence-proof-form-1-tail-cut", "presence", m_form_1_tail_cut,
        "head proofs in form 1 and the run cut before its last entry", tail)
    add("head-proof-form-3", "wage", m_proof_form_3, "the worker's head proof says v 3", FMT)
    add("gate-statement-edited", "wage", m_gate_statement_edited,
        "a gate statement's first range shortened by one event (its signature no longer holds)",
        want("INVALID", "checkpoint.gates", 1))  # fmt: skip
    add("gate-window-narrowed", "wage", m_gate_window_narrowed,
        "a gate statement re-signed by the operator with its window cut to the month's first "
        "week", want("INVALID", "checkpoint.gates", 1))  # fmt: skip
    if only is None:  # built from bundles the committed corpus does not keep
        out["checkpoint-older-than-run"] = _swap_checkpoint(
            base, "checkpoint-older-than-run", "the checkpoint replaced by the one of an earlier "
            "batch, older than the run's last entry", want("INVALID", "checkpoint.batch", 1))
        out["head-proof-other-batch"] = _swap_subject_proof(
            base, "the worker's head proof replaced by the proof of the same key in an earlier "
            "batch", tail)  # fmt: skip
    inconclusive = want("INCONCLUSIVE", None, 3)
    out["valid-presence-not-yet-covered"] = {
        "desc": "a genuine presence bundle for an instant one day before the checkpoint's block "
                "time: events for it may still arrive for six days (sync allowance 7 days)",
        "derived": "ledger.bundle from the scenario", "want": inconclusive,
        "want_offline": inconclusive, "bundle": base["presence-recent"],
    }  # fmt: skip
    add("unknown-version", A, m_unknown_version, "version 3", FMT)
    add("unknown-field", A, m_unknown_field, "an extra top-level field", FMT)
    add("uppercase-hex", A, m_uppercase_hex, "the leaf hash in uppercase hex", FMT)
    add("huge-path", A, m_huge_path, "an audit path of 65 nodes (limit 64)", FMT)
    add("huge-keys", A, m_huge_keys, "33 key entries (limit 32)", FMT)
    text = json.dumps(base[A])
    unreadable = want("INVALID", "format", 2)
    for name, desc, t in [
        ("truncated-json", "the bundle cut in half", text[: len(text) // 2]),
        ("duplicate-key", "a JSON object with the key 'version' twice",
         text.replace('"version": 2', '"version": 2, "version": 2', 1)),
        ("float-number", "a number with a fraction", text.replace('"version": 2', '"version": 2.0')),
        ("empty", "an empty file", ""),
        ("nested-40", "the record's audit path holds an array nested 36 levels deep (40 levels "
         "in all; the limit is 16: found after parsing)",
         text.replace('"path": [', '"path": [' + "[" * 36 + "]" * 36 + ", ", 1)),
        ("nested-20000", "the record's audit path holds an array nested 20,000 levels deep "
         "(found before parsing)",
         text.replace('"path": [', '"path": [' + "[" * 20000 + "]" * 20000 + ", ", 1)),
    ]:  # fmt: skip
        out[name] = {"desc": desc, "derived": f"valid-{A}.json as text", "want": unreadable,
                     "want_offline": unreadable, "bundle_text": t}  # fmt: skip
    if only is not None:
        return {k: v for k, v in out.items() if k in only}
    out.update(witness_vectors(base))  # tests/vectors/bundles/witnessed.py
    return out


def check(vs: dict[str, dict[str, Any]], chain: dict[str, Any]) -> list[str]:
    """Every vector's wants against the library; returns the disagreements."""
    from verifier import Verifier

    problems = []
    online = Verifier(RecordedChain(chain))
    offline = Verifier(None, offline=True)
    for name, v in vs.items():
        for key, verifier in (("want", online), ("want_offline", offline)):
            if "bundle" in v:
                r = verifier.verify(copy.deepcopy(v["bundle"]), name)
            else:
                r = verifier.verify_bytes(v["bundle_text"], name)
            first = r.failed[0].name if r.failed else None
            got = {"verdict": r.verdict.value, "check": first}
            w = {k: v[key][k] for k in ("verdict", "check")}
            if got != w:
                problems.append(f"{name} {key}: got {got}, want {w}: "
                                f"{r.failed[0].detail if r.failed else ''}")  # fmt: skip
    return problems


def committed() -> tuple[dict[str, Bundle], dict[str, Any]]:
    """The valid bundles and the recorded chain of the committed corpus (for ``--only``)."""
    base = {}
    for f in HERE.glob("*.json"):
        v = json.loads(f.read_text())
        if "bundle" not in v:
            continue
        if v["derived"] == "ledger.bundle from the scenario" and f.stem.startswith("valid-"):
            base[f.stem.removeprefix("valid-")] = v["bundle"]
        elif (m := re.fullmatch(r"valid-(.+)\.json", v["derived"])) is not None:
            base[m.group(1)] = v["bundle"]  # a base that is itself a vector as built
    base["presence-recent"] = base.pop("presence-not-yet-covered")
    return base, json.loads((HERE / "chain.json").read_text())


def main() -> int:
    only = sys.argv[2].split(",") if sys.argv[1:2] == ["--only"] else None
    if only is not None:
        # new vectors derived from the committed valid bundles: the rest of the corpus stays
        base, chain = committed()
        vs = vectors(base, only)
        if sorted(vs) != sorted(only):
            print(f"no such vectors: {sorted(set(only) - set(vs))}", file=sys.stderr)
            return 2
        problems = check(vs, chain)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
        for name, v in vs.items():
            (HERE / f"{name}.json").write_text(json.dumps(v, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {len(vs)} vectors to {HERE}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        base, chain = build(Path(tmp))
    vs = vectors(base)
    problems = check(vs, chain)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    for old in HERE.glob("*.json"):
        old.unlink()
    (HERE / "chain.json").write_text(json.dumps(chain, indent=1, sort_keys=True) + "\n")
    for name, v in vs.items():
        (HERE / f"{name}.json").write_text(json.dumps(v, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(vs)} vectors and chain.json to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
