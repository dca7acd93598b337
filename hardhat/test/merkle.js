// A deliberately naive RFC 9162 section 2.1 reference in JS, used only by the contract tests:
// MTH by recursive split at the largest power of two below n, and PATH as in section 2.1.3.1.
"use strict";

const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

function sha256(...parts) {
  const h = crypto.createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
}

/** SHA-256(0x00 || data). */
const leafHash = (data) => sha256(Buffer.from([0x00]), data);
/** SHA-256(0x01 || left || right). */
const nodeHash = (left, right) => sha256(Buffer.from([0x01]), left, right);

/** Largest power of two strictly less than n (requires n > 1). */
function split(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over leaf hashes; the empty tree's head is SHA-256(""). */
function rootOf(leaves) {
  if (leaves.length === 0) return sha256(Buffer.alloc(0));
  if (leaves.length === 1) return leaves[0];
  const k = split(leaves.length);
  return nodeHash(rootOf(leaves.slice(0, k)), rootOf(leaves.slice(k)));
}

/** PATH(m, D[n]) over leaf hashes, requires 0 <= m < n. */
function inclusionProof(m, leaves) {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  if (m < k) return [...inclusionProof(m, leaves.slice(0, k)), rootOf(leaves.slice(k))];
  return [...inclusionProof(m - k, leaves.slice(k)), rootOf(leaves.slice(0, k))];
}

const hex = (buf) => `0x${Buffer.from(buf).toString("hex")}`;

const VECTORS_DIR = path.resolve(__dirname, "..", "..", "tests", "vectors", "rfc6962");

/** Every *.json under dir, sorted, as paths relative to dir. */
function listJson(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".json")) out.push(p);
    }
  };
  walk(dir);
  return out.map((p) => path.relative(dir, p));
}

/**
 * Reads one inclusion vector. leafIdx and treeSize can be 2^64 - 1, beyond a JS number's exact
 * range, so they are quoted before JSON.parse and returned as BigInt. Hashes are Buffers of
 * whatever length the file gives (some broken vectors carry hashes that are not 32 bytes).
 */
function loadInclusionVector(file) {
  const text = fs.readFileSync(file, "utf8").replace(/"(leafIdx|treeSize)"\s*:\s*(\d+)/g, '"$1": "$2"');
  const v = JSON.parse(text);
  for (const k of ["leafIdx", "treeSize", "root", "leafHash", "proof", "wantErr"]) {
    if (!(k in v)) throw new Error(`${file}: missing ${k}`);
  }
  return {
    desc: v.desc,
    wantErr: v.wantErr,
    leafIdx: BigInt(v.leafIdx),
    treeSize: BigInt(v.treeSize),
    root: Buffer.from(v.root, "base64"),
    leafHash: Buffer.from(v.leafHash, "base64"),
    proof: (v.proof || []).map((p) => Buffer.from(p, "base64")),
  };
}

/** The leaves of the RFC 6962 reference tree from which the public vectors were made. */
const RFC6962_LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map((h) => leafHash(Buffer.from(h, "hex")));

module.exports = {
  sha256,
  leafHash,
  nodeHash,
  rootOf,
  inclusionProof,
  hex,
  VECTORS_DIR,
  listJson,
  loadInclusionVector,
  RFC6962_LEAVES,
};
