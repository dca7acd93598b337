"""The verifier page (``verifier/web/``) in headless Chromium against the Python verifier.

Conformance: every bundle of the tamper corpus (``tests/vectors/bundles/``) and of
``siteledger demo`` goes through both; they must give the same verdict, the same checks with
the same statuses (so the same first failing check), and the same findings. The page is opened
from ``file://`` with every other request aborted, so it also proves that it works offline.
"""

from __future__ import annotations

import copy
import hashlib
import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.verifier.browser import PAGE, RecordedNode, chromium_path
from tests.verifier.recorded import RecordedChain
from verifier import Verifier
from verifier.ed25519 import verify_raw

pytest.importorskip("playwright.sync_api", reason="Playwright is a dev dependency (pyproject)")
if chromium_path() is None:  # pragma: no cover - scripts/setup.sh installs it
    pytest.skip("chromium is not installed (scripts/setup.sh installs it)", allow_module_level=True)

from tests.verifier.browser import OfflinePage, browser  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DIR = REPO / "tests" / "vectors" / "bundles"
# The version 1 corpus at the top (frozen once version 2 came), version 2 in v2/ when present;
# each directory has the chain its bundles were anchored on, recorded (chain.json).
DIRS = [d for d in (DIR, DIR / "v2") if (d / "chain.json").exists()]
VECTORS = {(f"{d.name}/" if d != DIR else "") + p.stem: json.loads(p.read_text())
           for d in DIRS for p in sorted(d.glob("*.json")) if p.name != "chain.json"}  # fmt: skip
CHAINS = {d.name if d != DIR else "": json.loads((d / "chain.json").read_text()) for d in DIRS}
CHAIN = CHAINS[""]
WEB = REPO / "verifier" / "web"


def _chain_of(name: str) -> str:
    return name.split("/")[0] if "/" in name else ""


def _text(v: dict[str, Any]) -> str:
    return json.dumps(v["bundle"], ensure_ascii=False) if "bundle" in v else str(v["bundle_text"])


def _python(v: dict[str, Any], verifier: Verifier) -> dict[str, Any]:
    r = verifier.verify(copy.deepcopy(v["bundle"])) if "bundle" in v else verifier.verify_bytes(
        v["bundle_text"])  # fmt: skip
    return r.to_json()


def _first_failed(r: dict[str, Any]) -> str | None:
    return next((c["name"] for c in r["checks"] if c["status"] == "failed"), None)


def _same(js: dict[str, Any], py: dict[str, Any]) -> None:
    assert js["verdict"] == py["verdict"]
    assert _first_failed(js) == _first_failed(py)
    assert [(c["name"], c["status"]) for c in js["checks"]] == [
        (c["name"], c["status"]) for c in py["checks"]
    ]
    assert [(f["name"], f["ok"]) for f in js["findings"]] == [
        (f["name"], f["ok"]) for f in py["findings"]
    ]
    assert js["unreadable"] == py["unreadable"]
    assert js["anchor_checked"] == py["anchor_checked"]
    assert js["kind"] == py["kind"]
    # the month drawing's one input: the same object from both (docs/verifying.md)
    if "timeline" in py["facts"]:
        assert js["facts"]["timeline"] == py["facts"]["timeline"]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with browser() as b:
        yield b


@pytest.fixture(scope="module")
def page(chromium: Any) -> Iterator[OfflinePage]:
    p = OfflinePage(chromium)
    yield p
    assert p.blocked == [], "the page asked the network for something"
    p.close()


@pytest.fixture(scope="module")
def nodes() -> Iterator[dict[str, RecordedNode]]:
    started = {k: RecordedNode(c).__enter__() for k, c in CHAINS.items()}
    try:
        yield started
    finally:
        for n in started.values():
            n.__exit__(None, None, None)


@pytest.fixture(scope="module")
def node(nodes: dict[str, RecordedNode]) -> RecordedNode:
    return nodes[""]


@pytest.fixture(scope="module")
def chain_page(chromium: Any, nodes: dict[str, RecordedNode]) -> Iterator[OfflinePage]:
    p = OfflinePage(chromium, allow=tuple(n.url for n in nodes.values()))
    yield p
    p.close()


# ---------------------------------------------------------------------------- the page itself


def test_page_loads_from_file_with_the_network_cut(page: OfflinePage) -> None:
    assert page.page.url.startswith("file://")
    assert page.errors == []
    backends = page.page.evaluate("siteledger.core.probeWebCrypto().then(() => siteledger.core.backends)")
    assert backends == {"sha256": "WebCrypto", "ed25519": "WebCrypto"}
    # Chinese by default, English on the switch.
    assert page.page.inner_text("h1") == "证据包核验"
    page.page.click("button[data-lang=en]")
    assert page.page.inner_text("h1") == "Proof bundle verifier"
    page.page.click("button[data-lang=zh]")


def test_page_with_libraries_is_at_most_500_kb() -> None:
    """Each page (the verifier page, the worker page) with every script it loads."""
    import re

    for page in sorted(WEB.glob("*.html")):
        html = page.read_text()
        scripts = [WEB / src for src in re.findall(r'<script src="([^"]+)"', html)]
        assert scripts and all(p.exists() for p in scripts), page.name
        total = page.stat().st_size + sum(p.stat().st_size for p in scripts)
        assert total <= 500 * 1024, (page.name, total)
    assert (WEB / "vendor" / "noble.js") in [WEB / s for s in
                                             re.findall(r'<script src="([^"]+)"', PAGE.read_text())]  # fmt: skip


def test_vendored_libraries_name_version_and_licence() -> None:
    head = (WEB / "vendor" / "noble.js").read_text()[:2000]
    assert "@noble/curves 1.2.0" in head and "@noble/hashes 1.3.2" in head
    assert "MIT License" in head and "Permission is hereby granted" in head


def test_vendored_file_is_what_the_script_writes() -> None:
    node_modules = REPO / "hardhat" / "node_modules" / "@noble" / "curves"
    if not node_modules.is_dir():
        pytest.skip("hardhat/node_modules is not installed")
    import importlib.util

    spec = importlib.util.spec_from_file_location("vendor", WEB / "vendor" / "vendor.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.build() == (WEB / "vendor" / "noble.js").read_text()


def test_chain_constants_match_the_contract_artifact() -> None:
    from web3 import Web3

    art = json.loads((REPO / "contracts" / "build" / "AnchorRegistryV1.json").read_text())
    code = bytes.fromhex(art["deployedBytecode"][2:])
    js = (WEB / "chain.js").read_text()
    assert f"REGISTRY_CODE_SHA256 = '{hashlib.sha256(code).hexdigest()}'" in js
    assert f"SEL_BATCH_COUNT = '0x{Web3.keccak(text='batchCount()').hex()[:8]}'" in js
    assert f"SEL_BATCH = '0x{Web3.keccak(text='batch(uint64)').hex()[:8]}'" in js
    topic = Web3.keccak(text="Anchored(uint64,uint64,uint64,bytes32)").hex()
    assert f"ANCHORED_TOPIC = '0x{topic.removeprefix('0x')}'" in js
    v2 = json.loads((REPO / "contracts" / "build" / "AnchorRegistryV2.json").read_text())
    assert v2["contractName"] == "AnchorRegistry"
    code2 = bytes.fromhex(v2["deployedBytecode"][2:])
    assert f"REGISTRY2_CODE_SHA256 = '{hashlib.sha256(code2).hexdigest()}'" in js
    v2w = json.loads((REPO / "contracts" / "build" / "AnchorRegistry.json").read_text())
    code2w = bytes.fromhex(v2w["deployedBytecode"][2:])
    assert f"REGISTRY2W_CODE_SHA256 = '{hashlib.sha256(code2w).hexdigest()}'" in js
    claim = "checkBatch((uint64,uint64,uint64,bytes32,bytes32,uint64,uint64))"
    assert f"SEL_CHECK_BATCH = '0x{Web3.keccak(text=claim).hex().removeprefix('0x')[:8]}'" in js
    topic2 = Web3.keccak(text="Anchored(uint64,uint64,uint64,bytes32,bytes32)").hex()
    assert f"ANCHORED2_TOPIC = '0x{topic2.removeprefix('0x')}'" in js
    for const, event in (("WITNESSED_TOPIC", "Witnessed(uint64,uint64,uint256)"),
                         ("UNWITNESSED_TOPIC", "AnchoredWithoutQuorum(uint64,uint64)")):  # fmt: skip
        assert f"{const} = '0x{Web3.keccak(text=event).hex().removeprefix('0x')}'" in js
    sel = Web3.keccak(text="witnessSetHash(uint64)").hex().removeprefix("0x")[:8]
    assert f"SEL_WITNESS_SET_HASH = '0x{sel}'" in js
    abi = {e["name"]: e for e in v2w["abi"] if e.get("type") in ("event", "function")}
    assert [i["type"] for i in abi["Witnessed"]["inputs"]] == ["uint64", "uint64", "uint256"]
    assert [i["type"] for i in abi["AnchoredWithoutQuorum"]["inputs"]] == ["uint64", "uint64"]


# ---------------------------------------------------------------------------- conformance


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_corpus_offline_agrees(page: OfflinePage, name: str) -> None:
    v = VECTORS[name]
    js = page.verify(_text(v), offline=True, source=name)
    _same(js, _python(v, Verifier(None, offline=True)))
    assert js["verdict"] == v["want_offline"]["verdict"]
    assert _first_failed(js) == v["want_offline"]["check"]


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_corpus_on_the_recorded_chain_agrees(chain_page: OfflinePage,
                                             nodes: dict[str, RecordedNode], name: str) -> None:  # fmt: skip
    v = VECTORS[name]
    js = chain_page.verify(_text(v), rpc=nodes[_chain_of(name)].url, source=name)
    _same(js, _python(v, Verifier(RecordedChain(CHAINS[_chain_of(name)]))))
    assert js["verdict"] == v["want"]["verdict"]
    assert _first_failed(js) == v["want"]["check"]


def test_recorded_chain_is_asked_with_plain_json_rpc(node: RecordedNode) -> None:
    assert set(node.calls) <= {"eth_chainId", "eth_getCode", "eth_blockNumber", "eth_call",
                               "eth_getTransactionReceipt", "eth_getBlockByNumber"}  # fmt: skip
    assert "eth_getTransactionReceipt" in node.calls


@pytest.mark.parametrize("name", ["valid-record-attendance", "valid-wage", "record-field-changed"])
def test_without_a_chain_or_offline_choice_is_inconclusive(page: OfflinePage, name: str) -> None:
    v = VECTORS[name]
    _same(page.verify(_text(v), source=name), _python(v, Verifier(None)))


def test_unreachable_node_is_inconclusive(chromium: Any) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    url = f"http://127.0.0.1:{port}"
    p = OfflinePage(chromium, allow=(url,))
    try:
        js = p.verify(_text(VECTORS["valid-record-attendance"]), rpc=url)
        assert js["verdict"] == "INCONCLUSIVE"
        assert {c["status"] for c in js["checks"] if c["name"].startswith("chain.")} == {
            "inconclusive"}  # fmt: skip
        js = p.verify(_text(VECTORS["record-field-changed"]), rpc=url)
        assert js["verdict"] == "INVALID"
    finally:
        p.close()


@pytest.fixture(scope="module")
def demo_bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from api.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    run_demo(out, n_workers=12, quiet=True)
    return {p.name: p.read_text() for p in sorted(out.glob("*.json"))}


def test_demo_bundles_agree(page: OfflinePage, demo_bundles: dict[str, str]) -> None:
    assert len(demo_bundles) >= 5
    for name, text in demo_bundles.items():
        js = page.verify(text, offline=True, source=name)
        py = Verifier(None, offline=True).verify_bytes(text, name).to_json()
        _same(js, py)
        assert js["verdict"] == "VALID", name
        if js["kind"] == "wage":
            assert js["facts"]["recomputed"] == py["facts"]["recomputed"]


def test_ed25519_fallback_gives_the_same_verdicts(page: OfflinePage) -> None:
    for name, v in VECTORS.items():
        js = page.verify(_text(v), offline=True, noWebCrypto=True, source=name)
        assert js["verdict"] == v["want_offline"]["verdict"], name
        assert _first_failed(js) == v["want_offline"]["check"], name


def test_without_webcrypto_the_libraries_give_the_same_verdicts(chromium: Any) -> None:
    """Served over plain HTTP from another host the page is not a secure context and has no
    crypto.subtle: SHA-256 and Ed25519 then come from the vendored @noble libraries."""
    p = OfflinePage(chromium, init="Object.defineProperty(Crypto.prototype, 'subtle', "
                                   "{get() { return undefined; }})")  # fmt: skip
    try:
        assert p.page.evaluate("siteledger.core.probeWebCrypto().then(() => siteledger.core.backends)") == {
            "sha256": "@noble/hashes", "ed25519": "@noble/curves (cofactorless, strict)"}  # fmt: skip
        for name, v in VECTORS.items():
            js = p.verify(_text(v), offline=True, source=name)
            assert js["verdict"] == v["want_offline"]["verdict"], name
            assert _first_failed(js) == v["want_offline"]["check"], name
        assert p.errors == [] and p.blocked == []
    finally:
        p.close()


# ---------------------------------------------------------------------------- edge cases


L = 2**252 + 27742317777372353535851937790883648493


def _edge_cases() -> list[tuple[str, str, str, bytes]]:
    """(name, public key hex, signature hex, signed bytes) that strict verifiers must agree on."""
    from ledger.core.keys import SigningKey

    key = SigningKey(bytes(range(32)))
    pub = key.verify_key.public.hex()
    msg = b"siteledger/record/v1\x00{}"
    sig = key.sign(b"siteledger/record/v1", b"{}").hex()
    s = int.from_bytes(bytes.fromhex(sig[64:]), "little")
    identity = "01" + "00" * 31
    order8 = "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"
    return [
        ("valid", pub, sig, msg),
        ("message-changed", pub, sig, msg + b" "),
        ("s-plus-l (non-canonical S)", pub, sig[:64] + (s + L).to_bytes(32, "little").hex(), msg),
        ("identity key, identity R, S = 0", identity, identity + "00" * 32, msg),
        ("order-8 key, order-8 R, S = 0", order8, order8 + "00" * 32, msg),
        ("key y = p + 1 (non-canonical identity)", "ee" + "ff" * 30 + "7f", identity + "00" * 32, msg),
        ("key not on the curve", "02" + "00" * 31, sig, msg),
        ("R non-canonical (y >= p)", pub, "ee" + "ff" * 30 + "7f" + sig[64:], msg),
        ("short signature", pub, sig[:126], msg),
    ]


def test_ed25519_edge_cases_match_the_python_verifier(page: OfflinePage) -> None:
    for name, pub, sig, data in _edge_cases():
        tag, _, message = data.partition(b"\x00")
        try:
            verify_raw(bytes.fromhex(pub), data, bytes.fromhex(sig))
            want = True
        except Exception:  # noqa: BLE001 - SignatureError or ValueError: both are "rejected"
            want = False
        for no_web in (False, True):
            got = page.page.evaluate(
                "([p, s, t, m, n]) => siteledger.core.verifySignature(p, s, t, m, {noWebCrypto: n})"
                ".then((e) => e === null)",
                [pub, sig, tag.decode(), message.decode(), no_web],
            )
            assert got == want, (name, "noble" if no_web else "WebCrypto")


STRICT_JSON = [
    ("duplicate key deep down", '{"a": {"b": 1, "b": 2}}'),
    ("fraction", '{"a": 1.5}'),
    ("exponent", '{"a": 1e3}'),
    ("NaN", '{"a": NaN}'),
    ("Infinity", '{"a": -Infinity}'),
    ("trailing data", '{"a": 1} x'),
    ("byte order mark", '\ufeff{"a": 1}'),
    ("leading garbage", 'x{"a": 1}'),
    ("empty", "   "),
    ("unterminated", '{"a": "b'),
    ("raw control character in a string", '{"a": "b\x01"}'),
    ("single quotes", "{'a': 1}"),
    ("nested 1,100 deep", "[" * 1100 + "]" * 1100),
]


@pytest.mark.parametrize("name,text", STRICT_JSON, ids=[n for n, _ in STRICT_JSON])
def test_strict_json_is_unreadable_for_both(page: OfflinePage, name: str, text: str) -> None:
    js = page.verify(text, offline=True)
    py = Verifier(None, offline=True).verify_bytes(text).to_json()
    assert js["unreadable"] and py["unreadable"], (js["checks"], py["checks"])
    assert js["verdict"] == py["verdict"] == "INVALID"


def test_nesting_deeper_than_16_is_unreadable(page: OfflinePage) -> None:
    """docs/proof-format.md: nested at most 16 levels, deeper is unreadable (exit code 2)."""
    ok = page.verify('{"a":' * 15 + "1" + "}" * 15, offline=True)
    assert not ok["unreadable"]
    deep = page.verify('{"a":' * 17 + "1" + "}" * 17, offline=True)
    assert deep["unreadable"] and "nested deeper than 16" in deep["checks"][0]["detail"]


def test_big_integer_is_a_format_failure_not_unreadable(page: OfflinePage) -> None:
    """docs/proof-format.md: integers are in 0 … 2^53 − 1, so an entry seq beyond that fails
    `format`. (The Python verifier, at the time of writing, decodes such an entry and fails
    `record.leaf_hash` instead: same verdict, another first check; reported to its owner.)"""
    v = copy.deepcopy(VECTORS["valid-record-attendance"]["bundle"])
    text = json.dumps(v).replace('"seq": 66', '"seq": 123456789012345678901234567890', 1)
    js = page.verify(text, offline=True)
    py = Verifier(None, offline=True).verify_bytes(text).to_json()
    assert js["verdict"] == py["verdict"] == "INVALID"
    assert _first_failed(js) == "format" and not js["unreadable"]
    assert "record.entry.seq" in js["checks"][0]["detail"]


def _reason(b: dict[str, Any], text: str) -> None:
    """Every unwitnessed mark of the bundle given the reason ``text``."""
    for it in [b["record"], *b["keys"], *b["related"], *b["context"]]:
        w = it["anchor"].get("witnesses")
        if w is not None and w["status"] == "unwitnessed":
            w["reason"] = text


def _name(b: dict[str, Any], text: str) -> None:
    b["witness_sets"][0]["witnesses"][0]["name"] = text


def _key_spaced(b: dict[str, Any]) -> None:
    k = b["witness_sets"][0]["witnesses"][1]["public_key"]
    b["witness_sets"][0]["witnesses"][1]["public_key"] = k[:-4] + " " + k[-3:]  # same length


def _big_v(b: dict[str, Any]) -> None:
    b["record"]["batch"]["v"] = 2**60


EDGES: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("pending null", lambda b: b.__setitem__("pending", None)),
    ("pending false", lambda b: b.__setitem__("pending", False)),
    ("reason: 1,500 astral characters", lambda b: _reason(b, "\U0001F600" * 1500)),
    ("reason: byte order mark alone", lambda b: _reason(b, "\ufeff")),
    ("reason: unit separator alone", lambda b: _reason(b, "\x1f")),
    ("reason: next line alone", lambda b: _reason(b, "\x85")),
    ("reason: ideographic space alone", lambda b: _reason(b, "\u3000")),
    ("reason: lone surrogate", lambda b: _reason(b, "\ud800")),
    ("name: 100 astral characters", lambda b: _name(b, "\U0001F3D7" * 100)),
    ("name: lone surrogate", lambda b: _name(b, "ok\udc00")),
    ("public key with a space", _key_spaced),
    ("batch head v beyond 2^53", _big_v),
]


@pytest.mark.parametrize("name,fn", EDGES, ids=[n for n, _ in EDGES])
def test_edge_values_agree(page: OfflinePage, name: str, fn: Callable[[dict[str, Any]], None]) -> None:
    """Values where the page and the CLI once disagreed or crashed (a tamper hunt): lengths
    counted in UTF-16 units, JavaScript's trim against Python's strip, falsy ``pending``, hex
    with spaces, lone surrogates (the CLI crashed printing them), integers beyond 2^53 (the page
    threw serializing them). Same verdict and first failed check, and no crash."""
    v = copy.deepcopy(VECTORS["v2/witnesses-unwitnessed"]["bundle"])
    fn(v)
    text = json.dumps(v)  # ASCII escapes: a lone surrogate stays \udxxx in the text
    js = page.verify(text, offline=True, source=name)
    py = Verifier(None, offline=True).verify_bytes(text).to_json()
    assert (js["verdict"], _first_failed(js)) == (py["verdict"], _first_failed(py)), (
        js["checks"][:1], py["checks"][:1])  # fmt: skip
    assert not any("TypeError" in c["detail"] for c in js["checks"])
    json.dumps(py, ensure_ascii=False).encode()  # printable: no lone surrogate in the report


# ---------------------------------------------------------------------------- the interface


def test_dropping_files_shows_every_verdict(page: OfflinePage, tmp_path: Path) -> None:
    names = ["valid-record-wage", "valid-presence", "signature-byte-flipped", "truncated-json"]
    paths = []
    for n in names:
        p = tmp_path / f"{n}.json"
        p.write_text(_text(VECTORS[n]))
        paths.append(str(p))
    pg = page.page
    pg.set_input_files("#file", paths)
    pg.wait_for_selector("body[data-state=done]")
    cards = pg.query_selector_all("section.bundle")
    assert [c.get_attribute("data-verdict") for c in cards] == [
        VECTORS[n]["want_offline"]["verdict"] for n in names
    ]
    assert "有效" in cards[0].inner_text() and "无效" in cards[2].inner_text()
    assert "未向区块链核对锚定" in cards[0].inner_text()  # offline: said so on the card
    assert "开发或测试用的链" in cards[0].inner_text()  # the corpus's chain is eth-tester's
    assert "证明了什么" in cards[0].inner_text() and "工资单行" in cards[0].inner_text()
    failed = cards[2].query_selector_all("tr.status-failed")
    assert failed[0].get_attribute("data-check") == "record.signature"
    # a failed row says it failed, with its reason unfolded; it never reads as a pass
    assert failed[0].inner_text().count("未通过") == 2  # the result column and the meaning
    assert failed[0].query_selector("details[open]") is not None
    passed = cards[0].query_selector("tr.status-passed")
    assert passed is not None and "未通过" not in passed.inner_text()
    assert passed.query_selector("details[open]") is None
    assert pg.query_selector('[data-finding="paid"]') is not None
    # the month drawing (timeline.js) for the presence bundle, none for a single record
    assert cards[1].query_selector(".timeline svg") is not None
    assert cards[0].query_selector(".timeline svg") is None
    pg.click("button[data-lang=en]")
    assert "VALID" in pg.query_selector_all("section.bundle")[0].inner_text()
    pg.click("button[data-lang=zh]")
    pg.evaluate("document.body.setAttribute('data-state', 'ready')")


def test_a_correction_about_another_worker_is_named(page: OfflinePage) -> None:
    """wrong-subject as the ledger applies it: a correction naming a punch of another worker
    must not void it. (A genuine one needs a store that logged what it should have refused; here
    the field is changed, so the signature fails too, and both verifiers must also name the
    link. The project rule sits beside it; changing the project fails the signer's
    authorisation first.)"""
    words = "about w-8daa6022b9a927472228, but is about w-someone-else"
    v = copy.deepcopy(VECTORS["v2/valid-record-disclosure"]["bundle"])
    v["related"][0]["entry"]["record"]["subject"] = "w-someone-else"
    text = json.dumps(v)
    js = page.verify(text, offline=True)
    py = Verifier(None, offline=True).verify_bytes(text).to_json()
    for r in (js, py):
        related = next(c for c in r["checks"] if c["name"] == "related")
        assert related["status"] == "failed" and words in related["detail"], related["detail"]


def test_the_file_picker_shows_keyboard_focus(page: OfflinePage) -> None:
    """Tab reaches the file input, and its label shows the focus (the input sat off-screen and
    the focus vanished)."""
    pg = page.page
    pg.focus("#file")
    assert pg.evaluate("document.activeElement.id") == "file"
    assert pg.evaluate("getComputedStyle(document.querySelector('#drop label')).outlineStyle") == "solid"
    box = pg.query_selector("#file").bounding_box()
    assert box is not None and box["x"] >= 0
    pg.evaluate("document.activeElement.blur()")


def test_bundle_text_is_never_interpreted_as_html(page: OfflinePage) -> None:
    v = copy.deepcopy(VECTORS["valid-record-attendance"]["bundle"])
    v["explorer"] = {"tx_url": "https://x/{tx}<img src=x onerror=alert(1)>"}
    page.page.evaluate("([t]) => siteledger.page.verifyFiles([{name: '<b>x</b>.json', text: t}])",
                       [json.dumps(v)])  # fmt: skip
    page.page.wait_for_selector("body[data-state=done]")
    assert page.page.query_selector("section.bundle h2 b") is None
    assert page.page.query_selector("img") is None
    page.page.evaluate("document.body.setAttribute('data-state', 'ready')")


# ---------------------------------------------------------------------------- head maps (v2)


def _bit(kh: bytes, i: int) -> int:
    return (kh[i // 8] >> (7 - i % 8)) & 1


class _HeadMap:
    """A ten-line compact sparse Merkle tree straight from the head-map rules, as a reference."""

    def __init__(self, values: dict[str, dict[str, Any]]) -> None:
        from ledger.core.canonical import canonical_bytes

        self.items = [(hashlib.sha256(k.encode()).digest(),
                       hashlib.sha256(canonical_bytes(v)).digest()) for k, v in values.items()]  # fmt: skip

    def node(self, items: list[tuple[bytes, bytes]], depth: int) -> bytes:
        if not items:
            return bytes(32)
        if len(items) == 1:
            return hashlib.sha256(b"\x02" + items[0][0] + items[0][1]).digest()
        left = [x for x in items if _bit(x[0], depth) == 0]
        right = [x for x in items if _bit(x[0], depth) == 1]
        return hashlib.sha256(b"\x03" + self.node(left, depth + 1) + self.node(right, depth + 1)).digest()

    def root(self) -> str:
        return self.node(self.items, 0).hex()

    def proof(self, key: str) -> dict[str, Any]:
        kh = hashlib.sha256(key.encode()).digest()
        items, siblings, depth = self.items, [], 0
        while len(items) > 1:
            same = [x for x in items if _bit(x[0], depth) == _bit(kh, depth)]
            other = [x for x in items if _bit(x[0], depth) != _bit(kh, depth)]
            siblings.append(self.node(other, depth + 1).hex())
            items, depth = same, depth + 1
        leaf = {"key_hash": items[0][0].hex(), "value_hash": items[0][1].hex()} if items else None
        return {"siblings": siblings, "leaf": leaf}


def test_head_proofs_against_a_reference_tree(page: OfflinePage) -> None:
    values = {f"subject/w-{i:04d}": {"counter": i, "seq": 100 + i, "leaf_hash": f"{i:064x}"}
              for i in range(40)}  # fmt: skip
    values["device/P-DEMO-001/GATE-01"] = {"counter": 543, "seq": 999, "leaf_hash": "ab" * 32}
    tree = _HeadMap(values)
    run = "([k, v, p, r]) => siteledger.heads.verifyHeadProof(k, v, p, r).then((x) => x.member, (e) => 'error: ' + e.message)"
    for key in ("subject/w-0000", "subject/w-0039", "device/P-DEMO-001/GATE-01"):
        proof = tree.proof(key)
        assert page.page.evaluate(run, [key, values[key], proof, tree.root()]) is True
        wrong = dict(values[key], counter=values[key]["counter"] + 1)
        assert "value hash" in page.page.evaluate(run, [key, wrong, proof, tree.root()])
        assert "error" in page.page.evaluate(run, [key, None, proof, tree.root()])
        if proof["siblings"]:
            flipped = copy.deepcopy(proof)
            flipped["siblings"][-1] = "f" + flipped["siblings"][-1][1:]
            assert "leads to" in page.page.evaluate(run, [key, values[key], flipped, tree.root()])
    for absent in ("subject/w-9999", "device/P-DEMO-001/GATE-02", "subject/nobody"):
        proof = tree.proof(absent)
        assert page.page.evaluate(run, [absent, None, proof, tree.root()]) is False
        assert "error" in page.page.evaluate(run, [absent, values["subject/w-0001"], proof, tree.root()])
    empty = _HeadMap({})
    assert empty.root() == "0" * 64
    assert page.page.evaluate(run, ["subject/x", None, {"siblings": [], "leaf": None}, "0" * 64]) is False
    too_deep = {"siblings": ["0" * 64] * 257, "leaf": None}
    assert "limit 256" in page.page.evaluate(run, ["subject/x", None, too_deep, "0" * 64])


# ---------------------------------------------------------------------------- a real node


def test_page_checks_anchors_on_a_real_anvil_node(chromium: Any, tmp_path: Path) -> None:
    """Anchored by the real anchoring worker on anvil; the page asks the node itself over
    JSON-RPC (anvil answers the browser's cross-origin requests) and agrees with the Python
    verifier's ChainReader, for a valid bundle and for one whose batch number was changed."""
    from anchor.backends import ANVIL_BINARY, AnvilBackend
    from anchor.reader import ChainReader
    from ledger.bundle import build_bundle, build_wage_bundle
    from tests.verifier import scenario

    if not ANVIL_BINARY.exists():
        pytest.skip("anvil is not installed: run scripts/setup.sh")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sc = scenario.build(tmp_path / "site", anchor=False)
    anvil = AnvilBackend(tmp_path / "home", port=port)
    sc.backend = anvil
    try:
        scenario.seal_and_anchor(sc, fake=False)
        good = build_bundle(sc.store, sc.seqs["wage0"])
        bad = copy.deepcopy(good)
        bad["record"]["batch"]["batch_no"] = 7  # consistent offline, wrong on chain
        wage = build_wage_bundle(sc.store, sc.workers[0], sc.site.project, "2026-10")
        reader = ChainReader.from_url(anvil.url)
        p = OfflinePage(chromium, allow=(anvil.url,))
        try:
            for bundle in (good, bad, wage):
                text = json.dumps(bundle)
                js = p.verify(text, rpc=anvil.url)
                _same(js, Verifier(reader).verify_bytes(text).to_json())
            assert p.verify(json.dumps(good), rpc=anvil.url)["verdict"] == "VALID"
            failed = {c["name"] for c in p.verify(json.dumps(bad), rpc=anvil.url)["checks"]
                      if c["status"] == "failed"}  # fmt: skip
            assert {"chain.root", "chain.event"} <= failed
        finally:
            p.close()
    finally:
        anvil.stop(timeout=10)
        sc.store.engine.dispose()


def test_page_checks_witness_events_on_a_real_anvil_node(chromium: Any, tmp_path: Path) -> None:
    """Batches anchored with and without a witness quorum on anvil (the registry with witness
    sets); the page reads the Witnessed / AnchoredWithoutQuorum events and witnessSetHash itself
    and agrees with the Python verifier, also for bundles that withhold what the chain says."""
    from anchor.backends import ANVIL_BINARY, AnvilBackend
    from anchor.reader import ChainReader
    from ledger.bundle import build_bundle
    from tests.anchor.witnessed import witnessed_ledger

    if not ANVIL_BINARY.exists():
        pytest.skip("anvil is not installed: run scripts/setup.sh")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    anvil = AnvilBackend(tmp_path / "home", port=port)
    try:
        store, seqs = witnessed_ledger(tmp_path, anvil.connect())
        try:
            witnessed, unwitnessed = build_bundle(store, seqs[2]), build_bundle(store, seqs[1])
            stripped = copy.deepcopy(unwitnessed)
            del stripped["record"]["anchor"]["witnesses"]  # hides "anchored without a quorum"
            threshold = copy.deepcopy(witnessed)
            threshold["witness_sets"][0]["threshold"] = 1  # still a quorum offline
            reader = ChainReader.from_url(anvil.url)
            p = OfflinePage(chromium, allow=(anvil.url,))
            try:
                for bundle, want in ((witnessed, "passed"), (unwitnessed, "passed"),
                                     (stripped, "failed"), (threshold, "failed")):  # fmt: skip
                    text = json.dumps(bundle, ensure_ascii=False)
                    js = p.verify(text, rpc=anvil.url)
                    _same(js, Verifier(reader).verify_bytes(text).to_json())
                    status = {c["name"]: c["status"] for c in js["checks"]}
                    assert status["chain.witnesses"] == want, js["checks"]
                    assert status["anchor.witnesses"] == "passed"
            finally:
                p.close()
        finally:
            store.engine.dispose()
    finally:
        anvil.stop(timeout=10)


# ---------------------------------------------------------------------------- record vectors


RECORD_VECTORS = sorted((REPO / "tests" / "vectors" / "records").rglob("*.json"))

_RECORD_JS = """async ([text]) => {
  const SL = siteledger, C = SL.core, R = SL.records;
  let d;
  try { d = C.loadJSON(text); } catch (e) { return {err: 'unreadable: ' + e.message}; }
  try {
    if (C.canonical(d.entry.record) !== C.canonical(d.record)) R.decodeRecord(d.record, '');
    R.decodeEntry(d.entry, 'entry');
    const pub = C.toHex(globalThis.siteledgerNoble.ed25519.getPublicKey(C.fromHex(d.signing_key_seed)));
    const bad = await C.verifySignature(pub, d.entry.sig, 'siteledger/record/v1', C.canonical(d.entry.record));
    if (bad) return {err: 'sig: ' + bad};
    return {err: null, canonical: C.canonical(d.entry.record),
            leaf: C.toHex(await C.hashLeaf(C.canonicalBytes(d.entry)))};
  } catch (e) { return {err: e.message}; }
}"""


@pytest.mark.parametrize("path", RECORD_VECTORS, ids=lambda p: str(p.relative_to(REPO / "tests" / "vectors" / "records")))
def test_record_vectors(page: OfflinePage, path: Path) -> None:
    """docs/records.md's known-answer vectors: every valid record decodes to the same canonical
    bytes, leaf hash and signature; every broken sibling is refused."""
    d = json.loads(path.read_text()) if "float" not in path.name else None
    got = page.page.evaluate(_RECORD_JS, [path.read_text()])
    want_err = json.loads(path.read_text(), parse_float=str)["want_err"]
    if want_err is False:
        assert got["err"] is None, got
        assert d is not None
        if "canonical" in d:
            assert got["canonical"] == d["canonical"]
        if "leaf_hash" in d:
            assert got["leaf"] == d["leaf_hash"]
    else:
        assert got["err"], (want_err, got)


# ---------------------------------------------------------------------------- head vectors (v2)


HEAD_VECTORS = sorted((REPO / "tests" / "vectors" / "heads").glob("*.json"))

_HEAD_JS = """async ([text]) => {
  const SL = siteledger, C = SL.core;
  const d = C.loadJSON(text);
  try {
    if ('head' in d) {
      const err = await SL.bundle.verifySignedHead(d.head, d.public_key);
      if (err) return err;
      if (d.signed_bytes_hex) {
        const body = Object.assign({}, d.head);
        delete body.sig;
        const got = C.toHex(C.concat(C.utf8('siteledger/batch-head/v1'), new Uint8Array([0]), C.canonicalBytes(body)));
        if (got !== d.signed_bytes_hex) return 'signed bytes differ';
      }
      return null;
    }
    await SL.heads.verifyHeadProof(d.key, d.value, d.proof, d.root);
    return null;
  } catch (e) { return e.message; }
}"""


@pytest.mark.parametrize("path", HEAD_VECTORS, ids=lambda p: p.stem)
def test_head_vectors(page: OfflinePage, path: Path) -> None:
    """The head-map and signed batch head vectors of docs/proof-format.md ("Head maps"): every
    valid proof and head holds in the page, every broken sibling is refused."""
    d = json.loads(path.read_text())
    err = page.page.evaluate(_HEAD_JS, [path.read_text()])
    if d["want_err"] in (None, False):
        assert err is None, err
    else:
        assert err, d["desc"]


def test_a_month_not_yet_final_says_so(page: OfflinePage) -> None:
    """A version 2 bundle whose checkpoint does not yet cover the instant by the sync allowance
    is INCONCLUSIVE even offline, and the card says why (not "the chain could not be reached")."""
    name = "v2/valid-presence-not-yet-covered"
    if name not in VECTORS:
        pytest.skip("no version 2 corpus")
    page.page.evaluate("([t]) => siteledger.page.verifyFiles([{name: 'x.json', text: t}])",
                       [_text(VECTORS[name])])  # fmt: skip
    page.page.wait_for_selector("body[data-state=done]")
    card = page.page.query_selector("section.bundle")
    assert card is not None and card.get_attribute("data-verdict") == "INCONCLUSIVE"
    assert "还不能定论" in card.inner_text()
    assert card.query_selector('[data-finding="coverage"]') is not None
    row = card.query_selector('tr[data-check="checkpoint.covers"]')
    assert row is not None and "尚非最终" in row.inner_text() and "是最终的" not in row.inner_text()
    page.page.evaluate("document.body.setAttribute('data-state', 'ready')")


def test_the_card_names_the_witnesses_and_an_unwitnessed_batch(page: OfflinePage) -> None:
    """The page checks witness quorums itself (vendored @noble/curves bls12-381) and its card
    names the institutions that confirmed each batch; a batch anchored without a quorum is
    said plainly, in both languages."""
    name = "v2/witnesses-unwitnessed"
    page.page.evaluate("([t]) => siteledger.page.verifyFiles([{name: 'x.json', text: t}])",
                       [_text(VECTORS[name])])  # fmt: skip
    page.page.wait_for_selector("body[data-state=done]")
    card = page.page.query_selector("section.bundle")
    assert card is not None and card.get_attribute("data-verdict") == "VALID"
    text = card.inner_text()
    assert "由 5 个独立见证方中的 3 个联署确认（门限 3 个）：华建工程监理有限公司、海淀区人力资源和社会保障局" in text
    assert "未获见证方联署确认（门限 5 个中的 3 个）" in text and "timeout after 120 s" in text
    page.page.click("button[data-lang=en]")
    text = page.page.query_selector("section.bundle").inner_text()  # type: ignore[union-attr]
    assert "NOT confirmed by the witnesses (threshold 3 of 5)" in text
    page.page.click("button[data-lang=zh]")
    page.page.evaluate("document.body.setAttribute('data-state', 'ready')")
