"""The JSON Schema of the bundle format: up to date with the record converters, and in agreement
with the verifier's format check on the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.verifier import schema_gen

DIR = Path(__file__).resolve().parents[1] / "vectors" / "bundles"
# Refused by the verifier's format check for a rule JSON Schema cannot state (docs/records.md).
CROSS_FIELD = {"wage-net-off-by-one", "witnesses-set-index-unknown"}


def test_committed_schema_is_generated() -> None:
    assert schema_gen.PATH.read_text() == schema_gen.text(), (
        "run: .venv/bin/python -m tests.verifier.schema_gen"
    )


@pytest.mark.parametrize("schema_path,corpus", [(schema_gen.PATH_V1, DIR),
                                                (schema_gen.PATH, DIR / "v2")])  # fmt: skip
def test_schema_agrees_with_the_verifier_on_the_corpus(schema_path: Path, corpus: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_path.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    checked = 0
    for path in sorted(corpus.glob("*.json")):
        v = json.loads(path.read_text())
        if path.name == "chain.json" or "bundle" not in v:
            continue
        errors = list(validator.iter_errors(v["bundle"]))
        refused = v["want_offline"]["check"] == "format" and path.stem not in CROSS_FIELD
        assert bool(errors) == refused, (path.name, [e.message[:200] for e in errors[:2]])
        checked += 1
    assert checked >= 40
