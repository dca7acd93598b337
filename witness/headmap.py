"""The head map a witness keeps between batches (``docs/proof-format.md``, "Head maps").

A witness checks each batch's ``heads_root``. Rebuilding the map from every key for every batch
costs work in proportion to the map (three hashes a key, a sort, then the tree), while a batch
moves only the heads of the workers and gates it names. ``HeadMap`` keeps the map's keys grouped
by the first 16 bits of their key hash ("buckets"), each bucket's subtree at depth 16, and the
levels above it; ``updated`` hashes again only the buckets a batch touches and their paths to the
root. The hashes are those of ``ledger.core.heads`` (``subtree``, and ``fold_up`` for the levels
above the buckets, which the sealer uses too), so the root is the map's root by definition; a
test compares it with ``ledger.core.heads.root`` over random batches.

A map is never changed: ``updated`` returns a new one sharing what did not change, so a batch
that is checked and then refused leaves the witness's map as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ledger.core.heads import ZERO, HeadValue, fold_up, key_hash, leaf_node, subtree

BUCKET_DEPTH: Final = 16

Level = list[tuple[int, bytes]]
"""A level of the map: for each subtree, how many keys it holds (0, 1, or 2 for two or more)
and its hash."""


class HeadMap:
    """An immutable head map: key hash → leaf node, with its subtree hashes down to depth 16."""

    __slots__ = ("_buckets", "_levels", "size")

    def __init__(self) -> None:
        self._buckets: dict[int, dict[bytes, bytes]] = {}
        self._levels: list[Level] = [[(0, ZERO)] * (1 << d) for d in range(BUCKET_DEPTH + 1)]
        self.size = 0

    @property
    def root(self) -> bytes:
        return self._levels[0][0][1]

    def updated(self, values: Mapping[str, HeadValue]) -> HeadMap:
        """This map with ``values`` (key → its new value) set; this map is left as it is."""
        if not values:
            return self
        touched: dict[int, dict[bytes, bytes]] = {}
        for key, value in values.items():
            kh = key_hash(key)
            b = (kh[0] << 8) | kh[1]
            mates = touched.get(b)
            if mates is None:
                mates = touched[b] = dict(self._buckets.get(b, {}))
            mates[kh] = leaf_node(kh, value.value_hash())
        out = HeadMap.__new__(HeadMap)
        out._buckets = {**self._buckets, **touched}
        out.size = self.size + sum(len(m) - len(self._buckets.get(b, {})) for b, m in touched.items())
        levels = out._levels = [list(level) for level in self._levels]
        bottom = levels[BUCKET_DEPTH]
        for b, mates in touched.items():
            items = sorted(mates.items())
            bottom[b] = (min(len(items), 2), subtree(items, BUCKET_DEPTH))
        fold_up(levels, touched, _inner)
        return out


def _inner(h: bytes) -> tuple[int, bytes]:
    return (2, h)
