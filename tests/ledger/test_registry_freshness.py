"""Each HTTP worker has its own ``Store`` and its own cached registry of keys and projects. A
bundle built by one worker must see the keys another worker registered (or revoked) after its
cache was loaded: ``_Builder.grant`` reads the registry's version once per bundle
(``Store.current_registry``).

Found when HTTP workers began to warm up (``Store.warm``) before their first request: a worker
whose registry was loaded at start answered the proof of a record signed by a gate registered
through the other worker with 409 "key … signed an entry but is not registered".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from ledger import batcher
from ledger.bundle import build_bundle
from ledger.core.keys import SigningKey
from ledger.sample import SampleSite
from ledger.store import Store
from tests.conftest import T0
from tests.verifier.scenario import fake_anchor
from verifier import Verdict, verify_bundle


def test_a_bundle_sees_keys_another_store_registered(
    store: Store, db_url: str, make_store: Callable[[str], Store], root_key: SigningKey
) -> None:
    other = make_store(db_url)  # another worker, started (and warmed up) before the site existed
    other.warm(1)
    assert other._registry.version >= 0
    site = SampleSite(root_key)
    assert all(r.ok for r in store.append(site.setup(T0)))
    at = T0 + timedelta(days=1, hours=1)
    enrolled, punch = store.append([site.enroll("w-0001", site.subs[0], "T-REBAR", T0.date()),
                                    site.punch("GATE-01", "w-0001", at, "in", 1)])  # fmt: skip
    assert enrolled.ok, enrolled
    assert punch.ok and punch.seq is not None, punch
    batcher.seal(store, max_size=64, force=True)
    fake_anchor(store)

    bundle = build_bundle(other, punch.seq)  # 409 "not registered" before
    report = verify_bundle(bundle, offline=True)
    assert report.verdict is Verdict.VALID, report
