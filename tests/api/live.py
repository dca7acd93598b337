"""Real servers for tests: a data directory made the way `siteledger init` makes one, `siteledger
serve` in a subprocess on 127.0.0.1 and a free port (stopped by its PID), and a raw-socket HTTP
client that sends exactly the bytes it is given (chunked bodies, oversize request lines).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from ledger.config import write_secret
from ledger.core.keys import SigningKey
from ledger.core.times import utc_now
from ledger.db import make_engine
from ledger.migrate import upgrade
from ledger.sample import SampleSite
from ledger.store import Store
from ledger.vault import Keyring, Vault

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(home: Path, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([sys.executable, "-m", "api.cli", "--home", str(home), *args],
                         cwd=ROOT, capture_output=True, text=True, timeout=timeout)  # fmt: skip
    if check:
        assert out.returncode == 0, out.stderr
    return out


def make_home(home: Path, workdir: Path) -> dict[str, str]:
    """A data directory like `siteledger init --chain embedded` makes, with a sample project,
    one enrolled worker, principals of four roles (their tokens in the returned environment) and
    the files punch.json, punches.json and punch-edited.json in ``workdir``."""
    operator = SigningKey.generate()
    keyring = Keyring.generate()
    url = f"sqlite:///{home / 'ledger.sqlite'}"
    home.mkdir()
    (home / "config.toml").write_text(f'[database]\nurl = "{url}"\n[chain]\nbackend = "embedded"\n')
    write_secret(home / "keys" / "operator.key", operator.seed.hex())
    write_secret(home / "keys" / "vault.json", json.dumps(keyring.to_json()))
    upgrade(url)
    engine = make_engine(url)
    try:
        store = Store(engine, operator)
        now = utc_now()
        assert store.genesis(operator, valid_from=now - timedelta(days=90)).ok
        site = SampleSite(operator, start=(now - timedelta(days=30)).date())
        setup_at = now - timedelta(days=60)
        assert all(r.ok for r in store.append(site.setup(setup_at)))
        got = Vault(engine, keyring).enroll(site.project, site.identity(7), now)
        day: date = (now - timedelta(days=20)).date()
        assert store.append([site.enroll(got.subject, site.subs[0], "T-REBAR", day,
                                         commitment=got.commitment)])[0].ok  # fmt: skip
        at = datetime(day.year, day.month, day.day, 7, 30, tzinfo=site.tz) + timedelta(days=1)
        punches = [site.punch("GATE-01", got.subject, at + timedelta(hours=h), d, n)
                   for n, (h, d) in enumerate([(0, "in"), (10, "out"), (24, "in")], start=1)]  # fmt: skip
        edited = site.punch("GATE-01", got.subject, at, "out", 1)  # same id as punches[0]
    finally:
        engine.dispose()
    (workdir / "punch.json").write_text(json.dumps(punches[0].to_json()))
    (workdir / "punches.json").write_text(json.dumps([p.to_json() for p in punches]))
    (workdir / "punch-edited.json").write_text(json.dumps(edited.to_json()))
    env = {"PROJECT": site.project, "WORKER": got.subject}
    for role, extra in [("admin", []), ("device", ["--project", site.project]),
                        ("auditor", []), ("insurer", ["--project", site.project])]:  # fmt: skip
        made = json.loads(cli(home, "principal", "create", f"docs {role}", "--role", role,
                              *extra, "--json").stdout)  # fmt: skip
        env[f"{role.upper()}_TOKEN"] = made["token"]
    return env


@dataclass
class Server:
    base: str
    port: int
    proc: subprocess.Popen[bytes]
    log: Path


@contextmanager
def serve(home: Path, *args: str, log: Path, wait: float = 60,
          port: int | None = None) -> Iterator[Server]:  # fmt: skip
    """`siteledger serve` on ``port`` (default: a free one) until the block ends; stopped by PID
    (SIGTERM, then SIGKILL of the process group it leads)."""
    port = port or free_port()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "--home", str(home), "serve", "--host",
             "127.0.0.1", "--port", str(port), *args],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "SITELEDGER_HOME": str(home)},
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log.read_text()) from None
                time.sleep(0.1)
        yield Server(base, port, proc, log)
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process by its PID; after 10 s, SIGKILL to the process group it leads
    (gunicorn's workers included)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


def raw_request(port: int, head: bytes, body: bytes | list[bytes] = b"",
                timeout: float = 30) -> Reply:  # fmt: skip
    """Send ``head`` (request line and headers, ending in an empty line) then ``body`` (a list:
    each item sent as one HTTP/1.1 chunk, then the last chunk) over a fresh connection, and read
    the response to its end. Sending runs in its own thread, so a server that answers before
    reading everything is heard, as a client that reads while it sends would hear it."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    payload = body if isinstance(body, bytes) else b"".join(
        b"%x\r\n%s\r\n" % (len(c), c) for c in body if c) + b"0\r\n\r\n"

    def send() -> None:
        with contextlib.suppress(OSError):  # the server answered early and closed: its answer counts
            sock.sendall(head + payload)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    data = b""
    try:
        while True:
            part = sock.recv(65536)
            if not part:
                break
            data += part
            if _complete(data):
                break
    except ConnectionResetError:
        if not data:
            raise
    finally:
        sock.close()
        sender.join(timeout=timeout)
    head_end = data.index(b"\r\n\r\n")
    lines = data[:head_end].decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (ln.split(":", 1) for ln in lines[1:])}
    return Reply(status, headers, _dechunk(data[head_end + 4 :], headers))


def _complete(data: bytes) -> bool:
    if b"\r\n\r\n" not in data:
        return False
    head, rest = data.split(b"\r\n\r\n", 1)
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            return len(rest) >= int(value)
    return rest.endswith(b"0\r\n\r\n")


def _dechunk(body: bytes, headers: dict[str, str]) -> bytes:
    if headers.get("transfer-encoding", "").lower() != "chunked":
        return body
    out, rest = b"", body
    while rest:
        size_line, rest = rest.split(b"\r\n", 1)
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out
