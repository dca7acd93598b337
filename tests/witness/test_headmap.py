"""The witness's head map kept between batches: its root is the map's root by definition
(``ledger.core.heads.root``) after every batch of random changes, crowded buckets included; an
update leaves the map it started from as it was; a follower's map equals the log's after many
sealed batches, after a refused batch and after a restart (a new follower replaying the log)."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, datetime, timedelta
from hashlib import sha256

import pytest

from ledger import batcher
from ledger.core import heads
from ledger.core.entry import Entry
from ledger.core.heads import BatchHead, HeadValue
from ledger.sample import SampleSite
from ledger.store import Store
from witness.errors import BatchRefused
from witness.follow import Follower, FollowState
from witness.headmap import HeadMap


def _crowded(per_bucket: int) -> list[str]:
    """Subject keys of two buckets holding ``per_bucket`` keys each (found by search)."""
    groups: dict[bytes, list[str]] = {}
    out: list[str] = []
    n = 0
    while len(out) < 2 * per_bucket:
        k = heads.subject_key(f"w-crowd-{n}")
        n += 1
        group = groups.setdefault(heads.key_hash(k)[:2], [])
        group.append(k)
        if len(group) == per_bucket:
            out += group
    return out


def test_the_kept_map_has_the_defined_root_after_every_batch() -> None:
    rng = random.Random(12)
    keys = _crowded(7) + [heads.subject_key(f"w-{i}") for i in range(300)] + [
        heads.device_key("P-1", f"GATE-{i}") for i in range(5)]  # fmt: skip
    values: dict[str, HeadValue] = {}
    m = HeadMap()
    assert m.root == heads.root({}) == heads.ZERO
    for n in range(60):
        changed = {}
        for k in rng.sample(keys, rng.choice([1, 2, 5, 40, 150])):
            counter = values[k].counter + 1 if k in values else 0
            changed[k] = HeadValue(counter, n * 1000 + counter, sha256(k.encode()).digest())
        before, before_root = m, m.root
        m = m.updated(changed)
        values.update(changed)
        assert m.root == heads.root(values), n
        assert m.size == len(values)
        assert before.root == before_root  # the previous map is untouched
    assert m.updated({}) is m


@pytest.fixture
def batches(store: Store, site: SampleSite) -> list[tuple[BatchHead, list[Entry]]]:
    """A log of 40 workers punching at both gates, sealed in many batches of several sizes."""
    rng = random.Random(4)
    workers = [f"w-{i:04d}" for i in range(40)]
    recs = [site.enroll(w, site.subs[0], "T-REBAR", date(2026, 10, 1)) for w in workers]
    assert all(r.ok for r in store.append(recs))
    batcher.seal(store, max_size=15, force=True)
    t = datetime(2026, 10, 2, 7, tzinfo=site.tz)
    dseq = dict.fromkeys(sorted(site.devices), 0)
    for size in (1, 9, 30, 3, 17, 44, 2):
        punches = []
        for _ in range(size):
            gate = rng.choice(sorted(dseq))
            dseq[gate] += 1
            punches.append(site.punch(gate, rng.choice(workers), t, "in", dseq[gate]))
            t += timedelta(minutes=1)
        assert all(r.ok for r in store.append(punches))
        batcher.seal(store, max_size=rng.choice([4, 11, 50]), force=True)
    out = []
    for b in batcher.batches(store, limit=1000):
        head = BatchHead.from_json(batcher.signed_head(store, b.batch_no))
        entries = [s.entry for s in store.entries(after_seq=head.first_seq - 1, limit=head.size)]
        out.append((head, entries))
    assert len(out) >= 12
    return out


def test_a_followers_map_is_the_logs_after_many_batches_a_refusal_and_a_restart(
    batches: list[tuple[BatchHead, list[Entry]]]
) -> None:
    follower = Follower()
    for n, (head, entries) in enumerate(batches):
        if n == len(batches) // 2:  # a batch claiming another heads root is refused ...
            with pytest.raises(BatchRefused) as exc:
                follower.check(dataclasses.replace(head, heads_root=sha256(b"x").digest()),
                               entries)  # fmt: skip
            assert exc.value.check == "heads_root"
        follower.commit(follower.check(head, entries))  # ... and the true one then passes
        assert follower.state.head_map.root == head.heads_root
        assert follower.state.head_map.size == len(follower.state.head_values)
    restarted = Follower()
    for head, entries in batches:
        restarted.commit(restarted.check(head, entries))
    assert restarted.state.head_map.root == batches[-1][0].heads_root
    # a state handed over with its values alone builds its map from them
    st = follower.state
    handed = FollowState(st.next_batch_no, st.next_seq, st.grants, st.projects, st.head_values)
    assert handed.head_map.root == batches[-1][0].heads_root


def test_a_state_handed_to_two_followers_is_shared_by_neither(
    batches: list[tuple[BatchHead, list[Entry]]]
) -> None:
    """``commit`` updates the head values in place: a follower works on its own copy, so the
    state it was given, and another follower given the same state, stay as they were."""
    first = Follower()
    half = len(batches) // 2
    for head, entries in batches[:half]:
        first.commit(first.check(head, entries))
    given = first.state
    before = dict(given.head_values)
    a, b = Follower(given), Follower(given)
    for head, entries in batches[half:]:
        a.commit(a.check(head, entries))
    assert given.head_values == before and b.state.head_values == before
    assert a.state.head_map.root == batches[-1][0].heads_root
    for head, entries in batches[half:]:  # b still follows from where it was given
        b.commit(b.check(head, entries))
    assert b.state.head_values == a.state.head_values and given.head_values == before
