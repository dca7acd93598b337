"""Witnesses check each sealed batch of a real store with ledger.core alone, sign with BLS, and
refuse forged, reordered, skipped and equivocating batches."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from ledger import batcher
from ledger.core.entry import Entry, SignedRecord
from ledger.core.heads import BatchHead
from ledger.core.keys import SigningKey
from ledger.sample import SampleSite
from ledger.store import Store
from verifier.bls12381 import ORDER
from witness.bank import BankCheck
from witness.bls import WitnessKey, aggregate, verify_aggregate, verify_pop, verify_signature
from witness.core import Witness
from witness.errors import BatchRefused, EquivocationRefused, WitnessError
from witness.message import MESSAGE_SIZE, Commitment, contract_address

CHAIN = 31337
CONTRACT = contract_address("0x5FbDB2315678afecb367f032d93F642f64180aa3")
WORKERS = [f"w-{i:04d}" for i in range(4)]


def _key(n: int) -> WitnessKey:
    return WitnessKey.from_seed(bytes([n]) * 32)


def _batches(
    store: Store, site: SampleSite, *, payments: bool = False
) -> list[tuple[BatchHead, list[Entry]]]:
    recs = [site.enroll(w, site.subs[0], "T-REBAR", date(2026, 10, 1)) for w in WORKERS]
    assert all(r.ok for r in store.append(recs))
    batcher.seal(store, force=True)
    t = datetime(2026, 10, 2, 7, tzinfo=site.tz)
    punches = [site.punch("GATE-01", w, t + timedelta(minutes=i), "in", 10 + i)
               for i, w in enumerate(WORKERS)]  # fmt: skip
    assert all(r.ok for r in store.append(punches))
    if payments:
        pay = site.payment(WORKERS[0], site.subs[0], "2026-10", 100000, date(2026, 11, 10), None,
                           datetime(2026, 11, 10, 9, tzinfo=site.tz))  # fmt: skip
        assert all(r.ok for r in store.append([pay]))
    batcher.seal(store, force=True)
    out = []
    b = 0
    while True:
        try:
            head = BatchHead.from_json(batcher.signed_head(store, b))
        except Exception:
            break
        entries = [s.entry for s in store.entries(after_seq=head.first_seq - 1, limit=head.size)]
        out.append((head, entries))
        b += 1
    assert len(out) >= 2
    return out


def _witness(tmp_path: Path, n: int = 1, **kw: object) -> Witness:
    return Witness(_key(n), tmp_path / f"w{n}", CHAIN, CONTRACT, **kw)  # type: ignore[arg-type]


def test_three_witnesses_check_every_batch_and_their_aggregate_verifies(
    store: Store, site: SampleSite, tmp_path: Path
) -> None:
    batches = _batches(store, site)
    witnesses = [_witness(tmp_path, n) for n in (1, 2, 3)]
    for head, entries in batches:
        sigs = [w.sign_batch(head, entries) for w in witnesses]
        message = sigs[0].message
        assert len(message) == MESSAGE_SIZE == 162
        assert all(s.message == message for s in sigs)
        for s in sigs:
            verify_signature(s.public_key, message, s.signature)
        agg = aggregate([s.signature for s in sigs])
        verify_aggregate([s.public_key for s in sigs], message, agg)
        with pytest.raises(WitnessError, match="does not verify"):
            verify_aggregate([s.public_key for s in sigs[:2]], message, agg)  # k-1 keys
        other = dataclasses.replace(witnesses[0].commitment(head), chain_id=1).message()
        with pytest.raises(WitnessError, match="does not verify"):
            verify_aggregate([s.public_key for s in sigs], other, agg)  # another chain
    for w in witnesses:
        verify_pop(w.key.public_key, w.key.pop())
    with pytest.raises(WitnessError, match="proof of possession"):
        verify_pop(witnesses[0].key.public_key, witnesses[1].key.pop())


def test_a_forged_entry_is_refused_even_with_a_matching_root(
    store: Store, site: SampleSite, tmp_path: Path
) -> None:
    (h0, e0), (h1, e1), *_ = _batches(store, site)
    w = _witness(tmp_path)
    w.sign_batch(h0, e0)
    victim = e1[1]
    rec = dataclasses.replace(victim.record, direction="out")  # type: ignore[type-var]
    forged = dataclasses.replace(victim, signed=SignedRecord(rec, victim.signed.sig))
    entries = [e1[0], forged, *e1[2:]]
    from ledger.core import merkle

    head = dataclasses.replace(h1, root=merkle.root([e.leaf_hash() for e in entries]))
    with pytest.raises(BatchRefused, match="signature") as exc:
        w.sign_batch(head, entries)
    assert exc.value.check == "signature" and exc.value.seq == forged.seq
    with pytest.raises(BatchRefused) as exc:
        w.sign_batch(dataclasses.replace(h1, root=bytes(32)), e1)  # genuine entries, other root
    assert exc.value.check == "entries_root"
    w.sign_batch(h1, e1)  # the refusals left the follower where it was


def test_a_key_the_log_never_registered_is_refused(
    store: Store, site: SampleSite, tmp_path: Path
) -> None:
    (h0, e0), (h1, e1), *_ = _batches(store, site)
    w = _witness(tmp_path)
    w.sign_batch(h0, e0)
    stranger = SigningKey(b"\x07" * 32)
    rec = dataclasses.replace(e1[0].record, signer=stranger.key_id)  # type: ignore[type-var]
    forged = dataclasses.replace(e1[0], signed=SignedRecord.sign(rec, stranger))
    entries = [forged, *e1[1:]]
    from ledger.core import merkle

    head = dataclasses.replace(h1, root=merkle.root([e.leaf_hash() for e in entries]))
    with pytest.raises(BatchRefused, match="not a registered key") as exc:
        w.sign_batch(head, entries)
    assert exc.value.check == "authorisation"


def test_heads_root_seq_range_and_order_are_checked(
    store: Store, site: SampleSite, tmp_path: Path
) -> None:
    (h0, e0), (h1, e1), *_ = _batches(store, site)
    w = _witness(tmp_path)
    with pytest.raises(BatchRefused) as exc:
        w.sign_batch(h1, e1)  # skips batch 0
    assert exc.value.check == "batch_no"
    with pytest.raises(BatchRefused) as exc:
        w.sign_batch(dataclasses.replace(h0, heads_root=bytes(32)), e0)
    assert exc.value.check == "heads_root"
    with pytest.raises(BatchRefused) as exc:
        w.sign_batch(h0, e0[:-1])
    assert exc.value.check == "seq_range"
    with pytest.raises(BatchRefused) as exc:
        w.sign_batch(h0, [e0[1], e0[0], *e0[2:]])
    assert exc.value.check == "seq_range"
    w.sign_batch(h0, e0)
    with pytest.raises(BatchRefused) as exc:
        w.sign_batch(dataclasses.replace(h1, batch_no=1, first_seq=h1.first_seq - 1), e1)
    assert exc.value.check == "seq_range"


def test_a_witness_never_signs_two_messages_for_one_batch_number(
    store: Store, site: SampleSite, tmp_path: Path
) -> None:
    (h0, e0), *_ = _batches(store, site)
    w = _witness(tmp_path)
    first = w.sign_batch(h0, e0)
    w.log.close()
    again = _witness(tmp_path)  # a restart: the follower is new, the sign log is not
    assert again.sign_batch(h0, e0).signature == first.signature  # the same message: idempotent
    again.log.close()
    other = _witness(tmp_path)
    twin = dataclasses.replace(h0, heads_root=b"\x01" * 32)
    with pytest.raises(EquivocationRefused, match="already signed"):
        other.sign_batch(twin, e0)
    other.log.close()
    moved = Witness(_key(1), tmp_path / "w1", CHAIN, b"\x11" * 20)  # another contract
    with pytest.raises(EquivocationRefused):
        moved.sign_batch(h0, e0)


def test_the_bank_refuses_a_payment_it_did_not_execute(
    store: Store, site: SampleSite, tmp_path: Path
) -> None:
    batches = _batches(store, site, payments=True)
    serials = tmp_path / "serials.txt"
    serials.write_text("# executed transfers\n")
    bank = _witness(tmp_path, 5, checks=[BankCheck(serials)])
    payment_batch = None
    for head, entries in batches:
        pays = [e for e in entries if e.record.TYPE == "payment"]
        if pays:
            payment_batch = (head, entries, pays)
            break
        bank.sign_batch(head, entries)
    assert payment_batch is not None
    head, entries, pays = payment_batch
    with pytest.raises(BatchRefused) as exc:
        bank.sign_batch(head, entries)
    assert exc.value.check == "bank_serial" and exc.value.seq == pays[0].seq
    commitment = pays[0].record.bank_serial_commitment  # type: ignore[attr-defined]
    serials.write_text(f"# executed transfers\n{commitment.hex()}\n")
    import os

    os.utime(serials, ns=(1, 1))  # a changed file is reread even within the same mtime tick
    bank.sign_batch(head, entries)


def test_malformed_inputs_are_named(tmp_path: Path) -> None:
    good = dict(chain_id=1, contract=b"\x00" * 20, batch_no=0, first_seq=0, size=1,
                root=b"\x00" * 32, heads_root=b"\x00" * 32)  # fmt: skip
    for field, bad, msg in [("chain_id", 0, "chain_id"), ("contract", b"\x00" * 19, "contract"),
                            ("batch_no", -1, "batch_no"), ("size", 0, "size"),
                            ("root", b"\x00" * 31, "root"), ("first_seq", 2**64, "first_seq")]:  # fmt: skip
        with pytest.raises(WitnessError, match=msg):
            Commitment(**{**good, field: bad})  # type: ignore[arg-type]
    for text in ("5FbDB2315678afecb367f032d93F642f64180aa3", "0x5FbDB23", "0x" + "zz" * 20):
        with pytest.raises(WitnessError, match="contract"):
            contract_address(text)
    with pytest.raises(WitnessError, match="32 bytes"):
        WitnessKey.from_seed(b"short")
    for secret in (0, ORDER, 2**255 - 1):  # 2^255 - 1 passed the old check, then py-ecc refused it
        with pytest.raises(WitnessError, match="secret key: must be from 1 to the BLS12-381 group order - 1"):
            WitnessKey(secret)
    with pytest.raises(WitnessError, match="signature: must be 96 bytes"):
        verify_signature(_key(1).public_key, b"m", b"\x00" * 95)
    bad = tmp_path / "serials.txt"
    bad.write_text("abc\n")
    with pytest.raises(WitnessError, match="line 1"):
        BankCheck(bad).serials()


def test_a_key_file_round_trips_and_is_private(tmp_path: Path) -> None:
    k = WitnessKey.generate()
    path = tmp_path / "witness.key"
    k.save(path)
    assert path.stat().st_mode & 0o077 == 0
    assert WitnessKey.load(path).public_key == k.public_key
    assert path.read_text().strip() not in repr(k)
    with pytest.raises(FileExistsError):
        k.save(path)


def test_keygen_names_an_unknown_bls_backend_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from witness.cli import main

    monkeypatch.setenv("SITELEDGER_BLS", "blst")
    assert main(["keygen", "--key", str(tmp_path / "w.key")]) == 2
    assert "siteledger-witness: SITELEDGER_BLS: unknown BLS backend 'blst'" in capsys.readouterr().err
    assert not (tmp_path / "w.key").exists()
    monkeypatch.setenv("SITELEDGER_BLS", "py-ecc")
    assert main(["keygen", "--key", str(tmp_path / "w.key")]) == 0
    out = json.loads(capsys.readouterr().out)
    verify_pop(bytes.fromhex(out["public_key"]), bytes.fromhex(out["pop"]))
    assert WitnessKey.load(tmp_path / "w.key").public_key.hex() == out["public_key"]
