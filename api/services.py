"""What the views work with: the store, the vault, the principals, metrics and the clock.

One ``Services`` object per app lives in ``app.extensions["siteledger"]``; the views reach it
through ``services()``. Nothing here talks SQL: the ledger modules own their tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from api.metrics import SharedMetrics
from api.ratelimit import RateLimiter
from ledger.config import Config
from ledger.principals import Principals
from ledger.store import Store
from ledger.vault import Vault

ChainProbe = Callable[[], int]
"""Returns the chain's latest block number; raises a LedgerError (AnchorError) or OSError when the
chain cannot be reached. Plug in the anchor package's reader here."""


@dataclass
class Services:
    config: Config
    store: Store
    vault: Vault
    principals: Principals
    metrics: SharedMetrics
    limiter: RateLimiter
    clock: Callable[[], datetime]
    chain_probe: ChainProbe | None = None


def services() -> Services:
    s: Services = current_app.extensions["siteledger"]
    return s
