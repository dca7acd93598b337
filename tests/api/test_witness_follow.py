"""A witness follows a real operator API over HTTP (127.0.0.1, a free port) and signs each
sealed batch; a changed entry on the wire is refused."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from ledger import batcher
from witness.bls import WitnessKey, verify_signature
from witness.client import OperatorClient, follow_once
from witness.core import Witness
from witness.errors import BatchRefused

from .conftest import World


@pytest.fixture
def base_url(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_a_witness_follows_the_operator_over_http(
    world: World, base_url: str, tmp_path: Path
) -> None:
    batcher.seal(world.store, max_size=7, force=True)
    w = Witness(WitnessKey.from_seed(b"\x01" * 32), tmp_path / "w", 31337, b"\x11" * 20)
    client = OperatorClient(base_url, world.tokens["admin"])
    sigs = follow_once(w, client)
    assert len(sigs) >= 2 and [s.batch_no for s in sigs] == list(range(len(sigs)))
    for s in sigs:
        verify_signature(s.public_key, s.message, s.signature)
    assert follow_once(w, client) == []  # nothing new sealed
    world.append([world.punch(n=300)])
    batcher.seal(world.store, force=True)
    (more,) = follow_once(w, client)
    assert more.batch_no == len(sigs)


def test_a_changed_entry_on_the_wire_is_refused(
    world: World, base_url: str, tmp_path: Path
) -> None:
    batcher.seal(world.store, force=True)
    w = Witness(WitnessKey.from_seed(b"\x02" * 32), tmp_path / "w", 31337, b"\x11" * 20)

    class Tampering(OperatorClient):
        def entries(self, first_seq: int, size: int):  # type: ignore[no-untyped-def]
            got = super().entries(first_seq, size)
            import dataclasses

            got[3] = dataclasses.replace(got[3], received_at=got[3].received_at.replace(year=2030))
            return got

    with pytest.raises(BatchRefused) as exc:
        follow_once(w, Tampering(base_url, world.tokens["admin"]))
    assert exc.value.check == "entries_root"
    assert w.log.last is None  # nothing was signed
