/* siteledger month timeline: one SVG drawing of a worker's month from the timeline facts.
 *
 * siteledgerTimeline(facts, lang) -> SVG markup (a string).
 *   facts: the "siteledger-timeline" object of docs/verifying.md ("The month timeline facts"),
 *          as the Python verifier puts it in a report's facts.timeline (or the JavaScript verifier
 *          page builds it from its own findings).
 *   lang:  "zh" (default) or "en"; every word in the drawing comes from STRINGS below.
 *
 * A calendar of the month, one row per day: the shift bars (IN to OUT, on the IN's local date),
 * INs with no OUT, OUTs that close nothing, punches received more than a day after their time,
 * repair punches (补卡) with the supervisor's decision, the days the wage line left out, the days
 * the worker disputes; then the wage line, its approval, payments, publications and the worker's
 * acknowledgement or objection, by date. Plain script, no dependencies, no network: it works from
 * file:// and in any page that includes it. Text from the records (reasons) is escaped.
 */
(function (root) {
  "use strict";

  var STRINGS = {
    zh: {
      title: "{month} 考勤与工资时间线",
      month: "{y}年{m}月",
      worker: "工人", project: "项目",
      weekdays: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
      hour: "{h}时",
      hm: "{h}小时{m}分",
      days: "{n}天",
      noOut: "无出场打卡",
      strayOut: "出场打卡无对应进场",
      late: "晚{d}上传",
      lateDays: "{n}天",
      lateHours: "{n}小时",
      repair: "补卡",
      repairApproved: "补卡，监理{by}已批准（{at}）",
      repairRejected: "补卡，监理驳回（{at}）",
      repairPending: "补卡，未经批准，不计入",
      voided: "已被更正作废，不计入",
      leftOut: "工资表未计",
      disputed: "工人有异议",
      punchedVsPaid: "打卡显示 {pd} {pm}；工资表计 {wd} {wm}",
      gapNamed: "工资表少计 {n} 天：工人指出的日期，其工时之和正好等于差额",
      gapHours: "工资表少计 {n} 天：只有这几天的工时之和等于差额",
      gapUnknown: "工资表少计 {n} 天；记录无法确定是哪几天（{c} 种组合符合工时差额）",
      events: "工资、支付与确认",
      wage: "工资单：{days}，{hm}，应发 {gross}，实发 {net}",
      wageApproved: "监理{by}审批通过",
      wageRejected: "监理{by}驳回",
      payment: "支付 {amount}",
      paymentStatus: { paid: "已支付", failed: "支付失败", returned: "已退回" },
      paymentDisputed: "（工人有异议）",
      ackConfirm: "工人确认{what}",
      ackDispute: "工人对{what}提出异议：{reason}",
      what: { wage: "工资单", payment: "支付", publication: "公示" },
      publication: "向工人公示本月：{days}，{hm}；异议期至 {closes}",
      pubState: {
        acknowledged: "工人已确认", objected: "工人已提出异议", silent: "异议期内未提出异议",
        open: "异议期尚未结束",
      },
      legend: "图例",
      legShift: "班次（进场至出场）", legNoOut: "无出场打卡", legLate: "晚于一天上传的打卡",
      legRepair: "补卡", legLeftOut: "工资表未计的日子", legDisputed: "工人有异议的日子",
      legMoney: "工资单、支付或确认", legThis: "本证据包所证明的记录",
      none: "本月在证据包中没有考勤记录",
    },
    en: {
      title: "{month}: attendance and pay",
      month: "{y}-{mm}",
      worker: "worker", project: "project",
      weekdays: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
      hour: "{h}:00",
      hm: "{h} h {m} min",
      days: "{n} days",
      noOut: "no OUT punch",
      strayOut: "OUT with no IN",
      late: "received {d} late",
      lateDays: "{n} days",
      lateHours: "{n} hours",
      repair: "repair punch",
      repairApproved: "repair punch, approved by{by}({at})",
      repairRejected: "repair punch, rejected ({at})",
      repairPending: "repair punch, not approved: not counted",
      voided: "voided by a correction: not counted",
      leftOut: "not in the wage line",
      disputed: "disputed by the worker",
      punchedVsPaid: "punches show {pd}, {pm}; the wage line counts {wd}, {wm}",
      gapNamed: "the wage line counts {n} days fewer: the days the worker names, whose hours add up exactly to the difference",
      gapHours: "the wage line counts {n} days fewer: the only days whose hours add up to the difference",
      gapUnknown: "the wage line counts {n} days fewer; the records do not say which ({c} sets of days fit the hours)",
      events: "Pay, payments and acknowledgements",
      wage: "wage line: {days}, {hm}, gross {gross}, net {net}",
      wageApproved: "approved by supervisor {by}",
      wageRejected: "rejected by supervisor {by}",
      payment: "payment {amount}",
      paymentStatus: { paid: "paid", failed: "failed", returned: "returned" },
      paymentDisputed: " (disputed by the worker)",
      ackConfirm: "the worker confirms the {what}",
      ackDispute: "the worker disputes the {what}: {reason}",
      what: { wage: "wage line", payment: "payment", publication: "publication" },
      publication: "month published to the worker: {days}, {hm}; objections until {closes}",
      pubState: {
        acknowledged: "acknowledged", objected: "objected to", silent: "no objection in time",
        open: "window still open",
      },
      legend: "Legend",
      legShift: "shift (IN to OUT)", legNoOut: "no OUT punch", legLate: "received over a day late",
      legRepair: "repair punch", legLeftOut: "day not in the wage line",
      legDisputed: "day the worker disputes", legMoney: "wage line, payment or acknowledgement",
      legThis: "the record this bundle proves",
      none: "the bundle holds no attendance for this month",
    },
  };

  var C = {
    ink: "#1a1a1a", grid: "#d0d0d0", weekend: "#f3f3f3", shift: "#3b6ea8", open: "#c62828",
    late: "#d97706", repair: "#7b3fa0", leftOut: "#fde4e4", disputed: "#c62828",
    money: "#2e7d32", muted: "#777777", ring: "#111111",
  };

  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }

  function fill(tpl, vals) {
    return tpl.replace(/\{(\w+)\}/g, function (_, k) {
      return vals[k] === undefined || vals[k] === null ? "" : String(vals[k]);
    });
  }

  function yuan(fen) {
    var neg = fen < 0, v = Math.abs(fen), y = Math.floor(v / 100), f = v % 100;
    var s = String(y).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (neg ? "-" : "") + "¥" + s + "." + (f < 10 ? "0" : "") + f;
  }

  function hm(minutes, S) {
    var m = Math.abs(minutes) % 60;
    return fill(S.hm, { h: Math.floor(Math.abs(minutes) / 60), m: (m < 10 ? "0" : "") + m });
  }

  function clock(s) { return { date: s.slice(0, 10), min: (+s.slice(11, 13)) * 60 + (+s.slice(14, 16)) }; }

  function short(s) { return s ? s.slice(5, 10) + " " + s.slice(11, 16) : ""; }

  function lateText(minutes, S) {
    var d = Math.floor(minutes / 1440);
    return fill(S.late, { d: d >= 1 ? fill(S.lateDays, { n: d }) : fill(S.lateHours, { n: Math.floor(minutes / 60) }) });
  }

  function daysIn(month) {
    var y = +month.slice(0, 4), m = +month.slice(5, 7);
    return new Date(Date.UTC(y, m, 0)).getUTCDate();
  }

  function weekday(date) {
    return new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10))).getUTCDay();
  }

  function text(x, y, s, attrs) {
    return '<text x="' + x + '" y="' + y + '"' + (attrs || "") + ">" + esc(s) + "</text>";
  }

  var drawn = 0;

  function siteledgerTimeline(facts, lang) {
    var id = "sl-tl-" + (++drawn);
    var S = STRINGS[lang === "en" ? "en" : "zh"];
    var W = 760, L = 92, X0 = 100, XW = 384, R = X0 + XW + 10, RH = 18, TOP = 58;
    var month = facts.month, n = daysIn(month);
    var px = function (min) { return X0 + (min / 1440) * XW; };
    var rowOf = function (date) { return date.slice(0, 7) === month ? +date.slice(8, 10) - 1 : -1; };
    var highlight = {};
    (facts.highlight || []).forEach(function (s) { highlight[s] = true; });
    var notes = [];  // per row: list of [text, colour]
    for (var i = 0; i < n; i++) notes.push([]);
    var out = [];
    var note = function (date, s, colour) { var r = rowOf(date); if (r >= 0) notes[r].push([s, colour]); };

    // Rows: weekends, left-out and disputed days.
    var gap = facts.payroll_gap || null;
    var leftOut = {}, disputed = {};
    (gap ? gap.dates : []).forEach(function (d) { leftOut[d] = true; });
    (facts.disputed_days || []).forEach(function (d) { disputed[d] = true; });
    for (i = 0; i < n; i++) {
      var date = month + "-" + (i < 9 ? "0" : "") + (i + 1), y = TOP + i * RH, wd = weekday(date);
      var bg = leftOut[date] ? C.leftOut : (wd === 0 || wd === 6 ? C.weekend : null);
      if (bg) out.push('<rect x="0" y="' + y + '" width="' + W + '" height="' + RH + '" fill="' + bg + '"/>');
      if (disputed[date]) {
        out.push('<rect x="1" y="' + (y + 1) + '" width="' + (W - 2) + '" height="' + (RH - 2) +
          '" fill="none" stroke="' + C.disputed + '" stroke-width="1.5" data-day="disputed"/>');
      }
      out.push(text(4, y + 13, date.slice(5) + " " + S.weekdays[wd], ' font-size="11" fill="' + C.ink + '"'));
      out.push('<line x1="' + X0 + '" y1="' + (y + RH) + '" x2="' + (X0 + XW) + '" y2="' + (y + RH) + '" stroke="' + C.grid + '" stroke-width="0.5"/>');
      if (leftOut[date]) notes[i].push([S.leftOut, C.disputed]);
      if (disputed[date]) notes[i].push([S.disputed, C.disputed]);
    }
    // Hour grid.
    for (var h = 0; h <= 24; h += 3) {
      out.push('<line x1="' + px(h * 60) + '" y1="' + (TOP - 4) + '" x2="' + px(h * 60) + '" y2="' + (TOP + n * RH) + '" stroke="' + C.grid + '" stroke-width="' + (h % 6 ? 0.3 : 0.7) + '"/>');
      if (h % 6 === 0) out.push(text(px(h * 60), TOP - 7, fill(S.hour, { h: h }), ' font-size="10" text-anchor="middle" fill="' + C.muted + '"'));
    }
    // Shifts.
    var minutesOf = {};
    (facts.shifts || []).forEach(function (s) {
      var a = clock(s.in), b = clock(s.out), r = rowOf(a.date);
      if (r < 0) return;
      minutesOf[a.date] = (minutesOf[a.date] || 0) + s.minutes;
      var end = b.date === a.date ? b.min : 1440;
      out.push('<rect x="' + px(a.min) + '" y="' + (TOP + r * RH + 4) + '" width="' + Math.max(1, px(end) - px(a.min)) + '" height="' + (RH - 8) + '" rx="2" fill="' + C.shift + '" data-shift="' + esc(a.date) + '"/>');
      var r2 = rowOf(b.date);
      if (b.date !== a.date && r2 >= 0) {
        out.push('<rect x="' + X0 + '" y="' + (TOP + r2 * RH + 4) + '" width="' + Math.max(1, px(b.min) - X0) + '" height="' + (RH - 8) + '" rx="2" fill="' + C.shift + '" fill-opacity="0.5"/>');
      }
    });
    (facts.open_ins || []).forEach(function (o) {
      var a = clock(o.at), r = rowOf(a.date);
      if (r < 0) return;
      var y = TOP + r * RH + 4;
      out.push('<rect x="' + px(a.min) + '" y="' + y + '" width="' + Math.max(4, Math.min(px(a.min + 8 * 60), X0 + XW) - px(a.min)) + '" height="' + (RH - 8) + '" fill="none" stroke="' + C.open + '" stroke-dasharray="3,2" data-open="' + esc(a.date) + '"/>');
      notes[r].push([S.noOut, C.open]);
    });
    (facts.stray_outs || []).forEach(function (o) {
      var a = clock(o.at), r = rowOf(a.date);
      if (r < 0) return;
      notes[r].push([S.strayOut + " " + o.at.slice(11, 16), C.open]);
    });
    // Punches: ticks, late uploads, repairs, voided.
    (facts.punches || []).forEach(function (p) {
      var a = clock(p.at), r = rowOf(a.date);
      if (r < 0) return;
      var x = px(a.min), y = TOP + r * RH;
      if (highlight[p.seq]) {
        out.push('<circle cx="' + x + '" cy="' + (y + RH / 2) + '" r="7" fill="none" stroke="' + C.ring + '" stroke-width="2" data-highlight="' + p.seq + '"/>');
      }
      if (p.repair) {
        out.push('<path d="M' + x + " " + (y + 2) + " l5 7 l-5 7 l-5 -7 z" + '" fill="' + C.repair + '" data-repair="' + p.seq + '"/>');
        var ap = p.repair.approval;
        var s = !p.in_force ? S.repairPending : ap && ap.decision === "approve" ?
          fill(S.repairApproved, { by: ap.by ? " " + ap.by + " " : "", at: short(ap.at) }) :
          ap ? fill(S.repairRejected, { at: short(ap.at) }) : S.repairPending;
        notes[r].push([s, C.repair]);
      } else if (!p.in_force) {
        out.push(text(x, y + 13, "×", ' font-size="12" text-anchor="middle" fill="' + C.muted + '"'));
        notes[r].push([S.voided, C.muted]);
      } else {
        out.push('<line x1="' + x + '" y1="' + (y + 2) + '" x2="' + x + '" y2="' + (y + RH - 2) + '" stroke="' + C.ink + '" stroke-width="1"/>');
      }
      if (p.late) {
        out.push('<circle cx="' + x + '" cy="' + (y + 3) + '" r="3" fill="' + C.late + '" data-late="' + p.seq + '"/>');
        notes[r].push([lateText(p.late_minutes, S), C.late]);
      }
    });
    // Right column: hours and notes.
    for (i = 0; i < n; i++) {
      var d = month + "-" + (i < 9 ? "0" : "") + (i + 1), yy = TOP + i * RH + 13, parts = [];
      if (minutesOf[d]) parts.push([hm(minutesOf[d], S), C.ink]);
      var seen = {};
      notes[i].forEach(function (t) { if (!seen[t[0]]) { seen[t[0]] = true; parts.push(t); } });
      var tspans = parts.map(function (t, k) {
        return '<tspan fill="' + t[1] + '">' + (k ? " · " : "") + esc(t[0]) + "</tspan>";
      }).join("");
      if (tspans) out.push('<text x="' + R + '" y="' + yy + '" font-size="10.5" clip-path="url(#' + id + '-c)">' + tspans + "</text>");
    }
    if (!(facts.punches || []).length) {
      out.push(text(X0 + XW / 2, TOP + n * RH / 2, S.none, ' font-size="12" text-anchor="middle" fill="' + C.muted + '"'));
    }
    // Events after (or in) the month: wage line, approval, payments, publications, acks.
    var ev = [];
    var w = facts.wage;
    if (w) {
      ev.push([w.at, fill(S.wage, { days: fill(S.days, { n: w.days }), hm: hm(w.minutes, S), gross: yuan(w.gross), net: yuan(w.net) }), w.disputed ? C.disputed : C.ink]);
      if (w.approval) ev.push([w.approval.at, fill(w.approval.decision === "approve" ? S.wageApproved : S.wageRejected, { by: w.approval.by ? " " + w.approval.by + " " : "" }), C.ink]);
    }
    (facts.payments || []).forEach(function (p) {
      ev.push([p.at || p.date + "T23:59", fill(S.payment, { amount: yuan(p.amount) }) + (lang === "en" ? ", " : "，") + (S.paymentStatus[p.status] || "") + (p.disputed ? S.paymentDisputed : ""), p.disputed ? C.disputed : C.money, highlight[p.seq]]);
    });
    (facts.publications || []).forEach(function (p) {
      ev.push([p.at, fill(S.publication, { days: fill(S.days, { n: p.days }), hm: hm(p.minutes, S), closes: short(p.closes) }) + " · " + (S.pubState[p.state] || ""), p.state === "objected" ? C.disputed : C.ink, highlight[p.seq]]);
    });
    (facts.acks || []).forEach(function (a) {
      var what = S.what[a.target_type] || "";
      ev.push([a.at, a.decision === "dispute" ? fill(S.ackDispute, { what: what, reason: a.reason || "" }) : fill(S.ackConfirm, { what: what }), a.decision === "dispute" ? C.disputed : C.money, highlight[a.seq]]);
    });
    if (w && facts.highlight && facts.highlight.indexOf(w.seq) >= 0) ev[0][3] = true;
    ev.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; });
    var y0 = TOP + n * RH + 12;
    var head = [];
    // Caption lines between the title and the calendar.
    if (w && w.punched_days !== undefined) {
      head.push([fill(S.punchedVsPaid, { pd: fill(S.days, { n: w.punched_days }), pm: hm(w.punched_minutes, S), wd: fill(S.days, { n: w.days }), wm: hm(w.minutes, S) }), w.punched_days !== w.days || w.punched_minutes !== w.minutes ? C.disputed : C.ink]);
    }
    if (gap) {
      head.push([fill(gap.basis === "named" ? S.gapNamed : gap.basis === "hours" ? S.gapHours : S.gapUnknown, { n: gap.days, c: gap.candidates }), C.disputed]);
    }
    if (ev.length) {
      out.push(text(4, y0 + 12, S.events, ' font-size="12" font-weight="bold" fill="' + C.ink + '"'));
      y0 += 18;
      ev.forEach(function (e) {
        out.push(text(4, y0 + 12, e[0].slice(5, 10), ' font-size="11" fill="' + C.ink + '"'));
        if (e[3]) out.push('<circle cx="' + (L - 6) + '" cy="' + (y0 + 8) + '" r="4" fill="none" stroke="' + C.ring + '" stroke-width="2"/>');
        out.push('<circle cx="' + (X0 + 4) + '" cy="' + (y0 + 8) + '" r="3.5" fill="' + e[2] + '"/>');
        out.push('<text x="' + (X0 + 14) + '" y="' + (y0 + 12) + '" font-size="11" fill="' + e[2] + '" clip-path="url(#' + id + '-w)">' + esc(e[1]) + "</text>");
        y0 += RH;
      });
    }
    // Legend.
    y0 += 10;
    var items = [
      ['<rect x="0" y="-8" width="18" height="9" rx="2" fill="' + C.shift + '"/>', S.legShift],
      ['<rect x="0" y="-8" width="18" height="9" fill="none" stroke="' + C.open + '" stroke-dasharray="3,2"/>', S.legNoOut],
      ['<circle cx="9" cy="-4" r="3" fill="' + C.late + '"/>', S.legLate],
      ['<path d="M9 -10 l5 7 l-5 7 l-5 -7 z" fill="' + C.repair + '"/>', S.legRepair],
      ['<rect x="0" y="-9" width="18" height="11" fill="' + C.leftOut + '"/>', S.legLeftOut],
      ['<rect x="0" y="-9" width="18" height="11" fill="none" stroke="' + C.disputed + '" stroke-width="1.5"/>', S.legDisputed],
      ['<circle cx="9" cy="-4" r="6" fill="none" stroke="' + C.ring + '" stroke-width="2"/>', S.legThis],
    ];
    var lx = 4, ly = y0 + 12;
    items.forEach(function (it) {
      var wdt = 26 + it[1].length * (lang === "en" ? 5.6 : 10.5) + 14;
      if (lx + wdt > W) { lx = 4; ly += 16; }
      out.push('<g transform="translate(' + lx + "," + ly + ')">' + it[0] + text(24, 0, it[1], ' font-size="10.5" fill="' + C.ink + '"') + "</g>");
      lx += wdt;
    });
    var H = ly + 10;
    var title = fill(S.title, { month: fill(S.month, { y: month.slice(0, 4), m: +month.slice(5, 7), mm: month.slice(5, 7) }) }) + (facts.subject ? " · " + S.worker + " " + facts.subject : "") + (facts.project ? " · " + S.project + " " + facts.project : "");
    var caption = head.slice(0, 2).map(function (c, k) {
      return text(4, 30 + k * 13, c[0], ' font-size="11" fill="' + c[1] + '"');
    }).join("");
    var topPad = head.length ? 14 * Math.min(head.length, 2) : 0;
    return '<svg xmlns="http://www.w3.org/2000/svg" class="siteledger-timeline" viewBox="0 0 ' + W + " " + (H + topPad) + '" width="100%" role="img" aria-label="' + esc(title) + '" font-family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, system-ui, sans-serif">' +
      '<defs><clipPath id="' + id + '-c"><rect x="' + R + '" y="0" width="' + (W - R) + '" height="' + (H + topPad) + '"/></clipPath>' +
      '<clipPath id="' + id + '-w"><rect x="0" y="0" width="' + W + '" height="' + (H + topPad) + '"/></clipPath></defs>' +
      text(4, 14, title, ' font-size="13" font-weight="bold" fill="' + C.ink + '"') + caption +
      '<g transform="translate(0,' + topPad + ')">' + out.join("") + "</g></svg>";
  }

  siteledgerTimeline.STRINGS = STRINGS;
  root.siteledgerTimeline = siteledgerTimeline;
  if (typeof module === "object" && module.exports) module.exports = siteledgerTimeline;
})(typeof globalThis !== "undefined" ? globalThis : this);
