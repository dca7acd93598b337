"""Headless Chromium for the verifier page (``verifier/web/``), and a JSON-RPC node that replays
the recorded chain of the tamper corpus, for ``test_web.py`` and ``bench/web.py``.

The browser is Debian's ``chromium`` package (``scripts/setup.sh`` installs it), driven by
Playwright from PyPI with ``executable_path``: Playwright never downloads a browser here. The page
is opened from ``file://`` with every request that is not a file of the page aborted, unless a
test allows its own 127.0.0.1 node.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "verifier" / "web" / "index.html"
# the v1 registry: the corpus in tests/vectors/bundles was anchored on it
ARTIFACT = REPO / "contracts" / "build" / "AnchorRegistryV1.json"


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium (Playwright Browser); closed, with its processes, on exit."""
    from playwright.sync_api import sync_playwright

    exe = chromium_path()
    if exe is None:
        raise RuntimeError("chromium is not installed (scripts/setup.sh installs it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield b
        finally:
            b.close()


class OfflinePage:
    """The page from file:// with the network cut: requests other than the page's own files
    (and ``allow`` URL prefixes) are aborted and remembered in ``blocked``."""

    def __init__(self, b: Any, allow: tuple[str, ...] = (), query: str = "", init: str = "") -> None:
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = b.new_context()
        self.page = self.context.new_page()
        if init:
            self.page.add_init_script(init)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page_dir = PAGE.parent.as_uri()

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith(page_dir) or any(url.startswith(a) for a in allow):
                r.continue_()
            else:
                self.blocked.append(url)
                r.abort()

        self.page.route("**/*", route)
        self.page.goto(PAGE.as_uri() + query)
        self.page.wait_for_selector("body[data-state=ready]")

    def verify(self, text: str, **options: Any) -> dict[str, Any]:
        report: dict[str, Any] = self.page.evaluate(
            "([t, o]) => siteledgerVerify(t, o)", [text, options]
        )
        return report

    def close(self) -> None:
        self.context.close()


# ---------------------------------------------------------------------------- recorded chain


def _hex(n: int) -> str:
    return hex(n)


def _word(n: int | bytes) -> str:
    return (n.hex() if isinstance(n, bytes) else f"{n:064x}").rjust(64, "0")


class RecordedNode:
    """An Ethereum JSON-RPC endpoint answering from ``tests/vectors/bundles/chain.json``: the
    answers the corpus's embedded chain gave (``tests/verifier/recorded.py``), in the wire form
    a node gives them. Serves the page's CORS preflight. ``url`` once started."""

    def __init__(self, chain: dict[str, Any]) -> None:
        self.chain = chain
        self.code = json.loads(ARTIFACT.read_text())["deployedBytecode"]
        confs = chain["confirmations"]
        self.blocks: dict[int, dict[str, Any]] = {}
        for h, c in confs.items():
            self.blocks[c["block_number"]] = {"hash": h, "number": _hex(c["block_number"])}
        self.head = max(c["block_number"] + c["confirmations"] - 1 for c in confs.values())
        for ev in chain["events"].values():
            t = int(datetime.fromisoformat(ev["block_time"].replace("Z", "+00:00")).timestamp())
            self.blocks.setdefault(ev["block_number"], {"hash": ev["block_hash"],
                                                        "number": _hex(ev["block_number"])})  # fmt: skip
            self.blocks[ev["block_number"]]["timestamp"] = _hex(t)
        self.calls: list[str] = []
        self.server: ThreadingHTTPServer | None = None

    def answer(self, method: str, params: list[Any]) -> Any:
        c = self.chain
        contract = c["contract"]
        if method == "eth_chainId":
            return _hex(c["chain_id"])
        if method == "eth_blockNumber":
            return _hex(self.head)
        if method == "eth_getCode":
            return self.code if params[0].lower() == contract else "0x"
        if method == "eth_call":
            to, data = params[0]["to"].lower(), params[0]["data"]
            if to != contract:
                return "0x"
            if data == "0x06f13056":  # batchCount()
                return "0x" + _word(len(c["batches"]))
            if data.startswith("0x857553cc"):  # batch(uint64)
                no = int(data[10:], 16)
                b = c["batches"].get(str(no))
                if b is None:
                    raise ValueError("execution reverted")
                at = int(datetime.fromisoformat(b["anchored_at"].replace("Z", "+00:00")).timestamp())
                return "0x" + "".join((_word(bytes.fromhex(b["root"])), _word(b["first_seq"]),
                                       _word(b["size"]), _word(at), _word(b["block_number"])))  # fmt: skip
            raise ValueError("execution reverted")
        if method == "eth_getTransactionReceipt":
            ev = c["events"].get(params[0].lower())
            if ev is None:
                return None
            return {
                "status": "0x1", "blockHash": ev["block_hash"], "blockNumber": _hex(ev["block_number"]),
                "transactionHash": params[0].lower(),
                "logs": [{
                    "address": ev["contract"].lower(),
                    "topics": ["0x2252f014db3bd07efac08cfb769b1d0bd7af788507cf99451bf101569f003bfd",
                               "0x" + _word(ev["batch_no"])],
                    "data": "0x" + _word(ev["first_seq"]) + _word(ev["size"]) +
                            _word(bytes.fromhex(ev["root"])),
                }],
            }  # fmt: skip
        if method == "eth_getBlockByNumber":
            return self.blocks.get(int(params[0], 16))
        raise ValueError(f"method {method} not supported")

    def __enter__(self) -> RecordedNode:
        node = self

        class Handler(BaseHTTPRequestHandler):
            def _cors(self) -> None:
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Headers", "content-type")
                self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")

            def do_OPTIONS(self) -> None:  # noqa: N802
                self.send_response(204)
                self._cors()
                self.end_headers()

            def do_POST(self) -> None:  # noqa: N802
                req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                node.calls.append(req["method"])
                try:
                    body = {"jsonrpc": "2.0", "id": req["id"],
                            "result": node.answer(req["method"], req["params"])}  # fmt: skip
                except ValueError as exc:
                    body = {"jsonrpc": "2.0", "id": req["id"],
                            "error": {"code": -32000, "message": str(exc)}}  # fmt: skip
                data = json.dumps(body).encode()
                self.send_response(200)
                self._cors()
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()
