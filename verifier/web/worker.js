/*
 * siteledger worker page (/w/ on `siteledger serve`): the worker's own month on his phone.
 *
 * docs/worker-page.md describes the flow; docs/api.md ("The worker page") the calls:
 *   1. the contractor's link carries a one-time code in its fragment (#code=…, never sent in a
 *      URL); the page makes the worker's Ed25519 key (WebCrypto, non-extractable; the vendored
 *      @noble/curves only where the browser has no WebCrypto Ed25519), keeps it in IndexedDB and
 *      redeems the code with the public key;
 *   2. once the contractor approves, the key signs a single-use challenge for a 15-minute
 *      session token;
 *   3. the page reads the worker's own entries, draws the month with the shared timeline
 *      (timeline.js, facts from findings.js), lets him confirm or dispute the wage line, a
 *      payment or the month's publication with an `ack` record signed here (canonical bytes of
 *      core.js, docs/records.md), and downloads his wage and presence bundles.
 * Classic script, no network but this page's own server. Every string is in STRINGS.
 */
(function (root) {
  'use strict';
  const SL = root.siteledger;
  const C = SL.core;
  const R = SL.records;
  const F = SL.findings;

  const RECORD_TAG = 'siteledger/record/v1';
  const SESSION_TAG = 'siteledger/worker-session/v1';
  const DB_NAME = 'siteledger-worker';
  const DB_STORE = 'keys';
  const POLL_MS = 5000;

  const STRINGS = {
    zh: {
      title: '我的考勤与工资',
      loading: '正在加载……',
      noKey: '这部手机还没有绑定。请向项目的劳务或总包单位索取您的个人链接或二维码。',
      enrollTitle: '绑定这部手机',
      enrollText: '这部手机将生成您自己的签名密钥，密钥不会离开这部手机。用它登录、确认或对工资提出异议。绑定需要项目单位批准。',
      enrollButton: '生成密钥并绑定',
      enrolling: '正在生成密钥……',
      linkedAlready: '这部手机已经绑定了密钥（密钥编号 {kid}）。',
      useKey: '用已绑定的密钥打开我的页面',
      pendingTitle: '等待批准',
      pendingText: '您的密钥已提交（密钥编号 {kid}）。项目单位批准后，本页会自动打开。',
      checkNow: '立即刷新',
      rejectedTitle: '绑定未获批准',
      rejectedText: '项目单位拒绝或撤销了这部手机的密钥。请索取新的链接。',
      forget: '删除这部手机上的密钥',
      forgetConfirm: '删除后需要新的链接才能再次绑定。确定删除？',
      month: '月份',
      summary: '本月概况',
      daysWorked: '出勤天数',
      hoursWorked: '打卡工时',
      shifts: '每日打卡',
      date: '日期', in: '进场', out: '出场', hours: '工时',
      noShifts: '本月没有打卡记录。',
      openIn: '无出场打卡',
      wageTitle: '工资单',
      noWage: '本月还没有工资单。',
      days: '天数', minutes: '工时', gross: '应发', deductions: '扣款', net: '实发', payDate: '发薪日',
      approval: '监理审批',
      approved: '已批准', rejectedWage: '已驳回', notApproved: '未审批',
      paymentsTitle: '支付记录',
      noPayments: '本月没有支付记录。',
      amount: '金额', status: '状态',
      paymentStatus: { paid: '已支付', failed: '支付失败', returned: '已退回' },
      publicationsTitle: '公示与异议期',
      noPublications: '本月没有公示。',
      closes: '异议期至',
      pubState: { acknowledged: '您已确认', objected: '您已提出异议', silent: '异议期已过，未提出异议', open: '异议期内' },
      myAck: { confirm: '您已确认（{at}）', dispute: '您已提出异议（{at}）：{reason}' },
      confirm: '确认无误',
      dispute: '提出异议',
      reasonLabel: '异议理由（必填，最多 500 字）',
      reasonMissing: '请写明异议理由。',
      send: '签名并提交',
      cancel: '取消',
      ackDone: '已签名提交并记入账本（序号 {seq}）。',
      downloads: '下载我的证据包',
      downloadsText: '证据包可以离线核验（核验页面 /verify/ 或 siteledger-verify），请保存好。',
      wageBundle: '工资证据包（{month}）',
      presenceBundle: '在场证据包',
      presenceAt: '在场时刻',
      notAnchored: '记录尚未上链锚定，证据包稍后才能下载，请过几分钟再试。',
      beforeEnrollment: '您在这个时间还没有在本项目登记进场。请选择登记进场之后的时间。',
      scrollHint: '图较宽：左右滑动可看全月。',
      downloaded: '已下载 {name}。',
      error: '出错了：{detail}',
      problems: {
        'link-code-unknown': '链接无效：没有这个绑定码。请核对链接或索取新的链接。',
        'link-code-expired': '链接已过期。请向项目单位索取新的链接。',
        'link-code-used': '这个链接已经使用过了（每个链接只能用一次）。请索取新的链接。',
        'key-in-use': '这个密钥已经绑定过。',
        'rate-limited': '尝试次数过多，请稍后再试。',
        'window-closed': '异议期已经结束，不能再确认或提出异议。',
        'forbidden': '无权进行此操作。',
        'invalid-token': '登录已过期，请刷新页面。',
        'challenge-invalid': '登录失败，请刷新页面重试。',
        'session-signature-invalid': '这部手机上的密钥与登记的不符。',
        'link-rejected': '项目单位拒绝或撤销了这部手机的密钥。',
      },
      network: '无法连接服务器。',
      noCrypto: '这个浏览器无法生成密钥（需要 HTTPS 或本机地址）。',
      worker: '工人编号', project: '项目', key: '密钥',
      footer: '本页只显示您本人的记录。签名密钥保存在这部手机的浏览器中。',
    },
    en: {
      title: 'My attendance and pay',
      loading: 'Loading…',
      noKey: 'This phone is not linked yet. Ask the labour subcontractor or general contractor of your project for your personal link or QR code.',
      enrollTitle: 'Link this phone',
      enrollText: 'This phone will make your own signing key, which never leaves it. You use it to sign in and to confirm or dispute your pay. The project must approve the link.',
      enrollButton: 'Make my key and link this phone',
      enrolling: 'Making the key…',
      linkedAlready: 'This phone already holds a linked key (key id {kid}).',
      useKey: 'Open my page with that key',
      pendingTitle: 'Waiting for approval',
      pendingText: 'Your key was sent (key id {kid}). This page opens by itself once the project approves it.',
      checkNow: 'Check now',
      rejectedTitle: 'The link was not approved',
      rejectedText: 'The project rejected or revoked this phone\'s key. Ask for a new link.',
      forget: 'Delete the key on this phone',
      forgetConfirm: 'You will need a new link to link this phone again. Delete?',
      month: 'Month',
      summary: 'This month',
      daysWorked: 'Days on site',
      hoursWorked: 'Hours punched',
      shifts: 'Punches by day',
      date: 'Date', in: 'In', out: 'Out', hours: 'Hours',
      noShifts: 'No punches this month.',
      openIn: 'no OUT punch',
      wageTitle: 'Wage line',
      noWage: 'No wage line for this month yet.',
      days: 'Days', minutes: 'Hours', gross: 'Gross', deductions: 'Deductions', net: 'Net', payDate: 'Pay date',
      approval: 'Supervisor',
      approved: 'approved', rejectedWage: 'rejected', notApproved: 'not approved yet',
      paymentsTitle: 'Payments',
      noPayments: 'No payments this month.',
      amount: 'Amount', status: 'Status',
      paymentStatus: { paid: 'paid', failed: 'failed', returned: 'returned' },
      publicationsTitle: 'Publication and objection window',
      noPublications: 'Nothing published this month.',
      closes: 'Objections until',
      pubState: { acknowledged: 'you confirmed', objected: 'you objected', silent: 'window closed, no objection', open: 'window open' },
      myAck: { confirm: 'You confirmed ({at})', dispute: 'You disputed ({at}): {reason}' },
      confirm: 'Confirm',
      dispute: 'Dispute',
      reasonLabel: 'Why you dispute it (required, up to 500 characters)',
      reasonMissing: 'Please write why you dispute it.',
      send: 'Sign and send',
      cancel: 'Cancel',
      ackDone: 'Signed, sent and logged (seq {seq}).',
      downloads: 'Download my evidence',
      downloadsText: 'Bundles can be checked offline (the verifier page /verify/ or siteledger-verify). Keep them.',
      wageBundle: 'Wage bundle ({month})',
      presenceBundle: 'Presence bundle',
      presenceAt: 'On site at',
      notAnchored: 'The records are not anchored on chain yet; the bundle can be downloaded in a few minutes.',
      beforeEnrollment: 'You were not enrolled on this project yet at that time. Choose a time after your enrollment.',
      scrollHint: 'The picture is wide: swipe sideways to see the whole month.',
      downloaded: 'Downloaded {name}.',
      error: 'Something went wrong: {detail}',
      problems: {
        'link-code-unknown': 'The link is not valid: no such code. Check the link or ask for a new one.',
        'link-code-expired': 'The link has expired. Ask the project for a new one.',
        'link-code-used': 'This link was already used (each link works once). Ask for a new one.',
        'key-in-use': 'This key is already linked.',
        'rate-limited': 'Too many attempts; try again later.',
        'window-closed': 'The objection window has closed; it can no longer be confirmed or disputed.',
        'forbidden': 'You may not do this.',
        'invalid-token': 'The session expired; reload the page.',
        'challenge-invalid': 'Sign-in failed; reload the page and try again.',
        'session-signature-invalid': 'The key on this phone is not the one registered.',
        'link-rejected': 'The project rejected or revoked this phone\'s key.',
      },
      network: 'The server cannot be reached.',
      noCrypto: 'This browser cannot make a key (it needs HTTPS or a local address).',
      worker: 'Worker id', project: 'Project', key: 'Key',
      footer: 'This page shows your own records only. Your signing key stays in this phone\'s browser.',
    },
  };

  const state = {
    lang: 'zh', key: null, token: null, entries: [], month: null, note: null, timer: null,
  };
  root.siteledgerWorker = state; // for tests and the curious: nothing secret (the key is non-extractable)

  function t(path, vals) {
    let v = path.split('.').reduce((o, k) => (o ? o[k] : undefined), STRINGS[state.lang]);
    if (typeof v !== 'string') v = path;
    return v.replace(/\{(\w+)\}/g, (_, k) => (vals && vals[k] !== undefined ? String(vals[k]) : ''));
  }

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const kid of kids.flat(Infinity)) if (kid !== null && kid !== undefined) e.append(kid);
    return e;
  }

  const main = () => document.getElementById('main');
  function show(name, ...nodes) {
    document.body.dataset.state = name;
    const m = main();
    m.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined)); // (null: "null" text)
  }

  // ------------------------------------------------------------------ the key, in IndexedDB

  function idb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(DB_STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  async function dbDo(mode, fn) {
    const db = await idb();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(DB_STORE, mode);
        const req = fn(tx.objectStore(DB_STORE));
        tx.oncomplete = () => resolve(req.result);
        tx.onerror = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  const loadKey = () => dbDo('readonly', (s) => s.get('current'));
  const saveKey = (k) => dbDo('readwrite', (s) => s.put(k, 'current'));
  const deleteKey = () => dbDo('readwrite', (s) => s.delete('current'));

  /** A new Ed25519 key: WebCrypto, non-extractable, where the browser has it; else @noble/curves
   *  with a seed from the browser's random generator, kept in IndexedDB like the CryptoKey. */
  async function makeKey() {
    const subtle = root.crypto && root.crypto.subtle;
    if (subtle) {
      try {
        const kp = await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
        const pub = new Uint8Array(await subtle.exportKey('raw', kp.publicKey));
        return { kind: 'webcrypto', private_key: kp.privateKey, public_key: C.toHex(pub) };
      } catch (e) { /* no WebCrypto Ed25519 here: the vetted fallback below */ }
    }
    const N = root.siteledgerNoble;
    if (!N || !root.crypto || !root.crypto.getRandomValues) throw new Error(t('noCrypto'));
    const seed = N.ed25519.utils.randomPrivateKey();
    return { kind: 'noble', seed, public_key: C.toHex(N.ed25519.getPublicKey(seed)) };
  }

  /** Ed25519 over tag ‖ 0x00 ‖ message (docs/records.md, "Signatures"), hex. */
  async function sign(key, tag, message) {
    const data = C.concat(C.utf8(tag), new Uint8Array([0]), message);
    if (key.kind === 'webcrypto') {
      return C.toHex(new Uint8Array(await root.crypto.subtle.sign({ name: 'Ed25519' }, key.private_key, data)));
    }
    return C.toHex(root.siteledgerNoble.ed25519.sign(data, key.seed));
  }

  // ------------------------------------------------------------------ the API

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem.detail || problem.title || String(status));
      this.status = status;
      this.code = problem.code || null;
      this.problem = problem;
    }
  }

  async function api(method, path, body, auth = true) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth && state.token) headers.Authorization = 'Bearer ' + state.token;
    let resp;
    try {
      resp = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, { code: 'network', detail: t('network') });
    }
    const text = await resp.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    if (!resp.ok) throw new ApiError(resp.status, data && typeof data === 'object' ? data : { detail: text.slice(0, 200) });
    return { status: resp.status, data, text };
  }

  function problemText(err) {
    if (err instanceof ApiError) {
      const known = STRINGS[state.lang].problems[err.code];
      if (known) return known;
      if (err.code === 'network') return t('network');
      return t('error', { detail: err.message });
    }
    return t('error', { detail: err && err.message ? err.message : String(err) });
  }

  function message(text, kind) {
    return el('div', { class: 'card msg ' + (kind || ''), role: kind === 'bad' ? 'alert' : 'status', text });
  }

  // ------------------------------------------------------------------ enrollment and sign-in

  function codeFromFragment() {
    const m = /(?:^#|&)code=([A-Za-z0-9_]{1,64})(?:&|$)/.exec(location.hash);
    return m ? m[1] : null;
  }

  /** Codes after which the same link can never be redeemed: its button would only fail again. */
  const SPENT = new Set(['link-code-unknown', 'link-code-expired', 'link-code-used']);

  function showEnroll(code, note, spent = false) {
    const btn = el('button', { type: 'button', class: 'primary', id: 'enroll', text: t('enrollButton') });
    btn.addEventListener('click', () => enroll(code, btn));
    let mine = null; // a link opened again on a phone that is linked already
    if (state.key && state.key.key_id) {
      const open = el('button', { type: 'button', class: 'act', id: 'use-key', text: t('useKey') });
      open.addEventListener('click', () => signIn());
      mine = el('section', { class: 'card' }, el('p', { text: t('linkedAlready', { kid: state.key.key_id }) }), open);
    }
    show('enroll', note || null, mine, spent ? null : el('section', { class: 'card' },
      el('h2', { text: t('enrollTitle') }), el('p', { text: t('enrollText') }), btn));
  }

  async function enroll(code, btn) {
    btn.disabled = true;
    btn.textContent = t('enrolling');
    try {
      const key = await makeKey();
      const got = await api('POST', '/v1/link-codes/redeem', { code, public_key: key.public_key }, false);
      const link = got.data;
      Object.assign(key, { link_id: link.link_id, key_id: link.key_id, subject: link.subject, project: link.project });
      await saveKey(key);
      state.key = key;
      await signIn();
    } catch (err) {
      showEnroll(code, message(problemText(err), 'bad'), SPENT.has(err.code));
    }
  }

  function showPending() {
    const again = el('button', { type: 'button', class: 'act', id: 'check', text: t('checkNow') });
    again.addEventListener('click', () => signIn());
    show('pending', el('section', { class: 'card msg' },
      el('h2', { text: t('pendingTitle') }), el('p', { text: t('pendingText', { kid: state.key.key_id }) }), again));
    clearTimeout(state.timer);
    state.timer = setTimeout(() => signIn(), POLL_MS);
  }

  function showRejected(text) {
    const forget = el('button', { type: 'button', class: 'act dispute', text: t('forget') });
    forget.addEventListener('click', async () => {
      if (!root.confirm(t('forgetConfirm'))) return;
      await deleteKey();
      state.key = null;
      show('no-key', message(t('noKey')));
    });
    show('rejected', el('section', { class: 'card msg bad' }, el('h2', { text: t('rejectedTitle') }),
      el('p', { text: text || t('rejectedText') }), forget));
  }

  /** Challenge, signature, session token (docs/api.md, "Worker sessions"). */
  async function signIn() {
    clearTimeout(state.timer);
    const key = state.key;
    try {
      const ch = await api('POST', '/v1/worker-sessions/challenge', { key_id: key.key_id }, false);
      const msg = C.canonicalBytes({ challenge: ch.data.challenge, key_id: key.key_id });
      const sig = await sign(key, SESSION_TAG, msg);
      const s = await api('POST', '/v1/worker-sessions', { key_id: key.key_id, challenge: ch.data.challenge, sig }, false);
      state.token = s.data.token;
      await loadEntries();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'link-pending') return showPending();
      if (err instanceof ApiError && err.code === 'link-rejected') return showRejected();
      show('error', message(problemText(err), 'bad'));
    }
  }

  // ------------------------------------------------------------------ the month

  async function loadEntries() {
    const key = state.key;
    const out = [];
    let after = -1;
    for (;;) {
      const q = `project=${encodeURIComponent(key.project)}&limit=1000` + (after >= 0 ? `&after_seq=${after}` : '');
      const page = (await api('GET', `/v1/workers/${encodeURIComponent(key.subject)}/records?${q}`)).data;
      for (const item of page.entries) {
        out.push({ leaf: item.leaf_hash, entry: R.decodeEntry(item.entry, `entries[${item.seq}]`), raw: item.entry });
      }
      if (page.next_after_seq === null) break;
      after = page.next_after_seq;
    }
    state.entries = out;
    // the project's time zone (its project record, GET /v1/projects): the clock times the
    // verifier and the evidence report show, whatever offset a gate stamped its punches in
    try {
      const projects = (await api('GET', '/v1/projects')).data.projects || [];
      const mine = projects.find((p) => p.project === key.project);
      if (mine && typeof mine.tz_offset === 'string') state.projectTz = mine.tz_offset;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid-token') throw err;
      // otherwise: the offset of the worker's first entry, as before
    }
    const months = monthsOf(out);
    if (!state.month || !months.includes(state.month)) state.month = months.length ? months[months.length - 1] : null;
    render();
  }

  function offText(off) {
    if (!off) return 'Z';
    const a = Math.abs(off), p2 = (n) => String(n).padStart(2, '0');
    return `${off < 0 ? '-' : '+'}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
  }

  function offsetOf(entries) {
    const tz = /^([+-])(\d\d):(\d\d)$/.exec(state.projectTz || '');
    if (tz) return (tz[1] === '-' ? -1 : 1) * (Number(tz[2]) * 60 + Number(tz[3]));
    for (const x of entries) if (x.entry.record.time) return x.entry.record.time.off;
    return 480; // China Standard Time, when the worker has no entry yet
  }

  function monthsOf(entries) {
    const off = offsetOf(entries);
    const set = new Set();
    for (const { entry } of entries) {
      const r = entry.record;
      if (r.type === 'attendance') set.add(C.formatTime(r.time.us, off).slice(0, 7));
      else if (typeof r.pay_month === 'string') set.add(r.pay_month);
    }
    return [...set].sort();
  }

  /** The timeline facts of the month (findings.js), from the worker's own entries. */
  function factsOf(month) {
    const key = state.key;
    const eff = F.effects(state.entries.map((x) => [x.leaf, x.entry]));
    const leafOf = new Map(state.entries.map((x) => [x.entry.seq, x.leaf]));
    const b = {
      kind: 'wage', subject: key.subject, project: key.project, pay_month: month, at: null, record: null,
      // "now" stands for the checkpoint: a window that closed before now without an objection
      // is silent (the state rule of docs/verifying.md, "The month timeline facts")
      context: state.projectTz ? [{ entry: { record: { type: 'project', project: key.project, tz_offset: state.projectTz } } }] : [],
      issued_at: { us: Date.now() * 1000 }, checkpoint: { batch: { sealed_at: { us: Date.now() * 1000 } } },
    };
    return { facts: F.timelineFacts(b, eff, leafOf, new Map()), eff, leafOf };
  }

  const yuan = (fen) => `${F.yuan(fen)} ${state.lang === 'zh' ? '元' : 'yuan'}`;
  const hm = (m) => (state.lang === 'zh' ? `${Math.floor(m / 60)} 小时 ${m % 60} 分` : `${Math.floor(m / 60)} h ${m % 60} min`);
  const short = (at) => (at ? at.slice(11, 16) : '');
  const day = (at) => (at ? at.slice(0, 10) : '');

  function dl(pairs) {
    return el('dl', {}, pairs.filter(Boolean).map(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
  }

  function myAcks(leaf) {
    return state.entries.filter((x) => x.entry.record.type === 'ack' && x.entry.record.target === leaf)
      .map((x) => x.entry.record);
  }

  /** Confirm / dispute buttons for an entry, or what the worker already said about it. */
  function ackBox(leaf, open) {
    const box = el('div', { class: 'ack' });
    const said = myAcks(leaf);
    for (const a of said) {
      box.append(el('p', { class: 'state state-' + a.decision,
        text: t('myAck.' + a.decision, { at: a.time.text.slice(0, 16).replace('T', ' '), reason: a.reason || '' }) }));
    }
    if (!open) return box;
    const row = el('div', { class: 'row' });
    const yes = el('button', { type: 'button', class: 'act', 'data-ack': 'confirm', 'data-target': leaf, text: t('confirm') });
    const no = el('button', { type: 'button', class: 'act dispute', 'data-ack': 'dispute', 'data-target': leaf, text: t('dispute') });
    yes.addEventListener('click', () => submitAck(leaf, 'confirm', null, box));
    no.addEventListener('click', () => {
      const area = el('textarea', { maxlength: '500', 'aria-label': t('reasonLabel'), name: 'reason' });
      const send = el('button', { type: 'button', class: 'primary', 'data-send': leaf, text: t('send') });
      const cancel = el('button', { type: 'button', class: 'act', text: t('cancel') });
      const form = el('div', { class: 'dispute-form' }, el('label', { text: t('reasonLabel') }), area, el('div', { class: 'row' }, send, cancel));
      send.addEventListener('click', () => {
        const reason = area.value.trim();
        if (!reason) { area.setCustomValidity(t('reasonMissing')); area.reportValidity(); return; }
        submitAck(leaf, 'dispute', reason, box);
      });
      cancel.addEventListener('click', () => { form.remove(); row.hidden = false; });
      row.hidden = true;
      box.append(form);
    });
    row.append(yes, no);
    box.append(row);
    return box;
  }

  function randomId() {
    const b = new Uint8Array(6);
    root.crypto.getRandomValues(b);
    return C.toHex(b);
  }

  /** Builds, signs (canonical bytes, docs/records.md) and sends an ack record. */
  async function submitAck(leaf, decision, reason, box) {
    const key = state.key;
    const off = offsetOf(state.entries);
    const now = Math.floor(Date.now() / 1000) * 1e6;
    const record = {
      v: 2, type: 'ack', id: `ack-${C.formatTime(now, off).slice(0, 10)}-${randomId()}`, signer: key.key_id,
      time: C.formatTime(now, off), project: key.project, subject: key.subject, target: leaf, decision,
    };
    if (reason) record.reason = reason;
    for (const b of box.querySelectorAll('button')) b.disabled = true;
    try {
      const sig = await sign(key, RECORD_TAG, C.canonicalBytes(record));
      const got = await api('POST', `/v1/workers/${encodeURIComponent(key.subject)}/acks`, { record, sig });
      state.note = message(t('ackDone', { seq: got.data.seq }), 'ok');
      await loadEntries();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid-token') return signIn();
      state.note = message(problemText(err), 'bad');
      render();
    }
  }

  async function download(kind) {
    const key = state.key;
    const s = encodeURIComponent(key.subject), p = encodeURIComponent(key.project);
    let path, name;
    if (kind === 'wage') {
      path = `/v1/workers/${s}/wage-bundle?project=${p}&pay_month=${state.month}`;
      name = `wage-${key.subject}-${state.month}.json`;
    } else {
      const input = document.getElementById('presence-at');
      if (!input || !/^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(input.value)) return;
      const at = input.value + ':00' + offText(offsetOf(state.entries));
      path = `/v1/presence/bundle?project=${p}&subject=${s}&at=${encodeURIComponent(at)}`;
      name = `presence-${key.subject}-${input.value.replace(':', '')}.json`;
    }
    try {
      const got = await api('GET', path);
      const blob = new Blob([got.text], { type: 'application/json' });
      const a = el('a', { href: URL.createObjectURL(blob), download: name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      state.downloadNote = message(t('downloaded', { name }), 'ok');
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid-token') return signIn();
      const why = !(err instanceof ApiError) ? problemText(err)
        : err.status === 409 ? t('notAnchored')
          : err.status === 404 && kind === 'presence' ? t('beforeEnrollment') : problemText(err);
      state.downloadNote = message(why, 'bad');
    }
    render();
    // the answer next to the button the worker pressed, not at the top of a long page
    const card = document.getElementById('downloads');
    if (card && card.scrollIntoView) card.scrollIntoView({ block: 'nearest' });
  }

  function render() {
    const key = state.key;
    const month = state.month;
    const nodes = [];
    if (state.note) { nodes.push(state.note); state.note = null; }
    const months = monthsOf(state.entries);
    const select = el('select', { id: 'month', 'aria-label': t('month') },
      months.map((m) => el('option', { value: m, selected: m === month, text: m })));
    select.addEventListener('change', () => { state.month = select.value; render(); });
    nodes.push(el('section', { class: 'card' }, dl([[t('worker'), key.subject], [t('project'), key.project], [t('key'), key.key_id]]),
      months.length ? el('div', { class: 'row' }, el('label', { for: 'month', text: t('month') }), select) : null));
    if (!month) {
      nodes.push(message(t('noShifts')));
      show('month', ...nodes);
      return;
    }
    const { facts, leafOf } = factsOf(month);
    const daysOn = new Set(facts.shifts.map((x) => x.date).concat(facts.open_ins.map((x) => x.date)));
    const minutes = facts.shifts.reduce((a, x) => a + x.minutes, 0);
    nodes.push(el('section', { class: 'card', id: 'summary' }, el('h2', { text: t('summary') }),
      dl([[t('daysWorked'), String(daysOn.size)], [t('hoursWorked'), hm(minutes)]])));
    if (typeof root.siteledgerTimeline === 'function') {
      const holder = el('div', { class: 'timeline' });
      const doc = new DOMParser().parseFromString(root.siteledgerTimeline(facts, state.lang), 'image/svg+xml');
      holder.append(document.importNode(doc.documentElement, true));
      nodes.push(el('section', { class: 'card' }, el('p', { class: 'scroll-hint', text: t('scrollHint') }), holder));
    }
    const rows = facts.shifts.map((x) => [x.date, short(x.in), short(x.out), hm(x.minutes)])
      .concat(facts.open_ins.map((x) => [x.date, short(x.at), t('openIn'), '']))
      .sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
    nodes.push(el('section', { class: 'card', id: 'shifts' }, el('h2', { text: t('shifts') }),
      rows.length ? el('table', {}, el('thead', {}, el('tr', {}, [t('date'), t('in'), t('out'), t('hours')].map((h) => el('th', { text: h })))),
        el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c) => el('td', { text: c })))))) : el('p', { class: 'muted', text: t('noShifts') })));

    const w = facts.wage;
    const wageBox = el('section', { class: 'card', id: 'wage' }, el('h2', { text: t('wageTitle') }));
    if (!w) wageBox.append(el('p', { class: 'muted', text: t('noWage') }));
    else {
      const appr = w.approval ? (w.approval.decision === 'approve' ? t('approved') : t('rejectedWage')) : t('notApproved');
      wageBox.append(dl([[t('days'), String(w.days)], [t('minutes'), hm(w.minutes)], [t('gross'), yuan(w.gross)],
        [t('deductions'), yuan(w.deductions)], [t('net'), yuan(w.net)], [t('payDate'), w.pay_date || ''], [t('approval'), appr]]));
      wageBox.append(ackBox(leafOf.get(w.seq), true));
    }
    nodes.push(wageBox);

    const payBox = el('section', { class: 'card', id: 'payments' }, el('h2', { text: t('paymentsTitle') }));
    if (!facts.payments.length) payBox.append(el('p', { class: 'muted', text: t('noPayments') }));
    for (const p of facts.payments) {
      payBox.append(el('div', { class: 'payment' }, dl([[t('date'), p.date], [t('amount'), yuan(p.amount)],
        [t('status'), t('paymentStatus.' + p.status)]]), ackBox(leafOf.get(p.seq), true)));
    }
    nodes.push(payBox);

    const pubBox = el('section', { class: 'card', id: 'publications' }, el('h2', { text: t('publicationsTitle') }));
    if (!facts.publications.length) pubBox.append(el('p', { class: 'muted', text: t('noPublications') }));
    for (const p of facts.publications) {
      pubBox.append(el('div', { class: 'publication' }, dl([[t('days'), String(p.days)], [t('minutes'), hm(p.minutes)],
        [t('closes'), p.closes.slice(0, 16).replace('T', ' ')]]),
      el('p', { class: 'state state-' + p.state, text: t('pubState.' + p.state) }),
      // both buttons while the window is open, after an ack too: a dispute before the window
      // closes makes the month objected (docs/records.md), so a mis-tapped confirm is not final
      ackBox(leafOf.get(p.seq), C.parseTime(p.closes).us > Date.now() * 1000)));
    }
    nodes.push(pubBox);

    const wageBtn = el('button', { type: 'button', class: 'act', id: 'dl-wage', text: t('wageBundle', { month }) });
    wageBtn.addEventListener('click', () => download('wage'));
    // presence: was I on site at this moment (default: an hour into the month's last shift)
    const last = facts.shifts.length ? facts.shifts[facts.shifts.length - 1] : null;
    // (no shift yet: now, in the project's offset: an instant before his enrollment has no answer)
    const off = offsetOf(state.entries);
    const dflt = last ? C.formatTime(C.parseTime(last.in).us + 3600e6, C.parseTime(last.in).off).slice(0, 16)
      : C.formatTime(Math.floor(Date.now() / 60000) * 60e6, off).slice(0, 16);
    const atInput = el('input', { type: 'datetime-local', id: 'presence-at', value: dflt, 'aria-label': t('presenceAt') });
    const presBtn = el('button', { type: 'button', class: 'act', id: 'dl-presence', text: t('presenceBundle') });
    presBtn.addEventListener('click', () => download('presence'));
    const note = state.downloadNote || null;
    state.downloadNote = null;
    nodes.push(el('section', { class: 'card', id: 'downloads' }, el('h2', { text: t('downloads') }),
      el('p', { class: 'muted', text: t('downloadsText') }), el('div', { class: 'row' }, wageBtn),
      el('div', { class: 'row' }, el('label', { for: 'presence-at', text: t('presenceAt') }), atInput, presBtn), note));
    show('month', ...nodes);
  }

  // ------------------------------------------------------------------ start

  function chrome() {
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('title') + ' · siteledger';
    document.getElementById('title').textContent = t('title');
    document.getElementById('foot').textContent = t('footer');
    for (const b of document.querySelectorAll('.lang button')) b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
  }

  function setLang(lang) {
    state.lang = lang;
    try { root.localStorage.setItem('siteledger-lang', lang); } catch (e) { /* private mode */ }
    chrome();
    const s = document.body.dataset.state;
    if (s === 'month') render();
    else if (s === 'pending') showPending();
    else if (s === 'rejected') showRejected();
    else if (s === 'enroll') showEnroll(state.code);
    else if (s === 'no-key') show('no-key', message(t('noKey')));
  }

  async function start() {
    let saved = null;
    try { saved = root.localStorage.getItem('siteledger-lang'); } catch (e) { saved = null; }
    state.lang = saved === 'en' ? 'en' : 'zh';
    chrome();
    for (const b of document.querySelectorAll('.lang button')) b.addEventListener('click', () => setLang(b.dataset.lang));
    show('loading', el('p', { class: 'muted', text: t('loading') }));
    const code = codeFromFragment();
    if (code) history.replaceState(null, '', location.pathname + location.search); // the code leaves the address bar
    try {
      state.key = (await loadKey()) || null;
    } catch (e) {
      state.key = null;
    }
    if (code) {
      state.code = code;
      showEnroll(code);
    } else if (state.key) {
      await signIn();
    } else {
      show('no-key', message(t('noKey')));
    }
  }

  /** A new link opened in the same tab (only the fragment changes: no reload). */
  function onHashChange() {
    const code = codeFromFragment();
    if (!code) return;
    history.replaceState(null, '', location.pathname + location.search);
    state.code = code;
    clearTimeout(state.timer);
    showEnroll(code);
  }

  if (typeof document !== 'undefined') {
    root.addEventListener('hashchange', onHashChange);
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
  }
})(typeof globalThis !== 'undefined' ? globalThis : this);
