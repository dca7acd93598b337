/*
 * siteledger verifier page: head-map proofs (format version 2, docs/proof-format.md "Head maps").
 *
 * The head map is a compact sparse Merkle tree over keys `subject/<subject>` and
 * `device/<project>/<device>`: kh = SHA-256(key); bit i of kh is bit (7 − i mod 8) of byte
 * i div 8; the empty subtree is 32 zero bytes; a subtree holding exactly one key is that key's
 * leaf node SHA-256(0x02 ‖ kh ‖ value_hash); any other is SHA-256(0x03 ‖ left ‖ right);
 * value_hash = SHA-256(canonical(value)). A proof {siblings (root-downward), leaf} is folded
 * upward from its depth; in JSON it comes in form 2 (a bitmap of the non-empty siblings and
 * those in base64) or form 1 (every sibling in hex). Classic script; siteledger.heads.
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
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const MAX_B64 = 4 * Math.ceil((MAX_DEPTH * 32) / 3);

  /** Strict RFC 4648 base64 (standard alphabet, padded, the one spelling) to bytes. */
  function base64Bytes(text, path) {
    const bad = () => new C.FormatError('must be base64 (RFC 4648, padded)', path);
    if (typeof text !== 'string' || text.length > MAX_B64 || text.length % 4) throw bad();
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw bad();
    const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
    const out = new Uint8Array((text.length / 4) * 3 - pad);
    let o = 0;
    for (let i = 0; i < text.length; i += 4) {
      const n = [0, 1, 2, 3].map((j) => (text[i + j] === '=' ? 0 : B64.indexOf(text[i + j])));
      const v = (n[0] << 18) | (n[1] << 12) | (n[2] << 6) | n[3];
      for (const b of [(v >> 16) & 255, (v >> 8) & 255, v & 255]) if (o < out.length) out[o++] = b;
    }
    if (base64Text(out) !== text) throw new C.FormatError('not the canonical base64 spelling', path);
    return out;
  }

  function base64Text(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 3) {
      const v = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      s += B64[(v >> 18) & 63] + B64[(v >> 12) & 63];
      s += i + 1 < bytes.length ? B64[(v >> 6) & 63] : '=';
      s += i + 2 < bytes.length ? B64[v & 63] : '=';
    }
    return s;
  }

  /**
   * A head proof in either JSON form (docs/proof-format.md, "Proof") as {siblings: [64 hex …],
   * leaf}: form 2 {v: 2, depth, present, siblings (base64 of the non-empty siblings), leaf},
   * form 1 {siblings: [hex …], leaf}. Throws FormatError naming the member.
   */
  function decodeProof(p, path) {
    const isObj = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
    if (!isObj(p)) throw new C.FormatError('must be an object', path);
    const form2 = 'v' in p;
    const names = form2 ? ['v', 'depth', 'present', 'siblings', 'leaf'] : ['siblings', 'leaf'];
    for (const k of Object.keys(p)) if (!names.includes(k)) throw new C.FormatError('unknown field', `${path}.${k}`);
    for (const k of names) if (!(k in p)) throw new C.FormatError('required field is missing', `${path}.${k}`);
    let siblings;
    if (form2) {
      if (p.v !== 2) throw new C.FormatError(`unknown head proof form ${C.shown(p.v)}, want 2`, `${path}.v`);
      const d = p.depth;
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > MAX_DEPTH) throw new C.FormatError(`must be an integer from 0 to ${MAX_DEPTH}`, `${path}.depth`);
      const size = Math.ceil(d / 8);
      if (typeof p.present !== 'string' || p.present.length !== 2 * size || !/^[0-9a-f]*$/.test(p.present)) {
        throw new C.FormatError(`must be ${size} bytes of lowercase hex (one bit per sibling)`, `${path}.present`);
      }
      const bits = C.fromHex(p.present);
      for (let i = d; i < 8 * size; i++) if (bit(bits, i)) throw new C.FormatError(`a bit is set beyond the depth ${d}`, `${path}.present`);
      const listed = base64Bytes(p.siblings, `${path}.siblings`);
      let count = 0;
      for (let i = 0; i < d; i++) count += bit(bits, i);
      if (listed.length !== 32 * count) throw new C.FormatError(`${listed.length} bytes, want 32 for each of the ${count} siblings marked present`, `${path}.siblings`);
      siblings = [];
      let k = 0;
      for (let i = 0; i < d; i++) {
        if (!bit(bits, i)) { siblings.push(C.toHex(ZERO32)); continue; }
        const s = listed.subarray(k, k + 32);
        k += 32;
        if (C.equalBytes(s, ZERO32)) throw new C.FormatError(`sibling ${i} is empty: it is a 0 bit of present, not listed`, `${path}.siblings`);
        siblings.push(C.toHex(s));
      }
    } else {
      if (!Array.isArray(p.siblings)) throw new C.FormatError('must be an array', `${path}.siblings`);
      if (p.siblings.length > MAX_DEPTH) throw new C.FormatError(`${p.siblings.length} siblings, limit ${MAX_DEPTH}`, `${path}.siblings`);
      p.siblings.forEach((s, i) => {
        if (typeof s !== 'string' || !HEX32.test(s)) throw new C.FormatError('must be 32 bytes of lowercase hex', `${path}.siblings[${i}]`);
      });
      siblings = p.siblings.slice();
    }
    let leaf = null;
    if (p.leaf !== null) {
      const l = p.leaf;
      if (!isObj(l)) throw new C.FormatError('must be an object or null', `${path}.leaf`);
      for (const k of Object.keys(l)) if (k !== 'key_hash' && k !== 'value_hash') throw new C.FormatError('unknown field', `${path}.leaf.${k}`);
      for (const k of ['key_hash', 'value_hash']) {
        if (typeof l[k] !== 'string' || !HEX32.test(l[k])) throw new C.FormatError('must be 32 bytes of lowercase hex', `${path}.leaf.${k}`);
      }
      leaf = { key_hash: l.key_hash, value_hash: l.value_hash };
    }
    return { siblings, leaf };
  }

  /**
   * Check `proof` of `key` against `rootHex`. `value` is the value the bundle claims for the key
   * (an object {counter, seq, leaf_hash}) or null to claim the key is absent. Resolves to
   * {member: true} or {member: false}; throws HeadProofError naming what does not hold.
   */
  async function verifyHeadProof(key, value, proof, rootHex) {
    if (proof && typeof proof === 'object' && 'v' in proof) proof = decodeProof(proof, 'proof'); // form 2
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

  SL.heads = { verifyHeadProof, decodeProof, keyHash, valueHash, HeadProofError, bit };
})(typeof globalThis !== 'undefined' ? globalThis : this);
