"""Fixtures for the chain tests: a store with a project, chains (embedded and anvil), configs.

Every anvil a test starts is stopped by its PID in a finalizer, whatever the test did to it.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from anchor.backends import ANVIL_BINARY, AnvilBackend, EmbeddedBackend
from ledger.config import ChainConfig, Config
from ledger.core.keys import SigningKey
from ledger.db import make_engine
from ledger.sample import SampleSite
from ledger.store import Store
from tests.conftest import T0, Clock


@pytest.fixture(autouse=True)
def deploy_version_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """The chain tests deploy registry version 2 (``artifacts.DEPLOY`` until bundles carry
    what it anchors is 1; tests that want version 1 ask for it)."""
    from anchor import artifacts

    monkeypatch.setattr(artifacts, "DEPLOY", 2)


def heads_of(b: Any) -> bytes:
    """The heads root a batch is anchored with (see ``anchor.worker._anchor_args``)."""
    from anchor.worker import _heads_root

    return _heads_root(b)


def assert_on_chain(reader: Any, contract: str, b: Any) -> Any:
    """``b`` (a local batch with its anchor recorded) is what the contract anchored: its event
    carries the batch's fields and ``checkBatch`` accepts the claim. Returns the event."""
    from anchor.reader import BatchClaim

    ev = reader.anchor_event(contract, b.tx_hash or "", b.batch_no)
    assert (ev.root, ev.heads_root, ev.first_seq, ev.size) == (b.root, heads_of(b), b.first_seq,
                                                               b.size)  # fmt: skip
    assert (ev.block_number, ev.block_hash, ev.block_time) == (b.block_number, b.block_hash,
                                                               b.block_time)  # fmt: skip
    claim = BatchClaim(b.batch_no, b.first_seq, b.size, b.root, heads_of(b), b.block_number,
                       b.block_time)  # fmt: skip
    assert reader.check_batch(contract, claim) is True
    assert reader.commitment(contract, b.batch_no) == claim.commitment()
    return ev


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Ledger:
    """A store on SQLite with an open project, and a way to add records to it."""

    def __init__(self, store: Store, site: SampleSite, url: str) -> None:
        self.store = store
        self.site = site
        self.url = url
        self._n = 0

    def add(self, n: int) -> None:
        """Append ``n`` enrollment records (one new worker each)."""
        org = self.site.subs[0]
        recs = []
        for _ in range(n):
            self._n += 1
            recs.append(self.site.enroll(f"w-{self._n:06d}", org, "T-REBAR", date(2026, 10, 1)))
        for i in range(0, len(recs), 1000):
            results = self.store.append(recs[i : i + 1000])
            assert all(r.status == "accepted" for r in results), [r for r in results if not r.ok][:2]

    def config(self, home: Path, **chain: Any) -> Config:
        return Config(home=home, database_url=self.url, chain=ChainConfig(**chain))


@pytest.fixture
def ledger(tmp_path: Path, root_key: SigningKey, clock: Clock) -> Iterator[Ledger]:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    engine = make_engine(url)
    store = Store(engine, root_key, clock=clock)
    store.create_schema()
    assert store.genesis(root_key, valid_from=T0 - timedelta(days=30)).status == "accepted"
    site = SampleSite(root_key)
    assert all(r.status == "accepted" for r in store.append(site.setup(T0)))
    yield Ledger(store, site, url)
    engine.dispose()


@pytest.fixture
def embedded() -> EmbeddedBackend:
    return EmbeddedBackend()


needs_anvil = pytest.mark.skipif(
    not ANVIL_BINARY.exists(), reason="anvil is not installed: run scripts/setup.sh"
)


class TrackedAnvil(AnvilBackend):
    """An AnvilBackend that remembers every PID it started, for the finalizer."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self) -> int:
        pid = super().start()
        if self._proc is not None and self._proc.pid == pid and self._proc not in self.procs:
            self.procs.append(self._proc)
        return pid

    def rpc(self, method: str, *params: Any) -> Any:
        """A raw JSON-RPC call (evm_snapshot, anvil_setBalance, …); raises on an error."""
        resp = self.connect().w3.provider.make_request(method, list(params))  # type: ignore[arg-type]
        assert "error" not in resp, resp
        return resp["result"]


@pytest.fixture
def make_anvil(tmp_path: Path) -> Iterator[Callable[..., TrackedAnvil]]:
    """``make_anvil(home=…, port=…, **kw)`` builds an anvil backend (not started). Every anvil
    process any of them started is stopped by its PID at the end."""
    made: list[TrackedAnvil] = []

    def make(home: Path | None = None, port: int | None = None, **kw: Any) -> TrackedAnvil:
        b = TrackedAnvil(home or tmp_path / "home", port=port or free_port(), **kw)
        made.append(b)
        return b

    yield make
    for b in made:
        b.stop(timeout=5.0)
        for proc in b.procs:  # Popen knows whether its PID was reaped: never a reused PID
            if proc.poll() is None:
                proc.kill()
                proc.wait(5.0)
