"""Configuration: the data directory, ``config.toml`` and the environment variables over it.

Layout of a data directory (``siteledger init`` makes it; default ``~/.siteledger``, or
``$SITELEDGER_HOME``)::

    config.toml          settings below; no secrets
    keys/operator.key    Ed25519 seed of the operator root key (hex), mode 0600
    keys/vault.json      vault keyring (AES-256 keys and the lookup HMAC key), mode 0600
    keys/anchor.key      EVM private key for the anvil backend (hex), mode 0600
    ledger.sqlite        the default database
    chain/               anvil's state file and PID

Environment variables override the file: ``SITELEDGER_DATABASE_URL``, ``SITELEDGER_CHAIN_BACKEND``,
``SITELEDGER_RPC_URL``, ``SITELEDGER_CHAIN_ID``, ``SITELEDGER_CONTRACT``; secrets may come only
from files or the environment: ``SITELEDGER_OPERATOR_KEY`` (hex seed),
``SITELEDGER_VAULT_KEYRING`` (JSON), ``SITELEDGER_ANCHOR_KEY`` (hex EVM key).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from ledger.core.errors import LedgerError
from ledger.core.keys import SigningKey


class ConfigError(LedgerError):
    """Missing or invalid configuration."""


@dataclass(frozen=True, slots=True)
class ChainConfig:
    backend: str = "anvil"  # embedded | anvil | rpc
    rpc_url: str | None = None
    chain_id: int | None = None
    contract: str | None = None
    deployment_block: int | None = None
    confirmations: int = 1
    anvil_port: int = 8545
    keystore: str | None = None  # path of an encrypted keystore file (rpc backend)
    poll_seconds: float = 1.0
    explorer_tx_url: str | None = None  # e.g. "https://explorer.example/tx/{tx}"


@dataclass(frozen=True, slots=True)
class WitnessConfig:
    """The ``[witnesses]`` section: the witness set the contract holds and where its witnesses
    serve their cosignatures (docs/operations.md, "Witnesses"). ``set_file`` None: no witnesses."""

    set_file: str | None = None  # JSON as witness.quorum reads it, the set given to chain deploy
    urls: tuple[str, ...] = ()  # urls[i] serves member i of the set
    policy: str = "wait"  # "wait" or "timeout"
    timeout_seconds: float | None = None  # the timeout policy's seconds
    request_timeout: float = 5.0  # seconds one cosignature request may take

    @property
    def enabled(self) -> bool:
        return self.set_file is not None


def parse_fault_policy(text: str) -> tuple[str, float | None]:
    """``wait`` -> ("wait", None); ``timeout=<seconds>`` -> ("timeout", seconds); else ConfigError."""
    value = text.strip()
    if value == "wait":
        return "wait", None
    if value.startswith("timeout="):
        try:
            seconds = float(value.removeprefix("timeout="))
        except ValueError:
            seconds = -1.0
        if 0 < seconds < 10**7:
            return "timeout", seconds
    raise ConfigError(f"witnesses.fault_policy is {text!r}: want \"wait\" or \"timeout=<seconds>\" "
                      "(seconds > 0)")  # fmt: skip


def _witness_config(data: dict[str, Any]) -> WitnessConfig:
    unknown = sorted(set(data) - {"set", "urls", "fault_policy", "request_timeout"})
    if unknown:
        raise ConfigError(f"witnesses.{unknown[0]}: unknown setting")
    if not data:
        return WitnessConfig()
    set_file = data.get("set")
    if not isinstance(set_file, str) or not set_file:
        raise ConfigError("witnesses.set: the witness set file (JSON) is required")
    urls = data.get("urls")
    if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
        raise ConfigError("witnesses.urls: want a list of URLs, one per witness of the set")
    for i, u in enumerate(urls):
        if not u.startswith(("http://", "https://")):
            raise ConfigError(f"witnesses.urls[{i}]: {u!r} must start with http:// or https://")
    policy, seconds = parse_fault_policy(str(data.get("fault_policy", "wait")))
    try:
        request_timeout = float(data.get("request_timeout", 5.0))
    except (TypeError, ValueError) as exc:
        raise ConfigError("witnesses.request_timeout: want seconds") from exc
    if not 0 < request_timeout <= 600:
        raise ConfigError("witnesses.request_timeout: want seconds from 0 to 600")
    return WitnessConfig(set_file, tuple(urls), policy, seconds, request_timeout)


@dataclass(frozen=True, slots=True)
class Config:
    home: Path
    database_url: str
    batch_max_size: int = 50_000
    batch_max_age: timedelta = timedelta(seconds=5)
    skew: timedelta = timedelta(minutes=5)
    max_bulk: int = 1_000
    max_body_bytes: int = 4 * 1024 * 1024
    rate_limit_per_minute: int = 6_000
    chain: ChainConfig = field(default_factory=ChainConfig)
    witnesses: WitnessConfig = field(default_factory=WitnessConfig)

    @property
    def keys_dir(self) -> Path:
        return self.home / "keys"

    def operator_key(self) -> SigningKey:
        env = os.environ.get("SITELEDGER_OPERATOR_KEY")
        if env:
            return _seed(env, "SITELEDGER_OPERATOR_KEY")
        path = self.keys_dir / "operator.key"
        try:
            return _seed(path.read_text().strip(), str(path))
        except FileNotFoundError as exc:
            raise ConfigError(f"no operator key at {path}: run `siteledger init`") from exc

    def vault_keyring(self) -> Any:
        from ledger.core.canonical import decode_json
        from ledger.vault import Keyring

        env = os.environ.get("SITELEDGER_VAULT_KEYRING")
        if env:
            return Keyring.from_json(decode_json(env))
        return Keyring.load(self.keys_dir / "vault.json")

    def anchor_key(self) -> str:
        env = os.environ.get("SITELEDGER_ANCHOR_KEY")
        if env:
            return env
        path = self.keys_dir / "anchor.key"
        try:
            return path.read_text().strip()
        except FileNotFoundError as exc:
            raise ConfigError(
                f"no anchoring key: set SITELEDGER_ANCHOR_KEY or create {path}"
            ) from exc


def default_home() -> Path:
    return Path(os.environ.get("SITELEDGER_HOME") or Path.home() / ".siteledger")


def _seed(text: str, where: str) -> SigningKey:
    try:
        raw = bytes.fromhex(text)
    except ValueError as exc:
        raise ConfigError(f"{where}: not hex") from exc
    if len(raw) != 32:
        raise ConfigError(f"{where}: {len(raw)} bytes, want a 32-byte Ed25519 seed")
    return SigningKey(raw)


def load(home: Path | None = None) -> Config:
    """Read ``home/config.toml`` (if any) and apply environment overrides."""
    home = home or default_home()
    path = home / "config.toml"
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    db = data.get("database", {})
    batch = data.get("batch", {})
    ingest = data.get("ingest", {})
    chain = data.get("chain", {})
    witnesses = data.get("witnesses", {})
    if not isinstance(witnesses, dict):
        raise ConfigError(f"{path}: [witnesses] must be a table")
    wcfg = _witness_config(witnesses)
    if wcfg.set_file is not None and not Path(wcfg.set_file).is_absolute():
        wcfg = replace(wcfg, set_file=str(home / wcfg.set_file))
    try:
        cfg = Config(
            home=home,
            database_url=db.get("url") or f"sqlite:///{home / 'ledger.sqlite'}",
            batch_max_size=int(batch.get("max_size", 50_000)),
            batch_max_age=timedelta(seconds=float(batch.get("max_age_seconds", 5))),
            skew=timedelta(seconds=float(ingest.get("skew_seconds", 300))),
            max_bulk=int(ingest.get("max_bulk", 1_000)),
            max_body_bytes=int(ingest.get("max_body_bytes", 4 * 1024 * 1024)),
            rate_limit_per_minute=int(ingest.get("rate_limit_per_minute", 6_000)),
            chain=ChainConfig(
                backend=str(chain.get("backend", "anvil")),
                rpc_url=chain.get("rpc_url"),
                chain_id=int(chain["chain_id"]) if "chain_id" in chain else None,
                contract=chain.get("contract"),
                deployment_block=int(chain["deployment_block"])
                if "deployment_block" in chain
                else None,
                confirmations=int(chain.get("confirmations", 1)),
                anvil_port=int(chain.get("anvil_port", 8545)),
                keystore=chain.get("keystore"),
                poll_seconds=float(chain.get("poll_seconds", 1.0)),
                explorer_tx_url=chain.get("explorer_tx_url"),
            ),
            witnesses=wcfg,
        )
    except (TypeError, ValueError, KeyError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    env = os.environ
    if env.get("SITELEDGER_DATABASE_URL"):
        cfg = replace(cfg, database_url=env["SITELEDGER_DATABASE_URL"])
    ch = cfg.chain
    if env.get("SITELEDGER_CHAIN_BACKEND"):
        ch = replace(ch, backend=env["SITELEDGER_CHAIN_BACKEND"])
    if env.get("SITELEDGER_RPC_URL"):
        ch = replace(ch, rpc_url=env["SITELEDGER_RPC_URL"])
    if env.get("SITELEDGER_CHAIN_ID"):
        ch = replace(ch, chain_id=int(env["SITELEDGER_CHAIN_ID"]))
    if env.get("SITELEDGER_CONTRACT"):
        ch = replace(ch, contract=env["SITELEDGER_CONTRACT"])
    if ch.backend not in ("embedded", "anvil", "rpc"):
        raise ConfigError(f"chain.backend is {ch.backend!r}, want embedded, anvil or rpc")
    if cfg.batch_max_size < 1 or cfg.max_bulk < 1:
        raise ConfigError("batch.max_size and ingest.max_bulk must be at least 1")
    return replace(cfg, chain=ch)


def write_secret(path: Path, text: str) -> None:
    """Write a secret file readable by its owner only; refuses to overwrite one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text + "\n")


CONFIG_TEMPLATE = """\
# siteledger configuration. Secrets are not kept here: see keys/ and the environment.

[database]
# url = "postgresql+psycopg://user@127.0.0.1:5432/siteledger"
url = "{database_url}"

[batch]
max_size = 50000          # entries per batch at most
max_age_seconds = 5       # seal a non-empty batch once its oldest entry is this old

[ingest]
skew_seconds = 300        # how far ahead of the ledger's clock a record's time may be
max_bulk = 1000           # records per POST /v1/records
max_body_bytes = 4194304  # bytes per request body
rate_limit_per_minute = 6000

[chain]
backend = "{backend}"     # embedded | anvil | rpc
confirmations = {confirmations}
anvil_port = {anvil_port}
# rpc_url = "http://127.0.0.1:8545"
# chain_id = 31337
# contract = "0x..."      # written by `siteledger chain deploy`
# deployment_block = 0
# explorer_tx_url = "https://explorer.example/tx/{{tx}}"

# Witnesses (docs/witnesses.md): anchor each batch with a k-of-n quorum of co-signatures.
# [witnesses]
# set = "witness-set.json"  # the set given to `siteledger chain deploy --witnesses`
# urls = ["http://127.0.0.1:8601", "http://127.0.0.1:8602", "http://127.0.0.1:8603"]
# fault_policy = "wait"     # or "timeout=600": anchor unwitnessed (marked) after 600 s
# request_timeout = 5
"""
