"""Property-based conformance: schemathesis against /openapi.json, a bounded number of examples.

Every operation is called as an admin with generated input, valid (positive) and invalid
(negative). Nothing may answer 5xx, and every response must match the document: status code,
content type, headers and body schema; invalid input must be refused. The one check left out is ``positive_data_acceptance`` (input
that fits the schema must be accepted): a record can fit the JSON Schema and still be refused by
the ledger (a bad signature, an unknown key, a rule of its type), and a principal can fit and
still break a scope rule; those refusals are the point and are tested one by one elsewhere.

The operations are driven through hypothesis directly rather than schemathesis' pytest plugin,
whose lazy loader does not work with pytest 9 yet.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, assume, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import World
from tests.api.test_auth_matrix import MATRIX

MAX_EXAMPLES = int(os.environ.get("SITELEDGER_SCHEMATHESIS_EXAMPLES", "25"))  # per operation, mode
# Invalid input may be refused with any 4xx the API documents, 413 (too many records) included.
CONFIG = {"checks": {"negative_data_rejection": {"expected-statuses": [
    "400", "401", "403", "404", "405", "409", "413", "415", "422", "429"]}}}  # fmt: skip


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("key", list(MATRIX), ids=[f"{m} {p}" for m, p in MATRIX])
def test_api_conforms_to_its_openapi_document(
    app: Flask, world: World, key: tuple[str, str], mode: GenerationMode
) -> None:
    world.seal_and_anchor()
    app.config["VALIDATE_RESPONSES"] = False  # schemathesis checks conformance itself
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app,
                                            config=SchemathesisConfig.from_dict(CONFIG))  # fmt: skip
    method, path = key
    operation = schema[path][method]
    if mode is GenerationMode.NEGATIVE and not (operation.body or any(
        True for _ in operation.iter_parameters())):
        pytest.skip("no parameters or body to make invalid")
    headers = {"Authorization": f"Bearer {world.tokens['admin']}"}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def check(case: Any) -> None:
        # A query parameter whose generated value is null or an empty list is dropped by the
        # test client, which can turn a "negative" case into a valid request: it proves nothing.
        assume(all(v is not None and v != [] for v in (case.query or {}).values()))
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    check()
