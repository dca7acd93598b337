"""The fast canonical path must produce exactly what the rfc8785 package produces."""

from __future__ import annotations

from typing import Any

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.canonical import _fast_ok, canonical_bytes, canonical_bytes_of_checked

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
    assert canonical_bytes_of_checked(value) == rfc8785.dumps(value)


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


def test_receipt_signed_bytes_splice_matches_jcs() -> None:
    from datetime import UTC, datetime

    from ledger.core.entry import Receipt
    from ledger.core.keys import RECEIPT_TAG, signing_input

    for when in (datetime(2026, 11, 2, 1, 2, 3, tzinfo=UTC), datetime(2026, 1, 1, 0, 0, 0, 5000, tzinfo=UTC)):
        r = Receipt(12345, bytes(range(32)), when, "ab" * 16)
        assert r.signed_bytes() == signing_input(RECEIPT_TAG, canonical_bytes(r.body()))


def test_deep_nesting_is_refused_before_parsing_even_with_a_high_recursion_limit() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.setrecursionlimit(100000)\n"
        "from ledger.core.canonical import decode_json\n"
        "from ledger.core.errors import EncodingError\n"
        "try:\n    decode_json(b'[' * 65000)\nexcept EncodingError as e:\n    print('refused', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "refused nested deeper than" in out.stdout


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    from ledger.core.canonical import decode_json

    assert decode_json(b'{"a": "[[[[[[[[[[[[{{{{{{{{{{\\"]]]"}') == {"a": '[[[[[[[[[[[[{{{{{{{{{{"]]]'}
