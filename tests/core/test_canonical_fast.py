"""The fast canonical path must produce exactly what the rfc8785 package produces."""

from __future__ import annotations

from typing import Any

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.canonical import _fast_ok, canonical_bytes

_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=20)
_keys = st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=8)
_scalars = st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | _text
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(_keys, inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=500, deadline=None)
@given(_values)
def test_fast_path_equals_rfc8785(value: Any) -> None:
    assert _fast_ok(value)
    assert canonical_bytes(value) == rfc8785.dumps(value)


@given(st.dictionaries(st.text(min_size=1, max_size=4), st.integers(0, 9), max_size=6))
def test_non_ascii_keys_fall_back_and_still_match(value: dict[str, int]) -> None:
    assert canonical_bytes(value) == rfc8785.dumps(value)


def test_control_characters_and_quotes_escape_like_jcs() -> None:
    value = {"s": 'a"b\\c\nd\te\x01\x1f\x7f\u2028é中'}
    assert canonical_bytes(value) == rfc8785.dumps(value)


def test_out_of_range_integers_leave_the_fast_path() -> None:
    assert not _fast_ok({"n": 2**53})
    assert not _fast_ok({"n": 1.5})
    assert not _fast_ok({"n": (1, 2)})
