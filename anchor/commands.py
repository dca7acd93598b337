"""``siteledger chain …`` and ``siteledger anchor``: registered by ``api.cli``.

Each command reads the loaded ``ledger.config.Config`` from ``click.get_current_context().obj``
(key ``"config"``) and raises the project's errors; ``api.cli`` turns them into exit status 1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from ledger.config import Config
from ledger.core.errors import StoreError


def _config() -> Config:
    obj = click.get_current_context().obj
    if not isinstance(obj, dict) or "config" not in obj:
        raise click.UsageError("no configuration loaded (run through `siteledger`)")
    cfg: Config = obj["config"]
    return cfg


def _store(cfg: Config) -> Any:
    from ledger.db import make_engine
    from ledger.store import Store

    return Store(make_engine(cfg.database_url), cfg.operator_key(), skew=cfg.skew)


@contextmanager
def _db_errors() -> Iterator[None]:
    """SQLAlchemy failures as the project's StoreError, so the CLI prints one line."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        yield
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        raise StoreError(f"database: {reason} (run `siteledger init` or `siteledger db "
                         "upgrade`)") from exc  # fmt: skip


@click.group()
def chain() -> None:
    """The anchoring chain: deploy the contract, show the state, start or stop local anvil."""


@chain.command("deploy")
@click.option("--force", is_flag=True,
              help="Deploy a new contract even if the configured one is in place (every batch "
                   "is then anchored again on the new contract).")  # fmt: skip
@click.option("--witnesses", "witness_file", type=click.Path(dir_okay=False),
              help="Witness set file (JSON, docs/witnesses.md) to give the contract: every batch "
                   "is then anchored with a quorum of its co-signatures.")  # fmt: skip
@click.option("--fault-policy", default="wait", show_default=True,
              help="With --witnesses: \"wait\" (no anchor without a quorum) or "
                   "\"timeout=<seconds>\" (anchor unwitnessed, marked, after that long).")  # fmt: skip
@click.option("--witness-url", "witness_urls", multiple=True,
              help="With --witnesses: the URL of witness i's service, once per witness in set "
                   "order (written to [witnesses] urls).")  # fmt: skip
def deploy_cmd(force: bool, witness_file: str | None, fault_policy: str,
               witness_urls: tuple[str, ...]) -> None:  # fmt: skip
    """Deploy the AnchorRegistry and record it in config.toml ([chain] contract,
    deployment_block, chain_id); with --witnesses, give it the witness set and record
    [witnesses] (set, fault_policy, urls)."""
    from pathlib import Path

    from anchor.artifacts import DEPLOY
    from anchor.backends import from_config
    from anchor.deploy import deploy, set_witnesses, write_chain_config, write_config_section
    from anchor.errors import WrongChain
    from anchor.reader import ChainReader
    from anchor.witnessing import load_witness_set
    from ledger.config import parse_fault_policy

    cfg = _config()
    if cfg.chain.backend == "embedded":
        raise click.UsageError("the embedded chain lives inside one process and is gone when "
                               "the command ends: deploy on the anvil or rpc backend")  # fmt: skip
    wset = None
    if witness_file is not None:
        wset = load_witness_set(witness_file)
        policy, _ = parse_fault_policy(fault_policy)
        if witness_urls and len(witness_urls) != len(wset.members):
            raise click.UsageError(f"--witness-url given {len(witness_urls)} times for a set of "
                                   f"{len(wset.members)} witnesses")  # fmt: skip
    elif witness_urls or fault_policy != "wait":
        raise click.UsageError("--fault-policy and --witness-url go with --witnesses")
    backend = from_config(cfg)
    ch = backend.connect()
    d = None
    contract = cfg.chain.contract
    if contract and not force:
        try:
            ChainReader(ch.w3).check_code(contract, DEPLOY)
        except WrongChain as exc:
            if backend.name != "anvil":
                raise WrongChain(f"{exc}; use --force to deploy a new contract") from exc
            click.echo(f"note: {exc}; deploying a new one")
            contract = None
        else:
            click.echo(f"contract  {contract} (already deployed on chain "
                       f"{ch.chain_id}; --force deploys a new one)")  # fmt: skip
            if wset is None:
                return
    else:
        contract = None
    if contract is None:
        d = deploy(ch)
        contract = d.contract
    if d is not None:
        path = write_chain_config(cfg.home, {"contract": d.contract,
                                             "deployment_block": d.block_number,
                                             "chain_id": d.chain_id})  # fmt: skip
        click.echo(f"contract  {d.contract}")
        click.echo(f"chain id  {d.chain_id}")
        click.echo(f"block     {d.block_number}")
        click.echo(f"tx        {d.tx_hash} (gas {d.gas_used})")
        click.echo(f"admin     {d.deployer} (also the anchorer)")
        click.echo(f"written   {path}")
    if wset is not None and witness_file is not None:
        setup = set_witnesses(ch, contract, wset, allow_unwitnessed=policy == "timeout")
        values: dict[str, str | int | list[str]] = {
            "set": str(Path(witness_file).resolve()), "fault_policy": fault_policy.strip()}
        if witness_urls:
            values["urls"] = list(witness_urls)
        path = write_config_section(cfg.home, "witnesses", values)
        click.echo(f"witnesses set version {setup.version}: {setup.threshold} of {setup.size}, "
                   f"fault policy {fault_policy.strip()} (tx {setup.tx_hash}, gas "
                   f"{setup.gas_used})")  # fmt: skip
        click.echo(f"written   {path}")
        if not witness_urls and not cfg.witnesses.urls:
            click.echo("note: set [witnesses] urls (one per witness, in set order) before "
                       "anchoring")  # fmt: skip


@chain.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status_cmd(as_json: bool) -> None:
    """The backend, the contract on chain, the anchoring account and the local batches."""
    from anchor.backends import AnvilBackend, describe, from_config
    from anchor.errors import AnchorError, ChainUnavailable
    from anchor.reader import ChainReader, chain_errors
    from ledger import batcher

    cfg = _config()
    backend = from_config(cfg)
    out: dict[str, Any] = describe(backend)
    out["contract"] = cfg.chain.contract
    out["confirmations"] = cfg.chain.confirmations
    store = _store(cfg)
    with _db_errors():
        out["batches"] = batcher.count_by_state(store)
        stuck = batcher.next_to_anchor(store, limit=1)
    if stuck and stuck[0].last_error:
        out["last_error"] = {"batch": stuck[0].batch_no, "message": stuck[0].last_error}
    try:
        if isinstance(backend, AnvilBackend) and backend.running_pid() is None:
            raise ChainUnavailable("anvil is not running (`siteledger chain start`, or any "
                                   "command that anchors, starts it)")  # fmt: skip
        ch = backend.connect()
        reader = ChainReader(ch.w3)
        out.update(chain_id=ch.chain_id, head=reader.head(), account=ch.address)
        with chain_errors("reading the balance"):
            out["balance_wei"] = int(ch.w3.eth.get_balance(ch.address))  # type: ignore[arg-type]
        if cfg.chain.contract:
            out["registry"] = reader.check_code(cfg.chain.contract)
            c = reader.contract(cfg.chain.contract)
            out["batch_count"] = reader.batch_count(c.address)
            out["next_seq"] = reader.next_seq(c.address)
            with chain_errors("reading the anchorer role"):
                out["anchorer"] = bool(c.functions.isAnchorer(ch.address).call())
    except ChainUnavailable as exc:
        out["chain_error"] = str(exc)
    except AnchorError as exc:
        out["chain_error"] = str(exc)
    if as_json:
        click.echo(json.dumps(out, indent=2, sort_keys=True))
        return
    click.echo(f"backend        {out['backend']}  {out.get('url', '(in process)')}"
               + (f"  pid {out['pid']}" if out.get("pid") else ""))  # fmt: skip
    if "chain_id" in out:
        click.echo(f"chain id       {out['chain_id']}  head block {out['head']}")
        click.echo(f"account        {out['account']}  {out['balance_wei'] / 1e18:.6f} ETH")
    click.echo(f"contract       {out['contract'] or '(none: run `siteledger chain deploy`)'}"
               + (f"  (AnchorRegistry version {out['registry']})" if "registry" in out else ""))
    if "batch_count" in out:
        click.echo(f"on chain       {out['batch_count']} batches, next seq {out['next_seq']}, "
                   f"account is {'an' if out['anchorer'] else 'NOT an'} anchorer")  # fmt: skip
    counts = ", ".join(f"{n} {s}" for s, n in out["batches"].items())
    click.echo(f"local batches  {counts}; confirmations {out['confirmations']}")
    if "last_error" in out:
        click.echo(f"last error     batch {out['last_error']['batch']}: "
                   f"{out['last_error']['message']}")  # fmt: skip
    if "chain_error" in out:
        click.echo(f"chain error    {out['chain_error']}")


@chain.command("start")
def start_cmd() -> None:
    """Start the local anvil (anvil backend), or report the one already running."""
    from anchor.backends import AnvilBackend, from_config

    backend = from_config(_config())
    if not isinstance(backend, AnvilBackend):
        raise click.UsageError("chain start is for the anvil backend")
    pid = backend.start()
    click.echo(f"anvil pid {pid} on {backend.url}, state {backend.state_file}")


@chain.command("stop")
def stop_cmd() -> None:
    """Stop the local anvil by its PID file; its state file keeps every anchor."""
    from anchor.backends import AnvilBackend, from_config

    backend = from_config(_config())
    if not isinstance(backend, AnvilBackend):
        raise click.UsageError("chain stop is for the anvil backend")
    click.echo("anvil stopped" if backend.stop() else "anvil was not running")


@click.command("anchor")
@click.option("--due-only", is_flag=True,
              help="Seal only batches that are due by size or age (default: seal everything "
                   "waiting).")  # fmt: skip
@click.option("--wait/--no-wait", default=True, show_default=True,
              help="Pass again until every batch has its confirmations.")  # fmt: skip
@click.option("--timeout", type=float, default=120.0, show_default=True,
              help="Seconds to wait with --wait.")  # fmt: skip
def anchor(due_only: bool, wait: bool, timeout: float) -> None:
    """Seal waiting entries into batches and anchor every sealed batch (one pass)."""
    from anchor.errors import AnchorError
    from anchor.worker import Anchorer

    cfg = _config()
    anchorer = Anchorer(_store(cfg), cfg)
    try:
        with _db_errors():
            if wait:
                report = anchorer.run_until_anchored(timeout, force_seal=not due_only)
            else:
                report = anchorer.run_once(seal=True, force_seal=not due_only)
    finally:
        anchorer.close()
    if cfg.chain.backend == "embedded":
        click.echo("note: embedded chain: these anchors end with this process")
    for line in report.lines():
        click.echo(line)
    if wait and report.waiting and not report.standby:
        raise AnchorError(
            f"{report.waiting} batch(es) not anchored after {timeout:.0f} s (confirmations = "
            f"{cfg.chain.confirmations}; a chain that mines only on transactions needs more "
            "blocks); run `siteledger chain status`"
        )
