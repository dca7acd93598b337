"""Sealing batches and inclusion proofs served from the stored tree."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from ledger import batcher
from ledger.core import merkle
from ledger.core.errors import StoreError
from ledger.sample import SampleSite
from ledger.store import Store
from tests.conftest import Clock


def _fill(store: Store, site: SampleSite, n: int) -> None:
    store.append([site.enroll("w-0001", site.subs[0], "T-REBAR", date(2026, 10, 1))])
    punches = [
        site.punch("GATE-01", "w-0001", datetime(2026, 10, 1, 7, 0, tzinfo=site.tz)
                   + timedelta(minutes=i), "in" if i % 2 == 0 else "out", i)
        for i in range(n)
    ]  # fmt: skip
    for k in range(0, n, 500):
        assert all(r.ok for r in store.append(punches[k : k + 500]))


def test_nothing_to_seal_on_a_young_log(store: Store, site: SampleSite) -> None:
    assert batcher.seal(store, max_size=1000) == []  # everything is younger than max_age
    assert batcher.pending_count(store) == store.head()


def test_seal_by_age_then_by_size(store: Store, site: SampleSite, clock: Clock) -> None:
    _fill(store, site, 40)
    clock.advance(seconds=6)
    first = batcher.seal(store, max_size=1000)
    assert [(b.batch_no, b.first_seq, b.size) for b in first] == [(0, 0, store.head())]
    _fill_more = [site.punch("GATE-02", "w-0001", datetime(2026, 10, 2, 7, tzinfo=site.tz)
                             + timedelta(minutes=i), "in", 1000 + i) for i in range(25)]  # fmt: skip
    assert all(r.ok for r in store.append(_fill_more))
    by_size = batcher.seal(store, max_size=10)  # not old enough, but 2 full batches wait
    assert [(b.first_seq, b.size) for b in by_size] == [
        (first[0].end_seq, 10),
        (first[0].end_seq + 10, 10),
    ]
    assert batcher.pending_count(store) == 5
    rest = batcher.seal(store, max_size=10, force=True)
    assert [b.size for b in rest] == [5] and batcher.pending_count(store) == 0


@pytest.mark.parametrize("n", [1, 2, 3, 7, 64, 333])
def test_every_entry_has_a_verifying_proof(store: Store, site: SampleSite, n: int) -> None:
    _fill(store, site, n)
    batcher.seal(store, max_size=100, force=True)
    head = store.head()
    for seq in range(head):
        p = batcher.inclusion_proof(store, seq)
        stored = store.entry(seq)
        assert stored is not None and p.leaf_hash == stored.leaf_hash
        merkle.verify_inclusion(p.leaf_hash, p.index, p.batch.size, p.path, p.batch.root)
        assert p.batch.first_seq + p.index == seq
    # many at once (bundles): the same paths, from the blocks' leaves and the stored nodes
    from ledger.bundle import inclusion_proofs

    many = inclusion_proofs(store, list(range(head)))
    assert [many[s].path for s in range(head)] == [
        batcher.inclusion_proof(store, s).path for s in range(head)
    ]


def test_proof_for_unsealed_and_unknown_entries(store: Store, site: SampleSite) -> None:
    _fill(store, site, 3)
    with pytest.raises(batcher.NotSealed, match="not in a sealed batch"):
        batcher.inclusion_proof(store, 2)
    with pytest.raises(StoreError, match="no entry with seq 999"):
        batcher.inclusion_proof(store, 999)


def test_sealed_batch_roots_match_a_recomputation(store: Store, site: SampleSite) -> None:
    _fill(store, site, 50)
    for b in batcher.seal(store, max_size=16, force=True):
        leaves = [store.entry(s).leaf_hash for s in range(b.first_seq, b.end_seq)]  # type: ignore[union-attr]
        assert merkle.root(leaves) == b.root
        assert (
            batcher.batch(store, b.batch_no) == b or batcher.batch(store, b.batch_no).root == b.root
        )  # type: ignore[union-attr]
    listed = batcher.batches(store, state="sealed")
    assert [b.batch_no for b in listed] == list(range(len(listed)))
    assert batcher.batch_of(store, store.head() + 5) is None
