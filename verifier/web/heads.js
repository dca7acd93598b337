/*
 * siteledger verifier page: head-map proofs (format version 2, docs/proof-format.md "Head maps").
 *
 * The head map is a compact sparse Merkle tree over keys `subject/<subject>` and
 * `device/<project>/<device>`: kh = SHA-256(key); bit i of kh is bit (7 − i mod 8) of byte
 * i div 8; the empty subtree is 32 zero bytes; a subtree holding exactly one key is that key's
 * leaf node SHA-256(0x02 ‖ kh ‖ value_hash); any other is SHA-256(0x03 ‖ left ‖ right);
 * value_hash = SHA-256(canonical(value)). A proof {siblings (root-downward), leaf} is folded
 * upward from its depth. Classic script; siteledger.heads.
 */
(function (root) {
  'use strict';
  const SL = root.siteledger;
  const C = SL.core;
  const ZERO32 = new Uint8Array(32);
  const MAX_DEPTH = 256;

  class HeadProofError extends Error {}

  const bit = (kh, i) => (kh[i >> 3] >> (7 - (i & 7))) & 1;

  function sharesPrefix(a, b, d) {
    for (let i = 0; i < d; i++) if (bit(a, i) !== bit(b, i)) return false;
    return true;
  }

  async function keyHash(key) {
    return C.sha256(C.utf8(key));
  }

  async function valueHash(value) {
    return C.sha256(C.canonicalBytes(value));
  }

  const HEX32 = /^[0-9a-f]{64}$/;

  /**
   * Check `proof` of `key` against `rootHex`. `value` is the value the bundle claims for the key
   * (an object {counter, seq, leaf_hash}) or null to claim the key is absent. Resolves to
   * {member: true} or {member: false}; throws HeadProofError naming what does not hold.
   */
  async function verifyHeadProof(key, value, proof, rootHex) {
    if (!proof || typeof proof !== 'object' || !Array.isArray(proof.siblings)) throw new HeadProofError('a head proof is {siblings, leaf}');
    const d = proof.siblings.length;
    if (d > MAX_DEPTH) throw new HeadProofError(`proof of depth ${d}, limit ${MAX_DEPTH}`);
    for (const s of proof.siblings) if (typeof s !== 'string' || !HEX32.test(s)) throw new HeadProofError('siblings are 64 lowercase hex');
    const kh = await keyHash(key);
    let node;
    let member = false;
    if (proof.leaf === null) {
      node = ZERO32;
      if (value !== null) throw new HeadProofError(`the proof shows no value for ${key}, the bundle claims one`);
    } else {
      const l = proof.leaf;
      if (!l || typeof l !== 'object' || !HEX32.test(l.key_hash || '') || !HEX32.test(l.value_hash || '')) {
        throw new HeadProofError('leaf is null or {key_hash, value_hash} in 64 lowercase hex');
      }
      const lkh = C.fromHex(l.key_hash);
      if (C.equalBytes(lkh, kh)) {
        member = true;
        if (value === null) throw new HeadProofError(`the proof holds a value for ${key}, the bundle claims none`);
        const vh = C.toHex(await valueHash(value));
        if (vh !== l.value_hash) throw new HeadProofError(`value hash of ${key}: calculated ${vh}, proof states ${l.value_hash}`);
      } else {
        if (value !== null) throw new HeadProofError(`the proof's leaf is another key's, the bundle claims a value for ${key}`);
        if (!sharesPrefix(lkh, kh, d)) throw new HeadProofError(`the proof's leaf does not share the first ${d} bits of ${key}'s hash`);
      }
      node = await C.sha256(C.concat(new Uint8Array([2]), lkh, C.fromHex(l.value_hash)));
    }
    for (let i = d - 1; i >= 0; i--) {
      const sib = C.fromHex(proof.siblings[i]);
      node = bit(kh, i) === 0
        ? await C.sha256(C.concat(new Uint8Array([3]), node, sib))
        : await C.sha256(C.concat(new Uint8Array([3]), sib, node));
    }
    const got = C.toHex(node);
    if (got !== rootHex) throw new HeadProofError(`head proof of ${key} leads to ${got}, the heads root is ${rootHex}`);
    return { member };
  }

  SL.heads = { verifyHeadProof, keyHash, valueHash, HeadProofError, bit };
})(typeof globalThis !== 'undefined' ? globalThis : this);
