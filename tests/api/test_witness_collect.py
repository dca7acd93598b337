"""The operator collects cosignatures from five witness services (real HTTP on 127.0.0.1):
all up, one down, k-1 down, one late, one refusing a forged entry."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from ledger import batcher
from ledger.core.entry import Entry
from witness.bls import WitnessKey
from witness.client import OperatorClient
from witness.collect import collect
from witness.core import Witness
from witness.message import Commitment
from witness.quorum import members_of
from witness.service import Service

from .conftest import World

NAMES = ["supervision", "labour bureau", "bank", "contractor", "auditor"]
CONTRACT = b"\x11" * 20


class Forging(OperatorClient):
    def entries(self, first_seq: int, size: int) -> list[Entry]:
        got = super().entries(first_seq, size)
        got[0] = dataclasses.replace(got[0], received_at=got[0].received_at.replace(year=2031))
        return got


@pytest.fixture
def operator(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    t.join(timeout=10)


@pytest.fixture
def witnesses(
    world: World, operator: str, tmp_path: Path
) -> Iterator[tuple[list[Service], list[str]]]:
    keys = [WitnessKey.from_seed(bytes([i + 1]) * 32) for i in range(5)]
    services, urls, servers = [], [], []
    for i, key in enumerate(keys):
        client_cls = Forging if i == 4 else OperatorClient
        w = Witness(key, tmp_path / f"w{i}", 31337, CONTRACT)
        s = Service(w, client_cls(operator, world.tokens["admin"]), tmp_path / f"w{i}")
        srv = s.http_server("127.0.0.1", 0)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        services.append(s)
        servers.append(srv)
        urls.append(f"http://127.0.0.1:{srv.server_port}")
    yield services, urls
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def test_quorum_faults(world: World, witnesses: tuple[list[Service], list[str]]) -> None:
    services, urls = witnesses
    wset = members_of(NAMES, [s.witness.key for s in services], 3)
    (b,) = batcher.seal(world.store, force=True)
    c = Commitment(31337, CONTRACT, b.batch_no, b.first_seq, b.size, b.root, b.heads_root)
    for s in services[:3]:
        assert s.step() == 1
    assert services[4].step() == 0 and services[4].refusal is not None  # the forged entry
    assert services[4].refusal["check"] == "entries_root"
    got = collect(wset, urls, c)  # witness 3 is late (not stepped yet), 4 refuses
    assert got.quorum is not None and got.quorum.bitmap == 0b00111
    assert got.quorum.signers == ("supervision", "labour bureau", "bank")
    assert set(got.missing) == {"contractor", "auditor"}
    assert "not signed" in got.missing["contractor"]
    assert got.missing["auditor"].startswith("refuses the batch: entries_root")
    wset.verify_quorum(c, got.quorum.bitmap, got.quorum.signature)
    assert services[3].step() == 1  # the late one answers
    assert collect(wset, urls, c).quorum.bitmap == 0b01111  # type: ignore[union-attr]
    down = [urls[0], "http://127.0.0.1:9", *urls[2:]]  # witness 1 down: still 3 of 5
    one_down = collect(wset, down, c, timeout=2)
    assert one_down.quorum is not None and one_down.quorum.bitmap == 0b01101
    assert "unreachable" in one_down.missing["labour bureau"]
    k_minus_1 = [urls[0], "http://127.0.0.1:9", "http://127.0.0.1:9", "http://127.0.0.1:9", urls[4]]
    none = collect(wset, k_minus_1, c, timeout=2)
    assert none.quorum is None and len(none.missing) == 4
