"""Identity vault: sealing, keyed lookup, disclosure, erasure that keeps proofs valid, rotation."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from ledger import batcher, db
from ledger.core import merkle
from ledger.core.commitment import IDENTITY_TAG, verify_disclosure
from ledger.core.errors import CommitmentError, EncodingError, ValidationError
from ledger.sample import SampleSite
from ledger.store import Store
from ledger.vault import Erased, Keyring, Vault, VaultError

NOW = datetime(2026, 10, 1, tzinfo=UTC)
ALICE = {"name": "张三", "id_type": "01", "id_number": "110101199003074477", "phone": "13800138000"}


@pytest.fixture
def vault(store: Store) -> Vault:
    return Vault(store.engine, Keyring.generate())


def test_enroll_seals_and_discloses(vault: Vault) -> None:
    got = vault.enroll("P1", ALICE, NOW)
    assert got.created and got.subject.startswith("w-")
    identity, salt, commitment = vault.disclose(got.subject)
    assert identity == ALICE and commitment == got.commitment
    verify_disclosure(IDENTITY_TAG, commitment, identity, salt)
    with vault.engine.connect() as conn:
        row = conn.execute(select(db.vault)).one()
    assert b"110101199003074477" not in row.ciphertext and "张三".encode() not in row.ciphertext
    assert row.lookup != __import__("hashlib").sha256(b"01:110101199003074477").digest()


def test_same_person_enrolled_twice_gets_the_same_subject(vault: Vault) -> None:
    a = vault.enroll("P1", ALICE, NOW)
    b = vault.enroll("P2", {**ALICE, "id_number": ALICE["id_number"].lower()}, NOW)
    assert (b.subject, b.commitment, b.created) == (a.subject, a.commitment, False)
    assert vault.lookup("01", "110101199003074477") == a.subject
    assert vault.lookup("01", "110101199003074478") is None


def test_identity_fields_are_checked(vault: Vault) -> None:
    with pytest.raises(EncodingError) as info:
        vault.enroll("P1", {**ALICE, "face": "x"}, NOW)
    assert info.value.field == "identity.face"
    with pytest.raises(EncodingError) as info:
        vault.enroll("P1", {"name": "x", "id_type": "01"}, NOW)
    assert info.value.field == "identity.id_number"
    with pytest.raises(ValidationError) as vinfo:
        vault.enroll("P1", {**ALICE, "id_type": "77"}, NOW)
    assert vinfo.value.field == "identity.id_type"


def test_wrong_salt_or_changed_field_fails_the_commitment(vault: Vault) -> None:
    got = vault.enroll("P1", ALICE, NOW)
    identity, salt, commitment = vault.disclose(got.subject)
    with pytest.raises(CommitmentError):
        verify_disclosure(IDENTITY_TAG, commitment, identity, bytes(32))
    with pytest.raises(CommitmentError):
        verify_disclosure(IDENTITY_TAG, commitment, {**identity, "name": "李四"}, salt)


def test_rows_cannot_be_swapped_or_tampered(vault: Vault) -> None:
    a = vault.enroll("P1", ALICE, NOW)
    b = vault.enroll("P1", {**ALICE, "id_number": "110101199003070011"}, NOW)
    with vault.engine.begin() as conn:
        row_a = conn.execute(select(db.vault).where(db.vault.c.subject == a.subject)).one()
        conn.execute(update(db.vault).where(db.vault.c.subject == b.subject)
                     .values(nonce=row_a.nonce, ciphertext=row_a.ciphertext))  # fmt: skip
    with pytest.raises(VaultError, match="does not decrypt"):
        vault.disclose(b.subject)


def test_erasure_keeps_records_and_proofs_valid(
    store: Store, site: SampleSite, vault: Vault
) -> None:
    got = vault.enroll(site.project, ALICE, NOW)
    r = store.append([site.enroll(got.subject, site.subs[0], "T-REBAR", date(2026, 10, 1),
                                  commitment=got.commitment)])[0]  # fmt: skip
    assert r.status == "accepted"
    batcher.seal(store, force=True)
    vault.erase(got.subject, "retention period over (个人信息保护法 §47)", NOW)
    with pytest.raises(Erased, match="retention period"):
        vault.disclose(got.subject)
    assert vault.lookup("01", ALICE["id_number"]) is None
    with vault.engine.connect() as conn:
        row = conn.execute(select(db.vault)).one()
    assert row.ciphertext is None and row.nonce is None and row.commitment == got.commitment
    p = batcher.inclusion_proof(store, r.seq or 0)
    merkle.verify_inclusion(p.leaf_hash, p.index, p.batch.size, p.path, p.batch.root)
    assert store.entry(r.seq or 0).entry.record.identity_commitment == got.commitment  # type: ignore[union-attr]
    with pytest.raises(Erased):
        vault.erase(got.subject, "again", NOW)
    with pytest.raises(VaultError, match="needs a reason"):
        vault.erase("w-x", " ", NOW)


def test_rotation_reseals_under_the_new_key(vault: Vault) -> None:
    got = vault.enroll("P1", ALICE, NOW)
    rotated = Vault(vault.engine, vault.keyring.rotated())
    assert rotated.reseal() == 1
    assert rotated.disclose(got.subject)[0] == ALICE
    only_new = Keyring({"k2": rotated.keyring.keys["k2"]}, "k2", vault.keyring.lookup_key)
    assert Vault(vault.engine, only_new).disclose(got.subject)[0] == ALICE
    with pytest.raises(VaultError, match="not in the keyring"):
        Vault(
            vault.engine, Keyring({"k1": vault.keyring.keys["k1"]}, "k1", vault.keyring.lookup_key)
        ).disclose(got.subject)


def test_keyring_validation() -> None:
    with pytest.raises(VaultError, match="32"):
        Keyring({"k1": b"short"}, "k1", bytes(32))
    with pytest.raises(VaultError, match="not in the keyring"):
        Keyring({"k1": bytes(32)}, "k9", bytes(32))
    assert "k1" in repr(Keyring.generate()) and "keys" in repr(Keyring.generate())
    assert Keyring.generate().keys["k1"].hex() not in repr(Keyring.generate())
