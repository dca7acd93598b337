"""Chain backends: where the anchoring transactions go, and which account signs them.

- ``embedded``: an in-process EVM (web3's ``EthereumTesterProvider``: eth-tester with py-evm).
  Nothing to start; the chain lives as long as the backend object, so it suits tests and
  ``siteledger demo`` but not a service that restarts. Signs with eth-tester's first funded key.
- ``anvil``: a local anvil node started from ``hardhat/node_modules`` (installed by
  ``scripts/setup.sh``), listening on 127.0.0.1, with its state file in ``<home>/chain/`` dumped
  every second, so anchors survive restarts of anvil and of the service. A running anvil whose
  PID file is live is reused. Signs with ``SITELEDGER_ANCHOR_KEY`` / ``keys/anchor.key`` if
  present, else with anvil's first development account; a zero-balance account is funded with
  ``anvil_setBalance`` (ether on a local dev chain is free).
- ``rpc``: any Ethereum-compatible JSON-RPC endpoint. The key comes from the environment
  (``SITELEDGER_ANCHOR_KEY``) or an encrypted keystore file (``chain.keystore``, password in
  ``SITELEDGER_KEYSTORE_PASSWORD``), never from the configuration file or the repository.

Every backend checks the chain id against the configuration and raises ``WrongChain`` on a
mismatch. Transactions are always signed locally (``eth_sendRawTransaction``), so nonces and
fees are under the worker's control on every backend.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from anchor.errors import AnchorError, ChainUnavailable, WrongChain
from anchor.reader import chain_errors, http_web3
from ledger.config import Config, ConfigError

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount
    from web3 import Web3

REPO_ROOT = Path(__file__).resolve().parents[1]
ANVIL_BINARY = REPO_ROOT / "hardhat/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
#: anvil's (and Hardhat's) first development account, from the public ``test test … junk``
#: mnemonic. Used only on a local anvil when no key is configured.
ANVIL_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
ANVIL_FUNDING = 100 * 10**18  # wei given to a zero-balance anchoring account on anvil


@dataclass(frozen=True)
class Chain:
    """A connected chain: a web3 instance and the local account that signs anchors."""

    w3: Web3
    account: LocalAccount
    chain_id: int
    backend: str
    url: str | None = None

    @property
    def address(self) -> str:
        return str(self.account.address)


class Backend(Protocol):
    name: str

    def connect(self) -> Chain:
        """The chain, (re)connecting or (re)starting whatever is needed. Cheap when connected."""
        ...

    def close(self) -> None:
        """Release connections; never stops a node that outlives the process (anvil)."""
        ...


def _account(key: str, where: str) -> LocalAccount:
    from eth_account import Account

    try:
        account: LocalAccount = Account.from_key(key.strip())
    except (ValueError, TypeError) as exc:
        # never echo the key itself
        raise AnchorError(f"{where} is not a 32-byte hex EVM private key") from exc
    return account


def check_chain_id(w3: Web3, expected: int | None, where: str) -> int:
    """The chain id of ``w3``; raises WrongChain if ``expected`` is set and differs."""
    with chain_errors(f"reading the chain id of {where}"):
        actual = int(w3.eth.chain_id)
    if expected is not None and actual != expected:
        raise WrongChain(
            f"{where} serves chain id {actual}, but the configuration says chain_id = {expected}: "
            "wrong RPC URL or wrong configuration"
        )
    return actual


# ---------------------------------------------------------------------------------- embedded


class EmbeddedBackend:
    """An in-process EVM. The state lives in this object: keep one per process."""

    name = "embedded"

    def __init__(self, *, chain_id: int | None = None) -> None:
        self.expected_chain_id = chain_id
        self._chain: Chain | None = None

    def connect(self) -> Chain:
        if self._chain is None:
            from eth_account import Account
            from web3 import EthereumTesterProvider, Web3

            provider = EthereumTesterProvider()
            w3 = Web3(provider)
            tester = provider.ethereum_tester
            assert tester is not None
            key = tester.backend.account_keys[0]
            chain_id = check_chain_id(w3, self.expected_chain_id, "the embedded chain")
            self._chain = Chain(w3, Account.from_key(key.to_bytes()), chain_id, self.name)
        return self._chain

    def mine(self, blocks: int = 1) -> None:
        """Mine empty blocks (the embedded chain only mines when a transaction arrives)."""
        self.connect().w3.provider.ethereum_tester.mine_blocks(blocks)  # type: ignore[attr-defined]

    def close(self) -> None:
        """Nothing to release; the chain stays usable until the object is dropped."""


# ---------------------------------------------------------------------------------- anvil


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"  # a zombie has exited


def _cmdline(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None  # no /proc: trust the PID file
    return raw.decode(errors="replace").split("\0")


def _is_anvil(pid: int) -> bool:
    cmd = _cmdline(pid)
    return cmd is None or any(part.endswith("anvil") for part in cmd[:1])


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _rpc_ready(url: str) -> bool:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []})
    req = urllib.request.Request(
        url, data=body.encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(req, timeout=1.0) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


class AnvilBackend:
    """A local anvil node whose state file and PID file live in ``<home>/chain/``."""

    name = "anvil"

    def __init__(
        self,
        home: Path,
        *,
        port: int = 8545,
        host: str = "127.0.0.1",
        key: str | None = None,
        chain_id: int | None = None,
        fund: bool = True,
        binary: Path | None = None,
        startup_timeout: float = 20.0,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.home = home
        self.port = port
        self.host = host
        self.key = key
        self.expected_chain_id = chain_id
        self.fund = fund
        self.binary = binary or ANVIL_BINARY
        self.startup_timeout = startup_timeout
        self.extra_args = extra_args
        self._chain: Chain | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def chain_dir(self) -> Path:
        return self.home / "chain"

    @property
    def pid_file(self) -> Path:
        return self.chain_dir / "anvil.pid"

    @property
    def state_file(self) -> Path:
        return self.chain_dir / "anvil-state.json"

    @property
    def log_file(self) -> Path:
        return self.chain_dir / "anvil.log"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def running_pid(self) -> int | None:
        """The PID of our anvil if the PID file names a live anvil process, else None."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if self._proc is not None and self._proc.pid == pid and self._proc.poll() is not None:
            return None
        return pid if _pid_alive(pid) and _is_anvil(pid) else None

    def start(self) -> int:
        """Start anvil (or reuse the live one in the PID file) and wait until it answers."""
        pid = self.running_pid()
        if pid is not None:
            cmd = _cmdline(pid)
            if cmd is not None and str(self.port) not in cmd:
                raise AnchorError(
                    f"the anvil in {self.pid_file} (pid {pid}) does not listen on port "
                    f"{self.port}: run `siteledger chain stop` first"
                )
            self._wait_ready(pid)
            return pid
        if not self.binary.exists():
            raise AnchorError(
                f"anvil is not installed at {self.binary}: run scripts/setup.sh (it installs "
                "hardhat/node_modules with the @foundry-rs/anvil binary), or use another chain "
                "backend"
            )
        if not _port_free(self.host, self.port):
            raise AnchorError(
                f"port {self.port} on {self.host} is taken by another process (not the anvil of "
                f"{self.home}): stop it or set chain.anvil_port"
            )
        self.chain_dir.mkdir(parents=True, exist_ok=True)
        args = [
            str(self.binary), "--host", self.host, "--port", str(self.port),
            "--state", str(self.state_file), "--state-interval", "1", "--silent",
        ]  # fmt: skip
        if self.expected_chain_id is not None:
            args += ["--chain-id", str(self.expected_chain_id)]
        args += list(self.extra_args)
        with open(self.log_file, "ab") as log:
            self._proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # outlives `siteledger chain deploy`; stop() ends it
            )  # fmt: skip
        tmp = self.pid_file.with_suffix(".pid.tmp")
        tmp.write_text(f"{self._proc.pid}\n")
        tmp.replace(self.pid_file)
        self._wait_ready(self._proc.pid)
        return self._proc.pid

    def _wait_ready(self, pid: int) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while True:
            ready = _rpc_ready(self.url)
            if self._proc is not None and self._proc.pid == pid and self._proc.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise AnchorError(
                    f"anvil exited with status {self._proc.returncode} at start on {self.url}: "
                    f"{self._log_tail()}"
                )
            if ready:
                return
            if time.monotonic() > deadline:
                raise ChainUnavailable(
                    f"anvil (pid {pid}) does not answer on {self.url} after "
                    f"{self.startup_timeout:.0f} s: {self._log_tail()}"
                )
            time.sleep(0.05)

    def _log_tail(self) -> str:
        try:
            lines = self.log_file.read_text(errors="replace").strip().splitlines()
        except OSError:
            return "(no log)"
        return " | ".join(lines[-3:]) or "(empty log)"

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop our anvil by its PID (SIGTERM, so it dumps its state; SIGKILL after ``timeout``).

        Returns whether a process was stopped.
        """
        self._chain = None
        pid = self.running_pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        self._signal(pid, signal.SIGTERM)
        if not self._wait_exit(pid, timeout):
            self._signal(pid, signal.SIGKILL)
            self._wait_exit(pid, 5.0)
        self.pid_file.unlink(missing_ok=True)
        return True

    def kill(self) -> None:
        """SIGKILL our anvil (tests: a crash; the state file holds at most the last second)."""
        pid = self.running_pid()
        if pid is not None:
            self._signal(pid, signal.SIGKILL)
            self._wait_exit(pid, 5.0)
        self._chain = None

    @staticmethod
    def _signal(pid: int, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)

    def _wait_exit(self, pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if self._proc is not None and self._proc.pid == pid:
                if self._proc.poll() is not None:
                    return True
            else:
                _reap(pid)
                if not _pid_alive(pid):
                    return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)

    def connect(self) -> Chain:
        if self._chain is not None and self.running_pid() is not None:
            return self._chain
        self.start()
        w3 = http_web3(self.url, timeout=30.0)
        chain_id = check_chain_id(w3, self.expected_chain_id, f"anvil at {self.url}")
        account = _account(self.key, "the anchoring key") if self.key else _account(
            ANVIL_DEV_KEY, "anvil's development key")  # fmt: skip
        if self.fund:
            with chain_errors(f"funding {account.address} on anvil"):
                if w3.eth.get_balance(account.address) == 0:
                    w3.provider.make_request(
                        "anvil_setBalance", [account.address, hex(ANVIL_FUNDING)]  # type: ignore[arg-type]
                    )
        self._chain = Chain(w3, account, chain_id, self.name, self.url)
        return self._chain

    def close(self) -> None:
        """Forget the connection; anvil keeps running (``stop()`` ends it)."""
        self._chain = None


# ---------------------------------------------------------------------------------- rpc


def rpc_key(keystore: str | Path | None) -> str:
    """The anchoring key for the rpc backend: ``SITELEDGER_ANCHOR_KEY``, else the keystore file
    decrypted with ``SITELEDGER_KEYSTORE_PASSWORD``. A keystore inside the source tree is refused.
    """
    env = os.environ.get("SITELEDGER_ANCHOR_KEY")
    if env:
        return env
    if not keystore:
        raise ConfigError(
            "no anchoring key for the rpc backend: set SITELEDGER_ANCHOR_KEY, or chain.keystore "
            "(an encrypted keystore file) and SITELEDGER_KEYSTORE_PASSWORD"
        )
    path = Path(keystore).expanduser().resolve()
    if path.is_relative_to(REPO_ROOT):
        raise ConfigError(f"keystore {path} is inside the source tree {REPO_ROOT}; keep keys "
                          "out of the repository")  # fmt: skip
    password = os.environ.get("SITELEDGER_KEYSTORE_PASSWORD")
    if password is None:
        raise ConfigError(f"keystore {path} needs its password in SITELEDGER_KEYSTORE_PASSWORD")
    from eth_account import Account

    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ConfigError(f"keystore {path}: {exc}") from exc
    try:
        return "0x" + bytes(Account.decrypt(data, password)).hex()
    except ValueError as exc:
        raise ConfigError(f"keystore {path}: wrong password or not a keystore") from exc


class RpcBackend:
    """Any Ethereum-compatible JSON-RPC endpoint (a public network, an L2, Besu, Hardhat)."""

    name = "rpc"

    def __init__(
        self,
        url: str,
        *,
        chain_id: int | None = None,
        key: str | None = None,
        keystore: str | Path | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.url = url
        self.expected_chain_id = chain_id
        self._key = key
        self.keystore = keystore
        self.timeout = timeout
        self._chain: Chain | None = None

    def connect(self) -> Chain:
        if self._chain is None:
            w3 = http_web3(self.url, timeout=self.timeout)
            chain_id = check_chain_id(w3, self.expected_chain_id, self.url)
            if self._key is None:
                self._key = rpc_key(self.keystore)
            account = _account(self._key, "the anchoring key")
            self._chain = Chain(w3, account, chain_id, self.name, self.url)
        return self._chain

    def close(self) -> None:
        self._chain = None


# ---------------------------------------------------------------------------------- factory


def from_config(cfg: Config) -> Backend:
    """The backend that ``cfg.chain.backend`` names, with its key and expected chain id."""
    ch = cfg.chain
    if ch.backend == "embedded":
        return EmbeddedBackend(chain_id=ch.chain_id)
    if ch.backend == "anvil":
        try:
            key: str | None = cfg.anchor_key()
        except ConfigError:
            key = None  # anvil's development account
        # anvil mines only when a transaction arrives; waiting for more than one confirmation
        # then needs blocks that come by themselves
        extra = ("--block-time", "1") if ch.confirmations > 1 else ()
        return AnvilBackend(cfg.home, port=ch.anvil_port, key=key, chain_id=ch.chain_id,
                            extra_args=extra)  # fmt: skip
    if ch.backend == "rpc":
        if not ch.rpc_url:
            raise ConfigError("chain.backend is rpc but chain.rpc_url (or SITELEDGER_RPC_URL) "
                              "is not set")  # fmt: skip
        return RpcBackend(ch.rpc_url, chain_id=ch.chain_id, keystore=ch.keystore)
    raise ConfigError(f"unknown chain backend {ch.backend!r}")


def describe(backend: Backend) -> dict[str, Any]:
    """What to print about a backend (no secrets)."""
    out: dict[str, Any] = {"backend": backend.name}
    if isinstance(backend, AnvilBackend):
        out.update(url=backend.url, pid=backend.running_pid(), state=str(backend.state_file))
    elif isinstance(backend, RpcBackend):
        out.update(url=backend.url)
    return out
