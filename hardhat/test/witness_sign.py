"""Signs witness messages with witness/ (py-ecc's bytes) for the Hardhat tests of the witnessed AnchorRegistry.

stdin: {"n": 5, "sign": [{"message": hex, "signers": [0, 2, 3]}, …]}
stdout: {"keys": [{"point", "compressed", "pop"}], "signatures": [hex of the aggregate, …]}
Points in the EIP-2537 encoding (each coordinate 64 bytes); keys from fixed seeds (test keys).
"""

from __future__ import annotations

import json
import sys

from witness.bls import WitnessKey, aggregate, g1_eip2537, g2_eip2537


def main() -> None:
    req = json.load(sys.stdin)
    keys = [WitnessKey.from_seed(bytes([i + 1]) * 32) for i in range(req["n"])]
    out = {
        "keys": [
            {
                "point": g1_eip2537(k.public_key).hex(),
                "compressed": k.public_key.hex(),
                "pop": g2_eip2537(k.pop()).hex(),
            }
            for k in keys
        ],
        "signatures": [
            g2_eip2537(
                aggregate([keys[i].sign(bytes.fromhex(s["message"])) for i in s["signers"]])
            ).hex()
            for s in req["sign"]
        ],
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
