"""HTTP API benchmark: the real server in one process, this load generator in another, 127.0.0.1.

Measures, against `siteledger serve --no-seal` on SQLite or PostgreSQL (signatures verified, every
bulk committed durably before it is answered: SQLite synchronous=FULL, PostgreSQL's default
synchronous_commit=on), with the development server or gunicorn ``--workers N``:

* bulk ingest: records/s through ``POST /v1/records`` in bulks of 1,000, with 1 and 2 client
  connections;
* single-record ``POST /v1/records`` at a fixed arrival rate (default 200 requests/s, open loop:
  latency is counted from each request's scheduled time, so a stalled server is not hidden);
* ``GET /v1/records/{seq}/proof`` with many records stored (default 1,000,000): the 202 answer of a
  sealed entry (receipt, batch, inclusion path) and the 200 answer of an anchored one (the full
  proof bundle). The stored records are loaded through ``Store.append`` directly, not over HTTP,
  to keep the run short; anchoring is simulated by marking the batches anchored.

    .venv/bin/python bench/api.py [--records 100000] [--rate 200] [--seconds 15]
                                  [--stored 1000000] [--server dev|gunicorn] [--workers N]
                                  [--database sqlite|URL] [--clients 1,2] [--json]

``--database URL`` (PostgreSQL) empties that database's public schema first: give it one of its
own. The stored records for the proof GETs are appended by a bulk loader of several processes
calling ``Store.append`` (every rule checked, as over HTTP), ``--loaders`` of them.

``--reuse`` (with ``--database URL --only proof``) measures the proof GETs on a database that
``bench/load.py`` filled (100,000 workers, 4 projects, 16 gates): nothing is emptied; records are
added with that loader (COPY, real sealer) only while the log holds fewer than ``--stored``. The
202 GETs need sealed batches: the batches are set back to sealed (anchor columns cleared), then
marked anchored again for the 200 GETs, as ``bench/load.py``'s ``mark_anchored`` does. It also
measures the bundle's CPU time and statements in this process, and the server's and the
database's CPU time per GET (the figures to read on a shared machine):

    .venv/bin/python bench/api.py --only proof --reuse --stored 10000000 \
        --database postgresql+psycopg://postgres@127.0.0.1:5432/bench_bulk10m
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import update  # noqa: E402

from bench import load as bulk_load  # noqa: E402
from ledger import batcher, db  # noqa: E402
from ledger.config import write_secret  # noqa: E402
from ledger.core.canonical import canonical_bytes  # noqa: E402
from ledger.core.keys import SigningKey  # noqa: E402
from ledger.db import make_engine  # noqa: E402
from ledger.migrate import upgrade  # noqa: E402
from ledger.principals import Principals  # noqa: E402
from ledger.sample import SampleSite  # noqa: E402
from ledger.store import Store  # noqa: E402
from ledger.vault import Keyring  # noqa: E402

ROOT = SigningKey(bytes(range(32)))
WORKERS = 2_000
BULK = 1_000
T0 = datetime(2025, 1, 1, 6, 0, tzinfo=UTC)


class Connection(http.client.HTTPConnection):
    """HTTP/1.1 with TCP_NODELAY, as curl and real clients do: http.client sends the headers and
    the body of a POST in two writes, and Nagle's algorithm would hold the second one back."""

    def connect(self) -> None:
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _conn(port: int, timeout: float = 60) -> Connection:
    return Connection("127.0.0.1", port, timeout=timeout)


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def _home(home: Path, url: str) -> None:
    """The server's data directory: configuration, operator key, vault keys."""
    (home / "config.toml").write_text(
        f'[database]\nurl = "{url}"\n[chain]\nbackend = "embedded"\n'
        "[ingest]\nrate_limit_per_minute = 100000000\n"
    )
    write_secret(home / "keys" / "operator.key", ROOT.seed.hex())
    write_secret(home / "keys" / "vault.json", json.dumps(Keyring.generate().to_json()))


def _token(engine: Any) -> str:
    now = datetime.now(UTC)
    p = Principals(engine).create(f"bench-{os.getpid()}-{time.time_ns()}", "admin", now)
    return Principals(engine).issue_token(p.principal_id, now)[1]


class Loaded:
    """A database filled by ``bench/load.py`` (``--reuse``), topped up to ``stored`` entries."""

    def __init__(self, home: Path, url: str, stored: int) -> None:
        self.home, self.url = home, url
        _home(home, url)
        t = time.perf_counter()
        self.engine = make_engine(url)
        self.store = Store(self.engine, ROOT)
        if self.store.head() < stored:
            bulk_load.load(url, stored, bulk_load.Shape())
        self.preload_seconds = time.perf_counter() - t
        self.token = _token(self.engine)


class Ledger:
    """A data directory with a project, its keys and WORKERS enrolled workers."""

    def __init__(self, home: Path, url: str | None = None) -> None:
        self.home = home
        self.url = url or f"sqlite:///{home / 'ledger.sqlite'}"
        if self.url.startswith("postgresql"):
            bulk_load.empty_database(self.url)
        _home(home, self.url)
        upgrade(self.url)
        self.engine = make_engine(self.url)
        self.store = Store(self.engine, ROOT)
        self.store.genesis(ROOT, valid_from=T0 - timedelta(days=2))
        self.site = SampleSite(ROOT, seed=5, start=T0.date())
        assert all(r.ok for r in self.store.append(self.site.setup(T0 - timedelta(days=1))))
        enroll = [self.site.enroll(f"w-{i:05d}", self.site.subs[0], "T-REBAR", T0.date())
                  for i in range(WORKERS)]  # fmt: skip
        for k in range(0, len(enroll), BULK):
            results = self.store.append(enroll[k : k + BULK])
            assert all(r.ok for r in results), next(r for r in results if not r.ok)
        self.token = _token(self.engine)
        self.next_no = {"GATE-01": 0, "GATE-02": 0}

    def punches(self, n: int, device: str = "GATE-01") -> Iterator[dict[str, Any]]:
        """``n`` new attendance records, in the past, spread over the workers."""
        start = self.next_no[device]
        self.next_no[device] += n
        for i in range(start, start + n):
            yield _punch(self.site, device, i)


class Server:
    def __init__(self, home: Path, kind: str, workers: int = 1, threads: int = 8) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        args = [sys.executable, "-m", "api.cli", "--home", str(home), "serve", "--no-seal",
                "--port", str(self.port)]  # fmt: skip
        if kind == "gunicorn":
            args += ["--workers", str(workers), "--threads", str(threads)]
        self.log = (home / "server.log").open("w")
        self.proc = subprocess.Popen(args, cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise SystemExit((home / "server.log").read_text()) from None
                time.sleep(0.1)

    def request(self, method: str, path: str, body: bytes | None = None,
                token: str | None = None, conn: Any = None) -> tuple[int, bytes]:  # fmt: skip
        c = conn or _conn(self.port)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        c.request(method, path, body=body, headers=headers)
        resp = c.getresponse()
        data = resp.read()
        if conn is None:
            c.close()
        return resp.status, data

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a live process has used so far; 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return out


def _pg_backends(url: str) -> list[int]:
    """PIDs of the local PostgreSQL backends serving ``url``'s database."""
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if cmd.startswith("postgres: ") and f" {name} " in cmd:
                pids.append(int(d.name))
    return pids


class CpuMeter:
    """CPU seconds used by the server's processes, the database's backends (PostgreSQL on this
    host) and this load generator between ``start`` and ``stop``: what the machine must provide
    per record whatever else runs on it (the wall-clock rate depends on the machine's load).

    The processes are sampled every 0.2 s while the meter runs, so that a backend that exits
    before ``stop`` (a pool's overflow connection, closed when it is returned) still counts
    with its last sample."""

    def __init__(self, server: Server, url: str) -> None:
        self.server, self.url = server, url
        self._stopping = threading.Event()

    def _sample(self) -> tuple[dict[int, float], dict[int, float]]:
        srv = {p: _cpu(p) for p in _tree(self.server.proc.pid)}
        pg = {p: _cpu(p) for p in _pg_backends(self.url)} if self.url.startswith("postgresql") else {}
        return srv, pg

    def _keep(self) -> None:
        srv, pg = self._sample()
        for seen, now in ((self._srv, srv), (self._pg, pg)):
            seen.update({p: v for p, v in now.items() if v > 0.0})  # a gone process reads 0

    def _run(self) -> None:
        while not self._stopping.wait(0.2):
            self._keep()

    def start(self) -> None:
        self._srv0, self._pg0 = self._sample()
        self._srv, self._pg = dict(self._srv0), dict(self._pg0)
        self._me0 = time.process_time()
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> dict[str, float]:
        self._stopping.set()
        self._thread.join()
        self._keep()
        return {"server_cpu_s": sum(v - self._srv0.get(p, 0.0) for p, v in self._srv.items()),
                "database_cpu_s": sum(v - self._pg0.get(p, 0.0) for p, v in self._pg.items()),
                "client_cpu_s": time.process_time() - self._me0}  # fmt: skip


def bulk_ingest(ledger: Ledger, server: Server, n: int, clients: int) -> dict[str, float]:
    bodies = [canonical_bytes(list(ledger.punches(BULK))) for _ in range(n // BULK)]
    per_client = [bodies[i::clients] for i in range(clients)]

    def run(mine: list[bytes]) -> None:
        conn = _conn(server.port, 120)
        for body in mine:
            status, data = server.request("POST", "/v1/records", body, ledger.token, conn)
            if status != 201:
                raise SystemExit(f"bulk POST answered {status}: {data[:300]!r}")
        conn.close()

    meter = CpuMeter(server, ledger.url)
    meter.start()
    t = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(run, per_client))
    elapsed = time.perf_counter() - t
    cpu = meter.stop()
    total = len(bodies) * BULK
    per_cpu = total / max(1e-9, cpu["server_cpu_s"] + cpu["database_cpu_s"])
    return {"records": total, "clients": clients, "seconds": elapsed, "per_s": total / elapsed,
            **cpu, "per_server_cpu_s": per_cpu, "load": os.getloadavg()[0]}  # fmt: skip


def _quiet_client_gc() -> None:
    """In the load generator's process, before its clock starts: no garbage collection while it
    sends. Its bodies, tasks and latencies are many live objects: a full collection of them
    stopped the client for 39 ms in a 15-second run at 500/s (timed with ``gc.callbacks``), and
    every request in flight was counted that much later (the server's figures are the subject
    here, not the client's pauses). The process ends after one run."""
    import gc

    gc.collect()
    gc.freeze()
    gc.disable()


def _single_threads(port: int, token: str, bodies: list[bytes], rate: float,
                    start_in: float) -> dict[str, Any]:
    """The old load: 32 threads, a new http.client connection per request (``--single-client
    threads``). Runs in its own process, as the keep-alive client does."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    _quiet_client_gc()
    cpu0 = time.process_time()
    start = time.perf_counter() + start_in

    def one(i: int) -> None:
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        conn = _conn(port)
        conn.request("POST", "/v1/records", body=bodies[i],
                     headers={"Content-Type": "application/json",
                              "Authorization": f"Bearer {token}"})  # fmt: skip
        resp = conn.getresponse()
        resp.read()
        conn.close()
        took = (time.perf_counter() - due) * 1000
        with lock:
            latencies.append(took)
            if resp.status != 201:
                errors.append(resp.status)

    with ThreadPoolExecutor(32) as pool:
        list(pool.map(one, range(len(bodies))))
    return {"latencies": latencies, "errors": errors, "elapsed": time.perf_counter() - start,
            "client_cpu_s": time.process_time() - cpu0}  # fmt: skip


def _single_keepalive(port: int, token: str, bodies: list[bytes], rate: float, start_in: float,
                      connections: int) -> dict[str, Any]:
    """The gateway-like load: ``connections`` persistent HTTP/1.1 connections (keep-alive), raw
    requests over asyncio in one process, requests sent at their scheduled times (open loop:
    a request that finds every connection busy waits for one, and that wait is in its latency).
    """
    import asyncio

    async def run() -> dict[str, Any]:
        latencies: list[float] = []
        errors: list[int] = []
        reconnects = 0
        head = (f"POST /v1/records HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                "Content-Length: ").encode()  # fmt: skip

        async def connect() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
            r, w = await asyncio.open_connection("127.0.0.1", port)
            w.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return r, w

        async def exchange(conn: list[Any], body: bytes) -> int:
            reader, writer = conn
            writer.write(head + str(len(body)).encode() + b"\r\n\r\n" + body)
            lines = (await reader.readuntil(b"\r\n\r\n")).split(b"\r\n")
            status = int(lines[0].split()[1])
            length, close = 0, False
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            await reader.readexactly(length)
            if close:
                writer.close()
                conn[:] = await connect()
            return status

        pool: asyncio.Queue[list[Any]] = asyncio.Queue()
        for _ in range(connections):
            pool.put_nowait(list(await connect()))
        loop = asyncio.get_running_loop()
        start = loop.time() + start_in

        async def one(i: int, due: float) -> None:
            nonlocal reconnects
            conn = await pool.get()
            try:
                try:
                    status = await exchange(conn, bodies[i])
                except (ConnectionError, asyncio.IncompleteReadError):
                    # the server closed an idle connection first: send again on a new one (a
                    # record is idempotent; a resent one that had been stored answers 200)
                    reconnects += 1
                    conn[:] = await connect()
                    status = await exchange(conn, bodies[i])
            finally:
                pool.put_nowait(conn)
            latencies.append((loop.time() - due) * 1000)
            if status != 201:
                errors.append(status)

        _quiet_client_gc()
        cpu0 = time.process_time()
        tasks = []
        for i in range(len(bodies)):
            due = start + i / rate
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i, due)))
        await asyncio.gather(*tasks)
        elapsed = loop.time() - start
        cpu = time.process_time() - cpu0
        while not pool.empty():
            pool.get_nowait()[1].close()
        return {"latencies": latencies, "errors": errors, "elapsed": elapsed,
                "client_cpu_s": cpu, "reconnects": reconnects}  # fmt: skip

    return asyncio.run(run())


def single_posts(ledger: Ledger, server: Server, rate: float, seconds: float, client: str,
                 connections: int) -> dict[str, Any]:  # fmt: skip
    """Single-record POSTs at ``rate`` a second for ``seconds``, from a client in its own process
    (``client``: ``keepalive``, ``connections`` persistent connections; or ``threads``, a new
    connection per request); latency from each request's scheduled time."""
    import multiprocessing

    count = int(rate * seconds)
    bodies = [canonical_bytes(r) for r in ledger.punches(count, "GATE-02")]
    meter = CpuMeter(server, ledger.url)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        pool.apply(time.sleep, (0,))  # the client process is up before the clock starts
        meter.start()
        if client == "threads":
            job = pool.apply_async(_single_threads, (server.port, ledger.token, bodies, rate, 0.5))
        else:
            job = pool.apply_async(_single_keepalive, (server.port, ledger.token, bodies, rate,
                                                       0.5, connections))  # fmt: skip
        out = job.get()
        cpu = meter.stop()
    latencies = out["latencies"]
    return {"requests": count, "rate": rate, "client": client,
            "connections": connections if client == "keepalive" else count,
            "achieved_rate": count / out["elapsed"],
            "p50_ms": statistics.median(latencies), "p99_ms": _pct(latencies, 0.99),
            "max_ms": max(latencies), "errors": len(out["errors"]),
            "error_statuses": sorted(set(out["errors"])), "reconnects": out.get("reconnects", 0),
            "server_cpu_ms": 1e3 * cpu["server_cpu_s"] / count,
            "database_cpu_ms": 1e3 * cpu["database_cpu_s"] / count,
            "client_cpu_ms": 1e3 * out["client_cpu_s"] / count,
            "load": os.getloadavg()[0]}  # fmt: skip


def _load_range(url: str, start: int, end: int) -> int:
    """In a loader process: append GATE-01 punches number ``start`` .. ``end - 1``."""
    engine = make_engine(url)
    store = Store(engine, ROOT)
    site = SampleSite(ROOT, seed=5, start=T0.date())
    site.setup(T0 - timedelta(days=1))  # the same keys as the ledger's (seeded)
    done = 0
    for k in range(start, end, BULK):
        chunk = [_punch(site, "GATE-01", i) for i in range(k, min(end, k + BULK))]
        results = store.append(chunk)
        assert all(r.ok for r in results), next(r for r in results if not r.ok)
        done += len(chunk)
    engine.dispose()
    return done


def _punch(site: SampleSite, device: str, i: int) -> dict[str, Any]:
    at = T0 + timedelta(days=1, seconds=i // WORKERS * 60)
    return site.punch(device, f"w-{i % WORKERS:05d}", at,
                      "in" if (i // WORKERS) % 2 == 0 else "out", i).to_json()  # fmt: skip


def preload(ledger: Ledger, stored: int, loaders: int) -> float:
    """Append records until ``stored`` entries are in the log, with ``loaders`` processes each
    calling ``Store.append`` in bulks of 1,000 (every rule checked); returns seconds."""
    import multiprocessing

    t = time.perf_counter()
    need = stored - ledger.store.head()
    if need <= 0:
        return 0.0
    first = ledger.next_no["GATE-01"]
    ledger.next_no["GATE-01"] += need
    step = -(-need // loaders)
    ranges = [(ledger.url, first + k, min(first + need, first + k + step))
              for k in range(0, need, step)]  # fmt: skip
    with multiprocessing.get_context("spawn").Pool(loaders) as pool:
        assert sum(pool.starmap(_load_range, ranges)) == need
    return time.perf_counter() - t


def proof_gets(ledger: Ledger | Loaded, server: Server, samples: int,
               want: int) -> dict[str, float]:  # fmt: skip
    """``samples`` GETs of the proofs of random stored entries, one connection; the first
    ``samples // 10`` (other entries) are run before and not counted, so the figures are of a
    server whose code is loaded and whose connection pool is filled (the data itself is as
    cold or warm as the random entries find it)."""
    head = _sealed_end(ledger)
    rng = random.Random(7 + want)
    conn = _conn(server.port)
    times = []
    meter = CpuMeter(server, ledger.url)
    for k in range(samples // 10 + samples):
        if k == samples // 10:
            meter.start()
        seq = rng.randrange(head)
        t = time.perf_counter()
        status, data = server.request("GET", f"/v1/records/{seq}/proof", None, ledger.token, conn)
        if k >= samples // 10:
            times.append((time.perf_counter() - t) * 1000)
        if status != want:
            raise SystemExit(f"proof of {seq} answered {status}, want {want}: {data[:300]!r}")
    cpu = meter.stop()
    conn.close()
    return {"stored": head, "samples": samples, "status": want,
            "p50_ms": statistics.median(times), "p99_ms": _pct(times, 0.99),
            "server_cpu_ms": 1000 * cpu["server_cpu_s"] / samples,
            "database_cpu_ms": 1000 * cpu["database_cpu_s"] / samples,
            "load": os.getloadavg()[0]}  # fmt: skip


def _sealed_end(ledger: Ledger | Loaded) -> int:
    """The seq after the last sealed entry: proofs are asked of sealed entries."""
    last = batcher.batches(ledger.store, after=-1, limit=1_000_000)[-1]
    return last.end_seq


def bundle_cpu(ledger: Ledger | Loaded, samples: int) -> dict[str, float]:
    """The bundle of random anchored entries built in this process (as the server builds it,
    on one connection): CPU milliseconds of this process (the database's work is not in it)
    and the statements run, per bundle."""
    from sqlalchemy import event

    from ledger.bundle import build_bundle

    head = _sealed_end(ledger)
    rng = random.Random(11)
    statements = [0]

    def count(*_: Any) -> None:
        statements[0] += 1

    event.listen(ledger.engine, "before_cursor_execute", count)
    cpu, counts = [], []
    try:
        for _ in range(samples):
            seq = rng.randrange(head)
            statements[0] = 0
            t = time.process_time()
            with ledger.store.reading():
                build_bundle(ledger.store, seq)
            cpu.append((time.process_time() - t) * 1000)
            counts.append(statements[0])
    finally:
        event.remove(ledger.engine, "before_cursor_execute", count)
    return {"samples": samples, "cpu_p50_ms": statistics.median(cpu), "cpu_p99_ms": _pct(cpu, 0.99),
            "statements_max": max(counts), "statements_median": statistics.median(counts)}  # fmt: skip


def unanchor_all(ledger: Ledger | Loaded) -> None:
    """Set every batch back to sealed (for the 202 GETs of a reused database)."""
    with ledger.engine.begin() as conn:
        conn.execute(update(db.batches).values(
            state="sealed", chain_id=None, contract=None, registry=None, tx_hash=None,
            tx_nonce=None, block_number=None, block_hash=None, block_time=None, anchored_at=None,
        ))  # fmt: skip


def anchor_all(ledger: Ledger | Loaded) -> None:
    """What the anchor worker records once a batch's transaction is confirmed."""
    bulk_load.mark_anchored(ledger.engine)


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000, help="records for bulk ingest")
    ap.add_argument("--clients", default="1,2", help="bulk ingest client connections, e.g. 1,2,4")
    ap.add_argument("--rate", type=float, default=200.0, help="single POSTs per second")
    ap.add_argument("--seconds", type=float, default=15.0, help="duration of the single POSTs")
    ap.add_argument("--single-client", choices=["keepalive", "threads"], default="keepalive",
                    help="single POSTs over persistent connections (asyncio, the figure for the "
                         "target) or 32 threads opening a connection per request")  # fmt: skip
    ap.add_argument("--connections", type=int, default=32,
                    help="persistent connections of the keep-alive single-POST client")
    ap.add_argument("--stored", type=int, default=1_000_000, help="records stored for proofs")
    ap.add_argument("--loaders", type=int, default=2, help="processes loading the stored records")
    ap.add_argument("--samples", type=int, default=1_000, help="proof GETs")
    ap.add_argument("--server", choices=["dev", "gunicorn"], default="dev")
    ap.add_argument("--workers", type=int, default=1, help="gunicorn worker processes")
    ap.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    ap.add_argument("--database", default="sqlite",
                    help="sqlite (in a temporary directory) or a PostgreSQL URL (emptied!)")  # fmt: skip
    ap.add_argument("--only", default="bulk,single,proof", help="which parts to run")
    ap.add_argument("--reuse", action="store_true",
                    help="proofs on a database bench/load.py filled (not emptied; see above)")  # fmt: skip
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    parts = set(args.only.split(","))
    label = args.server if args.server == "dev" else f"gunicorn --workers {args.workers}"
    kind = "SQLite" if args.database == "sqlite" else "PostgreSQL"
    res: dict[str, Any] = {"server": label, "database": kind, "cpus": os.cpu_count(),
                           "load_before": os.getloadavg()[0]}  # fmt: skip
    if args.reuse and (args.database == "sqlite" or parts != {"proof"}):
        raise SystemExit("--reuse takes --only proof and a --database URL")
    with tempfile.TemporaryDirectory() as tmp:
        ledger: Ledger | Loaded
        if args.reuse:
            ledger = Loaded(Path(tmp), args.database, args.stored)
            res["preload_seconds"] = ledger.preload_seconds
        else:
            ledger = Ledger(Path(tmp), None if args.database == "sqlite" else args.database)
        server = Server(Path(tmp), args.server, args.workers, args.threads)
        try:
            if args.reuse:
                unanchor_all(ledger)
                res["proof_sealed"] = proof_gets(ledger, server, args.samples, 202)
                anchor_all(ledger)
                res["proof_anchored"] = proof_gets(ledger, server, args.samples, 200)
                res["bundle"] = bundle_cpu(ledger, min(args.samples, 300))
            if "bulk" in parts and not args.reuse:
                res["bulk"] = [bulk_ingest(ledger, server, args.records, int(c))
                               for c in args.clients.split(",")]  # fmt: skip
            if "single" in parts:
                res["single_post"] = single_posts(ledger, server, args.rate, args.seconds,
                                                  args.single_client, args.connections)
            if "proof" in parts and isinstance(ledger, Ledger):
                res["preload_seconds"] = preload(ledger, args.stored, args.loaders)
                batcher.seal(ledger.store, max_size=50_000, force=True)
                res["proof_sealed"] = proof_gets(ledger, server, args.samples, 202)
                anchor_all(ledger)
                res["proof_anchored"] = proof_gets(ledger, server, args.samples, 200)
                res["bundle"] = bundle_cpu(ledger, min(args.samples, 300))
        finally:
            server.stop()
            ledger.engine.dispose()
    res["load_after"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(res, indent=2))
        return
    print(f"server: {label}, {res['cpus']} CPUs, {kind}; load average "
          f"{res['load_before']:.1f} before, {res['load_after']:.1f} after")
    print("| measure | result |")
    print("|---|---:|")
    for b in res.get("bulk", []):
        print(f"| bulk ingest, {b['clients']} client(s), {b['records']:,} records | "
              f"{b['per_s']:,.0f} records/s |")
        print(f"| … CPU per record: server {1e6 * b['server_cpu_s'] / b['records']:.0f} µs, "
              f"database {1e6 * b['database_cpu_s'] / b['records']:.0f} µs, client "
              f"{1e6 * b['client_cpu_s'] / b['records']:.0f} µs | {b['per_server_cpu_s']:,.0f} "
              f"records per CPU-second of server + database ({2 * b['per_server_cpu_s']:,.0f}/s "
              f"on 2 idle cores) |")
    if "single_post" in res:
        s = res["single_post"]
        how = (f"{s['connections']} keep-alive connections" if s["client"] == "keepalive"
               else "a new connection per request")
        print(f"| single POST at {s['rate']:.0f}/s ({s['requests']:,} requests, {how}, achieved "
              f"{s['achieved_rate']:.0f}/s, {s['errors']} errors): p50 / p99 | "
              f"{s['p50_ms']:.1f} / {s['p99_ms']:.1f} ms |")
        print(f"| … CPU per request: server {s['server_cpu_ms']:.2f} ms, database "
              f"{s['database_cpu_ms']:.2f} ms, client {s['client_cpu_ms']:.2f} ms (load "
              f"{s['load']:.1f}) | {s['server_cpu_ms'] + s['database_cpu_ms']:.2f} ms server + "
              f"database |")
    if "proof_sealed" in res:
        ps, pa = res["proof_sealed"], res["proof_anchored"]
        print(f"| proof GET, sealed (202), {ps['stored']:,} stored: p50 / p99 | "
              f"{ps['p50_ms']:.2f} / {ps['p99_ms']:.2f} ms |")
        print(f"| proof GET, anchored (200, full bundle), {pa['stored']:,} stored: p50 / p99 | "
              f"{pa['p50_ms']:.2f} / {pa['p99_ms']:.2f} ms |")
        for name, p in (("sealed (202)", ps), ("anchored (200)", pa)):
            print(f"| … proof GET {name}: CPU per GET, server / database | "
                  f"{p['server_cpu_ms']:.2f} / {p['database_cpu_ms']:.2f} ms (load {p['load']:.1f}) |")
        bd = res["bundle"]
        print(f"| bundle built in-process ({bd['samples']} random entries): CPU p50 / p99, "
              f"statements median / max | {bd['cpu_p50_ms']:.2f} / {bd['cpu_p99_ms']:.2f} ms, "
              f"{bd['statements_median']:.0f} / {bd['statements_max']} |")
        print(f"\n(loading up to {pa['stored']:,} records took {res['preload_seconds']:.0f} s)")


if __name__ == "__main__":
    main()
