"""The anchor package's errors: all are ``ledger.core.errors.AnchorError``, so one ``except``
catches every chain failure. Imports nothing but ``ledger.core`` (the verifier's reader uses it).

``ChainUnavailable`` is the only one that says nothing about the chain's content: the node could
not be reached or did not answer. A verifier maps it to INCONCLUSIVE, the worker to "retry later".
"""

from __future__ import annotations

from ledger.core.errors import AnchorError


class ChainUnavailable(AnchorError):
    """The JSON-RPC endpoint could not be reached, timed out or failed at the transport level."""


class WrongChain(AnchorError):
    """The endpoint serves another chain than the configuration names, or the configured contract
    is not an AnchorRegistry there."""


class ChainMismatch(AnchorError):
    """The operator's log and the contract disagree (another root, range or batch count).

    Never retried away: an operator must look at it, because it means either the database or
    the configured contract is not the one that anchored these batches.
    """


class InsufficientFunds(AnchorError):
    """The anchoring account cannot pay for one anchor transaction."""


class NotAnchorer(AnchorError):
    """The anchoring account does not hold the contract's anchorer role."""


__all__ = [
    "AnchorError",
    "ChainMismatch",
    "ChainUnavailable",
    "InsufficientFunds",
    "NotAnchorer",
    "WrongChain",
]
