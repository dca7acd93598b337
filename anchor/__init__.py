"""Anchoring batch roots on an Ethereum-compatible chain: artifacts, backends, reader, worker."""
