"""The [witnesses] configuration and the anchorer's refusals when it does not fit the contract."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from anchor.backends import ANVIL_BINARY
from anchor.commands import chain as chain_cmd
from anchor.deploy import deploy
from anchor.errors import AnchorError
from anchor.reader import ChainReader
from anchor.witnessing import Witnessing, load_witness_set
from ledger.config import ConfigError, WitnessConfig, load, parse_fault_policy
from witness.bls import WitnessKey
from witness.quorum import members_of


def _set_file(tmp_path: Path, n: int = 3, k: int = 2) -> Path:
    keys = [WitnessKey.from_seed(bytes([i + 1]) * 32) for i in range(n)]
    path = tmp_path / "set.json"
    path.write_text(json.dumps(members_of([f"w{i}" for i in range(n)], keys, k).to_json()))
    return path


def test_fault_policy_is_wait_or_a_timeout() -> None:
    assert parse_fault_policy("wait") == ("wait", None)
    assert parse_fault_policy(" timeout=60 ") == ("timeout", 60.0)
    assert parse_fault_policy("timeout=0.5") == ("timeout", 0.5)
    for bad in ("", "timeout", "timeout=", "timeout=-1", "timeout=0", "timeout=x", "later", "WAIT"):
        with pytest.raises(ConfigError, match="fault_policy"):
            parse_fault_policy(bad)


def test_config_reads_the_witnesses_section(tmp_path: Path) -> None:
    _set_file(tmp_path)
    (tmp_path / "config.toml").write_text(
        '[witnesses]\nset = "set.json"\nurls = ["http://127.0.0.1:1", "http://127.0.0.1:2", '
        '"https://w3.example"]\nfault_policy = "timeout=600"\nrequest_timeout = 3\n'
    )
    w = load(tmp_path).witnesses
    assert w == WitnessConfig(str(tmp_path / "set.json"), ("http://127.0.0.1:1",
                              "http://127.0.0.1:2", "https://w3.example"), "timeout", 600.0, 3.0)  # fmt: skip
    assert Witnessing(w).wset.threshold == 2


@pytest.mark.parametrize(("section", "match"), [
    ('set = "s.json"\nurls = []\n', "witnesses.urls"),
    ('urls = ["http://a"]\n', "witnesses.set"),
    ('set = "s.json"\nurls = ["ftp://a"]\n', r"witnesses.urls\[0\]"),
    ('set = "s.json"\nurls = ["http://a"]\nfault_policy = "soon"\n', "fault_policy"),
    ('set = "s.json"\nurls = ["http://a"]\nrequest_timeout = 0\n', "request_timeout"),
    ('set = "s.json"\nurls = ["http://a"]\nthreshold = 2\n', "witnesses.threshold: unknown"),
])  # fmt: skip
def test_bad_witnesses_sections_name_the_setting(tmp_path: Path, section: str, match: str) -> None:
    (tmp_path / "config.toml").write_text("[witnesses]\n" + section)
    with pytest.raises(ConfigError, match=match):
        load(tmp_path)


def test_the_set_file_and_the_urls_must_fit(tmp_path: Path) -> None:
    path = _set_file(tmp_path)
    with pytest.raises(ConfigError, match="3 URLs for a set of 3|2 URLs for a set of 3"):
        Witnessing(WitnessConfig(str(path), ("http://a", "http://b")))
    with pytest.raises(ConfigError, match="does not exist"):
        load_witness_set(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ConfigError, match="not readable JSON"):
        load_witness_set(tmp_path / "bad.json")
    data = json.loads(path.read_text())
    data["witnesses"][1]["pop"] = data["witnesses"][0]["pop"]
    (tmp_path / "forged.json").write_text(json.dumps(data))
    with pytest.raises(ConfigError, match=r"witnesses\[1\].pop"):
        load_witness_set(tmp_path / "forged.json")
    data["threshold"] = 4
    (tmp_path / "k.json").write_text(json.dumps(data))
    with pytest.raises(ConfigError, match="threshold"):
        load_witness_set(tmp_path / "k.json")


@pytest.mark.skipif(not ANVIL_BINARY.exists(), reason="anvil is not installed")
def test_chain_deploy_with_witnesses(tmp_path: Path, make_anvil: Any) -> None:
    """`siteledger chain deploy --witnesses FILE --fault-policy … --witness-url …` gives the new
    contract the set and writes [witnesses]; the anchorer then accepts the contract; bad options
    are refused before anything is sent."""
    an = make_anvil()
    home = an.home
    path = _set_file(tmp_path)
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f'[chain]\nbackend = "anvil"\nanvil_port = {an.port}\n')
    urls = ["--witness-url", "http://127.0.0.1:8601", "--witness-url", "http://127.0.0.1:8602",
            "--witness-url", "http://127.0.0.1:8603"]  # fmt: skip
    bad = CliRunner().invoke(chain_cmd, ["deploy", "--witnesses", str(path), *urls[:2]],
                             obj={"config": load(home)})  # fmt: skip
    assert bad.exit_code != 0 and "--witness-url given 1 times for a set of 3" in bad.output
    bad = CliRunner().invoke(chain_cmd, ["deploy", "--fault-policy", "timeout=5"],
                             obj={"config": load(home)})  # fmt: skip
    assert bad.exit_code != 0 and "go with --witnesses" in bad.output
    result = CliRunner().invoke(
        chain_cmd, ["deploy", "--witnesses", str(path), "--fault-policy", "timeout=600", *urls],
        obj={"config": load(home)})  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "witnesses set version 1: 2 of 3, fault policy timeout=600" in result.output
    cfg = load(home)
    assert cfg.witnesses == WitnessConfig(str(path.resolve()), ("http://127.0.0.1:8601",
                                          "http://127.0.0.1:8602", "http://127.0.0.1:8603"),
                                          "timeout", 600.0)  # fmt: skip
    assert cfg.chain.contract is not None
    reader = ChainReader(an.connect().w3)
    assert reader.witness_set(cfg.chain.contract) == (1, 2, 3, True)
    w = Witnessing(cfg.witnesses)
    w.check_contract(reader, cfg.chain.contract)  # the configured set is the contract's
    other = members_of(["a", "b", "c"], [WitnessKey.from_seed(bytes([9 + i]) * 32)
                                         for i in range(3)], 2)  # fmt: skip
    with pytest.raises(AnchorError, match="is not the set"):
        Witnessing(cfg.witnesses, other).check_contract(reader, cfg.chain.contract)
    wait = Witnessing(replace(cfg.witnesses, policy="wait", timeout_seconds=None))
    wait.check_contract(reader, cfg.chain.contract)  # a contract that allows more is fine
    # a plain contract (no set) is refused by an anchorer configured with witnesses
    plain = deploy(an.connect()).contract
    with pytest.raises(AnchorError, match="has no witness set"):
        w.check_contract(reader, plain)
