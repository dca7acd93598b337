/*
 * siteledger verifier page: the user interface. Files dropped or picked are read in the
 * browser and verified by verify.js; nothing leaves the machine except, when the user types a
 * node URL, the JSON-RPC questions about the anchors. Bundle content is only ever inserted as
 * text (textContent), never as HTML.
 */
(function (root) {
  'use strict';
  const SL = root.siteledger;
  const I = SL.i18n;
  const doc = root.document;
  const state = { lang: 'zh', files: [], reports: [], timings: {} };
  const now = () => (root.performance ? root.performance.now() : Date.now());

  const $ = (id) => doc.getElementById(id);
  // Chain ids of development chains (local, resettable by whoever runs them): an anchor on one
  // proves nothing to a third party; the evidence report names them the same way.
  const DEV_CHAINS = { 31337: 'Hardhat / Anvil', 1337: 'Ganache / Geth dev', 131277322940537: 'eth-tester' };

  function el(tag, attrs, ...children) {
    const e = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  const tr = (table, key) => I.t(table, key, state.lang);
  const text = (key) => tr(I.TEXT, key);

  function applyLanguage() {
    doc.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    doc.title = text('title') + ' · siteledger';
    for (const node of doc.querySelectorAll('[data-t]')) node.textContent = text(node.getAttribute('data-t'));
    for (const b of doc.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === state.lang));
    render();
  }

  async function verifyFiles(files) {
    state.timings = { received: now() }; // milliseconds: received, first (first verdict shown), done
    state.files = files;
    await run();
  }

  async function run() {
    const out = $('results');
    out.replaceChildren(el('p', { class: 'working', text: text('working') }));
    doc.body.setAttribute('data-state', 'working');
    const rpc = $('rpc').value.trim();
    const reports = [];
    state.reports = reports;
    let pending = doc.createDocumentFragment();
    let flushed = now();
    const working = out.lastElementChild;
    const flush = () => { out.insertBefore(pending, working); pending = doc.createDocumentFragment(); flushed = now(); };
    for (const f of state.files) {
      let report;
      try {
        const bytes = new Uint8Array(await f.data());
        report = await SL.verify(bytes, { source: f.name, rpc: rpc || null, offline: !rpc });
      } catch (e) {
        report = { source: f.name, kind: null, verdict: 'INVALID', anchor_checked: false, unreadable: false,
          checks: [{ name: 'format', status: 'failed', detail: String((e && e.message) || e) }], findings: [], facts: {} };
      }
      reports.push(report);
      // Verdicts show as they are known while the next bundles are checked: the first at
      // once, the others in batches so that the page is not laid out again for every one.
      pending.append(card(report, reports.length - 1));
      if (reports.length === 1) { flush(); state.timings.first = now(); }
      else if (now() - flushed > 250) flush();
    }
    flush();
    working.remove();
    if (state.files.length > 1) out.prepend(summaryLine());
    state.timings.done = now();
    doc.body.setAttribute('data-state', 'done');
  }

  function summaryLine() {
    const counts = {};
    for (const r of state.reports) counts[r.verdict] = (counts[r.verdict] || 0) + 1;
    const parts = Object.entries(counts).map(([v, n]) => `${n} ${tr(I.VERDICT, v)}`).join(state.lang === 'zh' ? '，' : ', ');
    return el('p', { class: 'summary', id: 'summary', text: text('summary').replace('{n}', state.files.length) + parts });
  }

  function verdictKey(r) {
    if (r.unreadable) return 'UNREADABLE';
    if (r.verdict === 'VALID' && !r.anchor_checked) return 'VALID_OFFLINE';
    if (r.verdict === 'INCONCLUSIVE' && r.checks.some((c) => c.name === 'checkpoint.covers' && c.status === 'inconclusive')) return 'NOT_COVERED';
    return r.verdict;
  }

  function render() {
    if (!state.reports.length || doc.body.getAttribute('data-state') === 'working') return;
    const nodes = state.reports.map((r, i) => card(r, i));
    if (state.files.length > 1) nodes.unshift(summaryLine());
    $('results').replaceChildren(...nodes);
  }

  function what(r) {
    const f = r.facts || {};
    if (f.record) return `${tr(I.RECORD_TYPE, f.record.type)} ${f.record.id} · ${text('seq')} ${f.record.seq}`;
    if (f.run) return `${tr(I.KIND, r.kind)} · ${f.run.subject} · ${f.run.project} · ${f.run.entries} ${text('entries')}`;
    return r.kind ? tr(I.KIND, r.kind) : '';
  }

  function card(r, i) {
    const v = r.verdict;
    const box = el('section', { class: `bundle verdict-${v.toLowerCase()}`, 'data-verdict': v, 'data-index': String(i) });
    box.append(el('h2', {}, el('span', { class: 'source', text: r.source || '—' }), ' ', el('span', { class: 'what', text: what(r) })));
    const verdict = el('div', { class: 'verdict' },
      el('strong', { class: 'verdict-word', text: tr(I.VERDICT, v) }),
      el('p', { text: tr(I.VERDICT_MEANING, verdictKey(r)) }));
    box.append(verdict);
    if (!r.anchor_checked && v !== 'INVALID') box.append(el('p', { class: 'note', text: text('offline_note') }));
    const chainId = r.facts && Array.isArray(r.facts.batches) && r.facts.batches.length ? r.facts.batches[0].chain_id : null;
    if (v !== 'INVALID' && DEV_CHAINS[chainId]) {
      box.append(el('p', { class: 'note dev-chain', text: `${DEV_CHAINS[chainId]} (${text('chain_id')} ${chainId}): ${text('dev_chain')}` }));
    }
    if (v !== 'INVALID') { const facts = proofFacts(r); if (facts) box.append(facts); }
    // The month as a picture (timeline.js, shared with the evidence report and the worker's
    // page), drawn from the facts this page computed itself.
    if (typeof root.siteledgerTimeline === 'function' && r.facts && r.facts.timeline && v !== 'INVALID'
        && (r.kind === 'wage' || r.kind === 'presence')) {
      try {
        box.append(el('h3', { text: text('timeline') }), el('p', { class: 'scroll-hint', text: text('scroll_hint') }),
          el('div', { class: 'timeline' }, svgFrom(root.siteledgerTimeline(r.facts.timeline, state.lang))));
      } catch (e) { /* a drawing problem never hides the verdict */ }
    }
    if (r.findings.length) {
      box.append(el('h3', { text: text('findings') }));
      const ul = el('ul', { class: 'findings' });
      for (const f of r.findings) {
        const li = el('li', { class: f.ok ? 'ok' : 'attention', 'data-finding': f.name },
          el('span', { class: 'mark', text: f.ok ? '·' : '!' }), ' ',
          el('strong', { text: tr(I.FINDING, f.name) + (state.lang === 'zh' ? '：' : ': ') }),
          el('span', { text: state.lang === 'zh' && f.zh ? f.zh : f.detail }));
        if (!f.ok && f.expected !== null && f.actual !== null) {
          li.append(el('span', { class: 'cmp', text: ` (${text('expected')} ${f.expected}, ${text('actual')} ${f.actual})` }));
        }
        ul.append(li);
      }
      box.append(ul);
    } else if (v === 'INVALID' && !r.unreadable) {
      box.append(el('p', { class: 'note', text: text('no_findings') }));
    }
    const table = el('table', { class: 'checks' });
    table.append(el('thead', {}, el('tr', {}, el('th', { text: text('check') }), el('th', { text: text('status') }),
      el('th', { text: text('meaning') }))));
    const body = el('tbody');
    for (const c of r.checks) {
      const mark = { passed: '✓', failed: '✗', skipped: '–', inconclusive: '?' }[c.status];
      body.append(el('tr', { class: `status-${c.status}`, 'data-check': c.name },
        el('td', {}, el('span', { class: 'mark', text: mark }), ' ', tr(I.CHECK, c.name)),
        el('td', { text: tr(I.STATUS, c.status) }),
        el('td', {}, el('div', { text: checkMeaning(c) }),
          c.detail ? el('details', c.status === 'passed' ? {} : { open: '' }, el('summary', { text: text('detail') }),
            el('code', { text: c.detail })) : null)));
    }
    table.append(body);
    // One bundle, or one that is not VALID: every check in view. Many VALID ones: folded.
    const open = state.files.length === 1 || v !== 'VALID';
    const fold = el('details', { class: 'checks-fold' }, el('summary', {}, el('h3', { text: text('checks') })), table);
    if (open) fold.setAttribute('open', '');
    box.append(fold);
    return box;
  }

  /** The meaning column of a check's row: what the check establishes when it passed; for any
   *  other status, that it did not (a failed row must never read as a pass). */
  function checkMeaning(c) {
    const meaning = tr(I.CHECK_MEANING, c.name);
    if (c.status === 'passed') return meaning;
    if (c.status === 'failed') return text('meaning_failed') + meaning;
    if (c.status === 'skipped') return text('meaning_skipped') + meaning;
    if (c.name === 'checkpoint.covers') return text('meaning_covers_inconclusive');
    return text('meaning_inconclusive') + meaning;
  }

  /** What the bundle proves, in a few rows: the record or run, who signed, where anchored. */
  function proofFacts(r) {
    const f = r.facts || {};
    const rows = [];
    const row = (k, v) => { if (v !== null && v !== undefined && v !== '') rows.push(el('tr', {}, el('th', { text: text(k) }), el('td', {}, v))); };
    if (f.record) {
      row('f_record', `${tr(I.RECORD_TYPE, f.record.type)} · ${f.record.id} · ${text('seq')} ${f.record.seq}`);
      row('f_time', f.record.time);
      row('f_received', f.record.received_at);
      row('f_subject', f.record.subject);
      row('f_project', f.record.project);
    }
    if (f.run) {
      row('f_subject', f.run.subject);
      row('f_project', f.run.project);
      row('f_run', `subject_seq ${f.run.first_subject_seq}…${f.run.last_subject_seq} (${f.run.entries} ${text('entries')})`);
      row('f_issued', f.run.issued_at);
    }
    if (Array.isArray(f.signer) && f.signer.length) {
      row('f_signer', f.signer.map((k) => `${k.holder} (${k.roles.map((x) => tr(I.ROLE, x)).join('、')}, ${text('seq')} ${k.registered_seq})`).join(' ← '));
    }
    const batches = Array.isArray(f.batches) ? f.batches : [];
    if (batches.length) {
      const b = batches[batches.length - 1];
      row('f_chain', `${text('chain_id')} ${b.chain_id} · ${b.contract}`);
      for (const x of batches) {
        const tx = /^https?:\/\//.test(x.tx_url || '') ? el('a', { href: x.tx_url, rel: 'noopener noreferrer', target: '_blank', text: x.tx_hash }) : x.tx_hash;
        const cell = el('span', {}, `${text('batch')} ${x.batch_no} · ${text('block')} ${x.block_number} · ${x.block_time} · `, tx);
        row('f_anchor', cell);
        if (x.witnesses) {
          const w = x.witnesses;
          const fill = (k, v) => text(k).replace(/\{(\w+)\}/g, (_, p) => String(v[p] === undefined ? '' : v[p]));
          const line = w.status === 'witnessed'
            ? fill('witnessed_by', { k: w.signers.length, n: w.n, t: w.threshold, names: w.signers.join(state.lang === 'zh' ? '、' : ', ') })
            : w.status === 'unwitnessed' ? fill('unwitnessed', { n: w.n, t: w.threshold, reason: w.reason }) : text('no_witnesses');
          row('f_witnesses', el('span', { class: w.status === 'witnessed' ? '' : 'alert' }, `${text('batch')} ${x.batch_no}: ${line}`));
        }
      }
    }
    if (!rows.length) return null;
    const box = el('details', { class: 'proof-facts' }, el('summary', {}, el('h3', { text: text('what_proven') })), el('table', { class: 'facts' }, el('tbody', {}, ...rows)));
    if (state.files.length === 1) box.setAttribute('open', '');
    return box;
  }

  function svgFrom(markup) {
    // The drawing function returns SVG markup it built itself from the verified facts.
    const parsed = new DOMParser().parseFromString(markup, 'image/svg+xml');
    return doc.importNode(parsed.documentElement, true);
  }

  function filesOf(list) {
    return Array.from(list || []).map((f) => ({ name: f.name, data: () => f.arrayBuffer() }));
  }

  function init() {
    const drop = $('drop');
    drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      verifyFiles(filesOf(e.dataTransfer.files));
    });
    $('file').addEventListener('change', (e) => verifyFiles(filesOf(e.target.files)));
    $('again').addEventListener('click', () => { if (state.files.length) run(); });
    for (const b of doc.querySelectorAll('[data-lang]')) {
      b.addEventListener('click', () => { state.lang = b.getAttribute('data-lang'); applyLanguage(); });
    }
    const q = new URLSearchParams(root.location.search);
    if (q.get('lang') === 'en') state.lang = 'en';
    applyLanguage();
    SL.core.probeWebCrypto().then(() => {
      const b = SL.core.backends;
      $('backends').textContent = `SHA-256: ${b.sha256} · Ed25519: ${b.ed25519}`;
    });
    doc.body.setAttribute('data-state', 'ready');
  }

  // For tools and tests: verify named texts through the page's own interface path.
  SL.page = { verifyFiles: (items) => verifyFiles(items.map((x) => ({ name: x.name, data: async () => new TextEncoder().encode(x.text) }))), state };

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init);
  else init();
})(typeof globalThis !== 'undefined' ? globalThis : this);
