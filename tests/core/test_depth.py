"""The nesting-depth guard in front of the JSON parser agrees with the parsed value's depth,
for any document, strings full of brackets, quotes and backslashes included."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.core.canonical import _check_depth
from ledger.core.errors import EncodingError

TRICKY = st.text(alphabet='[]{}"\\ab\n\u00e9\u4e2d', max_size=8)
VALUES = st.recursive(
    st.none() | st.integers() | TRICKY,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TRICKY, inner, max_size=3),
    max_leaves=30,
)


def _depth(v: Any) -> int:
    if isinstance(v, list):
        return 1 + max((_depth(x) for x in v), default=0)
    if isinstance(v, dict):
        return 1 + max((_depth(x) for x in v.values()), default=0)
    return 0


@given(VALUES, st.integers(0, 6), st.booleans())
def test_depth_guard_matches_the_value(value: Any, limit: int, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    if _depth(value) > limit:
        with pytest.raises(EncodingError, match="nested deeper"):
            _check_depth(text, limit)
    else:
        _check_depth(text, limit)


@pytest.mark.parametrize("text", ["[" * 70, "[}" * 40 + "[" * 70, '"' + "[" * 70, "[" * 70 + '"'])
def test_unbalanced_brackets_are_counted_one_by_one(text: str) -> None:
    """Invalid documents too (an unterminated string hides nothing): the parser must never be
    handed deep nesting."""
    with pytest.raises(EncodingError, match="nested deeper"):
        _check_depth(text, 64)
