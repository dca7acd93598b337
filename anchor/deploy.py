"""Deploying the AnchorRegistry and recording where it is in ``config.toml``."""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from anchor import artifacts, tx
from anchor.backends import Chain
from anchor.errors import AnchorError
from anchor.reader import ChainReader, chain_errors, witness_set_digest
from witness.quorum import WitnessSet


@dataclass(frozen=True, slots=True)
class Deployment:
    contract: str  # checksummed
    block_number: int
    tx_hash: str
    gas_used: int
    chain_id: int
    deployer: str


def deploy(chain: Chain, *, timeout: float = 300.0, registry: int | None = None) -> Deployment:
    """Deploy the committed artifact of ``registry`` (default ``artifacts.DEPLOY``) from the
    anchoring account (which becomes admin and anchorer), wait for the receipt and check
    that the code on chain is ``deployedBytecode``."""
    registry = artifacts.DEPLOY if registry is None else registry
    art = artifacts.load(registry)
    w3 = chain.w3
    with chain_errors("estimating the deployment gas"):
        estimate = int(w3.eth.estimate_gas({"from": chain.address, "data": art.bytecode}))  # type: ignore[typeddict-item]
    gas = math.ceil(estimate * 1.2)
    fees = tx.suggest_fees(w3)
    tx.check_funds(chain, gas, fees, "the deployment")
    signed = tx.sign(chain, to=None, data=art.bytecode, nonce=tx.nonce(w3, chain.address),
                     gas=gas, fees=fees)  # fmt: skip
    tx.broadcast(w3, signed)
    receipt = tx.wait_receipt(w3, signed.tx_hash, timeout)
    if receipt["status"] != 1 or not receipt.get("contractAddress"):
        raise AnchorError(f"deployment transaction {signed.tx_hash} failed")
    address = str(receipt["contractAddress"])
    ChainReader(w3).check_code(address, registry)
    return Deployment(address, int(receipt["blockNumber"]), signed.tx_hash,
                      int(receipt["gasUsed"]), chain.chain_id, chain.address)  # fmt: skip


@dataclass(frozen=True, slots=True)
class WitnessSetup:
    version: int
    threshold: int
    size: int
    allow_unwitnessed: bool
    tx_hash: str
    gas_used: int


def set_witnesses(chain: Chain, contract: str, wset: WitnessSet, *, allow_unwitnessed: bool,
                  timeout: float = 300.0) -> WitnessSetup:  # fmt: skip
    """Give the registry at ``contract`` the witness set ``wset`` (``setWitnesses``, admin only;
    every proof of possession is checked on chain too) and the fault policy (``allow_unwitnessed``:
    the timeout policy). Needs a chain with the EIP-2537 precompiles (Prague)."""
    from witness.bls import g1_eip2537, g2_eip2537

    reader = ChainReader(chain.w3)
    if not reader.witness_capable(contract):
        raise AnchorError(f"{contract} is an AnchorRegistry without witness sets: deploy the "
                          "current one (`siteledger chain deploy --force --witnesses FILE`)")  # fmt: skip
    c = reader.contract(contract, 2)
    args = [[g1_eip2537(m.public_key) for m in wset.members], [m.public_key for m in wset.members],
            [g2_eip2537(m.pop) for m in wset.members], wset.threshold, allow_unwitnessed]  # fmt: skip
    w3 = chain.w3
    with chain_errors("estimating the gas of setWitnesses"):
        estimate = int(c.functions.setWitnesses(*args).estimate_gas({"from": chain.address}))
    gas = math.ceil(estimate * 1.2)
    fees = tx.suggest_fees(w3)
    tx.check_funds(chain, gas, fees, "setting the witness set")
    signed = tx.sign(chain, to=c.address, data=c.encode_abi("setWitnesses", args=args),
                     nonce=tx.nonce(w3, chain.address), gas=gas, fees=fees)  # fmt: skip
    tx.broadcast(w3, signed)
    receipt = tx.wait_receipt(w3, signed.tx_hash, timeout)
    if receipt["status"] != 1:
        raise AnchorError(f"setWitnesses transaction {signed.tx_hash} failed")
    current = reader.witness_set(contract)
    assert current is not None
    version, k, n, allow = current
    digest = witness_set_digest(wset.threshold, [m.public_key for m in wset.members])
    if reader.witness_set_hash(contract, version) != digest or (k, n) != (
            wset.threshold, len(wset.members)):  # fmt: skip
        raise AnchorError(f"after setWitnesses, {contract} holds another witness set (version "
                          f"{version})")  # fmt: skip
    return WitnessSetup(version, k, n, allow, signed.tx_hash, int(receipt["gasUsed"]))


_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*(#.*)?$")


def write_chain_config(home: Path, values: dict[str, str | int]) -> Path:
    """Set keys of the ``[chain]`` section of ``home/config.toml``, keeping every other line
    (comments included). Adds the section or the file if missing; checks the result parses."""
    return write_config_section(home, "chain", values)


def write_config_section(home: Path, section: str,
                         values: Mapping[str, str | int | list[str]]) -> Path:  # fmt: skip
    """Set keys of the ``[section]`` of ``home/config.toml`` as ``write_chain_config`` does."""
    path = home / "config.toml"
    lines = path.read_text().splitlines() if path.exists() else []
    start = next((i for i, ln in enumerate(lines)
                  if (m := _SECTION.match(ln)) and m.group(1).strip() == section), None)  # fmt: skip
    if start is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines.append(f"[{section}]")
        start = len(lines) - 1
    end = next((i for i in range(start + 1, len(lines)) if _SECTION.match(lines[i])), len(lines))
    todo = dict(values)
    for i in range(start + 1, end):
        key = lines[i].split("=", 1)[0].strip()
        if "=" in lines[i] and not lines[i].lstrip().startswith("#") and key in todo:
            lines[i] = f"{key} = {_toml_value(todo.pop(key))}"
    insert_at = start + 1
    for key, value in todo.items():
        lines.insert(insert_at, f"{key} = {_toml_value(value)}")
        insert_at += 1
    text = "\n".join(lines) + "\n"
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AnchorError(f"updating {path} would make it invalid TOML: {exc}") from exc
    home.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(text)
    tmp.replace(path)
    return path


def _toml_value(value: str | int | list[str]) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if not re.fullmatch(r"[0-9A-Za-z:/._\-=]*", value):
        raise AnchorError(f"refusing to write {value!r} into config.toml")
    return f'"{value}"'
