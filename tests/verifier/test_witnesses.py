"""Witness quorums in bundles and the check ``anchor.witnesses``: the builder writes what the store
recorded, the verifier checks it offline (library and CLI), and every broken sibling of the
corpus fails where and why it should."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ledger import batcher
from ledger.bundle import build_bundle, build_wage_bundle
from ledger.store import BatchWitnesses
from tests.vectors.bundles.witnessed import KEYS, commitment, quorum_signature, witness_set
from tests.verifier import scenario
from verifier import Status, Verdict, Verifier
from verifier.format import FormatError, parse

REPO = Path(__file__).resolve().parents[2]
V2 = REPO / "tests" / "vectors" / "bundles" / "v2"
NAMES = sorted(p.stem for p in V2.glob("*witness*.json"))
OFFLINE = Verifier(None, offline=True)


def _vector(name: str) -> dict[str, Any]:
    return json.loads((V2 / f"{name}.json").read_text())


def _check(r: Any) -> Any:
    c = r.check("anchor.witnesses")
    assert c is not None
    return c


def test_the_corpus_has_every_sibling_the_issue_names() -> None:
    assert {"valid-witnessed-record-attendance", "valid-witnessed-wage",
            "witnesses-below-threshold", "witnesses-index-outside-set", "witnesses-other-batch",
            "witnesses-other-contract", "witnesses-other-chain", "witnesses-pop-fails",
            "witnesses-member-swapped", "witnesses-unwitnessed"} <= set(NAMES)  # fmt: skip


@pytest.mark.parametrize(
    ("name", "detail"),
    [
        ("witnesses-below-threshold", "names 2 witnesses, the threshold is 3"),
        ("witnesses-index-outside-set", "must name 1 or more of the 5 witnesses and no other index"),
        ("witnesses-other-batch", "aggregate signature does not verify"),
        ("witnesses-other-contract", "aggregate signature does not verify"),
        ("witnesses-other-chain", "aggregate signature does not verify"),
        ("witnesses-pop-fails", "witness_sets[0].witnesses[1].pop: proof of possession does not verify"),
        ("witnesses-member-swapped", "aggregate signature does not verify"),
    ],
)  # fmt: skip
def test_broken_siblings_fail_anchor_witnesses(name: str, detail: str) -> None:
    r = OFFLINE.verify(_vector(name)["bundle"], name)
    assert r.verdict is Verdict.INVALID
    assert r.failed[0].name == "anchor.witnesses"
    assert detail in r.failed[0].detail
    assert "batch 1" in r.failed[0].detail or name in ("witnesses-pop-fails", "witnesses-member-swapped")
    # what failed names no institution as having confirmed anything
    assert all("witnesses" not in b for b in r.facts["batches"])


def test_a_witnessed_bundle_names_who_confirmed_each_batch() -> None:
    r = OFFLINE.verify(_vector("valid-witnessed-wage")["bundle"])
    assert r.verdict is Verdict.VALID
    c = _check(r)
    assert c.status is Status.PASSED
    assert "batch 0: confirmed by 3 of 5 witnesses (threshold 3): 华建工程监理有限公司" in c.detail
    by_no = {b["batch_no"]: b["witnesses"] for b in r.facts["batches"]}
    assert by_no[1] == {"status": "witnessed", "threshold": 3, "n": 5, "signers": [
        "海淀区人力资源和社会保障局", "北京市建设工程质量检测中心", "北京市建筑业务工人员权益服务中心"]}


def test_an_unwitnessed_batch_is_valid_and_said_plainly() -> None:
    r = OFFLINE.verify(_vector("witnesses-unwitnessed")["bundle"])
    assert r.verdict is Verdict.VALID
    c = _check(r)
    assert c.status is Status.PASSED
    assert "batch 1: anchored WITHOUT a witness quorum (threshold 3 of 5), the anchorer's reason: " \
           "'timeout after 120 s" in c.detail  # fmt: skip
    w = {b["batch_no"]: b["witnesses"] for b in r.facts["batches"]}[1]
    assert w["status"] == "unwitnessed" and w["reason"].startswith("timeout after 120 s")


def test_without_witnesses_the_check_is_skipped_and_says_why() -> None:
    r = OFFLINE.verify(_vector("valid-record-attendance")["bundle"])
    c = _check(r)
    assert c.status is Status.SKIPPED and "no batch of the bundle names witnesses" in c.detail


def test_batches_without_witnesses_next_to_witnessed_ones() -> None:
    """A deployment that configured its witness set after batch 0: batch 0 names none."""
    b = _vector("valid-witnessed-record-attendance")["bundle"]
    for item in b["keys"] + b["related"] + b["context"] + [b["record"]]:
        if item["batch"]["batch_no"] == 0:
            del item["anchor"]["witnesses"]
    r = OFFLINE.verify(b)
    assert r.verdict is Verdict.VALID
    assert "batch 0: no witnesses named" in _check(r).detail
    assert "batch 1: confirmed by 3 of 5" in _check(r).detail


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda b: b.update(version=2, witness_sets=[]), "witness_sets"),
        (lambda b: b["witness_sets"].append(copy.deepcopy(b["witness_sets"][0])), "witness_sets[1]"),
        (lambda b: b["witness_sets"][0].update(threshold=6), "witness_sets[0].threshold"),
        (lambda b: b["witness_sets"][0]["witnesses"][2].update(pop="AB" * 96), "witness_sets[0].witnesses[2].pop"),
        (lambda b: b["witness_sets"][0]["witnesses"][2].update(name=""), "witness_sets[0].witnesses[2].name"),
        (lambda b: b["witness_sets"][0]["witnesses"].append(
            copy.deepcopy(b["witness_sets"][0]["witnesses"][0])), "witness_sets[0].witnesses"),
        (lambda b: b["record"]["anchor"]["witnesses"].update(status="quorum"), "record.anchor.witnesses.status"),
        (lambda b: b["record"]["anchor"]["witnesses"].update(bitmap="1F"), "record.anchor.witnesses.bitmap"),
        (lambda b: b["record"]["anchor"]["witnesses"].update(bitmap=31), "record.anchor.witnesses.bitmap"),
        (lambda b: b["record"]["anchor"]["witnesses"].update(signature="00" * 95), "record.anchor.witnesses.signature"),
        (lambda b: b["record"]["anchor"]["witnesses"].pop("signature"), "record.anchor.witnesses.signature"),
        (lambda b: b["record"]["anchor"]["witnesses"].update(set=-1), "record.anchor.witnesses.set"),
        (lambda b: b["record"]["anchor"]["witnesses"].update(status="unwitnessed", reason=" "), "record.anchor.witnesses"),
    ],
)  # fmt: skip
def test_malformed_witness_fields_are_format_errors_naming_the_field(change: Any, where: str) -> None:
    b = _vector("valid-witnessed-record-attendance")["bundle"]
    change(b)
    with pytest.raises(FormatError) as exc:
        parse(b)
    assert str(exc.value).startswith(where), str(exc.value)
    r = OFFLINE.verify(b)
    assert r.verdict is Verdict.INVALID and r.failed[0].name == "format"


def test_version_1_bundles_have_no_witness_fields() -> None:
    b = json.loads((V2.parent / "valid-record-attendance.json").read_text())["bundle"]
    assert b["version"] == 1
    b["record"]["anchor"]["witnesses"] = {"status": "unwitnessed", "set": 0, "reason": "x"}
    with pytest.raises(FormatError, match="record.anchor.witnesses"):
        parse(b)


# ---------------------------------------------------------------------------- CLI


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "verifier", *args], cwd=REPO, text=True,
                          capture_output=True, timeout=300)  # fmt: skip


def test_cli_every_witness_vector(tmp_path: Path) -> None:
    files = []
    for name in NAMES:
        p = tmp_path / f"{name}.json"
        p.write_text(json.dumps(_vector(name)["bundle"], ensure_ascii=False))
        files.append(str(p))
    res = _cli(*files, "--offline", "--json")
    doc = json.loads(res.stdout)
    assert res.returncode == 1 and doc["exit_code"] == 1
    for r in doc["reports"]:
        want = _vector(Path(r["source"]).stem)["want_offline"]
        failed = [c["name"] for c in r["checks"] if c["status"] == "failed"]
        assert (r["verdict"], failed[0] if failed else None) == (want["verdict"], want["check"])


@pytest.mark.parametrize(("name", "code", "text"), [
    ("valid-witnessed-record-attendance", 0, "confirmed by 3 of 5 witnesses"),
    ("witnesses-unwitnessed", 0, "WITHOUT a witness quorum"),
    ("witnesses-other-contract", 1, "aggregate signature does not verify"),
])  # fmt: skip
def test_cli_says_it(tmp_path: Path, name: str, code: int, text: str) -> None:
    p = tmp_path / "b.json"
    p.write_text(json.dumps(_vector(name)["bundle"], ensure_ascii=False))
    res = _cli(str(p), "--offline", "--verbose")
    assert res.returncode == code, res.stdout + res.stderr
    assert text in res.stdout, res.stdout


# ---------------------------------------------------------------------------- the builder


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    sc = scenario.build(tmp_path_factory.mktemp("witnessed"), fake=True)
    yield sc
    sc.store.engine.dispose()


def _record(sc: Any, no: int, status: str = "witnessed", registry: str | None = None) -> None:
    store = sc.store
    b = batcher.batch(store, no)
    assert b is not None and b.contract is not None
    if status == "unwitnessed":
        w = BatchWitnesses(no, registry or b.contract, "unwitnessed", witness_set().to_json(),
                           reason="timeout after 60 s: 1 of 5 witnesses signed, threshold 3")  # fmt: skip
    else:
        head = b.head(store.operator_key.key_id).to_json()
        anchor = {"chain_id": b.chain_id, "contract": b.contract.lower()}
        sig = quorum_signature(commitment(head, anchor), 0b10011)
        w = BatchWitnesses(no, registry or b.contract, "witnessed", witness_set().to_json(),
                           bitmap=0b10011, signature=sig)  # fmt: skip
    store.record_batch_witnesses(w)


def test_builder_writes_what_the_store_recorded_and_it_verifies(site: Any) -> None:
    store = site.store
    batches = batcher.batches(store, limit=1000)
    for b in batches[:-1]:
        _record(site, b.batch_no)
    _record(site, batches[-1].batch_no, "unwitnessed")
    bundle = build_wage_bundle(store, site.workers[0], site.site.project, "2026-10")
    assert bundle["witness_sets"] == [witness_set().to_json()]
    anchors = [i["anchor"] for i in bundle["run"] + bundle["keys"]] + [bundle["checkpoint"]["anchor"]]
    assert all("witnesses" in a for a in anchors)
    r = OFFLINE.verify(copy.deepcopy(bundle))
    assert r.verdict is Verdict.VALID, r.failed
    detail = _check(r).detail
    assert "confirmed by 3 of 5 witnesses (threshold 3): 华建工程监理有限公司, 海淀区人力资源和社会保障局, " \
           "北京市建筑业务工人员权益服务中心" in detail  # fmt: skip
    assert f"batch {batches[-1].batch_no}: anchored WITHOUT a witness quorum" in detail
    # the key-item cache of the builder keeps working: a second bundle is the same
    again = build_wage_bundle(store, site.workers[0], site.site.project, "2026-10")
    assert again["keys"] == bundle["keys"] and again["witness_sets"] == bundle["witness_sets"]


def test_builder_ignores_a_record_of_another_registry(site: Any) -> None:
    store = site.store
    seq = site.seqs["wage0"]
    b = batcher.batch_of(store, seq)
    assert b is not None
    for no in range(len(batcher.batches(store, limit=1000))):
        store.forget_batch_witnesses(no)
    _record(site, b.batch_no, registry="0x" + "11" * 20)
    bundle = build_bundle(store, seq)
    assert "witness_sets" not in bundle and "witnesses" not in bundle["record"]["anchor"]
    assert OFFLINE.verify(bundle).verdict is Verdict.VALID
    assert KEYS  # the vectors' keys are the builder test's keys


# ---------------------------------------------------------------------------- the report


@pytest.mark.parametrize(("lang", "confirmed", "plain"), [
    ("zh", "由 5 个独立见证方中的 3 个联署确认（门限 3 个）：华建工程监理有限公司、海淀区人力资源和社会保障局",
     "未获见证方联署确认：锚定时 5 个见证方中签署的不足 3 个"),
    ("en", "confirmed by 3 of 5 independent witnesses (threshold 3): 华建工程监理有限公司, 海淀区人力资源和社会保障局",
     "NOT confirmed by the witnesses: fewer than 3 of the 5 witnesses signed"),
])  # fmt: skip
def test_report_names_the_institutions_and_says_unwitnessed_plainly(
    lang: str, confirmed: str, plain: str
) -> None:
    from verifier.report import render_html

    r = OFFLINE.verify(_vector("witnesses-unwitnessed")["bundle"], "b.json")
    page = render_html([r], lang)
    assert confirmed in page
    assert plain in page and "timeout after 120 s" in page
    # the unwitnessed batch is an alert, the witnessed one a note
    assert page.index('<p class="alert">' + ("批次 1" if lang == "zh" else "Batch 1")) > 0
    # translated check detail in Chinese
    if lang == "zh":
        assert "批次 0：经 5 个见证方中的 3 个联署确认（门限 3 个）" in page
        assert "见证方联署" in page


def test_report_of_a_bundle_without_witnesses_has_no_witness_column() -> None:
    from verifier.report import render_html

    r = OFFLINE.verify(_vector("valid-record-attendance")["bundle"], "b.json")
    page = render_html([r], "en")
    assert "<th>Witnesses</th>" not in page
    assert "no batch of the bundle names witnesses" in page
