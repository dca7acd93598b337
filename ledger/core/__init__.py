"""The consensus-critical core of siteledger: records, canonical bytes, hashes, signatures, proofs.

Everything in this package decides whether a proof that is already anchored on chain still
verifies. A change to any byte this package produces or accepts can invalidate every anchored
proof, so:

* nothing here does I/O or touches a database or a chain, and no check depends on the clock;
* any change to an encoding, a hash input or a test vector in ``tests/vectors`` needs a new
  format version (``FORMAT_VERSION``) and an update of ``docs/records.md`` and
  ``docs/proof-format.md`` in the same change;
* a new version never changes what an old one means: the decoders keep accepting every version
  in ``FORMAT_VERSIONS`` with that version's own rules (a value's ``v`` selects them), and the
  vectors of every version stay in the tests.
"""

FORMAT_VERSION = 2
"""Version of the record, entry and receipt encodings that new values carry (the ``v`` field)."""

FORMAT_VERSIONS = (1, 2)
"""Every version the decoders accept, each with its own rules (``docs/records.md``,
*Versioning*): version 1 values stay decodable and verifiable for the proofs already anchored,
while the store appends only records of ``FORMAT_VERSION``."""
