"""The worker page (``/w/``) in headless Chromium against a running `siteledger serve`.

Debian's chromium driven by Playwright (no browser download), the server started by the test on
127.0.0.1 and a free port and stopped by its PID. The whole flow as people do it: the contractor
makes a code, the worker's phone opens the link and makes its key, the contractor approves, the
month appears, the worker disputes the publication with a reason (an ``ack`` signed in the
browser and logged), downloads his wage and presence bundles, which the Python verifier accepts.
Bad input on the page: an unknown code, a replayed code, an expired code. A screenshot of the
page at 390×844 is kept as a test artefact (``$SITELEDGER_ARTEFACTS``, else ``artefacts/`` in
pytest's base temporary folder), beside the report's.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from ledger.core.keys import SigningKey
from ledger.core.times import utc_now
from ledger.db import make_engine
from tests.api.live import serve
from tests.verifier.reportdata import english_words
from tests.verifier.workersite import Site, build
from verifier import Verifier

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
              pytest.mark.slow]  # fmt: skip
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("workerpage")
    made = build(root / "home")
    with serve(root / "home", log=root / "serve.log") as server:
        yield Site(server.base, root / "home", **made)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = os.environ.get("SITELEDGER_ARTEFACTS")
    out = Path(where) if where else tmp_path_factory.getbasetemp() / "artefacts"
    out.mkdir(parents=True, exist_ok=True)
    return out


class Phone:
    """A phone-sized browser context that may reach the server it was given and nothing else."""

    def __init__(self, browser: Any, base: str, init: str = "") -> None:
        self.context = browser.new_context(viewport=PHONE, accept_downloads=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.blocked: list[str] = []
        if init:
            self.page.add_init_script(init)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def route(r: Any) -> None:
            if r.request.url.startswith(base + "/") or r.request.url.startswith("blob:"):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)

    def state(self, want: str, timeout: float = 30_000) -> None:
        self.page.wait_for_selector(f"body[data-state={want}]", timeout=timeout)

    def enroll(self, link: str) -> None:
        self.page.goto("about:blank")
        self.page.goto(link)
        self.state("enroll")
        assert "#code=" not in self.page.url  # the code leaves the address bar at once
        self.page.click("#enroll")

    def close(self) -> None:
        self.context.close()


def test_the_worker_links_his_phone_sees_his_month_disputes_and_keeps_his_bundles(
    live: Site, browser: Any, artefacts: Path
) -> None:
    made = live.code()
    assert made["link"].startswith(live.base + "/w/#code=slw_")
    phone = Phone(browser, live.base)
    try:
        phone.enroll(made["link"])
        phone.state("pending")
        key = phone.page.evaluate("siteledgerWorker.key && siteledgerWorker.key.kind")
        assert key == "webcrypto"  # Debian's chromium has WebCrypto Ed25519
        assert "等待批准" in phone.page.inner_text("main")
        (approved,) = live.approve_pending()
        assert approved["state"] == "approved" and approved["subject"] == live.worker
        phone.state("month")  # the page polls and signs in by itself
        main = phone.page.inner_text("main")
        assert live.worker in main and "700.00 元" in main  # the wage line and the payment
        assert phone.page.locator(".timeline svg").count() == 1
        assert phone.page.locator("#shifts tbody tr").count() == 3
        # every OUT at 17:30 on the project's clock, the one a gate stamped in UTC included
        outs = phone.page.locator("#shifts tbody tr td:nth-child(3)").all_inner_texts()
        assert outs == ["17:30"] * 3, outs
        assert phone.page.evaluate("siteledgerWorker.projectTz") == "+08:00"
        assert "异议期内" in phone.page.inner_text("#publications")
        # every word on the Chinese page is Chinese (identifiers and the page's name aside)
        shown = " ".join(phone.page.inner_text(sel) for sel in ("h1", "main", "footer"))
        assert english_words(shown) == [], english_words(shown)
        # the key stays in the browser: not extractable
        extractable = phone.page.evaluate(
            "siteledgerWorker.key.private_key && siteledgerWorker.key.private_key.extractable")
        assert extractable is False

        # the worker disputes the publication: the payroll left out a day
        phone.page.click("#publications button[data-ack=dispute]")
        phone.page.fill("#publications textarea", f"{live.month}-05 的 10 小时没有算")
        phone.page.click("#publications button[data-send]")
        phone.page.wait_for_selector("main .msg.ok")
        assert "您已提出异议" in phone.page.inner_text("#publications")
        # the window is still open: the worker can still say more (a mis-tap is not final)
        assert phone.page.query_selector("#publications button[data-ack=confirm]") is not None
        assert phone.page.query_selector("#publications button[data-ack=dispute]") is not None
        acks = [e["entry"] for e in live.call(
            "GET", f"/v1/workers/{live.worker}/records?type=ack&project={live.project}")["entries"]]
        live.wait_anchored(acks[0]["seq"])
        assert len(acks) == 1 and acks[0]["record"]["decision"] == "dispute"
        assert acks[0]["record"]["signer"] == approved["key_id"]
        assert acks[0]["record"]["reason"] == f"{live.month}-05 的 10 小时没有算"
        phone.page.evaluate("window.scrollTo(0, 0)")
        phone.page.screenshot(path=str(artefacts / "worker-page.zh.png"), full_page=False)

        # his wage bundle, once anchored (the server seals every 5 s on its embedded chain)
        bundle = _download(phone, "#dl-wage")
        report = Verifier(None, offline=True).verify_bytes(bundle, "wage.json")
        assert report.verdict == "VALID", [c for c in report.to_json()["checks"]]
        body = json.loads(bundle)
        assert body["kind"] == "wage" and body["subject"] == live.worker
        types = [i["entry"]["record"]["type"] for i in body["run"]]
        assert "ack" in types and "publication" in types and types.count("attendance") == 6
        presence = _download(phone, "#dl-presence")
        assert Verifier(None, offline=True).verify_bytes(presence, "p.json").verdict == "VALID"
        # an instant before his enrollment: said in his language, next to the button
        phone.page.fill("#presence-at", "2000-01-01T12:00")
        phone.page.click("#dl-presence")
        phone.page.wait_for_selector("#downloads .msg.bad")
        assert "还没有在本项目登记进场" in phone.page.inner_text("#downloads")

        # English, and the page fits a phone: nothing wider than the screen
        phone.page.click("button[data-lang=en]")
        assert phone.page.inner_text("h1") == "My attendance and pay"
        assert "you objected" in phone.page.inner_text("#publications")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        wide = phone.page.evaluate("""[...document.querySelectorAll('main *')]
            .filter((e) => e.getBoundingClientRect().right > innerWidth).map((e) => e.outerHTML.slice(0, 80))""")
        assert width <= PHONE["width"], wide
        phone.page.screenshot(path=str(artefacts / "worker-page.en.png"), full_page=True)
        phone.page.click("button[data-lang=zh]")

        # the spent link opened again on the linked phone: the page offers the key it holds
        phone.page.goto("about:blank")
        phone.page.goto(made["link"])
        phone.state("enroll")
        phone.page.click("#use-key")
        phone.state("month")
        assert phone.errors == [] and phone.blocked == []
    finally:
        phone.close()


def _download(phone: Phone, button: str, wait: float = 60) -> bytes:
    deadline = time.monotonic() + wait
    while True:
        try:
            with phone.page.expect_download(timeout=3000) as got:
                phone.page.click(button)
            return Path(got.value.path()).read_bytes()
        except sync_api.TimeoutError:
            if time.monotonic() > deadline:
                raise
            assert "尚未上链锚定" in phone.page.inner_text("main")  # 409: not anchored yet
            time.sleep(2)


def test_bad_links_on_the_page(live: Site, browser: Any) -> None:
    phone = Phone(browser, live.base)
    try:
        phone.enroll(live.base + "/w/#code=slw_" + "a" * 24)
        phone.state("enroll")
        phone.page.wait_for_selector("main .msg.bad")
        assert "没有这个绑定码" in phone.page.inner_text("main")
        assert "null" not in phone.page.inner_text("main")  # no stray text from empty parts
        assert phone.page.query_selector("#enroll") is None  # a link that can never work

        made = live.code(live.other)
        phone.enroll(made["link"])
        phone.state("pending")
        second = Phone(browser, live.base)
        try:
            second.enroll(made["link"])  # the same link on another phone: spent
            second.page.wait_for_selector("main .msg.bad")
            assert "已经使用过" in second.page.inner_text("main")
            assert second.page.query_selector("#enroll") is None
        finally:
            second.close()
        # the first phone's request is the one waiting; the contractor rejects it
        pending = live.call("GET", f"/v1/link-requests?subject={live.other}&state=pending")
        (req,) = pending["requests"]
        live.call("POST", f"/v1/link-requests/{req['link_id']}/reject")
        phone.state("rejected", timeout=20_000)
        assert "未获批准" in phone.page.inner_text("main")
    finally:
        phone.close()


def test_an_expired_link(live: Site, browser: Any) -> None:
    made = live.code(live.other, ttl_minutes=5)
    # the code's expiry passes: move it into the past in the database, as the clock would
    from sqlalchemy import update

    from ledger import db

    engine = make_engine(f"sqlite:///{live.home / 'ledger.sqlite'}")
    try:
        with engine.begin() as conn:
            conn.execute(update(db.worker_links).where(db.worker_links.c.link_id == made["link_id"])
                         .values(expires_at=db.to_us(utc_now() - timedelta(seconds=1))))  # fmt: skip
    finally:
        engine.dispose()
    phone = Phone(browser, live.base)
    try:
        phone.enroll(made["link"])
        phone.page.wait_for_selector("main .msg.bad")
        assert "链接已过期" in phone.page.inner_text("main")
    finally:
        phone.close()


def test_without_webcrypto_ed25519_the_vendored_library_signs(live: Site, browser: Any) -> None:
    """A browser without WebCrypto Ed25519 (older Safari, Firefox before 129): the page falls
    back to @noble/curves, and its signatures open sessions and are accepted by the ledger."""
    no_ed25519 = """
      const gen = crypto.subtle.generateKey.bind(crypto.subtle);
      crypto.subtle.generateKey = (alg, ...rest) =>
        (alg && (alg === 'Ed25519' || alg.name === 'Ed25519'))
          ? Promise.reject(new DOMException('not supported', 'NotSupportedError')) : gen(alg, ...rest);
    """
    made = live.code(live.other)
    phone = Phone(browser, live.base, init=no_ed25519)
    try:
        phone.enroll(made["link"])
        phone.state("pending")
        assert phone.page.evaluate("siteledgerWorker.key.kind") == "noble"
        live.approve_pending()
        phone.state("month")
        # the other worker has no punches: an empty month, no one else's records
        assert live.worker not in phone.page.inner_text("main")
    finally:
        phone.close()
    # the month opened: the server accepted the noble key's signature over the challenge


def test_a_worker_session_cannot_read_another_worker(live: Site) -> None:
    """The page's token is a worker principal's: the API refuses the other worker's records."""
    key = SigningKey.generate()
    from api.worker_links import SESSION_TAG, session_message

    made = live.code(live.worker)
    req = urllib.request.Request(live.base + "/v1/link-codes/redeem", method="POST",
                                 data=json.dumps({"code": made["code"], "public_key":
                                                  key.verify_key.public.hex()}).encode(),
                                 headers={"Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 202
    live.approve_pending()

    def post(path: str, body: Any) -> Any:
        r = urllib.request.Request(live.base + path, method="POST", data=json.dumps(body).encode(),
                                   headers={"Content-Type": "application/json"})  # fmt: skip
        with urllib.request.urlopen(r, timeout=10) as resp:
            return json.loads(resp.read())

    c = post("/v1/worker-sessions/challenge", {"key_id": key.key_id})["challenge"]
    sig = key.sign(SESSION_TAG, session_message(key.key_id, c)).hex()
    token = post("/v1/worker-sessions", {"key_id": key.key_id, "challenge": c, "sig": sig})["token"]
    assert live.call("GET", f"/v1/workers/{live.worker}/records", token=token)["entries"]
    with pytest.raises(urllib.error.HTTPError) as err:
        live.call("GET", f"/v1/workers/{live.other}/records", token=token)
    assert err.value.code == 403
    assert json.loads(err.value.read())["code"] == "forbidden"
