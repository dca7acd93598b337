"""Offline and on-chain verification of siteledger proof bundles.

Imports only ``ledger.core`` (and the anchor package's read-only chain reader, lazily, for the
on-chain checks): never Flask, SQLAlchemy or a signing key.
"""
