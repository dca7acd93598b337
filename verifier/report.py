"""The evidence report: one self-contained HTML page for a non-technical arbitrator.

For each bundle: the verdict and what it means, what was proven in plain words, the record, who
signed it (the chain of key registrations, with holders and roles), when and where it was
anchored (block time, transaction, an explorer link when a template is known), every check,
the recomputation of wage and presence bundles, the limits of the proof and how to check it
again. Chinese or English. No scripts, no external resources: it prints and archives as is.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from ledger.core.times import format_time
from verifier.i18n import (
    CHECK,
    FINDING,
    LIMITS,
    RECORD_TYPE,
    ROLE,
    STATUS,
    TEXT,
    VERDICT,
    VERDICT_MEANING,
    t,
)
from verifier.result import Report, Verdict

_CSS = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.6rem;border-bottom:2px solid #333;padding-bottom:.3rem}
h2{font-size:1.3rem;margin-top:2.5rem;border-bottom:1px solid #999}
h3{font-size:1.05rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}
.verdict{font-size:1.4rem;font-weight:bold;padding:.6rem 1rem;border-radius:.3rem}
.VALID{background:#e3f4e3;border:2px solid #2e7d32}
.INVALID{background:#fde4e4;border:2px solid #c62828}
.INCONCLUSIVE{background:#fff4d6;border:2px solid #b58900}
.failed{color:#c62828;font-weight:bold}.passed{color:#2e7d32}
.inconclusive{color:#b58900}.skipped{color:#777}
.note{background:#fff4d6;padding:.5rem;border-left:4px solid #b58900}
.attention{color:#c62828}
@media print{h2{page-break-before:auto}a{color:inherit}}
"""


def _e(value: Any) -> str:
    return html.escape(str(value)) if value is not None else "—"


def _code(value: Any) -> str:
    return f"<code>{_e(value)}</code>"


def render_html(reports: Sequence[Report], lang: str = "en", now: datetime | None = None) -> str:
    """The HTML report of ``reports`` in ``lang`` ("zh" or "en")."""
    now = now or datetime.now(UTC).replace(microsecond=0)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{_e(t(TEXT, 'title', lang))}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(t(TEXT, 'title', lang))}</h1>",
        f"<p>{_e(t(TEXT, 'generated', lang))}: {_e(format_time(now))} · siteledger-verify</p>",
    ]
    for r in reports:
        parts.append(_one(r, lang))
    parts.append(f"<h2>{_e(t(TEXT, 'limits', lang))}</h2><ol>")
    parts += [f"<li>{_e(p)}</li>" for p in LIMITS[lang]]
    parts.append("</ol>")
    parts.append(f"<h2>{_e(t(TEXT, 'recheck', lang))}</h2>")
    parts.append(_recheck(reports, lang))
    parts.append("</body></html>")
    return "\n".join(parts)


def _recheck(reports: Sequence[Report], lang: str) -> str:
    files = " ".join(r.source or "bundle.json" for r in reports)
    intro = ("任何人均可使用开源核验程序独立复核本报告，无需信任平台运营方或施工单位；证据包格式见 "
             "docs/proof-format.md，可据此另行编写核验程序。" if lang == "zh" else
             "Anyone can re-check this report with the open-source verifier, without trusting the "
             "operator or the contractor; the bundle format is specified in docs/proof-format.md, "
             "so an expert can also write an independent verifier.")  # fmt: skip
    return (f"<p>{_e(intro)}</p><pre><code>pip install siteledger\n"
            f"siteledger-verify {_e(files)} --rpc &lt;RPC URL&gt; --lang {lang} "
            f"--report report.html</code></pre>")  # fmt: skip


def _one(r: Report, lang: str) -> str:
    v = r.verdict.value
    out = [f"<h2>{_e(t(TEXT, 'bundle', lang))}: {_code(r.source)}</h2>"]
    out.append(f'<div class="verdict {v}">{_e(t(TEXT, "verdict", lang))}: '
               f"{_e(t(VERDICT, v, lang))}</div>")  # fmt: skip
    out.append(f"<p>{_e(t(VERDICT_MEANING, v, lang))}</p>")
    if r.verdict is not Verdict.INVALID and not r.anchor_checked:
        out.append(f'<p class="note">{_e(t(TEXT, "anchor_not_checked", lang))}</p>')
    if r.verdict is not Verdict.INVALID and not r.unreadable:
        out.append(f"<h3>{_e(t(TEXT, 'what', lang))}</h3><p>{_e(_what(r, lang))}</p>")
        rec = r.facts.get("record")
        if isinstance(rec, dict):
            out.append(_record_table(rec, lang))
        out.append(_signers(r, lang))
        out.append(_batches(r, lang))
        out.append(_recomputed(r, lang))
    if r.findings:
        out.append(f"<h3>{_e(t(TEXT, 'findings', lang))}</h3><table><tr>"
                   f"<th>{_e(t(TEXT, 'check', lang))}</th><th>{_e(t(TEXT, 'detail', lang))}</th>"
                   f"<th>{_e(t(TEXT, 'expected', lang))}</th><th>{_e(t(TEXT, 'actual', lang))}"
                   "</th></tr>")  # fmt: skip
        for f in r.findings:
            cls = "" if f.ok else ' class="attention"'
            mark = t(TEXT, "ok", lang) if f.ok else t(TEXT, "attention", lang)
            out.append(f"<tr{cls}><td>{_e(t(FINDING, f.name, lang))} ({_e(mark)})</td>"
                       f"<td>{_e(f.detail)}</td><td>{_e(f.expected)}</td><td>{_e(f.actual)}</td>"
                       "</tr>")  # fmt: skip
        out.append("</table>")
    out.append(f"<h3>{_e(t(TEXT, 'checks', lang))}</h3><table><tr>"
               f"<th>{_e(t(TEXT, 'check', lang))}</th><th>{_e(t(TEXT, 'status', lang))}</th>"
               f"<th>{_e(t(TEXT, 'detail', lang))}</th></tr>")  # fmt: skip
    for c in r.checks:
        out.append(f"<tr><td>{_e(t(CHECK, c.name, lang))}<br><code>{_e(c.name)}</code></td>"
                   f'<td class="{c.status.value}">{_e(t(STATUS, c.status.value, lang))}</td>'
                   f'<td class="mono">{_e(c.detail)}</td></tr>')  # fmt: skip
    out.append("</table>")
    return "\n".join(out)


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
    if isinstance(rec, dict):
        holder, roles = _holder(r)
        role = "、".join(t(ROLE, x, lang) for x in roles) if lang == "zh" else ", ".join(
            t(ROLE, x, lang) for x in roles
        )
        b = next((x for x in batches if x["batch_no"] == rec["batch_no"]), None)
        kind = t(RECORD_TYPE, rec["type"], lang)
        about = f"{rec['subject']}" if rec.get("subject") else ""
        if lang == "zh":
            s = (f"一条{kind}记录（编号 {rec['id']}"
                 + (f"，工人 {about}" if about else "")
                 + (f"，项目 {rec['project']}" if rec.get("project") else "")
                 + f"），记录时间 {rec['time']}，由{role}「{holder}」的密钥签名，平台于 "
                 f"{rec['received_at']} 收录为第 {rec['seq']} 号记录。")  # fmt: skip
            if b:
                s += (f"该记录所在批次 {b['batch_no']} 的默克尔根已在区块链（链 ID {b['chain_id']}）"
                      f"第 {b['block_number']} 号区块写入，区块时间 {b['block_time']}。"
                      "因此该记录最迟在该时间已经存在，且此后未被更改。")  # fmt: skip
            st = r.facts.get("status", {}).get("state")
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
                  f"blockchain {b['chain_id']} in block {b['block_number']} at {b['block_time']}, "
                  "so the record existed no later than that time and has not changed since.")  # fmt: skip
        st = r.facts.get("status", {}).get("state")
        if st in ("voided", "amended"):
            s += f" Note: an approved correction has {st} this record."
        return s
    run = r.facts.get("run")
    if isinstance(run, dict):
        last = max((b["block_time"] for b in batches), default="?")
        if lang == "zh":
            return (f"工人 {run['subject']} 在项目 {run['project']} 的连续 {run['entries']} 条记录"
                    f"（序号 {run['first_subject_seq']}–{run['last_subject_seq']}），每条记录都包含前一"
                    f"条的哈希，序列内部没有缺失；这些记录均已锚定在区块链上（最晚区块时间 {last}）。"
                    "以下复算由核验程序根据这些记录独立完成。")  # fmt: skip
        return (f"{run['entries']} consecutive entries about worker {run['subject']} on project "
                f"{run['project']} (subject_seq {run['first_subject_seq']}–"
                f"{run['last_subject_seq']}); each names the hash of the one before, so none "
                f"inside the run is missing; all are anchored on the blockchain (latest block time "
                f"{last}). The verifier recomputed the figures below from these entries alone.")  # fmt: skip
    return ""


def _record_table(rec: dict[str, Any], lang: str) -> str:
    rows = [f"<h3>{_e(t(TEXT, 'record', lang))}</h3><table><tr><th>{_e(t(TEXT, 'field', lang))}"
            f"</th><th>{_e(t(TEXT, 'value', lang))}</th></tr>"]  # fmt: skip
    for k, v in rec.get("fields", {}).items():
        rows.append(f"<tr><td>{_e(k)}</td><td class=\"mono\">{_e(_flat(v))}</td></tr>")
    rows.append(f"<tr><td>seq</td><td>{_e(rec['seq'])}</td></tr>")
    rows.append(f"<tr><td>leaf_hash</td><td class=\"mono\">{_e(rec['leaf_hash'])}</td></tr>")
    rows.append("</table>")
    return "\n".join(rows)


def _flat(v: Any) -> str:
    if isinstance(v, dict):
        return ", ".join(f"{k}={_flat(x)}" for k, x in v.items())
    if isinstance(v, list):
        return "; ".join(_flat(x) for x in v)
    return str(v)


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
            roles = ", ".join(t(ROLE, x, lang) for x in k["roles"])
            rev = (f" ({t(TEXT, 'revoked_at', lang)} {k['revoked_seq']})"
                   if k.get("revoked_seq") is not None else "")  # fmt: skip
            out.append(f"<tr><td>{_e(k['holder'])}</td><td>{_e(roles)}</td>"
                       f"<td>{_e(k['registered_seq'])}{_e(rev)}</td><td>{_code(k['key_id'])}</td>"
                       "</tr>")  # fmt: skip
    out.append("</table>")
    return "\n".join(out)


def _batches(r: Report, lang: str) -> str:
    batches = r.facts.get("batches", [])
    if not batches:
        return ""
    out = [f"<h3>{_e(t(TEXT, 'anchored', lang))}</h3><table><tr>"
           f"<th>{_e(t(TEXT, 'batch', lang))}</th><th>{_e(t(TEXT, 'block_time', lang))}</th>"
           f"<th>{_e(t(TEXT, 'block', lang))}</th><th>{_e(t(TEXT, 'tx', lang))}</th>"
           f"<th>{_e(t(TEXT, 'chain', lang))} / {_e(t(TEXT, 'contract', lang))}</th></tr>"]  # fmt: skip
    for b in batches:
        tx = _code(b["tx_hash"])
        if b.get("tx_url"):
            tx = f'<a href="{html.escape(b["tx_url"], quote=True)}">{tx}</a>'
        out.append(f"<tr><td>{_e(b['batch_no'])} (seq {_e(b['first_seq'])}–"
                   f"{_e(b['first_seq'] + b['size'] - 1)})</td><td>{_e(b['block_time'])}</td>"
                   f"<td>{_e(b['block_number'])}</td><td>{tx}</td>"
                   f"<td>{_e(b['chain_id'])} / {_code(b['contract'])}</td></tr>")  # fmt: skip
    out.append("</table>")
    return "\n".join(out)


def _recomputed(r: Report, lang: str) -> str:
    rc = r.facts.get("recomputed")
    if not isinstance(rc, dict) or "day_rows" not in rc:
        return ""
    out = [f"<h3>{_e(t(TEXT, 'daily', lang))}: {_e(rc['month'])}</h3><table><tr>"
           f"<th>{_e(t(TEXT, 'day', lang))}</th><th>{_e(t(TEXT, 'first_in', lang))}</th>"
           f"<th>{_e(t(TEXT, 'last_out', lang))}</th><th>{_e(t(TEXT, 'minutes', lang))}</th>"
           f"<th>{_e(t(TEXT, 'punches', lang))}</th></tr>"]  # fmt: skip
    for d in rc["day_rows"]:
        out.append(f"<tr><td>{_e(d['date'])}</td><td>{_e(d['first_in'])}</td>"
                   f"<td>{_e(d['last_out'])}</td><td>{_e(d['minutes'])}</td>"
                   f"<td>{_e(d['punches'])}</td></tr>")  # fmt: skip
    out.append(f"<tr><th>Σ {_e(rc['days'])}</th><th></th><th></th><th>{_e(rc['minutes'])}</th>"
               "<th></th></tr></table>")  # fmt: skip
    return "\n".join(out)
