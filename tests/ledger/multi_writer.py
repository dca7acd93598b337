"""Child process for the multi-process test: appends its share of punches in small bulks.

Usage: python -m tests.ledger.multi_writer DB_URL ROOT_SEED_HEX PART PARTS
"""

from __future__ import annotations

import sys
from datetime import timedelta

from ledger.core.keys import SigningKey
from ledger.db import make_engine
from ledger.store import Store
from tests.ledger.crash_common import punches, setup_records, site_for


def main() -> None:
    url, seed, part, parts = (
        sys.argv[1],
        bytes.fromhex(sys.argv[2]),
        int(sys.argv[3]),
        int(sys.argv[4]),
    )
    root = SigningKey(seed)
    store = Store(make_engine(url), root, skew=timedelta(days=3650))
    site = site_for(root)
    setup_records(site)
    mine = [r for i, r in enumerate(punches(site, 2_000)) if i % parts == part]
    accepted = 0
    for k in range(0, len(mine), 25):
        accepted += sum(r.status == "accepted" for r in store.append(mine[k : k + 25]))
    print(accepted)


if __name__ == "__main__":
    main()
