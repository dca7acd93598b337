"""Pinned bytes of the witness message and signature (docs/witnesses.md): a change to either is a
format change. The message also equals Solidity's abi.encodePacked of the documented fields."""

from __future__ import annotations

import pytest
from eth_abi.packed import encode_packed

from verifier import bls12381
from witness.bls import (
    WitnessKey,
    g1_eip2537,
    g2_eip2537,
    g2_from_eip2537,
    verify_pop,
    verify_signature,
)
from witness.errors import WitnessError
from witness.message import Commitment, contract_address

ADDRESS = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
MESSAGE = (
    "736974656c65646765722f7769746e6573732f7631"  # "siteledger/witness/v1"
    "00"
    "0000000000000000000000000000000000000000000000000000000000007a69"  # chain 31337
    "5fbdb2315678afecb367f032d93f642f64180aa3"
    "0000000000000000"  # batch 0
    + "00" * 32
    + "00" * 32  # root, heads_root
    + "0000000000000000"  # first_seq 0
    "0000000000000001"  # size 1
)
PUBLIC_KEY = "95a254501b7733239ed3cec4d56737977bd09ede881d8a234560e83e5525017add3b1dcc3eabfb85e12a4131b19c253b"
SIGNATURE = (
    "87d92fc160b24a62c0c288fdf6bed157c953ff0615c1345cfe7fa305fce90192d92e7f91e05563b5a18616bfc0a92983"
    "0286a2a6ecaa041010359716f480b0033d4a02b11b89fdd96dae9767e80014e081ad8b94aa2afa17fec3f0ffa6be20b8"
)
POP = (
    "846aa12a4402eb67cb92a497e0716db573c817a4163783153f0ddca475f4870200049d8e9ed35087c786059c1f26fc9d"
    "0d39e3098f1bae074c062f84f24353210666bd58c0d9be3ff76ba9dd9ce905c5b602a12e78a04350275faacce8b7137d"
)


@pytest.mark.parametrize("backend", bls12381.BACKENDS)
def test_message_signature_and_pop_are_pinned(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(bls12381.ENV, backend)
    c = Commitment(31337, contract_address(ADDRESS), 0, 0, 1, bytes(32), bytes(32))
    assert c.message().hex() == MESSAGE
    key = WitnessKey.from_seed(bytes([1]) * 32)
    assert key.public_key.hex() == PUBLIC_KEY
    assert key.sign(c.message()).hex() == SIGNATURE
    assert key.pop().hex() == POP
    verify_signature(bytes.fromhex(PUBLIC_KEY), bytes.fromhex(MESSAGE), bytes.fromhex(SIGNATURE))
    verify_pop(bytes.fromhex(PUBLIC_KEY), bytes.fromhex(POP))
    with pytest.raises(WitnessError, match="does not verify"):
        verify_signature(bytes.fromhex(PUBLIC_KEY), bytes.fromhex(MESSAGE)[:-1] + b"\x02",
                         bytes.fromhex(SIGNATURE))  # fmt: skip

# the EIP-2537 forms the contract takes (each coordinate 16 zero bytes, then 48), as py-ecc gave
# them before signing and encoding moved onto verifier.bls12381
PUBLIC_KEY_EIP2537 = "".join("0" * 32 + w for w in (
    "15a254501b7733239ed3cec4d56737977bd09ede881d8a234560e83e5525017add3b1dcc3eabfb85e12a4131b19c253b",
    "09d4984959de1b75ed9379860a2c07d1576916055ddc967e28765e043968c02328b6b78f23414ad5e179c3cc7bbed432"))
POP_EIP2537 = "".join("0" * 32 + w for w in (
    "0d39e3098f1bae074c062f84f24353210666bd58c0d9be3ff76ba9dd9ce905c5b602a12e78a04350275faacce8b7137d",
    "046aa12a4402eb67cb92a497e0716db573c817a4163783153f0ddca475f4870200049d8e9ed35087c786059c1f26fc9d",
    "0b5fcbe6ea3a7b58f9549869a0e5c3a2b2ba240c1b5105760b108137848f6888d5be9bd141abc84fb2855d67c3444808",
    "05eb121cfed507131d968047d01478eb11860d4dbfe04d6232e4711e89bf99d44ff1c3e32aab33e38ceba4eae17ea2f4"))


@pytest.mark.parametrize("backend", bls12381.BACKENDS)
def test_eip2537_forms_are_pinned(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(bls12381.ENV, backend)
    assert g1_eip2537(bytes.fromhex(PUBLIC_KEY)).hex() == PUBLIC_KEY_EIP2537
    assert g2_eip2537(bytes.fromhex(POP)).hex() == POP_EIP2537
    assert g2_from_eip2537(bytes.fromhex(POP_EIP2537)).hex() == POP
    wrong = bytearray.fromhex(POP_EIP2537)
    wrong[-1] ^= 1  # y.c1 changed: no longer on the curve
    with pytest.raises(WitnessError, match="signature: not a valid G2 point of the subgroup"):
        g2_from_eip2537(bytes(wrong))
    wrong = bytearray.fromhex(POP_EIP2537)
    wrong[0] = 1
    with pytest.raises(WitnessError, match="16 zero bytes"):
        g2_from_eip2537(bytes(wrong))
    with pytest.raises(WitnessError, match="public_key: not a valid G1 point of the subgroup"):
        g1_eip2537(b"\xc0" + bytes(47))  # the identity is no key


def test_message_is_solidity_encode_packed() -> None:
    root, heads_root = bytes(range(32)), bytes(range(32, 64))
    c = Commitment(2**64 + 5, contract_address(ADDRESS), 7, 1000, 250, root, heads_root)
    packed = encode_packed(
        ["bytes22", "uint256", "address", "uint64", "bytes32", "bytes32", "uint64", "uint64"],
        [b"siteledger/witness/v1\x00", c.chain_id, ADDRESS, 7, root, heads_root, 1000, 250],
    )
    assert c.message() == packed
