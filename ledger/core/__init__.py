"""The consensus-critical core of siteledger: records, canonical bytes, hashes, signatures, proofs.

Everything in this package decides whether a proof that is already anchored on chain still
verifies. A change to any byte this package produces or accepts can invalidate every anchored
proof, so:

* nothing here does I/O or touches a database or a chain, and no check depends on the clock;
* any change to an encoding, a hash input or a test vector in ``tests/vectors`` needs a new
  format version (``FORMAT_VERSION``) and an update of ``docs/records.md`` and
  ``docs/proof-format.md`` in the same change.
"""

FORMAT_VERSION = 1
"""Version of the record and entry encodings defined here (the ``v`` field)."""
