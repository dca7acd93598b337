"""Following the operator over HTTP (``docs/witnesses.md``, "Following the operator").

Reads ``GET /v1/batches/{n}`` (the signed head in ``head``) and ``GET /v1/entries?after_seq=…``
(pages of at most 1,000) with a bearer token, decodes everything with ``ledger.core`` and checks
each entry's stated ``leaf_hash`` against its bytes. Only the standard library speaks HTTP.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from ledger.core.entry import Entry
from ledger.core.errors import LedgerError
from ledger.core.heads import BatchHead
from witness.core import Cosignature, Witness
from witness.errors import BatchRefused, WitnessError

PAGE = 1000


class OperatorClient:
    def __init__(self, base_url: str, token: str, timeout: float = 30.0) -> None:
        self.base = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _get(self, path: str) -> Any:
        req = urllib.request.Request(
            self.base + path,
            headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                return json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise WitnessError(f"GET {path}: HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise WitnessError(f"GET {path}: {exc}") from exc

    def head(self, batch_no: int) -> BatchHead | None:
        """The signed head of sealed batch ``batch_no``, or None if it is not sealed yet."""
        body = self._get(f"/v1/batches/{batch_no}")
        if body is None or body.get("head") is None:
            return None
        try:
            return BatchHead.from_json(body["head"], "head")
        except LedgerError as exc:
            raise WitnessError(f"batch {batch_no}: {exc}") from exc

    def entries(self, first_seq: int, size: int) -> list[Entry]:
        out: list[Entry] = []
        after = first_seq - 1
        while len(out) < size:
            limit = min(PAGE, size - len(out))
            page = self._get(f"/v1/entries?after_seq={after}&limit={limit}")
            items = (page or {}).get("entries") or []
            if not items:
                raise WitnessError(f"entries after seq {after}: none returned")
            for item in items:
                try:
                    entry = Entry.from_json(item["entry"])
                except (LedgerError, KeyError, TypeError) as exc:
                    raise WitnessError(f"entry after seq {after}: {exc}") from exc
                if item.get("leaf_hash") != entry.leaf_hash().hex():
                    raise BatchRefused(
                        "leaf_hash", "stated leaf hash is not the entry's", entry.seq
                    )
                out.append(entry)
                after = entry.seq
        return out[:size]


def follow_once(witness: Witness, client: OperatorClient) -> list[Cosignature]:
    """Check and sign every batch the operator sealed after the last one this witness signed;
    stops at the first batch not sealed yet. A refusal (BatchRefused) propagates."""
    out: list[Cosignature] = []
    while True:
        head = client.head(witness.follower.state.next_batch_no)
        if head is None:
            return out
        out.append(witness.sign_batch(head, client.entries(head.first_seq, head.size)))
