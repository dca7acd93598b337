"""The evidence report: one self-contained HTML page an arbitrator reads in a minute.

First a one-screen summary: per case (one worker, project and month; the bundles about the same
worker are grouped), who, which project, what period, the verdict, the findings that matter and
the amounts owed and paid in yuan, and which blockchain the proofs rest on (a development chain is
called one: its proofs are for testing only). Then per case the month timeline (drawn by
``verifier/web/timeline.js`` from the timeline facts, embedded with the facts; the same function
draws it on the verifier and worker pages), then per bundle the details: what was proven, the
record in words, who signed it, where it was anchored, the recomputation, the findings and every
check. Then the limits of the proof and how to check it again. Chinese or English throughout:
the verifier's English details are translated by ``verifier.i18n.detail``; a sentence it does not
know is marked as untranslated (and a test keeps the corpus free of them).

No external resources: the page prints (A4 print stylesheet) and archives as is.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ledger.core.records import CORP_TYPES, WORK_TYPES
from ledger.core.times import format_time
from verifier.i18n import (
    CHECK,
    CODE_CLOSE,
    CODE_OPEN,
    FIELD,
    FINDING,
    KIND,
    LIMITS,
    QUOTE_CLOSE,
    QUOTE_OPEN,
    RECORD_TYPE,
    ROLE,
    STATUS,
    TEXT,
    VALUE,
    VERDICT,
    VERDICT_MEANING,
    detail,
    t,
)
from verifier.result import Finding, Report, Status, Verdict

TIMELINE_JS = Path(__file__).resolve().parent / "web" / "timeline.js"

DEV_CHAINS = {31337: "Hardhat / Anvil", 1337: "Ganache / Geth dev", 131277322940537: "eth-tester"}
"""Chain ids of development chains: local, resettable, run by whoever runs the test. Anchors on
them prove nothing to a third party. 131277322940537 is the in-process chain (eth-tester) that
``siteledger demo`` and the tests use."""

TEST_NETWORKS = {11155111: "Sepolia", 17000: "Holesky", 560048: "Hoodi", 80002: "Polygon Amoy",
                 84532: "Base Sepolia", 421614: "Arbitrum Sepolia", 11155420: "OP Sepolia"}  # fmt: skip
PUBLIC_CHAINS = {1: "Ethereum", 10: "OP Mainnet", 137: "Polygon PoS", 8453: "Base",
                 42161: "Arbitrum One"}  # fmt: skip

LATE_SYNC_MINUTES = 24 * 60
SUMMARY_CASES = 2
OTHER_ROWS = 6
"""The summary shows up to two cases in full; of more, the first (the one most in need of
attention) in full and the next six in one line each, then a count, so that it stays one screen."""

_CSS = """
:root{--ink:#1a1a1a;--muted:#666;--red:#c62828;--green:#2e7d32;--amber:#b58900}
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
max-width:62rem;margin:1rem auto;padding:0 1rem;color:var(--ink);line-height:1.45;font-size:15px}
h1{font-size:1.4rem;margin:.2rem 0;border-bottom:2px solid #333;padding-bottom:.2rem}
h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #999}
h3{font-size:1.02rem;margin:1.2rem 0 .4rem}
.meta{color:var(--muted);font-size:.85rem;margin:.2rem 0 .6rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0;font-size:.88rem}
th,td{border:1px solid #bbb;padding:.2rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}
@media screen and (max-width:640px){table{display:block;overflow-x:auto}}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.82em;word-break:break-all}
.verdict{font-weight:bold;padding:.35rem .7rem;border-radius:.3rem;display:inline-block}
.VALID{background:#e3f4e3;border:2px solid var(--green)}
.INVALID{background:#fde4e4;border:2px solid var(--red)}
.INCONCLUSIVE{background:#fff4d6;border:2px solid var(--amber)}
.failed{color:var(--red);font-weight:bold}.passed{color:var(--green)}
.inconclusive{color:var(--amber)}.skipped{color:#777}
td.passed,td.failed,td.skipped,td.inconclusive{white-space:nowrap}
.note{background:#fff4d6;padding:.4rem .6rem;border-left:4px solid var(--amber);margin:.4rem 0}
.alert{background:#fde4e4;padding:.4rem .6rem;border-left:4px solid var(--red);margin:.4rem 0}
.attention{color:var(--red)}
td.notes{font-size:.85em}
pre.wrap{white-space:pre-wrap;overflow-wrap:anywhere}
.untranslated{background:#ffd;outline:1px dashed var(--red)}
q.said{quotes:"「" "」"}:lang(en) q.said{quotes:"“" "”"}
.summary{border:2px solid #333;border-radius:.4rem;padding:.4rem .8rem;margin:.5rem 0;font-size:.93rem}
.summary p{margin:.3rem 0}.summary .alert,.summary .note{font-size:.88rem}
.summary h2{margin:.1rem 0 .3rem;border:0;font-size:1.15rem}
.case-sum{border-top:1px solid #ccc;padding:.35rem 0}
.case-sum h3{margin:.1rem 0 .25rem;font-size:.98rem}
.case-sum ul{margin:.2rem 0 .2rem 1.1rem;padding:0;font-size:.9rem}
.amounts{width:auto;font-size:.85rem;margin:.2rem 0}.amounts th{font-weight:normal}
.amounts td,.amounts th{padding:.1rem .5rem}.num{text-align:right;white-space:nowrap}
.timeline{margin:.6rem 0;break-inside:avoid}
.bundle{margin-top:1.4rem;border-top:2px solid #ddd}
@page{size:A4;margin:14mm 12mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:10.5pt}
.case{break-before:page}.summary{break-after:page}tr,.timeline,svg{break-inside:avoid}
h2,h3{break-after:avoid}a{color:inherit;text-decoration:none}}
"""


def _e(value: Any) -> str:
    return html.escape(str(value)) if value is not None else "—"


def _code(value: Any) -> str:
    return f"<code>{_e(value)}</code>"


def _d(text: str | None, lang: str) -> str:
    """A verifier detail in ``lang`` as HTML: identifiers as code; a sentence no pattern knows
    is kept and marked untranslated."""
    if not text:
        return ""
    out = detail(text, lang)
    if out is None:
        return f'<span class="untranslated" lang="en">{_e(text)}</span>'
    return _m(out)


def _m(text: str) -> str:
    """Escaped text with its markers as HTML: identifiers as code, the parties' words quoted."""
    return (html.escape(text).replace(CODE_OPEN, "<code>").replace(CODE_CLOSE, "</code>")
            .replace(QUOTE_OPEN, '<q class="said">').replace(QUOTE_CLOSE, "</q>"))  # fmt: skip


def _said(text: str | None) -> str:
    """Text quoted from a record, as HTML."""
    return f'<q class="said">{_e(text)}</q>' if text else ""


def yuan(fen: int, lang: str) -> str:
    s = f"{abs(fen) // 100:,}.{abs(fen) % 100:02d}"
    s = ("-" if fen < 0 else "") + s
    return f"{s} 元" if lang == "zh" else f"¥{s}"


def hours(minutes: int, lang: str) -> str:
    h, m = divmod(abs(minutes), 60)
    return f"{h}小时{m:02d}分" if lang == "zh" else f"{h} h {m:02d} min"


def late_text(minutes: int, lang: str) -> str:
    days, rest = divmod(minutes, 24 * 60)
    if lang == "zh":
        return f"{days} 天" if days else f"{rest // 60} 小时"
    return f"{days} days" if days else f"{rest // 60} hours"


def chain_name(chain_id: int, lang: str) -> tuple[str, bool]:
    """The chain's name in words and whether proofs on it are for testing only."""
    zh = lang == "zh"
    if chain_id in DEV_CHAINS:
        what = DEV_CHAINS[chain_id]
        return ((f"开发链（{what}，链 ID {chain_id}）" if zh else
                 f"a development chain ({what}, chain id {chain_id})"), True)  # fmt: skip
    if chain_id in TEST_NETWORKS:
        what = TEST_NETWORKS[chain_id]
        return ((f"公共测试网 {what}（链 ID {chain_id}）" if zh else
                 f"the public test network {what} (chain id {chain_id})"), True)  # fmt: skip
    if chain_id in PUBLIC_CHAINS:
        what = PUBLIC_CHAINS[chain_id]
        return (f"公共区块链 {what}（链 ID {chain_id}）" if zh else
                f"the public blockchain {what} (chain id {chain_id})"), False  # fmt: skip
    return ((f"链 ID {chain_id}（本核验程序不认识的链：请向平台运营方确认是哪条链）" if zh else
             f"chain id {chain_id} (not a chain this verifier knows: ask the operator which "
             "network it is)"), False)  # fmt: skip


# ---------------------------------------------------------------------------- cases


@dataclass
class Case:
    """Bundles about one worker, project and month (or one unreadable bundle)."""

    subject: str | None
    project: str | None
    month: str | None
    reports: list[Report] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        vs = {r.verdict for r in self.reports}
        for v in (Verdict.INVALID, Verdict.INCONCLUSIVE):
            if v in vs:
                return v
        return Verdict.VALID

    def timeline(self) -> dict[str, Any] | None:
        """The timeline facts of the case: those of its bundles merged, entries once by seq."""
        facts = [r.facts["timeline"] for r in self.reports
                 if r.verdict is not Verdict.INVALID and isinstance(r.facts.get("timeline"), dict)]  # fmt: skip
        if not facts:
            return None
        facts.sort(key=lambda f: f["kind"] == "record")  # run bundles first: they pair shifts
        out: dict[str, Any] = dict(facts[0])
        for f in facts[1:]:
            for key in ("punches", "payments", "acks", "publications"):
                have = {x["seq"]: x for x in out[key]}
                for x in f[key]:
                    if x["seq"] in have:
                        if key == "payments" and x.get("disputed"):
                            have[x["seq"]]["disputed"] = True
                        continue
                    have[x["seq"]] = x
                out[key] = sorted(have.values(), key=lambda x: x["seq"])
            for key in ("wage", "payroll_gap", "tz"):
                if out.get(key) is None and f.get(key) is not None:
                    out[key] = f[key]
            out["highlight"] = sorted(set(out["highlight"]) | set(f["highlight"]))
            out["disputed_days"] = sorted(set(out["disputed_days"]) | set(f["disputed_days"]))
        disputed_wage = [a for a in out["acks"] if a["decision"] == "dispute"
                         and a.get("target_type") == "wage"]  # fmt: skip
        if out.get("wage") is not None and disputed_wage:
            out["wage"] = dict(out["wage"], disputed=True)
            for p in out["payments"]:
                if p.get("wage_seq") in (None, out["wage"]["seq"]):
                    p["disputed"] = True
        return out


def cases(reports: Sequence[Report]) -> list[Case]:
    """Group reports by (worker, project, month); cases needing attention first."""
    out: dict[Any, Case] = {}
    for n, r in enumerate(reports):
        tl = r.facts.get("timeline")
        if isinstance(tl, dict) and r.verdict is not Verdict.INVALID:
            key: Any = (tl["subject"], tl["project"], tl["month"])
            c = out.setdefault(key, Case(tl["subject"], tl["project"], tl["month"]))
        else:
            c = out.setdefault(("", n), Case(None, None, None))
        c.reports.append(r)
    for c in out.values():
        c.reports.sort(key=lambda r: (r.kind != "wage", r.kind != "presence", r.source))
    rank = {Verdict.INVALID: 0, Verdict.INCONCLUSIVE: 1, Verdict.VALID: 2}
    return sorted(out.values(), key=lambda c: (rank[c.verdict], -_attention(c)))


def _attention(c: Case) -> int:
    return sum(1 for r in c.reports for f in r.findings if not f.ok)


# ---------------------------------------------------------------------------- the page


def render_html(reports: Sequence[Report], lang: str = "en", now: datetime | None = None) -> str:
    """The HTML report of ``reports`` in ``lang`` ("zh" or "en")."""
    now = now or datetime.now(UTC).replace(microsecond=0)
    groups = cases(reports)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(t(TEXT, 'title', lang))}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(t(TEXT, 'title', lang))}</h1>",
        f'<p class="meta">{_e(t(TEXT, "generated", lang))}: {_e(format_time(now))} · '
        f"{_e(t(TEXT, 'by_verifier', lang))}</p>",
        _summary(groups, reports, lang),
    ]
    timelines: list[tuple[str, dict[str, Any]]] = []
    for n, c in enumerate(groups, 1):
        parts.append(_case(n, c, lang, timelines))
    parts.append(f"<h2>{_e(t(TEXT, 'limits', lang))}</h2><ol>")
    parts += [f"<li>{_e(p)}</li>" for p in LIMITS[lang]]
    if any(chain_name(b["chain_id"], lang)[1] for r in reports for b in r.facts.get("batches", [])):
        parts.append(f"<li>{_e(t(TEXT, 'dev_limit', lang))}</li>")
    parts.append("</ol>")
    parts.append(f"<h2>{_e(t(TEXT, 'recheck', lang))}</h2>")
    parts.append(_recheck(reports, lang))
    if timelines:
        parts.append(_scripts(timelines, lang))
    parts.append("</body></html>")
    return "\n".join(parts)


def _json_script(value: Any) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))  # fmt: skip


def _scripts(timelines: list[tuple[str, dict[str, Any]]], lang: str) -> str:
    js = TIMELINE_JS.read_text(encoding="utf-8")
    data = ",".join(f'"{key}":{_json_script(facts)}' for key, facts in timelines)
    return (f"<script>{js}</script>\n<script>(function(){{var facts={{{data}}};"
            "for(var k in facts){var el=document.getElementById(k);"
            f'if(el)el.innerHTML=siteledgerTimeline(facts[k],"{lang}");}}}})();</script>')


def _summary(groups: list[Case], reports: Sequence[Report], lang: str) -> str:
    zh = lang == "zh"
    counts = {v: sum(r.verdict is v for r in reports) for v in Verdict}
    head = "，".join(f"{counts[v]} 个{t(VERDICT, v.value, lang)}" for v in Verdict if counts[v]) \
        if zh else ", ".join(f"{counts[v]} {t(VERDICT, v.value, lang)}" for v in Verdict if counts[v])  # fmt: skip
    out = ['<section class="summary" id="summary">',
           f"<h2>{_e(t(TEXT, 'summary', lang))}</h2>",
           f"<p>{_e(len(reports))} {_e(t(TEXT, 'bundles_checked', lang))}{'：' if zh else ': '}"
           f"{_e(head)}</p>"]  # fmt: skip
    chains = sorted({b["chain_id"] for r in reports for b in r.facts.get("batches", [])})
    for cid in chains:
        name, testing = chain_name(cid, lang)
        if testing:
            out.append(f'<p class="alert">{_e(t(TEXT, "anchored_on", lang))} {_e(name)}'
                       f"{'。' if zh else '. '}{_e(t(TEXT, 'dev_chain', lang))}</p>")  # fmt: skip
        else:
            out.append(f"<p>{_e(t(TEXT, 'anchored_on', lang))} {_e(name)}{'。' if zh else '.'}</p>")
    if any(not r.anchor_checked and r.verdict is not Verdict.INVALID for r in reports):
        out.append(f'<p class="note">{_e(t(TEXT, "anchor_not_checked", lang))}</p>')
    rest: list[tuple[int, Case]] = []
    for n, c in enumerate(groups, 1):
        if len(groups) <= SUMMARY_CASES or n == 1:
            out.append(_case_summary(n, c, lang))
        else:
            rest.append((n, c))
    if rest:
        out.append(_other_cases(rest, lang))
    out.append("</section>")
    return "\n".join(out)


def _other_cases(rest: list[tuple[int, Case]], lang: str) -> str:
    """One line per further case, so that the summary stays one screen."""
    zh = lang == "zh"
    rows = [f'<h3>{_e(t(TEXT, "other_cases", lang))}</h3><table class="amounts"><tr>'
            f"<th>{_e(t(TEXT, 'case', lang))}</th><th>{_e(t(TEXT, 'verdict', lang))}</th>"
            f"<th>{_e(t(TEXT, 'net_line', lang))}</th><th>{_e(t(TEXT, 'paid_total', lang))}</th>"
            f"<th>{_e(t(TEXT, 'notes_col', lang))}</th></tr>"]  # fmt: skip
    for n, c in rest[:OTHER_ROWS]:
        tl = c.timeline() or {}
        w = tl.get("wage") or {}
        paid = sum(p["amount"] if p["status"] == "paid" else -p["amount"] if p["status"] == "returned"
                   else 0 for p in tl.get("payments", []))  # fmt: skip
        who = _case_title(n, c, lang).split("：" if zh else ": ", 1)[-1]
        v = c.verdict.value
        rows.append(f'<tr><td><a href="#case-{n}">{n}</a> {who}</td>'
                    f'<td><span class="verdict {v}">{_e(t(VERDICT, v, lang))}</span></td>'
                    f'<td class="num">{_e(yuan(w["net"], lang)) if w else "—"}</td>'
                    f'<td class="num">{_e(yuan(paid, lang)) if tl.get("payments") else "—"}</td>'
                    f'<td class="notes">{_notes(c, lang)}</td></tr>')  # fmt: skip
    rows.append("</table>")
    if len(rest) > OTHER_ROWS:
        more = rest[OTHER_ROWS:]
        bad = sum(c.verdict is not Verdict.VALID or _attention(c) > 0 for _, c in more)
        rows.append(f"<p>{_e(t(TEXT, 'more_cases', lang).format(n=len(more), bad=bad))}</p>")
    return "\n".join(rows)


def _notes(c: Case, lang: str) -> str:
    """One line of what a further case is about: the presence answer, the findings needing
    attention, late uploads and repair punches (the full list is in the case's section)."""
    sep = "；" if lang == "zh" else "; "
    out = []
    for r in c.reports:
        answer = (r.facts.get("recomputed") or {}) if r.kind == "presence" else {}
        if isinstance(answer, dict) and "present" in answer:
            at = str(answer.get("at", ""))[:16].replace("T", " ")
            key = "note_present" if answer["present"] else "note_absent"
            out.append(f'<span class="{"passed" if answer["present"] else "attention"}">'
                       f"{_e(t(TEXT, key, lang).format(at=at))}</span>")  # fmt: skip
    if (n := _attention(c)) > 0:
        out.append(f'<span class="attention">{_e(t(TEXT, "note_attention", lang).format(n=n))}</span>')
    tl = c.timeline()
    if tl is not None:
        if late := sum(1 for p in tl["punches"] if p["late"]):
            out.append(f'<span class="attention">{_e(t(TEXT, "note_late", lang).format(n=late))}</span>')
        if repairs := sum(1 for p in tl["punches"] if p.get("repair")):
            out.append(_e(t(TEXT, "note_repair", lang).format(n=repairs)))
    if len(out) > 3:  # one line: the case's own section lists the rest
        out = out[:3] + ["…"]
    return sep.join(out) or _e(t(TEXT, "note_none", lang))


def _case_title(n: int, c: Case, lang: str) -> str:
    zh = lang == "zh"
    if c.subject is None:
        src = c.reports[0].source or "?"
        return f"{t(TEXT, 'case', lang)} {n}{'：' if zh else ': '}{_code(src)}"
    who = _worker(c, lang)
    return (f"{t(TEXT, 'case', lang)} {n}{'：' if zh else ': '}{t(FIELD, 'subject', lang).split('（')[0] if zh else 'worker'} "
            f"{who} · {t(FIELD, 'project', lang) if zh else 'project'} {_code(c.project)} · "
            f"{_e(_month_words(c.month, lang))}")  # fmt: skip


def _worker(c: Case, lang: str) -> str:
    name = None
    for r in c.reports:
        d = r.facts.get("disclosure")
        if isinstance(d, dict):
            f = d.get("fields", {})
            name = f.get("name") or f.get("workerName")
    return (_e(name) + " (" + _code(c.subject) + ")") if name else _code(c.subject)


def _month_words(month: str | None, lang: str) -> str:
    if not month:
        return ""
    return f"{month[:4]}年{int(month[5:7])}月" if lang == "zh" else month


def _case_summary(n: int, c: Case, lang: str) -> str:
    v = c.verdict.value
    out = ['<div class="case-sum">',
           f'<h3><a href="#case-{n}">{_case_title(n, c, lang)}</a> · '
           f'<span class="verdict {v}">{_e(t(VERDICT, v, lang))}</span></h3>']  # fmt: skip
    items = _matters(c, lang)
    tl = c.timeline()
    amounts = _amounts(c, tl, lang)
    lis = "<ul>" + "".join(f"<li>{x}</li>" for x in items[:8]) + "</ul>" if items else ""
    out.append(amounts + lis)
    kinds = ", ".join(_bundle_label(r, lang, short=True) for r in c.reports)
    out.append(f'<div class="meta">{_e(t(TEXT, "bundles", lang))}{"：" if lang == "zh" else ": "}'
               f"{kinds}</div></div>")  # fmt: skip
    return "\n".join(out)


def _matters(c: Case, lang: str) -> list[str]:
    """The findings that matter, in words: failed checks, findings needing attention (once per
    name), late uploads and repair punches."""
    zh = lang == "zh"
    out: list[str] = []
    for r in c.reports:
        for ch in r.checks:
            if ch.status is Status.FAILED or (ch.status is Status.INCONCLUSIVE
                                              and not ch.name.startswith("chain.")):  # fmt: skip
                out.append(f'<span class="attention">{_e(t(CHECK, ch.name, lang))}'
                           f"{'：' if zh else ': '}</span>{_d(ch.detail, lang)}")  # fmt: skip
    for r in c.reports:
        cp = r.facts.get("checkpoint")
        if isinstance(cp, dict) and r.verdict is Verdict.VALID:
            out.append(_e(t(TEXT, "complete_to", lang).format(
                n=cp.get("batch_no"), seq=cp.get("last_seq"), at=cp.get("sealed_at"))))  # fmt: skip
            break
    seen: set[str] = set()
    for r in c.reports:
        for f in r.findings:
            if r.kind == "presence" and f.name in ("present", "in_before") and f.ok:
                out.append(f'<span class="passed">{_e(t(FINDING, f.name, lang))}'
                           f"{'：' if zh else ': '}</span>{_d(f.detail, lang)}")  # fmt: skip
            if f.ok or f.name in seen:
                continue
            seen.add(f.name)
            out.append(f'<span class="attention">{_e(t(FINDING, f.name, lang))}'
                       f"{'：' if zh else ': '}</span>{_d(f.detail, lang)}")  # fmt: skip
    tl = c.timeline()
    if tl is not None:
        gap = tl.get("payroll_gap")
        if gap:
            days = "、".join(d[5:] for d in gap["dates"]) if zh else ", ".join(gap["dates"])
            key = {"named": "gap_named", "hours": "gap_hours"}.get(gap["basis"], "gap_unknown")
            out.insert(0, _e(t(TEXT, key, lang).format(n=gap["days"], days=days, c=gap["candidates"],
                                                       hm=hours(gap["minutes"], lang))))  # fmt: skip
        late = [p for p in tl["punches"] if p["late"]]
        if late:
            worst = max(late, key=lambda p: p["late_minutes"])
            out.append(_e(t(TEXT, "late_summary", lang).format(
                n=len(late), at=worst["at"][:16].replace("T", " "),
                late=late_text(worst["late_minutes"], lang))))  # fmt: skip
        for p in tl["punches"]:
            if p.get("repair"):
                out.append(_repair_words(p, lang))
    return out


def _amounts(c: Case, tl: dict[str, Any] | None, lang: str) -> str:
    if tl is None or all(r.kind == "presence" for r in c.reports):
        return ""  # an insurer's question is presence at an instant, not pay
    w = tl.get("wage")
    paid = sum(p["amount"] if p["status"] == "paid" else -p["amount"] if p["status"] == "returned"
               else 0 for p in tl["payments"] if p.get("in_force", True))  # fmt: skip
    if w is None and not tl["payments"]:
        return ""
    rows: list[tuple[str, str, bool]] = []
    expected = next((f.expected for r in c.reports for f in r.findings
                     if f.name == "gross" and not f.ok and f.expected), None)  # fmt: skip
    if w is not None:
        rows.append((t(TEXT, "gross_line", lang), yuan(w["gross"], lang), False))
        if expected is not None:
            fen = int(expected.replace(",", "").replace(".", ""))
            rows.append((t(TEXT, "gross_expected", lang), yuan(fen, lang), True))
        rows.append((t(TEXT, "net_line", lang), yuan(w["net"], lang), False))
    rows.append((t(TEXT, "paid_total", lang), yuan(paid, lang), False))
    if w is not None and paid != w["net"]:
        rows.append((t(TEXT, "short_paid", lang), yuan(w["net"] - paid, lang), True))
    if w is not None and "punched_days" in w:
        rows.append((t(TEXT, "days_lp", lang), f"{w['days']} / {w['punched_days']}",
                     w["days"] != w["punched_days"]))
        rows.append((t(TEXT, "hours_lp", lang),
                     f"{hours(w['minutes'], lang)} / {hours(w['punched_minutes'], lang)}",
                     w["minutes"] != w["punched_minutes"]))  # fmt: skip
    head = "".join(f"<th>{_e(k)}</th>" for k, _, _ in rows)
    cells = "".join(f'<td class="num{" attention" if bad else ""}">{_e(v)}</td>'
                    for _, v, bad in rows)  # fmt: skip
    return f'<table class="amounts"><tr>{head}</tr><tr>{cells}</tr></table>'


def _repair_words(p: dict[str, Any], lang: str) -> str:
    rp = p["repair"]
    at = p["at"][:16].replace("T", " ")
    ap = rp.get("approval")
    if lang == "zh":
        s = f"{at} 的{t(VALUE, p['dir'], lang)}打卡为补卡"
        if rp.get("correction_seq") is not None:
            s += f"：施工单位于 {rp['at'][:16].replace('T', ' ')} 以更正记录（序号 {rp['correction_seq']}）补录，理由：{QUOTE_OPEN}{rp['reason']}{QUOTE_CLOSE}"
        if ap and ap["decision"] == "approve":
            s += f"；监理 {CODE_OPEN}{ap['by']}{CODE_CLOSE} 于 {ap['at'][:16].replace('T', ' ')} 批准（序号 {ap['seq']}），计入考勤。"
        elif ap:
            s += f"；监理 {CODE_OPEN}{ap['by']}{CODE_CLOSE} 于 {ap['at'][:16].replace('T', ' ')} 驳回，不计入考勤。"
        else:
            s += "；证据包中没有监理批准，不计入考勤。"
        return _m(s)
    s = f"The {t(VALUE, p['dir'], lang)} punch at {at} is a repair punch (补卡)"
    if rp.get("correction_seq") is not None:
        s += (f": entered by the contractor's correction at {rp['at'][:16].replace('T', ' ')} "
              f"(seq {rp['correction_seq']}), reason: {QUOTE_OPEN}{rp['reason']}{QUOTE_CLOSE}")
    if ap and ap["decision"] == "approve":
        s += (f"; approved by supervisor {CODE_OPEN}{ap['by']}{CODE_CLOSE} at {ap['at'][:16].replace('T', ' ')} "
              f"(seq {ap['seq']}), so it counts.")
    elif ap:
        s += f"; rejected by supervisor {CODE_OPEN}{ap['by']}{CODE_CLOSE}: it does not count."
    else:
        s += "; no supervisor approval in the bundle: it does not count."
    return _m(s)


def _case(n: int, c: Case, lang: str, timelines: list[tuple[str, dict[str, Any]]]) -> str:
    out = [f'<section class="case" id="case-{n}"><h2>{_case_title(n, c, lang)}</h2>']
    tl = c.timeline()
    if tl is not None:
        key = f"timeline-{n}"
        timelines.append((key, tl))
        out.append(f'<div class="timeline" id="{key}"><noscript>{_e(t(TEXT, "noscript", lang))}'
                   "</noscript></div>")  # fmt: skip
    for r in c.reports:
        out.append(_one(r, c, tl, lang))
    out.append("</section>")
    return "\n".join(out)


def _bundle_label(r: Report, lang: str, short: bool = False) -> str:
    """What the bundle is: kind, worker, period (the 'Bundle:' heading)."""
    zh = lang == "zh"
    sep = " · "
    rec = r.facts.get("record")
    tl = r.facts.get("timeline") if isinstance(r.facts.get("timeline"), dict) else None
    if isinstance(rec, dict):
        what = t(RECORD_TYPE, rec["type"], lang)
        when = _record_when(rec, lang)
        label = (f"{what}{sep}{when}" if short else
                 f"{t(KIND, 'record', lang)}{'：' if zh else ': '}{what}{sep}{when}")  # fmt: skip
    elif tl is not None:
        period = _month_words(tl["month"], lang)
        if r.kind == "presence":
            at = r.facts.get("recomputed", {}).get("at")
            period = (at or period)[:16].replace("T", " ")
        label = f"{t(KIND, r.kind or '', lang)}{sep}{period}"
    else:
        label = t(TEXT, "unreadable_bundle", lang)
    src = f" ({_code(r.source)})" if r.source else ""
    return _e(label) + src


def _record_when(rec: dict[str, Any], lang: str) -> str:
    f = rec.get("fields", {})
    if rec["type"] in ("wage", "payment", "publication") and f.get("pay_month"):
        return _month_words(f["pay_month"], lang)
    return str(rec["time"])[:16].replace("T", " ")


def _one(r: Report, c: Case, tl: dict[str, Any] | None, lang: str) -> str:
    zh = lang == "zh"
    v = r.verdict.value
    out = [f'<div class="bundle"><h3>{_e(t(TEXT, "bundle", lang))}{"：" if zh else ": "}'
           f"{_bundle_label(r, lang)}</h3>",
           f'<p><span class="verdict {v}">{_e(t(TEXT, "verdict", lang))}{"：" if zh else ": "}'
           f"{_e(t(VERDICT, v, lang))}</span> {_e(t(VERDICT_MEANING, v, lang))}</p>"]  # fmt: skip
    if r.verdict is not Verdict.INVALID and not r.unreadable:
        out.append(f"<h3>{_e(t(TEXT, 'what', lang))}</h3><p>{_e(_what(r, lang))}</p>")
        out += _witness_notes(r, lang)
        out += _record_notes(r, tl, lang)
        rec = r.facts.get("record")
        if isinstance(rec, dict):
            out.append(_record_table(rec, lang))
        out.append(_signers(r, lang))
        out.append(_batches(r, lang))
        out.append(_recomputed(r, lang))
    if r.findings:
        out.append(_findings(r.findings, lang))
    out.append(f"<h3>{_e(t(TEXT, 'checks', lang))}</h3><table><tr>"
               f"<th>{_e(t(TEXT, 'check', lang))}</th><th>{_e(t(TEXT, 'status', lang))}</th>"
               f"<th>{_e(t(TEXT, 'detail', lang))}</th></tr>")  # fmt: skip
    for ch in r.checks:
        out.append(f"<tr><td>{_e(t(CHECK, ch.name, lang))}</td>"
                   f'<td class="{ch.status.value}">{_e(t(STATUS, ch.status.value, lang))}</td>'
                   f"<td>{_d(ch.detail, lang)}</td></tr>")  # fmt: skip
    out.append("</table></div>")
    return "\n".join(out)


def _findings(findings: Sequence[Finding], lang: str) -> str:
    out = [f"<h3>{_e(t(TEXT, 'findings', lang))}</h3><table><tr>"
           f"<th>{_e(t(TEXT, 'check', lang))}</th><th>{_e(t(TEXT, 'detail', lang))}</th>"
           f"<th>{_e(t(TEXT, 'expected', lang))}</th><th>{_e(t(TEXT, 'actual', lang))}</th></tr>"]  # fmt: skip
    for f in findings:
        cls = "" if f.ok else ' class="attention"'
        mark = t(TEXT, "ok", lang) if f.ok else t(TEXT, "attention", lang)
        out.append(f"<tr{cls}><td>{_e(t(FINDING, f.name, lang))}（{_e(mark)}）</td>"
                   if lang == "zh" else f"<tr{cls}><td>{_e(t(FINDING, f.name, lang))} ({_e(mark)})</td>")
        out.append(f"<td>{_d(f.detail, lang)}</td><td>{_e(_figure(f.expected, lang))}</td>"
                   f"<td>{_e(_figure(f.actual, lang))}</td></tr>")  # fmt: skip
    out.append("</table>")
    return "\n".join(out)


def _figure(value: str | None, lang: str) -> str | None:
    """A finding's expected/actual figure in words: yuan amounts and h/min durations."""
    if value is None:
        return None
    if re.fullmatch(r"-?[\d,]+\.\d\d", value):
        return f"{value} 元" if lang == "zh" else f"¥{value}"
    m = re.fullmatch(r"(\d+)h(\d+)", value)
    if m:
        return hours(int(m.group(1)) * 60 + int(m.group(2)), lang)
    return value


def _record_notes(r: Report, tl: dict[str, Any] | None, lang: str) -> list[str]:
    """What the reader must notice about a single record: a late upload, a repair punch and its
    approval, a dispute of the wage line a payment pays."""
    rec = r.facts.get("record")
    if not isinstance(rec, dict):
        return []
    zh = lang == "zh"
    out: list[str] = []
    try:
        late = int((datetime.fromisoformat(rec["received_at"]) -
                    datetime.fromisoformat(rec["time"])).total_seconds() // 60)  # fmt: skip
    except (TypeError, ValueError):
        late = 0
    if late > LATE_SYNC_MINUTES:
        out.append(f'<p class="alert">{_e(t(TEXT, "late_record", lang).format(late=late_text(late, lang), received=rec["received_at"], time=rec["time"]))}</p>')
    own = r.facts.get("timeline") or {}
    for p in own.get("punches", []):
        if p["seq"] == rec["seq"] and p.get("repair"):
            out.append(f'<p class="note">{_repair_words(p, lang)}</p>')
    if rec["type"] == "payment" and tl is not None:
        pay = next((p for p in tl["payments"] if p["seq"] == rec["seq"]), None)
        disputes = [a for a in tl["acks"] if a["decision"] == "dispute"]
        w = tl.get("wage")
        if pay is not None and pay.get("disputed") and disputes:
            a = disputes[0]
            reason = f"{QUOTE_OPEN}{a.get('reason') or ''}{QUOTE_CLOSE}"
            net = f"{yuan(w['net'], lang)}" if w else "—"
            s = (f"该支付对应的工资单被工人提出异议（{a['at'][:16].replace('T', ' ')}，序号 {a['seq']}）："
                 f"{reason}。本次支付 {yuan(pay['amount'], lang)}，工资单实发 {net}。" if zh else
                 f"The worker disputes the wage line this payment pays ({a['at'][:16].replace('T', ' ')}, "
                 f"seq {a['seq']}): {reason}. This payment: {yuan(pay['amount'], lang)}; net wage of "
                 f"the line: {net}.")  # fmt: skip
            out.append(f'<p class="alert">{_m(s)}</p>')
    return out


def _recheck(reports: Sequence[Report], lang: str) -> str:
    files = " ".join(r.source or "bundle.json" for r in reports)
    return (f"<p>{_m(t(TEXT, 'recheck_intro', lang))}</p><pre class=\"wrap\"><code>pip install .\n"
            f"siteledger-verify {_e(files)} --rpc &lt;RPC URL&gt; --lang {lang} "
            f"--report report.html</code></pre>")  # fmt: skip


def _holder(r: Report, signer: str | None = None) -> tuple[str, list[str]]:
    chain = r.facts.get("signer")
    if signer is not None:
        chain = r.facts.get("signers", {}).get(signer)
    if isinstance(chain, list) and chain:
        return str(chain[0]["holder"]), list(chain[0]["roles"])
    return "?", []


def _what(r: Report, lang: str) -> str:
    batches = r.facts.get("batches", [])
    rec = r.facts.get("record")
    zh = lang == "zh"
    chain, testing = chain_name(batches[0]["chain_id"], lang) if batches else ("", False)
    if isinstance(rec, dict):
        holder, roles = _holder(r)
        role = ("、" if zh else ", ").join(t(ROLE, x, lang) for x in roles)
        b = next((x for x in batches if x["batch_no"] == rec["batch_no"]), None)
        kind = t(RECORD_TYPE, rec["type"], lang)
        about = rec.get("subject") or ""
        st = r.facts.get("status", {}).get("state")
        if zh:
            s = (f"一条{kind}记录（编号 {rec['id']}"
                 + (f"，工人 {about}" if about else "")
                 + (f"，项目 {rec['project']}" if rec.get("project") else "")
                 + f"），记录时间 {rec['time']}，由{role}「{holder}」的密钥签名，平台于 "
                 f"{rec['received_at']} 收录为第 {rec['seq']} 号记录。")  # fmt: skip
            if b:
                s += (f"该记录所在批次 {b['batch_no']} 的默克尔根已写入{chain}第 {b['block_number']} "
                      f"号区块，区块时间 {b['block_time']}。" + (
                          "但这是测试用的链，谁都可以改写它，所以这一点对外并不成立。" if testing else
                          "因此该记录最迟在该时间已经存在，且此后未被更改。"))  # fmt: skip
            if st in ("voided", "amended"):
                s += "注意：该记录已被经审批的更正记录作废或修改。"
            return s
        s = (f"A {kind} record (id {rec['id']}"
             + (f", worker {about}" if about else "")
             + (f", project {rec['project']}" if rec.get("project") else "")
             + f"), dated {rec['time']}, signed with the key of {holder} ({role}), was received by "
             f"the ledger at {rec['received_at']} as entry {rec['seq']}.")  # fmt: skip
        if b:
            s += (f" The fingerprint (Merkle root) of its batch {b['batch_no']} was written to "
                  f"{chain} in block {b['block_number']} at {b['block_time']}" + (
                      ". That chain is for testing and anyone can rewrite it, so to outsiders this "
                      "proves nothing." if testing else ", so the record existed no later than that "
                      "time and has not changed since."))  # fmt: skip
        if st in ("voided", "amended"):
            s += f" Note: an approved correction has {st} this record."
        return s
    run = r.facts.get("run")
    if isinstance(run, dict):
        last = max((b["block_time"] for b in batches), default="?")
        if zh:
            return (f"工人 {run['subject']} 在项目 {run['project']} 的连续 {run['entries']} 条记录"
                    f"（工人记录号 {run['first_subject_seq']}–{run['last_subject_seq']}），每条记录都包含前一"
                    f"条的哈希，序列内部没有缺失；这些记录均已锚定在{chain}上（最晚区块时间 {last}）。"
                    "以下复算由核验程序根据这些记录独立完成。")  # fmt: skip
        return (f"{run['entries']} consecutive entries about worker {run['subject']} on project "
                f"{run['project']} (subject_seq {run['first_subject_seq']}–"
                f"{run['last_subject_seq']}); each names the hash of the one before, so none "
                f"inside the run is missing; all are anchored on {chain} (latest block time "
                f"{last}). The verifier recomputed the figures below from these entries alone.")  # fmt: skip
    return ""


_MONEY = {"gross", "net", "amount", "unit_price"}
_DURATION = {"work_minutes", "minutes"}
_SKIP = {"v", "type"}


def _value(key: str, v: Any, lang: str) -> str:
    """A record field's value in words, as HTML."""
    zh = lang == "zh"
    if v is None:
        return "—"
    if isinstance(v, bool):
        return _e(t(VALUE, "true" if v else "false", lang))
    if key in _MONEY and isinstance(v, int):
        return _e(yuan(v, lang))
    if key in _DURATION and isinstance(v, int):
        return _e(hours(v, lang))
    if key == "deductions" and isinstance(v, list):
        return _e(("；" if zh else "; ").join(
            f"{t(VALUE, d.get('code', ''), lang)} {yuan(int(d.get('amount', 0)), lang)}"
            + (f"（{d['note']}）" if zh and d.get("note") else f" ({d['note']})" if d.get("note") else "")
            for d in v)) or "—"  # fmt: skip
    if key == "contract" and isinstance(v, dict):
        unit = t(VALUE, str(v.get("unit")), lang)
        parts = [t(VALUE, str(v.get("period_type")), lang),
                 f"{unit} {yuan(int(v.get('unit_price', 0)), lang)}",
                 (f"自 {v.get('start_date')}" if zh else f"from {v.get('start_date')}")]  # fmt: skip
        if v.get("end_date"):
            parts.append(f"至 {v['end_date']}" if zh else f"until {v['end_date']}")
        return _e(("，" if zh else ", ").join(parts))
    if key == "location" and isinstance(v, dict):
        return _e(f"{v.get('lat_e6', 0) / 1e6:.6f}, {v.get('lng_e6', 0) / 1e6:.6f}")
    if key == "work_type" and isinstance(v, str):
        return _e(f"{WORK_TYPES.get(v, v)}") + f" {_code(v)}"
    if key == "corp_type" and isinstance(v, str):
        return _e(f"{CORP_TYPES.get(v, v)}") + f" {_code(v)}"
    if key == "work_role" and isinstance(v, str):
        return _e({"10": "管理人员" if zh else "manager", "20": "建筑工人" if zh else "construction worker"}
                  .get(v, v))  # fmt: skip
    if key == "roles" and isinstance(v, list):
        return _e(("、" if zh else ", ").join(t(ROLE, x, lang) for x in v))
    if isinstance(v, str) and v in VALUE and key not in ("reason", "comment", "name", "course_name"):
        return _e(t(VALUE, v, lang))
    if isinstance(v, str) and key in ("reason", "comment", "name", "course_name", "corp_name"):
        return _said(v)
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\d(T.*)?", v):
        return _e(v)
    if isinstance(v, (int, float)):
        return _e(v)
    if isinstance(v, (list, dict)):
        return _code(json.dumps(v, ensure_ascii=False))
    return _code(v)


def _record_table(rec: dict[str, Any], lang: str) -> str:
    rows = [f"<h3>{_e(t(TEXT, 'record', lang))}</h3><table><tr><th>{_e(t(TEXT, 'field', lang))}"
            f"</th><th>{_e(t(TEXT, 'value', lang))}</th></tr>"]  # fmt: skip
    fields = dict(rec.get("fields", {}))
    for k, v in fields.items():
        if k in _SKIP:
            continue
        label = t(FIELD, k, lang)
        if k == "signer":
            label = t(TEXT, "key_id", lang)
        rows.append(f"<tr><td>{_e(label)}</td><td>{_value(k, v, lang)}</td></tr>")
    rows.append(f"<tr><td>{_e(t(FIELD, 'received_at', lang))}</td><td>{_e(rec['received_at'])}</td></tr>")
    rows.append(f"<tr><td>{_e(t(FIELD, 'seq', lang))}</td><td>{_e(rec['seq'])}</td></tr>")
    rows.append(f"<tr><td>{_e(t(FIELD, 'leaf_hash', lang))}</td><td>{_code(rec['leaf_hash'])}</td></tr>")
    rows.append("</table>")
    return "\n".join(rows)


def _signers(r: Report, lang: str) -> str:
    chains: list[list[dict[str, Any]]] = []
    if isinstance(r.facts.get("signer"), list):
        chains.append(r.facts["signer"])
    for chain in r.facts.get("signers", {}).values():
        chains.append(chain)
    if not chains:
        return ""
    out = [f"<h3>{_e(t(TEXT, 'signed_by', lang))}</h3><table><tr>"
           f"<th>{_e(t(TEXT, 'holder', lang))}</th><th>{_e(t(TEXT, 'role', lang))}</th>"
           f"<th>{_e(t(TEXT, 'registered', lang))}</th><th>{_e(t(TEXT, 'key_id', lang))}</th>"
           "</tr>"]  # fmt: skip
    seen: set[str] = set()
    for chain in chains:
        for k in chain:
            if k["key_id"] in seen:
                continue
            seen.add(k["key_id"])
            roles = ("、" if lang == "zh" else ", ").join(t(ROLE, x, lang) for x in k["roles"])
            rev = (f" ({t(TEXT, 'revoked_at', lang)} {k['revoked_seq']})"
                   if k.get("revoked_seq") is not None else "")  # fmt: skip
            out.append(f"<tr><td>{_code(k['holder'])}</td><td>{_e(roles)}</td>"
                       f"<td>{_e(k['registered_seq'])}{_e(rev)}</td><td>{_code(k['key_id'])}</td>"
                       "</tr>")  # fmt: skip
    out.append("</table>")
    return "\n".join(out)


def witness_line(w: dict[str, Any], lang: str) -> str:
    """Who confirmed a batch (``facts["batches"][i]["witnesses"]``), in words, as HTML: the
    institutions' names as the bundle gives them, the anchorer's reason quoted as said."""
    zh = lang == "zh"
    if w.get("status") == "witnessed":
        names = ("、" if zh else ", ").join(w.get("signers", []))
        return _e(t(TEXT, "witnessed_by", lang).format(k=len(w.get("signers", [])), n=w.get("n"),
                                                        t=w.get("threshold"), names=names))  # fmt: skip
    if w.get("status") == "unwitnessed":
        head, _, tail = t(TEXT, "unwitnessed", lang).partition("{reason}")
        fill = {"n": w.get("n"), "t": w.get("threshold")}
        return _e(head.format(**fill)) + _said(w.get("reason", "")) + _e(tail.format(**fill))
    return _e(t(TEXT, "no_witnesses", lang))


def _witness_notes(r: Report, lang: str) -> list[str]:
    """The summary's sentences on witnesses: the institutions that co-signed each batch, and
    plainly, each batch anchored without their quorum."""
    batches = [b for b in r.facts.get("batches", []) if "witnesses" in b]
    if not batches:
        return []
    out = []
    for b in batches:
        w = b["witnesses"]
        label = t(TEXT, "batch", lang) + f" {b['batch_no']}" + ("：" if lang == "zh" else ": ")
        cls = "alert" if w.get("status") != "witnessed" else "note"
        out.append(f'<p class="{cls}">{_e(label)}{witness_line(w, lang)}</p>')
    return out


def _batches(r: Report, lang: str) -> str:
    batches = r.facts.get("batches", [])
    if not batches:
        return ""
    witnessed = any("witnesses" in b for b in batches)
    out = [f"<h3>{_e(t(TEXT, 'anchored', lang))}</h3><table><tr>"
           f"<th>{_e(t(TEXT, 'batch', lang))}</th><th>{_e(t(TEXT, 'block_time', lang))}</th>"
           f"<th>{_e(t(TEXT, 'block', lang))}</th><th>{_e(t(TEXT, 'tx', lang))}</th>"
           f"<th>{_e(t(TEXT, 'chain', lang))} / {_e(t(TEXT, 'contract', lang))}</th>"
           + (f"<th>{_e(t(TEXT, 'witnesses', lang))}</th>" if witnessed else "")
           + "</tr>"]  # fmt: skip
    for b in batches:
        tx = _code(b["tx_hash"])
        if re.match(r"https?://", b.get("tx_url") or ""):  # a link only to a web page
            tx = f'<a href="{html.escape(b["tx_url"], quote=True)}">{tx}</a>'
        seqs = f"{b['first_seq']}–{b['first_seq'] + b['size'] - 1}"
        out.append(f"<tr><td>{_e(b['batch_no'])}（{_e(t(TEXT, 'seq_range', lang))} {_e(seqs)}）</td>"
                   f"<td>{_e(b['block_time'])}</td><td>{_e(b['block_number'])}</td><td>{tx}</td>"
                   f"<td>{_e(chain_name(b['chain_id'], lang)[0])}<br>{_code(b['contract'])}</td>"
                   + (f"<td>{witness_line(b.get('witnesses') or {}, lang)}</td>"
                      if witnessed else "") + "</tr>")  # fmt: skip
    out.append("</table>")
    return "\n".join(out)


def _recomputed(r: Report, lang: str) -> str:
    rc = r.facts.get("recomputed")
    if not isinstance(rc, dict) or "day_rows" not in rc:
        return ""
    tl = r.facts.get("timeline") or {}
    gap = set((tl.get("payroll_gap") or {}).get("dates", []))
    out = [f"<h3>{_e(t(TEXT, 'daily', lang))}{'：' if lang == 'zh' else ': '}"
           f"{_e(_month_words(rc['month'], lang))}</h3><table><tr>"
           f"<th>{_e(t(TEXT, 'day', lang))}</th><th>{_e(t(TEXT, 'first_in', lang))}</th>"
           f"<th>{_e(t(TEXT, 'last_out', lang))}</th><th>{_e(t(TEXT, 'minutes', lang))}</th>"
           f"<th>{_e(t(TEXT, 'punches', lang))}</th></tr>"]  # fmt: skip
    for d in rc["day_rows"]:
        cls = ' class="attention"' if d["date"] in gap else ""
        note = f" — {t(TEXT, 'left_out', lang)}" if d["date"] in gap else ""
        out.append(f"<tr{cls}><td>{_e(d['date'])}{_e(note)}</td><td>{_e(d['first_in'])}</td>"
                   f"<td>{_e(d['last_out'])}</td><td>{_e(hours(d['minutes'], lang))}</td>"
                   f"<td>{_e(d['punches'])}</td></tr>")  # fmt: skip
    out.append(f"<tr><th>Σ {_e(rc['days'])} {_e(t(TEXT, 'days_unit', lang))}</th><th></th><th></th>"
               f"<th>{_e(hours(rc['minutes'], lang))}</th><th></th></tr></table>")  # fmt: skip
    return "\n".join(out)
