"""The committed artifact on the embedded chain: deploy, anchor, revert decoding, config writing."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from eth_utils.crypto import keccak

from anchor import artifacts, tx
from anchor.backends import EmbeddedBackend
from anchor.deploy import deploy, write_chain_config
from anchor.errors import AnchorError
from anchor.reader import ChainReader, chain_errors, revert_reason


def test_artifact_is_the_pinned_build() -> None:
    art = artifacts.load()
    assert art.contract_name == "AnchorRegistry"
    assert art.compiler_version.startswith("0.8.30+")
    names = {i["name"] for i in art.abi if i.get("type") == "function"}
    assert {"anchor", "batchCount", "nextSeq", "rootOf", "batch", "verifyInclusion"} <= names
    assert "0x" + keccak(text="Anchored(uint64,uint64,uint64,bytes32)").hex() == (
        artifacts.ANCHORED_TOPIC
    )


def test_missing_artifact_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(AnchorError, match="npm run artifacts"):
        artifacts.load(tmp_path / "nope.json")


def test_decode_revert_names_custom_errors() -> None:
    sel = keccak(text="WrongBatchNo(uint64,uint64)")[:4]
    data = sel + (3).to_bytes(32, "big") + (4).to_bytes(32, "big")
    assert artifacts.decode_revert(data) == "WrongBatchNo(got=3, want=4)"
    assert artifacts.decode_revert(b"\xde\xad\xbe\xef") == "revert 0xdeadbeef"
    assert artifacts.decode_revert(b"") == "revert without data"


def test_deploy_and_anchor(embedded: EmbeddedBackend) -> None:
    chain = embedded.connect()
    d = deploy(chain)
    reader = ChainReader(chain.w3)
    reader.check_code(d.contract)  # the code on chain is the artifact's deployedBytecode
    assert d.gas_used == 853_448
    c = reader.contract(d.contract)
    assert c.functions.admin().call() == chain.address
    assert reader.batch_count(d.contract) == 0 and reader.next_seq(d.contract) == 0

    root = bytes(range(32))
    data = c.encode_abi("anchor", args=[0, 0, 1, root])
    signed = tx.sign(chain, to=c.address, data=data, nonce=tx.nonce(chain.w3, chain.address),
                     gas=100_000, fees=tx.suggest_fees(chain.w3))  # fmt: skip
    tx.broadcast(chain.w3, signed)
    receipt = tx.wait_receipt(chain.w3, signed.tx_hash, 10)
    assert receipt["status"] == 1
    assert 76_000 < receipt["gasUsed"] < 77_000  # docs/contract.md: 76,641 for this anchor
    assert reader.batch_count(d.contract) == 1 and reader.next_seq(d.contract) == 1
    assert c.functions.rootOf(0).call() == root

    # a replay is refused by the contract, and the revert is named
    with (pytest.raises(AnchorError, match=r"WrongBatchNo\(got=0, want=1\)"),
          chain_errors("replaying batch 0")):  # fmt: skip
        c.functions.anchor(0, 0, 1, root).estimate_gas({"from": chain.address})


def test_revert_reason_of_a_view(embedded: EmbeddedBackend) -> None:
    chain = embedded.connect()
    d = deploy(chain)
    c = ChainReader(chain.w3).contract(d.contract)
    with pytest.raises(Exception) as info:  # noqa: PT011 - eth-tester's own exception type
        c.functions.rootOf(9).call()
    assert revert_reason(info.value) == "UnknownBatch(batchNo=9)"


def test_write_chain_config_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        "# top comment\n[database]\nurl = \"sqlite:///x\"\n\n[chain]\nbackend = \"anvil\"\n"
        "# contract = \"0x...\"      # written by `siteledger chain deploy`\n"
        "contract = \"0xold\"\n\n[other]\nx = 1\n"
    )
    write_chain_config(tmp_path, {"contract": "0xABCdef", "deployment_block": 7, "chain_id": 31337})
    text = (tmp_path / "config.toml").read_text()
    data = tomllib.loads(text)
    assert data["chain"] == {"backend": "anvil", "contract": "0xABCdef", "deployment_block": 7,
                             "chain_id": 31337}  # fmt: skip
    assert data["other"] == {"x": 1} and data["database"]["url"] == "sqlite:///x"
    assert "# top comment" in text and '# contract = "0x..."' in text


def test_write_chain_config_creates_section_and_file(tmp_path: Path) -> None:
    write_chain_config(tmp_path, {"contract": "0x1"})
    assert tomllib.loads((tmp_path / "config.toml").read_text()) == {"chain": {"contract": "0x1"}}
    (tmp_path / "config.toml").write_text("[batch]\nmax_size = 5\n")
    write_chain_config(tmp_path, {"deployment_block": 3})
    data = tomllib.loads((tmp_path / "config.toml").read_text())
    assert data == {"batch": {"max_size": 5}, "chain": {"deployment_block": 3}}
    with pytest.raises(AnchorError, match="refusing"):
        write_chain_config(tmp_path, {"contract": 'x"\n[evil]'})
