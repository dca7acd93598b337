"""The ledger: append-only store, batching, subject chains and the identity vault.

``ledger.core`` holds the consensus-critical pure code; everything else here does I/O.
"""
