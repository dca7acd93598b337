"""Writes ``noble.js``: @noble/curves (ed25519, bls12-381) and @noble/hashes (sha256, sha512, keccak_256)
from npm,
wrapped as one classic script for the verifier page.

The page must work from ``file://``, where Chromium refuses ES modules, and without a build
tool, so the CommonJS files the packages ship are copied unchanged into a twenty-line module
table and exposed as ``globalThis.siteledgerNoble``. Run from the repository root
after ``npm ci`` in ``hardhat/`` (which installs both packages as dependencies of Hardhat)::

    .venv/bin/python verifier/web/vendor/vendor.py

The output is committed; ``tests/verifier/test_web.py`` checks that it is what this script
writes from the installed packages when they are present.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
NODE = ROOT / "hardhat" / "node_modules" / "@noble"
OUT = Path(__file__).with_name("noble.js")

# module name as required -> file under node_modules/@noble
MODULES = {
    "@noble/hashes/_assert": "hashes/_assert.js",
    "@noble/hashes/crypto": "hashes/crypto.js",
    "@noble/hashes/utils": "hashes/utils.js",
    "@noble/hashes/_sha2": "hashes/_sha2.js",
    "@noble/hashes/_u64": "hashes/_u64.js",
    "@noble/hashes/sha256": "hashes/sha256.js",
    "@noble/hashes/sha512": "hashes/sha512.js",
    "@noble/hashes/sha3": "hashes/sha3.js",
    "@noble/curves/abstract/utils": "curves/abstract/utils.js",
    "@noble/curves/abstract/modular": "curves/abstract/modular.js",
    "@noble/curves/abstract/curve": "curves/abstract/curve.js",
    "@noble/curves/abstract/edwards": "curves/abstract/edwards.js",
    "@noble/curves/abstract/montgomery": "curves/abstract/montgomery.js",
    "@noble/curves/abstract/hash-to-curve": "curves/abstract/hash-to-curve.js",
    "@noble/curves/ed25519": "curves/ed25519.js",
    "@noble/curves/abstract/weierstrass": "curves/abstract/weierstrass.js",
    "@noble/curves/abstract/bls": "curves/abstract/bls.js",
    "@noble/curves/bls12-381": "curves/bls12-381.js",
}

HEADER = """\
/*
 * Vendored for the siteledger verifier page by verifier/web/vendor/vendor.py; do not edit.
 *
 *   @noble/curves {curves}  (ed25519, bls12-381) MIT License, (c) 2022 Paul Miller (paulmillr.com)
 *   @noble/hashes {hashes}  (sha256, sha512, keccak_256) MIT License, (c) 2022 Paul Miller (paulmillr.com)
 *
 * The packages' CommonJS files, unchanged apart from their source-map comments, in a small
 * module table. Exposes globalThis.siteledgerNoble = {{ ed25519, bls12_381, sha256, sha512,
 * keccak_256 }}.
 *
{licence}
 */
"""


def _resolve(current: str, name: str) -> str:
    if name.startswith("./") or name.startswith("../"):
        base = current.rsplit("/", 1)[0]
        parts = base.split("/")
        for piece in name.split("/"):
            if piece == "..":
                parts.pop()
            elif piece != ".":
                parts.append(piece)
        name = "/".join(parts)
    return name.removesuffix(".js")


def build() -> str:
    versions = {p: json.loads((NODE / p / "package.json").read_text())["version"]
                for p in ("curves", "hashes")}  # fmt: skip
    licence = (NODE / "curves" / "LICENSE").read_text().strip()
    out = [HEADER.format(curves=versions["curves"], hashes=versions["hashes"],
                         licence="\n".join(f" * {line}".rstrip() for line in licence.splitlines()))]  # fmt: skip
    out.append("(function () {\n'use strict';\nconst defs = {};\n")
    for name, rel in MODULES.items():
        src = (NODE / rel).read_text()
        src = re.sub(r"^//# sourceMappingURL=.*$", "", src, flags=re.M)

        def repl(m: re.Match[str], name: str = name) -> str:
            target = _resolve(name, m.group(1))
            if target not in MODULES:
                raise SystemExit(f"{name} requires {m.group(1)}, which is not vendored")
            return f'require("{target}")'

        src = re.sub(r'require\("([^"]+)"\)', repl, src)
        out.append(f"defs[{json.dumps(name)}] = function (exports, require, module) {{\n{src}\n}};\n")
    out.append("""\
const cache = {};
function require(name) {
  if (cache[name]) return cache[name].exports;
  if (name === 'crypto') return {};
  const module = { exports: {} };
  cache[name] = module;
  defs[name](module.exports, require, module);
  return module.exports;
}
globalThis.siteledgerNoble = {
  ed25519: require('@noble/curves/ed25519').ed25519,
  bls12_381: require('@noble/curves/bls12-381').bls12_381,
  sha256: require('@noble/hashes/sha256').sha256,
  sha512: require('@noble/hashes/sha512').sha512,
  keccak_256: require('@noble/hashes/sha3').keccak_256,
};
})();
""")
    return "".join(out)


def main() -> int:
    OUT.write_text(build())
    return 0


if __name__ == "__main__":
    sys.exit(main())
