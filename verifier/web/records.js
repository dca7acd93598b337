/*
 * siteledger verifier page: records, entries, receipts and who may sign what, from
 * docs/records.md ("Record types", "Entries and leaf hashes", "Receipts", "Roles and
 * authorisation"). Decoding refuses what the document refuses and names the field's path.
 * Classic script; globalThis.siteledger.records.
 */
(function (root) {
  'use strict';
  const SL = root.siteledger;
  const { FormatError, parseTime, parseDate, parseMonth, MAX_INT, shown } = SL.core;

  const MAX_FEN = 1e11;
  const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
  const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
  const KEY_ID = /^[0-9a-f]{32}$/;
  const TZ_OFFSET = /^[+-](0[0-9]|1[0-4]):[0-5][0-9]$/;
  const HEX = /^[0-9a-f]*$/;
  // C0 and C1 controls and surrogates (lone ones: a pair is one code point, see below)
  const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
  const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  // 11 or more digits of any script, optionally separated by single spaces or hyphens,
  // optionally ending in X: a phone, ID or bank card number has no place in free text.
  const PII_DIGITS = /(?:\p{Nd}[ -]?){10,}[\p{Nd}Xx]/u;

  const CORP_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const CORP_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const CORP_RE = new RegExp(`^[${CORP_CHARS}]{18}$`);

  const ROLES = ['operator', 'admin', 'contractor', 'payroll', 'supervisor', 'device', 'worker', 'bank'];
  const CORP_TYPES = ['001', '002', '003', '004', '005', '006', '007', '008', '009', '010', '011', '012'];
  const WORK_TYPES = ['010', '020', '030', '040', '050', '060', '070', '080', '090', '100', '110', '120',
    '130', '140', '150', '160', '170', '180', '190', '200', '210', '220', '230', '240', '250', '260',
    '270', '280', '290', '300', '310', '320', '330', '340', '350', '360', '900', '990'];
  const VERIFY_MODES = ['face', 'fingerprint', 'iris', 'card', 'mobile', 'manual'];
  const DEDUCTION_CODES = ['social_insurance', 'housing_fund', 'income_tax', 'advance', 'meals', 'lodging', 'other'];

  // Which role may sign which record type (docs/records.md, roles, rule 4).
  const ROLE_TYPES = {
    operator: ['key', 'project', 'org'],
    admin: ['key', 'project', 'org'],
    contractor: ['enrollment', 'exit', 'wage', 'payment', 'correction', 'training', 'publication'],
    payroll: ['wage', 'publication'],
    supervisor: ['approval'],
    device: ['attendance'],
    worker: ['ack'],
    bank: ['payment'],
  };
  const DELEGABLE_BY_ADMIN = ['contractor', 'payroll', 'supervisor', 'device', 'worker', 'bank'];

  const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array'
    : typeof v === 'number' || typeof v === 'bigint' ? 'integer' : typeof v === 'boolean' ? 'boolean'
      : typeof v === 'string' ? 'string' : 'object');
  const join = (path, name) => (path ? `${path}.${name}` : name);

  // ------------------------------------------------------------------ field converters

  const isInt = (v) => typeof v === 'number' && Number.isInteger(v);

  function Str(max = 128, min = 1, pattern = null, freeText = false) {
    return (v, path) => {
      if (typeof v !== 'string') throw new FormatError(`must be a string, got ${typeName(v)}`, path);
      if (LONE.test(v)) throw new FormatError('lone surrogates are not allowed (not encodable as UTF-8)', path);
      const n = [...v].length; // code points
      if (n < min || n > max) throw new FormatError(`length ${n} outside ${min}..${max}`, path);
      if (pattern && !pattern.test(v)) throw new FormatError(`'${v}' does not match ${pattern.source}`, path);
      if (CONTROL.test(v)) throw new FormatError('control characters are not allowed', path);
      if (freeText && PII_DIGITS.test(v)) {
        throw new FormatError('looks like a phone, ID or bank card number; personal data belongs in the identity vault, not in a record', path);
      }
      return v;
    };
  }
  const Code = () => Str(128, 1, CODE);
  const Subject = () => Str(64, 3, CODE);
  const Text = (max) => Str(max, 1, null, true);

  function Int(lo = 0, hi = MAX_INT) {
    return (v, path) => {
      if (!isInt(v) && typeof v !== 'bigint') throw new FormatError(`must be an integer, got ${typeName(v)}`, path);
      if (typeof v === 'bigint' || v < lo || v > hi) throw new FormatError(`${v} outside ${lo}..${hi}`, path);
      return v;
    };
  }
  const Fen = () => Int(0, MAX_FEN);

  function Bool() {
    return (v, path) => {
      if (typeof v !== 'boolean') throw new FormatError(`must be true or false, got ${typeName(v)}`, path);
      return v;
    };
  }

  function Enum(values) {
    return (v, path) => {
      if (typeof v !== 'string' || !values.includes(v)) {
        throw new FormatError(`${shown(v)} is not one of ${values.join(', ')}`, path);
      }
      return v;
    };
  }

  const Time = () => (v, path) => parseTime(v, path);
  const DateF = () => (v, path) => parseDate(v, path);
  const Month = () => (v, path) => parseMonth(v, path);

  function Hex(size = 32) {
    return (v, path) => {
      if (typeof v !== 'string' || !HEX.test(v)) throw new FormatError('must be lowercase hex', path);
      if (v.length !== 2 * size) throw new FormatError(`${v.length >> 1} bytes, want ${size}`, path);
      return v;
    };
  }

  function CorpCode() {
    return (v, path) => {
      if (typeof v !== 'string' || !CORP_RE.test(v)) throw new FormatError('must be an 18-character 统一社会信用代码', path);
      let total = 0;
      for (let i = 0; i < 17; i++) total += CORP_CHARS.indexOf(v[i]) * CORP_WEIGHTS[i];
      const want = CORP_CHARS[(31 - (total % 31)) % 31];
      if (v[17] !== want) throw new FormatError(`check character is '${v[17]}', want '${want}'`, path);
      return v;
    };
  }

  function List(item, max, unique = false) {
    return (v, path) => {
      if (!Array.isArray(v)) throw new FormatError(`must be a list, got ${typeName(v)}`, path);
      if (v.length > max) throw new FormatError(`${v.length} items, allowed 0..${max}`, path);
      const out = v.map((x, i) => item(x, `${path}[${i}]`));
      if (unique && new Set(v.map((x) => shown(x))).size !== v.length) {
        throw new FormatError('items must be unique', path);
      }
      return out;
    };
  }

  /** An object with exactly the given fields (name -> [converter, optional]). */
  function Obj(spec, rules) {
    return (v, path) => decodeFields(v, path, spec, [], rules);
  }

  function decodeFields(obj, path, spec, skip, rules) {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new FormatError(`must be an object, got ${typeName(obj)}`, path || 'record');
    }
    for (const k of Object.keys(obj)) {
      if (!(k in spec) && !skip.includes(k)) throw new FormatError('unknown field', join(path, k));
    }
    const out = {};
    for (const [name, [conv, optional]] of Object.entries(spec)) {
      if (!(name in obj)) {
        if (!optional) throw new FormatError('required field is missing', join(path, name));
        continue;
      }
      out[name] = conv(obj[name], join(path, name));
    }
    if (rules) {
      const err = rules(out);
      if (err) throw new FormatError(err[1], join(path, err[0]));
    }
    return out;
  }

  const req = (c) => [c, false];
  const opt = (c) => [c, true];

  // ------------------------------------------------------------------ record types

  const HEADER = { id: req(Str(64, 1, RECORD_ID)), signer: req(Str(32, 32, KEY_ID)), time: req(Time()) };

  const Team = Obj({ team: req(Code()), name: req(Text(64)) });
  const Contract = Obj({
    period_type: req(Enum(['fixed_term', 'per_task'])),
    start_date: req(DateF()),
    unit: req(Enum(['hour', 'day', 'month', 'piece', 'task'])),
    unit_price: req(Fen()),
    end_date: opt(DateF()),
  }, (c) => (c.end_date !== undefined && c.end_date < c.start_date ? ['end_date', 'ends before it starts'] : null));
  const Location = Obj({ lat_e6: req(Int(-90000000, 90000000)), lng_e6: req(Int(-180000000, 180000000)) });
  const Deduction = Obj({ code: req(Enum(DEDUCTION_CODES)), amount: req(Fen()), note: opt(Text(200)) });

  const TYPES = {
    key: [{
      action: req(Enum(['register', 'revoke'])),
      public_key: req(Hex(32)),
      holder: req(Str(64, 1, CODE)),
      roles: req(List(Enum(ROLES), 8, true)),
      projects: req(List(Code(), 100, true)),
      valid_from: opt(Time()),
      valid_until: opt(Time()),
      reason: opt(Text(200)),
    }, (r) => {
      if (r.action === 'register') {
        if (!r.roles.length) return ['roles', 'a registered key needs at least one role'];
        if (!r.valid_from) return ['valid_from', 'required when registering'];
        if (r.valid_until && r.valid_until.us <= r.valid_from.us) return ['valid_until', 'must be after valid_from'];
      } else if (r.roles.length || r.projects.length || r.valid_from || r.valid_until) {
        return ['action', 'a revocation names the key and a reason only'];
      }
      return null;
    }],
    project: [{
      project: req(Code()), name: req(Text(128)), tz_offset: req(Str(6, 6, TZ_OFFSET)),
      general_contractor: req(CorpCode()), start_date: req(DateF()), end_date: opt(DateF()),
    }, (r) => (r.end_date !== undefined && r.end_date < r.start_date ? ['end_date', 'ends before it starts'] : null)],
    org: [{
      project: req(Code()), corp_code: req(CorpCode()), corp_name: req(Text(128)),
      corp_type: req(Enum(CORP_TYPES)), teams: req(List(Team, 50)),
    }, (r) => (new Set(r.teams.map((t) => t.team)).size !== r.teams.length ? ['teams', 'team codes must be unique'] : null)],
    enrollment: [{
      project: req(Code()), subject: req(Subject()), corp_code: req(CorpCode()), team: req(Code()),
      work_type: req(Enum(WORK_TYPES)), work_role: req(Enum(['10', '20'])), team_leader: req(Bool()),
      date: req(DateF()), contract: req(Contract), identity_commitment: req(Hex(32)), insured: req(Bool()),
    }],
    exit: [{
      project: req(Code()), subject: req(Subject()), corp_code: req(CorpCode()), date: req(DateF()),
      reason: opt(Text(200)),
    }],
    attendance: [{
      project: req(Code()), subject: req(Subject()), device: req(Str(64, 1, CODE)),
      device_seq: req(Int(0)), direction: req(Enum(['in', 'out'])), verify_mode: req(Enum(VERIFY_MODES)),
      source: req(Enum(['realtime', 'backfill', 'repair'])), match_score: opt(Int(0, 100)),
      photo_digest: opt(Hex(32)), location: opt(Location),
    }],
    wage: [{
      project: req(Code()), subject: req(Subject()), corp_code: req(CorpCode()), pay_month: req(Month()),
      days: req(Int(0, 31)), work_minutes: req(Int(0, 31 * 24 * 60)), gross: req(Fen()),
      deductions: req(List(Deduction, 20)), net: req(Fen()), pay_date: req(DateF()), back_pay: req(Bool()),
    }, (r) => {
      const deducted = r.deductions.reduce((a, d) => a + d.amount, 0);
      if (r.gross - deducted !== r.net) {
        return ['net', `gross ${r.gross} − deductions ${deducted} = ${r.gross - deducted}, but net is ${r.net}`];
      }
      if (r.work_minutes > r.days * 24 * 60) return ['work_minutes', `${r.work_minutes} minutes in ${r.days} days`];
      if (r.pay_date.slice(0, 7) < r.pay_month) return ['pay_date', `paid before the month ${r.pay_month} began`];
      return null;
    }],
    payment: [{
      project: req(Code()), subject: req(Subject()), corp_code: req(CorpCode()), pay_month: req(Month()),
      amount: req(Fen()), date: req(DateF()), status: req(Enum(['paid', 'failed', 'returned'])),
      bank_serial_commitment: req(Hex(32)), wage: opt(Hex(32)),
    }],
    correction: [{
      project: req(Code()), action: req(Enum(['void', 'amend', 'supplement'])), reason: req(Text(500)),
      subject: opt(Subject()), target: opt(Hex(32)), replacement: opt(Hex(32)),
    }, (r) => {
      if ((r.action === 'void' || r.action === 'amend') && r.target === undefined) return ['target', `required for ${r.action}`];
      if (r.action === 'supplement' && r.target !== undefined) return ['target', 'a supplement adds a record and corrects none'];
      if ((r.action === 'amend' || r.action === 'supplement') && r.replacement === undefined) return ['replacement', `required for ${r.action}`];
      if (r.action === 'void' && r.replacement !== undefined) return ['replacement', 'a void has no replacement'];
      return null;
    }],
    approval: [{
      project: req(Code()), target: req(Hex(32)), decision: req(Enum(['approve', 'reject'])),
      comment: opt(Text(500)),
    }],
    ack: [{
      project: req(Code()), subject: req(Subject()), target: req(Hex(32)),
      decision: req(Enum(['confirm', 'dispute'])), reason: opt(Text(500)),
    }],
    training: [{
      project: req(Code()), subject: req(Subject()), course: req(Code()), course_name: req(Text(128)),
      date: req(DateF()), minutes: req(Int(1, 24 * 60)), passed: req(Bool()),
    }],
  };
  for (const t of Object.values(TYPES)) Object.assign(t[0], HEADER);

  // Format version 2 (docs/records.md): the publication record, a subject on approvals, the
  // project's sync allowance. Version 1 records keep the version 1 rules.
  const TYPES_V2 = Object.assign({}, TYPES, {
    project: [Object.assign({}, TYPES.project[0], { sync_allowance_days: opt(Int(0, 90)) }), TYPES.project[1]],
    approval: [Object.assign({}, TYPES.approval[0], { subject: opt(Subject()) })],
    publication: [Object.assign({
      project: req(Code()), subject: req(Subject()), corp_code: req(CorpCode()), pay_month: req(Month()),
      days: req(Int(0, 31)), work_minutes: req(Int(0, 31 * 24 * 60)), wage: req(Hex(32)),
      objection_days: req(Int(1, 60)),
    }, HEADER), (r) => (r.work_minutes > r.days * 24 * 60 ? ['work_minutes', `${r.work_minutes} minutes in ${r.days} days`] : null)],
  });
  const VERSIONS = { 1: TYPES, 2: TYPES_V2 };

  /** Decode and check one record object (version 1); throws FormatError with the field path. */
  function decodeRecord(obj, path) {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new FormatError(`must be an object, got ${typeName(obj)}`, path);
    }
    const v = obj.v;
    if (v !== 1 && v !== 2) throw new FormatError(`unknown format version ${JSON.stringify(v === undefined ? null : typeof v === 'bigint' ? String(v) : v)}, want 1 or 2`, join(path, 'v'));
    const type = obj.type;
    const types = VERSIONS[v];
    const def = typeof type === 'string' && Object.prototype.hasOwnProperty.call(types, type) ? types[type] : null;
    if (!def) throw new FormatError(`unknown record type ${JSON.stringify(type === undefined ? null : type)}`, join(path, 'type'));
    const rec = decodeFields(obj, path, def[0], ['v', 'type'], def[1]);
    rec.v = v;
    rec.type = type;
    return rec;
  }

  // ------------------------------------------------------------------ entries and receipts

  /**
   * An entry: {v, seq, received_at, record, sig, subject_seq?, subject_prev?}. subject_seq is
   * present exactly when the record has a subject; subject_prev exactly when subject_seq > 0.
   * Returns {v, seq, received_at, record (decoded), raw (the JSON object), sig, subject_seq,
   * subject_prev, recordText (canonical record text)}.
   */
  function decodeEntry(obj, path) {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new FormatError(`must be an object, got ${typeName(obj)}`, path);
    }
    const allowed = ['v', 'seq', 'received_at', 'record', 'sig', 'subject_seq', 'subject_prev'];
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw new FormatError('unknown field', join(path, k));
    for (const k of ['v', 'seq', 'received_at', 'record', 'sig']) {
      if (!(k in obj)) throw new FormatError('required field is missing', join(path, k));
    }
    if (obj.v !== 1 && obj.v !== 2) throw new FormatError(`unknown format version ${shown(obj.v)}`, join(path, 'v'));
    if (!isInt(obj.seq) || obj.seq < 0) throw new FormatError('must be a non-negative integer', join(path, 'seq'));
    const receivedAt = parseTime(obj.received_at, join(path, 'received_at'));
    const record = decodeRecord(obj.record, join(path, 'record'));
    if (record.v !== obj.v) throw new FormatError(`entry version ${obj.v} holds a version ${record.v} record`, join(path, 'v'));
    Hex(64)(obj.sig, join(path, 'sig'));
    const hasSubject = typeof record.subject === 'string';
    let subjectSeq = null, subjectPrev = null;
    if ('subject_seq' in obj) {
      if (!hasSubject) throw new FormatError('present on a record without a subject', join(path, 'subject_seq'));
      if (!isInt(obj.subject_seq) || obj.subject_seq < 0) throw new FormatError('must be a non-negative integer', join(path, 'subject_seq'));
      subjectSeq = obj.subject_seq;
    } else if (hasSubject) {
      throw new FormatError('required for a record with a subject', join(path, 'subject_seq'));
    }
    if ('subject_prev' in obj) {
      if (!hasSubject || subjectSeq === 0) throw new FormatError("present on a worker's first entry or on an entry without a subject", join(path, 'subject_prev'));
      subjectPrev = Hex(32)(obj.subject_prev, join(path, 'subject_prev'));
    } else if (hasSubject && subjectSeq > 0) {
      throw new FormatError('required after the first entry of a worker', join(path, 'subject_prev'));
    }
    return {
      v: obj.v, seq: obj.seq, received_at: receivedAt, record, raw: obj, sig: obj.sig,
      subject_seq: subjectSeq, subject_prev: subjectPrev,
    };
  }

  function decodeReceipt(obj) {
    const keys = ['v', 'seq', 'leaf_hash', 'received_at', 'log', 'sig'];
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new FormatError(`must be an object, got ${typeName(obj)}`, 'receipt');
    for (const k of Object.keys(obj)) if (!keys.includes(k)) throw new FormatError('unknown field', `receipt.${k}`);
    for (const k of keys) if (!(k in obj)) throw new FormatError('required field is missing', `receipt.${k}`);
    if (obj.v !== 1 && obj.v !== 2) throw new FormatError(`unknown format version ${shown(obj.v)}`, 'receipt.v');
    if (!isInt(obj.seq) || obj.seq < 0) throw new FormatError('must be a non-negative integer', 'receipt.seq');
    if (typeof obj.log !== 'string') throw new FormatError('must be a key id', 'receipt.log');
    return {
      v: obj.v, seq: obj.seq, leaf_hash: Hex(32)(obj.leaf_hash, 'receipt.leaf_hash'),
      received_at: parseTime(obj.received_at, 'receipt.received_at'), log: obj.log,
      sig: Hex(64)(obj.sig, 'receipt.sig'),
    };
  }

  // ------------------------------------------------------------------ authorisation

  /** A registered key's grant, from its key record at `seq`. */
  function grantOf(rec, kid, seq) {
    return {
      key_id: kid, public_key: rec.public_key, holder: rec.holder, roles: rec.roles.slice(),
      projects: rec.projects.slice(), valid_from: rec.valid_from, valid_until: rec.valid_until || null,
      registered_seq: seq, revoked_seq: null,
    };
  }

  /** null if `grant` lets its key sign `rec` logged at `seq` (rules 1-6 and the holder
   *  bindings of docs/proof-format.md step 6); else the reason. */
  function authorise(grant, rec, seq) {
    const kid = grant.key_id;
    if (seq <= grant.registered_seq) return `key ${kid} is used at seq ${seq}, before it was registered`;
    if (grant.revoked_seq !== null && seq > grant.revoked_seq) return `key ${kid} was revoked at seq ${grant.revoked_seq}`;
    if (rec.time.us < grant.valid_from.us) return `key ${kid} is not valid before ${grant.valid_from.text}`;
    if (grant.valid_until && rec.time.us >= grant.valid_until.us) return `key ${kid} expired at ${grant.valid_until.text}`;
    if (!grant.roles.some((r) => ROLE_TYPES[r].includes(rec.type))) {
      return `key ${kid} has roles ${grant.roles.slice().sort().join(', ')}; none may sign ${rec.type} records`;
    }
    if (rec.type === 'key') {
      if (!grant.roles.includes('operator') && rec.action === 'register') {
        const extra = rec.roles.filter((r) => !DELEGABLE_BY_ADMIN.includes(r));
        if (extra.length) return `an admin key may not grant ${extra.sort().join(', ')}`;
        if (!rec.projects.length) return 'an admin key may not grant access to every project';
        const outside = grant.projects.length ? rec.projects.filter((p) => !grant.projects.includes(p)) : [];
        if (outside.length) return `an admin key may not grant projects ${outside.sort().join(', ')}`;
      }
    } else if (grant.projects.length && !grant.projects.includes(rec.project)) {
      return `key ${kid} is not authorised for project ${rec.project}`;
    }
    if (rec.type === 'attendance' && grant.roles.includes('device') && grant.holder !== rec.device) {
      return `key belongs to device ${grant.holder}, the punch names device ${rec.device}`;
    }
    if (rec.type === 'ack' && grant.roles.includes('worker') && grant.holder !== rec.subject) {
      return `key holder ${grant.holder} is not worker ${rec.subject}`;
    }
    return null;
  }

  /** A revocation by a key without the operator role must name a key whose non-empty project
   *  list lies inside the signer's (docs/proof-format.md, step 4). */
  function authoriseRevocation(signer, target) {
    if (signer.roles.includes('operator')) return null;
    const inside = signer.projects.length === 0 || target.projects.every((p) => signer.projects.includes(p));
    if (!target.projects.length || !inside) {
      return `key ${signer.key_id} may not revoke key ${target.key_id} (outside its projects)`;
    }
    return null;
  }

  SL.records = {
    decodeRecord, decodeEntry, decodeReceipt, grantOf, authorise, authoriseRevocation,
    ROLE_TYPES, Str, Int, Hex, Code, Subject,
    RECORD_TYPES: new Set([...Object.keys(TYPES), ...Object.keys(TYPES_V2)]),
  };
})(typeof globalThis !== 'undefined' ? globalThis : this);
