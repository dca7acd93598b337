"""Backend selection and where the rpc backend's key may come from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eth_account import Account

from anchor.backends import (
    ANVIL_DEV_KEY,
    REPO_ROOT,
    AnvilBackend,
    EmbeddedBackend,
    RpcBackend,
    from_config,
    rpc_key,
)
from anchor.errors import AnchorError
from ledger.config import ChainConfig, Config, ConfigError

KEY = "0x" + "4c" * 32


@pytest.fixture(autouse=True)
def _no_key_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SITELEDGER_ANCHOR_KEY", "SITELEDGER_KEYSTORE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def _cfg(tmp_path: Path, **chain: object) -> Config:
    return Config(home=tmp_path, database_url="sqlite://", chain=ChainConfig(**chain))  # type: ignore[arg-type]


def _keystore(path: Path, password: str) -> Path:
    data = Account.encrypt(KEY, password, kdf="pbkdf2", iterations=1000)
    path.write_text(json.dumps(data))
    return path


def test_from_config_picks_the_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(from_config(_cfg(tmp_path, backend="embedded")), EmbeddedBackend)
    anvil = from_config(_cfg(tmp_path, backend="anvil", anvil_port=9999, chain_id=7))
    assert isinstance(anvil, AnvilBackend)
    assert (anvil.port, anvil.expected_chain_id, anvil.key) == (9999, 7, None)  # dev account
    assert anvil.pid_file == tmp_path / "chain" / "anvil.pid"
    assert anvil.state_file == tmp_path / "chain" / "anvil-state.json"
    monkeypatch.setenv("SITELEDGER_ANCHOR_KEY", KEY)
    assert from_config(_cfg(tmp_path, backend="anvil")).key == KEY  # type: ignore[attr-defined]
    # more than one confirmation: anvil must mine by itself
    slow = from_config(_cfg(tmp_path, backend="anvil", confirmations=3))
    assert "--block-time" in slow.extra_args  # type: ignore[attr-defined]
    rpc = from_config(_cfg(tmp_path, backend="rpc", rpc_url="http://node:8545", chain_id=5))
    assert isinstance(rpc, RpcBackend) and (rpc.url, rpc.expected_chain_id) == (
        "http://node:8545", 5)  # fmt: skip
    with pytest.raises(ConfigError, match="rpc_url"):
        from_config(_cfg(tmp_path, backend="rpc"))


def test_rpc_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="SITELEDGER_ANCHOR_KEY"):
        rpc_key(None)
    monkeypatch.setenv("SITELEDGER_ANCHOR_KEY", KEY)
    assert rpc_key(None) == KEY


def test_rpc_key_from_keystore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _keystore(tmp_path / "anchor.json", "s3cret")
    with pytest.raises(ConfigError, match="SITELEDGER_KEYSTORE_PASSWORD"):
        rpc_key(path)
    monkeypatch.setenv("SITELEDGER_KEYSTORE_PASSWORD", "wrong")
    with pytest.raises(ConfigError, match="wrong password"):
        rpc_key(path)
    monkeypatch.setenv("SITELEDGER_KEYSTORE_PASSWORD", "s3cret")
    assert rpc_key(path) == KEY
    assert rpc_key(str(path)) == KEY
    with pytest.raises(ConfigError, match="anchor.json"):
        rpc_key(tmp_path / "missing" / "anchor.json")


def test_keystore_inside_the_repository_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITELEDGER_KEYSTORE_PASSWORD", "x")
    with pytest.raises(ConfigError, match="inside the source tree"):
        rpc_key(REPO_ROOT / "keys" / "anchor.json")


def test_bad_key_is_not_echoed() -> None:
    with pytest.raises(AnchorError) as info:
        RpcBackend("http://127.0.0.1:1", key="0xnot-a-key-1234").connect()
    # the chain is unreachable first; a reachable chain would reject the key without echoing it
    assert "not-a-key" not in str(info.value)
    from anchor.backends import _account

    with pytest.raises(AnchorError, match="not a 32-byte hex") as info2:
        _account("0xnot-a-key-1234", "the anchoring key")
    assert "not-a-key" not in str(info2.value)
    assert _account(ANVIL_DEV_KEY, "k").address == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
