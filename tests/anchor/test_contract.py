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


def test_artifacts_are_the_pinned_builds() -> None:
    v2, v1 = artifacts.load(2), artifacts.load(1)
    assert artifacts.load() is v2 and artifacts.CURRENT == 2
    for art in (v1, v2):
        assert art.contract_name == "AnchorRegistry"
        assert art.compiler_version.startswith("0.8.30+")
    names = {i["name"] for i in v2.abi if i.get("type") == "function"}
    assert {"anchor", "batchCount", "nextSeq", "commitmentOf", "checkBatch", "verifyInclusion",
            "registryVersion"} <= names  # fmt: skip
    assert not {"rootOf", "batch", "batchRange"} & names
    names = {i["name"] for i in v1.abi if i.get("type") == "function"}
    assert {"anchor", "rootOf", "batch", "batchRange", "verifyInclusion"} <= names
    assert "registryVersion" not in names
    assert "0x" + keccak(text="Anchored(uint64,uint64,uint64,bytes32,bytes32)").hex() == (
        artifacts.ANCHORED_TOPICS[2]
    )
    assert "0x" + keccak(text="Anchored(uint64,uint64,uint64,bytes32)").hex() == (
        artifacts.ANCHORED_TOPICS[1]
    )
    assert artifacts.registry_of_code(bytes.fromhex(v1.deployed_bytecode[2:])) == 1
    assert artifacts.registry_of_code(bytes.fromhex(v2.deployed_bytecode[2:])) == 2
    assert artifacts.registry_of_code(bytes.fromhex(v2.deployed_bytecode[2:-2])) is None
    # registry version 2 as deployed before witness sets stays recognised as version 2
    old = artifacts.load_file("AnchorRegistryV2.json")
    assert artifacts.registry_of_code(bytes.fromhex(old.deployed_bytecode[2:])) == 2
    assert old.deployed_bytecode != v2.deployed_bytecode and v2.witnesses and not old.witnesses
    assert {i["name"] for i in old.abi if "name" in i} < {i["name"] for i in v2.abi if "name" in i}
    assert {"anchorWitnessed", "setWitnesses", "witnessSetHash"} <= names | {
        i["name"] for i in v2.abi if i.get("type") == "function"}
    assert "0x" + keccak(text="Witnessed(uint64,uint64,uint256)").hex() == artifacts.WITNESSED_TOPIC
    assert "0x" + keccak(text="AnchoredWithoutQuorum(uint64,uint64)").hex() == (
        artifacts.UNWITNESSED_TOPIC
    )
    with pytest.raises(AnchorError, match="unknown artifact"):
        artifacts.load_file("Other.json")


def test_missing_artifact_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITELEDGER_ARTIFACTS", str(tmp_path))
    with pytest.raises(AnchorError, match="npm run artifacts"):
        artifacts.load(2)
    with pytest.raises(AnchorError, match="unknown registry version 3"):
        artifacts.load(3)
    (tmp_path / "AnchorRegistryV1.json").write_text(
        (artifacts.BUILD_DIR / "AnchorRegistry.json").read_text())
    with pytest.raises(AnchorError, match="not the artifact of registry version 1"):
        artifacts.load(1)


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
    assert reader.check_code(d.contract) == 2  # the code is the v2 artifact's deployedBytecode
    assert d.gas_used == 2_369_029  # docs/contract.md
    c = reader.contract(d.contract)
    assert c.functions.admin().call() == chain.address
    assert reader.batch_count(d.contract) == 0 and reader.next_seq(d.contract) == 0

    root = bytes(range(32))
    heads = bytes(range(32, 64))
    data = c.encode_abi("anchor", args=[0, 0, 1, root, heads])
    signed = tx.sign(chain, to=c.address, data=data, nonce=tx.nonce(chain.w3, chain.address),
                     gas=100_000, fees=tx.suggest_fees(chain.w3))  # fmt: skip
    tx.broadcast(chain.w3, signed)
    receipt = tx.wait_receipt(chain.w3, signed.tx_hash, 10)
    assert receipt["status"] == 1
    assert 55_000 < receipt["gasUsed"] <= 56_000  # docs/contract.md: 55,5xx for this anchor
    assert reader.batch_count(d.contract) == 1 and reader.next_seq(d.contract) == 1
    block = chain.w3.eth.get_block(receipt["blockNumber"])
    want = keccak(root + heads + (0).to_bytes(32, "big") + (1).to_bytes(32, "big")
                  + int(receipt["blockNumber"]).to_bytes(32, "big")
                  + int(block["timestamp"]).to_bytes(32, "big"))  # fmt: skip
    assert c.functions.commitmentOf(0).call() == want  # docs/contract.md, "The batch commitment"

    # a replay is refused by the contract, and the revert is named
    with (pytest.raises(AnchorError, match=r"WrongBatchNo\(got=0, want=1\)"),
          chain_errors("replaying batch 0")):  # fmt: skip
        c.functions.anchor(0, 0, 1, root, heads).estimate_gas({"from": chain.address})


def test_deploy_and_anchor_version_1(embedded: EmbeddedBackend) -> None:
    """Version 1 stays deployable (for tests of readers of old anchors) and keeps its gas."""
    chain = embedded.connect()
    d = deploy(chain, registry=1)
    reader = ChainReader(chain.w3)
    assert reader.check_code(d.contract) == 1 and d.gas_used == 853_448
    c = reader.contract(d.contract)
    signed = tx.sign(chain, to=c.address, data=c.encode_abi("anchor", args=[0, 0, 1, b"\x07" * 32]),
                     nonce=tx.nonce(chain.w3, chain.address), gas=100_000,
                     fees=tx.suggest_fees(chain.w3))  # fmt: skip
    tx.broadcast(chain.w3, signed)
    receipt = tx.wait_receipt(chain.w3, signed.tx_hash, 10)
    assert 76_000 < receipt["gasUsed"] < 77_000  # docs/contract.md: 76,641 for this anchor
    assert c.functions.rootOf(0).call() == b"\x07" * 32


def test_revert_reason_of_a_view(embedded: EmbeddedBackend) -> None:
    chain = embedded.connect()
    d = deploy(chain)
    c = ChainReader(chain.w3).contract(d.contract)
    with pytest.raises(Exception) as info:  # noqa: PT011 - eth-tester's own exception type
        c.functions.commitmentOf(9).call()
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
