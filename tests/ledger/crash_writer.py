"""Child process for the crash test: appends bulks forever, printing each receipt it was given.

Usage: python -m tests.ledger.crash_writer DB_URL ROOT_SEED_HEX
Prints one line per accepted record, ``seq leaf_hash_hex``, only after the append returned,
i.e. after the transaction committed: exactly what a client would have been told.
"""

from __future__ import annotations

import sys
from datetime import timedelta

from ledger.core.keys import SigningKey
from ledger.db import make_engine
from ledger.store import Store
from tests.ledger.crash_common import punches, setup_records, site_for


def main() -> None:
    url, seed = sys.argv[1], bytes.fromhex(sys.argv[2])
    root = SigningKey(seed)
    store = Store(make_engine(url), root, skew=timedelta(days=3650))
    site = site_for(root)
    setup_records(site)  # the parent appended these; this recreates the same device keys
    records = punches(site, 50_000)
    for k in range(0, len(records), 200):
        for r in store.append(records[k : k + 200]):
            if r.status == "accepted":
                print(r.seq, (r.leaf_hash or b"").hex(), flush=True)


if __name__ == "__main__":
    main()
