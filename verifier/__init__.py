"""Independent verification of siteledger proof bundles (``docs/proof-format.md``).

This package decides whether a bundle proves what it claims, for people who trust neither the
contractor nor the operator. It imports only ``ledger.core`` (pure: records, canonical bytes,
hashes, signatures), the standard library and, for signatures, PyNaCl when installed; the
read-only chain reader ``anchor.reader`` (and with it web3) is imported only when on-chain
checks run. It never imports Flask, SQLAlchemy, the store, the vault or any signing key: a test
runs ``import verifier.cli`` in a fresh interpreter and inspects ``sys.modules``.

The library never prints or exits; ``verifier.cli.main`` does.
"""

from verifier.result import Check, Finding, Report, Status, Verdict
from verifier.verify import Verifier, verify_bundle, verify_bytes

__all__ = [
    "Check",
    "Finding",
    "Report",
    "Status",
    "Verdict",
    "Verifier",
    "verify_bundle",
    "verify_bytes",
]
