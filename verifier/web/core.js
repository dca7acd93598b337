/*
 * siteledger verifier page: bytes, hashes and signatures (docs/proof-format.md, "Conventions"
 * and "What is hashed and signed"; docs/records.md, "Canonical bytes", "Times", "Signatures").
 *
 * A second implementation written from the documents, not a port of the Python verifier.
 * Classic script (the page runs from file://, where Chromium refuses ES modules); everything
 * lives on globalThis.siteledger.core.
 */
(function (root) {
  'use strict';
  const SL = (root.siteledger = root.siteledger || {});
  const noble = root.siteledgerNoble;

  const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;
  const MAX_NESTING = 16;
  const MAX_INT = Number.MAX_SAFE_INTEGER; // 2^53 - 1

  /** A value that is not what the format allows; `field` is the path (record.inclusion.path[3]). */
  class FormatError extends Error {
    constructor(reason, field) {
      super(field ? `${field}: ${reason}` : reason);
      this.reason = reason;
      this.field = field || '';
    }
  }

  // ------------------------------------------------------------------ UTF-8 and hex

  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  function utf8(text) {
    return encoder.encode(text);
  }

  const HEX = [];
  for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

  function toHex(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
    return s;
  }

  function fromHex(text) {
    const out = new Uint8Array(text.length >> 1);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
    return out;
  }

  function concat(...parts) {
    let n = 0;
    for (const p of parts) n += p.length;
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  function equalBytes(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  // ------------------------------------------------------------------ strict JSON

  /**
   * Parse the text of a bundle strictly: UTF-8, at most 32 MiB, no duplicate member names, no
   * number with a fraction or exponent, no NaN/Infinity, nothing but whitespace around the
   * value, nesting at most 16 levels. Integers beyond 2^53 - 1 come back as BigInt (the format
   * then refuses them where an integer is expected). Throws FormatError("…", "bundle").
   */
  function loadJSON(input) {
    let text;
    if (typeof input === 'string') {
      const bad = LONE_SURROGATE.exec(input);
      if (bad) throw new FormatError(`not UTF-8 at byte ${utf8(input.slice(0, bad.index)).length}`, 'bundle');
      if (input.length > MAX_BUNDLE_BYTES / 3) { // a UTF-16 code unit is at most 3 UTF-8 bytes
        const n = utf8(input).length;
        if (n > MAX_BUNDLE_BYTES) throw new FormatError(`${n} bytes, limit ${MAX_BUNDLE_BYTES}`, 'bundle');
      }
      text = input;
    } else {
      const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
      if (bytes.length > MAX_BUNDLE_BYTES) {
        throw new FormatError(`${bytes.length} bytes, limit ${MAX_BUNDLE_BYTES}`, 'bundle');
      }
      try {
        text = decoder.decode(bytes);
      } catch (e) {
        throw new FormatError(`not UTF-8 at byte ${firstBadUtf8(bytes)}`, 'bundle');
      }
    }
    return new Parser(text).document();
  }

  function firstBadUtf8(bytes) {
    // Binary search for the longest valid prefix is good enough for an error message.
    let lo = 0, hi = bytes.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        lo = mid;
      } catch (e) {
        hi = mid - 1;
      }
    }
    return lo;
  }

  const WS = new Set([' ', '\t', '\r', '\n']);

  class Parser {
    constructor(text) {
      this.s = text;
      this.i = 0;
      this.depth = 0;
    }
    fail(msg) {
      const upto = this.s.slice(0, this.i);
      const line = upto.split('\n').length;
      const col = this.i - upto.lastIndexOf('\n');
      throw new FormatError(`malformed JSON: ${msg} at line ${line} column ${col}`, 'bundle');
    }
    ws() {
      const s = this.s;
      while (this.i < s.length && WS.has(s[this.i])) this.i++;
    }
    document() {
      this.ws();
      if (this.i === this.s.length) throw new FormatError('empty input', 'bundle');
      const v = this.value();
      this.ws();
      if (this.i !== this.s.length) {
        throw new FormatError(`trailing data after the JSON value (${this.s.length - this.i} characters)`, 'bundle');
      }
      return v;
    }
    value() {
      const c = this.s[this.i];
      if (c === '{') return this.object();
      if (c === '[') return this.array();
      if (c === '"') return this.string();
      if (c === '-' || (c >= '0' && c <= '9')) return this.number();
      if (this.s.startsWith('true', this.i)) { this.i += 4; return true; }
      if (this.s.startsWith('false', this.i)) { this.i += 5; return false; }
      if (this.s.startsWith('null', this.i)) { this.i += 4; return null; }
      for (const w of ['NaN', 'Infinity', '-Infinity']) {
        if (this.s.startsWith(w, this.i)) throw new FormatError(`${w} is not JSON`, 'bundle');
      }
      this.fail('Expecting value');
    }
    enter() {
      if (++this.depth > MAX_NESTING) throw new FormatError(`nested deeper than ${MAX_NESTING} levels`, 'bundle');
    }
    object() {
      this.enter();
      this.i++;
      const out = {};
      const seen = new Set();
      this.ws();
      if (this.s[this.i] === '}') { this.i++; this.depth--; return out; }
      for (;;) {
        this.ws();
        if (this.s[this.i] !== '"') this.fail('Expecting property name enclosed in double quotes');
        const k = this.string();
        if (seen.has(k)) throw new FormatError(`duplicate key '${k}'`, 'bundle');
        seen.add(k);
        this.ws();
        if (this.s[this.i] !== ':') this.fail("Expecting ':' delimiter");
        this.i++;
        this.ws();
        const v = this.value();
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
        this.ws();
        const c = this.s[this.i++];
        if (c === '}') break;
        if (c !== ',') { this.i--; this.fail("Expecting ',' delimiter"); }
      }
      this.depth--;
      return out;
    }
    array() {
      this.enter();
      this.i++;
      const out = [];
      this.ws();
      if (this.s[this.i] === ']') { this.i++; this.depth--; return out; }
      for (;;) {
        this.ws();
        out.push(this.value());
        this.ws();
        const c = this.s[this.i++];
        if (c === ']') break;
        if (c !== ',') { this.i--; this.fail("Expecting ',' delimiter"); }
      }
      this.depth--;
      return out;
    }
    number() {
      const m = /-?(?:0|[1-9][0-9]*)/y;
      m.lastIndex = this.i;
      const hit = m.exec(this.s);
      if (!hit) this.fail('Expecting value');
      let end = this.i + hit[0].length;
      const frac = /(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
      frac.lastIndex = end;
      const f = frac.exec(this.s);
      if (f && f[0].length) {
        throw new FormatError(`non-integer number '${this.s.slice(this.i, end + f[0].length)}'`, 'bundle');
      }
      const text = hit[0];
      this.i = end;
      const n = Number(text);
      if (Number.isSafeInteger(n)) return n === 0 ? 0 : n; // -0 is 0
      return BigInt(text);
    }
    string() {
      const s = this.s;
      let i = this.i + 1;
      let out = '';
      let start = i;
      for (;;) {
        if (i >= s.length) { this.i = this.i; this.fail('Unterminated string starting'); }
        const c = s.charCodeAt(i);
        if (c === 0x22) break;
        if (c < 0x20) { this.i = i; this.fail('Invalid control character'); }
        if (c === 0x5c) {
          out += s.slice(start, i);
          const e = s[i + 1];
          const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (e in simple) { out += simple[e]; i += 2; }
          else if (e === 'u') {
            const h = s.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(h)) { this.i = i; this.fail('Invalid \\uXXXX escape'); }
            out += String.fromCharCode(parseInt(h, 16));
            i += 6;
          } else { this.i = i; this.fail('Invalid \\escape'); }
          start = i;
          continue;
        }
        i++;
      }
      out += s.slice(start, i);
      this.i = i + 1;
      return out;
    }
  }

  // ------------------------------------------------------------------ RFC 8785 canonical bytes

  function jcsString(s) {
    let out = '"';
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
      out += s.slice(start, i);
      if (c === 0x22) out += '\\"';
      else if (c === 0x5c) out += '\\\\';
      else if (c === 0x08) out += '\\b';
      else if (c === 0x09) out += '\\t';
      else if (c === 0x0a) out += '\\n';
      else if (c === 0x0c) out += '\\f';
      else if (c === 0x0d) out += '\\r';
      else out += '\\u' + c.toString(16).padStart(4, '0');
      start = i + 1;
    }
    return out + s.slice(start) + '"';
  }

  /** The RFC 8785 text of a JSON value (integers only; members sorted by UTF-16 code units). */
  function canonical(v) {
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new FormatError(`${v} cannot be encoded (integers within ±(2^53 − 1) only)`);
      return String(v);
    }
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) throw new FormatError('lone surrogate cannot be encoded');
      return jcsString(v);
    }
    if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
    if (typeof v === 'object') {
      const keys = Object.keys(v).sort(); // default sort compares UTF-16 code units
      return '{' + keys.map((k) => jcsString(k) + ':' + canonical(v[k])).join(',') + '}';
    }
    throw new FormatError(`${typeof v} cannot be encoded`);
  }

  function canonicalBytes(v) {
    return utf8(canonical(v));
  }

  // ------------------------------------------------------------------ SHA-256

  const subtle = root.crypto && root.crypto.subtle ? root.crypto.subtle : null;
  const backends = {
    sha256: subtle ? 'WebCrypto' : '@noble/hashes',
    ed25519: 'pending',
  };

  /** SHA-256 of bytes; WebCrypto where the page has it (secure contexts), else @noble/hashes. */
  async function sha256(bytes) {
    if (subtle) return new Uint8Array(await subtle.digest('SHA-256', bytes));
    return noble.sha256(bytes);
  }

  const ZERO = new Uint8Array([0]);
  const ONE = new Uint8Array([1]);

  function hashLeaf(entryBytes) {
    return sha256(concat(ZERO, entryBytes));
  }

  function hashNode(left, right) {
    return sha256(concat(ONE, left, right));
  }

  // ------------------------------------------------------------------ RFC 9162 inclusion proofs

  class ProofError extends Error {}

  function bitLength(n) {
    let b = 0;
    while (n > 0) { b++; n = Math.floor(n / 2); }
    return b;
  }

  function popCount(n) {
    let c = 0;
    while (n > 0) { c += n % 2; n = Math.floor(n / 2); }
    return c;
  }

  /**
   * RFC 9162 §2.1.3.2: the audit path `path` of `leaf` at `index` in a tree of `size` leaves
   * must lead to `root`. Resolves or throws ProofError naming the values.
   * Indexes are below 2^53, so halving is done with Math.floor rather than 32-bit shifts.
   */
  async function verifyInclusion(leaf, index, size, path, rootHash) {
    if (index >= size) throw new ProofError(`index ${index} is beyond the tree size ${size}`);
    // The proof's length is fixed by index and size (RFC 9162 §2.1.3.1).
    const inner = bitLength(xorBig(index, size - 1));
    const border = popCount(Math.floor(index / 2 ** inner));
    if (path.length !== inner + border) {
      throw new ProofError(`wrong proof size ${path.length}, want ${inner + border}`);
    }
    let fn = index, sn = size - 1, r = leaf;
    for (const p of path) {
      if (sn === 0) throw new ProofError('proof is too long');
      if (fn % 2 === 1 || fn === sn) {
        r = await hashNode(p, r);
        if (fn % 2 === 0) {
          while (fn !== 0 && fn % 2 === 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
        }
      } else {
        r = await hashNode(r, p);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    if (sn !== 0) throw new ProofError('proof is too short');
    if (!equalBytes(r, rootHash)) {
      throw new ProofError(`inclusion proof does not lead to the root: calculated ${toHex(r)}, expected ${toHex(rootHash)}`);
    }
  }

  function xorBig(a, b) {
    return Number(BigInt(a) ^ BigInt(b));
  }

  // ------------------------------------------------------------------ Ed25519 (RFC 8032, strict)

  const L = (1n << 252n) + 27742317777372353535851937790883648493n;
  // Encodings of the points of order 1, 2, 4 and 8 and their non-canonical twins, sign bit
  // ignored: such keys and R values are refused (a signature under them proves nothing).
  const SMALL_ORDER = [
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0100000000000000000000000000000000000000000000000000000000000000',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  ].map(fromHex);

  function smallOrder(p) {
    return SMALL_ORDER.some((b) => {
      for (let i = 0; i < 31; i++) if (p[i] !== b[i]) return false;
      return (p[31] & 0x7f) === b[31];
    });
  }

  /** y < p for the encoded point (bit 255 is the sign of x). */
  function canonicalPoint(p) {
    if ((p[31] & 0x7f) !== 0x7f) return true;
    for (let i = 30; i > 0; i--) if (p[i] !== 0xff) return true;
    return p[0] < 0xed;
  }

  function leToBig(bytes) {
    let n = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
    return n;
  }

  /** The checks every strict verifier agrees on, made before any curve arithmetic. */
  function precheck(pub, sig) {
    if (pub.length !== 32 || sig.length !== 64) return `public key is ${pub.length} bytes and signature ${sig.length}, want 32 and 64`;
    if (leToBig(sig.subarray(32)) >= L) return 'non-canonical signature (S ≥ L)';
    if (!canonicalPoint(pub)) return 'non-canonical public key encoding';
    if (smallOrder(pub)) return 'small-order public key';
    if (smallOrder(sig.subarray(0, 32))) return 'small-order R';
    return null;
  }

  /** Cofactorless RFC 8032 §5.1.7 verification with @noble/curves' point arithmetic:
   *  encode([S]B − [k]A) must equal R byte for byte, k = SHA-512(R ‖ A ‖ M) mod L. */
  function nobleVerify(pub, sig, msg) {
    const Point = noble.ed25519.ExtendedPoint;
    let A;
    try {
      A = Point.fromHex(pub, false); // strict: y < p, x recoverable
    } catch (e) {
      return false;
    }
    const s = leToBig(sig.subarray(32));
    const k = leToBig(noble.sha512(concat(sig.subarray(0, 32), pub, msg))) % L;
    const check = Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k));
    return equalBytes(check.toRawBytes(), sig.subarray(0, 32));
  }

  let webcryptoEd25519 = null; // null: not probed yet; then true or false
  const importedKeys = new Map();

  async function probeWebCrypto() {
    if (webcryptoEd25519 !== null) return webcryptoEd25519;
    webcryptoEd25519 = false;
    if (subtle) {
      try {
        // RFC 8032 §7.1 TEST 1: empty message.
        const pub = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
        const sig = fromHex('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b');
        const key = await subtle.importKey('raw', pub, { name: 'Ed25519' }, false, ['verify']);
        webcryptoEd25519 = await subtle.verify({ name: 'Ed25519' }, key, sig, new Uint8Array(0));
      } catch (e) {
        webcryptoEd25519 = false;
      }
    }
    backends.ed25519 = webcryptoEd25519 ? 'WebCrypto' : '@noble/curves (cofactorless, strict)';
    return webcryptoEd25519;
  }

  const verified = new Map(); // "pub|sig" -> message text that verified (never failures)

  /**
   * Ed25519 over `tag ‖ 0x00 ‖ message`; resolves to null if it verifies, else to the reason.
   * Strict like libsodium: S < L, canonical key, no small-order key or R, cofactorless check.
   */
  async function verifySignature(pubHex, sigHex, tag, messageText, options) {
    const cacheKey = pubHex + '|' + sigHex;
    const signed = tag + '\u0000' + messageText;
    if (verified.get(cacheKey) === signed) return null;
    const pub = fromHex(pubHex), sig = fromHex(sigHex);
    const pre = precheck(pub, sig);
    if (pre) return `signature does not verify under key ${await keyId(pubHex)} (${pre})`;
    const data = utf8(signed);
    const useWeb = !(options && options.noWebCrypto) && (await probeWebCrypto());
    let ok;
    if (useWeb) {
      try {
        let key = importedKeys.get(pubHex);
        if (!key) {
          key = await subtle.importKey('raw', pub, { name: 'Ed25519' }, false, ['verify']);
          importedKeys.set(pubHex, key);
        }
        ok = await subtle.verify({ name: 'Ed25519' }, key, sig, data);
      } catch (e) {
        ok = false;
      }
    } else {
      ok = nobleVerify(pub, sig, data);
    }
    if (!ok) return `signature does not verify under key ${await keyId(pubHex)}`;
    verified.set(cacheKey, signed);
    return null;
  }

  const keyIds = new Map();

  /** First 16 bytes of SHA-256(raw public key), 32 lowercase hex. */
  async function keyId(pubHex) {
    let k = keyIds.get(pubHex);
    if (!k) {
      k = toHex((await sha256(fromHex(pubHex))).subarray(0, 16));
      keyIds.set(pubHex, k);
    }
    return k;
  }

  // ------------------------------------------------------------------ times (docs/records.md)

  const TIME_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{3}|[0-9]{6}))?(Z|[+-][0-9]{2}:[0-9]{2})$/;
  const EARLIEST_US = Date.UTC(2000, 0, 1) * 1000;
  const LATEST_US = Date.UTC(2200, 0, 1) * 1000;

  function validDate(y, m, d) {
    if (m < 1 || m > 12 || d < 1) return false;
    const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return d <= dim;
  }

  /**
   * A time in its one canonical spelling; returns {text, us (microseconds since the epoch, the
   * instant), off (offset in minutes)}. Throws FormatError naming `field` otherwise.
   */
  function parseTime(text, field) {
    if (typeof text !== 'string') throw new FormatError('must be an RFC 3339 time string', field);
    const m = TIME_RE.exec(text);
    if (!m) throw new FormatError(`'${text}' is not an RFC 3339 time with offset`, field);
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
    const frac = m[7], off = m[8];
    let offMin = 0;
    if (off !== 'Z') {
      const oh = Number(off.slice(1, 3)), om = Number(off.slice(4, 6));
      if (oh > 23 || om > 59) throw new FormatError(`offset ${off} out of range`, field);
      offMin = (off[0] === '-' ? -1 : 1) * (oh * 60 + om);
    }
    if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) {
      throw new FormatError(`'${text}': not a valid date and time`, field);
    }
    const micro = frac ? Number(frac.padEnd(6, '0')) : 0;
    const us = (Date.UTC(y, mo - 1, d, h, mi, s) - offMin * 60000) * 1000 + micro;
    if (us < EARLIEST_US || us >= LATEST_US) throw new FormatError(`'${text}' is outside 2000..2199`, field);
    const canon = formatTime(us, offMin);
    if (canon !== text) throw new FormatError(`'${text}' is not in canonical form, write '${canon}'`, field);
    return { text, us, off: offMin };
  }

  const p2 = (n) => String(n).padStart(2, '0');

  /** Canonical text of an instant (microseconds) in an offset (minutes). */
  function formatTime(us, offMin) {
    const local = localParts(us, offMin);
    let text = `${local.date}T${p2(local.h)}:${p2(local.mi)}:${p2(local.s)}`;
    const micro = ((us % 1e6) + 1e6) % 1e6;
    if (micro) {
      const f = String(micro).padStart(6, '0');
      text += '.' + (f.endsWith('000') ? f.slice(0, 3) : f);
    }
    if (!offMin) return text + 'Z';
    const a = Math.abs(offMin);
    return `${text}${offMin < 0 ? '-' : '+'}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
  }

  /** Local calendar fields of an instant in an offset. */
  function localParts(us, offMin) {
    const ms = Math.floor(us / 1000) + offMin * 60000;
    const dt = new Date(ms);
    const y = dt.getUTCFullYear();
    return {
      date: `${String(y).padStart(4, '0')}-${p2(dt.getUTCMonth() + 1)}-${p2(dt.getUTCDate())}`,
      h: dt.getUTCHours(), mi: dt.getUTCMinutes(), s: dt.getUTCSeconds(),
    };
  }

  function parseDate(text, field) {
    if (typeof text !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text)) {
      throw new FormatError('must be a date YYYY-MM-DD', field);
    }
    const [y, m, d] = text.split('-').map(Number);
    if (!validDate(y, m, d)) throw new FormatError(`'${text}': not a valid date`, field);
    if (y < 2000 || y > 2199) throw new FormatError(`'${text}' is outside 2000..2199`, field);
    return text;
  }

  function parseMonth(text, field) {
    if (typeof text !== 'string' || !/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(text)) {
      throw new FormatError('must be a month YYYY-MM', field);
    }
    const y = Number(text.slice(0, 4));
    if (y < 2000 || y > 2199) throw new FormatError(`'${text}' is outside 2000..2199`, field);
    return text;
  }

  /** A value for an error message: JSON, with big integers as digits (JSON.stringify throws on
   *  a BigInt, which the strict parser gives for integers beyond 2^53). */
  function shown(v) {
    return JSON.stringify(v === undefined ? null : v, (k, x) => (typeof x === 'bigint' ? x.toString() : x));
  }

  SL.core = {
    shown, FormatError, ProofError, MAX_INT, MAX_NESTING, MAX_BUNDLE_BYTES, backends,
    utf8, toHex, fromHex, concat, equalBytes,
    loadJSON, canonical, canonicalBytes,
    sha256, hashLeaf, hashNode, verifyInclusion,
    verifySignature, nobleVerify, precheck, probeWebCrypto, keyId,
    parseTime, formatTime, localParts, parseDate, parseMonth,
  };
})(typeof globalThis !== 'undefined' ? globalThis : this);
