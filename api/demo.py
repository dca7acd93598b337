"""``siteledger demo``: one month of a construction site, end to end, on the embedded defaults.

A temporary SQLite ledger and the in-process chain; nothing to start. The demo creates a project
(a general contractor, two subcontractors, three teams, 60 workers, two gate devices with their
own keys and a supervisor), posts a month through the real HTTP API on 127.0.0.1 — attendance
with an offline gate that syncs a day late and a repair punch (补卡) approved by the supervisor,
payroll lines approved by the supervisor, each worker's month published to the worker with an
objection window, payments, acknowledgements and one worker disputing his wage line and objecting
to the published month — anchors the batches, fetches proof bundles, verifies them with the verifier and
writes the bundles and an HTML evidence report to the output folder. Last it makes a one-time
worker page link for the disputing worker (``worker-link.svg``, its QR code); ``--serve`` keeps
the demo's server (and anchoring) running so that the link, ``/w/`` and ``/verify/`` can be
opened in a browser until Ctrl-C.

The ledger runs on the story's clock (``StoryClock``): every record is received on its day of the
story, minutes after its time, except the offline gate's punches (the next working day, 20:00), so
the report points out those as late and nothing else. The batches are sealed and anchored when the
story ends, on the real time and the in-process chain's real block times.
"""

from __future__ import annotations

import http.client
import json
import shutil
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click

from ledger.core.entry import SignedRecord
from ledger.core.errors import LedgerError
from ledger.core.keys import SigningKey
from ledger.core.times import format_time, utc_now
from ledger.sample import MonthPlan, SampleSite, day_punches, month_plan, repair_punch

STEPS = 10

UPLOAD_DELAY = timedelta(minutes=2)
"""How long after a record's time the demo's devices and clerks upload it (the story's network)."""


class DemoError(LedgerError):
    """A step of the demo did not do what it should (the message says which and why)."""


class StoryClock:
    """The demo ledger's clock (``Store(clock=...)``, hence the API's receipts, sealing and token
    checks): it follows the story, so that a punch of 08:00 on a day of last month is received
    on that day and not weeks later, and the report points out only what the story makes late.

    Demo and test use only. The demo moves it forward as it posts (never backwards, never past
    the real time); ``to_real_time`` ends the story and from then on it is the real clock.
    ``siteledger serve`` never takes a clock from a request, a config option or anything
    outside the process: its ledger's clock is always the real one (``ledger.core.times``).
    """

    def __init__(self, start: datetime) -> None:
        self._now = min(start, utc_now())
        self._real = False
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return utc_now() if self._real else self._now

    def advance_to(self, at: datetime) -> None:
        """Move the story's time to ``at`` (no effect if it is already later, capped at now)."""
        with self._lock:
            if not self._real:
                self._now = max(self._now, min(at.astimezone(UTC), utc_now()))

    def to_real_time(self) -> None:
        with self._lock:
            self._real = True


@dataclass
class Client:
    """A small keep-alive JSON client for the demo's own server on 127.0.0.1."""

    port: int
    clock: StoryClock | None = None
    calls: int = 0
    conn: http.client.HTTPConnection = field(init=False)

    def __post_init__(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def request(
        self, method: str, path: str, token: str, body: Any = None, ok: tuple[int, ...] = (200, 201)
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=headers)
        resp = self.conn.getresponse()
        raw = resp.read()
        self.calls += 1
        payload = json.loads(raw) if raw else None
        if resp.status not in ok:
            raise DemoError(f"{method} {path} answered {resp.status}: {payload}")
        return resp.status, payload

    def post_records(self, token: str, records: list[SignedRecord]) -> list[dict[str, Any]]:
        """POST in bulks of at most 1,000; every record must be accepted. The story's clock
        first moves to the upload time: ``UPLOAD_DELAY`` after the latest record's time."""
        if self.clock is not None and records:
            self.clock.advance_to(max(r.record.time for r in records) + UPLOAD_DELAY)
        results: list[dict[str, Any]] = []
        for k in range(0, len(records), 1_000):
            chunk = [r.to_json() for r in records[k : k + 1_000]]
            _, out = self.request("POST", "/v1/records", token, chunk, ok=(200, 201, 207))
            for res in out["results"]:
                if res["status"] == "rejected":
                    raise DemoError(f"record rejected: {res['problem']}")
            results.extend(out["results"])
        return results


class Progress:
    def __init__(self, quiet: bool, steps: int = STEPS) -> None:
        self.quiet = quiet
        self.steps = steps
        self.step = 0
        self.t0 = time.monotonic()

    def __call__(self, text: str) -> None:
        self.step += 1
        if not self.quiet:
            t = time.monotonic() - self.t0
            click.echo(f"[{self.step}/{self.steps}] {t:5.1f}s  {text}", err=True)


def _quiet_handler() -> Any:
    from werkzeug.serving import WSGIRequestHandler

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            """The demo prints its own progress; one line per request would drown it."""

    return Quiet


def _previous_month(today: date) -> date:
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-out"),
    show_default=True,
    help="Folder for the bundles and the evidence report.",
)
@click.option("--workers", "n_workers", type=click.IntRange(6, 500), default=60, show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True)
@click.option("--quiet", is_flag=True, help="No progress lines.")
@click.option("--serve", is_flag=True,
              help="Keep the demo's server running (worker page, verifier page) until Ctrl-C.")
@click.option("--port", type=click.IntRange(0, 65535), default=0,
              help="The demo server's port on 127.0.0.1 (default: a free one).")
@click.option("--witnesses", "witnesses", metavar="KofN", default=None,
              help="Anchor with witnesses, e.g. 3of5: runs N `siteledger witness` services on "
                   "127.0.0.1 (processes), stops one halfway, anchors every batch with a quorum "
                   "of K on a local anvil (EIP-2537).")  # fmt: skip
def demo(out: Path, n_workers: int, lang: str, quiet: bool, serve: bool, port: int,
         witnesses: str | None) -> None:  # fmt: skip
    """Post one month of a construction site through the API, anchor it, prove and verify it."""
    quorum = None
    if witnesses is not None:
        try:
            quorum = parse_quorum(witnesses)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--witnesses") from exc
    summary = run_demo(out, n_workers=n_workers, lang=lang, quiet=quiet, serve=serve, port=port,
                       witnesses=quorum)  # fmt: skip
    if summary:
        click.echo(summary)


def parse_quorum(text: str) -> tuple[int, int]:
    """``"3of5"`` -> (3, 5); k from 1 to n, n from 2 to 9 (each witness is a process)."""
    k_text, sep, n_text = text.strip().lower().partition("of")
    if not sep or not k_text.isdigit() or not n_text.isdigit():
        raise ValueError(f"{text!r} is not KofN (e.g. 3of5)")
    k, n = int(k_text), int(n_text)
    if not 2 <= n <= 9 or not 1 <= k <= n:
        raise ValueError(f"{text!r}: want 2 to 9 witnesses and a threshold from 1 to their number")
    if k > n - 1:
        raise ValueError(f"{text!r}: the demo stops one witness halfway, so K must be below N")
    return k, n


def run_demo(
    out: Path, *, n_workers: int = 60, lang: str = "en", quiet: bool = True, serve: bool = False,
    port: int = 0, witnesses: tuple[int, int] | None = None,
) -> str:  # fmt: skip
    """Run the whole demo; returns the summary text. Raises DemoError if any step fails.

    With ``serve`` the summary is printed at once and the server runs until Ctrl-C (then "").
    ``witnesses`` (k, n): anchor on a local anvil with a k-of-n witness quorum."""
    progress = Progress(quiet, STEPS + (witnesses is not None))
    tmp = Path(tempfile.mkdtemp(prefix="siteledger-demo-"))
    try:
        return _run(tmp, out, n_workers, lang, progress, serve, port, witnesses)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


INSTITUTIONS = ["Supervision firm", "Labour bureau", "Wage account bank", "Owner's engineer",
                "Trade union", "Auditor", "Insurer", "Notary", "District court"]  # fmt: skip


class DemoWitnesses:
    """N witness services (``python -m witness.cli run``, one process each, on 127.0.0.1) and the
    local anvil whose registry holds their set. Every process is stopped by its PID."""

    def __init__(self, tmp: Path, k: int, n: int) -> None:
        from anchor.backends import AnvilBackend
        from witness.bls import WitnessKey
        from witness.quorum import members_of

        self.tmp, self.k, self.n = tmp, k, n
        self.keys = [WitnessKey.generate() for _ in range(n)]
        for i, key in enumerate(self.keys):
            key.save(tmp / f"witness{i}.key")
        self.wset = members_of(INSTITUTIONS[:n], self.keys, k)
        (tmp / "witness-set.json").write_text(json.dumps(self.wset.to_json(), indent=1))
        self.anvil = AnvilBackend(tmp / "chain-home", port=_free_port())
        self.procs: dict[int, Any] = {}
        self.urls: list[str] = []
        self.stopped: list[str] = []
        self.contract = ""

    def deploy(self) -> str:
        """Start anvil, deploy the registry and give it the witness set (wait policy)."""
        from anchor.deploy import deploy, set_witnesses

        chain = self.anvil.connect()
        self.contract = deploy(chain).contract
        set_witnesses(chain, self.contract, self.wset, allow_unwitnessed=False)
        return self.contract

    def start(self, operator: str, token: str) -> None:
        import subprocess
        import sys

        (self.tmp / "witness.token").write_text(token + "\n")
        (self.tmp / "witness.token").chmod(0o600)
        chain_id = self.anvil.connect().chain_id
        for i in range(self.n):
            port = _free_port()
            cmd = [sys.executable, "-m", "witness.cli", "run", "--key",
                   str(self.tmp / f"witness{i}.key"), "--data-dir", str(self.tmp / f"witness{i}"),
                   "--operator", operator, "--token-file", str(self.tmp / "witness.token"),
                   "--chain-id", str(chain_id), "--contract", self.contract,
                   "--listen", f"127.0.0.1:{port}", "--interval", "0.5"]  # fmt: skip
            with open(self.tmp / f"witness{i}.log", "ab") as log:
                proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True)
            self.procs[i] = proc
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if not line.startswith("listening on "):
                raise DemoError(f"witness {i} did not start: {line.strip() or 'no output'} (see "
                                f"{self.tmp / f'witness{i}.log'})")  # fmt: skip
            self.urls.append(f"http://127.0.0.1:{port}")

    def stop_one(self, i: int) -> str:
        """Stop witness ``i`` (SIGTERM); returns its institution's name."""
        self._stop(i)
        name = self.wset.members[i].name
        self.stopped.append(name)
        return name

    def _stop(self, i: int) -> None:
        import signal

        proc = self.procs.pop(i, None)
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except Exception:  # noqa: BLE001 - any failure to exit: kill it
                proc.kill()
                proc.wait(timeout=10)

    def close(self) -> None:
        for i in list(self.procs):
            self._stop(i)
        self.anvil.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(tmp: Path, out: Path, n_workers: int, lang: str, progress: Progress, serve: bool = False,
         port: int = 0, witnesses: tuple[int, int] | None = None) -> str:  # fmt: skip
    from werkzeug.serving import make_server

    from anchor.backends import EmbeddedBackend
    from anchor.reader import ChainReader
    from anchor.worker import Anchorer
    from api.app import create_app
    from ledger import batcher
    from ledger.config import ChainConfig, Config, WitnessConfig
    from ledger.db import make_engine
    from ledger.principals import Principals
    from ledger.store import Store
    from ledger.vault import Keyring, Vault
    from verifier.report import render_html
    from verifier.verify import verify_bundle

    wit: DemoWitnesses | None = None
    backend: Any
    if witnesses is None:
        progress("creating a ledger (SQLite) and an in-process chain")
        chain_cfg = ChainConfig(backend="embedded", confirmations=1)
        backend = EmbeddedBackend()
        wcfg = WitnessConfig()
    else:
        k, n = witnesses
        progress(f"creating a ledger (SQLite), a local anvil and a {k}-of-{n} witness set")
        wit = DemoWitnesses(tmp, k, n)
        try:
            contract = wit.deploy()
        except BaseException:
            wit.close()
            raise
        backend = wit.anvil
        chain_cfg = ChainConfig(backend="anvil", confirmations=1, anvil_port=wit.anvil.port,
                                contract=contract)  # fmt: skip
        wcfg = WitnessConfig(str(tmp / "witness-set.json"), (), "wait", None, 5.0)
    cfg = Config(
        home=tmp,
        database_url=f"sqlite:///{tmp / 'ledger.sqlite'}",
        batch_max_age=timedelta(seconds=1),
        batch_max_size=1_000,
        chain=chain_cfg,
    )
    operator = SigningKey.generate()
    engine = make_engine(cfg.database_url)
    today = datetime.now(UTC).date()
    month_start = _previous_month(today)
    tz_start = datetime(month_start.year, month_start.month, month_start.day, tzinfo=UTC)
    clock = StoryClock(tz_start - timedelta(days=3))  # the operator opens the ledger
    store = Store(engine, operator, skew=cfg.skew, clock=clock)
    store.create_schema()
    store.genesis(operator, valid_from=tz_start - timedelta(days=3))
    vault = Vault(engine, Keyring.generate())
    principals = Principals(engine)
    anchorer: Anchorer | None = None

    app = create_app(cfg, store=store, vault=vault, principals=principals)
    _QuietHandler = _quiet_handler()
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="demo-api", daemon=True)
    thread.start()
    try:
        client = Client(server.server_port, clock)
        site = SampleSite(operator, seed=2026)
        plan = month_plan(site, month_start, n_workers)
        progress(
            f"posting the project, organisations and keys to http://127.0.0.1:{server.server_port}"
        )
        setup_at = datetime(
            month_start.year, month_start.month, month_start.day, tzinfo=site.tz
        ) - timedelta(days=2)
        setup = site.setup(setup_at)  # also makes the gate devices' keys
        clock.advance_to(setup_at)
        tokens = _principals(principals, site, plan, clock())
        client.post_records(tokens["admin"], setup)
        if wit is not None:
            wit.start(f"http://127.0.0.1:{server.server_port}", tokens["admin"])
            wcfg = replace(wcfg, urls=tuple(wit.urls))
        anchorer = Anchorer(store, replace(cfg, witnesses=wcfg), backend)

        progress(
            f"enrolling {n_workers} workers (identities sealed in the vault, commitments in the log)"
        )
        _enroll(client, site, plan, tokens, month_start)
        for subject in _ackers(plan):
            client.post_records(tokens["admin"], [site.worker_key(subject, setup_at)])
        tokens.update(_worker_principals(principals, site, plan, clock()))

        progress(
            f"posting a month of attendance ({len(plan.days)} working days, gate GATE-02 offline on {plan.offline_day})"
        )
        counters: dict[str, int] = {}  # each gate's own record numbers
        repaired: dict[str, tuple[int, str]] = {}

        def repair_next_morning(day: date, phase: str, leaves: dict[tuple[str, date, str], Any]) -> None:
            """The 补卡 on the morning after the forgotten OUT: after that day's IN punches, or
            after the evening's uploads when the next day is not a working day."""
            forgot = plan.forgot_out[1]
            nxt = forgot + timedelta(days=1)
            if not repaired and ((phase == "morning" and day == nxt) or
                                 (phase == "evening" and day == forgot and nxt not in plan.days)):
                repaired.update(_repair(client, site, plan, tokens, leaves, counters))

        leaves = _attendance(client, site, plan, tokens, counters, repair_next_morning)
        if wit is not None:
            # Seal and anchor what is there (every witness signs it), then stop one witness. The
            # anvil's blocks carry the real time (a separate process: its clock cannot follow
            # the story), so from here on the witness demo's ledger runs on the real time too:
            # its payroll is received now, not on the pay day.
            clock.to_real_time()
            half = anchorer.run_until_anchored(timeout=300)
            if half.waiting:
                raise DemoError(f"{half.waiting} batches did not get a witness quorum: "
                                f"{batcher.next_to_anchor(store, 1)[0].last_error}")  # fmt: skip
            name = wit.stop_one(wit.n - 1)
            progress(f"{len(half.anchored)} batches anchored with the witnesses' quorum; "
                     f"witness {name!r} stopped")  # fmt: skip

        if not repaired:  # only if the forgotten OUT was not on a working day of the plan
            repaired = _repair(client, site, plan, tokens, leaves, counters)
        progress(f"repair punch (补卡) posted the morning after {plan.forgot_out[1]}, with the "
                 "contractor's correction and the supervisor's approval")  # fmt: skip

        progress("payroll lines, supervisor approvals, payments and worker acknowledgements")
        wages = _payroll(client, site, plan, tokens, leaves, today)
        clock.to_real_time()  # the story ends: anchoring, proofs and the pages run on real time

        progress("anchoring the batches on the chain"
                 + (f" ({wit.k} of {wit.n} witnesses must co-sign each)" if wit else ""))  # fmt: skip
        report = anchorer.run_until_anchored(timeout=120 if wit is None else 300)
        if report.waiting:
            why = batcher.next_to_anchor(store, 1)[0].last_error if wit is not None else None
            raise DemoError(f"{report.waiting} batches still wait to be anchored"
                            + (f": {why}" if why else ""))  # fmt: skip

        progress("fetching proof bundles through the API")
        out.mkdir(parents=True, exist_ok=True)
        bundles = _fetch_bundles(client, tokens, plan, wages, repaired, leaves, site)

        progress("verifying every bundle against the chain")
        reader = ChainReader(backend.connect().w3)
        reports = []
        for name, bundle in bundles.items():
            (out / f"{name}.json").write_text(
                json.dumps(bundle, ensure_ascii=False, indent=1) + "\n"
            )
            reports.append((name, verify_bundle(bundle, chain=reader, source=f"{name}.json")))
        (out / "report.html").write_text(render_html([r for _, r in reports], lang=lang))
        (out / "report.zh.html").write_text(render_html([r for _, r in reports], lang="zh"))
        bad = [name for name, r in reports if r.verdict.value != "VALID"]
        if bad:
            raise DemoError(f"bundles did not verify: {', '.join(bad)}")
        progress("a one-time worker page link for the disputing worker")
        link = _worker_link(client, tokens["gc"], site.project, plan.disputer, out)
        summary = _summary(store, plan, reports, out, client, progress, anchorer, link,
                           (server.server_port, tokens["gc"]) if serve else None, wit)  # fmt: skip
        if not serve:
            return summary
        click.echo(summary)
        _serve_until_interrupted(anchorer)
        return ""
    finally:
        server.shutdown()
        if anchorer is not None:
            anchorer.close()
        if wit is not None:
            wit.close()
        engine.dispose()


def _principals(principals: Any, site: SampleSite, plan: MonthPlan, now: datetime) -> dict[str, str]:
    tokens: dict[str, str] = {}

    def make(name: str, role: str, projects: tuple[str, ...], subject: str | None = None) -> None:
        p = principals.create(name, role, now, projects=frozenset(projects), subject=subject)
        tokens[name] = principals.issue_token(p.principal_id, now)[1]

    make("admin", "admin", ())
    for org in site.subs:
        make(org.corp_code, "contractor", (site.project,))
    make("gc", "contractor", (site.project,))
    for device in site.devices:
        make(device, "device", (site.project,))
    make("auditor", "auditor", ())
    return tokens


def _ackers(plan: MonthPlan) -> list[str]:
    return [plan.disputer] + [w[0] for w in plan.workers[3:8]]


def _worker_principals(principals: Any, site: SampleSite, plan: MonthPlan,
                       now: datetime) -> dict[str, str]:  # fmt: skip
    out = {}
    for subject in _ackers(plan):
        p = principals.create(f"worker {subject}", "worker", now, projects={site.project},
                              subject=subject)  # fmt: skip
        out[subject] = principals.issue_token(p.principal_id, now)[1]
    return out


def _enroll(
    client: Client, site: SampleSite, plan: MonthPlan, tokens: dict[str, str], day: date
) -> None:
    by_org: dict[str, list[SignedRecord]] = defaultdict(list)
    renamed = []
    for n, (_, org, team) in enumerate(plan.workers):
        identity = {
            **site.identity(n + 1),
            "bank_card": f"6222{n + 1:015d}",
            "bank_name": "工商银行",
        }
        _, got = client.request("POST", "/v1/workers", tokens[org.corp_code],
                                {"project": site.project, "identity": identity})  # fmt: skip
        subject, commitment = got["subject"], bytes.fromhex(got["commitment"])
        renamed.append((subject, org, team))
        by_org[org.corp_code].append(site.enroll(subject, org, team, day, commitment))
    old = {w[0]: r[0] for w, r in zip(plan.workers, renamed, strict=True)}
    plan.workers = renamed
    plan.forgot_out = (old[plan.forgot_out[0]], plan.forgot_out[1])
    plan.disputer = old[plan.disputer]
    for corp, records in by_org.items():
        client.post_records(tokens[corp], records)


def _attendance(
    client: Client, site: SampleSite, plan: MonthPlan, tokens: dict[str, str],
    counters: dict[str, int], between: Any = None,
) -> dict[tuple[str, date, str], tuple[int, str, datetime]]:  # fmt: skip
    """Post every day's punches; returns (subject, day, direction) -> (seq, leaf hash, time).

    The gates upload as they go: the morning's IN punches a couple of minutes after the last
    arrival, the evening's OUT punches after the last departure (``Client.post_records`` moves
    the story's clock). GATE-02 is offline on ``plan.offline_day``: it uploads that day's punches
    at 20:00 on the next working day, so they are the ones received more than a day late.
    ``between(day, "morning" | "evening", leaves)`` runs after each upload of the day's IN and
    OUT punches (the clerk's repair punch goes in there)."""
    leaves: dict[tuple[str, date, str], tuple[int, str, datetime]] = {}
    held: list[SignedRecord] = []
    for day in plan.days:
        by_device = day_punches(site, plan, day, counters)
        for device, punches in by_device.items():
            if day == plan.offline_day and device == "GATE-02":
                held = punches  # the gate lost its uplink: it uploads tomorrow
                by_device[device] = []
                continue
            ins = [p for p in punches if p.record.direction == "in"]  # type: ignore[attr-defined]
            _note(leaves, ins, client.post_records(tokens[device], ins))
        if between is not None:
            between(day, "morning", leaves)
        for device, punches in by_device.items():
            outs = [p for p in punches if p.record.direction == "out"]  # type: ignore[attr-defined]
            if outs:
                _note(leaves, outs, client.post_records(tokens[device], outs))
        if held and day > plan.offline_day:
            if client.clock is not None:
                client.clock.advance_to(datetime(day.year, day.month, day.day, 20, 0, tzinfo=site.tz))
            _note(leaves, held, client.post_records(tokens["GATE-02"], held))
            held = []
        if between is not None:
            between(day, "evening", leaves)
    return leaves


def _note(
    leaves: dict[tuple[str, date, str], tuple[int, str, datetime]],
    punches: list[SignedRecord],
    results: list[dict[str, Any]],
) -> None:
    for p, res in zip(punches, results, strict=True):
        rec = p.record
        day = rec.time.date()
        leaves[(rec.subject, day, rec.direction)] = (res["seq"], res["leaf_hash"], rec.time)  # type: ignore[attr-defined]


def _repair(
    client: Client, site: SampleSite, plan: MonthPlan, tokens: dict[str, str],
    leaves: dict[tuple[str, date, str], tuple[int, str, datetime]], counters: dict[str, int],
) -> dict[str, tuple[int, str]]:  # fmt: skip
    """The 补卡: the clerk enters the missing OUT at the gate at 08:55 the next day, the
    contractor's correction follows at 09:00 and the supervisor approves it at 11:00."""
    subject, day = plan.forgot_out
    punch = repair_punch(site, plan, counters)
    device = punch.record.device  # type: ignore[attr-defined]
    if client.clock is not None:
        client.clock.advance_to(datetime(day.year, day.month, day.day, 8, 55, tzinfo=site.tz)
                                + timedelta(days=1))  # fmt: skip
    (res,) = client.post_records(tokens[device], [punch])
    leaves[(subject, day, "out")] = (res["seq"], res["leaf_hash"], punch.record.time)
    org = next(w[1] for w in plan.workers if w[0] == subject)
    at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=site.tz) + timedelta(days=1)
    corr = site.correction(org, at, action="supplement", subject=subject,
                           replacement=bytes.fromhex(res["leaf_hash"]),
                           reason="工人下班时闸机未识别，次日由劳务员补录，监理核实")  # fmt: skip
    (cres,) = client.post_records(tokens[org.corp_code], [corr])
    (ares,) = client.post_records(tokens[org.corp_code],
                                  [site.approval(bytes.fromhex(cres["leaf_hash"]), at + timedelta(hours=2),
                                                 subject=subject)])  # fmt: skip
    return {"punch": (res["seq"], res["leaf_hash"]), "correction": (cres["seq"], cres["leaf_hash"]),
            "approval": (ares["seq"], ares["leaf_hash"])}  # fmt: skip


def _payroll(
    client: Client, site: SampleSite, plan: MonthPlan, tokens: dict[str, str],
    leaves: dict[tuple[str, date, str], tuple[int, str, datetime]], today: date,
) -> dict[str, dict[str, Any]]:  # fmt: skip
    """Wage lines from the attendance, approvals, payments and acks; returns per-worker seqs."""
    y, m = int(plan.month[:4]), int(plan.month[5:])
    next_month = date(y + (m == 12), m % 12 + 1, 1)
    pay_date = min(next_month + timedelta(days=14), today)
    at = datetime(pay_date.year, pay_date.month, pay_date.day, 10, 0, tzinfo=site.tz)
    at = min(at, datetime.now(UTC) - timedelta(minutes=1))
    out: dict[str, dict[str, Any]] = {}
    left_out: list[date] = []
    by_org: dict[str, list[tuple[str, SignedRecord]]] = defaultdict(list)
    for subject, org, _ in plan.workers:
        worked = [d for d in plan.days if (subject, d, "in") in leaves]
        minutes = sum(
            int(
                (leaves[(subject, d, "out")][2] - leaves[(subject, d, "in")][2]).total_seconds()
                // 60
            )
            for d in worked
            if (subject, d, "out") in leaves
        )
        days = len(worked)
        if subject == plan.disputer:  # the payroll clerk left out two of his days
            left_out = worked[-2:]
            days -= 2
            minutes -= sum(
                int(
                    (leaves[(subject, d, "out")][2] - leaves[(subject, d, "in")][2]).total_seconds()
                    // 60
                )
                for d in worked[-2:]
            )
        gross = days * 35_000
        deductions = {"social_insurance": gross * 8 // 100, "meals": days * 1_500}
        w = site.wage(subject, org, plan.month, days, minutes, gross, deductions, pay_date, at)
        by_org[org.corp_code].append((subject, w))
    for corp, lines in by_org.items():
        results = client.post_records(tokens[corp], [w for _, w in lines])
        for (subject, w), res in zip(lines, results, strict=True):
            out[subject] = {"wage": res["seq"], "wage_leaf": res["leaf_hash"], "net": w.record.net}  # type: ignore[attr-defined]
    # Each worker's month is published to the worker with the wage line (the site's rule: 30
    # days to object), by the employer that signed the line.
    for corp, lines in by_org.items():
        org = next(o for o in site.subs if o.corp_code == corp)
        pubs = [site.publication(subject, org, plan.month, w.record.days,  # type: ignore[attr-defined]
                                 w.record.work_minutes,  # type: ignore[attr-defined]
                                 bytes.fromhex(out[subject]["wage_leaf"]), at,
                                 objection_days=OBJECTION_DAYS) for subject, w in lines]  # fmt: skip
        for (subject, _), res in zip(lines, client.post_records(tokens[corp], pubs), strict=True):
            out[subject]["publication"] = res["seq"]
            out[subject]["publication_leaf"] = res["leaf_hash"]
    approvals = [
        site.approval(bytes.fromhex(o["wage_leaf"]), at, subject=subject)
        for subject, o in out.items()
    ]
    client.post_records(tokens["gc"], approvals)
    payments: dict[str, list[tuple[str, SignedRecord]]] = defaultdict(list)
    for subject, org, _ in plan.workers:
        amount = out[subject]["net"] - (plan.short_paid_fen if subject == plan.disputer else 0)
        payments[org.corp_code].append((subject, site.payment(
            subject, org, plan.month, amount, pay_date, bytes.fromhex(out[subject]["wage_leaf"]), at)))  # fmt: skip
    for corp, lines in payments.items():
        results = client.post_records(tokens[corp], [p for _, p in lines])
        for (subject, _), res in zip(lines, results, strict=True):
            out[subject]["payment"] = res["seq"]
    for subject in _ackers(plan):
        target = bytes.fromhex(out[subject]["wage_leaf"])
        if subject == plan.disputer:
            ack = site.ack(
                subject,
                target,
                at,
                "dispute",
                reason=f"{left_out[0].month}月{left_out[0].day}日、{left_out[1].day}日两天到岗，"
                "工资表未计；实发金额少于应发",
            )
        else:
            ack = site.ack(subject, target, at)
        (res,) = client.post_records(tokens[subject], [ack])
        out[subject]["ack"] = res["seq"]
    # On the published month: the disputer objects (within the window), two workers confirm,
    # everyone else stays silent.
    for subject in _ackers(plan)[:3]:
        target = bytes.fromhex(out[subject]["publication_leaf"])
        if subject == plan.disputer:
            ack = site.ack(subject, target, at, "dispute",
                           reason=f"公示的出勤天数少了{left_out[0].day}日、{left_out[1].day}日两天")  # fmt: skip
        else:
            ack = site.ack(subject, target, at)
        (res,) = client.post_records(tokens[subject], [ack])
        out[subject]["publication_ack"] = res["seq"]
    return out


OBJECTION_DAYS = 30
"""The demo site's objection window. Publication and acks are dated on the pay day, which may lie
up to about two weeks before the demo runs: the window must still be open when the acks arrive."""


def _fetch_bundles(
    client: Client, tokens: dict[str, str], plan: MonthPlan, wages: dict[str, dict[str, Any]],
    repaired: dict[str, tuple[int, str]], leaves: dict[tuple[str, date, str], tuple[int, str, datetime]],
    site: SampleSite,
) -> dict[str, dict[str, Any]]:  # fmt: skip
    token = tokens["admin"]
    late = next(v for k, v in leaves.items() if k[1] == plan.offline_day and k[2] == "in"
                and plan.workers.index(next(w for w in plan.workers if w[0] == k[0])) % 2 == 1)  # fmt: skip
    wanted = {
        "01-attendance-offline-gate": late[0],
        "02-repair-punch": repaired["punch"][0],
        "03-disputed-wage-line": wages[plan.disputer]["wage"],
        "04-disputed-payment": wages[plan.disputer]["payment"],
    }
    bundles = {}
    for name, seq in wanted.items():
        status, body = client.request("GET", f"/v1/records/{seq}/proof", token)
        if status != 200:
            raise DemoError(f"proof of seq {seq} is not ready: {body}")
        bundles[name] = body
    path = (f"/v1/workers/{plan.disputer}/wage-bundle?project={site.project}"
            f"&pay_month={plan.month}")  # fmt: skip
    bundles["05-wage-bundle-disputer"] = _get_bundle(client, path, token)
    # The insurer's question about the first worker (whose gate was never offline): on site
    # halfway through a shift? The answer rests on the run up to the checkpoint's head proofs.
    subject = plan.workers[0][0]
    # (not the first day: the enrollment is logged at 08:00 that morning, after the first punches)
    day = next(d for d in plan.days[1:]
               if (subject, d, "in") in leaves and (subject, d, "out") in leaves)  # fmt: skip
    t_in, t_out = leaves[(subject, day, "in")][2], leaves[(subject, day, "out")][2]
    at = format_time((t_in + (t_out - t_in) / 2).astimezone(UTC))
    path = (f"/v1/presence/bundle?subject={subject}&project={site.project}"
            f"&at={quote(at)}")  # fmt: skip
    bundles["06-presence"] = _get_bundle(client, path, token)
    return bundles


def _worker_link(client: Client, token: str, project: str, subject: str, out: Path) -> str:
    """A one-time code for ``subject``'s worker page, through the API as a contractor makes it;
    its QR code goes to ``worker-link.svg``. Returns the link."""
    _, made = client.request("POST", f"/v1/workers/{subject}/link-codes", token,
                             {"project": project, "ttl_minutes": 24 * 60})  # fmt: skip
    (out / "worker-link.svg").write_text(made["qr_svg"])
    link: str = made["link"]
    return link


def _serve_until_interrupted(anchorer: Any) -> None:
    """Seal and anchor what the pages add (acks), every 2 s, until Ctrl-C."""
    try:
        while True:
            anchorer.run_until_anchored(timeout=10, force_seal=True)
            time.sleep(2)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


def _get_bundle(client: Client, path: str, token: str) -> dict[str, Any]:
    status, body = client.request("GET", path, token)
    if status != 200:
        raise DemoError(f"GET {path}: {status} {body}")
    if "checkpoint" not in body or not body["checkpoint"].get("heads"):
        raise DemoError(f"GET {path}: the bundle carries no head proof")
    return body


def _verifier_page() -> Path:
    """The verifier page's file (``verifier/web/``): it works from file:// with no network."""
    import verifier

    return Path(verifier.__file__).resolve().parent / "web" / "index.html"


def _summary(
    store: Any, plan: MonthPlan, reports: list[tuple[str, Any]], out: Path, client: Client,
    progress: Progress, anchorer: Any, link: str, serving: tuple[int, str] | None = None,
    wit: DemoWitnesses | None = None,
) -> str:  # fmt: skip
    from ledger import batcher

    batches = batcher.batches(store, limit=1000)
    anchored = [b for b in batches if b.state == "anchored"]
    witnessed = []
    if wit is not None:
        recs = store.batch_witnesses_of(b.batch_no for b in anchored)
        witnessed = [r for r in recs.values() if r.status == "witnessed"]
    lines = [
        "",
        f"siteledger demo: {plan.month}, {len(plan.workers)} workers, {store.head():,} log entries "
        f"posted through {client.calls:,} HTTP requests",
        f"  batches anchored: {len(anchored)} of {len(batches)} "
        f"(contract {anchored[0].contract}, chain id {anchored[0].chain_id})"
        if anchored
        else "",
        f"  witnesses: {wit.k} of {wit.n} ({', '.join(m.name for m in wit.wset.members)}); "
        f"{len(witnessed)} of {len(anchored)} batches co-signed by a quorum; stopped halfway: "
        f"{', '.join(wit.stopped) or 'none'}"
        if wit is not None
        else "",
        "  bundles verified against the chain:",
    ]
    for name, r in reports:
        lines.append(f"    {r.verdict.value:<8} {name}.json  ({len(r.checks)} checks)")
        for f in r.findings:
            if not f.ok:
                lines.append(f"             ! {f.detail}")
    lines += [
        f"  evidence report: {out / 'report.html'} (中文: {out / 'report.zh.html'})",
        f"  verify again: .venv/bin/siteledger-verify --offline {out}/*.json",
        f"  or in a browser, offline: open {_verifier_page()} and drop {out}/*.json on it",
        f"  worker page: a one-time link for worker {plan.disputer} (QR code: "
        f"{out / 'worker-link.svg'}), valid 24 h:",
        f"    {link}",
    ]
    if serving is None:
        lines.append("    (it opens while a server runs: `siteledger demo --serve` keeps this one "
                     "running; the README's tour shows `siteledger serve`)")  # fmt: skip
    else:
        port, token = serving
        base = f"http://127.0.0.1:{port}"
        lines += [
            f"  serving until Ctrl-C: the verifier page {base}/verify/, the worker page at the "
            "link above. Once the phone has made its key, approve it as the contractor:",
            f"    export CONTRACTOR_TOKEN={token}   # this demo's general contractor",
            f'    curl -s "{base}/v1/link-requests?state=pending" '
            '-H "Authorization: Bearer $CONTRACTOR_TOKEN"',
            f'    curl -s -X POST "{base}/v1/link-requests/<link_id>/approve" '
            '-H "Authorization: Bearer $CONTRACTOR_TOKEN"',
        ]
    lines.append(f"done in {time.monotonic() - progress.t0:.1f} s")
    return "\n".join(line for line in lines if line)
