"""The README's first command: `siteledger demo` runs end to end and every bundle verifies."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from api.demo import demo


def test_demo_posts_anchors_proves_and_verifies(tmp_path: Path) -> None:
    result = CliRunner().invoke(demo, ["--out", str(tmp_path), "--workers", "12", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "VALID    01-attendance-offline-gate.json" in result.output
    assert "INVALID" not in result.output and "INCONCLUSIVE" not in result.output
    # ... and says where the offline verifier page is
    assert "verifier/web/index.html" in result.output
    # ... and makes a one-time worker page link, with its QR code to print
    assert "/w/#code=slw_" in result.output
    assert (tmp_path / "worker-link.svg").read_text().startswith("<svg")
    names = sorted(p.name for p in tmp_path.glob("*.json"))
    assert names == [
        "01-attendance-offline-gate.json", "02-repair-punch.json", "03-disputed-wage-line.json",
        "04-disputed-payment.json", "05-wage-bundle-disputer.json",
        "06-presence.json",
    ]  # fmt: skip
    # the wage and presence bundles end with a checkpoint of head proofs, and verify VALID
    for name, kind in (
        ("05-wage-bundle-disputer", "wage"),
        ("06-presence", "presence"),
    ):
        b = json.loads((tmp_path / f"{name}.json").read_text())
        assert b["kind"] == kind and list(b)[-1] == "checkpoint", list(b)
        keys = [h["key"] for h in b["checkpoint"]["heads"]]
        assert keys[0] == f"subject/{b['subject']}" and any(k.startswith("device/") for k in keys)
        assert all(h["value"] is not None for h in b["checkpoint"]["heads"])
        assert f"VALID    {name}.json" in result.output

    wage = json.loads((tmp_path / "05-wage-bundle-disputer.json").read_text())
    assert wage["kind"] == "wage" and wage["format"] == "siteledger-bundle"
    # The disputer's two missing days and short payment are found by the verifier.
    assert "the punches show" in result.output and "payments for" in result.output
    html = (tmp_path / "report.zh.html").read_text()
    assert "<html" in html and "VALID" in html
    _assert_story_clock(tmp_path)
    # the insurer's question has the story's answer: on site mid-shift, and no gate event
    # missing (a gate numbers its events in time order)
    from verifier.verify import verify_bundle

    presence = verify_bundle(json.loads((tmp_path / "06-presence.json").read_text()), offline=True)
    by_name = {f.name: f for f in presence.findings}
    assert by_name["present"].ok and by_name["shift"].ok, by_name
    assert not [f for f in presence.findings if f.name == "gate_gap"]
    # the report's "received N days after" note: on the offline gate's bundle only
    assert (tmp_path / "report.html").read_text().count("Note: the ledger received this record") == 1


def _punches(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """The timeline facts' punches of every bundle in ``folder`` (verified offline)."""
    from verifier.verify import verify_bundle

    out = {}
    for f in sorted(folder.glob("*.json")):
        r = verify_bundle(json.loads(f.read_text()), offline=True, source=f.name)
        assert r.verdict.value == "VALID", (f.name, r.verdict)
        out[f.stem] = r.facts["timeline"]["punches"]
    return out


def _assert_story_clock(folder: Path, payroll_on_story: bool = True) -> None:
    """The demo's ledger runs on the story's clock: exactly the offline gate's punches are
    received more than a day late (at 20:00 on the next working day); every other punch is
    received within minutes of its time, on its own day; the repair punch the next morning."""
    by_bundle = _punches(folder)
    punches = {p["seq"]: p for ps in by_bundle.values() for p in ps}
    assert len(punches) > 40
    late = [p for p in punches.values() if p["late"]]
    (offline,) = by_bundle["01-attendance-offline-gate"]
    assert late == [offline]
    assert offline["device"] == "GATE-02" and offline["source"] == "backfill"
    at, got = datetime.fromisoformat(offline["at"]), datetime.fromisoformat(offline["received_at"])
    assert got.time() == time(20, 0) and 1 <= (got.date() - at.date()).days <= 2
    (repair,) = by_bundle["02-repair-punch"]
    assert repair["source"] == "repair" and not repair["late"]
    assert datetime.fromisoformat(repair["received_at"]).date() > datetime.fromisoformat(repair["at"]).date()
    for p in punches.values():
        if p["source"] == "realtime":
            at, got = datetime.fromisoformat(p["at"]), datetime.fromisoformat(p["received_at"])
            assert at <= got <= at + timedelta(hours=1), p
    if not payroll_on_story:
        return
    # payroll records are received on the pay day of the story, not when the demo runs
    wage = json.loads((folder / "03-disputed-wage-line.json").read_text())["record"]["entry"]
    received = datetime.fromisoformat(wage["received_at"].replace("Z", "+00:00"))
    signed = datetime.fromisoformat(wage["record"]["time"].replace("Z", "+00:00"))
    assert signed <= received <= signed + timedelta(minutes=5)
    today = datetime.now(UTC)
    if today.day > 16:  # the pay day (the 15th) is behind: the demo does not receive it today
        assert received.date() < today.date()


def test_demo_with_witnesses(tmp_path: Path) -> None:
    """`siteledger demo --witnesses 3of5`: five witness processes, one stopped halfway, every
    batch anchored with a 3-of-5 quorum on a local anvil, every bundle VALID."""
    import pytest

    from anchor.backends import ANVIL_BINARY

    if not ANVIL_BINARY.exists():
        pytest.skip("anvil is not installed: run scripts/setup.sh")
    result = CliRunner().invoke(
        demo, ["--out", str(tmp_path), "--workers", "6", "--quiet", "--witnesses", "3of5"]
    )
    assert result.exit_code == 0, result.output
    assert "witnesses: 3 of 5" in result.output
    line = next(ln for ln in result.output.splitlines() if "witnesses: 3 of 5" in ln)
    anchored = next(ln for ln in result.output.splitlines() if "batches anchored:" in ln)
    n = int(anchored.split("batches anchored:")[1].split()[0])
    assert (
        f"{n} of {n} batches co-signed by a quorum" in line
        and "stopped halfway: Trade union" in line
    )
    assert "INVALID" not in result.output and "INCONCLUSIVE" not in result.output
    assert result.output.count("VALID    ") == 6
    # the attendance is on the story's clock; the payroll on the anvil's (real) time
    _assert_story_clock(tmp_path, payroll_on_story=False)


def test_demo_witnesses_option_is_checked() -> None:
    from api.demo import parse_quorum

    assert parse_quorum("3of5") == (3, 5) and parse_quorum(" 1OF2 ") == (1, 2)
    for bad in ("5of5", "0of3", "3of1", "3of10", "three", "3/5", "of5"):
        result = CliRunner().invoke(demo, ["--witnesses", bad, "--quiet"])
        assert result.exit_code == 2 and "--witnesses" in result.output, (bad, result.output)
