"""Witnesses: an independent institution checks each sealed batch and co-signs it with BLS12-381.

Specified in ``docs/witnesses.md``. This package imports only ``ledger.core`` and ``verifier``
(never the operator's store or API), so an institution can audit what it runs:

* ``witness.message`` — the exact bytes a witness signs (chain id, contract, batch commitment);
* ``witness.bls`` — keys, proofs of possession, signing and aggregate verification (IETF BLS
  ``G2ProofOfPossession``, on ``verifier.bls12381``: native arkworks, py-ecc as the fallback);
* ``witness.follow`` — the batch checks: entries root, head-map root, seq range, every entry's
  signature and authorisation, subject chains;
* ``witness.signlog`` — the durable never-sign-twice log (fsync'd, survives kill -9);
* ``witness.bank`` — the bank plug-in: refuses payments whose serial it did not execute;
* ``witness.core`` — ``Witness``: checks, plug-ins, the sign log and the key together.
"""
