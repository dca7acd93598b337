"""The witness service: follows the operator, signs each batch that passes, and serves its
cosignatures over HTTP for the operator to collect (``docs/witnesses.md``, "The service").

    GET /v1/witness               {"public_key", "pop"}
    GET /v1/cosignatures/{n}      {"batch_no", "public_key", "signature", "message"} (hex); 404
                                  (problem+json) while batch n is not signed
    GET /v1/status                {"next_batch_no", "last_signed", "refusal"}

Cosignatures are written to ``<data dir>/cosignatures/<n>.json`` (write, fsync, rename) after
the sign log holds the decision. After a restart the follower replays the log from batch 0: the
batches it signed before are signed again with the same message (BLS signatures are
deterministic, so the same bytes), and the sign log refuses any other message for them.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from witness.client import OperatorClient, follow_once
from witness.core import Cosignature, Witness
from witness.errors import BatchRefused, WitnessError

log = logging.getLogger("siteledger.witness")
_COSIG = re.compile(r"^/v1/cosignatures/(\d{1,19})$")


class Service:
    def __init__(self, witness: Witness, client: OperatorClient, data_dir: Path) -> None:
        self.witness = witness
        self.client = client
        self.dir = data_dir / "cosignatures"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.refusal: dict[str, Any] | None = None

    def _save(self, c: Cosignature) -> None:
        path = self.dir / f"{c.batch_no}.json"
        tmp = path.with_suffix(".tmp")
        body = json.dumps(cosignature_json(c)).encode()
        with open(tmp, "wb") as f:
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)

    def step(self) -> int:
        """Sign every newly sealed batch; returns how many were signed."""
        try:
            signed = follow_once(self.witness, self.client)
        except BatchRefused as exc:
            n = self.witness.follower.state.next_batch_no
            if self.refusal is None or self.refusal["batch_no"] != n:
                log.warning("refused batch %d: %s", n, exc)
            self.refusal = {"batch_no": n, "check": exc.check, "seq": exc.seq, "reason": exc.reason}
            return 0
        except WitnessError as exc:
            log.warning("operator unreachable or malformed: %s", exc)
            return 0
        for c in signed:
            self._save(c)
            log.info("signed batch %d", c.batch_no)
        if signed:
            self.refusal = None
        return len(signed)

    def cosignature(self, batch_no: int) -> dict[str, Any] | None:
        path = self.dir / f"{batch_no}.json"
        try:
            return dict(json.loads(path.read_bytes()))
        except FileNotFoundError:
            return None

    def run(self, stop: threading.Event, interval: float) -> None:
        while not stop.is_set():
            self.step()
            stop.wait(interval)

    def http_server(self, host: str, port: int) -> ThreadingHTTPServer:
        service = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "siteledger-witness"
            sys_version = ""

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                log.debug("%s " + format, self.address_string(), *args)

            def _send(self, code: int, body: dict[str, Any], ctype: str) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _problem(self, code: int, title: str, detail: str) -> None:
                body = {"type": "about:blank", "title": title, "status": code, "detail": detail}
                self._send(code, body, "application/problem+json")

            def do_GET(self) -> None:  # noqa: N802
                w = service.witness
                if self.path == "/v1/witness":
                    pk = w.key.public_key.hex()
                    self._send(
                        200, {"public_key": pk, "pop": w.key.pop().hex()}, "application/json"
                    )
                    return
                if self.path == "/v1/status":
                    body = {"next_batch_no": w.follower.state.next_batch_no,
                            "last_signed": w.log.last, "refusal": service.refusal}  # fmt: skip
                    self._send(200, body, "application/json")
                    return
                m = _COSIG.match(self.path)
                if m is None:
                    self._problem(404, "Not Found", f"no resource {self.path[:100]!r}")
                    return
                found = service.cosignature(int(m.group(1)))
                if found is None:
                    self._problem(404, "Not Found", f"batch {m.group(1)} is not signed")
                else:
                    self._send(200, found, "application/json")

        return ThreadingHTTPServer((host, port), Handler)


def cosignature_json(c: Cosignature) -> dict[str, Any]:
    return {
        "batch_no": c.batch_no,
        "public_key": c.public_key.hex(),
        "signature": c.signature.hex(),
        "message": c.message.hex(),
    }
