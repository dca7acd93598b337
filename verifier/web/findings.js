/*
 * siteledger verifier page: what verified entries mean together (docs/proof-format.md,
 * "Findings"): corrections and approvals, the record's state, the wage recomputation and the
 * presence answer. Findings never change the verdict. Classic script; siteledger.findings.
 */
(function (root) {
  'use strict';
  const SL = root.siteledger;
  const C = SL.core;

  /** A finding as `siteledger-verify --json` writes it; `zh`, the same sentence in Chinese for
   *  the page, is a non-enumerable property so that it stays out of the report's JSON. */
  function f(name, ok, detail, expected = null, actual = null, zh = null) {
    const out = { name, ok, detail, expected, actual };
    if (zh) Object.defineProperty(out, 'zh', { value: zh, enumerable: false });
    return out;
  }
  const yuanZh = (fen) => `${yuan(fen)} 元`;
  const hmZh = (m) => `${Math.floor(m / 60)} 小时 ${m % 60} 分`;
  const DECISION_ZH = { confirm: '确认', dispute: '提出异议', approve: '批准', reject: '驳回' };
  const STATE_ZH = { voided: '作废', amended: '修改' };

  function yuan(fen) {
    if (fen < 0) return '-' + yuan(-fen);
    const whole = Math.floor(fen / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return `${whole}.${String(fen % 100).padStart(2, '0')}`;
  }
  const hm = (m) => `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}`;
  const subjectOf = (rec) => (typeof rec.subject === 'string' ? rec.subject : null);

  /** Corrections, approvals, acknowledgements and payments among verified entries
   *  (pairs of [leaf hash, entry]). The latest decision by seq counts. */
  function effects(pairs) {
    const eff = {
      entries: new Map(), decisions: new Map(), corrections: [], acks: new Map(), payments: new Map(),
    };
    const once = new Map(); // an entry counts once, however often it is given
    for (const [leaf, e] of pairs) if (!once.has(e.seq)) once.set(e.seq, [leaf, e]);
    for (const [leaf, e] of [...once.values()].sort((x, y) => x[1].seq - y[1].seq)) {
      eff.entries.set(leaf, e);
      const rec = e.record;
      if (rec.type === 'approval') eff.decisions.set(rec.target, [e.seq, rec.decision, e]);
      else if (rec.type === 'correction') eff.corrections.push([leaf, e, rec]);
      else if (rec.type === 'ack') { if (!eff.acks.has(rec.target)) eff.acks.set(rec.target, []); eff.acks.get(rec.target).push([e, rec]); }
      else if (rec.type === 'payment' && rec.wage) { if (!eff.payments.has(rec.wage)) eff.payments.set(rec.wage, []); eff.payments.get(rec.wage).push([e, rec]); }
    }
    eff.approved = (leaf) => { const d = eff.decisions.get(leaf); return !!d && d[1] === 'approve'; };
    eff.correctionOf = (leaf) => {
      const hits = eff.corrections.filter((c) => c[2].target === leaf);
      const approved = hits.filter((c) => eff.approved(c[0]));
      const chosen = approved.length ? approved : hits;
      return chosen.length ? chosen[chosen.length - 1] : null;
    };
    eff.status = (leaf) => {
      const c = eff.correctionOf(leaf);
      if (!c) return { state: 'in_force' };
      const [cleaf, e, rec] = c;
      const out = { correction_seq: e.seq, action: rec.action, reason: rec.reason };
      if (!eff.approved(cleaf)) { out.state = 'correction_pending'; return out; }
      out.approval_seq = eff.decisions.get(cleaf)[0];
      out.state = rec.action === 'void' ? 'voided' : 'amended';
      if (rec.replacement) out.replacement = rec.replacement;
      return out;
    };
    eff.inForce = (leaf, rec) => {
      const st = eff.status(leaf).state;
      if (st === 'voided' || st === 'amended') return false;
      if (rec.type === 'attendance' && rec.source === 'repair') {
        return eff.corrections.some((c) => c[2].replacement === leaf && eff.approved(c[0]));
      }
      return true;
    };
    return eff;
  }

  function paid(payments) {
    let total = 0;
    for (const [, p] of payments) {
      if (p.status === 'paid') total += p.amount;
      else if (p.status === 'returned') total -= p.amount;
    }
    return total;
  }

  function recordFindings(eff, leaf, entry) {
    const out = [];
    const st = eff.status(leaf);
    if (st.state === 'in_force') out.push(f('status', true, 'no correction voids or amends the record', null, null, '没有更正记录作废或修改本记录'));
    else if (st.state === 'correction_pending') {
      out.push(f('status', false, `a correction (seq ${st.correction_seq}, ${st.action}: ${st.reason}) names the record but is not approved in the bundle`,
        null, null, `一条更正（序号 ${st.correction_seq}，${st.action}：${st.reason}）指向本记录，但证据包中没有对它的批准`));
    } else {
      out.push(f('status', false, `the record is ${st.state} by correction seq ${st.correction_seq} (${st.reason}), approved at seq ${st.approval_seq}`,
        null, null, `本记录已被序号 ${st.correction_seq} 的更正${STATE_ZH[st.state]}（${st.reason}），序号 ${st.approval_seq} 批准`));
    }
    const d = eff.decisions.get(leaf);
    if (d) {
      out.push(f('approval', d[1] === 'approve', `supervisor decision ${d[1]} at seq ${d[0]} (${d[2].record.time.text})`,
        null, null, `监理于序号 ${d[0]}（${d[2].record.time.text}）${DECISION_ZH[d[1]]}`));
    }
    for (const [e, ack] of eff.acks.get(leaf) || []) {
      out.push(f('ack', ack.decision === 'confirm', `the worker ${ack.decision}s it at seq ${e.seq} (${ack.time.text})` + (ack.reason ? `: ${ack.reason}` : ''),
        null, null, `工人于序号 ${e.seq}（${ack.time.text}）${DECISION_ZH[ack.decision]}` + (ack.reason ? `：${ack.reason}` : '')));
    }
    const rec = entry.record;
    if (rec.type === 'wage') {
      const p = paid(eff.payments.get(leaf) || []);
      out.push(f('paid', p === rec.net, `payments naming this wage line total ${yuan(p)} yuan, net wage ${yuan(rec.net)} yuan`, yuan(rec.net), yuan(p),
        `指向本工资单行的支付合计 ${yuanZh(p)}，实发工资 ${yuanZh(rec.net)}`));
    }
    return out;
  }

  /** The project's offset in minutes from its `project` record, or null. */
  function projectOffset(entries, project) {
    for (const e of entries) {
      const r = e.record;
      if (r.type === 'project' && r.project === project) {
        const sign = r.tz_offset[0] === '-' ? -1 : 1;
        return sign * (Number(r.tz_offset.slice(1, 3)) * 60 + Number(r.tz_offset.slice(4, 6)));
      }
    }
    return null;
  }

  // A time's local fields: in the project's offset, or in its own offset without one.
  const localOf = (t, off) => C.localParts(t.us, off === null ? t.off : off);
  const hhmm = (t, off) => { if (!t) return null; const p = localOf(t, off); return `${String(p.h).padStart(2, '0')}:${String(p.mi).padStart(2, '0')}`; };

  // ------------------------------------------------------------------ shift pairing (v2)

  const MAX_SHIFT_US = 16 * 3600 * 1e6;
  const byTimeSeq = (x, y) => x.time.us - y.time.us || x.seq - y.seq;

  /**
   * docs/records.md, "Shifts": per project, effective punches in (time, seq) order; an IN is
   * closed by the first OUT after it when that OUT is at most 16 h after it; several INs closed
   * by one OUT make one shift from the earliest (the others are repeats); a shift counts on the
   * local date of its IN; an IN no OUT closes is unclosed, or open when the data ends (`untilUs`)
   * less than 16 h after it; an OUT that closes no IN is stray.
   * `punches`: [{seq, record}]; `off`: the project's offset in minutes or null.
   */
  function pairShiftsV2(punches, off, untilUs) {
    const local = (p) => C.localParts(p.time.us, off === null ? p.time.off : off).date;
    const byProject = new Map();
    for (const { seq, record } of punches) {
      if (!byProject.has(record.project)) byProject.set(record.project, []);
      byProject.get(record.project).push({ time: record.time, seq, record, dir: record.direction });
    }
    const shifts = [], unclosed = [], open = [], stray = [];
    for (const project of [...byProject.keys()].sort()) {
      const ordered = byProject.get(project).sort(byTimeSeq);
      const outs = ordered.filter((p) => p.dir === 'out');
      const closing = new Map();
      for (const p of ordered) {
        if (p.dir !== 'in') continue;
        const k = outs.findIndex((o) => byTimeSeq(o, p) > 0); // the first OUT after p
        if (k >= 0 && outs[k].time.us - p.time.us <= MAX_SHIFT_US) {
          if (!closing.has(k)) closing.set(k, []);
          closing.get(k).push(p);
        } else if (untilUs !== null && untilUs - p.time.us < MAX_SHIFT_US) open.push(p);
        else unclosed.push(p);
      }
      outs.forEach((out, k) => {
        const ins = closing.get(k);
        if (!ins) { stray.push(out); return; }
        shifts.push({ first_in: ins[0], out, day: local(ins[0]), repeats: ins.slice(1), minutes: Math.floor((out.time.us - ins[0].time.us) / 60e6) });
      });
    }
    shifts.sort((x, y) => byTimeSeq(x.first_in, y.first_in));
    unclosed.sort(byTimeSeq); open.sort(byTimeSeq); stray.sort(byTimeSeq);
    const days = [...new Set(shifts.map((x) => x.day).concat(unclosed.map(local), open.map(local)))].sort();
    const onSite = (tUs) => {
      for (const x of shifts) if (x.first_in.time.us <= tUs && tUs < x.out.time.us) return x;
      let best = null;
      for (const p of unclosed.concat(open)) {
        if (p.time.us <= tUs && tUs < p.time.us + MAX_SHIFT_US && (!best || byTimeSeq(p, best) > 0)) best = p;
      }
      return best;
    };
    return { shifts, unclosed, open, stray, days, local, onSite };
  }

  /** A punch as findings name it: 2026-10-05 07:30 (+08:00, GATE-01, seq 42). */
  function describePunch(p, off) {
    const o = off === null ? p.time.off : off;
    const t = C.localParts(p.time.us, o);
    const a = Math.abs(o);
    const z = `${o < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
    return `${t.date} ${String(t.h).padStart(2, '0')}:${String(t.mi).padStart(2, '0')} (${z}, ${p.record.device}, seq ${p.seq})`;
  }

  /** Recompute days, minutes, gross, net and paid for the bundle's worker, project and month. */
  function wage(b, eff, off) {
    const month = b.pay_month, project = b.project;
    const findings = [];
    if (off === null) findings.push(f('timezone', false, `no project record of ${project} in the bundle: local days are taken in each punch's own offset`, null, null, `证据包中没有项目 ${project} 的项目记录：按每次打卡自带的时区计算日期`));
    const byDay = new Map();
    const lines = [], payments = [];
    let enrollment = null;
    for (const i of b.context) {
      const r = i.entry.record;
      if (r.type === 'enrollment' && r.project === project && r.subject === b.subject) enrollment = r;
    }
    let excluded = 0;
    const effective = [];
    for (const [leaf, e] of eff.entries) {
      const rec = e.record;
      const subj = subjectOf(rec);
      if (rec.project !== project || (subj !== b.subject && subj !== null)) continue;
      if (!eff.inForce(leaf, rec)) {
        if (['attendance', 'wage', 'payment'].includes(rec.type)) excluded++;
        continue;
      }
      if (rec.type === 'enrollment') enrollment = rec;
      else if (rec.type === 'attendance') {
        effective.push({ seq: e.seq, record: rec });
        const d = localOf(rec.time, off).date;
        if (d.slice(0, 7) === month) {
          if (!byDay.has(d)) byDay.set(d, []);
          byDay.get(d).push([rec.time, rec.direction]);
        }
      } else if (rec.type === 'wage' && rec.pay_month === month) lines.push([leaf, e, rec]);
      else if (rec.type === 'payment' && rec.pay_month === month) payments.push([e, rec]);
    }
    let days, minutes, dayRows;
    if (b.version >= 2) [days, minutes, dayRows] = paired(b, effective, off, month, findings);
    else [days, minutes, dayRows] = perDay(byDay, off, findings);
    const facts = { month, days: days.length, minutes, day_rows: dayRows, excluded_by_corrections: excluded };
    const main = lines.filter((x) => !x[2].back_pay);
    if (!main.length) findings.push(f('wage_line', false, `no wage line for ${month} on ${project} in the run`, null, null, `序列中没有项目 ${project} ${month} 的工资单行`));
    else {
      if (main.length > 1) findings.push(f('wage_line', false, `${main.length} regular wage lines for ${month}; the first is compared`, null, null, `${month} 有 ${main.length} 条正常工资单行；以第一条比对`));
      const [leaf, e, w] = main[0];
      findings.push(f('days', w.days === days.length, `the wage line counts ${w.days} days; the punches show ${days.length} days with an IN`, String(days.length), String(w.days),
        `工资单行记 ${w.days} 天；打卡显示有进场记录的天数为 ${days.length} 天`));
      findings.push(f('hours', w.work_minutes === minutes, `the wage line counts ${hm(w.work_minutes)}; first IN to last OUT sums to ${hm(minutes)}`, hm(minutes), hm(w.work_minutes),
        `工资单行记 ${hmZh(w.work_minutes)}；按每天首次进场到最后出场合计 ${hmZh(minutes)}`));
      if (enrollment) {
        const c = enrollment.contract;
        let expected = null;
        if (c.unit === 'day') expected = c.unit_price * days.length;
        else if (c.unit === 'hour') expected = Math.floor((c.unit_price * minutes) / 60);
        if (expected !== null) {
          findings.push(f('gross', w.gross === expected, `contract ${yuan(c.unit_price)} yuan per ${c.unit}: ${yuan(expected)} yuan; the wage line says ${yuan(w.gross)}`, yuan(expected), yuan(w.gross),
            `合同单价每${c.unit === 'day' ? '天' : '小时'} ${yuanZh(c.unit_price)}：应为 ${yuanZh(expected)}；工资单行为 ${yuanZh(w.gross)}`));
        }
      }
      const deducted = w.deductions.reduce((a, d) => a + d.amount, 0);
      findings.push(f('net', w.gross - deducted === w.net, `gross ${yuan(w.gross)} − deductions ${yuan(deducted)} = ${yuan(w.gross - deducted)}; net ${yuan(w.net)}`, yuan(w.gross - deducted), yuan(w.net),
        `应发 ${yuanZh(w.gross)} − 扣款 ${yuanZh(deducted)} = ${yuanZh(w.gross - deducted)}；实发 ${yuanZh(w.net)}`));
      facts.wage = { seq: e.seq, days: w.days, minutes: w.work_minutes, gross: w.gross, deductions: deducted, net: w.net, pay_date: w.pay_date };
      const dec = eff.decisions.get(leaf);
      const approved = !!dec && dec[1] === 'approve';
      findings.push(f('approval', approved, approved ? `approved by the supervisor at seq ${dec[0]}` : 'no supervisor approval of the wage line in the bundle',
        null, null, approved ? `监理已于序号 ${dec[0]} 批准` : '证据包中没有监理对该工资单行的批准'));
      for (const [ae, ack] of eff.acks.get(leaf) || []) {
        findings.push(f('ack', ack.decision === 'confirm', `the worker ${ack.decision}s the wage line at seq ${ae.seq}` + (ack.reason ? `: ${ack.reason}` : ''),
          null, null, `工人于序号 ${ae.seq} 对工资单行${DECISION_ZH[ack.decision]}` + (ack.reason ? `：${ack.reason}` : '')));
      }
    }
    const netTotal = lines.reduce((a, x) => a + x[2].net, 0);
    const p = paid(payments);
    findings.push(f('paid', p === netTotal, `payments for ${month} total ${yuan(p)} yuan; net wages ${yuan(netTotal)} yuan`, yuan(netTotal), yuan(p),
      `${month} 的支付合计 ${yuanZh(p)}；实发工资合计 ${yuanZh(netTotal)}`));
    facts.paid = p;
    facts.net_total = netTotal;
    if (b.version >= 2) publications(b, eff, off, findings, facts);
    return [findings, facts];
  }

  /** Version 1 bundles: per local day, first IN to the last OUT after it. */
  function perDay(byDay, off, findings) {
    const days = [...byDay.keys()].filter((d) => byDay.get(d).some((p) => p[1] === 'in')).sort();
    let minutes = 0;
    const dayRows = [];
    for (const d of [...byDay.keys()].sort()) {
      const punches = byDay.get(d).slice().sort((x, y) => x[0].us - y[0].us || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
      const ins = punches.filter((p) => p[1] === 'in').map((p) => p[0]);
      const firstIn = ins.length ? ins[0] : null;
      const outs = punches.filter((p) => p[1] === 'out' && firstIn && p[0].us > firstIn.us).map((p) => p[0]);
      const lastOut = outs.length ? outs[outs.length - 1] : null;
      const m = firstIn && lastOut ? Math.floor((lastOut.us - firstIn.us) / 60e6) : 0;
      minutes += m;
      dayRows.push({ date: d, first_in: hhmm(firstIn, off), last_out: hhmm(lastOut, off), minutes: m, punches: punches.length });
      if (firstIn && !lastOut) findings.push(f('unpaired', false, `${d}: IN at ${hhmm(firstIn, off)} with no OUT after it`, null, null, `${d}：${hhmm(firstIn, off)} 进场后没有出场打卡`));
    }
    return [days, minutes, dayRows];
  }

  /** Version 2 bundles: shifts by the pairing rule; a shift counts on its IN's local date;
   *  unclosed INs and stray OUTs of the month are findings. */
  function paired(b, effective, off, month, findings) {
    const until = b.checkpoint ? b.checkpoint.batch.sealed_at.us : null;
    const plan = pairShiftsV2(effective, off, until);
    const inMonth = (d) => d.slice(0, 7) === month;
    const days = plan.days.filter(inMonth);
    const rows = [];
    let minutes = 0;
    for (const sh of plan.shifts) {
      if (!inMonth(sh.day)) continue;
      minutes += sh.minutes;
      rows.push({ date: sh.day, first_in: hhmm(sh.first_in.time, off), last_out: hhmm(sh.out.time, off), minutes: sh.minutes, punches: 2 + sh.repeats.length });
    }
    for (const p of plan.unclosed) {
      if (!inMonth(plan.local(p))) continue;
      findings.push(f('unclosed', false, `IN at ${describePunch(p, off)} has no OUT within 16 h`, null, null, `${describePunch(p, off)} 的进场打卡 16 小时内没有出场打卡`));
      rows.push({ date: plan.local(p), first_in: hhmm(p.time, off), last_out: null, minutes: 0, punches: 1 });
    }
    for (const p of plan.open) {
      if (!inMonth(plan.local(p))) continue;
      findings.push(f('unclosed', false, `IN at ${describePunch(p, off)} has no OUT within 16 h yet (the checkpoint ends less than 16 h after it)`,
        null, null, `${describePunch(p, off)} 的进场打卡尚无出场打卡（检查点距其不足 16 小时）`));
    }
    for (const p of plan.stray) {
      if (inMonth(plan.local(p))) findings.push(f('stray_out', false, `OUT at ${describePunch(p, off)} closes no IN`, null, null, `${describePunch(p, off)} 的出场打卡没有对应的进场`));
    }
    rows.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : (x.first_in || '') < (y.first_in || '') ? -1 : (x.first_in || '') > (y.first_in || '') ? 1 : 0));
    return [days, minutes, rows];
  }

  /** What became of a publication (docs/proof-format.md, finding `publication`), from the
   *  worker's acks of it received within the window as [seq, decision] in log order: objected
   *  when any is a dispute (the last is named), acknowledged when there are others (the last),
   *  silent when there are none and the checkpoint was sealed at or after the window's close,
   *  else open. Returns [state, named ack seq or null]; the finding and the drawing both use it. */
  function publicationState(decisions, closesUs, sealedUs) {
    const disputes = decisions.filter(([, d]) => d === 'dispute');
    if (disputes.length) return ['objected', disputes[disputes.length - 1][0]];
    if (decisions.length) return ['acknowledged', decisions[decisions.length - 1][0]];
    if (sealedUs !== null && sealedUs >= closesUs) return ['silent', null];
    return ['open', null];
  }

  /** Version 2: the month as published to the worker, and what the worker did within the
   *  objection window: objected, acknowledged, silent after the window, or window still open. */
  function publications(b, eff, off, findings, facts) {
    const month = b.pay_month, project = b.project;
    const sealed = b.checkpoint ? b.checkpoint.batch.sealed_at.us : null;
    const rows = [];
    for (const [leaf, e] of [...eff.entries].sort((x, y) => x[1].seq - y[1].seq)) {
      const rec = e.record;
      if (rec.type !== 'publication' || rec.project !== project || rec.pay_month !== month || rec.subject !== b.subject) continue;
      const closes = rec.time.us + rec.objection_days * 86400e6;
      const acks = (eff.acks.get(leaf) || []).filter(([ae]) => ae.received_at.us <= closes);
      const when = C.formatTime(closes, off === null ? rec.time.off : off);
      const head = `${month} published at seq ${e.seq} (${C.formatTime(rec.time.us, off === null ? rec.time.off : off)}: ${rec.days} days, ${hm(rec.work_minutes)})`;
      const headZh = `${month} 已于序号 ${e.seq} 向工人公示（${rec.days} 天，${Math.floor(rec.work_minutes / 60)} 小时 ${rec.work_minutes % 60} 分）`;
      const [state, named] = publicationState(acks.map(([ae, a]) => [ae.seq, a.decision]), closes, sealed);
      const hit = acks.find(([ae]) => ae.seq === named);
      const reason = hit ? hit[1].reason : null;
      const ok = state === 'acknowledged' || state === 'silent';
      let text, zh;
      if (state === 'objected') {
        [text, zh] = [`${head}: the worker objected at seq ${named}: ${reason || '(no reason)'}`, `${headZh}：工人于序号 ${named} 提出异议：${reason || '（未写理由）'}`];
      } else if (state === 'acknowledged') {
        [text, zh] = [`${head}: the worker acknowledged it at seq ${named}`, `${headZh}：工人于序号 ${named} 确认`];
      } else if (state === 'silent') {
        [text, zh] = [`${head}: no objection within the window, which closed at ${when} (the checkpoint was sealed after it)`, `${headZh}：异议期（至 ${when}）内工人未提出异议`];
      } else {
        [text, zh] = [`${head}: the objection window is still open until ${when}`, `${headZh}：异议期尚未结束（至 ${when}）`];
      }
      findings.push(f('publication', ok, text, null, null, zh));
      rows.push({ seq: e.seq, state, closes_at: when, wage: rec.wage });
    }
    if (!rows.length) findings.push(f('publication', false, `${month} was not published to the worker in the bundle`, null, null, `证据包中没有 ${month} 向工人公示的记录`));
    facts.publications = rows;
  }

  /**
   * Was the worker enrolled and not exited, with an IN before `at` and no OUT since?
   * docs/proof-format.md, findings, presence: the worker's entries on the project in force, with
   * record time at or before `at`, ordered by (time, seq); the latest enrollment; an exit after
   * it; the last punch at or after the enrollment.
   */
  function presence(b, eff, off) {
    const at = b.at, project = b.project;
    const events = [];
    const later = []; // effective punches after `at`: they can close a shift (version 2)
    for (const [leaf, e] of eff.entries) {
      const rec = e.record;
      if (subjectOf(rec) !== b.subject || rec.project !== project) continue;
      if (rec.time.us > at.us) {
        if (rec.type === 'attendance' && eff.inForce(leaf, rec)) later.push({ seq: e.seq, record: rec });
        continue;
      }
      if (!['attendance', 'enrollment', 'exit'].includes(rec.type)) continue;
      if (eff.inForce(leaf, rec)) events.push(e);
    }
    events.sort((x, y) => x.record.time.us - y.record.time.us || x.seq - y.seq);
    let enrolled = null, exited = null, punches = [];
    for (const e of events) {
      const t = e.record.type;
      if (t === 'enrollment') { enrolled = e; exited = null; punches = []; }
      else if (t === 'exit') { if (enrolled && !exited) exited = e; }
      else if (enrolled) punches.push(e);
    }
    const lastE = punches.length ? punches[punches.length - 1] : null;
    const last = lastE ? [lastE.record.time, lastE.record.direction, lastE] : null;
    const show = (t) => C.formatTime(t.us, off === null ? t.off : off);
    const tLocal = show(at);
    const findings = [
      f('enrolled', !!enrolled, enrolled ? `enrolled on ${project} by seq ${enrolled.seq}` : `no enrollment on ${project} before ${tLocal}`,
        null, null, enrolled ? `序号 ${enrolled.seq} 已进场登记到项目 ${project}` : `${tLocal} 之前没有项目 ${project} 的进场登记`),
      f('not_exited', !exited, !exited ? 'no exit before the instant' : `exited at ${show(exited.record.time)} (seq ${exited.seq})`,
        null, null, !exited ? '该时刻之前没有退场' : `已于 ${show(exited.record.time)} 退场（序号 ${exited.seq}）`),
    ];
    let onSite = null;
    if (b.version >= 2) {
      if (enrolled) {
        const mine = punches.map((e) => ({ seq: e.seq, record: e.record })).concat(later);
        onSite = pairShiftsV2(mine, off, null).onSite(at.us);
      }
      if (onSite && onSite.first_in) {
        findings.push(f('shift', true, `the shift from IN at ${describePunch(onSite.first_in, off)} to OUT at ${describePunch(onSite.out, off)} covers ${tLocal}`,
          null, null, `${describePunch(onSite.first_in, off)} 进场至 ${describePunch(onSite.out, off)} 出场的班次覆盖 ${tLocal}`));
      } else if (onSite) {
        findings.push(f('shift', true, `IN at ${describePunch(onSite, off)} with no OUT of its own, less than 16 h before ${tLocal}`,
          null, null, `${describePunch(onSite, off)} 进场，没有对应的出场打卡，距 ${tLocal} 不足 16 小时`));
      } else {
        findings.push(f('shift', false, `no shift on ${project} covers ${tLocal} (an IN before it closed by an OUT after it, or an IN less than 16 h before it with no OUT)`,
          null, null, `项目 ${project} 没有覆盖 ${tLocal} 的班次`));
      }
    } else if (!last) findings.push(f('in_before', false, `no punch on ${project} before ${tLocal}`, null, null, `${tLocal} 之前在项目 ${project} 没有打卡`));
    else {
      const [t, dir, e] = last;
      findings.push(f('in_before', dir === 'in', `the last punch before ${tLocal} is ${dir.toUpperCase()} at ${show(t)} (seq ${e.seq}, device ${e.record.device})` + (dir === 'in' ? '; no OUT between it and the instant' : ''),
        null, null, `${tLocal} 之前最后一次打卡是 ${show(t)} 的${dir === 'in' ? '进场' : '出场'}（序号 ${e.seq}，闸机 ${e.record.device}）` + (dir === 'in' ? '；此后到该时刻之间没有出场' : '')));
    }
    const present = !!enrolled && !exited && (b.version >= 2 ? !!onSite : !!last && last[1] === 'in');
    findings.push(f('present', present, present ? `on site at ${tLocal}` : `not shown on site at ${tLocal}`, null, null, present ? `${tLocal} 在场` : `不能证明 ${tLocal} 在场`));
    return [findings, { at: tLocal, present, last_punch: last ? show(last[0]) : null }];
  }

  // ------------------------------------------------------------------ the month timeline facts

  const SHIFT_LIMIT_US = 16 * 3600 * 1e6; // an IN is closed by the first OUT within 16 h
  const LATE_SYNC_MIN = 24 * 60; // received more than a day after its time: drawn late-synced
  const MAX_SUBSETS = 200000; // sets of days tried when inferring the days a wage line left out

  const offText = (off) => (off === null ? null
    : `${off < 0 ? '-' : '+'}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`);

  // digits of the ASCII and fullwidth forms, as a person types them in a reason
  const digitValue = (s) => Number(s.replace(/[\uFF10-\uFF19]/g, (c) => String(c.charCodeAt(0) - 0xff10)));

  /** Dates of `month` a free-text reason names: 2026-10-30, or 10月30日; a bare 31日 takes the
   *  month named before it (10月30日、31日), else the month in dispute. */
  function namedDates(text, month) {
    const out = new Set();
    for (const m of text.matchAll(/(\d{4})-(\d{2})-(\d{2})/g)) if (`${m[1]}-${m[2]}` === month) out.add(`${m[1]}-${m[2]}-${m[3]}`);
    let current = Number(month.slice(5)); // a bare 30日 is a day of the month in dispute
    for (const m of text.matchAll(/(?:([0-9\uFF10-\uFF19]{1,2})月)?([0-9\uFF10-\uFF19]{1,2})日/g)) {
      if (m[1]) current = digitValue(m[1]);
      const d = digitValue(m[2]);
      if (current !== null && current === Number(month.slice(5)) && d >= 1 && d <= 31) out.add(`${month}-${String(d).padStart(2, '0')}`);
    }
    return [...out].sort();
  }

  /** Effective punches paired into shifts (docs/records.md, "Shifts"): in (time, seq) order,
   *  an IN is closed by the first OUT after it when that is at most 16 h later; INs closed by the
   *  same OUT make one shift from the earliest; an IN no OUT closes is open; an OUT that closes
   *  no IN is stray. */
  function pairShifts(punches) {
    const key = (x, y) => x.us - y.us || x.seq - y.seq;
    const ordered = punches.slice().sort(key);
    const outs = ordered.filter((p) => p.dir === 'out');
    const closing = new Map();
    const openIns = [];
    for (const p of ordered) {
      if (p.dir !== 'in') continue;
      const k = outs.findIndex((o) => key(o, p) > 0);
      if (k >= 0 && outs[k].us - p.us <= SHIFT_LIMIT_US) {
        if (!closing.has(k)) closing.set(k, []);
        closing.get(k).push(p);
      } else openIns.push({ date: p.at.slice(0, 10), at: p.at, seq: p.seq });
    }
    const shifts = [], stray = [];
    outs.forEach((out, k) => {
      const ins = closing.get(k);
      if (!ins) { stray.push({ date: out.at.slice(0, 10), at: out.at, seq: out.seq }); return; }
      const first = ins[0];
      shifts.push({ date: first.at.slice(0, 10), in: first.at, out: out.at, minutes: Math.floor((out.us - first.us) / 60e6), in_seq: first.seq, out_seq: out.seq, _us: first.us });
    });
    shifts.sort((x, y) => x._us - y._us || x.in_seq - y.in_seq);
    for (const x of shifts) delete x._us;
    return [shifts, openIns, stray];
  }

  /** The days a wage line leaves out, and how far the records single them out. */
  function payrollGap(shifts, openIns, days, minutes, named) {
    const perDay = new Map();
    for (const s of shifts) perDay.set(s.date, (perDay.get(s.date) || 0) + s.minutes);
    for (const o of openIns) if (!perDay.has(o.date)) perDay.set(o.date, 0);
    const k = perDay.size - days;
    const g = [...perDay.values()].reduce((a, x) => a + x, 0) - minutes;
    if (k <= 0) return null;
    const out = { days: k, minutes: g, dates: [], basis: null, candidates: 0 };
    const hits = named.filter((d) => perDay.has(d));
    if (hits.length === k && hits.reduce((a, d) => a + perDay.get(d), 0) === g) {
      return Object.assign(out, { dates: hits, basis: 'named', candidates: 1 });
    }
    const dates = [...perDay.keys()].sort();
    const found = [];
    let n = 0;
    const idx = Array.from({ length: k }, (_, i) => i);
    if (k <= dates.length) {
      for (;;) {
        if (n++ >= MAX_SUBSETS) return out;
        if (idx.reduce((a, i) => a + perDay.get(dates[i]), 0) === g) found.push(idx.map((i) => dates[i]));
        let i = k - 1;
        while (i >= 0 && idx[i] === dates.length - k + i) i--;
        if (i < 0) break;
        idx[i]++;
        for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
      }
    }
    out.candidates = found.length;
    if (found.length === 1) Object.assign(out, { dates: found[0], basis: 'hours' });
    return out;
  }

  /**
   * The object the month drawing (timeline.js) draws: docs/verifying.md, "The month timeline
   * facts". `eff` holds the verified entries, `leafOf` the calculated leaf hash of every item by
   * seq, `holders` key id -> holder of the bundle's key registrations.
   */
  function timelineFacts(b, eff, leafOf, holders) {
    const head = b.record ? b.record.entry.record : null;
    const subject = b.subject !== null ? b.subject : (head ? subjectOf(head) : null);
    const project = b.project !== null ? b.project : (head && head.project !== undefined ? head.project : null);
    const entries = eff.entries; // leaf -> entry
    let off = projectOffset(b.context.map((i) => i.entry).concat([...entries.values()]), project);
    if (off === null && head) off = head.time.off;
    const local = (t) => C.formatTime(t.us, off === null ? t.off : off);
    let month;
    if (b.pay_month) month = b.pay_month;
    else if (b.at) month = local(b.at).slice(0, 7);
    else if (head.type === 'wage' || head.type === 'payment' || head.type === 'publication') month = head.pay_month;
    else month = local(head.time).slice(0, 7);
    const seqOf = new Map();
    for (const [leaf, e] of entries) seqOf.set(leaf, e.seq);
    for (const [seq, leaf] of leafOf) seqOf.set(leaf, seq);
    const approval = (leaf) => {
      const d = eff.decisions.get(leaf);
      if (!d) return null;
      const [seq, decision, e] = d;
      return { seq, decision, at: local(e.record.time), by: holders.get(e.record.signer) || e.record.signer };
    };
    const bySeq = [...entries].sort((x, y) => x[1].seq - y[1].seq);
    const acks = [], ackTargets = new Map(), received = new Map();
    for (const [, e] of bySeq) {
      const r = e.record;
      if (r.type !== 'ack' || r.subject !== subject) continue;
      const target = entries.get(r.target);
      const a = { seq: e.seq, at: local(r.time), decision: r.decision, reason: r.reason === undefined ? null : r.reason,
        target_seq: seqOf.has(r.target) ? seqOf.get(r.target) : null, target_type: target ? target.record.type : null };
      acks.push(a);
      if (!ackTargets.has(r.target)) ackTargets.set(r.target, []);
      ackTargets.get(r.target).push(a);
      received.set(e.seq, e.received_at.us);
    }
    const publications = [], published = [];
    const disputes = (leaf) => (ackTargets.get(leaf) || []).some((a) => a.decision === 'dispute');
    const punches = [], payments = [];
    let wage = null, wageLeaf = null;
    for (const [leaf, e] of bySeq) {
      const r = e.record;
      const subj = subjectOf(r);
      if (r.project !== project || (subj !== subject && subj !== null)) continue;
      if (r.type === 'attendance') {
        if (local(r.time).slice(0, 7) !== month) continue;
        const late = Math.floor((e.received_at.us - r.time.us) / 60e6);
        let repair = null;
        const hits = eff.corrections.filter((c) => c[2].replacement === leaf && c[2].action === 'supplement');
        if (hits.length) {
          const [cleaf, ce, crec] = hits[hits.length - 1];
          repair = { correction_seq: ce.seq, reason: crec.reason, at: local(crec.time), approval: approval(cleaf) };
        } else if (r.source === 'repair') repair = { correction_seq: null, reason: null, at: null, approval: null };
        punches.push({ seq: e.seq, dir: r.direction, at: local(r.time), received_at: local(e.received_at), late_minutes: late,
          late: late > LATE_SYNC_MIN, device: r.device, device_seq: r.device_seq, source: r.source,
          in_force: eff.inForce(leaf, r), repair, us: r.time.us });
      } else if (r.type === 'wage' && r.pay_month === month && !r.back_pay) {
        if (!wage && eff.inForce(leaf, r)) {
          wageLeaf = leaf;
          wage = { seq: e.seq, at: local(r.time), days: r.days, minutes: r.work_minutes, gross: r.gross,
            deductions: r.deductions.reduce((a, d) => a + d.amount, 0), net: r.net, pay_date: r.pay_date,
            approval: approval(leaf), disputed: disputes(leaf) };
        }
      } else if (r.type === 'publication' && r.pay_month === month) {
        // the rule of the publication finding (publicationState), in the drawing too
        const closes = { us: r.time.us + r.objection_days * 86400e6, off: r.time.off };
        const inTime = (ackTargets.get(leaf) || []).filter((x) => received.get(x.seq) <= closes.us);
        const sealed = b.checkpoint ? b.checkpoint.batch.sealed_at.us : null;
        const [state, named] = publicationState(inTime.map((x) => [x.seq, x.decision]), closes.us, sealed);
        const hit = inTime.find((x) => x.seq === named);
        const pub = { seq: e.seq, at: local(r.time), days: r.days, minutes: r.work_minutes, closes: local(closes), state,
          ack_seq: named, reason: hit ? hit.reason : null };
        publications.push(pub);
        published.push([r.wage, pub]);
      } else if (r.type === 'payment' && r.pay_month === month) {
        payments.push({ seq: e.seq, at: local(r.time), date: r.date, amount: r.amount, status: r.status,
          wage_seq: r.wage ? (seqOf.has(r.wage) ? seqOf.get(r.wage) : null) : null,
          disputed: disputes(leaf) || (!!r.wage && disputes(r.wage)), in_force: eff.inForce(leaf, r) });
      }
    }
    if (wage) for (const [wl, pub] of published) if (pub.state === 'objected' && wl === wageLeaf) wage.disputed = true;
    let [shifts, openIns, strayOuts] = pairShifts(punches.filter((p) => p.in_force));
    if (b.kind === 'record') [shifts, openIns, strayOuts] = [[], [], []]; // its partners are not in the bundle
    const daysWorked = new Set(shifts.map((x) => x.date).concat(openIns.map((x) => x.date)));
    let gap = null;
    const named = [...new Set(acks.filter((a) => a.decision === 'dispute').flatMap((a) => namedDates(a.reason || '', month)))].sort();
    if (wage && b.kind === 'wage') {
      wage.punched_days = daysWorked.size;
      wage.punched_minutes = shifts.reduce((a, x) => a + x.minutes, 0);
      gap = payrollGap(shifts, openIns, wage.days, wage.minutes, named);
    }
    const disputed = new Set(named);
    if (gap && wage && wage.disputed) for (const d of gap.dates) disputed.add(d);
    for (const p of punches) delete p.us;
    return {
      format: 'siteledger-timeline', version: 1, kind: b.kind, subject, project, month, tz: offText(off),
      punches, shifts, open_ins: openIns, stray_outs: strayOuts, wage, payroll_gap: gap, payments, acks,
      publications, disputed_days: [...disputed].sort(), highlight: b.record ? [b.record.seq] : [],
    };
  }

  SL.findings = { effects, recordFindings, projectOffset, wage, presence, timelineFacts, namedDates, pairShifts, payrollGap, yuan, hm };
})(typeof globalThis !== 'undefined' ? globalThis : this);
