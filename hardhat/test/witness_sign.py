"""Signs witness messages with py-ecc for the Hardhat tests of WitnessQuorum.sol.

stdin: {"n": 5, "sign": [{"message": hex, "signers": [0, 2, 3]}, …]}
stdout: {"keys": [{"point", "compressed", "pop"}], "signatures": [hex of the aggregate, …]}
Points in the EIP-2537 encoding (each coordinate 64 bytes); keys from fixed seeds (test keys).
"""

from __future__ import annotations

import json
import sys

from py_ecc.bls.g2_primitives import signature_to_G2
from py_ecc.optimized_bls12_381 import normalize

from witness.bls import WitnessKey, aggregate


def fp(x: int) -> str:
    return int(x).to_bytes(64, "big").hex()


def g1(pk: bytes) -> str:
    from py_ecc.bls.g2_primitives import pubkey_to_G1

    x, y = normalize(pubkey_to_G1(pk))  # type: ignore[arg-type]
    return fp(x.n) + fp(y.n)


def g2(sig: bytes) -> str:
    x, y = normalize(signature_to_G2(sig))  # type: ignore[arg-type]
    return "".join(fp(c) for c in (*x.coeffs, *y.coeffs))


def main() -> None:
    req = json.load(sys.stdin)
    keys = [WitnessKey.from_seed(bytes([i + 1]) * 32) for i in range(req["n"])]
    out = {
        "keys": [
            {"point": g1(k.public_key), "compressed": k.public_key.hex(), "pop": g2(k.pop())}
            for k in keys
        ],
        "signatures": [
            g2(aggregate([keys[i].sign(bytes.fromhex(s["message"])) for i in s["signers"]]))
            for s in req["sign"]
        ],
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
