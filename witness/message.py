"""The bytes a witness signs for a batch (``docs/witnesses.md``, "Signed message").

The message is defined once, in ``verifier.witnesses`` (the verifier rebuilds it from a bundle's
signed batch head and anchor); this module keeps the witness's names for it.
"""

from __future__ import annotations

from verifier.witnesses import MESSAGE_SIZE, TAG, Commitment, contract_address

__all__ = ["MESSAGE_SIZE", "TAG", "Commitment", "contract_address"]
