"""The evidence report and the timeline facts, without a browser: every string translated, the
summary's content, the cases, the details an arbitrator must see (days left out, a late upload, a
repair punch and its approval, a disputed payment, a development chain), and the facts' rules."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.verifier.recorded import RecordedChain
from tests.verifier.reportdata import english_words, untranslated
from verifier import Verifier
from verifier.i18n import detail, plain
from verifier.report import _json_script, cases, chain_name, render_html
from verifier.result import Check, Finding, Report, Status
from verifier.timeline import named_dates, payroll_gap, shift_facts

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "bundles"


def _corpus_reports() -> list[Report]:
    """Every vector of the tamper corpus (each folder with its recorded chain), verified four
    ways: against the chain, offline, without a chain, and with the chain unreachable."""
    out = []
    for p in sorted(VECTORS.rglob("*.json")):
        chain_file = p.parent / "chain.json"
        if p.name == "chain.json" or not chain_file.exists():
            continue
        v = json.loads(p.read_text())
        if not isinstance(v, dict) or not ("bundle" in v or "bundle_text" in v):
            continue
        chain = json.loads(chain_file.read_text())
        for verifier in (Verifier(RecordedChain(chain)), Verifier(None, offline=True),
                         Verifier(None), Verifier(RecordedChain(chain, unreachable=True))):  # fmt: skip
            if "bundle" in v:
                out.append(verifier.verify(copy.deepcopy(v["bundle"]), p.name))
            else:
                out.append(verifier.verify_bytes(v["bundle_text"], p.name))
    assert len(out) >= 4 * 40
    return out


@pytest.fixture(scope="module")
def demo_reports(demo_out: Path) -> list[Report]:
    return [Verifier(None, offline=True).verify(json.loads(p.read_text()), p.name)
            for p in sorted(demo_out.glob("*.json"))]  # fmt: skip


# ---------------------------------------------------------------------------- translation


def test_every_detail_of_the_corpus_is_translated() -> None:
    """Each check detail and finding the tamper corpus produces (valid, broken, offline, without
    a chain, chain unreachable) has a Chinese translation."""
    missing = set()
    for r in _corpus_reports():
        for c in r.checks:
            if detail(c.detail, "zh") is None:
                missing.add(f"{c.name}: {c.detail}")
        for f in r.findings:
            if detail(f.detail, "zh") is None:
                missing.add(f"{f.name}: {f.detail}")
    assert not missing, ("no Chinese for these details: add a pattern to DETAILS in "
                         "verifier/i18n.py\n" + "\n".join(sorted(missing)))


def test_chinese_corpus_report_has_no_english() -> None:
    reports = _corpus_reports()
    page = render_html(reports, "zh")
    bad = untranslated(page)
    assert not bad, "English in the Chinese report (verifier/i18n.py):\n" + "\n".join(bad[:30])


def test_presence_case_states_presence_not_pay() -> None:
    v = json.loads((VECTORS / "valid-presence.json").read_text())
    r = Verifier(None, offline=True).verify(v["bundle"], "p.json")
    page = render_html([r], "zh")
    summary = page[page.index('id="summary"'):page.index("</section>")]
    assert "在场结论" in summary and "在场" in summary and "应发" not in summary


def test_chinese_demo_report_has_no_english(demo_reports: list[Report], demo_out: Path) -> None:
    for page in (render_html(demo_reports, "zh"), (demo_out / "report.zh.html").read_text()):
        bad = untranslated(page)
        assert not bad, "\n".join(bad[:30])
        assert "False" not in page and "True" not in page


def test_the_untranslated_check_can_fail() -> None:
    """The checker itself: English words, Python reprs and unknown sentences are caught."""
    assert english_words("工资单 False") == ["False"]
    assert english_words("设备 GATE-02，项目 P-DEMO-001，--offline，SHA-256") == []
    assert english_words("the record is fine") == ["the", "record", "is", "fine"]
    r = Report("x.json", "record", (Check("format", Status.PASSED, "a sentence nobody wrote"),))
    page = render_html([r], "zh")
    assert any("untranslated" in b for b in untranslated(page))
    assert '<span class="untranslated" lang="en">a sentence nobody wrote</span>' in page


@pytest.mark.parametrize("text,want", [
    ("the wage line counts 25 days; the punches show 27 days with an IN",
     "工资单计 25 天；打卡记录显示有进场打卡的天数为 27 天"),
    ("the wage line counts 245h14; first IN to last OUT sums to 265h00",
     "工资单计工时 245小时14分；按每天首次进场至最后出场合计 265小时00分"),
    ("registered: GATE-01 (seq 10) ← operator (seq 0)",
     "已登记：⟦GATE-01⟧（序号 10） ← ⟦operator⟧（序号 0）"),
    ("record.inclusion.path: 65 items, limit 64", "字段 ⟦record.inclusion.path⟧：65 项，超过上限 64 项"),
    ("batch 0: contract has root ab, bundle cd; batch 0: contract has size 3, bundle 4",
     "批次 0：合约中的批次根为 ⟦ab⟧，证据包为 ⟦cd⟧；批次 0：合约中的批次大小为 ⟦3⟧，证据包为 ⟦4⟧"),
])  # fmt: skip
def test_detail_patterns(text: str, want: str) -> None:
    assert detail(text, "zh") == want
    assert detail(text, "en") == text
    assert "⟦" not in plain(want)


def test_unknown_detail_is_none() -> None:
    assert detail("something else entirely", "zh") is None
    assert detail("record: something else entirely", "zh") is None  # the nested part is unknown


# ---------------------------------------------------------------------------- the demo's report


def test_summary_names_case_verdict_amounts_and_findings(demo_reports: list[Report]) -> None:
    page = render_html(demo_reports, "zh")
    summary = page[page.index('id="summary"'):page.index("</section>")]
    assert "案件 1" in summary and "有效" in summary
    assert "应发（工资单）" in summary and "8,750.00 元" in summary
    assert "已支付" in summary and "6,975.00 元" in summary and "少付" in summary
    assert "700.00 元" in summary
    assert "工资表少计 2 天" in summary and "工人对工资单提出异议" in summary
    shown = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    assert "875000" not in shown and "14620" not in shown  # no raw fen or minutes
    en = render_html(demo_reports, "en")
    assert "¥8,750.00" in en and "Short paid" in en and "243 h 40 min" in en


def test_bundles_about_one_worker_are_one_case(demo_reports: list[Report]) -> None:
    groups = cases(demo_reports)
    by_files = [sorted(r.source for r in c.reports) for c in groups]
    assert ["03-disputed-wage-line.json", "04-disputed-payment.json",
            "05-wage-bundle-disputer.json"] in by_files  # fmt: skip
    assert sum(len(f) for f in by_files) == len(demo_reports)
    assert groups[0].reports[0].kind == "wage"  # the case with the dispute comes first


def test_bundle_headings_say_what_the_bundle_is(demo_reports: list[Report]) -> None:
    page = render_html(demo_reports, "zh")
    heads = re.findall(r'<div class="bundle"><h3>(.*?)</h3>', page)
    assert len(heads) == len(demo_reports)
    for h in heads:
        text = re.sub(r"<[^>]+>", "", h)
        assert text.startswith("证据包：") and len(text) > 20 and ".json" in text, text
    assert any("工资证据包 · 20" in re.sub(r"<[^>]+>", "", h) for h in heads)
    assert any("考勤打卡 · 20" in re.sub(r"<[^>]+>", "", h) for h in heads)


def test_days_left_out_are_highlighted(demo_reports: list[Report]) -> None:
    wage = next(r for r in demo_reports if r.kind == "wage")
    tl = wage.facts["timeline"]
    gap = tl["payroll_gap"]
    assert gap["days"] == 2 and gap["basis"] == "named" and len(gap["dates"]) == 2
    assert tl["disputed_days"] == gap["dates"]
    page = render_html(demo_reports, "zh")
    for d in gap["dates"]:
        assert f'<tr class="attention"><td>{d} — 工资表未计</td>' in page


def test_late_upload_is_pointed_out(demo_reports: list[Report]) -> None:
    late = next(r for r in demo_reports if r.source.startswith("01-"))
    page = render_html([late], "zh")
    assert re.search(r"比记录所载时间（.*?）晚 \d+ 天", page)
    assert re.search(r"\d+ days after the time it states", render_html([late], "en"))


def test_repair_punch_shows_correction_and_approval(demo_reports: list[Report]) -> None:
    rep = next(r for r in demo_reports if r.source.startswith("02-"))
    (p,) = rep.facts["timeline"]["punches"]
    assert p["source"] == "repair" and p["in_force"]
    assert p["repair"]["approval"]["decision"] == "approve"
    assert p["repair"]["approval"]["by"] == "SUPERVISOR-1"
    page = render_html([rep], "zh")
    assert f"以更正记录（序号 {p['repair']['correction_seq']}）补录" in page
    assert "监理 <code>SUPERVISOR-1</code> 于" in page and "计入考勤" in page


def test_disputed_payment_shows_the_dispute(demo_reports: list[Report]) -> None:
    page = render_html(demo_reports, "zh")
    pay = page[page.index("04-disputed-payment.json</code>)</h3>"):]
    pay = pay[:pay.index('<div class="bundle">') if '<div class="bundle">' in pay else None]
    assert "该支付对应的工资单被工人提出异议" in pay and "6,975.00 元" in pay and "7,675.00 元" in pay


def test_development_chain_is_named_and_testing_only(demo_reports: list[Report]) -> None:
    page = render_html(demo_reports, "zh")
    assert "开发链（eth-tester" in page and "只能用于测试" in page
    en = render_html(demo_reports, "en")
    assert "a development chain (eth-tester" in en and "for testing only" in en
    assert chain_name(31337, "en")[1] is True
    assert chain_name(11155111, "zh") == ("公共测试网 Sepolia（链 ID 11155111）", True)
    name, testing = chain_name(1, "en")
    assert not testing and "Ethereum" in name
    assert chain_name(424242, "en")[1] is False and "ask the operator" in chain_name(424242, "en")[0]


def test_public_chain_has_no_testing_note(demo_reports: list[Report]) -> None:
    public = []
    for r in demo_reports:
        facts = copy.deepcopy(r.facts)
        for b in facts.get("batches", []):
            b["chain_id"] = 1
        public.append(Report(r.source, r.kind, r.checks, r.findings, True, False, facts))
    page = render_html(public, "zh")
    assert "只能用于测试" not in page and "公共区块链 Ethereum" in page


def test_timeline_script_and_facts_are_embedded(demo_reports: list[Report]) -> None:
    page = render_html(demo_reports, "zh")
    assert "function siteledgerTimeline(facts, lang)" in page
    assert page.count('<div class="timeline" id="timeline-') == len(cases(demo_reports))
    assert 'siteledgerTimeline(facts[k],"zh")' in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page and " src=" not in page  # nothing loaded from elsewhere


def test_json_in_script_cannot_close_it() -> None:
    text = _json_script({"reason": "</script><script>alert(1)</script> & \u2028"})
    assert "</" not in text and "<" not in text and "\u2028" not in text
    assert json.loads(text)["reason"].startswith("</script>")


def test_record_text_is_escaped() -> None:
    f = Finding("ack", False, "the worker disputes it at seq 5 (2026-11-01T10:00:00+08:00): "
                "<img src=x onerror=alert(1)>")  # fmt: skip
    r = Report("x.json", "record", (Check("format", Status.PASSED, "record bundle, version 1, 1 "
               "proven entries"),), (f,))  # fmt: skip
    for lang in ("zh", "en"):
        page = render_html([r], lang)
        assert "<img" not in page and "&lt;img src=x" in page


# ---------------------------------------------------------------------------- timeline facts


def test_shift_facts_follow_the_one_pairing_rule() -> None:
    """The facts carry ledger.core.shifts' pairing: across midnight within 16 h, repeats of an
    IN add nothing, an IN 16 h 30 min before its OUT is unclosed and that OUT stray."""
    from datetime import datetime

    from ledger.core.keys import SigningKey
    from ledger.sample import SampleSite

    site = SampleSite(SigningKey(bytes(32)))
    site.setup(datetime(2026, 9, 29, tzinfo=site.tz))

    def punch(seq: int, at: str, d: str) -> tuple[int, Any]:
        t = datetime.fromisoformat(at)
        return seq, site.punch("GATE-01", "w-0001", t, d, seq, "realtime").record

    shifts, open_ins, stray = shift_facts([
        punch(1, "2026-10-01T07:00:00+08:00", "in"), punch(2, "2026-10-01T07:00:30+08:00", "in"),
        punch(3, "2026-10-01T17:00:00+08:00", "out"), punch(4, "2026-10-01T17:00:20+08:00", "out"),
        punch(5, "2026-10-02T20:00:00+08:00", "in"), punch(6, "2026-10-03T04:30:00+08:00", "out"),
        punch(7, "2026-10-04T06:00:00+08:00", "in"), punch(8, "2026-10-04T22:30:00+08:00", "out"),
    ], site.tz)  # fmt: skip
    assert [(s["date"], s["minutes"], s["in_seq"], s["out_seq"]) for s in shifts] == [
        ("2026-10-01", 600, 1, 3), ("2026-10-02", 510, 5, 6)]
    assert shifts[1]["out"] == "2026-10-03T04:30:00+08:00"
    assert [o["seq"] for o in open_ins] == [7]
    assert [o["seq"] for o in stray] == [4, 8]


def test_payroll_gap_named_by_the_worker_and_by_hours() -> None:
    shifts = [{"date": f"2026-10-{d:02d}", "minutes": m} for d, m in
              [(1, 600), (2, 610), (3, 590), (5, 605)]]  # fmt: skip
    # 4 days, 2405 minutes; the wage line counts 2 days and 1190 minutes: 1215 missing, and only
    # 10-02 + 10-05 add up to 1215
    gap = payroll_gap(shifts, [], 2, 1190, [])
    assert gap == {"days": 2, "minutes": 1215, "dates": ["2026-10-02", "2026-10-05"],
                   "basis": "hours", "candidates": 1}  # fmt: skip
    gap = payroll_gap(shifts, [], 2, 1190, ["2026-10-02", "2026-10-05"])
    assert gap is not None and gap["basis"] == "named"
    for named in (["2026-10-01", "2026-10-03"], ["2026-10-02"]):  # hours do not fit; one day
        gap = payroll_gap(shifts, [], 2, 1190, named)
        assert gap is not None and gap["basis"] == "hours"
    even = [{"date": f"2026-10-{d:02d}", "minutes": 600} for d in range(1, 6)]
    amb = payroll_gap(even, [], 3, 1800, [])
    assert amb is not None and amb["dates"] == [] and amb["candidates"] == 10
    assert amb["basis"] is None
    assert payroll_gap(shifts, [], 4, 2405, []) is None


def test_named_dates() -> None:
    assert named_dates("10月30日、31日两天到岗；另 2026-10-02 与 11月1日", "2026-10") == [
        "2026-10-02", "2026-10-30", "2026-10-31"]
    assert named_dates("公示的出勤天数少了30日、31日两天", "2026-10") == ["2026-10-30", "2026-10-31"]
    assert named_dates("11月3日", "2026-10") == [] and named_dates("第32日", "2026-10") == []


def test_many_cases_keep_the_summary_short(demo_reports: list[Report]) -> None:
    """Twelve workers' bundles: one case in full, six in one line each, a count of the rest."""
    many = []
    for k in range(12):
        for r in demo_reports:
            facts = copy.deepcopy(r.facts)
            facts["timeline"]["subject"] = f"w-{k:04d}"
            many.append(Report(f"{k}-{r.source}", r.kind, r.checks, (), r.anchor_checked, False,
                               facts))  # fmt: skip
    page = render_html(many, "zh")
    summary = page[page.index('id="summary"'):page.index("</section>")]
    assert summary.count('<div class="case-sum">') == 1
    n = len(cases(many))
    assert n == 12 and "其他案件" in summary
    assert summary.count('<a href="#case-') == 1 + 6 and f"另有 {n - 7} 个案件" in summary
    assert not untranslated(page)


def test_a_development_chain_proves_nothing_in_each_section(demo_reports: list[Report]) -> None:
    """The demo anchors on a development chain: no bundle's section says the record "has not
    changed since" (the summary's warning alone was contradicted below it)."""
    zh, en = render_html(demo_reports, "zh"), render_html(demo_reports, "en")
    assert "谁都可以改写它" in zh and "因此该记录最迟在该时间已经存在" not in zh
    assert "anyone can rewrite it" in en and "so the record existed no later" not in en


def test_other_cases_say_what_each_is_about(demo_reports: list[Report]) -> None:
    """The demo's cases 2–4 in the summary's table: each line says what the case is about (the
    late upload, the repair punch, the insurer's answer), not a bare count of findings."""
    for lang, words in (("zh", ["条打卡晚于一天上传", "条补卡", "在场"]),
                        ("en", ["punches uploaded over a day late", "repair punches", "on site at"])):  # fmt: skip
        page = render_html(demo_reports, lang)
        summary = page[page.index('id="summary"'):page.index("</section>")]
        table = summary[summary.index("<table class=\"amounts\"><tr><th>"):]
        for w in words:
            assert w in table, (lang, w)
        assert lang == "en" or not untranslated(page)


def test_publication_state_by_acks_within_the_window() -> None:
    """The timeline's state is the ``publication`` finding's rule (docs/proof-format.md): any
    dispute received within the window objects (the last one is named), else any ack
    acknowledges; with none, silent once the checkpoint was sealed at or after the window's
    close, open before; an ack received after the close does not count."""
    from datetime import UTC, datetime, timedelta

    from ledger.core.entry import Entry
    from ledger.core.keys import SigningKey
    from ledger.sample import SampleSite
    from verifier.timeline import _publication

    site = SampleSite(SigningKey(bytes(32)))
    at = datetime(2026, 11, 15, 10, 0, tzinfo=site.tz)
    signed = site.publication("w-0001", site.subs[0], "2026-10", 27, 16200, bytes(32), at,
                              objection_days=7)  # fmt: skip
    e = Entry(10, at.astimezone(UTC), signed, subject_seq=3, subject_prev=bytes(32))
    closes = at + timedelta(days=7)

    def pub(acks: list[tuple[int, str, datetime]], sealed: datetime | None) -> dict[str, Any]:
        facts = [{"seq": s, "decision": d, "reason": "少了30日" if d == "dispute" else None}
                 for s, d, _ in acks]  # fmt: skip
        return _publication(e, signed.record, facts, {s: r for s, _, r in acks}, sealed, site.tz)

    after = closes + timedelta(days=1)
    got = pub([(11, "dispute", at + timedelta(days=1)), (12, "confirm", at + timedelta(days=2))],
              after)  # fmt: skip
    assert got["state"] == "objected" and got["ack_seq"] == 11 and got["reason"] == "少了30日"
    assert got["closes"] == "2026-11-22T10:00:00+08:00" and got["days"] == 27
    assert pub([(12, "confirm", at + timedelta(days=6))], after)["state"] == "acknowledged"
    later = pub([(12, "confirm", at + timedelta(days=1)), (14, "dispute", at + timedelta(days=3))],
                after)  # fmt: skip
    assert later["state"] == "objected" and later["ack_seq"] == 14, "a later dispute still objects"
    two = pub([(12, "confirm", at + timedelta(days=1)), (15, "confirm", at + timedelta(days=2))],
              None)  # fmt: skip
    assert two["state"] == "acknowledged" and two["ack_seq"] == 15 and two["reason"] is None
    assert pub([], after)["state"] == "silent"
    assert pub([], closes)["state"] == "silent", "sealed exactly at the close: nothing can arrive"
    assert pub([], closes - timedelta(seconds=1))["state"] == "open"
    assert pub([], None)["state"] == "open", "no checkpoint: the window's end is not proven"
    late = pub([(13, "dispute", closes + timedelta(seconds=1))], after)
    assert late["state"] == "silent" and late["ack_seq"] is None
