"""Fixtures: the scenario of ``tests/verifier/scenario.py``, with fake anchors (fast, offline
checks only) and anchored on the embedded chain (for the on-chain checks). Built once per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.verifier import scenario


@pytest.fixture(scope="module")
def fake_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[scenario.Scenario]:
    sc = scenario.build(tmp_path_factory.mktemp("fake"), fake=True)
    yield sc
    sc.store.engine.dispose()


@pytest.fixture(scope="module")
def chain_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[scenario.Scenario]:
    sc = scenario.build(tmp_path_factory.mktemp("chain"), fake=False)
    yield sc
    sc.store.engine.dispose()


@pytest.fixture(scope="session")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``siteledger demo`` run once (12 workers): its bundles and reports (for the report tests)."""
    from tests.verifier.reportdata import demo_bundles

    out = tmp_path_factory.mktemp("demo")
    demo_bundles(out)
    return out
