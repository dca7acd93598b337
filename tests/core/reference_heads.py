"""A deliberately naive head-map reference, written straight from docs/proof-format.md.

The map is a dict {key hash: value hash}; a subtree is named by its depth and the bit prefix it
covers. ledger.core.heads is checked against this; keep it short enough to read in one sitting.
"""

from hashlib import sha256


def bits(kh: bytes) -> str:
    return "".join(f"{b:08b}" for b in kh)


def subtree(m: dict[bytes, bytes], prefix: str) -> bytes:
    inside = [kh for kh in m if bits(kh).startswith(prefix)]
    if not inside:
        return bytes(32)
    if len(inside) == 1:
        return sha256(b"\x02" + inside[0] + m[inside[0]]).digest()
    return sha256(b"\x03" + subtree(m, prefix + "0") + subtree(m, prefix + "1")).digest()


def proof(m: dict[bytes, bytes], kh: bytes) -> tuple[list[bytes], bytes | None]:
    """(siblings root-downward, key hash of the leaf ending the path or None)."""
    b, siblings = bits(kh), []
    while len([k for k in m if bits(k).startswith(b[: len(siblings)])]) > 1:
        siblings.append(subtree(m, b[: len(siblings)] + "10"[int(b[len(siblings)])]))
    inside = [k for k in m if bits(k).startswith(b[: len(siblings)])]
    return siblings, (inside[0] if inside else None)
