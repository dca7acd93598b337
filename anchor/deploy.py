"""Deploying the AnchorRegistry and recording where it is in ``config.toml``."""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from anchor import artifacts, tx
from anchor.backends import Chain
from anchor.errors import AnchorError
from anchor.reader import ChainReader, chain_errors


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


_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*(#.*)?$")


def write_chain_config(home: Path, values: dict[str, str | int]) -> Path:
    """Set keys of the ``[chain]`` section of ``home/config.toml``, keeping every other line
    (comments included). Adds the section or the file if missing; checks the result parses."""
    path = home / "config.toml"
    lines = path.read_text().splitlines() if path.exists() else []
    start = next((i for i, ln in enumerate(lines)
                  if (m := _SECTION.match(ln)) and m.group(1).strip() == "chain"), None)  # fmt: skip
    if start is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines.append("[chain]")
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


def _toml_value(value: str | int) -> str:
    if isinstance(value, int):
        return str(value)
    if not re.fullmatch(r"[0-9A-Za-z:/._\-]*", value):
        raise AnchorError(f"refusing to write {value!r} into config.toml")
    return f'"{value}"'
