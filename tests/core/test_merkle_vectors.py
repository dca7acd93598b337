"""The public RFC 6962/9162 vectors of transparency-dev/merkle (see tests/vectors/rfc6962/SOURCE.md).

Every happy path must verify and every named broken sibling must be refused.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from ledger.core.errors import ProofError
from ledger.core.merkle import verify_consistency, verify_inclusion

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "rfc6962"


def _cases(kind: str) -> list[Any]:
    files = sorted((VECTORS / kind).rglob("*.json"))
    assert files, f"no {kind} vectors found under {VECTORS}"
    return [pytest.param(json.loads(f.read_text()), id=str(f.relative_to(VECTORS))) for f in files]


def _b(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def _proof(v: dict[str, Any]) -> list[bytes]:
    return [_b(p) for p in (v.get("proof") or [])]


@pytest.mark.parametrize("v", _cases("inclusion"))
def test_inclusion_vector(v: dict[str, Any]) -> None:
    args = (_b(v["leafHash"]), v["leafIdx"], v["treeSize"], _proof(v), _b(v["root"]))
    if v["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("v", _cases("consistency"))
def test_consistency_vector(v: dict[str, Any]) -> None:
    args = (v["size1"], v["size2"], _b(v["root1"]), _b(v["root2"]), _proof(v))
    if v["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


def test_vector_corpus_has_both_outcomes() -> None:
    outcomes = {c.values[0]["wantErr"] for c in _cases("inclusion") + _cases("consistency")}
    assert outcomes == {True, False}
