// Test helper: BLS12-381 keys and aggregate signatures made by witness/ (py-ecc's bytes, through
// witness_sign.py), in the EIP-2537 encoding the contract takes.
"use strict";

const { execFileSync } = require("child_process");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");

/** Keys 0..n-1 (fixed test seeds) and the aggregate of each {message, signers} request. */
function sign(n, requests) {
  const python = process.env.SITELEDGER_PYTHON || path.join(ROOT, ".venv", "bin", "python");
  const out = execFileSync(python, [path.join(__dirname, "witness_sign.py")], {
    input: JSON.stringify({ n, sign: requests.map((r) => ({ message: r.message.slice(2), signers: r.signers })) }),
    cwd: ROOT,
    env: { ...process.env, PYTHONPATH: ROOT },
    maxBuffer: 1 << 24,
  });
  const res = JSON.parse(out);
  return {
    keys: res.keys.map((k) => ({ point: "0x" + k.point, compressed: "0x" + k.compressed, pop: "0x" + k.pop })),
    sigs: res.signatures.map((s) => "0x" + s),
  };
}

/** The bitmap with bit i set for each signer i. */
const bitmap = (signers) => signers.reduce((b, i) => b | (1n << BigInt(i)), 0n);

/** setWitnesses' arguments for `keys` with threshold k and the fault policy. */
const setArgs = (keys, k, allowUnwitnessed) => [
  keys.map((x) => x.point), keys.map((x) => x.compressed), keys.map((x) => x.pop), k, allowUnwitnessed,
];

module.exports = { sign, bitmap, setArgs };
