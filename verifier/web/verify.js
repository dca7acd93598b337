/*
 * siteledger verifier page: the bundle and its checks, in the order of docs/proof-format.md
 * ("Verification, in order"), the verdict, and the findings ("Findings: what the entries mean
 * together"). Written from the document; a report has the shape of `siteledger-verify --json`'s
 * reports: {source, kind, verdict, anchor_checked, unreadable, checks, findings, facts}.
 *
 * Classic script: globalThis.siteledger.verify(text, options) and window.siteledgerVerify.
 */
(function (root) {
  'use strict';
  const SL = root.siteledger;
  const C = SL.core;
  const R = SL.records;
  const { FormatError } = C;

  const FORMAT = 'siteledger-bundle';
  const VERSIONS = [1, 2];
  const KINDS = ['record', 'wage', 'presence'];
  const LIMITS = {
    path: 64, keys: 32, related: 1024, context: 16, run: 20000, pending: 20000, fields: 16,
    heads: 64, gates: 63, siblings: 256, ranges: 4096, witnessSets: 16, witnesses: 256, reason: 2000,
  };
  const RECORD_TAG = 'siteledger/record/v1';
  const RECEIPT_TAG = 'siteledger/receipt/v1';
  const IDENTITY_TAG = 'siteledger/identity/v1';
  const CHAIN_CHECKS = ['chain.network', 'chain.contract', 'chain.root', 'chain.event', 'chain.block', 'chain.confirmations', 'chain.witnesses'];
  const MONTH_MARGIN_US = 38 * 3600 * 1e6;
  const CLOCK_SKEW_US = 300 * 1e6; // operator's clock against the block producer's

  const HEX32 = /^[0-9a-f]{64}$/;
  const ADDRESS = /^0x[0-9a-f]{40}$/;
  const HASH0X = /^0x[0-9a-f]{64}$/;
  const SUBJECT = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;
  const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
  const KEY_ID = /^[0-9a-f]{32}$/;
  const SIG = /^[0-9a-f]{128}$/;
  const HEAD_KEY = /^(subject\/[A-Za-z0-9][A-Za-z0-9._-]{2,63}|device\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}\/[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/;
  const HEAD_TAG = 'siteledger/batch-head/v1';
  const GATES_TAG = 'siteledger/gates/v1';
  const DEFAULT_ALLOWANCE_DAYS = 7;
  const SHIFT_US = 16 * 3600 * 1e6;

  // ------------------------------------------------------------------ witnesses (BLS12-381)

  /** The witnesses' signatures (docs/witnesses.md): IETF BLS, proof-of-possession scheme, with
   *  the vendored @noble/curves bls12-381; results remembered per page (a site's bundles repeat
   *  one set). */
  const W = (() => {
    const SIG_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
    const POP_DST = 'BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
    const TAG = 'siteledger/witness/v1';
    const memo = new Map();
    const remember = (key, fn) => {
      if (!memo.has(key)) {
        let ok = false;
        try { ok = fn() === true; } catch (e) { ok = false; }
        if (memo.size > 4096) memo.clear();
        memo.set(key, ok);
      }
      return memo.get(key);
    };
    const bls = () => root.siteledgerNoble.bls12_381;
    const uint = (v, bytes) => {
      const out = new Uint8Array(bytes);
      let x = BigInt(v);
      for (let i = bytes - 1; i >= 0; i--) { out[i] = Number(x & 0xffn); x >>= 8n; }
      return out;
    };
    return {
      popOk: (pk, pop) => remember(`pop ${pk} ${pop}`, () => bls().verify(pop, C.fromHex(pk), pk, { DST: POP_DST })),
      aggregateOk: (pks, msg, sig) => remember(`agg ${pks.join(',')} ${C.toHex(msg)} ${sig}`,
        () => bls().verify(sig, msg, bls().aggregatePublicKeys(pks), { DST: SIG_DST })),
      /** The 162 bytes a witness signs for a batch. */
      message: (chainId, contract, batchNo, root, headsRoot, firstSeq, size) => C.concat(
        C.utf8(TAG), new Uint8Array([0]), uint(chainId, 32), C.fromHex(contract.slice(2)), uint(batchNo, 8),
        C.fromHex(root), C.fromHex(headsRoot), uint(firstSeq, 8), uint(size, 8)),
    };
  })();

  // ------------------------------------------------------------------ structure

  const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array'
    : typeof v === 'number' || typeof v === 'bigint' ? 'integer' : typeof v === 'boolean' ? 'boolean'
      : typeof v === 'string' ? 'string' : 'object');
  const join = (p, k) => (p ? `${p}.${k}` : k);

  function obj(v, path, required, optional = []) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new FormatError(`must be an object, got ${typeName(v)}`, path);
    for (const k of Object.keys(v)) {
      if (!required.includes(k) && !optional.includes(k)) throw new FormatError('unknown field', join(path, k));
    }
    for (const k of required) if (!(k in v)) throw new FormatError('required field is missing', join(path, k));
    return v;
  }

  function int(v, path, lo = 0, hi = C.MAX_INT) {
    if (typeof v === 'bigint') throw new FormatError(`${v} outside ${lo}..${hi}`, path);
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new FormatError(`must be an integer, got ${typeName(v)}`, path);
    if (v < lo || v > hi) throw new FormatError(`${v} outside ${lo}..${hi}`, path);
    return v;
  }

  /** A time the bundle's builder writes, in UTC (docs/proof-format.md, conventions):
   *  issued_at and an anchor's block_time. Records keep the offset their signer used. */
  function utcTime(v, path) {
    const t = C.parseTime(v, path);
    if (!v.endsWith('Z')) throw new FormatError(`'${v}' is not written in UTC (Z)`, path);
    return t;
  }

  // A lone surrogate (a JSON escape such as \ud800) is no Unicode text; lengths count code
  // points, as the Python verifier does (not UTF-16 units).
  const SURROGATE = /\p{Cs}/u;
  const codePoints = (v) => (v.length > 0 ? [...v].length : 0);
  const BLANK = /^[\t\n\r \u3000]*$/; // "not only spaces": the Python verifier's BLANK

  function str(v, path, pattern = null, maxLen = 256) {
    if (typeof v !== 'string') throw new FormatError(`must be a string, got ${typeName(v)}`, path);
    if (SURROGATE.test(v)) throw new FormatError('holds an unpaired surrogate (not Unicode text)', path);
    if (v.length > maxLen && codePoints(v) > maxLen) throw new FormatError(`longer than ${maxLen} characters`, path);
    if (pattern && !pattern.test(v)) throw new FormatError(`'${v.slice(0, 80)}' does not match ${pattern.source}`, path);
    return v;
  }

  function list(v, path, max) {
    if (!Array.isArray(v)) throw new FormatError(`must be an array, got ${typeName(v)}`, path);
    if (v.length > max) throw new FormatError(`${v.length} items, limit ${max}`, path);
    return v;
  }

  /** An item's batch: version 1, the four unsigned members; version 2, the operator's signed
   *  batch head (docs/proof-format.md, "Signed batch heads"). */
  function parseBatch(v, path, version) {
    if (version === 1) {
      const b = obj(v, path, ['batch_no', 'first_seq', 'size', 'root']);
      return {
        batch_no: int(b.batch_no, `${path}.batch_no`), first_seq: int(b.first_seq, `${path}.first_seq`),
        size: int(b.size, `${path}.size`, 1), root: str(b.root, `${path}.root`, HEX32, 64),
        heads_root: null, sealed_at: null, log: null, sig: null,
      };
    }
    const b = obj(v, path, ['v', 'batch_no', 'first_seq', 'size', 'root', 'heads_root', 'sealed_at', 'log', 'sig']);
    if (b.v !== 2) throw new FormatError(`unknown batch head version ${C.shown(b.v)}, want 2`, `${path}.v`);
    return {
      batch_no: int(b.batch_no, `${path}.batch_no`), first_seq: int(b.first_seq, `${path}.first_seq`),
      size: int(b.size, `${path}.size`, 1), root: str(b.root, `${path}.root`, HEX32, 64),
      heads_root: str(b.heads_root, `${path}.heads_root`, HEX32, 64),
      sealed_at: C.parseTime(b.sealed_at, `${path}.sealed_at`),
      log: str(b.log, `${path}.log`, KEY_ID, 32), sig: str(b.sig, `${path}.sig`, SIG, 128),
    };
  }

  /** The signed body of a version 2 batch head (the head without `sig`). */
  function headBody(b) {
    return { v: 2, batch_no: b.batch_no, first_seq: b.first_seq, size: b.size, root: b.root,
      heads_root: b.heads_root, sealed_at: b.sealed_at.text, log: b.log };
  }

  const BITMAP = /^[1-9a-f][0-9a-f]{0,63}$/;
  const SIG96 = /^[0-9a-f]{192}$/;

  /** (v2, optional) anchor.witnesses: the quorum the batch was anchored with, or the mark that
   *  it was anchored without one (docs/proof-format.md, "Witnesses"). */
  function parseAnchorWitnesses(v, path) {
    const o = obj(v, path, ['status', 'set'], ['bitmap', 'signature', 'reason']);
    const set = int(o.set, `${path}.set`, 0, LIMITS.witnessSets - 1);
    if (o.status === 'witnessed') {
      obj(v, path, ['status', 'set', 'bitmap', 'signature']);
      return { status: 'witnessed', set, bitmap: str(o.bitmap, `${path}.bitmap`, BITMAP, 64),
        signature: str(o.signature, `${path}.signature`, SIG96, 192) };
    }
    if (o.status === 'unwitnessed') {
      obj(v, path, ['status', 'set', 'reason']);
      const reason = str(o.reason, `${path}.reason`, null, LIMITS.reason);
      if (BLANK.test(reason)) throw new FormatError('must say why no quorum confirmed the batch', `${path}.reason`);
      return { status: 'unwitnessed', set, reason };
    }
    throw new FormatError(`is ${JSON.stringify(o.status === undefined ? null : o.status)}, want 'witnessed' or 'unwitnessed'`, `${path}.status`);
  }

  /** The bundle's witness sets (docs/witnesses.md, "Witness sets"). */
  function parseWitnessSets(v) {
    const sets = list(v, 'witness_sets', LIMITS.witnessSets);
    if (!sets.length) throw new FormatError('holds at least one witness set (omit it when no anchor names one)', 'witness_sets');
    return sets.map((ws, i) => {
      const where = `witness_sets[${i}]`;
      const o = obj(ws, where, ['threshold', 'witnesses']);
      if (!Array.isArray(o.witnesses)) throw new FormatError('must be a list', `${where}.witnesses`);
      const n = o.witnesses.length;
      if (n < 1 || n > LIMITS.witnesses) throw new FormatError(`want 1 to ${LIMITS.witnesses} members, got ${n}`, `${where}.witnesses`);
      const members = o.witnesses.map((m, j) => {
        const at = `${where}.witnesses[${j}]`;
        obj(m, at, ['name', 'public_key', 'pop']);
        if (typeof m.name !== 'string' || SURROGATE.test(m.name) || m.name.length < 1 || codePoints(m.name) > 128) throw new FormatError('must be a string of 1 to 128 characters', `${at}.name`);
        if (typeof m.public_key !== 'string' || !/^[0-9a-f]{96}$/.test(m.public_key)) throw new FormatError('must be 48 bytes of lowercase hex', `${at}.public_key`);
        if (typeof m.pop !== 'string' || !SIG96.test(m.pop)) throw new FormatError('must be 96 bytes of lowercase hex', `${at}.pop`);
        return { name: m.name, public_key: m.public_key, pop: m.pop };
      });
      const t = o.threshold;
      if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > n) throw new FormatError(`must be an integer from 1 to ${n}`, `${where}.threshold`);
      if (new Set(members.map((m) => m.public_key)).size !== n) throw new FormatError('a public key appears twice', `${where}.witnesses`);
      return { threshold: t, members };
    });
  }

  /** Every anchor's witnesses.set names a set of witness_sets, and every set is named. */
  function witnessRefs(b) {
    const named = new Set();
    const anchors = allItems(b).map((i) => [`${i.where}.anchor`, i.anchor]);
    if (b.checkpoint) anchors.push(['checkpoint.anchor', b.checkpoint.anchor]);
    for (const [where, a] of anchors) {
      if (!a.witnesses) continue;
      if (a.witnesses.set >= b.witness_sets.length) throw new FormatError(`names witness set ${a.witnesses.set}, the bundle has ${b.witness_sets.length}`, `${where}.witnesses.set`);
      named.add(a.witnesses.set);
    }
    for (let i = 0; i < b.witness_sets.length; i++) if (!named.has(i)) throw new FormatError('no anchor names this set', `witness_sets[${i}]`);
    return b;
  }

  function parseAnchor(v, path, version) {
    const a = obj(v, path, ['chain_id', 'contract', 'tx_hash', 'block_number', 'block_hash', 'block_time'], version >= 2 ? ['registry', 'witnesses'] : []);
    return {
      chain_id: int(a.chain_id, `${path}.chain_id`, 1),
      contract: str(a.contract, `${path}.contract`, ADDRESS, 42),
      tx_hash: str(a.tx_hash, `${path}.tx_hash`, HASH0X, 66),
      block_number: int(a.block_number, `${path}.block_number`),
      block_hash: str(a.block_hash, `${path}.block_hash`, HASH0X, 66),
      block_time: utcTime(a.block_time, `${path}.block_time`),
      registry: 'registry' in a ? int(a.registry, `${path}.registry`, 1, 2) : 1,
      witnesses: 'witnesses' in a ? parseAnchorWitnesses(a.witnesses, `${path}.witnesses`) : null,
    };
  }

  /** A proven item, decoded (nothing hashed yet). */
  function parseItem(v, path, version) {
    const o = obj(v, path, ['entry', 'leaf_hash', 'batch', 'inclusion', 'anchor']);
    const leafHash = str(o.leaf_hash, `${path}.leaf_hash`, HEX32, 64);
    const entry = R.decodeEntry(o.entry, `${path}.entry`);
    const batch = parseBatch(o.batch, `${path}.batch`, version);
    const inc = obj(o.inclusion, `${path}.inclusion`, ['index', 'path']);
    const nodes = list(inc.path, `${path}.inclusion.path`, LIMITS.path);
    const anchor = parseAnchor(o.anchor, `${path}.anchor`, version);
    // a version 2 bundle relabelled as version 1 would escape the checkpoint and the signed
    // heads: version 1 bundles were only ever built of version 1 records
    if (version === 1 && entry.record.v !== 1) {
      throw new FormatError(`a version 1 bundle holds version 1 records only, not version ${entry.record.v}`, `${path}.entry.record.v`);
    }
    return {
      where: path, entry, seq: entry.seq, leaf_hash: leafHash, batch,
      index: int(inc.index, `${path}.inclusion.index`),
      path: nodes.map((h, i) => str(h, `${path}.inclusion.path[${i}]`, HEX32, 64)),
      anchor, raw: v,
    };
  }

  /** A checkpoint head claim: {key, value (null: absent), proof}. */
  function parseHeadClaim(v, path) {
    const o = obj(v, path, ['key', 'value', 'proof']);
    const key = str(o.key, `${path}.key`, HEAD_KEY, 140);
    let value = null;
    if (o.value !== null) {
      const x = obj(o.value, `${path}.value`, ['counter', 'seq', 'leaf_hash']);
      value = { counter: int(x.counter, `${path}.value.counter`), seq: int(x.seq, `${path}.value.seq`),
        leaf_hash: str(x.leaf_hash, `${path}.value.leaf_hash`, HEX32, 64) };
    }
    if (o.proof !== null && typeof o.proof === 'object' && !Array.isArray(o.proof) && 'v' in o.proof) {
      return { where: path, key, value, proof: SL.heads.decodeProof(o.proof, `${path}.proof`) }; // form 2
    }
    const p = obj(o.proof, `${path}.proof`, ['siblings', 'leaf']); // form 1: every sibling in hex
    const siblings = list(p.siblings, `${path}.proof.siblings`, LIMITS.siblings).map((h, i) => str(h, `${path}.proof.siblings[${i}]`, HEX32, 64));
    let leaf = null;
    if (p.leaf !== null) {
      const l = obj(p.leaf, `${path}.proof.leaf`, ['key_hash', 'value_hash']);
      leaf = { key_hash: str(l.key_hash, `${path}.proof.leaf.key_hash`, HEX32, 64), value_hash: str(l.value_hash, `${path}.proof.leaf.value_hash`, HEX32, 64) };
    }
    return { where: path, key, value, proof: { siblings, leaf } };
  }

  /** A gate counter statement: the device_seq values the log holds for a gate in a window,
   *  as ascending, non-adjacent inclusive ranges, signed by the operator. */
  function parseGate(v, path) {
    const o = obj(v, path, ['statement', 'sig']);
    const sp = `${path}.statement`;
    const st = obj(o.statement, sp, ['v', 'project', 'device', 'from', 'until', 'as_of_batch', 'log', 'ranges']);
    if (st.v !== 2) throw new FormatError(`unknown gate statement version ${C.shown(st.v)}, want 2`, `${sp}.v`);
    const ranges = [];
    let prev = -2; // device_seq 0 is a valid first number
    list(st.ranges, `${sp}.ranges`, LIMITS.ranges).forEach((r, i) => {
      const rp = `${sp}.ranges[${i}]`;
      const ro = obj(r, rp, ['first', 'first_time', 'last', 'last_time']);
      const first = int(ro.first, `${rp}.first`), last = int(ro.last, `${rp}.last`);
      if (last < first) throw new FormatError(`last ${last} before first ${first}`, rp);
      if (first <= prev + 1) throw new FormatError(`range starts at ${first}, not after the previous one ending at ${prev} with a gap`, rp);
      prev = last;
      ranges.push({ first, first_time: C.parseTime(ro.first_time, `${rp}.first_time`), last, last_time: C.parseTime(ro.last_time, `${rp}.last_time`) });
    });
    return {
      where: path, body: st, project: str(st.project, `${sp}.project`, CODE, 64), device: str(st.device, `${sp}.device`, CODE, 64),
      from: C.parseTime(st.from, `${sp}.from`), until: C.parseTime(st.until, `${sp}.until`),
      as_of_batch: int(st.as_of_batch, `${sp}.as_of_batch`), log: str(st.log, `${sp}.log`, KEY_ID, 32),
      ranges, sig: str(o.sig, `${path}.sig`, SIG, 128),
    };
  }

  function parseCheckpoint(v) {
    const o = obj(v, 'checkpoint', ['batch', 'anchor', 'heads', 'gates']);
    const heads = list(o.heads, 'checkpoint.heads', LIMITS.heads);
    const gates = list(o.gates, 'checkpoint.gates', LIMITS.gates);
    return {
      batch: parseBatch(o.batch, 'checkpoint.batch', 2),
      anchor: parseAnchor(o.anchor, 'checkpoint.anchor', 2),
      heads: heads.map((h, i) => parseHeadClaim(h, `checkpoint.heads[${i}]`)),
      gates: gates.map((g, i) => parseGate(g, `checkpoint.gates[${i}]`)),
    };
  }

  // Decoded key items and their leaf hash and inclusion result, keyed by position and the
  // item's canonical text, so bundles of one site check their shared key chain once.
  const itemCache = new Map();

  function items(v, path, max, cache, version) {
    return list(v, path, max).map((x, i) => {
      const where = `${path}[${i}]`;
      if (!cache) return parseItem(x, where, version);
      let text;
      try { text = `${version}|${where}|${C.canonical(x)}`; } catch (e) { return parseItem(x, where, version); }
      const hit = itemCache.get(text);
      if (hit) return hit;
      const item = parseItem(x, where, version);
      item.cacheKey = text;
      if (itemCache.size > 4096) itemCache.clear();
      itemCache.set(text, item);
      return item;
    });
  }

  const BY_KIND = {
    record: [['record', 'receipt'], ['disclosure']],
    wage: [['subject', 'project', 'pay_month', 'run'], []],
    presence: [['subject', 'project', 'at', 'run'], []],
  };
  const COMMON = ['format', 'version', 'kind', 'issued_at', 'operator_key', 'keys', 'related', 'context'];

  /** Check the structure of a decoded bundle and decode its entries; throws FormatError. */
  function parseBundle(value) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new FormatError(`a bundle is a JSON object, got ${typeName(value)}`, 'bundle');
    }
    if (value.format !== FORMAT) throw new FormatError(`is ${JSON.stringify(value.format === undefined ? null : value.format)}, want '${FORMAT}'`, 'format');
    const version = value.version;
    if (typeof version !== 'number' || !VERSIONS.includes(version)) {
      throw new FormatError(`unknown version ${JSON.stringify(version === undefined ? null : typeof version === 'bigint' ? String(version) : version)}: this verifier reads version ${VERSIONS.join(', ')} only`, 'version');
    }
    const kind = value.kind;
    if (!KINDS.includes(kind)) throw new FormatError(`unknown kind ${JSON.stringify(kind === undefined ? null : kind)}, want one of ${KINDS.join(', ')}`, 'kind');
    const [required0, optional] = BY_KIND[kind];
    const required = version >= 2 && kind !== 'record' ? required0.concat(['checkpoint']) : required0;
    obj(value, '', COMMON.concat(required), ['pending', 'explorer'].concat(optional, version >= 2 ? ['witness_sets'] : []));
    let explorer = null;
    if ('explorer' in value) {
      const e = obj(value.explorer, 'explorer', ['tx_url']);
      explorer = str(e.tx_url, 'explorer.tx_url', /\{tx\}/, 512);
    }
    const b = {
      kind, version,
      issued_at: utcTime(value.issued_at, 'issued_at'),
      operator_key: str(value.operator_key, 'operator_key', HEX32, 64),
      keys: items(value.keys, 'keys', LIMITS.keys, true, version),
      related: items(value.related, 'related', LIMITS.related, false, version),
      context: items(value.context, 'context', LIMITS.context, false, version),
      pending: list(value.pending === undefined ? [] : value.pending, 'pending', LIMITS.pending).map((p, i) => {
        const w = `pending[${i}]`;
        const o = obj(p, w, ['seq', 'type', 'leaf_hash']);
        const type = str(o.type, `${w}.type`, CODE, 16);
        if (!R.RECORD_TYPES.has(type)) throw new FormatError(`'${type}' is not a record type`, `${w}.type`);
        return { seq: int(o.seq, `${w}.seq`), type, leaf_hash: str(o.leaf_hash, `${w}.leaf_hash`, HEX32, 64) };
      }),
      explorer_tx_url: explorer,
      record: null, receipt: null, disclosure: null, subject: null, project: null, run: [], pay_month: null, at: null,
      checkpoint: null,
      witness_sets: 'witness_sets' in value ? parseWitnessSets(value.witness_sets) : [],
    };
    if (kind === 'record') {
      b.record = parseItem(value.record, 'record', version);
      b.receipt = R.decodeReceipt(value.receipt);
      if ('disclosure' in value) b.disclosure = parseDisclosure(value.disclosure);
    } else {
      b.subject = str(value.subject, 'subject', SUBJECT, 64);
      b.project = str(value.project, 'project', CODE, 64);
      b.run = items(value.run, 'run', LIMITS.run, false, version);
      if (!b.run.length) throw new FormatError('a run holds at least one entry', 'run');
      if (version >= 2) b.checkpoint = parseCheckpoint(value.checkpoint);
      if (kind === 'wage') b.pay_month = C.parseMonth(value.pay_month, 'pay_month');
      else b.at = C.parseTime(value.at, 'at');
    }
    return witnessRefs(b);
  }

  function parseDisclosure(v) {
    const o = obj(v, 'disclosure', ['subject', 'enrollment_seq', 'fields', 'salt']);
    const f = o.fields;
    if (f === null || typeof f !== 'object' || Array.isArray(f)) throw new FormatError(`must be an object, got ${typeName(f)}`, 'disclosure.fields');
    const keys = Object.keys(f);
    if (keys.length > LIMITS.fields) throw new FormatError(`${keys.length} fields, limit ${LIMITS.fields}`, 'disclosure.fields');
    const fields = {};
    for (const k of keys) {
      str(k, 'disclosure.fields', CODE, 64);
      fields[k] = str(f[k], `disclosure.fields.${k}`);
    }
    return {
      subject: str(o.subject, 'disclosure.subject', SUBJECT, 64),
      enrollment_seq: int(o.enrollment_seq, 'disclosure.enrollment_seq'),
      fields, salt: str(o.salt, 'disclosure.salt', HEX32, 64),
    };
  }

  function allItems(b) {
    const head = b.record ? [b.record] : b.run;
    return head.concat(b.keys, b.related, b.context);
  }

  // ------------------------------------------------------------------ helpers

  const describe = (item) => `${item.where} (seq ${item.seq}, ${item.entry.record.type} ${item.entry.record.id})`;

  function yuan(fen) {
    if (fen < 0) return '-' + yuan(-fen);
    const whole = Math.floor(fen / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return `${whole}.${String(fen % 100).padStart(2, '0')}`;
  }
  const hm = (m) => `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}`;

  function subjectOf(rec) {
    return typeof rec.subject === 'string' ? rec.subject : null;
  }

  function names(rec) {
    const out = [];
    for (const n of ['target', 'replacement', 'wage']) if (typeof rec[n] === 'string') out.push(rec[n]);
    return out;
  }

  // ------------------------------------------------------------------ one bundle

  class Run {
    constructor(b, opts) {
      this.b = b;
      this.opts = opts;
      this.checks = [];
      this.findings = [];
      this.facts = { kind: b.kind };
      this.state = new Map(); // where -> {leaf, errors}
      this.grants = new Map(); // key id -> grant
      this.keyItems = new Map(); // key id -> registration item
      this.keyErrors = [];
      this.full = new Map();
    }

    add(name, status, detail = '') {
      this.checks.push({ name, status, detail });
    }

    leaf(item) {
      return this.state.get(item.where).leaf;
    }

    /** Step 2 for every item: leaf hash, index, inclusion. */
    async basics() {
      await Promise.all(allItems(this.b).map(async (item) => {
        if (item.derived) { this.state.set(item.where, item.derived); return; }
        const leafBytes = await C.hashLeaf(C.canonicalBytes(item.entry.raw));
        const leaf = C.toHex(leafBytes);
        const errors = [];
        if (leaf !== item.leaf_hash) errors.push(`leaf hash: calculated ${leaf}, bundle states ${item.leaf_hash}`);
        const bt = item.batch;
        const want = item.seq - bt.first_seq;
        if (item.index !== want) {
          errors.push(`leaf index ${item.index}, but seq ${item.seq} is at index ${want} of batch ${bt.batch_no} (first seq ${bt.first_seq})`);
        } else {
          try {
            await C.verifyInclusion(leafBytes, item.index, bt.size, item.path.map(C.fromHex), C.fromHex(bt.root));
          } catch (e) {
            if (!(e instanceof C.ProofError)) throw e;
            errors.push(`inclusion in batch ${bt.batch_no}: ${e.message}`);
          }
        }
        const st = { leaf, errors };
        if (item.cacheKey) item.derived = st;
        this.state.set(item.where, st);
      }));
    }

    async signature(item) {
      const rec = item.entry.record;
      const reg = this.keyItems.get(rec.signer);
      if (!reg) return `no registration of its signer ${rec.signer} in the bundle's keys`;
      return this.sigUnder(item, reg.entry.record.public_key);
    }

    async sigUnder(item, pubHex) {
      const err = await C.verifySignature(pubHex, item.entry.sig, RECORD_TAG, C.canonical(item.entry.raw.record), this.opts);
      return err ? `record signature: ${err}` : null;
    }

    authorised(item, ignoreRevocation = false) {
      const rec = item.entry.record;
      let g = this.grants.get(rec.signer);
      if (!g) return `signer ${rec.signer} has no valid registration in the bundle`;
      if (ignoreRevocation) g = Object.assign({}, g, { revoked_seq: null });
      const why = R.authorise(g, rec, item.seq);
      if (why || rec.v < 2) return why;
      return this.v2Rules(item, g);
    }

    /** Format version 2 records (docs/records.md): judged on the operator's receipt time, the
     *  key's validity plus the project's sync allowance, and an ack of a publication only
     *  within its objection window. */
    v2Rules(item, g) {
      const rec = item.entry.record, got = item.entry.received_at;
      if (g.valid_until) {
        // docs/records.md rule 3b: the allowance of the project record registered earlier in
        // the log; 7 days for a record without a project and for the project record itself
        const earlier = allItems(this.b).filter((i) => i.seq < item.seq);
        const days = rec.type === 'project' || rec.project === undefined ? DEFAULT_ALLOWANCE_DAYS : allowanceDays(earlier, rec.project);
        if (got.us > g.valid_until.us + days * 86400e6) {
          return `received at ${got.text}, after its signer's key expired (${g.valid_until.text}) plus the sync allowance of ${days} days`;
        }
      }
      if (rec.type === 'ack') {
        const pub = this.byLeaf().get(rec.target);
        if (pub && pub.entry.record.type === 'publication') {
          const p = pub.entry.record;
          const closes = p.time.us + p.objection_days * 86400e6;
          if (got.us > closes) {
            return `an acknowledgement of the publication at seq ${pub.seq} received at ${got.text}, after its objection window closed at ${C.formatTime(closes, 0)}`;
          }
        }
      }
      return this.linkProblem(item);
    }

    /** `unknown-target` and `wrong-subject` of docs/records.md, for the named entries the bundle
     *  holds: a correction or approval from another project, or about another worker, must not
     *  void, amend or approve anything (the ledger refuses to log it). */
    linkProblem(item) {
      const rec = item.entry.record;
      for (const name of names(rec).sort()) {
        const other = this.byLeaf().get(name);
        if (!other) continue;
        const o = other.entry.record;
        const op = typeof o.project === 'string' ? o.project : null, rp = typeof rec.project === 'string' ? rec.project : null;
        if (op !== rp) return `names the entry at seq ${other.seq} of project ${op}, not of its own project ${rp}`;
        const os = subjectOf(o);
        if (os !== null && os !== subjectOf(rec)) return `names the entry at seq ${other.seq} about ${os}, but is about ${subjectOf(rec) || 'no worker'}`;
      }
      return null;
    }

    byLeaf() {
      if (!this.leaves) this.leaves = new Map(allItems(this.b).map((i) => [this.leaf(i), i]));
      return this.leaves;
    }

    /** Every problem of a non-key item: leaf, inclusion, signature, authorisation. */
    async fullErrors(item) {
      let hit = this.full.get(item.where);
      if (!hit) {
        hit = this.state.get(item.where).errors.slice();
        for (const e of [await this.signature(item), this.authorised(item)]) if (e) hit.push(e);
        this.full.set(item.where, hit);
      }
      return hit.slice();
    }

    // ---------------------------------------------------------------- keys (step 4)

    async replayKeys() {
      const seen = new Map();
      const sorted = this.b.keys.slice().sort((x, y) => x.seq - y.seq);
      for (const item of sorted) {
        if (seen.has(item.seq)) {
          const other = seen.get(item.seq);
          if (this.leaf(other) !== this.leaf(item)) this.keyErrors.push(`${item.where} and ${other.where} both claim seq ${item.seq}`);
          continue;
        }
        seen.set(item.seq, item);
        const err = await this.keyItem(item);
        if (err) this.keyErrors.push(`${describe(item)}: ${err}`);
      }
    }

    async keyItem(item) {
      const rec = item.entry.record;
      if (rec.type !== 'key') return `a ${rec.type} record in the keys`;
      const basic = this.state.get(item.where).errors;
      if (basic.length) return basic.join('; ');
      const kid = await C.keyId(rec.public_key);
      if (rec.action === 'register') {
        if (this.keyItems.has(kid)) return `key ${kid} is registered twice`;
        this.keyItems.set(kid, item); // even if invalid: lets signatures be checked and named
        if (rec.signer === kid) {
          if (item.seq !== 0) return `self-signed key registration at seq ${item.seq}: only the genesis (seq 0) is`;
          if (!rec.roles.includes('operator') || rec.projects.length) return 'the genesis key must have the operator role for every project';
          const err = await this.sigUnder(item, rec.public_key);
          if (!err) this.grants.set(kid, R.grantOf(rec, kid, 0));
          return err;
        }
        const [signer, err] = await this.keySigner(item, rec);
        if (!signer) return err;
        this.grants.set(kid, R.grantOf(rec, kid, item.seq));
        return null;
      }
      const target = this.grants.get(kid);
      if (!target) return `revokes key ${kid}, which has no valid earlier registration in the bundle`;
      const [signer, err] = await this.keySigner(item, rec);
      if (!signer) return err;
      const why = R.authoriseRevocation(signer, target);
      if (why) return why;
      if (target.revoked_seq !== null) return `key ${kid} is revoked twice (seq ${target.revoked_seq} and ${item.seq})`;
      this.grants.set(kid, Object.assign({}, target, { revoked_seq: item.seq }));
      return null;
    }

    async keySigner(item, rec) {
      const signer = this.grants.get(rec.signer);
      if (!signer) return [null, `signed by ${rec.signer}, which has no valid earlier registration`];
      const err = await this.sigUnder(item, signer.public_key);
      if (err) return [null, err];
      const why = R.authorise(signer, rec, item.seq);
      if (why) return [null, why];
      return [signer, null];
    }

    keyChain(kid) {
      const out = [];
      while (this.keyItems.has(kid) && out.length < 16) {
        const item = this.keyItems.get(kid);
        const rec = item.entry.record;
        const g = this.grants.get(kid);
        out.push({
          key_id: kid, holder: rec.holder, roles: rec.roles.slice(), projects: rec.projects.slice(),
          registered_seq: item.seq, registered_by: rec.signer,
          valid_from: rec.valid_from ? rec.valid_from.text : null,
          valid_until: rec.valid_until ? rec.valid_until.text : null,
          revoked_seq: g ? g.revoked_seq : null,
        });
        if (rec.signer === kid) break;
        kid = rec.signer;
      }
      return out;
    }

    keysCheck() {
      if (this.keyErrors.length) this.add('keys', 'failed', this.keyErrors.join('; '));
      else this.add('keys', 'passed', `${this.b.keys.length} key entries replay in log order to the genesis root key`);
    }

    // ---------------------------------------------------------------- the checks

    async report(source) {
      const b = this.b;
      this.add('format', 'passed', `${b.kind} bundle, version ${b.version}, ${allItems(b).length} proven entries`);
      this.uniqueCheck();
      await this.basics();
      await this.replayKeys();
      if (b.version >= 2) await this.headsCheck();
      if (b.kind === 'record') await this.recordChecks();
      else await this.runChecks();
      this.anchorConsistency();
      this.blockTimeCheck();
      this.witnessesCheck();
      if (b.checkpoint) await this.checkpointChecks();
      await this.relatedCheck();
      await this.contextCheck();
      if (b.kind === 'record') await this.disclosureCheck();
      const anchorChecked = await this.chainChecks();
      this.coverage();
      this.pendingFinding();
      this.facts.batches = this.batchFacts();
      if (this.checks.some((c) => c.status === 'failed')) this.findings = [];
      return makeReport(source, b.kind, this.checks, this.findings, anchorChecked, false, this.facts);
    }

    async recordChecks() {
      const item = this.b.record;
      const rec = item.entry.record;
      const err = await this.signature(item);
      this.add('record.signature', err ? 'failed' : 'passed', err || `Ed25519 signature of key ${rec.signer} over the record verifies`);
      const chain = this.keyChain(rec.signer);
      this.facts.signer = chain;
      this.keysCheck();
      const g = this.grants.get(rec.signer);
      if (g) {
        this.add('signer.registered', 'passed', 'registered: ' + chain.map((k) => `${k.holder} (seq ${k.registered_seq})`).join(' ← '));
        const why = this.authorised(item, true);
        this.add('signer.authorised', why ? 'failed' : 'passed', why || authorisedDetail(g, rec));
        if (g.revoked_seq !== null && item.seq > g.revoked_seq) {
          this.add('signer.not_revoked', 'failed', `key ${rec.signer} was revoked at seq ${g.revoked_seq}, before this record at seq ${item.seq}`);
        } else if (g.revoked_seq !== null) {
          this.add('signer.not_revoked', 'passed', `revoked later, at seq ${g.revoked_seq}; revocation is not retroactive, so this record at seq ${item.seq} stands`);
        } else {
          this.add('signer.not_revoked', 'passed', 'no revocation of the key in the bundle');
        }
      } else {
        const why = this.keyErrors.find((e) => e.includes(rec.signer)) || '';
        this.add('signer.registered', 'failed', `no valid registration of key ${rec.signer} in the bundle` + (why ? `: ${why}` : ''));
        this.add('signer.authorised', 'skipped', "the signer's key is not registered");
        this.add('signer.not_revoked', 'skipped', "the signer's key is not registered");
      }
      const st = this.state.get(item.where);
      const leafOk = st.leaf === item.leaf_hash;
      this.add('record.leaf_hash', leafOk ? 'passed' : 'failed',
        leafOk ? `SHA-256(0x00 ‖ canonical entry) = ${st.leaf}` : `calculated ${st.leaf}, bundle states ${item.leaf_hash}`);
      const inc = st.errors.filter((e) => !e.startsWith('leaf hash:'));
      this.add('record.inclusion', inc.length ? 'failed' : 'passed',
        inc.join('; ') || `leaf ${item.index} of ${item.batch.size} in batch ${item.batch.batch_no} leads to root ${item.batch.root}`);
      await this.receiptCheck(item);
      this.facts.record = {
        seq: item.seq, type: rec.type, id: rec.id, time: rec.time.text, received_at: item.entry.received_at.text,
        leaf_hash: st.leaf, project: rec.project || null, subject: subjectOf(rec), fields: item.entry.raw.record,
        batch_no: item.batch.batch_no, subject_seq: item.entry.subject_seq,
      };
    }

    async receiptCheck(item) {
      const r = this.b.receipt;
      const op = this.b.operator_key;
      const problems = [];
      const opId = await C.keyId(op);
      if (opId !== r.log) problems.push(`receipt names log key ${r.log}, operator_key is ${opId}`);
      if (r.seq !== item.seq) problems.push(`receipt is for seq ${r.seq}, the record is at seq ${item.seq}`);
      if (r.leaf_hash !== this.leaf(item)) problems.push(`receipt leaf hash ${r.leaf_hash} is not the entry's ${this.leaf(item)}`);
      if (r.received_at.text !== item.entry.received_at.text) {
        problems.push(`receipt time ${r.received_at.text} is not the entry's ${item.entry.received_at.text}`);
      }
      if (!problems.length) {
        const body = { leaf_hash: r.leaf_hash, log: r.log, received_at: r.received_at.text, seq: r.seq, v: r.v };
        const err = await C.verifySignature(op, r.sig, RECEIPT_TAG, C.canonical(body), this.opts);
        if (err) problems.push(`receipt signature: ${err}`);
      }
      let rootKey = null;
      for (const [k, it] of this.keyItems) if (it.seq === 0) { rootKey = k; break; }
      const who = rootKey === r.log ? 'the genesis root key' : 'a key that is not the genesis root key';
      this.add('receipt', problems.length ? 'failed' : 'passed', problems.join('; ') || `operator receipt for seq ${r.seq} signed by ${who} ${r.log}`);
      this.receiptKey(r.log, r.seq, 'receipt.key', 'receipt');
      this.facts.receipt = { log: r.log, received_at: r.received_at.text, root_key: rootKey === r.log };
    }

    /** docs/proof-format.md, "each entry at most once": no seq twice among the items and
     *  the pending entries (a payment given twice would read as paid twice). */
    uniqueCheck() {
      const where = new Map();
      const note = (seq, w) => { if (!where.has(seq)) where.set(seq, []); where.get(seq).push(w); };
      for (const item of allItems(this.b)) note(item.seq, item.where);
      this.b.pending.forEach((p, i) => note(p.seq, `pending[${i}]`));
      const dups = [];
      for (const [seq, w] of where) {
        if (w.length > 1) dups.push(`seq ${seq} appears ${w.length} times (${w.slice(0, 4).join(', ')}${w.length > 4 ? ', …' : ''})`);
      }
      this.add('items.unique', dups.length ? 'failed' : 'passed', dups.length
        ? dups.slice(0, 10).join('; ') + (dups.length > 10 ? ` (and ${dups.length - 10} more)` : '')
        : `${where.size} entries, each at most once in the bundle`);
    }

    /** Offline: a batch cannot be anchored before the operator received its entries, less
     *  the documented clock skew of 300 s. */
    blockTimeCheck() {
      const problems = [];
      for (const item of allItems(this.b)) {
        const bt = item.anchor.block_time, got = item.entry.received_at;
        if (bt.us < got.us - CLOCK_SKEW_US) {
          problems.push(`batch ${item.batch.batch_no} is anchored at ${bt.text}, before ${item.where} (seq ${item.seq}) was received at ${got.text} (allowed skew ${CLOCK_SKEW_US / 1e6} s)`);
        }
      }
      for (const [ref, an] of this.batches().values()) {
        if (ref.sealed_at && an.block_time.us < ref.sealed_at.us - CLOCK_SKEW_US) {
          problems.push(`batch ${ref.batch_no} is anchored at ${an.block_time.text}, before its signed head says it was sealed (${ref.sealed_at.text})`);
        }
      }
      this.add('anchor.block_time', problems.length ? 'failed' : 'passed', problems.length
        ? problems.slice(0, 5).join('; ') + (problems.length > 5 ? ` (and ${problems.length - 5} more)` : '')
        : `every batch's block time is at or after the receipt time of each of its entries in the bundle, less ${CLOCK_SKEW_US / 1e6} s`);
    }

    /** anchor.witnesses (offline; docs/proof-format.md): for each batch whose anchor is
     *  witnessed, every proof of possession of its set verifies, the bitmap names at least the
     *  threshold and no index outside the set, and the aggregate BLS signature verifies over the
     *  batch's 162-byte message. An unwitnessed batch passes, said plainly. */
    witnessesCheck() {
      const batches = this.batches();
      this.witnessFacts = new Map();
      if (![...batches.values()].some(([, a]) => a.witnesses)) {
        this.add('anchor.witnesses', 'skipped', 'no batch of the bundle names witnesses (its registry had no witness set when they were anchored): nothing but the operator\'s key and the chain vouches for them');
        return;
      }
      const problems = [], lines = [], badSets = new Map();
      this.b.witness_sets.forEach((ws, i) => {
        const j = ws.members.findIndex((m) => !W.popOk(m.public_key, m.pop));
        if (j >= 0) badSets.set(i, `witness_sets[${i}].witnesses[${j}].pop: proof of possession does not verify for key ${ws.members[j].public_key}`);
      });
      for (const no of [...batches.keys()].sort((x, y) => x - y)) {
        const [ref, a] = batches.get(no);
        const w = a.witnesses;
        if (!w) {
          lines.push(`batch ${no}: no witnesses named (anchored before the registry had a witness set, or after it was cleared)`);
          this.witnessFacts.set(no, { status: 'none' });
          continue;
        }
        const ws = this.b.witness_sets[w.set];
        const n = ws.members.length;
        const fact = { status: w.status, threshold: ws.threshold, n };
        if (w.status === 'unwitnessed') {
          lines.push(`batch ${no}: anchored WITHOUT a witness quorum (threshold ${ws.threshold} of ${n}), the anchorer's reason: '${w.reason.split('; ').join(', ')}'`);
          fact.reason = w.reason;
          this.witnessFacts.set(no, fact);
          continue;
        }
        if (badSets.has(w.set)) { problems.push(`batch ${no}: ${badSets.get(w.set)}`); continue; }
        const bitmap = BigInt('0x' + w.bitmap);
        if (bitmap >> BigInt(n)) { problems.push(`batch ${no}: bitmap: must name 1 or more of the ${n} witnesses and no other index`); continue; }
        const signers = ws.members.filter((m, i) => (bitmap >> BigInt(i)) & 1n);
        if (signers.length < ws.threshold) { problems.push(`batch ${no}: bitmap: names ${signers.length} witnesses, the threshold is ${ws.threshold}`); continue; }
        if (!ref.heads_root) { problems.push(`batch ${no}: witnesses sign the heads root, which a version 1 batch does not give`); continue; }
        const msg = W.message(a.chain_id, a.contract, no, ref.root, ref.heads_root, ref.first_seq, ref.size);
        if (!W.aggregateOk(signers.map((m) => m.public_key), msg, w.signature)) {
          problems.push(`batch ${no}: aggregate signature does not verify under the ${signers.length} signers' keys`);
          continue;
        }
        const names = signers.map((m) => m.name);
        lines.push(`batch ${no}: confirmed by ${names.length} of ${n} witnesses (threshold ${ws.threshold}): ${names.join(', ')}`);
        fact.signers = names;
        this.witnessFacts.set(no, fact);
      }
      if (problems.length) this.witnessFacts = new Map();
      this.add('anchor.witnesses', problems.length ? 'failed' : 'passed', (problems.length ? problems : lines).join('; '));
    }

    /** The receipt's key must be registered in the bundle's keys (its chain replayed) with
     *  role operator and not revoked at or before the receipt's seq. */
    receiptKey(kid, seq, name, what) {
      const g = this.grants.get(kid);
      let problem = null;
      if (!g) {
        const why = this.keyErrors.find((e) => e.includes(kid)) || '';
        problem = `the ${what} is signed by key ${kid}, which has no valid registration in the bundle's keys` + (why ? `: ${why}` : '');
      } else if (!g.roles.includes('operator')) {
        problem = `the ${what} is signed by key ${kid} (${g.holder}), whose roles are ${g.roles.slice().sort().join(', ')}: only an operator key signs receipts`;
      } else if (g.revoked_seq !== null && g.revoked_seq <= seq) {
        problem = `the ${what} for seq ${seq} is signed by key ${kid}, revoked at seq ${g.revoked_seq}`;
      }
      if (problem) return this.add(name, 'failed', problem);
      const genesis = g.registered_seq === 0 ? ' (the genesis root key)' : '';
      this.add(name, 'passed', `key ${kid}${genesis} of ${g.holder}, registered at seq ${g.registered_seq} with role operator, not revoked at seq ${seq}`);
    }

    /** Each batch the bundle names (items and checkpoint), as first given: no -> [batch, anchor]. */
    batches() {
      const out = new Map();
      for (const i of allItems(this.b)) if (!out.has(i.batch.batch_no)) out.set(i.batch.batch_no, [i.batch, i.anchor]);
      const cp = this.b.checkpoint;
      if (cp && !out.has(cp.batch.batch_no)) out.set(cp.batch.batch_no, [cp.batch, cp.anchor]);
      return out;
    }

    /** null if `sig` over tag ‖ 0x00 ‖ canonical(body) verifies under key `kid`, registered in
     *  the bundle's keys with role operator and not revoked at or before `seq`. */
    async operatorSigned(kid, seq, tag, body, sig, what) {
      const g = this.grants.get(kid || '');
      if (!g) return `${what} is signed by key ${kid}, which has no valid registration in the keys`;
      if (!g.roles.includes('operator')) return `${what} is signed by key ${kid} (${g.holder}), which has no operator role`;
      if (g.revoked_seq !== null && g.revoked_seq <= seq) return `${what} is signed by key ${kid}, revoked at seq ${g.revoked_seq}`;
      const err = await C.verifySignature(g.public_key, sig || '', tag, C.canonical(body), this.opts);
      return err ? `${what}: signature: ${err}` : null;
    }

    /** Version 2: every distinct batch object (of the items and the checkpoint, compared
     *  member by member) is the operator's signed head. */
    async headsCheck() {
      const problems = [];
      const distinct = new Map();
      const refs = allItems(this.b).map((it) => it.batch);
      if (this.b.checkpoint) refs.push(this.b.checkpoint.batch);
      for (const ref of refs) distinct.set(C.shown(batchJSON(ref)), ref);
      const ordered = [...distinct.values()].sort((x, y) => x.batch_no - y.batch_no || x.size - y.size ||
        (x.root < y.root ? -1 : x.root > y.root ? 1 : 0));
      for (const ref of ordered) {
        const no = ref.batch_no;
        if (ref.sig === null) { problems.push(`the head of batch ${no} is not signed`); continue; }
        const err = await this.operatorSigned(ref.log, ref.first_seq + ref.size - 1, HEAD_TAG, headBody(ref), ref.sig, `the head of batch ${no}`);
        if (err && !problems.includes(err)) problems.push(err);
      }
      this.add('batch.heads', problems.length ? 'failed' : 'passed', problems.join('; ') ||
        `${distinct.size} batch heads signed by a registered operator key (size, roots and sealing time as the operator signed them)`);
    }

    async headProblem(root, claim) {
      try {
        await SL.heads.verifyHeadProof(claim.key, claim.value, claim.proof, root);
        return null;
      } catch (e) {
        if (!(e instanceof SL.heads.HeadProofError)) throw e;
        return `${claim.where} (${claim.key}): ${e.message}`;
      }
    }

    /** Version 2 dispute bundles: the checkpoint batch, the worker's head, the gates' heads and
     *  their counter statements (docs/proof-format.md, "Checkpoint"). */
    async checkpointChecks() {
      const b = this.b, cp = b.checkpoint;
      const n = cp.batch.batch_no, head = cp.batch;
      const end = head.first_seq + head.size - 1;
      let problems = [];
      for (const it of allItems(b)) {
        if (it.batch.batch_no > n) problems.push(`${it.where} (seq ${it.seq}) is in batch ${it.batch.batch_no}, after the checkpoint batch ${n}`);
        else if (it.batch.batch_no === n && (!sameJSON(batchJSON(it.batch), batchJSON(head)) || !sameJSON(anchorJSON(it.anchor), anchorJSON(cp.anchor)))) {
          problems.push(`${it.where} describes batch ${n} differently from the checkpoint`);
        }
      }
      this.add('checkpoint.batch', problems.length ? 'failed' : 'passed', problems.slice(0, 5).join('; ') ||
        `checkpoint batch ${n} (seq ${head.first_seq}–${end}), at or after the batch of every entry in the bundle, anchored at block time ${cp.anchor.block_time.text}`);
      // the worker's head: the run ends where the log's chain of the worker ends
      const last = b.run[b.run.length - 1];
      const claim = cp.heads.find((c) => c.key === `subject/${b.subject}`);
      let problem = null;
      if (!claim) problem = `no head proof for subject/${b.subject} in the checkpoint`;
      else {
        problem = await this.headProblem(head.heads_root, claim);
        if (!problem) {
          const want = [last.entry.subject_seq, last.seq, this.leaf(last)];
          if (claim.value === null) problem = `the head map of batch ${n} holds no entry of ${b.subject}, but the run holds entries`;
          else if (claim.value.counter !== want[0] || claim.value.seq !== want[1] || claim.value.leaf_hash !== want[2]) {
            problem = `the worker's head at batch ${n} is subject_seq ${claim.value.counter} (seq ${claim.value.seq}), but the run ends at subject_seq ${want[0]} (seq ${want[1]}): ` +
              (claim.value.counter > (want[0] || 0) ? "entries after the run's end are missing from the bundle" : 'the run does not end at the head');
          }
        }
      }
      this.add('checkpoint.subject', problem ? 'failed' : 'passed', problem ||
        `head proof: the worker's last entry up to batch ${n} is subject_seq ${last.entry.subject_seq} (seq ${last.seq}), the run's last entry: nothing after the run is missing`);
      // the gates whose punches the run holds
      const used = new Map();
      for (const it of b.run) {
        const r = it.entry.record;
        if (r.type === 'attendance' && r.project === b.project) { if (!used.has(r.device)) used.set(r.device, []); used.get(r.device).push(it); }
      }
      const devices = [...used.keys()].sort();
      // one head proof for the worker and one for each gate used, nothing else: a check reads
      // the first proof of a key, so a second one must not be there to be read by another
      problems = [];
      const want = new Set([`subject/${b.subject}`, ...devices.map((d) => `device/${b.project}/${d}`)]);
      const seen = new Set();
      for (const c of cp.heads) {
        if (seen.has(c.key)) problems.push(`${c.where}: a second head proof for ${c.key}`);
        else if (!want.has(c.key)) problems.push(`${c.where}: a head proof for ${c.key}, which the bundle does not use`);
        seen.add(c.key);
      }
      const counters = new Map();
      for (const device of devices) {
        const dc = cp.heads.find((c) => c.key === `device/${b.project}/${device}`);
        if (!dc) { problems.push(`no head proof for gate ${device} in the checkpoint`); continue; }
        const err = await this.headProblem(head.heads_root, dc);
        if (err) { problems.push(err); continue; }
        const counter = dc.value ? dc.value.counter : null;
        counters.set(device, counter);
        const top = Math.max(...used.get(device).map((p) => p.entry.record.device_seq));
        if (counter === null || counter < top) problems.push(`gate ${device}'s head at batch ${n} is event ${counter}, below event ${top} used in the bundle`);
      }
      this.add('checkpoint.devices', problems.length ? 'failed' : 'passed', problems.slice(0, 5).join('; ') ||
        (devices.length ? `head proofs for ${devices.length} gates: ` + devices.map((d) => `${d} at event ${counters.get(d)}`).join(', ') : "the bundle uses no gate's punches"));
      await this.gatesCheck(used, devices, counters);
    }

    async gatesCheck(used, devices, counters) {
      const b = this.b, cp = b.checkpoint;
      const problems = [];
      const byDevice = new Map();
      for (const st of cp.gates) {
        if (!used.has(st.device)) problems.push(`${st.where}: a statement for gate ${st.device}, whose punches the bundle does not use`);
        if (byDevice.has(st.device)) problems.push(`two statements for gate ${st.device}`);
        byDevice.set(st.device, st);
        const err = await this.operatorSigned(st.log, cp.batch.first_seq + cp.batch.size - 1, GATES_TAG, st.body, st.sig, `the statement of gate ${st.device}`);
        if (err) problems.push(err);
        if (st.project !== b.project || st.as_of_batch !== cp.batch.batch_no) {
          problems.push(`${st.where} is about ${st.project} as of batch ${st.as_of_batch}, not ${b.project} as of the checkpoint batch ${cp.batch.batch_no}`);
        }
        const [lo, hi] = this.gateWindow();
        if (st.from.us > lo || st.until.us < hi) {
          problems.push(`${st.where} covers ${st.from.text} to ${st.until.text}, not the whole window ${C.formatTime(lo, 0)} to ${C.formatTime(hi, 0)} the bundle asks about`);
        }
      }
      for (const device of devices) {
        const st = byDevice.get(device);
        if (!st) { problems.push(`no counter statement for gate ${device}`); continue; }
        // The window is [from, until], both ends included (docs/proof-format.md).
        for (const it of used.get(device)) {
          const r = it.entry.record;
          if (r.time.us < st.from.us || r.time.us > st.until.us) continue;
          if (!st.ranges.some((x) => x.first <= r.device_seq && r.device_seq <= x.last)) {
            problems.push(`${st.where}: ${it.where} (seq ${it.seq}) is event ${r.device_seq} of ${st.device}, which the statement does not hold`);
          }
        }
        const top = st.ranges.length ? st.ranges[st.ranges.length - 1].last : null;
        const hc = counters.has(device) ? counters.get(device) : null;
        if (top !== null && (hc === null || top > hc)) {
          problems.push(`${st.where}: the statement holds event ${top} of ${st.device}, beyond the gate's head counter ${hc} at the checkpoint`);
        }
      }
      this.add('checkpoint.gates', problems.length ? 'failed' : 'passed', problems.slice(0, 5).join('; ') ||
        `${cp.gates.length} gate counter statements signed by the operator hold every punch the bundle uses`);
      if (!problems.length) {
        const off = SL.findings.projectOffset(b.context.map((i) => i.entry), b.project);
        const show = (t) => C.formatTime(t.us, off === null ? t.off : off);
        for (const st of cp.gates) {
          for (let i = 0; i + 1 < st.ranges.length; i++) {
            const x = st.ranges[i], y = st.ranges[i + 1];
            const first = x.last + 1, lastMissing = y.first - 1;
            const events = first === lastMissing ? `event ${first}` : `events ${first}–${lastMissing}`;
            this.findings.push(finding('gate_gap', false, `gate ${st.device} ${events} missing between ${show(x.last_time)} and ${show(y.first_time)}`,
              null, null, `闸机 ${st.device} 的第 ${first === lastMissing ? first : `${first}–${lastMissing}`} 号记录缺失（${show(x.last_time)} 至 ${show(y.first_time)} 之间）`));
          }
        }
      }
    }

    /** The window a gate statement must cover (docs/proof-format.md, checkpoint): the 16 hours
     *  up to `at` (presence); the month in the project's time zone from 16 hours before its
     *  first day to the first instant after it (wage). Microseconds. */
    gateWindow() {
      const b = this.b;
      if (b.kind === 'presence') return [b.at.us - SHIFT_US, b.at.us];
      const off = SL.findings.projectOffset(b.context.map((i) => i.entry), b.project) || 0;
      let [y, m] = b.pay_month.split('-').map(Number);
      const start = (Date.UTC(y, m - 1, 1) - off * 60000) * 1000;
      if (m === 12) { y += 1; m = 1; } else m += 1;
      const end = (Date.UTC(y, m - 1, 1) - off * 60000) * 1000;
      return [start - SHIFT_US, end];
    }

    /** The INCONCLUSIVE rule: an instant or a month is covered only when the checkpoint batch
     *  was sealed at least the project's sync allowance after it (the signed sealing time, not
     *  the block time: the head proofs show the log as it was when the batch was sealed). */
    coverage() {
      const b = this.b, cp = b.checkpoint;
      if (!cp || b.project === null) return;
      const off = SL.findings.projectOffset(b.context.map((i) => i.entry), b.project);
      const allowDays = allowanceDays(b.context, b.project);
      const allowUs = allowDays * 86400e6;
      let t, what;
      if (b.kind === 'presence') {
        t = b.at.us;
        what = `the instant ${C.formatTime(b.at.us, off === null ? b.at.off : off)}`;
      } else {
        let [y, m] = b.pay_month.split('-').map(Number);
        if (m === 12) { y += 1; m = 1; } else m += 1;
        t = (Date.UTC(y, m - 1, 1) - (off || 0) * 60000) * 1000;
        what = `${b.pay_month} (ending ${C.formatTime(t, off || 0)})`;
      }
      const sealed = cp.batch.sealed_at;
      const x = sealed && sealed.us < cp.anchor.block_time.us ? sealed : cp.anchor.block_time;
      const done = `complete up to batch ${cp.batch.batch_no}, sealed at ${x.text}`;
      const until = C.formatTime(t + allowUs, b.kind === 'presence' ? b.at.off : (off || 0));
      this.facts.checkpoint = {
        batch_no: cp.batch.batch_no, last_seq: cp.batch.first_seq + cp.batch.size - 1, sealed_at: x.text,
        allowance_days: allowDays, covers_until: until,
      };
      if (x.us >= t + allowUs) {
        this.add('checkpoint.covers', 'passed', `${done}: at least ${allowDays} days (the project's sync allowance) after ${what}`);
        return;
      }
      this.add('checkpoint.covers', 'inconclusive', `${done}; events for ${what} may still arrive until ${until} (sync allowance ${allowDays} days): ask again after that`);
      if (!this.checks.some((c) => c.status === 'failed')) {
        this.findings = [finding('coverage', false, `events for ${what} may still arrive until ${until}; ${done}`, null, null,
          `${what} 的记录仍可能在 ${until} 之前到达；${done}`)];
      }
    }

    async runChecks() {
      const b = this.b;
      const problems = [];
      for (const item of b.run) {
        const errs = await this.fullErrors(item);
        if (errs.length) problems.push(`${describe(item)}: ${errs.join('; ')}`);
      }
      this.keysCheck();
      this.add('run.entries', problems.length ? 'failed' : 'passed', problems.length
        ? problems.slice(0, 10).join('; ') + (problems.length > 10 ? ` (and ${problems.length - 10} more)` : '')
        : `${b.run.length} entries: leaf hashes, inclusion proofs, signatures and authorisations hold`);
      this.contiguity();
      this.runStart();
      const signers = [...new Set(b.run.map((i) => i.entry.record.signer))].sort();
      this.facts.signers = Object.fromEntries(signers.map((k) => [k, this.keyChain(k)]));
      this.facts.run = {
        subject: b.subject, project: b.project, first_subject_seq: b.run[0].entry.subject_seq,
        last_subject_seq: b.run[b.run.length - 1].entry.subject_seq, entries: b.run.length, issued_at: b.issued_at.text,
      };
    }

    contiguity() {
      const b = this.b;
      const problems = [];
      let prev = null;
      b.run.forEach((item, i) => {
        const e = item.entry;
        if (subjectOf(e.record) !== b.subject) {
          problems.push(`${describe(item)} is about ${subjectOf(e.record)}, not ${b.subject}`);
          return;
        }
        if (prev !== null && e.subject_seq !== prev + 1) {
          problems.push(`${item.where}: subject_seq ${e.subject_seq} follows ${prev}: ${(e.subject_seq || 0) - prev - 1} entries missing`);
        }
        if (i > 0 && e.subject_prev !== this.leaf(b.run[i - 1])) {
          problems.push(`${item.where}: subject_prev ${e.subject_prev} is not the leaf hash of the entry before it (${this.leaf(b.run[i - 1])})`);
        }
        prev = e.subject_seq;
      });
      const first = b.run[0].entry.subject_seq, last = b.run[b.run.length - 1].entry.subject_seq;
      this.add('run.contiguous', problems.length ? 'failed' : 'passed', problems.length ? problems.slice(0, 10).join('; ')
        : `subject_seq ${first}..${last} of ${b.subject}, each entry naming the leaf hash of the one before: nothing inside the run is missing`);
    }

    runStart() {
      const b = this.b;
      const first = b.run[0].entry;
      if (b.kind === 'wage') {
        const [y, m] = b.pay_month.split('-').map(Number);
        const boundary = Date.UTC(y, m - 1, 1) * 1000 - MONTH_MARGIN_US;
        const bText = C.formatTime(boundary, 0);
        if (first.subject_seq === 0) return this.add('run.start', 'passed', "the run starts at the worker's first entry");
        if (first.received_at.us < boundary) {
          return this.add('run.start', 'passed', `the run starts at subject_seq ${first.subject_seq}, received ${first.received_at.text}, before ${bText}: no entry about ${b.pay_month} can precede it`);
        }
        return this.add('run.start', 'failed', `the run starts at subject_seq ${first.subject_seq}, received ${first.received_at.text}, not before ${bText}: entries about ${b.pay_month} could be missing before it`);
      }
      const rec = first.record;
      if (rec.type === 'enrollment' && rec.project === b.project && rec.time.us <= b.at.us) {
        return this.add('run.start', 'passed', `the run starts at the enrollment on ${rec.project} of ${rec.date}`);
      }
      this.add('run.start', 'failed', `the run starts with a ${rec.type} record, not an enrollment on ${b.project} made before ${b.at.text}`);
    }

    anchorConsistency() {
      const its = allItems(this.b);
      const cp = this.b.checkpoint;
      // the checkpoint's batch and anchor take part like an item's (docs/proof-format.md)
      const problems = anchorProblems(cp ? [...its, { where: 'checkpoint', batch: cp.batch, anchor: cp.anchor }] : its);
      const n = new Set(its.map((i) => i.batch.batch_no)).size;
      this.add('anchor.batches', problems.length ? 'failed' : 'passed', problems.join('; ') || `${n} batches, one registry, consistent ranges, blocks and transactions`);
    }

    async relatedCheck() {
      const b = this.b;
      if (!b.related.length) {
        this.add('related', 'passed', 'no corrections, approvals, acknowledgements or payments name the bundle\'s entries');
      } else {
        const problems = [];
        const heads = b.record ? [b.record] : b.run;
        const known = new Set(heads.concat(b.related).map((i) => this.leaf(i)));
        const replacements = new Set();
        for (const i of b.related.concat(b.run)) {
          const r = i.entry.record;
          if (r.type === 'correction' && r.replacement) replacements.add(r.replacement);
        }
        for (const item of b.related) {
          const errs = await this.fullErrors(item);
          const ns = names(item.entry.record);
          if (!ns.some((n) => known.has(n)) && !replacements.has(this.leaf(item))) {
            errs.push('names no entry of the bundle (' + (ns.slice().sort().map((n) => n.slice(0, 16)).join(', ') || 'nothing') + ')');
          }
          if (errs.length) problems.push(`${describe(item)}: ${errs.join('; ')}`);
        }
        this.add('related', problems.length ? 'failed' : 'passed', problems.join('; ') || `${b.related.length} related entries verify and name entries of the bundle`);
      }
      const good = [];
      for (const i of b.related) if (!(await this.fullErrors(i)).length) good.push(i);
      let heads;
      if (b.record) heads = [b.record];
      else {
        heads = [];
        for (const i of b.run) if (!(await this.fullErrors(i)).length) heads.push(i);
      }
      const eff = SL.findings.effects(heads.concat(good).map((i) => [this.leaf(i), i.entry]));
      const leafOf = new Map(allItems(b).map((i) => [i.seq, this.leaf(i)]));
      const holders = new Map();
      for (const i of b.keys) if (i.entry.record.type === 'key') holders.set(await C.keyId(i.entry.record.public_key), i.entry.record.holder);
      this.facts.timeline = SL.findings.timelineFacts(b, eff, leafOf, holders);
      if (b.record) {
        this.findings.push(...SL.findings.recordFindings(eff, this.leaf(b.record), b.record.entry));
        this.facts.related = b.related.map((i) => entryFact(i, this.leaf(i)));
        this.facts.status = eff.status(this.leaf(b.record));
      } else {
        const tzOff = SL.findings.projectOffset(b.context.concat(heads).map((i) => i.entry), b.project);
        const [f, facts] = b.kind === 'wage' ? SL.findings.wage(b, eff, tzOff) : SL.findings.presence(b, eff, tzOff);
        this.findings.push(...f);
        this.facts.recomputed = facts;
      }
    }

    async contextCheck() {
      const b = this.b;
      const wanted = b.version >= 2 ? this.contextWanted() : [];
      if (!b.context.length && !wanted.length) return this.add('context', 'skipped', 'no context entries');
      const problems = [];
      for (const i of b.context) {
        const e = await this.fullErrors(i);
        if (e.length) problems.push(`${describe(i)}: ${e.join('; ')}`);
      }
      problems.push(...wanted);
      this.add('context', problems.length ? 'failed' : 'passed', problems.join('; ') ||
        `${b.context.length} context entries verify (${b.context.map((i) => i.entry.record.type).join(', ')})`);
    }

    /** Version 2: what the context must and may hold. The project record decides the time zone
     *  and the sync allowance, so a bundle that leaves it out would let its holder choose them
     *  (7 days, UTC); an enrollment decides the day rate, so it must be the worker's. */
    contextWanted() {
      const b = this.b;
      const problems = [];
      let project, subject, before, have;
      if (b.kind === 'record') {
        const rec = b.record.entry.record;
        project = typeof rec.project === 'string' ? rec.project : null;
        subject = subjectOf(rec);
        before = b.record.entry.seq;
        have = [b.record, ...b.related, ...b.context];
      } else {
        project = b.project; subject = b.subject; before = null; have = b.context;
      }
      for (const it of b.context) {
        const r = it.entry.record;
        if (r.type === 'project') {
          if (r.project !== project) problems.push(`${it.where} is the project record of ${r.project}, not of ${project}`);
        } else if (r.type === 'enrollment') {
          if (r.subject !== subject || r.project !== project) {
            problems.push(`${it.where} enrolls ${r.subject} on ${r.project}, not the bundle's ${subject} on ${project}`);
          }
        } else {
          problems.push(`${it.where} is a ${r.type} record, which no check takes from the context`);
        }
      }
      const needs = project !== null && !(b.kind === 'record' && b.record.entry.record.type === 'project');
      if (needs && !have.some((it) => it.entry.record.type === 'project' && it.entry.record.project === project &&
          (before === null || it.entry.seq < before))) {
        problems.push(`the project record of ${project} is missing (its time zone and sync allowance)`);
      }
      return problems;
    }

    async disclosureCheck() {
      const d = this.b.disclosure;
      if (!d) return this.add('disclosure', 'skipped', 'the bundle discloses no identity');
      const b = this.b;
      const enr = [b.record].concat(b.context, b.related).find((i) => i.seq === d.enrollment_seq);
      const rec = enr ? enr.entry.record : null;
      let problem = null;
      if (!enr || rec.type !== 'enrollment') problem = `no enrollment entry at seq ${d.enrollment_seq} in the bundle`;
      else if (rec.subject !== d.subject || subjectOf(b.record.entry.record) !== d.subject) problem = `the disclosure is about ${d.subject}, the enrollment about ${rec.subject}`;
      else if (rec.project !== b.record.entry.record.project) problem = `the enrollment is on project ${rec.project}, not the record's`;
      else if (enr !== b.record) {
        const errs = await this.fullErrors(enr);
        if (errs.length) problem = 'the enrollment entry does not verify: ' + errs.join('; ');
      }
      if (!problem) {
        let text;
        try { text = C.canonical(d.fields); } catch (e) { problem = `the fields cannot be encoded: ${e.message}`; }
        if (!problem) {
          const got = C.toHex(await C.sha256(C.concat(C.utf8(IDENTITY_TAG), new Uint8Array([0]), C.fromHex(d.salt), C.utf8(text))));
          if (got !== rec.identity_commitment) problem = `commitment does not open: calculated ${got}, the enrollment commits to ${rec.identity_commitment}`;
        }
      }
      if (problem) return this.add('disclosure', 'failed', problem);
      this.facts.disclosure = { subject: d.subject, fields: d.fields };
      this.add('disclosure', 'passed', `SHA-256(tag ‖ 0x00 ‖ salt ‖ canonical(fields)) equals the identity commitment ${rec.identity_commitment} of enrollment seq ${d.enrollment_seq}`);
    }

    pendingFinding() {
      const p = this.b.pending;
      if (!p.length) return;
      const seqs = p.slice(0, 20).map((x) => x.seq).join(', ') + (p.length > 20 ? '…' : '');
      this.findings.push(finding('pending', false,
        `${p.length} entries named by or following the bundle's entries were not anchored when it was issued (${this.b.issued_at.text}): seq ` +
        seqs + '; ask for a new bundle to have them proven', null, null,
        `证据包签发时（${this.b.issued_at.text}）有 ${p.length} 条相关记录尚未锚定：序号 ${seqs}；请重新获取证据包以证明它们`));
    }

    batchFacts() {
      const seen = new Map();
      for (const i of allItems(this.b)) {
        if (seen.has(i.batch.batch_no)) continue;
        const a = i.anchor;
        const url = this.b.explorer_tx_url ? this.b.explorer_tx_url.split('{tx}').join(a.tx_hash) : null; // every {tx}
        seen.set(i.batch.batch_no, {
          batch_no: i.batch.batch_no, first_seq: i.batch.first_seq, size: i.batch.size, root: i.batch.root,
          chain_id: a.chain_id, contract: a.contract, tx_hash: a.tx_hash, block_number: a.block_number,
          block_hash: a.block_hash, block_time: a.block_time.text, tx_url: url,
        });
        if (this.witnessFacts && this.witnessFacts.has(i.batch.batch_no)) seen.get(i.batch.batch_no).witnesses = this.witnessFacts.get(i.batch.batch_no);
      }
      return [...seen.keys()].sort((x, y) => x - y).map((k) => seen.get(k));
    }

    async chainChecks() {
      const rpc = this.opts.rpc;
      if (!rpc) {
        const offline = !!this.opts.offline;
        const why = offline
          ? 'not checked: verification was asked offline; the anchor fields were taken from the bundle'
          : 'not checked: no chain to ask (give an RPC URL, or choose offline to accept the bundle\'s anchor unchecked)';
        for (const n of CHAIN_CHECKS) this.add(n, offline ? 'skipped' : 'inconclusive', why);
        return false;
      }
      return SL.chain.check(this, rpc);
    }
  }

  function authorisedDetail(g, rec) {
    const scope = g.projects.length ? g.projects.slice().sort().join(', ') : 'every project';
    const until = g.valid_until ? ` until ${g.valid_until.text}` : '';
    return `holder ${g.holder} with role ${g.roles.slice().sort().join(', ')} for ${scope}, valid from ${g.valid_from.text}${until}, may sign ${rec.type} records at ${rec.time.text}`;
  }

  function entryFact(item, leaf) {
    const rec = item.entry.record;
    return { seq: item.seq, type: rec.type, id: rec.id, time: rec.time.text, signer: rec.signer, leaf_hash: leaf, fields: item.entry.raw.record };
  }

  function sameJSON(x, y) {
    return C.canonical(x) === C.canonical(y);
  }

  function anchorProblems(its) {
    const problems = [];
    const first = its[0];
    const byBatch = new Map(), byTx = new Map(), byBlock = new Map();
    for (const it of its) {
      const a = it.anchor;
      if (a.registry !== first.anchor.registry) {
        problems.push(`${it.where} names registry version ${a.registry}, ${first.where} ${first.anchor.registry}`);
      }
      if (a.chain_id !== first.anchor.chain_id || a.contract !== first.anchor.contract) {
        problems.push(`${it.where} is anchored on chain ${a.chain_id} contract ${a.contract}, ${first.where} on chain ${first.anchor.chain_id} contract ${first.anchor.contract}`);
      }
      const prev = byBatch.get(it.batch.batch_no);
      if (!prev) byBatch.set(it.batch.batch_no, it);
      else if (!sameJSON(batchJSON(prev.batch), batchJSON(it.batch)) || !sameJSON(anchorJSON(prev.anchor), anchorJSON(it.anchor))) {
        problems.push(`batch ${it.batch.batch_no} is described differently in ${prev.where} and ${it.where}`);
      }
      if (!byTx.has(a.tx_hash)) byTx.set(a.tx_hash, it.batch.batch_no);
      if (byTx.get(a.tx_hash) !== it.batch.batch_no) {
        problems.push(`transaction ${a.tx_hash} is given as the anchor of batches ${byTx.get(a.tx_hash)} and ${it.batch.batch_no}; each batch has its own`);
      }
      if (!byBlock.has(a.block_hash)) byBlock.set(a.block_hash, [a.block_number, a.block_time.us]);
      const blk = byBlock.get(a.block_hash);
      if (blk[0] !== a.block_number || blk[1] !== a.block_time.us) problems.push(`block ${a.block_hash} is given two numbers or times`);
      if (it.batch.batch_no > it.batch.first_seq) problems.push(`batch ${it.batch.batch_no} cannot start at seq ${it.batch.first_seq}`);
    }
    const ordered = [...byBatch.keys()].sort((x, y) => x - y).map((k) => byBatch.get(k));
    for (let i = 0; i + 1 < ordered.length; i++) {
      const x = ordered[i], y = ordered[i + 1];
      const bx = x.batch, by = y.batch;
      if (bx.first_seq + bx.size > by.first_seq || (by.batch_no === bx.batch_no + 1 && bx.first_seq + bx.size !== by.first_seq)) {
        problems.push(`batches ${bx.batch_no} [${bx.first_seq}, ${bx.first_seq + bx.size}) and ${by.batch_no} [${by.first_seq}, …) are not contiguous in order`);
      }
      if (x.anchor.block_number > y.anchor.block_number) {
        problems.push(`batch ${by.batch_no} is anchored in an earlier block than batch ${bx.batch_no}`);
      } else if (x.anchor.block_time.us > y.anchor.block_time.us) {
        problems.push(`batch ${by.batch_no} is anchored in block ${y.anchor.block_number} at ${y.anchor.block_time.text}, before block ${x.anchor.block_number} of batch ${bx.batch_no} at ${x.anchor.block_time.text}`);
      }
    }
    return [...new Set(problems)];
  }

  // The anchor compared as an instant (two spellings of one block time are one time).
  function anchorJSON(a) {
    return Object.assign({}, a, { block_time: a.block_time.us });
  }

  function batchJSON(b) {
    return Object.assign({}, b, { sealed_at: b.sealed_at ? b.sealed_at.us : null });
  }

  /** The project's sync allowance in days (`sync_allowance_days` of its project record among
   *  `items`, 7 when absent). */
  function allowanceDays(items, project) {
    for (const it of items) {
      const r = it.entry.record;
      if (r.type === 'project' && r.project === project) return r.sync_allowance_days === undefined ? DEFAULT_ALLOWANCE_DAYS : r.sync_allowance_days;
    }
    return DEFAULT_ALLOWANCE_DAYS;
  }

  function finding(name, ok, detail, expected = null, actual = null, zh = null) {
    const out = { name, ok, detail, expected, actual };
    if (zh) Object.defineProperty(out, 'zh', { value: zh, enumerable: false });
    return out;
  }

  function makeReport(source, kind, checks, findings, anchorChecked, unreadable, facts) {
    const statuses = new Set(checks.map((c) => c.status));
    const verdict = statuses.has('failed') || !checks.length ? 'INVALID' : statuses.has('inconclusive') ? 'INCONCLUSIVE' : 'VALID';
    return { source, kind, verdict, anchor_checked: anchorChecked, unreadable, checks, findings, facts };
  }

  /**
   * Verify the text (string or bytes) of one bundle. options: {rpc: URL, offline: bool,
   * source: name shown in the report, noWebCrypto: bool (tests: use @noble/curves)}.
   * Resolves to a report shaped like one of `siteledger-verify --json`'s reports.
   */
  async function verify(text, options) {
    const opts = Object.assign({ source: '', offline: false, rpc: null }, options || {});
    let value;
    try {
      value = C.loadJSON(text);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      return makeReport(opts.source, null, [{ name: 'format', status: 'failed', detail: `unreadable: ${e.message}` }], [], false, true, {});
    }
    const kind = value && typeof value === 'object' && typeof value.kind === 'string' ? value.kind : null;
    let b;
    try {
      b = parseBundle(value);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      return makeReport(opts.source, kind, [{ name: 'format', status: 'failed', detail: e.message }], [], false, false, {});
    }
    return new Run(b, opts).report(opts.source);
  }

  /** Exit code of siteledger-verify for these reports: 1 beats 2 beats 3. */
  function exitCode(reports) {
    if (reports.some((r) => r.verdict === 'INVALID' && !r.unreadable)) return 1;
    if (reports.some((r) => r.unreadable)) return 2;
    if (reports.some((r) => r.verdict === 'INCONCLUSIVE')) return 3;
    return 0;
  }

  /** A signed batch head alone (docs/proof-format.md, "Signed batch heads"): null if `raw`
   *  is a well-formed version 2 head whose signature verifies under `pubHex`, else the reason. */
  async function verifySignedHead(raw, pubHex) {
    let head;
    try { head = parseBatch(raw, 'head', 2); } catch (e) { if (e instanceof FormatError) return e.message; throw e; }
    return C.verifySignature(pubHex, head.sig, HEAD_TAG, C.canonical(headBody(head)));
  }

  SL.verify = verify;
  SL.exitCode = exitCode;
  SL.bundle = { parseBundle, allItems, finding, yuan, hm, subjectOf, CHAIN_CHECKS, headBody, verifySignedHead };
  root.siteledgerVerify = verify;
})(typeof globalThis !== 'undefined' ? globalThis : this);
